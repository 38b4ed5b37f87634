import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';
import { discardIngested, ingestBlob } from '../../adapters/blobs/ingest/ingest.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { can, compartmentsWhere, type Actor, type Subject } from '../../domain/policies.js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { recordType } from '../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../domain/records/fields.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import { indexEvidenceItem } from '../search/evidence-docs.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { findRow } from '../records/records.repository.js';
import { VERSION } from '../../app/version.js';
import * as repo from './evidence.repository.js';
import { hammingDistance, videoHashDistance } from '../../adapters/media/index.js';
import * as secrets from '../records/secrets.repository.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField } from '../../adapters/keys/field-cipher.js';

/**
 * Evidence: taking in a file (hashed while it is encrypted and stored), recognising the same bytes
 * as one item with another acquisition, reading items, their acquisitions and derivatives, handing
 * out the evidentiary copy (audited), and linking items to records with a span.
 */

declare module '../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    /** Detect the type, extract metadata, make derivatives and perceptual hashes of a new item. */
    'evidence.process': { itemId: string };
  }
}

export interface EvidenceDeps {
  db: Kysely<any>;
  vault: KeyVault;
  /** The blob store driver (disk, S3, memory); encryption is applied here. */
  blobs: BlobStore;
  audit: AppendAuditEvent;
  /** Largest file accepted, in bytes. */
  maxBytes?: number;
}

export const ACQUISITION_METHODS = [
  'upload',
  'resumable-upload',
  'cli-ingest',
  'anonymous-drop',
  'telegram-export',
  'web-capture',
  'csv-attachment',
] as const;
export type AcquisitionMethod = (typeof ACQUISITION_METHODS)[number];

export const ingestInputSchema = z
  .object({
    compartment: z.uuid().optional(),
    method: z.enum(ACQUISITION_METHODS).default('upload'),
    /** The file name as received: kept encrypted (names can identify people). */
    filename: z.string().max(1000).optional(),
    sourcePerson: z.uuid().optional(),
    source: z.string().max(2000).optional(),
    note: z.string().max(10_000).optional(),
  })
  .strict();
export type IngestInput = z.input<typeof ingestInputSchema>;

export const ACQUISITION_TYPE = 'evidence-acquisitions';
export const ITEM_TYPE = 'evidence-items';
const aad = (type: string, id: string, field: string) => `${type}/${id}/${field}`;

