import { constants } from 'node:fs';
import { createHash } from 'node:crypto';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Kysely } from 'kysely';
import { DomainError, ForbiddenError, ValidationError } from '../../../domain/errors.js';
import { can, type Actor, type Subject } from '../../../domain/policies.js';
import { recordType } from '../../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../../domain/records/fields.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { ingestEvidence, linkEvidence, type EvidenceDeps } from '../../evidence/evidence.usecases.js';
import { findOriginalBySha } from '../../evidence/evidence.repository.js';
import { findRow } from '../../records/records.repository.js';
import { jsonDeeperThan } from '../telegram/parse.js';
import { looksLikeZip, openList, type ListForm } from '../lists/read.js';
import { parseFuzzyDate } from '../lists/convert.js';

/**
 * Importing a folder of files described by a `metadata.csv` at its root or by per-file JSON
 * sidecars (docs/IMPORTS.md, "Folders with sidecars"). Each file becomes an evidence item through
 * `ingestEvidence` (the same bytes are the same item, with another acquisition), its acquisition
 * carrying the source (encrypted), and in its note the date and place as given and the note; each
 * `type:id` link an evidence link. Idempotent: each acquisition made is recorded in `import_rows`
 * under a key of (compartment, the file's path in the folder, its metadata), so importing the
 * folder again adds nothing. Symbolic links are never followed; paths in metadata.csv that are
 * absolute, climb with "..", or leave the folder are refused per row.
 */

export type FolderImportDeps = EvidenceDeps;

export const METADATA_CSV = 'metadata.csv';
/** The columns of metadata.csv (and keys of a sidecar, less `file`). */
export const METADATA_COLUMNS = ['file', 'source', 'date', 'place', 'note', 'links'] as const;
/** A sidecar larger than this is not read. */
export const MAX_SIDECAR_BYTES = 64 * 1024;
/** A sidecar nested deeper than this is not parsed (a flat object is depth 1; `links` as an array 2). */
export const MAX_SIDECAR_DEPTH = 4;
/** metadata.csv larger than this refuses the import. */
export const MAX_METADATA_CSV_BYTES = 64 * 1024 * 1024;
export const MAX_LISTED_PROBLEMS = 1000;
/** `mapping_hash` prefix of this importer's rows in import_rows (row 0, record_type below). */
const KEY_PREFIX = 'folder:';
const KEY_RECORD_TYPE = 'evidence-acquisitions';

export interface Problem {
  where: string;
  reason: string;
}

export interface FolderImportReport {
  dryRun: boolean;
  /** Where the metadata came from. */
  metadata: { csv: boolean; sidecars: number; form: ListForm | null };
  files: {
    /** Regular files found (metadata.csv and sidecars not counted). */
    seen: number;
    /** Files taken in, each with a new acquisition (in a dry run: that would be). */
    taken: number;
    /** Of those, items new to the compartment. */
    newItems: number;
    /** Of those, items already held (same bytes): an acquisition was added. */
    alreadyHeld: number;
    /** Files this import had taken already: nothing added. */
    alreadyImported: number;
    /** Taken without any metadata (no row, no sidecar). */
    withoutMetadata: number;
    notTaken: number;
  };
  links: { added: number; alreadyThere: number };
  problems: Problem[];
  problemsTotal: number;
}

export interface FolderImportOptions {
  dir: string;
  /** Id of the compartment the files go to. */
  compartment: string;
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  signal?: AbortSignal;
}

/** A folder refused whole: nothing was written. */
export class FolderImportRefused extends DomainError {
  readonly status = 422;
  readonly title = 'Folder refused';
}

/** What one file's metadata says, as given (strings). */
interface RawMeta {
  source?: string;
  date?: string;
  place?: string;
  note?: string;
  links?: string[];
  /** Where it came from, for problems: "metadata.csv row 4" or the sidecar's path. */
  from: string;
  /** The sidecar could not be read (reported): the file is not taken. */
  broken?: boolean;
}

