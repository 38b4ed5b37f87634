import type { Readable } from 'node:stream';
import { can, type Actor } from '../../../domain/policies.js';
import { ForbiddenError } from '../../../domain/errors.js';
import type { RecordTypeName } from '../../../domain/records/fields.js';
import type { BlobStore } from '../../../adapters/blobs/blob-store.port.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { ACQUISITION_TYPE, ingestEvidence, linkEvidence, openEvidenceContent, readSecretTexts, type EvidenceDeps } from '../../evidence/evidence.usecases.js';
import type { RecordsDeps } from '../../records/records.usecases.js';
import { MULTI } from './uwazi-format.js';
import type { ZipArchive } from './zip-read.js';

/**
 * The evidence files of an Uwazi ZIP (Uwazi's `attachments` column, naming entries of the ZIP): on
 * export, the evidentiary copies of the items linked to each record, under `files/` in the ZIP, named by their SHA-256 and
 * the extension of the name they were taken in under (`files/3f0c….jpg`: no one's name travels in
 * a file name, and the same bytes get the same name on every instance); on import, each file a row
 * names is taken in as an evidence item through the ingest use case and linked to the record.
 */

export const ATTACHMENTS_COLUMN = 'attachments';
export const FILES_DIR = 'files/';

export type ExportDeps = RecordsDeps & { blobs?: BlobStore };

export interface AttachedFile {
  /** The file's name; its ZIP entry, and what the `attachments` cell says, is `files/<name>`. */
  name: string;
  itemId: string;
  size: number;
}

/** A file's name in the ZIP: its hash, and the extension it was taken in with (if a plain one). */
export function attachmentName(sha256: string, filename: string | undefined): string {
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(filename ?? '')?.[1];
  return ext ? `${sha256}.${ext.toLowerCase()}` : sha256;
}

/** Refuses `withFiles` to an account that may not download evidence in the compartment. */
export async function authorizeFiles(deps: ExportDeps, actor: Actor, compartment: string): Promise<void> {
  if (!deps.blobs) throw new Error('an export with files needs the blob store');
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'evidence.download', { compartmentId: compartment }))
    throw new ForbiddenError('your role in this compartment does not let you download evidence, so it does not let you export its files either: export without files');
}

/**
 * The files attached to records (originals linked to them, which the actor may download; sorted by
 * name), and how many linked items were left out because the actor may not download them.
 */
export async function attachedFiles(
  deps: ExportDeps,
  actor: Actor,
  type: RecordTypeName,
  recordIds: string[],
): Promise<{ byRecord: Map<string, AttachedFile[]>; withheld: number }> {
  const subject = await subjectOf(deps.db, actor);
  const byRecord = new Map<string, AttachedFile[]>();
  let withheld = 0;
  const rows: { target_id: string; id: string; sha256: string; size: number; compartment_id: string }[] = [];
  for (let i = 0; i < recordIds.length; i += 500) {
    const ids = recordIds.slice(i, i + 500);
    rows.push(
      ...((await deps.db
        .selectFrom('evidence_links as l')
        .innerJoin('evidence_items as i', 'i.id', 'l.item_id')
        .select(['l.target_id', 'i.id', 'i.sha256', 'i.size', 'i.compartment_id'])
        .where('l.target_type', '=', type)
        .where('l.target_id', 'in', ids)
        .where('i.parent_id', 'is', null)
        .execute()) as never[]),
    );
  }
  const allowed = rows.filter((r) => can(subject, 'evidence.download', { compartmentId: r.compartment_id }));
  withheld = new Set(rows.filter((r) => !allowed.includes(r)).map((r) => r.id)).size;
  const itemIds = [...new Set(allowed.map((r) => r.id))];
  const names = await takenInNames(deps, itemIds);
  for (const r of allowed) {
    const list = byRecord.get(r.target_id) ?? [];
    const name = attachmentName(r.sha256, names.get(r.id));
    if (!list.some((f) => f.name === name)) list.push({ name, itemId: r.id, size: Number(r.size) });
    byRecord.set(r.target_id, list);
  }
  for (const list of byRecord.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { byRecord, withheld };
}

/** Each item's file name from its first acquisition that has one (decrypted). */
async function takenInNames(deps: ExportDeps, itemIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const acq = await deps.db
      .selectFrom('evidence_acquisitions')
      .select(['id', 'item_id'])
      .where('item_id', 'in', itemIds.slice(i, i + 500))
      .orderBy('acquired_at')
      .orderBy('id')
      .execute();
    const secrets = await readSecretTexts(deps.db, evidenceDepsOf(deps).vault, ACQUISITION_TYPE, acq.map((a) => String(a.id)));
    for (const a of acq) {
      const filename = secrets.get(String(a.id))?.filename;
      if (filename && !out.has(String(a.item_id))) out.set(String(a.item_id), filename);
    }
  }
  return out;
}

