import { resolve } from 'node:path';
import type { Command } from 'commander';
import { telegramImportJob } from '../modules/imports/telegram/telegram.jobs.js';
import type { TelegramImportReport } from '../modules/imports/telegram/telegram.usecases.js';
import { reportError, withContainer } from './context.js';
import { importDeps, importTarget, runImportHere } from './import-run.js';

/** `letapis import …`: bringing material in from elsewhere (docs/IMPORTS.md). */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('import material from elsewhere: Telegram exports (docs/IMPORTS.md)');

  imp
    .command('telegram')
    .argument('<dir>', 'the folder Telegram Desktop exported ("Export chat history", format "Machine-readable JSON"): result.json and its media folders')
    .requiredOption('--compartment <name>', 'compartment the messages and files go to')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--dry-run', 'read the whole export and report what an import would add; write nothing')
    .option('--json', 'print the report as JSON')
    .description('import a Telegram Desktop export: each message a record, each file evidence linked to it; importing again adds only what is new')
    .action(async (dir: string, opts: { compartment: string; as?: string; dryRun?: boolean; json?: boolean }) => {
      try {
        const out = await withContainer(async (c) => {
          const { actor, compartmentId } = await importTarget(c, opts);
          // the job's result leaves document file names out; the operator at the console sees them
          let report: TelegramImportReport | undefined;
          const { jobId } = await runImportHere(
            c,
            { json: opts.json, label: 'import', status: 'reading result.json' },
            'imports.telegram',
            { dir: resolve(dir), compartment: compartmentId, actorId: actor.userId, ...(opts.dryRun ? { dryRun: true } : {}) },
            telegramImportJob(importDeps(c), (r) => (report = r)),
            compartmentId,
          );
          return { jobId, report: report! };
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
    ...(r.dryRun ? ['dry run:   nothing was written; the counts say what an import would do'] : []),
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