/** One file's metadata checked: what goes into the acquisition and the links. */
interface Meta {
  source?: string;
  note?: string;
  links: { type: RecordTypeName; id: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Why a path from metadata.csv may not be opened, or null for a plain relative path inside the
 * folder. Backslashes count as separators (lists made on Windows).
 *
 * @example pathProblem('../secret.txt') // → 'the path climbs out of the folder (".."): refused'
 */
export function pathProblem(path: string): string | null {
  if (!path.trim()) return 'the path is empty';
  if (path.includes('\0')) return 'the path contains a NUL byte: refused';
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return 'the path is absolute: paths are relative to the folder; refused';
  if (p.split('/').some((s) => s === '..')) return 'the path climbs out of the folder (".."): refused';
  return null;
}

/** A relative path in one spelling: "/" separators, no empty or "." segments. */
const normal = (p: string) =>
  p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s && s !== '.')
    .join('/');

/**
 * Imports (or, with `dryRun`, checks) the folder `opts.dir` into a compartment, as `actor`.
 *
 * @example const report = await importFolder(deps, actor, { dir: '/media/usb/фота', compartment })
 */
export async function importFolder(deps: FolderImportDeps, actor: Actor, opts: FolderImportOptions): Promise<FolderImportReport> {
  const subject = await subjectOf(deps.db, actor);
  const where = { compartmentId: opts.compartment };
  if (!can(subject, 'evidence.ingest', where) || !can(subject, 'evidence.link', where))
    throw new ForbiddenError('your role in that compartment does not let you add evidence and link it: a folder import needs both');
  const dir = resolve(opts.dir);
  const top = await lstat(dir).catch(() => null);
  if (!top) throw new FolderImportRefused(`${dir} does not exist`);
  if (top.isSymbolicLink()) throw new FolderImportRefused(`${dir} is a symbolic link: give the folder itself (links are never followed)`);
  if (!top.isDirectory()) throw new FolderImportRefused(`${dir} is not a folder`);
  // without this, a linked metadata.csv would be skipped as a link and every file taken without its metadata
  const csvStat = await lstat(join(dir, METADATA_CSV)).catch(() => null);
  if (csvStat && !csvStat.isFile()) throw new FolderImportRefused(`${METADATA_CSV} is ${csvStat.isSymbolicLink() ? 'a symbolic link (links are never followed)' : 'not a regular file'}: nothing was imported`);

  const report: FolderImportReport = {
    dryRun: Boolean(opts.dryRun),
    metadata: { csv: false, sidecars: 0, form: null },
    files: { seen: 0, taken: 0, newItems: 0, alreadyHeld: 0, alreadyImported: 0, withoutMetadata: 0, notTaken: 0 },
    links: { added: 0, alreadyThere: 0 },
    problems: [],
    problemsTotal: 0,
  };
  const problem = (p: Problem) => {
    report.problemsTotal++;
    if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(p);
  };

  // every regular file, by its normal relative path; symbolic links and others reported, never followed
  const found = new Map<string, { path: string; size: number }>();
  async function walk(abs: string): Promise<void> {
    for (const name of (await readdir(abs)).sort()) {
      const p = join(abs, name);
      const rel = relative(dir, p).split(sep).join('/');
      const st = await lstat(p);
      if (st.isSymbolicLink()) problem({ where: rel, reason: 'symbolic link: not followed, not taken' });
      else if (st.isDirectory()) await walk(p);
      else if (st.isFile()) found.set(rel, { path: p, size: st.size });
      else problem({ where: rel, reason: 'not a regular file: not taken' });
    }
  }
  await walk(dir);

  const metas = new Map<string, RawMeta>();
  const csv = found.get(METADATA_CSV);
  if (csv) {
    found.delete(METADATA_CSV);
    report.metadata.csv = true;
    report.metadata.form = await readMetadataCsv(csv.path, csv.size, dir, found, metas, problem);
  }
  report.metadata.sidecars = await readSidecars(found, metas, problem);

  const total = found.size;
  let done = 0;
  for (const [rel, f] of found) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('the import was stopped');
    report.files.seen++;
    try {
      await importOne(deps, subject, opts, rel, f, metas.get(rel), report, problem);
    } catch (e) {
      if (!(e instanceof DomainError) && !(e as NodeJS.ErrnoException).code) throw e;
      report.files.notTaken++;
      problem({ where: rel, reason: e instanceof ValidationError ? e.problems.map((p) => p.message).join('; ') : (e as Error).message });
    }
    done++;
    await opts.onProgress?.(done, total);
  }
  return report;
}

/**
 * Reads metadata.csv into `metas` (by the file's normal path), reporting rows that cannot be used.
 * Encoding, delimiter and limits are the lists importer's (lists/read.ts).
 */