/** The compartment new evidence goes to: the one requested, if the subject may add evidence there, or the only one it may add to. */
export function pickCompartment(subject: Subject, requested: string | undefined): string {
  const allowed = compartmentsWhere(subject, 'evidence.ingest');
  if (requested) {
    if (allowed.includes(requested)) return requested;
    if (can(subject, 'evidence.read', { compartmentId: requested })) throw new ForbiddenError('your role in that compartment does not let you add evidence');
    throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${requested}` }]);
  }
  if (allowed.length === 1) return allowed[0]!;
  if (allowed.length === 0)
    throw new ForbiddenError(subject.memberships.size ? 'your role in your compartments does not let you add evidence' : 'you belong to no compartment yet');
  throw new ValidationError([{ field: 'compartment', message: `you may add evidence to ${allowed.length} compartments: name one` }]);
}

/** Encrypts a small text value of an evidence row into record_secrets under a fresh or existing data key. */
async function putSecretText(db: Kysely<any>, vault: KeyVault, type: string, id: string, field: string, value: string): Promise<void> {
  const existing = await secrets.recordDataKeyId(db, type, id);
  const { id: keyId, key } = existing ? { id: existing, key: await loadDataKey(db, vault, existing) } : await createDataKey(db, vault);
  try {
    await secrets.putSecret(db, type, id, field, keyId, encryptField(key, value, aad(type, id, field)));
  } finally {
    key.fill(0);
  }
}

export async function readSecretTexts(db: Kysely<any>, vault: KeyVault, type: string, ids: string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const s of await secrets.loadSecrets(db, type, ids)) {
    const key = await loadDataKey(db, vault, s.dataKeyId);
    try {
      const fields = out.get(s.recordId) ?? {};
      fields[s.field] = decryptField(key, s.ciphertext, aad(type, s.recordId, s.field));
      out.set(s.recordId, fields);
    } finally {
      key.fill(0);
    }
  }
  return out;
}

export interface IngestOutcome {
  item: repo.ItemRow;
  acquisition: repo.AcquisitionRow;
  /** True when these bytes were already an item in the compartment: only an acquisition was added. */
  duplicate: boolean;
}

/**
 * Takes in one file. The bytes are hashed while encrypted and stored; only then is the item
 * recorded (or, for bytes already held in the compartment, another acquisition of that item), with
 * the processing job queued, in one transaction with its audit event.
 *
 * @example await ingestEvidence(deps, actor, createReadStream(path), { filename: 'IMG_0042.jpg', method: 'cli-ingest' })
 */
export async function ingestEvidence(deps: EvidenceDeps, actor: Actor, source: Readable | AsyncIterable<Uint8Array>, input: IngestInput): Promise<IngestOutcome> {
  const parsed = ingestInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })));
  const opts = parsed.data;
  const subject = await subjectOf(deps.db, actor);
  const compartment = pickCompartment(subject, opts.compartment);
  if (opts.sourcePerson) {
    const p = await findRow(deps.db, recordType('persons'), opts.sourcePerson);
    if (!p || !can(subject, 'record.read', { compartmentId: p.compartment_id }))
      throw new ValidationError([{ field: 'sourcePerson', message: `no person has id ${opts.sourcePerson}` }]);
  }
  const stored = await ingestBlob(source, { store: deps.blobs, vault: deps.vault, db: deps.db, maxBytes: deps.maxBytes });
  const at = new Date().toISOString();
  let duplicateOf: repo.ItemRow | undefined;
  const outcome = await inTransaction(deps.db, async (trx) => {
    duplicateOf = await repo.findOriginalBySha(trx, compartment, stored.sha256);
    let item = duplicateOf;
    if (!item) {
      item = {
        id: uuidv7(),
        compartment,
        sha256: stored.sha256,
        size: stored.size,
        blobName: stored.blobName,
        dataKeyId: stored.dataKeyId,
        storedSize: stored.encryptedSize,
        mime: null,
        category: null,
        state: 'stored',
        flags: [],
        parentId: null,
        derivativeKind: null,
        derivedWith: null,
        phash: null,
        createdAt: at,
        createdBy: actor.userId,
      };
      await repo.insertItem(trx, item);
      await enqueue(trx, 'evidence.process', { itemId: item.id }, { compartmentId: compartment, dedupeKey: `evidence.process:${item.id}` } as any);
    }
    const acquisition: repo.AcquisitionRow = {
      id: uuidv7(),
      itemId: item.id,
      method: opts.method,
      sourcePersonId: opts.sourcePerson ?? null,
      sourceNote: null,
      note: opts.note ?? null,
      acquiredAt: at,
      acquiredBy: actor.userId,
      toolVersion: `letapis ${VERSION}`,
    };
    await repo.insertAcquisition(trx, acquisition);
    if (opts.filename) await putSecretText(trx, deps.vault, ACQUISITION_TYPE, acquisition.id, 'filename', opts.filename);
    if (opts.source) await putSecretText(trx, deps.vault, ACQUISITION_TYPE, acquisition.id, 'source', opts.source);
    await deps.audit(trx, {
      action: 'evidence.acquire',
      actorId: actor.userId,
      targetType: 'evidence',
      targetId: item.id,
      details: { acquisitionId: acquisition.id, method: opts.method, sha256: stored.sha256, size: stored.size, duplicate: Boolean(duplicateOf) },
    });
    await indexEvidenceItem({ db: trx, vault: deps.vault, blobs: deps.blobs }, item.id);
    return { item, acquisition, duplicate: Boolean(duplicateOf) };
  });
  // the same bytes were already held: the copy just written is not needed
  if (duplicateOf) await discardIngested(stored, { store: deps.blobs, db: deps.db }).catch(() => {});
  return outcome;
}

/** An item the actor can see, or 404. */
async function visibleItem(deps: EvidenceDeps, subject: Subject, id: string): Promise<repo.ItemRow> {
  const item = await repo.findItem(deps.db, id);
  if (!item || !can(subject, 'evidence.read', { compartmentId: item.compartment })) throw new NotFoundError(`no evidence item has id ${id}`);
  return item;
}

export interface ItemView extends Omit<repo.ItemRow, 'blobName' | 'dataKeyId' | 'storedSize'> {
  permissions: { download: boolean; metadata: boolean; link: boolean; redact: boolean };
}

/** Derivatives every reader of the compartment may open (they carry no metadata of the original). */
const PREVIEW_KINDS = ['thumbnail', 'preview', 'poster'];
const isPreview = (i: repo.ItemRow) => Boolean(i.parentId) && PREVIEW_KINDS.includes(i.derivativeKind ?? '');

const view = (subject: Subject, i: repo.ItemRow): ItemView => {
  const { blobName: _b, dataKeyId: _k, storedSize: _s, ...rest } = i;
  const r = { compartmentId: i.compartment };
  return {
    ...rest,
    permissions: {
      download: can(subject, 'evidence.download', r) || (isPreview(i) && can(subject, 'evidence.read', r)),
      metadata: can(subject, 'evidence.metadata', r),
      link: can(subject, 'evidence.link', r),
      // redacting is asked of the original (its derivatives are made from it)
      redact: !i.parentId && can(subject, 'evidence.redact', r),
    },
  };
};

/** Of the given records (type and id), those the subject can read. */
async function readableTargets(db: Kysely<any>, subject: Subject, targets: { type: string; id: string }[]): Promise<Set<string>> {
  const readable = new Set<string>();
  const byType = new Map<string, string[]>();
  for (const t of targets) byType.set(t.type, [...(byType.get(t.type) ?? []), t.id]);
  const allowed = compartmentsWhere(subject, 'record.read');
  if (allowed.length === 0) return readable;
  for (const [type, ids] of byType) {
    if (!(RECORD_TYPE_NAMES as readonly string[]).includes(type)) continue;
    const rows = await db.selectFrom(recordType(type as RecordTypeName).table).select('id').where('id', 'in', ids).where('compartment_id', 'in', allowed).execute();
    for (const r of rows) readable.add(`${type}:${r.id}`);
  }
  return readable;
}

export async function listEvidence(
  deps: EvidenceDeps,
  actor: Actor,
  q: { limit?: number; cursor?: string; category?: string; state?: string; parent?: string; originals?: boolean },
): Promise<{ items: ItemView[]; nextCursor: string | null }> {
  const subject = await subjectOf(deps.db, actor);
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  let after: { createdAt: string; id: string } | undefined;
  if (q.cursor) {
    try {
      const [createdAt, id] = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8'));
      after = { createdAt, id };
    } catch {
      throw new ValidationError([{ field: 'cursor', message: 'is not a cursor from this listing' }]);
    }
  }
  const rows = await repo.listItems(deps.db, {
    compartments: compartmentsWhere(subject, 'evidence.read'),
    parentId: q.parent ?? (q.originals === false ? undefined : null),
    category: q.category,
    state: q.state,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((i) => view(subject, i)),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null,
  };
}

/** Largest Hamming distance (of 64 bits) at which two images count as possible copies. */
export const IMAGE_COPY_DISTANCE = 12;
/** Largest mean keyframe distance at which two videos count as possible copies. */
export const VIDEO_COPY_DISTANCE = 12;

export interface PossibleCopy {
  id: string;
  /** Bits that differ between perceptual hashes (0: visually the same). */
  distance: number;
}

/** Items of the same compartment that look like copies of this one (re-encoded, resized reposts). */
async function possibleCopies(deps: EvidenceDeps, item: repo.ItemRow): Promise<PossibleCopy[]> {
  if (!item.phash || item.parentId) return [];
  const others = await repo.itemsWithPhash(deps.db, [item.compartment], item.id);
  const mine = item.phash.split(',');
  const out: PossibleCopy[] = [];
  for (const o of others) {
    const theirs = o.phash.split(',');
    if ((mine.length > 1) !== (theirs.length > 1)) continue; // an image against a video's keyframes
    const distance = mine.length > 1 ? videoHashDistance(mine, theirs) : hammingDistance(mine[0]!, theirs[0]!);
    if (distance <= (mine.length > 1 ? VIDEO_COPY_DISTANCE : IMAGE_COPY_DISTANCE)) out.push({ id: o.id, distance: Math.round(distance * 10) / 10 });
  }
  return out.sort((a, b) => a.distance - b.distance).slice(0, 50);
}

export interface ItemDetail extends ItemView {
  possibleCopies: PossibleCopy[];
  acquisitions: (repo.AcquisitionRow & { filename: string | null; source: string | null })[];
  derivatives: ItemView[];
  metadata: unknown | null;
  links: { id: string; targetType: string; targetId: string; span: unknown; note: string | null; createdAt: string }[];
}

/** An item with its acquisitions, derivatives and links; file names and metadata only for those allowed. */
export async function getEvidence(deps: EvidenceDeps, actor: Actor, id: string): Promise<ItemDetail> {
  const subject = await subjectOf(deps.db, actor);
  const item = await visibleItem(deps, subject, id);
  const mayMeta = can(subject, 'evidence.metadata', { compartmentId: item.compartment });
  const acquisitions = await repo.listAcquisitions(deps.db, id);
  const names = mayMeta ? await readSecretTexts(deps.db, deps.vault, ACQUISITION_TYPE, acquisitions.map((a) => a.id)) : new Map();
  const meta = mayMeta ? (await readSecretTexts(deps.db, deps.vault, ITEM_TYPE, [id])).get(id)?.metadata : undefined;
  const derivatives = await repo.listItems(deps.db, { compartments: [item.compartment], parentId: id, limit: 100 });
  // links and sources into compartments the reader is not in are left out, as everywhere else
  const allLinks = await deps.db.selectFrom('evidence_links').selectAll().where('item_id', '=', id).orderBy('created_at').execute();
  const readable = await readableTargets(deps.db, subject, [
    ...allLinks.map((l) => ({ type: l.target_type as string, id: l.target_id as string })),
    ...acquisitions.filter((a) => a.sourcePersonId).map((a) => ({ type: 'persons', id: a.sourcePersonId! })),
  ]);
  const links = allLinks.filter((l) => readable.has(`${l.target_type}:${l.target_id}`));
  if (mayMeta) await deps.audit(deps.db, { action: 'evidence.view', actorId: actor.userId, targetType: 'evidence', targetId: id });
  return {
    ...view(subject, item),
    acquisitions: acquisitions.map((a) => ({
      ...a,
      sourcePersonId: a.sourcePersonId && readable.has(`persons:${a.sourcePersonId}`) ? a.sourcePersonId : null,
      filename: names.get(a.id)?.filename ?? null,
      source: names.get(a.id)?.source ?? null,
    })),
    derivatives: derivatives.map((d) => view(subject, d)),
    metadata: meta ? JSON.parse(meta) : null,
    possibleCopies: await possibleCopies(deps, item),
    links: links.map((l) => ({ id: l.id, targetType: l.target_type, targetId: l.target_id, span: l.span ? JSON.parse(l.span) : null, note: l.note ?? null, createdAt: l.created_at })),
  };
}

/** The size and type of an item the actor can see (to answer ranges before opening it). */
export async function getEvidenceHead(deps: EvidenceDeps, actor: Actor, id: string): Promise<{ size: number; mime: string | null }> {
  const subject = await subjectOf(deps.db, actor);
  const item = await visibleItem(deps, subject, id);
  return { size: item.size, mime: item.mime };
}

/**
 * Opens the bytes of an item (the evidentiary copy or a derivative), whole or a byte range, for a
 * reader allowed to download; every opening is an audit event.
 */
export async function openEvidenceContent(
  deps: EvidenceDeps,
  actor: Actor,
  id: string,
  range?: { start: number; end?: number },
): Promise<{ item: repo.ItemRow; stream: Readable }> {
  const subject = await subjectOf(deps.db, actor);
  const item = await visibleItem(deps, subject, id);
  // previews of derivatives are for every reader; the evidentiary copy only for those who may download
  const mayDownload = can(subject, 'evidence.download', { compartmentId: item.compartment });
  if (!mayDownload && !isPreview(item))
    throw new ForbiddenError('your role in this compartment does not let you download evidence');
  if (range && (range.start >= item.size || (range.end !== undefined && (range.end < range.start || range.end >= item.size))))
    throw new RangeNotSatisfiableError(item.size);
  const store = new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault });
  const stream = await store.get(item.blobName, range);
  await deps.audit(deps.db, {
    action: 'evidence.download',
    actorId: actor.userId,
    targetType: 'evidence',
    targetId: id,
    details: { sha256: item.sha256, ...(range ? { range: [range.start, range.end ?? item.size - 1] } : {}) },
  });
  return { item, stream };
}

export class RangeNotSatisfiableError extends DomainError {
  readonly status = 416;
  readonly title = 'Range not satisfiable';
  constructor(readonly size: number) {
    super(`the requested range lies outside the item's ${size} bytes`);
  }
}

