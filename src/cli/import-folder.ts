import { resolve } from 'node:path';
import type { Command } from 'commander';
import { folderImportJob } from '../modules/imports/folder/folder.jobs.js';
import type { FolderImportReport } from '../modules/imports/folder/folder.usecases.js';
import { reportError, withContainer } from './context.js';
import { importDeps, importTarget, runImportHere } from './import-run.js';

/**
 * `letapis import folder DIR`: a folder of files described by metadata.csv or JSON sidecars,
 * imported by the `imports.folder` job run in this process (docs/IMPORTS.md). Registered under
 * `letapis import`, after the command group exists.
 */
export function registerImportFolderCommand(program: Command): void {
  const imp = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import material from elsewhere (docs/IMPORTS.md)');
  imp
    .command('folder')
    .argument('<dir>', 'a folder of files, described by a metadata.csv at its root (file, source, date, place, note, links) or by sidecars (photo.jpg.json or photo.json)')
    .requiredOption('--compartment <name>', 'compartment the files go to')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--dry-run', 'check everything and report what would be done; write nothing')
    .option('--json', 'print the report as JSON')
    .description('import a folder of files with their metadata: each file evidence with an acquisition (source, date, place, note) and links to records; importing again adds nothing')
    .action(async (dir: string, opts: { compartment: string; as?: string; dryRun?: boolean; json?: boolean }) => {
      try {
        const out = await withContainer(async (c) => {
          const { actor, compartmentId } = await importTarget(c, opts);
          // the job's result leaves file names out; the operator at the console sees them
          let report: FolderImportReport | undefined;
          const { jobId } = await runImportHere(
            c,
            { json: opts.json, label: 'import', status: 'reading the folder' },
            'imports.folder',
            { dir: resolve(dir), compartment: compartmentId, actorId: actor.userId, ...(opts.dryRun ? { dryRun: true } : {}) },
            folderImportJob(importDeps(c), (r) => (report = r)),
            compartmentId,
          );
          return { jobId, report: report! };
        });
        if (opts.json) console.log(JSON.stringify(out, null, 2));
        else for (const line of describeFolderReport(out.report, out.jobId)) console.log(line);
        if (out.report.files.notTaken > 0) process.exitCode = 1;
      } catch (e) {
        reportError(e);
      }
    });
}

/** The report in words, as the CLI prints it. */
export function describeFolderReport(r: FolderImportReport, jobId: string): string[] {
  const would = r.dryRun ? 'would be ' : '';
  const form = r.metadata.form ? ` (${r.metadata.form.encoding}, delimiter "${r.metadata.form.delimiter === '\t' ? '\\t' : r.metadata.form.delimiter}")` : '';
  const lines = [
    ...(r.dryRun ? ['dry run:   nothing was written'] : []),
    `metadata:  ${r.metadata.csv ? `metadata.csv${form}` : 'no metadata.csv'}, ${r.metadata.sidecars} sidecar(s) read`,
    `files:     ${r.files.taken} ${would}taken (${r.files.newItems} new, ${r.files.alreadyHeld} already held: an acquisition ${would}added), ${r.files.alreadyImported} already imported, ${r.files.notTaken} not taken — of ${r.files.seen}; ${r.files.withoutMetadata} without metadata`,
    `links:     ${r.links.added} ${would}added, ${r.links.alreadyThere} already there`,
  ];
  if (r.problemsTotal) {
    lines.push(`problems${r.problemsTotal > r.problems.length ? ` (first ${r.problems.length} of ${r.problemsTotal})` : ''}:`);
    for (const p of r.problems) lines.push(`  ${p.where}: ${p.reason}`);
  }
  lines.push(`job:       ${jobId} (done)`);
  return lines;
}