async function readMetadataCsv(
  path: string,
  size: number,
  dir: string,
  found: Map<string, unknown>,
  metas: Map<string, RawMeta>,
  problem: (p: Problem) => void,
): Promise<ListForm> {
  if (size > MAX_METADATA_CSV_BYTES) throw new FolderImportRefused(`metadata.csv has ${size} bytes, more than the ${MAX_METADATA_CSV_BYTES} taken`);
  const bytes = await readNoFollow(path);
  if (looksLikeZip(bytes)) throw new FolderImportRefused('metadata.csv is a ZIP (an XLSX?): save it as CSV');
  let list;
  try {
    list = await openList(bytes);
  } catch (e) {
    throw new FolderImportRefused(`metadata.csv cannot be read: ${(e as Error).message}`);
  }
  const header = list.header.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('file') < 0) throw new FolderImportRefused(`metadata.csv has no "file" column: its first row must name the columns (${METADATA_COLUMNS.join(', ')})`);
  for (const [i, h] of header.entries())
    if (h && !(METADATA_COLUMNS as readonly string[]).includes(h)) problem({ where: `${METADATA_CSV} column ${i + 1}`, reason: `the column "${list.header[i]}" is not read (the columns are ${METADATA_COLUMNS.join(', ')})` });
  const firstRow = new Map<string, number>();
  try {
    for await (const { row, cells } of list.rows) {
      const where = `${METADATA_CSV} row ${row}`;
      const cell = (name: string) => {
        const i = col(name);
        const v = i >= 0 ? cells[i]?.trim() : undefined;
        return v ? v : undefined;
      };
      const file = cell('file');
      if (!file) {
        problem({ where, reason: 'the "file" cell is empty' });
        continue;
      }
      const bad = pathProblem(file);
      if (bad) {
        problem({ where, reason: bad });
        continue;
      }
      const rel = normal(file);
      const abs = resolve(dir, rel);
      if (!abs.startsWith(dir + sep)) {
        problem({ where, reason: 'the path resolves outside the folder: refused' });
        continue;
      }
      if (!found.has(rel)) {
        problem({ where, reason: (await throughLink(dir, rel)) ? 'the path is, or passes through, a symbolic link: not followed' : 'no such file in the folder' });
        continue;
      }
      const earlier = firstRow.get(rel);
      if (earlier !== undefined) {
        problem({ where, reason: `the file is described by row ${earlier} already: this row is not read` });
        continue;
      }
      firstRow.set(rel, row);
      const links = cell('links');
      metas.set(rel, { source: cell('source'), date: cell('date'), place: cell('place'), note: cell('note'), links: links ? splitLinks(links) : undefined, from: where });
    }
  } catch (e) {
    throw new FolderImportRefused(`metadata.csv cannot be read: ${(e as Error).message}`);
  }
  return list.form;
}

/** Whether some segment of `rel` under `dir` is a symbolic link. */
async function throughLink(dir: string, rel: string): Promise<boolean> {
  let at = dir;
  for (const seg of rel.split('/')) {
    at = join(at, seg);
    const st = await lstat(at).catch(() => null);
    if (!st) return false;
    if (st.isSymbolicLink()) return true;
  }
  return false;
}

