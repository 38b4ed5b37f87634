import { createHash } from 'node:crypto';
import { z } from 'zod';
import { enqueue } from '../../../adapters/queue/enqueue.js';
import { inTransaction } from '../../../adapters/db/transaction.js';
import { can, type Actor } from '../../../domain/policies.js';
import { DomainError, ForbiddenError, ValidationError } from '../../../domain/errors.js';
import { recordType } from '../../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../../domain/records/fields.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { openEvidenceContent, type EvidenceDeps } from '../../evidence/evidence.usecases.js';
import { checkNewRecord, createRecord, parseBody, type RecordsDeps } from '../../records/records.usecases.js';
import { listTerms } from '../../vocabularies/vocabularies.repository.js';
import { convertRow, mappableFields, problemsOf, resolveMapping, VocabIndex, type ResolvedMapping, type RowProblem } from './convert.js';
import { DELIMITERS, ENCODINGS, ListReadError, openList, type ListForm, type ListLimits } from './read.js';

/**
 * Importing a list (CSV or XLSX) of records of one type: the list is an evidence item first (its
 * custody began when it was taken in); it is read back from the encrypted store into memory only.
 * Preview (synchronous), then a job that validates every row exactly as `createRecord` would and,
 * unless it is a dry run, writes all rows in one transaction or nothing (`all-or-nothing`), or every
 * valid row (`valid-only`). Rows already imported from the same item with the same mapping are
 * skipped (table `import_rows`).
 */

declare module '../../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    /** Validate (dry run) or import a list; the report is the job's result. */
    'imports.list': ListImportPayload;
  }
}

export type ListImportDeps = RecordsDeps & EvidenceDeps & { limits?: Partial<ListLimits> };

/** Largest list taken (bytes): it is held in memory while it is read. */
export const MAX_LIST_BYTES = 256 * 1024 * 1024;
/** Problems listed in a report; the total is always given. */
export const MAX_LISTED_PROBLEMS = 1000;
/** Rows previewed. */
export const PREVIEW_ROWS = 20;
/** Rows written per transaction in `valid-only` mode. */
const CHUNK = 200;

