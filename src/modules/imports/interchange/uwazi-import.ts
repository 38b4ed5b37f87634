import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { inTransaction } from '../../../adapters/db/transaction.js';
import { RECORD_TYPES, recordType } from '../../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type FieldDef, type RecordTypeDef, type RecordTypeName } from '../../../domain/records/fields.js';
import { can, type Actor } from '../../../domain/policies.js';
import { DomainError, ForbiddenError, ValidationError } from '../../../domain/errors.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { createRecord, type RecordsDeps } from '../../records/records.usecases.js';
import { convertValue, type RowProblem } from '../lists/convert.js';
import { looksLikeZip, openList, type ListLimits } from '../lists/read.js';
import { CompartmentRecords } from './store.js';
import { fieldColumn, IDENTITY_COLUMNS, MULTI, NAME_FIELDS, parseFuzzyDateCell, takeIdentityCell, titleKind, type IdentityColumn } from './uwazi-format.js';
import { openZip, type ZipArchive, type ZipSource } from './zip-read.js';
import { ATTACHMENTS_COLUMN, attachmentNames, authorizeAttachmentImport, entryOf, takeInAttachment, type ExportDeps } from './attachments.js';

/**
 * Import of Uwazi CSVs (one type per CSV, a ZIP of several) into a compartment, all or nothing:
 * every row of every file is converted first (columns by name to fields, `title__be/ru/en` into the
 * names, `|` lists, `parent::child` terms matched and never created, references by title among the
 * imported rows and then the compartment's records); if any row has a problem nothing is written;
 * otherwise every record is created through the records use case (the API's checks, history,
 * search) in one transaction, which a failing row rolls back whole. A dry run does all of it and
 * rolls back at the end.
 */

export interface UwaziImportOptions {
  compartment: string;
  /** The files: a ZIP's `<type>.csv` entries, or one CSV (whose record type `type` names, else its file name). */
  files: { name: string; bytes: Buffer }[];
  type?: RecordTypeName;
  /** The ZIP the files came from: the files an `attachments` column names are taken from it. */
  archive?: ZipArchive;
  /**
   * The evidence item the file was taken in as: rows it already gave records are skipped (and
   * referred to by those records), as the lists importer does with `import_rows`.
   */
  itemId?: string;
  dryRun?: boolean;
  limits?: Partial<ListLimits>;
  /**
   * Called with the import's transaction when it begins, and null when it ends: an archive read
   * through the database (an encrypted item's data key) reads through it meanwhile (SQLite has one
   * connection, which the transaction holds).
   */
  useTransaction?: (trx: Kysely<any> | null) => void;
  onProgress?: (phase: 'reading' | 'writing', done: number, total: number) => void;
}

export interface InterchangeProblem extends RowProblem {
  file: string;
}

export interface UwaziImportReport extends Record<string, unknown> {
  dryRun: boolean;
  files: { name: string; type: RecordTypeName; rows: number }[];
  /** Records written (or, in a dry run, that would be), by type. */
  written: Partial<Record<RecordTypeName, number>>;
  /** Rows this item already gave records (skipped; references to them go to those records). */
  alreadyImported: number;
  /** Why nothing was written, when nothing was. */
  notWritten: string | null;
  problems: InterchangeProblem[];
  problemsTotal: number;
  /** Files the `attachments` columns name, taken in as evidence and linked (or, in a dry run, that would be). */
  attachments: number;
  /** The records written, in order (the first 1,000). */
  records: { file: string; row: number; type: RecordTypeName; id: string }[];
}

/** The deps of an import: records, and for files the blob store too. */
export type UwaziImportDeps = ExportDeps & { maxBytes?: number };

const MAX_LISTED = 1000;

/** The files of a ZIP, or the one CSV given (in memory: no files; see openInterchange). */
export async function interchangeFiles(name: string, bytes: Buffer): Promise<{ name: string; bytes: Buffer }[]> {
  if (!looksLikeZip(bytes)) return [{ name, bytes }];
  const opened = await openInterchange(bytes);
  opened.archive.close();
  return opened.files;
}