const splitLinks = (s: string) =>
  s
    .split(/[|\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Finds the JSON sidecars among the files: for `a/photo.jpg`, `a/photo.jpg.json` (first) or
 * `a/photo.json` (which serves every `a/photo.*` without a `.ext.json` of its own). Sidecars are
 * taken out of `found` (they are not evidence themselves); a file already described by a row of
 * metadata.csv keeps the row, and its sidecar is reported as not read. Returns how many were read.
 */
async function readSidecars(found: Map<string, { path: string; size: number }>, metas: Map<string, RawMeta>, problem: (p: Problem) => void): Promise<number> {
  const sidecarOf = new Map<string, string>();
  for (const rel of found.keys()) {
    if (rel.toLowerCase().endsWith('.json') && found.has(rel.slice(0, -5))) continue; // x.json.json's subject is x.json
    const full = `${rel}.json`;
    if (found.has(full)) sidecarOf.set(rel, full);
    else {
      const slash = rel.lastIndexOf('/');
      const dot = rel.lastIndexOf('.');
      if (dot > slash + 1) {
        const stem = `${rel.slice(0, dot)}.json`;
        if (stem !== rel && found.has(stem)) sidecarOf.set(rel, stem);
      }
    }
  }
  const sidecars = new Set(sidecarOf.values());
  // a sidecar is never itself a described file (x.json beside x.jpg is not x.json's own evidence)
  for (const s of sidecars) sidecarOf.delete(s);
  const parsed = new Map<string, RawMeta | null>();
  for (const s of sidecars) parsed.set(s, await readSidecar(s, found.get(s)!, problem));
  for (const [rel, s] of sidecarOf) {
    const meta = parsed.get(s);
    if (metas.has(rel)) {
      problem({ where: s, reason: `not read: ${metas.get(rel)!.from} describes the file` });
      continue;
    }
    if (meta) metas.set(rel, meta);
    else metas.set(rel, { from: s, broken: true });
  }
  for (const s of sidecars) found.delete(s);
  return [...parsed.values()].filter(Boolean).length;
}

/** One sidecar, or null (reported) when it is too big, nested too deep, not JSON, or not of the expected shape. */
async function readSidecar(rel: string, f: { path: string; size: number }, problem: (p: Problem) => void): Promise<RawMeta | null> {
  if (f.size > MAX_SIDECAR_BYTES) {
    problem({ where: rel, reason: `sidecar of ${f.size} bytes, more than the ${MAX_SIDECAR_BYTES} read: not read` });
    return null;
  }
  const text = (await readNoFollow(f.path)).toString('utf8').replace(/^\uFEFF/, '');
  if (jsonDeeperThan(text, MAX_SIDECAR_DEPTH)) {
    problem({ where: rel, reason: `sidecar nested more than ${MAX_SIDECAR_DEPTH} levels deep: not read` });
    return null;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    problem({ where: rel, reason: 'sidecar is not JSON: not read' });
    return null;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problem({ where: rel, reason: 'sidecar is not a JSON object ({ "source": …, "date": … }): not read' });
    return null;
  }
  const o = v as Record<string, unknown>;
  const meta: RawMeta = { from: rel };
  for (const [k, val] of Object.entries(o)) {
    if (k === 'links') {
      if (typeof val === 'string') meta.links = splitLinks(val);
      else if (Array.isArray(val) && val.every((x) => typeof x === 'string')) meta.links = val.map((x) => x.trim()).filter(Boolean);
      else {
        problem({ where: rel, reason: '"links" must be a string ("acts:…|persons:…") or an array of strings: not read' });
        return null;
      }
    } else if (k === 'source' || k === 'date' || k === 'place' || k === 'note') {
      if (val === null || val === undefined) continue;
      if (typeof val !== 'string' && typeof val !== 'number') {
        problem({ where: rel, reason: `"${k}" must be text: not read` });
        return null;
      }
      const s = String(val).trim();
      if (s) meta[k] = s;
    } else problem({ where: rel, reason: `the key "${k}" is not read (the keys are source, date, place, note, links)` });
  }
  return meta;
}

/**
 * Checks one file's metadata: the date, the place, every link (its type, and a record the subject
 * may read). Throws a ValidationError listing every problem (the file is then not taken).
 */
async function checkMeta(db: Kysely<any>, subject: Subject, raw: RawMeta): Promise<Meta> {
  const problems: string[] = [];
  const noteLines: string[] = [];
  const links: Meta['links'] = [];
  if (raw.broken) throw new ValidationError([{ field: 'sidecar', message: 'its sidecar could not be read (see its own line); the file is not taken' }]);
  if (raw.date) {
    const d = parseFuzzyDate(raw.date);
    if (typeof d === 'string') problems.push(`date "${raw.date.slice(0, 40)}": ${d}`);
    else noteLines.push(`Date: ${d.value}${d.precision === 'estimate' ? ' (estimate)' : ''} (as given: ${raw.date.slice(0, 100)})`);
  }
  if (raw.place) {
    const m = /^(?:places:)?([0-9a-f-]{36})$/i.exec(raw.place);
    if (m && UUID.test(m[1]!)) links.push({ type: 'places', id: m[1]!.toLowerCase() });
    else noteLines.push(`Place: ${raw.place.slice(0, 1000)}`);
  }
  for (const l of raw.links ?? []) {
    const m = /^([a-z-]+):(.+)$/.exec(l);
    if (!m) {
      problems.push(`link "${l.slice(0, 80)}": write type:id, e.g. acts:0190…`);
      continue;
    }
    if (!(RECORD_TYPE_NAMES as readonly string[]).includes(m[1]!)) {
      problems.push(`link "${l.slice(0, 80)}": "${m[1]}" is not a record type (${RECORD_TYPE_NAMES.join(', ')})`);
      continue;
    }
    const id = m[2]!.trim();
    if (!UUID.test(id)) {
      problems.push(`link "${l.slice(0, 80)}": "${id.slice(0, 40)}" is not a record id`);
      continue;
    }
    links.push({ type: m[1] as RecordTypeName, id: id.toLowerCase() });
  }
  for (const l of links) {
    const def = recordType(l.type);
    const row = await findRow(db, def, l.id);
    // an unknown record and one the account may not read are said the same way
    if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id as string })) problems.push(`${l.type}:${l.id}: no ${def.singular} has id ${l.id}`);
  }
  if (problems.length) throw new ValidationError(problems.map((message) => ({ field: raw.from, message: `${message}${raw.from.startsWith(METADATA_CSV) ? ` (${raw.from})` : ''}; the file is not taken` })));
  if (raw.note) noteLines.push(raw.note.slice(0, 8000));
  return { source: raw.source?.slice(0, 2000), note: noteLines.length ? noteLines.join('\n') : undefined, links: [...new Map(links.map((l) => [`${l.type}:${l.id}`, l])).values()] };
}

