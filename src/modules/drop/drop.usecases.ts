import type { Kysely } from 'kysely';
import { Readable } from 'node:stream';
import sodium from 'sodium-native';
import { z } from 'zod';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { BlobBody, BlobStore } from '../../adapters/blobs/blob-store.port.js';
import { newBlobName } from '../../adapters/blobs/blob-name.js';
import { bodyChunks } from '../../adapters/blobs/body.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { can, type Actor } from '../../domain/policies.js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { sourceLookup } from '../../domain/drop/source-keys.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import { ingestEvidence, type IngestOutcome } from '../evidence/evidence.usecases.js';
import { loadDropKeyPair, readDropPublicInfo } from './drop-keys.js';
import { nativeDropSodium, openSealed, SEAL_OVERHEAD, sealTo } from './sodium.js';
import { randomId, utcDay } from './day.js';

/**
 * The anonymous drop's use cases (docs/DROP.md). A source hands in sealed boxes (made in the
 * browser, to the organisation's drop key) with the token derived from their codename; the server
 * stores them as opaque blobs with the day, nothing else about the source. No audit event is written
 * for what a source does (the audit log is timed to the millisecond); staff actions are audited.
 */

export interface DropDeps {
  db: Kysely<any>;
  vault: KeyVault;
  /** The blob store driver (disk, S3, memory), not the encrypting wrapper: the parts are sealed boxes already. */
  blobs: BlobStore;
  audit: AppendAuditEvent;
  limits?: Partial<DropLimits>;
}

export interface DropLimits {
  /** Largest sealed message (the text and the list of file names), bytes. */
  messageBytes: number;
  /** Largest sealed file, bytes (the browser seals a file whole, in memory). */
  fileBytes: number;
  /** Files in one submission. */
  files: number;
  /** Largest sealed reply, bytes. */
  replyBytes: number;
}

export const DEFAULT_DROP_LIMITS: DropLimits = { messageBytes: 1024 * 1024, fileBytes: 64 * 1024 * 1024, files: 20, replyBytes: 256 * 1024 };

/** The drop is not set up yet: no key pair (made at the first unsealed start, or by a coordinator). */
export class DropNotReadyError extends DomainError {
  readonly status = 503;
  readonly title = 'Drop not ready';
  constructor() {
    super('the drop is not set up yet: an operator must start the server with the vault unsealed once');
  }
}

export class TooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'Too large';
}

const limitsOf = (deps: DropDeps): DropLimits => ({ ...DEFAULT_DROP_LIMITS, ...deps.limits });

function bytes32(b: Uint8Array | undefined, field: string): Buffer {
  if (!(b instanceof Uint8Array) || b.byteLength !== 32) throw new ValidationError([{ field, message: 'must be 32 bytes' }]);
  return Buffer.from(b);
}

const lookupOf = (token: Buffer) => Buffer.from(sourceLookup(nativeDropSodium, token)).toString('hex');

export interface SubmitInput {
  /** The come-back token the page derived from the codename (32 bytes). */
  token: Uint8Array;
  /** The source's X25519 public key, derived from the codename (32 bytes). */
  publicKey: Uint8Array;
  /** The sealed message: JSON {v:1, text, files:[{name,type}]} sealed to the organisation's key. */
  message: Uint8Array;
  /** The sealed files, in the order the message lists them (each read to its end before the next is asked for). */
  files: Iterable<BlobBody> | AsyncIterable<BlobBody>;
}

/** Writes one sealed part to the blob store, refusing it past `max` bytes or under the sealed-box minimum. */
async function putPart(blobs: BlobStore, body: BlobBody, max: number, what: string): Promise<{ name: string; size: number }> {
  const name = newBlobName();
  let size = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of bodyChunks(body)) {
      size += chunk.byteLength;
      if (size > max) throw new TooLargeError(`${what} is larger than ${max} bytes`);
      yield chunk;
    }
  }
  await blobs.put(name, counted());
  if (size <= SEAL_OVERHEAD) {
    await blobs.delete(name);
    throw new ValidationError([{ field: what, message: 'is not a sealed box (too short)' }]);
  }
  return { name, size };
}

/**
 * Takes in a submission. A token seen before adds to that source (its public key must be the same);
 * a new one makes a source. All parts are stored before anything is recorded, and removed again if
 * anything fails, so a failed submission leaves nothing.
 */
