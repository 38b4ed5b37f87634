import { closeSync, createWriteStream, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../domain/records/fields.js';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { INTERCHANGE_DEFAULT_TYPES } from '../modules/imports/interchange/interchange.usecases.js';
import { exportUwazi, uwaziZipOf } from '../modules/imports/interchange/uwazi-export.js';
import { importUwazi, openInterchange, type UwaziImportReport } from '../modules/imports/interchange/uwazi-import.js';
import { looksLikeZip } from '../modules/imports/lists/read.js';
import { esfJson, exportEsf } from '../modules/imports/interchange/esf-export.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { ingestEvidence } from '../modules/evidence/evidence.usecases.js';
import { fileChunks } from '../adapters/blobs/ingest/file-chunks.js';
import { cliActor, recordsDeps, reportError, withContainer } from './context.js';
import type { Container } from '../app/container.js';

/**
 * `letapis export uwazi`, `letapis export esf` and `letapis import uwazi` (docs/IMPORTS.md,
 * "Interchange"): run in this process, printing a progress line on standard error.
 */

const collect = (v: string, prev: string[]) => [...prev, v];
/** A lone CSV is read into memory; a ZIP is read by random access (its limits: zip-read.ts). */
const MAX_CSV_BYTES = 256 * 1024 * 1024;

function startsLikeZip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && looksLikeZip(head);
  } finally {
    closeSync(fd);
  }
}

function typesOf(given: string[]): RecordTypeName[] {
  if (!given.length) return INTERCHANGE_DEFAULT_TYPES;
  const wrong = given.filter((t) => !(RECORD_TYPE_NAMES as readonly string[]).includes(t));
  if (wrong.length) throw new Error(`unknown record type ${wrong.join(', ')}; one of: ${RECORD_TYPE_NAMES.join(', ')}`);
  return given as RecordTypeName[];
}

async function compartmentId(c: Container, name: string): Promise<string> {
  const compartment = await findCompartment(c.db, name);
  if (!compartment) throw new Error(`no compartment is named "${name}" (see: letapis compartment list)`);
  return compartment.id;
}

const progress = (quiet: boolean | undefined) => (what: string) => {
  if (!quiet && process.stderr.isTTY) process.stderr.write(`\r${what.padEnd(60)}`);
};
const progressDone = (quiet: boolean | undefined) => {
  if (!quiet && process.stderr.isTTY) process.stderr.write('\n');
};