/** The idempotency key of one file of an import: compartment, path in the folder, metadata as given. */
function keyOf(compartment: string, rel: string, raw: RawMeta | undefined): string {
  const meta = raw ? [raw.source, raw.date, raw.place, raw.note, (raw.links ?? []).join('|')] : null;
  return KEY_PREFIX + createHash('sha256').update(JSON.stringify([compartment, rel, meta])).digest('hex');
}

async function importOne(
  deps: FolderImportDeps,
  subject: Subject,
  opts: FolderImportOptions,
  rel: string,
  f: { path: string; size: number },
  raw: RawMeta | undefined,
  report: FolderImportReport,
  problem: (p: Problem) => void,
): Promise<void> {
  const meta: Meta = raw ? await checkMeta(deps.db, subject, raw) : { links: [] };
  if (deps.maxBytes !== undefined && f.size > deps.maxBytes)
    throw new ValidationError([{ field: 'file', message: `${f.size} bytes, more than the ${deps.maxBytes} this server takes (LETAPIS_MAX_UPLOAD_BYTES)` }]);
  const key = keyOf(opts.compartment, rel, raw);
  const sha256 = await hashNoFollow(f.path);
  const held = await findOriginalBySha(deps.db, opts.compartment, sha256);
  let itemId = held?.id;
  const already = held
    ? await deps.db.selectFrom('import_rows').select('record_id').where('item_id', '=', held.id).where('mapping_hash', '=', key).where('row', '=', 0).executeTakeFirst()
    : undefined;
  if (already) report.files.alreadyImported++;
  else {
    if (!raw) {
      report.files.withoutMetadata++;
      problem({ where: rel, reason: 'no row in metadata.csv and no sidecar: taken without source, date or note' });
    }
    report.files.taken++;
    if (held) report.files.alreadyHeld++;
    else report.files.newItems++;
    if (!opts.dryRun) {
      const r = await ingestEvidence(deps, subject, chunksNoFollow(f.path), {
        compartment: opts.compartment,
        method: 'cli-ingest',
        filename: rel.split('/').at(-1),
        ...(meta.source ? { source: meta.source } : {}),
        note: meta.note ? `Folder import\n${meta.note}` : 'Folder import',
      });
      itemId = r.item.id;
      await deps.db
        .insertInto('import_rows')
        .values({ item_id: r.item.id, row: 0, mapping_hash: key, record_type: KEY_RECORD_TYPE, record_id: r.acquisition.id, created_at: new Date().toISOString() })
        // two imports of the same folder at once: the first key stays (the other run's acquisition is kept too)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  // links: those already there are left (a retry after a failure adds the missing ones)
  for (const l of meta.links) {
    const there = itemId
      ? await deps.db.selectFrom('evidence_links').select('id').where('item_id', '=', itemId).where('target_type', '=', l.type).where('target_id', '=', l.id).executeTakeFirst()
      : undefined;
    if (there) report.links.alreadyThere++;
    else {
      if (!opts.dryRun) await linkEvidence(deps, subject, itemId!, { targetType: l.type, targetId: l.id });
      report.links.added++;
    }
  }
}

async function readNoFollow(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

async function hashNoFollow(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of chunksNoFollow(path)) h.update(chunk);
  return h.digest('hex');
}

/** A file's bytes, opened without following a symbolic link (the walk checked once; this closes the race). */
async function* chunksNoFollow(path: string, chunkBytes = 1024 * 1024): AsyncGenerator<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (!(await fh.stat()).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    const buf = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      yield Buffer.from(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
}