/**
 * A ZIP opened for import: its CSVs read into memory (within the CSV limit), the archive kept open
 * for the files they name. Close the archive when done.
 *
 * @example const { files, archive } = await openInterchange({ path }); try { … } finally { archive.close() }
 */
export async function openInterchange(source: ZipSource): Promise<{ files: { name: string; bytes: Buffer }[]; archive: ZipArchive }> {
  const archive = await openZip(source);
  try {
    const files: { name: string; bytes: Buffer }[] = [];
    for (const name of archive.names) if (name.toLowerCase().endsWith('.csv') && !name.startsWith('files/')) files.push({ name, bytes: await archive.read(name) });
    return { files, archive };
  } catch (e) {
    archive.close();
    throw e;
  }
}

/** A reference waiting for the id of a record this import creates. */
interface Pending {
  pendingRow: number;
}
type Cell = unknown;

interface RowPlan {
  /** The record an earlier import of the same item made of this row. */
  existingId?: string;
  hash: string;
  file: string;
  type: RecordTypeName;
  row: number;
  title: string;
  input: Record<string, Cell>;
  /** Files the row names: its name and the ZIP entry. */
  attachments: { name: string; entry: string }[];
}

/** The type of a file: `events.csv` → events (also in a folder of the ZIP). */
function typeOfFile(name: string, given?: RecordTypeName): RecordTypeName {
  if (given) return given;
  const base = name.split('/').pop()!.replace(/\.csv$/i, '').toLowerCase();
  if ((RECORD_TYPE_NAMES as readonly string[]).includes(base)) return base as RecordTypeName;
  throw new ValidationError([{ field: 'file', message: `"${name}" names no record type: name each CSV after its type (${RECORD_TYPE_NAMES.join(', ')}.csv), or give the type` }]);
}

/** Types in an order where each comes after the types it refers to (among those imported). */
function dependencyOrder(types: RecordTypeName[]): RecordTypeName[] {
  const out: RecordTypeName[] = [];
  const visiting = new Set<RecordTypeName>();
  const visit = (t: RecordTypeName) => {
    if (out.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const f of Object.values(recordType(t).fields)) if ((f.kind === 'ref' || f.kind === 'refList') && f.target !== t && types.includes(f.target)) visit(f.target);
    visiting.delete(t);
    out.push(t);
  };
  for (const t of types) visit(t);
  return out;
}

/** What each column of a header feeds: the title, a name in one language, or a field. */
type Column = { kind: 'title' } | { kind: 'attachments' } | { kind: 'field'; field: string; def: FieldDef } | { kind: 'identity'; field: string; column: IdentityColumn };

function columnsOf(def: RecordTypeDef, header: string[], file: string): Column[] {
  const t = titleKind(def);
  const byColumn = new Map<string, { field: string; def: FieldDef } | { identity: IdentityColumn; field: string }>();
  for (const [name, f] of Object.entries(def.fields)) if (f.kind === 'identity') for (const c of IDENTITY_COLUMNS) byColumn.set(c.column, { identity: c, field: name });
  for (const [name, f] of Object.entries(def.fields)) if (f.kind !== 'identity') byColumn.set(fieldColumn(def, name), { field: name, def: f });
  if (t.kind === 'names') for (const [field, lang] of Object.entries(NAME_FIELDS)) byColumn.set(`title__${lang}`, { field, def: def.fields[field]! });
  const problems: { field: string; message: string }[] = [];
  const out = header.map((h) => {
    const col = h.trim().toLowerCase();
    if (col === 'title') return { kind: 'title' as const };
    if (col === ATTACHMENTS_COLUMN && !byColumn.has(col)) return { kind: 'attachments' as const };
    const hit = byColumn.get(col);
    if (!hit || (t.kind === 'field' && hit.field === t.field)) {
      problems.push({ field: `${file}: ${h}`, message: `no field of ${def.name} is named "${h}"; its columns: title, ${ATTACHMENTS_COLUMN}, ${[...byColumn.keys()].filter((k) => !(t.kind === 'field' && byColumn.get(k)!.field === t.field)).join(', ')}` });
      return { kind: 'title' as const };
    }
    if ('identity' in hit) return { kind: 'identity' as const, field: hit.field, column: hit.identity };
    return { kind: 'field' as const, ...hit };
  });
  if (!header.some((h) => h.trim().toLowerCase() === 'title')) problems.push({ field: `${file}: title`, message: 'the CSV has no "title" column (Uwazi requires one)' });
  if (problems.length) throw new ValidationError(problems, `the CSV "${file}" does not fit ${def.name}: ${problems.map((p) => p.message).join('; ')}`);
  return out;
}