export const spanSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('time'), from: z.number().min(0), to: z.number().min(0) }).strict().refine((s) => s.to >= s.from, 'to is before from'),
  z.object({ kind: z.literal('region'), x: z.number().min(0), y: z.number().min(0), width: z.number().positive(), height: z.number().positive() }).strict(),
  z.object({ kind: z.literal('text'), page: z.number().int().min(1), from: z.number().int().min(0), to: z.number().int().min(0) }).strict(),
]);

export const linkInputSchema = z
  .object({
    targetType: z.enum(RECORD_TYPE_NAMES),
    targetId: z.uuid(),
    span: spanSchema.optional(),
    note: z.string().max(10_000).optional(),
  })
  .strict();

/** Links an item to a record (in a compartment the actor can read), with an optional span. */
export async function linkEvidence(deps: EvidenceDeps, actor: Actor, id: string, input: unknown) {
  const parsed = linkInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  const l = parsed.data;
  const subject = await subjectOf(deps.db, actor);
  const item = await visibleItem(deps, subject, id);
  if (!can(subject, 'evidence.link', { compartmentId: item.compartment })) throw new ForbiddenError('your role in this compartment does not let you link evidence');
  const def = recordType(l.targetType as RecordTypeName);
  const target = await findRow(deps.db, def, l.targetId);
  if (!target || !can(subject, 'record.read', { compartmentId: target.compartment_id }))
    throw new ValidationError([{ field: 'targetId', message: `no ${def.singular} has id ${l.targetId}` }]);
  return inTransaction(deps.db, async (trx) => {
    const row = { id: uuidv7(), item_id: id, target_type: l.targetType, target_id: l.targetId, span: l.span ? JSON.stringify(l.span) : null, note: l.note ?? null, created_at: new Date().toISOString(), created_by: actor.userId };
    await trx.insertInto('evidence_links').values(row).execute();
    await deps.audit(trx, { action: 'evidence.link', actorId: actor.userId, targetType: 'evidence', targetId: id, details: { linkId: row.id, targetType: l.targetType, targetId: l.targetId } });
    await indexEvidenceItem({ db: trx, vault: deps.vault, blobs: deps.blobs }, id);
    return { id: row.id, targetType: l.targetType, targetId: l.targetId, span: l.span ?? null, note: row.note, createdAt: row.created_at };
  });
}