export async function submitToDrop(deps: DropDeps, input: SubmitInput): Promise<{ submission: string; day: string }> {
  if (!(await readDropPublicInfo(deps.db))) throw new DropNotReadyError();
  const limits = limitsOf(deps);
  const token = bytes32(input.token, 'token');
  const publicKey = bytes32(input.publicKey, 'publicKey');
  const lookup = lookupOf(token);
  const existing = await deps.db.selectFrom('drop_sources').select(['id', 'public_key']).where('lookup', '=', lookup).executeTakeFirst();
  if (existing && existing.public_key !== publicKey.toString('base64')) throw new ValidationError([{ field: 'publicKey', message: 'does not belong to this codename' }]);
  const written: string[] = [];
  try {
    const parts: { kind: 'message' | 'file'; name: string; size: number }[] = [];
    const m = await putPart(deps.blobs, [input.message], limits.messageBytes, 'message');
    written.push(m.name);
    parts.push({ kind: 'message', ...m });
    let i = 0;
    for await (const f of input.files) {
      if (i >= limits.files) throw new ValidationError([{ field: 'files', message: `at most ${limits.files} files in one submission` }]);
      const p = await putPart(deps.blobs, f, limits.fileBytes, `files.${i++}`);
      written.push(p.name);
      parts.push({ kind: 'file', ...p });
    }
    const day = utcDay();
    const submission = randomId();
    await inTransaction(deps.db, async (trx) => {
      let sourceId = existing?.id as string | undefined;
      if (!sourceId) {
        await trx
          .insertInto('drop_sources')
          .values({ id: randomId(), lookup, public_key: publicKey.toString('base64'), created_day: day })
          .onConflict((oc) => oc.column('lookup').doNothing())
          .execute();
        const row = await trx.selectFrom('drop_sources').select(['id', 'public_key']).where('lookup', '=', lookup).executeTakeFirstOrThrow();
        if (row.public_key !== publicKey.toString('base64')) throw new ValidationError([{ field: 'publicKey', message: 'does not belong to this codename' }]);
        sourceId = row.id as string;
      }
      await trx.insertInto('drop_submissions').values({ id: submission, source_id: sourceId, day, state: 'new' }).execute();
      await trx
        .insertInto('drop_parts')
        .values(parts.map((p, ordinal) => ({ id: randomId(), submission_id: submission, ordinal, kind: p.kind, blob_name: p.name, size: p.size, evidence_id: null })))
        .execute();
    });
    return { submission, day };
  } catch (e) {
    for (const name of written) await deps.blobs.delete(name).catch(() => {});
    throw e;
  }
}

export interface ComeBackView {
  /** Days the source handed something in, and how many files each time. */
  submissions: { day: string; files: number }[];
  /** Replies, oldest first: sealed boxes to the source's public key (base64), opened in the page. */
  replies: { day: string; ciphertext: string }[];
}

/** What a returning source sees. An unknown token is answered as not found, the same for every wrong codename. */
export async function comeBack(deps: DropDeps, tokenBytes: Uint8Array): Promise<ComeBackView> {
  const token = bytes32(tokenBytes, 'token');
  const source = await deps.db.selectFrom('drop_sources').select('id').where('lookup', '=', lookupOf(token)).executeTakeFirst();
  if (!source) throw new NotFoundError('no submission was made with this codename');
  const subs = await deps.db
    .selectFrom('drop_submissions as s')
    .leftJoin('drop_parts as p', (j) => j.onRef('p.submission_id', '=', 's.id').on('p.kind', '=', 'file'))
    .select(['s.id', 's.day', (eb) => eb.fn.count<number>('p.id').as('files')])
    .where('s.source_id', '=', source.id)
    .groupBy(['s.id', 's.day'])
    .orderBy('s.day')
    .execute();
  const replies = await deps.db.selectFrom('drop_replies').select(['day', 'ciphertext']).where('source_id', '=', source.id).orderBy('seq').execute();
  return {
    submissions: subs.map((s) => ({ day: s.day as string, files: Number(s.files) })),
    replies: replies.map((r) => ({ day: r.day as string, ciphertext: r.ciphertext as string })),
  };
}

