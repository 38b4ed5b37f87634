import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Kysely } from 'kysely';
import { DomainError, ValidationError } from '../../../domain/errors.js';
import { can, type Subject } from '../../../domain/policies.js';
import { recordType } from '../../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../../domain/records/fields.js';
import { findRow } from '../../records/records.repository.js';
import { jsonDeeperThan } from '../telegram/parse.js';
import { looksLikeZip, openList, type ListForm } from '../lists/read.js';
import { dateReasonCode, parseFuzzyDate } from '../lists/convert.js';
import { coded, type Coded, type CodedFieldProblem, type ProblemCode, type ProblemParams } from '../problem-codes.js';

/**
 * A folder import's metadata (docs/IMPORTS.md, "Folders with sidecars"): metadata.csv at the
 * folder's root, read as the lists importer reads a CSV (encoding, delimiter, limits), and JSON
 * sidecars, read within a size and a depth; then one file's metadata checked (date, place, links to
 * records the account may read). Paths in metadata.csv that are absolute, climb with "..", leave
 * the folder or pass through a symbolic link are refused per row.
 */

export const METADATA_CSV = 'metadata.csv';
/** The columns of metadata.csv (and keys of a sidecar, less `file`). */
export const METADATA_COLUMNS = ['file', 'source', 'date', 'place', 'note', 'links'] as const;
/** A sidecar larger than this is not read. */
export const MAX_SIDECAR_BYTES = 64 * 1024;
/** A sidecar nested deeper than this is not parsed (a flat object is depth 1; `links` as an array 2). */
export const MAX_SIDECAR_DEPTH = 4;
/** metadata.csv larger than this refuses the import. */
export const MAX_METADATA_CSV_BYTES = 64 * 1024 * 1024;

export interface Problem extends Coded {
  where: string;
  reason: string;
}

/** A folder refused whole: nothing was written. */
export class FolderImportRefused extends DomainError {
  readonly status = 422;
  readonly title = 'Folder refused';
}

/** What one file's metadata says, as given (strings). */
export interface RawMeta {
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
export interface Meta {
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
  return pathCheck(path)?.reason ?? null;
}

/** `pathProblem` with its code. */
function pathCheck(path: string): { reason: string; code: ProblemCode } | null {
  if (!path.trim()) return { reason: 'the path is empty', code: 'path-empty' };
  if (path.includes('\0')) return { reason: 'the path contains a NUL byte: refused', code: 'path-nul-byte' };
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return { reason: 'the path is absolute: paths are relative to the folder; refused', code: 'path-absolute' };
  if (p.split('/').some((s) => s === '..')) return { reason: 'the path climbs out of the folder (".."): refused', code: 'path-climbs-out' };
  return null;
}

/** The row of metadata.csv a `from` names ("metadata.csv row 4"), as params; none for a sidecar (its path is a file name). */
const rowOf = (from: string): ProblemParams | undefined => {
  const m = /^metadata\.csv row (\d+)$/.exec(from);
  return m ? { row: Number(m[1]) } : undefined;
};

/** A relative path in one spelling: "/" separators, no empty or "." segments. */
export const normal = (p: string) =>
  p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s && s !== '.')
    .join('/');

/**
 * Reads metadata.csv into `metas` (by the file's normal path), reporting rows that cannot be used.
 * Encoding, delimiter and limits are the lists importer's (lists/read.ts).
 */