/**
 * Imports Uwazi CSVs into a compartment, all or nothing (see above).
 *
 * @example await importUwazi(deps, actor, { compartment, files: await interchangeFiles('export.zip', bytes) })
 */
export async function importUwazi(deps: UwaziImportDeps, actor: Actor, opts: UwaziImportOptions): Promise<UwaziImportReport> {
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'record.create', { compartmentId: opts.compartment })) {
    if (can(subject, 'record.read', { compartmentId: opts.compartment })) throw new ForbiddenError('your role in that compartment does not let you create records');
    throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${opts.compartment}` }]);
  }
  if (!opts.files.length) throw new ValidationError([{ field: 'file', message: 'no CSV to import (a ZIP must hold <type>.csv files)' }]);
  const store = new CompartmentRecords(deps, actor, opts.compartment);
  const report: UwaziImportReport = { dryRun: Boolean(opts.dryRun), files: [], written: {}, alreadyImported: 0, notWritten: null, problems: [], problemsTotal: 0, attachments: 0, records: [] };
  const note = (p: InterchangeProblem) => {
    report.problemsTotal++;
    if (report.problems.length < MAX_LISTED) report.problems.push(p);
  };

  // 1. read every file (refused whole when it cannot be read or a column names no field)
  const byType = new Map<RecordTypeName, { name: string; header: string[]; rows: { row: number; cells: string[] }[] }>();
  for (const f of opts.files) {
    const type = typeOfFile(f.name, opts.files.length === 1 ? opts.type : undefined);
    if (byType.has(type)) throw new ValidationError([{ field: 'file', message: `two files hold ${type}: "${byType.get(type)!.name}" and "${f.name}"` }]);
    const list = await openList(f.bytes, { limits: opts.limits });
    if (list.form.format !== 'csv') throw new ValidationError([{ field: 'file', message: `"${f.name}" is not a CSV` }]);
    const rows: { row: number; cells: string[] }[] = [];
    for await (const r of list.rows) rows.push(r);
    byType.set(type, { name: f.name, header: list.header, rows });
    report.files.push({ name: f.name, type, rows: rows.length });
  }

  // 2. every row converted; references by title to rows of this import (earlier in order) or records of the compartment
  const plans: RowPlan[] = [];
  const importedTitles = new Map<RecordTypeName, Map<string, number[]>>();
  const existing = new Map<RecordTypeName, Map<string, string[]>>();
  const existingTitles = async (t: RecordTypeName) => {
    let m = existing.get(t);
    if (!m) existing.set(t, (m = await store.titleIndex(t)));
    return m;
  };
  const hashOf = (file: string, type: RecordTypeName) => createHash('sha256').update(JSON.stringify(['uwazi', opts.compartment, file, type])).digest('hex');
  const done = new Map<string, string>();
  if (opts.itemId)
    for (const r of await deps.db.selectFrom('import_rows').select(['mapping_hash', 'row', 'record_id']).where('item_id', '=', opts.itemId).execute())
      done.set(`${r.mapping_hash}:${Number(r.row)}`, String(r.record_id));
  const order = dependencyOrder([...byType.keys()]);
  const total = order.reduce((n, t) => n + byType.get(t)!.rows.length, 0);
  for (const type of order) {
    const def = recordType(type);
    const { name: file, header, rows } = byType.get(type)!;
    const cols = columnsOf(def, header, file);
    const titles = new Map<string, number[]>();
    importedTitles.set(type, titles);
    const hash = hashOf(file, type);
    const titleAt = header.findIndex((h) => h.trim().toLowerCase() === 'title');
    for (const { row, cells } of rows) {
      const existingId = done.get(`${hash}:${row}`);
      if (existingId) {
        const title = cells[titleAt]?.trim() ? cells[titleAt]! : await store.titleOf(type, existingId);
        titles.set(title, [...(titles.get(title) ?? []), plans.length]);
        plans.push({ existingId, hash, file, type, row, title, input: {}, attachments: [] });
        continue;
      }
      const input: Record<string, Cell> = { compartment: opts.compartment };
      const problem = (column: string | null, field: string | null, reason: string, suggestions?: { code: string; label: string }[]) =>
        note({ file, row, column, field, reason, ...(suggestions?.length ? { suggestions } : {}) });
      let title = '';
      const attachments: RowPlan['attachments'] = [];
      const resolve = async (target: RecordTypeName, text: string, column: string, field: string): Promise<Cell | undefined> => {
        const own = importedTitles.get(target)?.get(text);
        if (own && own.length === 1) return { pendingRow: own[0]! } satisfies Pending;
        if (own && own.length > 1) return void problem(column, field, `${own.length} rows of this import are titled alike: the reference is ambiguous (give the records distinct titles)`);
        const ids = (await existingTitles(target)).get(text) ?? [];
        if (ids.length === 1) return ids[0];
        if (ids.length > 1) return void problem(column, field, `${ids.length} ${recordType(target).name} of the compartment have this title: the reference is ambiguous`);
        return void problem(column, field, `no ${recordType(target).singular} of this import (above this row) or of the compartment has this title`);
      };
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i]!;
        const text = cells[i] ?? '';
        if (c.kind === 'title') {
          if (header[i]!.trim().toLowerCase() === 'title') title = text;
          continue;
        }
        if (text.trim() === '') continue;
        const column = header[i]!;
        if (c.kind === 'attachments') {
          const { names, problem: bad } = attachmentNames(text);
          if (bad) problem(column, null, bad);
          for (const name of names) {
            const entry = entryOf(opts.archive, name);
            if (entry) attachments.push({ name, entry });
            else problem(column, null, opts.archive ? `the file "${name.slice(0, 100)}" is not in the ZIP` : 'the row names files, but a lone CSV holds none: import a ZIP with the CSV and the files under files/');
          }
          continue;
        }
        if (c.kind === 'identity') {
          const reason = takeIdentityCell((input[c.field] ??= {}) as Record<string, unknown>, c.column, text);
          if (reason) problem(column, c.field, reason);
          continue;
        }
        const f = c.def;
        if (f.kind === 'text') input[c.field] = text;
        else if (f.kind === 'vocab' || f.kind === 'vocabList') {
          const paths = await store.vocabulary(f.vocabulary);
          const parts = f.kind === 'vocab' ? [text.trim()] : text.split(MULTI).map((s) => s.trim()).filter(Boolean);
          const codes: string[] = [];
          for (const [k, p] of parts.entries()) {
            const r = paths.codeOf(p);
            if ('code' in r) codes.push(r.code);
            else problem(column, c.field, `${parts.length > 1 ? `value ${k + 1} of ${parts.length}` : 'the value'} ${r.reason}`, r.suggestions);
          }
          if (codes.length === parts.length) input[c.field] = f.kind === 'vocab' ? codes[0] : codes;
        } else if (f.kind === 'ref' || f.kind === 'refList') {
          const parts = f.kind === 'ref' ? [text] : text.split(MULTI).filter((s) => s.trim() !== '');
          const values: Cell[] = [];
          for (const p of parts) {
            const v = await resolve(f.target, p, column, c.field);
            if (v !== undefined) values.push(v);
          }
          if (values.length === parts.length) input[c.field] = f.kind === 'ref' ? values[0] : values;
        } else if (f.kind === 'fuzzyDate') {
          const d = parseFuzzyDateCell(text);
          if (typeof d === 'string') problem(column, c.field, d);
          else input[c.field] = d;
        } else if ((f.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text.trim())) || (f.kind === 'datetime' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text.trim()))) {
          input[c.field] = text.trim();
        } else {
          const r = convertValue(f, text);
          if (r.ok) input[c.field] = r.value;
          else problem(column, c.field, r.reason, r.suggestions);
        }
      }
      const t = titleKind(def);
      if (t.kind === 'field' && title.trim() !== '') input[t.field] = title;
      if (t.kind === 'names' && title.trim() === '') title = String(def.labelFields.map((k) => input[k]).find((v) => typeof v === 'string' && v) ?? '');
      titles.set(title, [...(titles.get(title) ?? []), plans.length]);
      plans.push({ hash, file, type, row, title, input, attachments });
      if (plans.length % 100 === 0) opts.onProgress?.('reading', plans.length, total);
    }
  }
  opts.onProgress?.('reading', plans.length, total);
  report.attachments = plans.reduce((n, p) => n + p.attachments.length, 0);
  if (report.attachments > 0) await authorizeAttachmentImport(deps, actor, opts.compartment, Boolean(opts.dryRun));
  if (report.problemsTotal > 0) {
    report.notWritten = `${report.problemsTotal} problem(s) in the rows: nothing was written. Correct them and import again.`;
    return report;
  }

  // 3. all records in one transaction, in order; a failing row rolls everything back
  const ids: string[] = [];
  const newBlobs: string[] = [];
  const takenIn = new Map<string, string>();
  const DRY = Symbol('dry run');
  const fill = (v: Cell): Cell =>
    v && typeof v === 'object' && 'pendingRow' in (v as object) ? ids[(v as Pending).pendingRow] : Array.isArray(v) ? v.map(fill) : v;
  try {
    await inTransaction(deps.db, async (trx) => {
      opts.useTransaction?.(trx);
      for (const p of plans) {
        if (p.existingId) {
          ids.push(p.existingId);
          report.alreadyImported++;
          continue;
        }
        const input = Object.fromEntries(Object.entries(p.input).map(([k, v]) => [k, fill(v)]));
        try {
          const id = (await createRecord({ ...deps, db: trx }, actor, p.type, input)).id;
          ids.push(id);
          if (report.records.length < MAX_LISTED) report.records.push({ file: p.file, row: p.row, type: p.type, id });
          if (!opts.dryRun)
            for (const a of p.attachments) {
              const taken = await takeInAttachment({ ...deps, db: trx }, actor, opts.archive!, a.entry, {
                compartment: opts.compartment,
                itemId: opts.itemId,
                name: a.name,
                type: p.type,
                recordId: id,
                known: takenIn.get(a.entry),
              });
              takenIn.set(a.entry, taken.itemId);
              if (taken.newBlob) newBlobs.push(taken.newBlob);
            }
          if (opts.itemId)
            await trx.insertInto('import_rows').values({ item_id: opts.itemId, row: p.row, mapping_hash: p.hash, record_type: p.type, record_id: id, created_at: new Date().toISOString() }).execute();
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          const problems = e instanceof ValidationError ? e.problems : [{ field: '', message: e.message }];
          for (const q of problems) note({ file: p.file, row: p.row, column: null, field: q.field || null, reason: q.message });
          throw e;
        }
        report.written[p.type] = (report.written[p.type] ?? 0) + 1;
        if (ids.length % 100 === 0) opts.onProgress?.('writing', ids.length, plans.length);
      }
      if (opts.dryRun) throw DRY;
      await deps.audit?.(trx, { action: 'interchange.import-uwazi', actorId: actor.userId, targetType: 'compartment', targetId: opts.compartment, details: { written: report.written, files: report.attachments, itemId: opts.itemId ?? null } });
    });
  } catch (e) {
    opts.useTransaction?.(null);
    // the items the transaction recorded are gone with it: so are their stored bytes
    for (const b of newBlobs) await deps.blobs?.delete(b).catch(() => {});
    if (e === DRY) return report;
    if (!(e instanceof DomainError)) throw e;
    report.records = [];
    report.written = {};
    report.alreadyImported = 0;
    report.notWritten = `a row could not be written: nothing was written (all or nothing)`;
    return report;
  }
  opts.useTransaction?.(null);
  opts.onProgress?.('writing', ids.length, plans.length);
  return report;
}

/** Every record type, for the CLI's help. */
export const INTERCHANGE_TYPES = [...RECORD_TYPES.keys()];
