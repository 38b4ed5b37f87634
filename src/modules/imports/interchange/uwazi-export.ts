import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { recordType } from '../../../domain/records/catalog.js';
import type { FieldDef, FuzzyDate, RecordTypeName } from '../../../domain/records/fields.js';
import { can, type Actor } from '../../../domain/policies.js';
import { ForbiddenError } from '../../../domain/errors.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import type { RecordsDeps } from '../../records/records.usecases.js';
import type { StoredRecord } from '../../records/records.repository.js';
import { assertReadable, CompartmentRecords } from './store.js';
import { revealPerson } from '../../persons/persons.usecases.js';
import { ATTACHMENTS_COLUMN, attachedFiles, attachmentsCell, authorizeFiles, FILES_DIR, openAttached, type AttachedFile, type ExportDeps } from './attachments.js';
import { columnFields, csvName, csvText, fuzzyDateCell, headerOf, IDENTITY_COLUMNS, identityCells, MULTI, NAME_FIELDS, titleKind } from './uwazi-format.js';

/** The reason each person's reveal is audited with when an export holds identities. */
export const REVEAL_REASON = 'export of the compartment with identities (letapis export uwazi --with-identities)';

/**
 * Export of records of a compartment as Uwazi CSVs: one `<type>.csv` per record type, in a ZIP.
 * The default export holds pseudonyms only: a person's identity and every field kept encrypted
 * (notes, transcripts, medical descriptions) stay out unless `withSensitive` is asked for by an
 * account that may reveal identities in the compartment. Then each person's identity is revealed
 * through the reveal use case, so every person exported is an `identity.reveal` audit event.
 */

export interface UwaziExportOptions {
  compartment: string;
  types: RecordTypeName[];
  /** Also the fields kept encrypted (prose: notes, transcripts, medical descriptions). */
  withSensitive?: boolean;
  /** Also the evidentiary copies of the items linked to the records (`attachments`, `files/…` in the ZIP). */
  withFiles?: boolean;
  onProgress?: (type: RecordTypeName, done: number, total: number) => void;
}

export interface UwaziExport {
  files: { name: string; text: string; rows: number }[];
  /** The files the CSVs name (with `withFiles`), each once, sorted by name. */
  attachments: AttachedFile[];
  /** Linked items left out because the account may not download them. */
  withheld: number;
}

/** Fixed time of every ZIP entry: two exports of the same records are the same bytes. */
const ZIP_TIME = new Date(Date.UTC(2000, 0, 1));

/** A field's value as a cell. */
async function cellOf(store: CompartmentRecords, f: FieldDef, v: unknown): Promise<string> {
  if (v === null || v === undefined) return '';
  switch (f.kind) {
    case 'text':
    case 'date':
    case 'datetime':
    case 'enum':
      return String(v);
    case 'int':
    case 'number':
      return String(v);
    case 'bool':
      return v ? 'true' : 'false';
    case 'vocab':
      return (await store.vocabulary(f.vocabulary)).pathOf(String(v));
    case 'vocabList': {
      const paths = await store.vocabulary(f.vocabulary);
      return (v as string[]).map((c) => paths.pathOf(c)).join(MULTI);
    }
    case 'ref':
      return store.titleOf(f.target, String(v));
    case 'refList':
      return (await Promise.all((v as string[]).map((id) => store.titleOf(f.target, id)))).join(MULTI);
    case 'fuzzyDate':
      return fuzzyDateCell(v as FuzzyDate);
    case 'identity':
      return '';
  }
}

/** The rows of one type's CSV (header first). */
export async function uwaziRows(
  store: CompartmentRecords,
  type: RecordTypeName,
  withSensitive: boolean,
  records?: StoredRecord[],
  reveal?: (personId: string) => Promise<Record<string, unknown> | null>,
  files?: Map<string, AttachedFile[]>,
): Promise<string[][]> {
  const def = recordType(type);
  const t = titleKind(def);
  const fields = columnFields(def, withSensitive);
  const rows = [headerOf(def, withSensitive)];
  const identities = withSensitive && reveal && Object.values(def.fields).some((f) => f.kind === 'identity');
  if (identities) rows[0]!.push(...IDENTITY_COLUMNS.map((c) => c.column));
  if (files) rows[0]!.push(ATTACHMENTS_COLUMN);
  for (const r of records ?? (await store.all(type))) {
    const row = [await store.titleOf(type, r.id)];
    if (t.kind === 'names') for (const f of Object.keys(NAME_FIELDS)) row.push(r[f] == null ? '' : String(r[f]));
    for (const [name, f] of fields) row.push(await cellOf(store, f, r[name]));
    if (identities) row.push(...identityCells(Array.isArray(r.hidden) && r.hidden.includes('identity') ? ((await reveal(r.id)) as never) : null));
    if (files) row.push(attachmentsCell(files.get(r.id)));
    rows.push(row);
  }
  return rows;
}