/**
 * Removes one link between an item and a record (taking evidence out of a case, undoing a wrong
 * link). The item and the record stay as they are; the audit event, a custody event of the item,
 * keeps what the link said (target, span, note, who made it and when), so the chain of custody
 * still shows that the link existed. Needs the right to link evidence in the item's compartment and
 * to read the record; a link the caller cannot see is "not found".
 */
export async function unlinkEvidence(deps: EvidenceDeps, actor: Actor, id: string, linkId: string): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  const item = await visibleItem(deps, subject, id);
  const link = await deps.db.selectFrom('evidence_links').selectAll().where('id', '=', linkId).where('item_id', '=', id).executeTakeFirst();
  if (!link) throw new NotFoundError(`item ${id} has no link ${linkId}`);
  const def = recordType(link.target_type as RecordTypeName);
  const target = await findRow(deps.db, def, link.target_id);
  if (target && !can(subject, 'record.read', { compartmentId: target.compartment_id })) throw new NotFoundError(`item ${id} has no link ${linkId}`);
  if (!can(subject, 'evidence.link', { compartmentId: item.compartment })) throw new ForbiddenError('your role in this compartment does not let you unlink evidence');
  await inTransaction(deps.db, async (trx) => {
    const removed = await trx.deleteFrom('evidence_links').where('id', '=', linkId).where('item_id', '=', id).executeTakeFirst();
    if (Number(removed.numDeletedRows) !== 1) throw new NotFoundError(`item ${id} has no link ${linkId}`);
    await deps.audit(trx, {
      action: 'evidence.unlink',
      actorId: actor.userId,
      targetType: 'evidence',
      targetId: id,
      details: {
        linkId,
        targetType: link.target_type,
        targetId: link.target_id,
        span: link.span ? JSON.parse(link.span) : null,
        linkedAt: link.created_at,
        linkedBy: link.created_by,
      },
    });
    await indexEvidenceItem({ db: trx, vault: deps.vault, blobs: deps.blobs }, id);
  });
}

/** Stores an item's extracted metadata, encrypted (it may locate or identify people). */
export async function storeItemMetadata(db: Kysely<any>, vault: KeyVault, itemId: string, metadata: unknown): Promise<void> {
  await putSecretText(db, vault, ITEM_TYPE, itemId, 'metadata', JSON.stringify(metadata));
}