/** The cell of a record's files: their entries in the ZIP (Uwazi finds a file by its entry's name). */
export const attachmentsCell = (files: AttachedFile[] | undefined) => (files ?? []).map((f) => FILES_DIR + f.name).join(MULTI);

/** Opens an item's evidentiary copy for the ZIP: the use case's permission check and `evidence.download` audit event. */
export async function openAttached(deps: ExportDeps, actor: Actor, itemId: string): Promise<Readable> {
  return (await openEvidenceContent(evidenceDepsOf(deps), actor, itemId)).stream;
}

function evidenceDepsOf(deps: ExportDeps & { maxBytes?: number }): EvidenceDeps {
  if (!deps.blobs || !deps.audit || !deps.vault) throw new Error('files need the blob store, the key vault and the audit log');
  return { db: deps.db, vault: deps.vault, blobs: deps.blobs, audit: deps.audit as EvidenceDeps['audit'], maxBytes: deps.maxBytes };
}

// ── import ─────────────────────────────────────────────────────────────────────────────────

/** Refuses an import of files to an account that may not add and link evidence in the compartment. */
export async function authorizeAttachmentImport(deps: ExportDeps, actor: Actor, compartment: string, dryRun: boolean): Promise<void> {
  if (!dryRun && !deps.blobs) throw new Error('an import with files needs the blob store');
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'evidence.ingest', { compartmentId: compartment }) || !can(subject, 'evidence.link', { compartmentId: compartment }))
    throw new ForbiddenError('the CSVs name files, and your role in this compartment does not let you add and link evidence');
}

/** The names of an `attachments` cell (entries of the ZIP), or why it cannot be taken. */
export function attachmentNames(cell: string): { names: string[]; problem?: string } {
  const names = cell.split(MULTI).map((s) => s.trim()).filter(Boolean);
  const bad = names.find((n) => n.startsWith('/') || n.includes('\\') || /^[a-zA-Z]:/.test(n) || n.split('/').some((part) => part === '..' || part === '.' || part === ''));
  if (bad) return { names: [], problem: `"${bad.slice(0, 100)}" is not the name of a file in the ZIP (files/<name>, or a name at its top)` };
  return { names };
}

/** The ZIP entry a name in the cell means: that entry, else `files/<name>`. */
export function entryOf(archive: ZipArchive | undefined, name: string): string | undefined {
  if (!archive) return undefined;
  if (archive.has(name)) return name;
  return archive.has(FILES_DIR + name) ? FILES_DIR + name : undefined;
}

/**
 * Takes one named file in as evidence of the compartment (hashed, encrypted, its custody begun,
 * saying where it came from) and links it to the record; in the import's transaction (`deps.db`).
 * A file this import took in already (`known`, named by an earlier row) is only linked.
 * Returns the stored blob's name when it made a new item (to remove if the transaction rolls back).
 */
export async function takeInAttachment(
  deps: ExportDeps & { maxBytes?: number },
  actor: Actor,
  archive: ZipArchive,
  entry: string,
  o: { compartment: string; itemId?: string; name: string; type: RecordTypeName; recordId: string; known?: string },
): Promise<{ itemId: string; newBlob: string | null }> {
  const ev = evidenceDepsOf(deps);
  let itemId = o.known;
  let newBlob: string | null = null;
  if (!itemId) {
    const source = `Uwazi import${o.itemId ? ` of item ${o.itemId}` : ''}, file ${o.name}`;
    const filename = entry.split('/').pop()!;
    const { item, duplicate } = await ingestEvidence(ev, actor, await archive.open(entry), { compartment: o.compartment, method: 'csv-attachment', filename, source });
    itemId = item.id;
    newBlob = duplicate ? null : item.blobName;
  }
  const linked = await deps.db.selectFrom('evidence_links').select('id').where('item_id', '=', itemId).where('target_type', '=', o.type).where('target_id', '=', o.recordId).executeTakeFirst();
  if (!linked) await linkEvidence(ev, actor, itemId, { targetType: o.type, targetId: o.recordId });
  return { itemId, newBlob };
}