export const IMPORT_MODES = ['all-or-nothing', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

const delimiter = z
  .enum([...DELIMITERS, 'comma', 'semicolon', 'tab', 'pipe'])
  .transform((d) => ({ comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as Record<string, (typeof DELIMITERS)[number]>)[d] ?? (d as (typeof DELIMITERS)[number]))
  .describe('Force a delimiter: , ; tab | (or comma, semicolon, tab, pipe); default: detected');

export const listReadSchema = z
  .object({
    itemId: z.uuid({ message: 'must be an evidence item id (UUID)' }).describe('The list, taken in as an evidence item'),
    encoding: z.enum(ENCODINGS).optional().describe('Force an encoding; default: detected (byte order mark, else valid UTF-8, else Windows-1251)'),
    delimiter: delimiter.optional(),
    sheet: z.string().min(1).max(200).optional().describe('XLSX: the sheet by name; default: the first'),
  })
  .strict();

export const listImportSchema = listReadSchema
  .extend({
    type: z.enum(RECORD_TYPE_NAMES).describe('The record type every row becomes'),
    compartment: z.uuid().describe('The compartment the records go into'),
    mapping: z
      .record(z.string().min(1).max(500), z.string().min(1).max(100))
      .describe('Column (its header, or #N for the Nth) → field (`identity.familyName` for parts of a person’s identity)'),
    fixed: z.record(z.string().min(1).max(100), z.string().max(1000)).optional().describe('Field → one value for every row (converted like a cell)'),
    mode: z.enum(IMPORT_MODES).default('all-or-nothing').describe('all-or-nothing: every row in one transaction, or nothing if any row is wrong; valid-only: the valid rows'),
    dryRun: z.boolean().default(false).describe('Validate every row and report; write nothing'),
  })
  .strict();

export type ListImportRequest = z.infer<typeof listImportSchema>;
export type ListImportPayload = Omit<ListImportRequest, 'delimiter'> & { delimiter?: (typeof DELIMITERS)[number]; requestedBy: string };

/** The decrypted bytes of a list the actor may open (audited as a download of the item). */
async function readListBytes(deps: ListImportDeps, actor: Actor, itemId: string): Promise<Buffer> {
  const { item, stream } = await openEvidenceContent(deps, actor, itemId);
  if (item.size > MAX_LIST_BYTES) {
    stream.destroy();
    throw new ListReadError(`the item is ${Math.ceil(item.size / 1024 / 1024)} MB; lists up to ${MAX_LIST_BYTES / 1024 / 1024} MB are taken: split it`);
  }
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface ListPreview {
  form: ListForm;
  header: string[];
  rows: { row: number; cells: string[] }[];
}

/**
 * How a list reads: encoding, delimiter (or sheets), the header and the first 20 rows as text.
 * Writes nothing but the audit event of opening the item.
 *
 * @example await previewList(deps, actor, { itemId, encoding: 'windows-1251' })
 */
export async function previewList(deps: ListImportDeps, actor: Actor, input: unknown): Promise<ListPreview> {
  const opts = parseBody(listReadSchema, input);
  const bytes = await readListBytes(deps, actor, opts.itemId);
  const list = await openList(bytes, { ...opts, stopAfter: PREVIEW_ROWS, limits: deps.limits });
  const rows: ListPreview['rows'] = [];
  for await (const r of list.rows) rows.push(r);
  return { form: list.form, header: list.header, rows };
}

/** The fields a mapping may name for a record type. */
export function listTargets(type: RecordTypeName): string[] {
  return mappableFields(recordType(type));
}

/** Refuses early what the job would refuse: no right to create records in the compartment. */
async function authorizeImport(deps: ListImportDeps, actor: Actor, compartment: string): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  if (can(subject, 'record.create', { compartmentId: compartment })) return;
  if (can(subject, 'record.read', { compartmentId: compartment })) throw new ForbiddenError('your role in that compartment does not let you create records');
  throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${compartment}` }]);
}

/**
 * Queues a dry run or an import of a list; the mapping is checked against the list's header first
 * (422 at once for a column or field that does not exist). The job's result is the report.
 */
export async function requestListImport(deps: ListImportDeps, actor: Actor, input: unknown): Promise<{ jobId: string; created: boolean }> {
  const req = parseBody(listImportSchema, input);
  await authorizeImport(deps, actor, req.compartment);
  const bytes = await readListBytes(deps, actor, req.itemId);
  const list = await openList(bytes, { encoding: req.encoding, delimiter: req.delimiter, sheet: req.sheet, stopAfter: 0, limits: deps.limits });
  for await (const _ of list.rows);
  resolveMapping(recordType(req.type), list.header, req.mapping, req.fixed);
  const payload: ListImportPayload = { ...req, requestedBy: actor.userId };
  const key = `imports.list:${req.itemId}:${mappingHash(req, list.form)}:${req.dryRun ? 'dry' : req.mode}`;
  return inTransaction(deps.db, async (trx) => {
    const job = await enqueue(trx, 'imports.list', payload, { compartmentId: req.compartment, dedupeKey: key, maxAttempts: 1 });
    await deps.audit(trx, {
      action: req.dryRun ? 'import.list-dry-run' : 'import.list',
      actorId: actor.userId,
      targetType: 'evidence',
      targetId: req.itemId,
      details: { jobId: job.id, type: req.type, compartment: req.compartment, mode: req.mode },
    });
    return { jobId: job.id, created: job.created };
  });
}

/** What an import (or its dry run) did, row by row in `problems` (at most 1,000 listed). */
export interface ListImportReport extends Record<string, unknown> {
  itemId: string;
  type: RecordTypeName;
  compartment: string;
  mode: ImportMode;
  dryRun: boolean;
  form: ListForm;
  /** Data rows in the list. */
  rows: number;
  /** Rows that would be (dry run) or were written. */
  valid: number;
  /** Rows with at least one problem. */
  invalid: number;
  /** Rows this item and mapping already imported: skipped. */
  alreadyImported: number;
  /** Records written by this run. */
  written: number;
  /** Why nothing was written, when rows were valid but nothing was (all-or-nothing). */
  notWritten: string | null;
  /** `notWritten` as a code for the web: rows with problems (all or nothing), or the row whose writing failed (`row`). */
  notWrittenCode?: 'rows-have-problems' | 'row-not-written';
  notWrittenParams?: { row: number };
  problems: RowProblem[];
  problemsTotal: number;
  /** Row → record id of the records written (the first 1,000). */
  records: { row: number; id: string }[];
}

/** One hash of what decides which records rows become: type, compartment, mapping and how the file is read. */
export function mappingHash(req: Pick<ListImportRequest, 'type' | 'compartment' | 'mapping' | 'fixed' | 'sheet'>, form: ListForm): string {
  const sorted = (o: Record<string, string> | undefined) => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([req.type, req.compartment, sorted(req.mapping), sorted(req.fixed), form.format, form.encoding, form.delimiter, form.sheet]);
  return createHash('sha256').update(canonical).digest('hex');
}

async function vocabulariesOf(deps: ListImportDeps, mapping: ResolvedMapping): Promise<Map<string, VocabIndex>> {
  const out = new Map<string, VocabIndex>();
  for (const t of [...mapping.columns.map((c) => c.target), ...mapping.fixed.map((f) => f.target)]) {
    const f = t.def;
    if ((f.kind === 'vocab' || f.kind === 'vocabList') && !out.has(f.vocabulary)) out.set(f.vocabulary, new VocabIndex(await listTerms(deps.db, f.vocabulary)));
  }
  return out;
}

export interface RunOptions {
  /** Called with rows done (validated, then written) out of a total. */
  onProgress?: (phase: 'validating' | 'writing', done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs a dry run or an import as `actor`: the same code for the job and the CLI.
 *
 * @example await runListImport(deps, actor, { itemId, type: 'persons', compartment, mapping: { 'Псеўданім': 'pseudonym' }, mode: 'valid-only', dryRun: false })
 */
export async function runListImport(deps: ListImportDeps, actor: Actor, input: unknown, opts: RunOptions = {}): Promise<ListImportReport> {
  const req = parseBody(listImportSchema, input);
  await authorizeImport(deps, actor, req.compartment);
  const def = recordType(req.type);
  const bytes = await readListBytes(deps, actor, req.itemId);
  const list = await openList(bytes, { encoding: req.encoding, delimiter: req.delimiter, sheet: req.sheet, limits: deps.limits });
  const mapping = resolveMapping(def, list.header, req.mapping, req.fixed);
  const vocabs = await vocabulariesOf(deps, mapping);
  const hash = mappingHash(req, list.form);
  const done = new Set(
    (await deps.db.selectFrom('import_rows').select('row').where('item_id', '=', req.itemId).where('mapping_hash', '=', hash).execute()).map((r) => Number(r.row)),
  );
  const report: ListImportReport = {
    itemId: req.itemId,
    type: req.type,
    compartment: req.compartment,
    mode: req.mode,
    dryRun: req.dryRun,
    form: list.form,
    rows: 0,
    valid: 0,
    invalid: 0,
    alreadyImported: 0,
    written: 0,
    notWritten: null,
    problems: [],
    problemsTotal: 0,
    records: [],
  };
  const note = (ps: RowProblem[]) => {
    report.problemsTotal += ps.length;
    for (const p of ps) if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(p);
  };
  const estimated = Math.max(1, Math.round(bytes.length / 80));

  // 1. every row validated as createRecord would, nothing written
  const valid: { row: number; input: Record<string, unknown> }[] = [];
  for await (const { row, cells } of list.rows) {
    opts.signal?.throwIfAborted();
    report.rows++;
    if (done.has(row)) {
      report.alreadyImported++;
      continue;
    }
    const converted = convertRow(mapping, row, cells, vocabs);
    if (converted.problems.length) {
      report.invalid++;
      note(converted.problems);
      continue;
    }
    const body = { ...converted.input, compartment: req.compartment };
    try {
      await checkNewRecord(deps, actor, req.type, body);
      valid.push({ row, input: body });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      report.invalid++;
      note(problemsOf(mapping, row, e.problems));
    }
    if (report.rows % 100 === 0) opts.onProgress?.('validating', report.rows, Math.max(estimated, report.rows));
  }
  report.valid = valid.length;
  opts.onProgress?.('validating', report.rows, report.rows);
  if (req.dryRun) return report;
  if (req.mode === 'all-or-nothing' && report.invalid > 0) {
    report.notWritten = `${report.invalid} row(s) have problems: nothing was written. Correct them, or import with mode valid-only to take the ${report.valid} valid row(s).`;
    report.notWrittenCode = 'rows-have-problems';
    return report;
  }

  // 2. the writing: one transaction for all, or chunks (a chunk that fails is redone row by row)
  const at = () => new Date().toISOString();
  const writeRow = async (trx: RecordsDeps['db'], v: { row: number; input: Record<string, unknown> }) => {
    const record = await createRecord({ ...deps, db: trx }, actor, req.type, v.input);
    await trx.insertInto('import_rows').values({ item_id: req.itemId, row: v.row, mapping_hash: hash, record_type: req.type, record_id: record.id, created_at: at() }).execute();
    return record.id;
  };
  const written: { row: number; id: string }[] = [];
  const progress = () => opts.onProgress?.('writing', written.length, valid.length);
  if (req.mode === 'all-or-nothing') {
    try {
      await inTransaction(deps.db, async (trx) => {
        for (const v of valid) {
          opts.signal?.throwIfAborted();
          written.push({ row: v.row, id: await writeRow(trx, v) });
          if (written.length % 100 === 0) progress();
        }
      });
    } catch (e) {
      const failed = valid[written.length];
      written.length = 0;
      if (!(e instanceof DomainError) || !failed) throw e;
      report.invalid++;
      report.valid--;
      note(e instanceof ValidationError ? problemsOf(mapping, failed.row, e.problems) : [{ row: failed.row, column: null, field: null, reason: e.message }]);
      report.notWritten = `row ${failed.row} could not be written: nothing was written (all or nothing)`;
      report.notWrittenCode = 'row-not-written';
      report.notWrittenParams = { row: failed.row };
    }
  } else {
    for (let i = 0; i < valid.length; i += CHUNK) {
      opts.signal?.throwIfAborted();
      const chunk = valid.slice(i, i + CHUNK);
      const ids: { row: number; id: string }[] = [];
      try {
        await inTransaction(deps.db, async (trx) => {
          for (const v of chunk) ids.push({ row: v.row, id: await writeRow(trx, v) });
        });
        written.push(...ids);
      } catch {
        for (const v of chunk) {
          try {
            written.push({ row: v.row, id: await inTransaction(deps.db, (trx) => writeRow(trx, v)) });
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            report.invalid++;
            report.valid--;
            note(e instanceof ValidationError ? problemsOf(mapping, v.row, e.problems) : [{ row: v.row, column: null, field: null, reason: e.message }]);
          }
        }
      }
      progress();
    }
  }
  report.written = written.length;
  report.records = written.slice(0, MAX_LISTED_PROBLEMS);
  await deps.audit(deps.db, {
    action: 'import.list-written',
    actorId: actor.userId,
    targetType: 'evidence',
    targetId: req.itemId,
    details: { type: req.type, compartment: req.compartment, mode: req.mode, written: report.written, invalid: report.invalid, alreadyImported: report.alreadyImported },
  });
  return report;
}
