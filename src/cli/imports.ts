import { resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { runJobHere } from '../modules/imports/run-here.js';
import { telegramImportJob } from '../modules/imports/telegram/telegram.jobs.js';
import type { TelegramImportReport } from '../modules/imports/telegram/telegram.usecases.js';
import { cliActor, reportError, withContainer } from './context.js';

/** `letapis import …`: bringing material in from elsewhere (docs/IMPORTS.md). */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('import material from elsewhere: Telegram exports (docs/IMPORTS.md)');

  imp
    .command('telegram')
    .argument('<dir>', 'the folder Telegram Desktop exported ("Export chat history", format "Machine-readable JSON"): result.json and its media folders')
    .requiredOption('--compartment <name>', 'compartment the messages and files go to')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print the report as JSON')
    .description('import a Telegram Desktop export: each message a record, each file evidence linked to it; importing again adds only what is new')
    .action(async (dir: string, opts: { compartment: string; as?: string; json?: boolean }) => {
      try {
        const out = await withContainer(async (c) => {
          const actor = await cliActor(c, opts.as);
          const compartment = await findCompartment(c.db, opts.compartment);
          if (!compartment) throw new Error(`no compartment is named "${opts.compartment}" (see: letapis compartment list)`);
          const bar =
            !opts.json && process.stderr.isTTY
              ? new cliProgress.SingleBar({ format: 'import [{bar}] {percentage}% | {status}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
              : null;
          bar?.start(100, 0, { status: 'reading result.json' });
          const deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
          try {
            // the job's result leaves document file names out; the operator at the console sees them
            let report: TelegramImportReport | undefined;
            const { jobId } = await runJobHere(
              c.db,
              'imports.telegram',
              { dir: resolve(dir), compartment: compartment.id, actorId: actor.userId },
              telegramImportJob(deps, (r) => (report = r)),
              { compartmentId: compartment.id, onProgress: (p, message) => bar?.update(Math.floor(p), { status: message ?? '' }) },
            );
            return { jobId, report: report! };
          } finally {
            bar?.stop();
          }
        });
        if (opts.json) console.log(JSON.stringify(out, null, 2));
        else for (const line of describeReport(out.report, out.jobId)) console.log(line);
      } catch (e) {
        reportError(e);
      }
    });
}

/** The report in words, as the CLI prints it. */
export function describeReport(r: TelegramImportReport, jobId: string): string[] {
  const lines = [
    `chats:     ${r.chats}`,
    `messages:  ${r.messages.created} new, ${r.messages.alreadyThere} already there, ${r.messages.updated} updated (edited since), ${r.messages.skipped} not taken — of ${r.messages.seen} in the export`,
    `files:     ${r.media.stored} new, ${r.media.alreadyHeld} already held (an acquisition added), ${r.media.linked} linked to their message, ${r.media.notTaken} not taken`,
  ];
  if (r.problemsTotal) {
    lines.push(`not taken, and why${r.problemsTotal > r.problems.length ? ` (first ${r.problems.length} of ${r.problemsTotal})` : ''}:`);
    for (const p of r.problems) lines.push(`  ${p.where}: ${p.reason}`);
  }
  lines.push(`job:       ${jobId} (done)`);
  return lines;
}