// ---------------------------------------------------------------------------------------------
// Staff

function requireDrop(actor: Actor): void {
  if (!can(actor, 'drop.read')) throw new ForbiddenError('only coordinators read the anonymous drop');
}

export interface QueueEntry {
  id: string;
  day: string;
  state: 'new' | 'opened';
  files: { id: string; size: number; evidenceId: string | null }[];
}

/** The intake queue: every submission with its day and files (sizes only; nothing decrypted). */
export async function listDropQueue(deps: DropDeps, actor: Actor): Promise<{ counts: { new: number; opened: number }; submissions: QueueEntry[] }> {
  requireDrop(actor);
  const subs = await deps.db.selectFrom('drop_submissions').select(['id', 'day', 'state']).orderBy('day', 'desc').orderBy('id').execute();
  const parts = await deps.db.selectFrom('drop_parts').select(['id', 'submission_id', 'size', 'evidence_id']).where('kind', '=', 'file').orderBy('ordinal').execute();
  const bySub = new Map<string, QueueEntry['files']>();
  for (const p of parts) {
    const list = bySub.get(p.submission_id as string) ?? [];
    list.push({ id: p.id as string, size: Number(p.size), evidenceId: (p.evidence_id as string | null) ?? null });
    bySub.set(p.submission_id as string, list);
  }
  const submissions = subs.map((s) => ({ id: s.id as string, day: s.day as string, state: s.state as QueueEntry['state'], files: bySub.get(s.id as string) ?? [] }));
  return { counts: { new: submissions.filter((s) => s.state === 'new').length, opened: submissions.filter((s) => s.state === 'opened').length }, submissions };
}

const messageSchema = z.object({
  v: z.literal(1),
  text: z.string().max(1_000_000),
  files: z.array(z.object({ name: z.string().max(1000), type: z.string().max(200).optional() })).max(100),
});
export type DropMessage = z.infer<typeof messageSchema>;

class UnreadableSubmissionError extends DomainError {
  readonly status = 422;
  readonly title = 'Unreadable submission';
}

async function readBlob(blobs: BlobStore, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await blobs.get(name)) as Readable) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function openPart(deps: DropDeps, blobName: string): Promise<Buffer> {
  const kp = await loadDropKeyPair(deps.db, deps.vault);
  try {
    const plain = openSealed(await readBlob(deps.blobs, blobName), kp.publicKey, kp.secretKey);
    if (!plain) throw new UnreadableSubmissionError('this part is not sealed to the drop key or was altered: it cannot be opened');
    return plain;
  } finally {
    sodium.sodium_memzero(kp.secretKey);
  }
}

async function findSubmission(db: Kysely<any>, id: string) {
  const sub = await db.selectFrom('drop_submissions').select(['id', 'source_id', 'day', 'state']).where('id', '=', id).executeTakeFirst();
  if (!sub) throw new NotFoundError(`no drop submission has id ${id}`);
  return sub;
}

/** Decrypts a submission's message (the vault must be unsealed); marks it opened; audited. */
export async function openDropSubmission(deps: DropDeps, actor: Actor, id: string): Promise<QueueEntry & { message: DropMessage | null; error?: string }> {
  requireDrop(actor);
  const sub = await findSubmission(deps.db, id);
  const msgPart = await deps.db.selectFrom('drop_parts').select('blob_name').where('submission_id', '=', id).where('kind', '=', 'message').executeTakeFirstOrThrow();
  const plain = await openPart(deps, msgPart.blob_name as string);
  let message: DropMessage | null = null;
  let error: string | undefined;
  try {
    const parsed = messageSchema.safeParse(JSON.parse(plain.toString('utf8')));
    if (parsed.success) message = parsed.data;
    else error = 'the message opened but is not in the drop page\'s format';
  } catch {
    error = 'the message opened but is not JSON';
  } finally {
    sodium.sodium_memzero(plain);
  }
  await inTransaction(deps.db, async (trx) => {
    await trx.updateTable('drop_submissions').set({ state: 'opened' }).where('id', '=', id).execute();
    await deps.audit(trx, { action: 'drop.open', actorId: actor.userId, targetType: 'drop-submission', targetId: id, details: {} });
  });
  const queue = (await listDropQueue(deps, actor)).submissions.find((s) => s.id === id)!;
  return { ...queue, state: 'opened', message, ...(error ? { error } : {}), day: sub.day as string };
}

