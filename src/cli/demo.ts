import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { RECORD_TYPE_NAMES } from '../domain/records/fields.js';
import { loadDemo } from '../modules/demo/demo.usecases.js';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { cliActor, recordsDeps, reportError, withContainer } from './context.js';

/** `letapis demo`: loads the invented demo data set (Belarus, August 2020) once. */
export function registerDemoCommand(program: Command): void {
  program
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
}
