import { Metadata } from '@tus/utils';
import { can, type Actor } from '../../../domain/policies.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../domain/errors.js';
import { BlobTooLargeError } from '../../../adapters/blobs/ingest/ingest.js';
import { recordType } from '../../../domain/records/catalog.js';
import { findRow } from '../../records/records.repository.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { ingestEvidence, ingestInputSchema, pickCompartment, type EvidenceDeps, type IngestOutcome } from '../evidence.usecases.js';
import type { EncryptedUploadStore, UploadInfo } from './encrypted-upload.store.js';

/**
 * Resumable uploads (tus) of evidence: who may start one and with what metadata, who may continue
 * it, and what happens when the last byte arrives (the file is taken in as evidence like any other).
 */

/** The metadata an upload keeps (from `Upload-Metadata`); everything else a client sends is dropped. */
export interface UploadMetadata {
  compartment: string;
  filename?: string;
  source?: string;
  note?: string;
  sourcePerson?: string;
}

/** The same answer for an upload of someone else as for one that does not exist. */
export const NO_SUCH_UPLOAD = 'no upload in progress has this address (it was finished, cancelled, expired, or is not yours): start a new one with POST /api/v1/uploads';

/** Parses `Upload-Metadata` (keys with base64 values, comma-separated); absent is empty. */
export function parseUploadMetadata(header: string | undefined): Record<string, string | null> {
  if (header === undefined || header.trim() === '') return {};
  try {
    return Metadata.parse(header);
  } catch {
    throw new ValidationError([
      { field: 'Upload-Metadata', message: 'must be comma-separated pairs "key base64value" with unique keys, e.g. "filename aW1nLmpwZw==,compartment …"' },
    ]);
  }
}

/**
 * Checks a new upload before anything is stored: its metadata, the compartment (one the actor may
 * add evidence to; named, or the only one), the source person, and the size (413 above the limit).
 */
export async function prepareUpload(
  deps: EvidenceDeps,
  actor: Actor,
  req: { uploadLength: string | undefined; metadata: Record<string, string | null>; maxBytes: number },
): Promise<UploadMetadata> {
  const m = req.metadata;
  const text = (k: string) => (typeof m[k] === 'string' && m[k] !== '' ? (m[k] as string) : undefined);
  const input = {
    compartment: text('compartment'),
    // tus clients commonly send the file name as `filename`, Uppy as `name`
    filename: text('filename') ?? text('name'),
    source: text('source'),
    note: text('note'),
    sourcePerson: text('sourcePerson'),
    method: 'resumable-upload' as const,
  };
  const parsed = ingestInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(parsed.error.issues.map((i) => ({ field: `Upload-Metadata ${i.path.join('.') || '(metadata)'}`, message: i.message })));
  const subject = await subjectOf(deps.db, actor);
  const compartment = pickCompartment(subject, input.compartment);
  if (input.sourcePerson) {
    const p = await findRow(deps.db, recordType('persons'), input.sourcePerson);
    if (!p || !can(subject, 'record.read', { compartmentId: p.compartment_id }))
      throw new ValidationError([{ field: 'sourcePerson', message: `no person has id ${input.sourcePerson}` }]);
  }
  if (req.uploadLength !== undefined && /^\d+$/.test(req.uploadLength) && Number(req.uploadLength) > req.maxBytes) throw new BlobTooLargeError(req.maxBytes);
  const out: UploadMetadata = { compartment };
  if (input.filename) out.filename = input.filename;
  if (input.source) out.source = input.source;
  if (input.note) out.note = input.note;
  if (input.sourcePerson) out.sourcePerson = input.sourcePerson;
  return out;
}

/**
 * The upload an actor may act on: only its uploader's, and 404 for everyone else exactly as for one
 * that does not exist. Continuing it (`write`) also needs the right to add evidence to its
 * compartment still.
 */
export async function ownUpload(deps: EvidenceDeps, store: EncryptedUploadStore, actor: Actor, id: string, action: 'read' | 'write' | 'cancel'): Promise<UploadInfo> {
  const info = await store.describe(id);
  if (!info || info.userId !== actor.userId) throw new NotFoundError(NO_SUCH_UPLOAD);
  if (action === 'write') {
    const subject = await subjectOf(deps.db, actor);
    if (!can(subject, 'evidence.ingest', { compartmentId: info.compartment }))
      throw new ForbiddenError('your role in the compartment of this upload no longer lets you add evidence: cancel it (DELETE)');
  }
  return info;
}

/**
 * Takes in a complete upload as evidence: its plaintext, decrypted frame by frame, goes through
 * the same ingest as any file (hashed while encrypted into the blob store), then the upload is
 * deleted with its key.
 */
export async function finishUpload(deps: EvidenceDeps, store: EncryptedUploadStore, actor: Actor, id: string): Promise<IngestOutcome> {
  const m = (await store.readMetadata(id)) as Partial<Record<keyof UploadMetadata, string>>;
  const out = await ingestEvidence(deps, actor, store.openPlaintext(id), {
    compartment: m.compartment,
    filename: m.filename,
    source: m.source,
    note: m.note,
    sourcePerson: m.sourcePerson,
    method: 'resumable-upload',
  });
  await store.removeFinished(id);
  return out;
}