export async function readMetadataCsv(
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
    if (h && !(METADATA_COLUMNS as readonly string[]).includes(h)) problem({ where: `${METADATA_CSV} column ${i + 1}`, reason: `the column "${list.header[i]}" is not read (the columns are ${METADATA_COLUMNS.join(', ')})`, ...coded('unknown-column', { column: i + 1 }) });
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
        problem({ where, reason: 'the "file" cell is empty', code: 'file-cell-empty' });
        continue;
      }
      const bad = pathCheck(file);
      if (bad) {
        problem({ where, ...bad });
        continue;
      }
      const rel = normal(file);
      const abs = resolve(dir, rel);
      if (!abs.startsWith(dir + sep)) {
        problem({ where, reason: 'the path resolves outside the folder: refused', code: 'path-outside-folder' });
        continue;
      }
      if (!found.has(rel)) {
        problem({
          where,
          ...((await throughLink(dir, rel))
            ? { reason: 'the path is, or passes through, a symbolic link: not followed', code: 'path-through-link' as const }
            : { reason: 'no such file in the folder', code: 'no-such-file' as const }),
        });
        continue;
      }
      const earlier = firstRow.get(rel);
      if (earlier !== undefined) {
        problem({ where, reason: `the file is described by row ${earlier} already: this row is not read`, ...coded('described-twice', { row: earlier }) });
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
export async function readSidecars(found: Map<string, { path: string; size: number }>, metas: Map<string, RawMeta>, problem: (p: Problem) => void): Promise<number> {
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
      problem({ where: s, reason: `not read: ${metas.get(rel)!.from} describes the file`, ...coded('sidecar-not-read-row-describes', rowOf(metas.get(rel)!.from)) });
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
    problem({ where: rel, reason: `sidecar of ${f.size} bytes, more than the ${MAX_SIDECAR_BYTES} read: not read`, ...coded('sidecar-too-large', { size: f.size, max: MAX_SIDECAR_BYTES }) });
    return null;
  }
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259): anything else is refused rather than guessed
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(await readNoFollow(f.path));
  } catch {
    problem({ where: rel, reason: 'sidecar is not UTF-8 text (JSON is UTF-8): not read', code: 'sidecar-not-utf8' });
    return null;
  }
  if (jsonDeeperThan(text, MAX_SIDECAR_DEPTH)) {
    problem({ where: rel, reason: `sidecar nested more than ${MAX_SIDECAR_DEPTH} levels deep: not read`, ...coded('sidecar-too-deep', { max: MAX_SIDECAR_DEPTH }) });
    return null;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    problem({ where: rel, reason: 'sidecar is not JSON: not read', code: 'sidecar-not-json' });
    return null;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problem({ where: rel, reason: 'sidecar is not a JSON object ({ "source": …, "date": … }): not read', code: 'sidecar-not-object' });
    return null;
  }
  const o = v as Record<string, unknown>;
  const meta: RawMeta = { from: rel };
  for (const [k, val] of Object.entries(o)) {
    if (k === 'links') {
      if (typeof val === 'string') meta.links = splitLinks(val);
      else if (Array.isArray(val) && val.every((x) => typeof x === 'string')) meta.links = val.map((x) => x.trim()).filter(Boolean);
      else {
        problem({ where: rel, reason: '"links" must be a string ("acts:…|persons:…") or an array of strings: not read', code: 'sidecar-links-malformed' });
        return null;
      }
    } else if (k === 'source' || k === 'date' || k === 'place' || k === 'note') {
      if (val === null || val === undefined) continue;
      if (typeof val !== 'string' && typeof val !== 'number') {
        problem({ where: rel, reason: `"${k}" must be text: not read`, ...coded('sidecar-value-not-text', { key: k }) });
        return null;
      }
      const s = String(val).trim();
      if (s) meta[k] = s;
    } else problem({ where: rel, reason: `the key "${k}" is not read (the keys are source, date, place, note, links)`, code: 'sidecar-unknown-key' });
  }
  return meta;
}

/**
 * Checks one file's metadata: the date, the place, every link (its type, and a record the subject
 * may read). Throws a ValidationError listing every problem (the file is then not taken).
 */
export async function checkMeta(db: Kysely<any>, subject: Subject, raw: RawMeta): Promise<Meta> {
  const problems: ({ message: string } & Coded)[] = [];
  const noteLines: string[] = [];
  const links: Meta['links'] = [];
  if (raw.broken) {
    const broken: CodedFieldProblem = { field: 'sidecar', message: 'its sidecar could not be read (see its own line); the file is not taken', code: 'sidecar-broken' };
    throw new ValidationError([broken]);
  }
  if (raw.date) {
    const d = parseFuzzyDate(raw.date);
    if (typeof d === 'string') problems.push({ message: `date "${raw.date.slice(0, 40)}": ${d}`, code: dateReasonCode(d) });
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
      problems.push({ message: `link "${l.slice(0, 80)}": write type:id, e.g. acts:0190…`, code: 'link-malformed' });
      continue;
    }
    if (!(RECORD_TYPE_NAMES as readonly string[]).includes(m[1]!)) {
      problems.push({ message: `link "${l.slice(0, 80)}": "${m[1]}" is not a record type (${RECORD_TYPE_NAMES.join(', ')})`, code: 'link-unknown-type' });
      continue;
    }
    const id = m[2]!.trim();
    if (!UUID.test(id)) {
      problems.push({ message: `link "${l.slice(0, 80)}": "${id.slice(0, 40)}" is not a record id`, code: 'link-not-a-record-id' });
      continue;
    }
    links.push({ type: m[1] as RecordTypeName, id: id.toLowerCase() });
  }
  for (const l of links) {
    const def = recordType(l.type);
    const row = await findRow(db, def, l.id);
    // an unknown record and one the account may not read are said the same way
    if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id as string })) problems.push({ message: `${l.type}:${l.id}: no ${def.singular} has id ${l.id}`, ...coded('record-not-found', { type: l.type }) });
  }
  if (problems.length)
    throw new ValidationError(
      problems.map(
        (p): CodedFieldProblem => ({
          field: raw.from,
          message: `${p.message}${raw.from.startsWith(METADATA_CSV) ? ` (${raw.from})` : ''}; the file is not taken`,
          ...coded(p.code!, { ...p.params, ...rowOf(raw.from) }),
        }),
      ),
    );
  if (raw.note) noteLines.push(raw.note.slice(0, 8000));
  return { source: raw.source?.slice(0, 2000), note: noteLines.length ? noteLines.join('\n') : undefined, links: [...new Map(links.map((l) => [`${l.type}:${l.id}`, l])).values()] };
}

async function readNoFollow(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}