/**
 * Takes a submitted file in as an evidence item through the normal ingest (acquisition method
 * `anonymous-drop`, the file name from the sealed message), which starts its custody. The actor
 * needs `drop.read` and evidence.ingest in the compartment. Once taken in, a file is not taken again.
 */
export async function takeDropFileIn(
  deps: DropDeps & { maxBytes?: number },
  actor: Actor,
  partId: string,
  input: { compartment?: string; note?: string } = {},
): Promise<IngestOutcome> {
  requireDrop(actor);
  const part = await deps.db.selectFrom('drop_parts').select(['id', 'submission_id', 'ordinal', 'kind', 'blob_name', 'evidence_id']).where('id', '=', partId).executeTakeFirst();
  if (!part || part.kind !== 'file') throw new NotFoundError(`no drop file has id ${partId}`);
  if (part.evidence_id) throw new ValidationError([{ field: 'part', message: `this file is already evidence item ${part.evidence_id as string}` }]);
  let filename: string | undefined;
  const msgPart = await deps.db.selectFrom('drop_parts').select('blob_name').where('submission_id', '=', part.submission_id).where('kind', '=', 'message').executeTakeFirst();
  if (msgPart) {
    const plain = await openPart(deps, msgPart.blob_name as string);
    try {
      const parsed = messageSchema.safeParse(JSON.parse(plain.toString('utf8')));
      if (parsed.success) filename = parsed.data.files[Number(part.ordinal) - 1]?.name;
    } catch {
      // no file name then: the bytes are what matters
    } finally {
      sodium.sodium_memzero(plain);
    }
  }
  const bytes = await openPart(deps, part.blob_name as string);
  try {
    const outcome = await ingestEvidence({ db: deps.db, vault: deps.vault, blobs: deps.blobs, audit: deps.audit, maxBytes: deps.maxBytes }, actor, Readable.from([bytes]), {
      compartment: input.compartment,
      method: 'anonymous-drop',
      filename,
      source: `anonymous drop, submission ${part.submission_id as string}`,
      note: input.note,
    });
    await inTransaction(deps.db, async (trx) => {
      await trx.updateTable('drop_parts').set({ evidence_id: outcome.item.id }).where('id', '=', partId).execute();
      await deps.audit(trx, { action: 'drop.take-in', actorId: actor.userId, targetType: 'drop-submission', targetId: part.submission_id as string, details: { part: partId, evidence: outcome.item.id } });
    });
    return outcome;
  } finally {
    sodium.sodium_memzero(bytes);
  }
}

/** Replies to the source of a submission: the text sealed to the source's public key; audited. */
export async function replyToDropSource(deps: DropDeps, actor: Actor, submissionId: string, text: string): Promise<{ day: string }> {
  requireDrop(actor);
  if (typeof text !== 'string' || text.trim() === '') throw new ValidationError([{ field: 'text', message: 'a reply needs some text' }]);
  const sub = await findSubmission(deps.db, submissionId);
  const source = await deps.db.selectFrom('drop_sources').select(['id', 'public_key']).where('id', '=', sub.source_id).executeTakeFirstOrThrow();
  const plain = Buffer.from(text, 'utf8');
  const box = sealTo(Buffer.from(source.public_key as string, 'base64'), plain);
  sodium.sodium_memzero(plain);
  if (box.byteLength > limitsOf(deps).replyBytes) throw new TooLargeError(`a reply is at most ${limitsOf(deps).replyBytes - SEAL_OVERHEAD} bytes`);
  const day = utcDay();
  await inTransaction(deps.db, async (trx) => {
    const last = await trx.selectFrom('drop_replies').select((eb) => eb.fn.max<number>('seq').as('seq')).where('source_id', '=', source.id).executeTakeFirst();
    await trx
      .insertInto('drop_replies')
      .values({ id: randomId(), source_id: source.id, seq: Number(last?.seq ?? 0) + 1, day, ciphertext: box.toString('base64') })
      .execute();
    await deps.audit(trx, { action: 'drop.reply', actorId: actor.userId, targetType: 'drop-submission', targetId: submissionId, details: {} });
  });
  return { day };
}
