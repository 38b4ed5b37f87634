import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { RECORD_TYPE_NAMES } from '../domain/records/fields.js';
import { loadDemo } from '../modules/demo/demo.usecases.js';
import { generateDataSet, type GenerateProgress } from '../modules/demo/generate.js';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { cliActor, recordsDeps, reportError, withContainer } from './context.js';

/**
 * `letapis demo`: loads the invented demo data set (Belarus, August 2020) once.
 * `letapis demo generate --records N`: a large synthetic data set of invented people (for load
 * tests and the search benchmark), then the search index rebuilt.
 */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command('demo')
    .description('load the invented demo data set (invented people in real places and bodies, Belarus since August 2020); only once per database')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--compartment <name>', 'compartment to load into (default: the account\'s only one)')
    .option('--json', 'print JSON')
    .action(async (opts: { as?: string; compartment?: string; json?: boolean }) => {
      const bar =
        !opts.json && process.stdout.isTTY
          ? new cliProgress.SingleBar(
              { format: 'loading demo [{bar}] {value}/{total} records', hideCursor: true, clearOnComplete: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
      let started = false;
      const progress = (done: number, total: number) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      };
      try {
        const { counts } = await withContainer(async (c) => {
          try {
            let compartmentId: string | undefined;
            if (opts.compartment) {
              const found = await findCompartment(c.db, opts.compartment);
              if (!found) throw new Error(`no compartment is named "${opts.compartment}" (see: letapis compartment list)`);
              compartmentId = found.id;
            }
            return await loadDemo(recordsDeps(c), await cliActor(c, opts.as), progress, compartmentId);
          } finally {
            if (started) bar?.stop();
          }
        });
        if (opts.json) {
          console.log(JSON.stringify({ counts }, null, 2));
          return;
        }
        const width = Math.max(...RECORD_TYPE_NAMES.map((t) => t.length));
        let sum = 0;
        console.log('demo data loaded:');
        for (const t of RECORD_TYPE_NAMES) {
          const n = counts[t] ?? 0;
          sum += n;
          console.log(`  ${t.padEnd(width)}  ${String(n).padStart(4)}`);
        }
        console.log(`  ${'total'.padEnd(width)}  ${String(sum).padStart(4)}`);
      } catch (e) {
        reportError(e);
      }
    });

  demo
    .command('generate')
    .description('generate a large synthetic data set of INVENTED people and events (names in Belarusian and Russian Cyrillic and Latin), then rebuild the search index; for load tests')
    .requiredOption('--records <n>', 'how many records to create (at least 100), e.g. 1000000')
    .option('--seed <s>', 'seed of the pseudo-random generator: the same seed gives the same data', '1')
    .option('--compartment <name>', "compartment to write into (default: the account's only one)")
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--no-index', 'do not rebuild the search index at the end (run letapis reindex later)')
    .option('--json', 'print JSON')
    .action(async (opts: { records: string; seed: string; compartment?: string; as?: string; index: boolean; json?: boolean }) => {
      const records = Number(String(opts.records).replace(/_/g, ''));
      const seed = Number(opts.seed);
      if (!Number.isInteger(records) || records < 100) return reportError(new Error(`--records must be a whole number of at least 100, not "${opts.records}"`));
      if (!Number.isInteger(seed) || seed < 0) return reportError(new Error(`--seed must be a whole number ≥ 0, not "${opts.seed}"`));
      const bar =
        !opts.json && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: '{phase} [{bar}] {percentage}% {value}/{total} | {rate}/s | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true, stream: process.stderr, etaBuffer: 50 },
              cliProgress.Presets.shades_classic,
            )
          : null;
      let phase: GenerateProgress['phase'] | undefined;
      let phaseStart = 0;
      let lastLog = 0;
      const progress = (p: GenerateProgress) => {
        const label = p.phase === 'records' ? 'generating records' : 'building search index';
        const rate = () => Math.round(p.done / Math.max(0.001, (performance.now() - phaseStart) / 1000));
        if (phase !== p.phase) {
          bar?.stop();
          phase = p.phase;
          phaseStart = performance.now();
          bar?.start(p.total, p.done, { phase: label, rate: 0 });
        } else bar?.update(p.done, { rate: rate() });
        // without a terminal: a line every 10 seconds on stderr
        if (!bar && !opts.json && performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          process.stderr.write(`${label}: ${p.done}/${p.total} (${rate()}/s)\n`);
        }
      };
      try {
        const res = await withContainer(async (c) => {
          try {
            return await generateDataSet({ db: c.db, vault: c.vault }, await cliActor(c, opts.as), { records, seed, compartment: opts.compartment, index: opts.index, onProgress: progress });
          } finally {
            bar?.stop();
          }
        });
        const { sample: _sample, ...summary } = res;
        if (opts.json) {
          console.log(JSON.stringify(summary, null, 2));
          return;
        }
        const width = Math.max(...RECORD_TYPE_NAMES.map((t) => t.length));
        console.log(`synthetic data set generated (seed ${seed}, compartment ${res.compartment}); every person in it is invented:`);
        for (const t of RECORD_TYPE_NAMES) if (res.counts[t]) console.log(`  ${t.padEnd(width)}  ${String(res.counts[t]).padStart(9)}`);
        console.log(`  ${'total'.padEnd(width)}  ${String(res.records).padStart(9)}`);
        console.log(`records written in ${res.generateSeconds.toFixed(1)} s (${res.recordsPerSecond} records/s)`);
        if (res.indexSeconds !== null) console.log(`search index built in ${res.indexSeconds.toFixed(1)} s (${res.indexedDocuments} documents)`);
        else console.log('search index not rebuilt: run letapis reindex');
      } catch (e) {
        reportError(e);
      }
    });
}