/** Refuses an export of encrypted fields to an account that may not reveal identities in the compartment. */
export async function authorizeSensitive(deps: RecordsDeps, actor: Actor, compartment: string): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'identity.reveal', { compartmentId: compartment }))
    throw new ForbiddenError('your role in this compartment does not let you reveal identities, so it does not let you export encrypted fields either: export without --with-identities');
}

/**
 * The CSVs of the types asked for, each with its records oldest first.
 *
 * @example const { files } = await exportUwazi(deps, actor, { compartment, types: ['events', 'places'] })
 */
export async function exportUwazi(deps: ExportDeps, actor: Actor, opts: UwaziExportOptions): Promise<UwaziExport> {
  await assertReadable(deps, actor, opts.compartment);
  if (opts.withSensitive) await authorizeSensitive(deps, actor, opts.compartment);
  if (opts.withFiles) await authorizeFiles(deps, actor, opts.compartment);
  const store = new CompartmentRecords(deps, actor, opts.compartment);
  const files: UwaziExport['files'] = [];
  const attachments = new Map<string, AttachedFile>();
  let withheld = 0;
  for (const type of [...new Set(opts.types)]) {
    const records = await store.all(type);
    const reveal = async (id: string) => (await revealPerson(deps, actor, id, REVEAL_REASON)).identity;
    let attached: Map<string, AttachedFile[]> | undefined;
    if (opts.withFiles) {
      const found = await attachedFiles(deps, actor, type, records.map((r) => r.id));
      attached = found.byRecord;
      withheld += found.withheld;
      for (const list of attached.values()) for (const f of list) attachments.set(f.name, f);
    }
    const rows = await uwaziRows(store, type, Boolean(opts.withSensitive), records, reveal, attached);
    opts.onProgress?.(type, records.length, records.length);
    files.push({ name: csvName(type), text: csvText(rows), rows: records.length });
  }
  const sorted = [...attachments.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  await deps.audit?.(deps.db, {
    action: 'interchange.export-uwazi',
    actorId: actor.userId,
    targetType: 'compartment',
    targetId: opts.compartment,
    details: {
      rows: Object.fromEntries(files.map((f) => [f.name, f.rows])),
      withSensitive: Boolean(opts.withSensitive),
      ...(opts.withFiles ? { files: sorted.length, bytes: sorted.reduce((n, f) => n + f.size, 0), withheld } : {}),
    },
  });
  return { files, attachments: sorted, withheld };
}

/**
 * The export as a ZIP, streamed: the CSVs in the order given, then the files under `files/` by
 * name, stored as they are (media is compressed already), every entry with a fixed time:
 * deterministic bytes. `open` gives a file's bytes when the ZIP reaches it.
 */
export function uwaziZip(files: { name: string; text: string }[], attachments: AttachedFile[] = [], open?: (f: AttachedFile) => Promise<Readable>): Readable {
  const z = new yazl.ZipFile();
  for (const f of files) z.addBuffer(Buffer.from(f.text, 'utf8'), f.name, { mtime: ZIP_TIME, mode: 0o100644, compress: true });
  for (const f of attachments) {
    if (!open) throw new Error('uwaziZip: files need a way to open them');
    z.addReadStreamLazy(FILES_DIR + f.name, { mtime: ZIP_TIME, mode: 0o100644, compress: false, size: f.size }, (cb) => {
      open(f).then(
        (s) => cb(null, s),
        (e: Error) => cb(e, undefined as never),
      );
    });
  }
  z.end();
  return z.outputStream as Readable;
}

/** The ZIP of an export with its files read as the account (each file an `evidence.download` audit event). */
export function uwaziZipOf(deps: ExportDeps, actor: Actor, exp: UwaziExport): Readable {
  return uwaziZip(exp.files, exp.attachments, (f) => openAttached(deps, actor, f.itemId));
}

/** The export as a ZIP in memory (entries in the order given, fixed times: deterministic bytes). */
export async function zipOfFiles(files: { name: string; text: string }[], attachments: AttachedFile[] = [], open?: (f: AttachedFile) => Promise<Readable>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of uwaziZip(files, attachments, open)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