/** Registers the interchange commands under `letapis export` and `letapis import`. */
export function registerInterchangeCommands(program: Command): void {
  const exp = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('export records in interchange formats (docs/IMPORTS.md)');
  exp
    .command('uwazi')
    .requiredOption('--compartment <name>', 'compartment whose records are exported')
    .requiredOption('--out <file.zip>', 'the ZIP to write (one <type>.csv per record type)')
    .option('--type <type>', `record type to export; repeatable (default: every type but person-names)`, collect, [])
    .option('--with-identities', 'also export persons\' identities (each person revealed, audited) and the fields kept encrypted (notes, transcripts, medical descriptions); only for an account that may reveal identities. The file then holds what the database keeps encrypted: keep it encrypted too')
    .option('--with-files', 'also the evidence files linked to the records (files/ in the ZIP, named in an attachments column); each file read is an evidence.download audit event; only for an account that may download evidence')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .description('export records as Uwazi CSVs in a ZIP (pseudonyms only unless --with-identities)')
    .action(async (opts: { compartment: string; out: string; type: string[]; withIdentities?: boolean; withFiles?: boolean; as?: string }) => {
      try {
        const say = progress(false);
        const result = await withContainer(async (c) => {
          const actor = await cliActor(c, opts.as);
          const compartment = await compartmentId(c, opts.compartment);
          const deps = { ...recordsDeps(c), blobs: c.blobs };
          const exp = await exportUwazi(deps, actor, {
            compartment,
            types: typesOf(opts.type),
            withSensitive: Boolean(opts.withIdentities),
            withFiles: Boolean(opts.withFiles),
            onProgress: (type, done) => say(`exporting ${type}: ${done} records`),
          });
          if (exp.attachments.length) say(`writing ${exp.attachments.length} files`);
          // written beside the target and renamed when whole: a failure leaves no half ZIP
          const partial = `${opts.out}.partial`;
          try {
            await pipeline(uwaziZipOf(deps, actor, exp), createWriteStream(partial, { mode: 0o600 }));
            renameSync(partial, opts.out);
          } catch (e) {
            rmSync(partial, { force: true });
            throw e;
          }
          return exp;
        });
        progressDone(false);
        for (const f of result.files) console.log(`${f.name.padEnd(28)} ${f.rows} records`);
        if (opts.withFiles) console.log(`files/                       ${result.attachments.length} files${result.withheld ? ` (${result.withheld} linked items left out: you may not download them)` : ''}`);
        console.log(`written:   ${opts.out}`);
        if (opts.withIdentities) console.log('note:      the file holds identities and fields the database keeps encrypted (each person revealed is in the audit log): store and send it encrypted only');
      } catch (e) {
        reportError(e);
      }
    });
  exp
    .command('esf')
    .requiredOption('--compartment <name>', 'compartment whose events are exported')
    .requiredOption('--out <file.json>', 'the JSON file to write')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .description('export events, acts, persons (by pseudonym) and involvements in the HURIDOCS Events Standard Formats, as JSON')
    .action(async (opts: { compartment: string; out: string; as?: string }) => {
      try {
        const doc = await withContainer(async (c) => exportEsf(recordsDeps(c), await cliActor(c, opts.as), await compartmentId(c, opts.compartment)));
        writeFileSync(opts.out, esfJson(doc), { mode: 0o600 });
        console.log(`events ${doc.events.length}, acts ${doc.acts.length}, persons ${doc.persons.length}, involvements ${doc.involvements.length}`);
        console.log(`written:   ${opts.out}`);
      } catch (e) {
        reportError(e);
      }
    });

  const imp = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import material from elsewhere (docs/IMPORTS.md)');
  imp
    .command('uwazi')
    .argument('<file>', 'a ZIP of <type>.csv files (as `letapis export uwazi` writes), or one CSV')
    .requiredOption('--compartment <name>', 'compartment the records go into')
    .option('--type <type>', 'record type of a single CSV not named after its type')
    .option('--dry-run', 'check and write every row, then roll back: nothing is kept')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print the report as JSON')
    .description('import Uwazi CSVs, all rows or nothing; vocabulary terms are never created, references go by title')
    .action(async (file: string, opts: { compartment: string; type?: string; dryRun?: boolean; as?: string; json?: boolean }) => {
      try {
        const zip = startsLikeZip(file);
        if (!zip && statSync(file).size > MAX_CSV_BYTES) throw new Error(`the CSV is over ${MAX_CSV_BYTES / 1024 / 1024} MB: export fewer records at a time`);
        const say = progress(opts.json);
        const report = await withContainer(async (c) => {
          const actor = await cliActor(c, opts.as);
          const compartment = await compartmentId(c, opts.compartment);
          // the file is source material (it may name people): taken in as evidence first, encrypted, its custody begun;
          // its item also lets an import of the same file again skip the rows it already took
          const deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
          const { item } = await ingestEvidence(deps, actor, fileChunks(file), { compartment, filename: basename(file), method: 'cli-ingest' });
          const opened = zip ? await openInterchange({ path: file }) : { files: [{ name: basename(file), bytes: readFileSync(file) }], archive: undefined };
          try {
            return await importUwazi(deps, actor, {
              compartment,
              itemId: item.id,
              files: opened.files,
              archive: opened.archive,
              type: opts.type ? typesOf([opts.type])[0] : undefined,
              dryRun: Boolean(opts.dryRun),
              onProgress: (phase, done, total) => say(`${phase}: ${done} of ${total} rows`),
            });
          } finally {
            opened.archive?.close();
          }
        });
        progressDone(opts.json);
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        else for (const line of describeInterchangeReport(report)) console.log(line);
        if (report.notWritten) process.exitCode = 1;
      } catch (e) {
        reportError(e);
      }
    });
}

/** The import's report in words (the first 50 problems; --json has up to 1,000). */
export function describeInterchangeReport(r: UwaziImportReport): string[] {
  const lines = r.files.map((f) => `${f.name.padEnd(28)} ${f.rows} rows (${f.type})`);
  const written = Object.entries(r.written).map(([t, n]) => `${n} ${t}`).join(', ');
  lines.push(r.notWritten ? `written:   nothing — ${r.notWritten}` : `${r.dryRun ? 'would write' : 'written:  '} ${written || 'nothing'}${r.dryRun ? ' (dry run: rolled back)' : ''}`);
  if (r.attachments) lines.push(`           ${r.attachments} file(s) ${r.dryRun || r.notWritten ? 'named (not taken in)' : 'taken in as evidence and linked'}`);
  if (r.alreadyImported) lines.push(`           ${r.alreadyImported} row(s) already imported from this file: skipped`);
  for (const p of r.problems.slice(0, 50)) {
    const hint = p.suggestions?.length ? ` — did you mean ${p.suggestions.map((s) => `"${s.label}" (${s.code})`).join(', ')}?` : '';
    lines.push(`${p.file} row ${p.row}${p.column ? ` (column "${p.column}")` : ''}: ${p.reason}${hint}`);
  }
  if (r.problemsTotal > 50) lines.push(`… and ${r.problemsTotal - 50} more problem(s): see --json`);
  return lines;
}
