import { basename } from 'node:path';
import type { Command } from 'commander';
import { ingestEvidence } from '../modules/evidence/evidence.usecases.js';
import { listJobHandlers } from '../modules/imports/lists/lists.jobs.js';
import { previewList, type ListImportDeps, type ListImportReport } from '../modules/imports/lists/lists.usecases.js';
import { fileChunks } from '../adapters/blobs/ingest/file-chunks.js';
import { reportError, withContainer } from './context.js';
import { importDeps, importTarget, runImportHere } from './import-run.js';

interface ListOptions {
  type?: string;
  compartment: string;
  as?: string;
  map: string[];
  fixed: string[];
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  dryRun?: boolean;
  validOnly?: boolean;
  preview?: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** "Прозвішча=identity.familyName" → ["Прозвішча", "identity.familyName"] (the last "=" splits: headers may hold one). */
function pairs(list: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw new Error(`${what} "${item}" must be written COLUMN=field`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

/**
 * `letapis import list FILE`: takes the list in as evidence (custody begins), then runs the
 * `imports.list` job in this process (docs/IMPORTS.md). Registered under `letapis import`, after
 * the command group exists.
 */
export function registerImportListCommand(program: Command): void {
  const imp = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import material from elsewhere (docs/IMPORTS.md)');
  imp
    .command('list')
    .argument('<file>', 'a CSV (UTF-8, UTF-16 or Windows-1251; comma, semicolon, tab or pipe) or XLSX list whose first row names the columns')
    .requiredOption('--compartment <name>', 'compartment the list (as evidence) and its records go to')
    .option('--type <type>', 'record type every row becomes (persons, detentions, sentences, …)')
    .option('--map <column=field>', 'a column (its header, or #N) and the field it feeds, e.g. "Прозвішча=identity.familyName"; repeat for each column', collect, [])
    .option('--fixed <field=value>', 'one value for every row, e.g. "status=alleged"; repeatable', collect, [])
    .option('--encoding <name>', 'force the encoding: utf-8, utf-8-bom, utf-16le, utf-16be, windows-1251 (default: detected)')
    .option('--delimiter <d>', 'force the delimiter: comma, semicolon, tab, pipe (default: detected)')
    .option('--sheet <name>', 'XLSX: the sheet to read (default: the first)')
    .option('--preview', 'show how the list reads (encoding, delimiter, header, first 20 rows) and stop')
    .option('--dry-run', 'validate every row and report; write nothing')
    .option('--valid-only', 'write the valid rows and report the others (default: all rows or nothing)')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print the report as JSON')
    .description('import a list of records (CSV or XLSX): the file is kept as evidence; rows are checked as the API checks records; importing again adds nothing')
    .action(async (file: string, opts: ListOptions) => {
      try {
        const out = await withContainer(async (c) => {
          const { actor, compartmentId } = await importTarget(c, opts);
          const deps: ListImportDeps = importDeps(c);
          const ingested = await ingestEvidence(deps, actor, fileChunks(file), { compartment: compartmentId, filename: basename(file), method: 'cli-ingest' });
          const itemId = ingested.item.id;
          const read = { itemId, encoding: opts.encoding, delimiter: opts.delimiter, sheet: opts.sheet };
          if (opts.preview) return { itemId, preview: await previewList(deps, actor, read) };
          if (!opts.type) throw new Error('name the record type with --type (or look first with --preview)');
          const payload = {
            ...read,
            type: opts.type,
            compartment: compartmentId,
            mapping: pairs(opts.map, '--map'),
            fixed: pairs(opts.fixed, '--fixed'),
            mode: opts.validOnly ? 'valid-only' : 'all-or-nothing',
            dryRun: Boolean(opts.dryRun),
            requestedBy: actor.userId,
          } as any;
          const { jobId, result } = await runImportHere(c, { json: opts.json, label: 'list', status: 'reading' }, 'imports.list', payload, listJobHandlers(deps)['imports.list']!, compartmentId);
          return { itemId, jobId, report: result as unknown as ListImportReport };
        });
        if (opts.json) console.log(JSON.stringify(out, null, 2));
        else if ('preview' in out) {
          const p = out.preview!;
          console.log(`item:      ${out.itemId}`);
          console.log(`format:    ${p.form.format}${p.form.encoding ? `, ${p.form.encoding}` : ''}${p.form.delimiter ? `, delimiter ${JSON.stringify(p.form.delimiter)}` : ''}${p.form.sheet ? `, sheet "${p.form.sheet}" of ${p.form.sheets.join(', ')}` : ''}`);
          console.log(`columns:   ${p.header.map((h, i) => `#${i + 1} ${h}`).join(' | ')}`);
          for (const r of p.rows) console.log(`row ${String(r.row).padStart(4)}:  ${r.cells.join(' | ')}`);
        } else {
          for (const line of describeListReport(out.report!, out.jobId!, out.itemId)) console.log(line);
          if (out.report!.problemsTotal > 0 || out.report!.notWritten) process.exitCode = 1;
        }
      } catch (e) {
        reportError(e);
      }
    });
}

/** The report in words, as the CLI prints it (the first 50 problems; --json has up to 1,000). */
export function describeListReport(r: ListImportReport, jobId: string, itemId: string): string[] {
  const lines = [
    `list:      evidence item ${itemId} (${r.form.format}${r.form.encoding ? `, ${r.form.encoding}` : ''}${r.form.delimiter ? `, delimiter ${JSON.stringify(r.form.delimiter)}` : ''}${r.form.sheet ? `, sheet "${r.form.sheet}"` : ''})`,
    `rows:      ${r.rows} — ${r.valid} valid, ${r.invalid} with problems, ${r.alreadyImported} already imported`,
    r.dryRun ? `written:   nothing (dry run)` : `written:   ${r.written} ${r.type} (${r.mode})`,
  ];
  if (r.notWritten) lines.push(`           ${r.notWritten}`);
  for (const p of r.problems.slice(0, 50)) {
    const where = [p.column ? `column "${p.column}"` : null, p.field ? `field ${p.field}` : null].filter(Boolean).join(', ');
    const hint = p.suggestions?.length ? ` — did you mean ${p.suggestions.map((s) => `"${s.label}" (${s.code})`).join(', ')}?` : '';
    lines.push(`row ${p.row}${where ? ` (${where})` : ''}: ${p.reason}${hint}`);
  }
  if (r.problemsTotal > 50) lines.push(`… and ${r.problemsTotal - 50} more problem(s): see --json or the job's result`);
  lines.push(`job:       ${jobId}`);
  return lines;
}
