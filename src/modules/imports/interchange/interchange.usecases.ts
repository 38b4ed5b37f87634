import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { z } from 'zod';
import { enqueue } from '../../../adapters/queue/enqueue.js';
import { inTransaction } from '../../../adapters/db/transaction.js';
import { EncryptedBlobStore } from '../../../adapters/blobs/encrypted/encrypted.store.js';
import { discardIngested, ingestBlob } from '../../../adapters/blobs/ingest/ingest.js';
import { findJob } from '../../../adapters/queue/jobs.repository.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../../domain/records/fields.js';
import { can, type Actor } from '../../../domain/policies.js';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../../domain/errors.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { findItem } from '../../evidence/evidence.repository.js';
import { ACQUISITION_TYPE, readSecretTexts, type EvidenceDeps } from '../../evidence/evidence.usecases.js';
import { parseBody, type RecordsDeps } from '../../records/records.usecases.js';
import { looksLikeZip } from '../lists/read.js';
import { authorizeFiles } from './attachments.js';
import { esfJson, exportEsf } from './esf-export.js';
import { assertReadable } from './store.js';
import { authorizeSensitive, exportUwazi, uwaziZipOf } from './uwazi-export.js';
import { importUwazi, openInterchange, type UwaziImportReport } from './uwazi-import.js';

/**
 * Interchange through the API (docs/IMPORTS.md, "Interchange"): an Uwazi import of an evidence item
 * (a ZIP of CSVs and files, or one CSV) as the job `interchange.import-uwazi`, whose result is the
 * report; an export (Uwazi ZIP or ESF JSON) as the job `interchange.export`, which stores the file
 * encrypted for the one who asked, to download once: the file is removed after its first complete
 * download, or after `EXPORT_KEPT_MS` by the job `interchange.export-expire`, whichever comes first.
 */

/**
 * What `letapis export uwazi` exports when no type is named: every record type but person names,
 * whose one field that matters (the spelling) is an identity, kept encrypted and never exported.
 */
export const INTERCHANGE_DEFAULT_TYPES: RecordTypeName[] = RECORD_TYPE_NAMES.filter((t) => t !== 'person-names');

/** How long an export waits for its download. */
export const EXPORT_KEPT_MS = 24 * 3600_000;
/** Largest lone CSV taken (it is read into memory); ZIPs are read by ranges (see zip-read.ts). */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

declare module '../../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    /** A dry run or an import of Uwazi CSVs (and their files); the report is the result. */
    'interchange.import-uwazi': UwaziImportRequest & { requestedBy: string };
    /** An export, stored encrypted for the one who asked. */
    'interchange.export': InterchangeExportRequest & { requestedBy: string };
    /** Removes an export not downloaded in time. */
    'interchange.export-expire': { exportJobId: string; blobName: string; dataKeyId: string | null; size: number };
  }
}

export type InterchangeDeps = RecordsDeps & EvidenceDeps;

export const uwaziImportSchema = z
  .object({
    itemId: z.uuid({ message: 'must be an evidence item id (UUID)' }).describe('The ZIP or CSV, taken in as an evidence item'),
    compartment: z.uuid().describe('The compartment the records (and files) go into'),
    type: z.enum(RECORD_TYPE_NAMES).optional().describe('The record type of a lone CSV not named after its type'),
    dryRun: z.boolean().default(false).describe('Check and write every row, then roll back; no file is taken in'),
  })
  .strict();
export type UwaziImportRequest = z.infer<typeof uwaziImportSchema>;

export const EXPORT_FORMATS = ['uwazi', 'esf'] as const;
export const interchangeExportSchema = z
  .object({
    compartment: z.uuid().describe('The compartment whose records are exported'),
    format: z.enum(EXPORT_FORMATS).describe('uwazi: a ZIP of <type>.csv files; esf: HURIDOCS Events Standard Formats JSON'),
    types: z.array(z.enum(RECORD_TYPE_NAMES)).min(1).max(RECORD_TYPE_NAMES.length).optional().describe('Uwazi: the record types (default: every type but person-names)'),
    withFiles: z.boolean().default(false).describe('Uwazi: also the evidence files linked to the records (files/ in the ZIP, the attachments column)'),
    withIdentities: z.boolean().default(false).describe('Uwazi: also identities and encrypted fields; only for roles that may reveal identities; each person revealed is audited'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.format !== 'esf') return;
    for (const k of ['types', 'withFiles', 'withIdentities'] as const)
      if (r[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'the ESF export has events, acts, persons (by pseudonym) and involvements only: no record types to choose, no files, no identities' });
  });
export type InterchangeExportRequest = z.infer<typeof interchangeExportSchema>;

/** What the job keeps as its result (the file itself waits in the blob store). */
export interface InterchangeExportResult extends Record<string, unknown> {
  format: 'uwazi' | 'esf';
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Uwazi: rows per CSV; ESF: entries per list. */
  contents: { name: string; rows: number }[];
  files: number;
  withheld: number;
  withIdentities: boolean;
  expiresAt: string;
}

class GoneError extends DomainError {
  readonly status = 410;
  readonly title = 'Gone';
}

async function mayCreate(deps: RecordsDeps, actor: Actor, compartment: string): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  if (can(subject, 'record.create', { compartmentId: compartment })) return;
  if (can(subject, 'record.read', { compartmentId: compartment })) throw new ForbiddenError('your role in that compartment does not let you create records');
  throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${compartment}` }]);
}

/** An item the actor may download (its reading is the evidentiary copy's). */
async function downloadableItem(deps: InterchangeDeps, actor: Actor, itemId: string) {
  const subject = await subjectOf(deps.db, actor);
  const item = await findItem(deps.db, itemId);
  if (!item || !can(subject, 'evidence.read', { compartmentId: item.compartment })) throw new NotFoundError(`no evidence item has id ${itemId}`);
  if (!can(subject, 'evidence.download', { compartmentId: item.compartment })) throw new ForbiddenError('your role in the item’s compartment does not let you download evidence');
  return item;
}

/**
 * Queues a dry run or an import of an evidence item holding Uwazi CSVs; the job's result is the report.
 *
 * @example await requestUwaziImport(deps, actor, { itemId, compartment, dryRun: true }) // { jobId, created }
 */
export async function requestUwaziImport(deps: InterchangeDeps, actor: Actor, input: unknown): Promise<{ jobId: string; created: boolean }> {
  const req = parseBody(uwaziImportSchema, input);
  await mayCreate(deps, actor, req.compartment);
  await downloadableItem(deps, actor, req.itemId);
  const key = `interchange.import-uwazi:${req.itemId}:${req.compartment}:${req.type ?? ''}:${req.dryRun ? 'dry' : 'import'}`;
  return inTransaction(deps.db, async (trx) => {
    const job = await enqueue(trx, 'interchange.import-uwazi', { ...req, requestedBy: actor.userId }, { compartmentId: req.compartment, dedupeKey: key, maxAttempts: 1 });
    await deps.audit(trx, {
      action: req.dryRun ? 'interchange.import-uwazi-dry-run-requested' : 'interchange.import-uwazi-requested',
      actorId: actor.userId,
      targetType: 'evidence',
      targetId: req.itemId,
      details: { jobId: job.id, compartment: req.compartment, type: req.type ?? null },
    });
    return { jobId: job.id, created: job.created };
  });
}

/**
 * Runs an import of an item as `actor` (the job's work): the item is opened once (audited as a
 * download), a ZIP read by ranges of the encrypted copy, a lone CSV in memory.
 */
export async function runUwaziImport(
  deps: InterchangeDeps,
  actor: Actor,
  input: unknown,
  onProgress?: (phase: 'reading' | 'writing', done: number, total: number) => void,
): Promise<UwaziImportReport & { itemId: string; compartment: string }> {
  const req = parseBody(uwaziImportSchema, input);
  await mayCreate(deps, actor, req.compartment);
  const item = await downloadableItem(deps, actor, req.itemId);
  // the archive's ranges are read while the import's transaction runs: through it (SQLite has one connection)
  let db = deps.db;
  const range = async (start: number, end: number): Promise<Readable> =>
    end <= start ? Readable.from([]) : new EncryptedBlobStore(deps.blobs, { db, vault: deps.vault }).get(item.blobName, { start, end: end - 1 });
  const head: Buffer[] = [];
  if (item.size >= 4) for await (const c of await range(0, 4)) head.push(c as Buffer);
  await deps.audit(deps.db, { action: 'evidence.download', actorId: actor.userId, targetType: 'evidence', targetId: item.id, details: { sha256: item.sha256, for: 'interchange.import-uwazi' } });
  const common = { compartment: req.compartment, itemId: item.id, type: req.type, dryRun: req.dryRun, onProgress, useTransaction: (trx: typeof db | null) => (db = trx ?? deps.db) };
  if (looksLikeZip(Buffer.concat(head))) {
    const { files, archive } = await openInterchange({ size: item.size, read: range });
    try {
      return { ...(await importUwazi(deps, actor, { ...common, files, archive })), itemId: item.id, compartment: req.compartment };
    } finally {
      archive.close();
    }
  }
  if (item.size > MAX_CSV_BYTES) throw new ValidationError([{ field: 'itemId', message: `the item is not a ZIP, and as a CSV it is over ${MAX_CSV_BYTES / 1024 / 1024} MB: split it` }]);
  const chunks: Buffer[] = [];
  for await (const c of await range(0, item.size)) chunks.push(c as Buffer);
  const name = req.type ? `${req.type}.csv` : await firstFilename(deps, item.id);
  return { ...(await importUwazi(deps, actor, { ...common, files: [{ name, bytes: Buffer.concat(chunks) }] })), itemId: item.id, compartment: req.compartment };
}

/** The name an item was first taken in under (a lone CSV's type is told by it). */
async function firstFilename(deps: InterchangeDeps, itemId: string): Promise<string> {
  const acq = await deps.db.selectFrom('evidence_acquisitions').select('id').where('item_id', '=', itemId).orderBy('acquired_at').orderBy('id').execute();
  const names = await readSecretTexts(deps.db, deps.vault, ACQUISITION_TYPE, acq.map((a) => String(a.id)));
  for (const a of acq) {
    const f = names.get(String(a.id))?.filename;
    if (f) return f.split(/[\\/]/).pop()!;
  }
  return 'list.csv';
}

/** Refuses at once what the export job would refuse. */
async function authorizeExport(deps: InterchangeDeps, actor: Actor, req: InterchangeExportRequest): Promise<void> {
  await assertReadable(deps, actor, req.compartment);
  if (req.withIdentities) await authorizeSensitive(deps, actor, req.compartment);
  if (req.withFiles) await authorizeFiles(deps, actor, req.compartment);
}

/**
 * Queues an export; follow the job, then download its file (GET /api/v1/interchange/exports/{jobId}/download).
 *
 * @example await requestInterchangeExport(deps, actor, { compartment, format: 'uwazi', withFiles: true })
 */
export async function requestInterchangeExport(deps: InterchangeDeps, actor: Actor, input: unknown): Promise<{ jobId: string; created: boolean }> {
  const req = parseBody(interchangeExportSchema, input);
  await authorizeExport(deps, actor, req);
  const key = `interchange.export:${actor.userId}:${createHash('sha256').update(JSON.stringify(req)).digest('hex')}`;
  return inTransaction(deps.db, async (trx) => {
    const job = await enqueue(trx, 'interchange.export', { ...req, requestedBy: actor.userId }, { compartmentId: req.compartment, dedupeKey: key, maxAttempts: 1 });
    await deps.audit(trx, {
      action: 'interchange.export-requested',
      actorId: actor.userId,
      targetType: 'compartment',
      targetId: req.compartment,
      details: { jobId: job.id, format: req.format, types: req.types ?? null, withFiles: req.withFiles, withIdentities: req.withIdentities },
    });
    return { jobId: job.id, created: job.created };
  });
}

/**
 * Makes the export as `actor` and stores it encrypted (the job's work); the caller keeps where.
 */
export async function runInterchangeExport(
  deps: InterchangeDeps,
  actor: Actor,
  input: unknown,
  onProgress?: (percent: number, message: string) => void,
): Promise<{ result: InterchangeExportResult; blobName: string; dataKeyId: string | null }> {
  const req = parseBody(interchangeExportSchema, input);
  await authorizeExport(deps, actor, req);
  const expiresAt = new Date(Date.now() + EXPORT_KEPT_MS).toISOString();
  const day = new Date().toISOString().slice(0, 10);
  if (req.format === 'esf') {
    const doc = await exportEsf(deps, actor, req.compartment);
    const stored = await ingestBlob([Buffer.from(esfJson(doc), 'utf8')], { store: deps.blobs, vault: deps.vault, db: deps.db });
    const contents = (['events', 'acts', 'persons', 'involvements'] as const).map((k) => ({ name: k, rows: doc[k].length }));
    return {
      result: { format: 'esf', filename: `letapis-esf-${day}.json`, contentType: 'application/json', size: stored.size, sha256: stored.sha256, contents, files: 0, withheld: 0, withIdentities: false, expiresAt },
      blobName: stored.blobName,
      dataKeyId: stored.dataKeyId,
    };
  }
  const exp = await exportUwazi(deps, actor, {
    compartment: req.compartment,
    types: req.types ?? INTERCHANGE_DEFAULT_TYPES,
    withSensitive: req.withIdentities,
    withFiles: req.withFiles,
    onProgress: (type, done) => onProgress?.(5, `${type}: ${done} records`),
  });
  // the ZIP's bytes as they are stored: the files are most of them
  const total = exp.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) + exp.attachments.reduce((n, f) => n + f.size, 0);
  let written = 0;
  const count = new Transform({
    transform(c: Buffer, _encoding, done) {
      written += c.length;
      onProgress?.(10 + Math.floor((Math.min(written, total) / Math.max(total, 1)) * 89), `writing the ZIP: ${written} of about ${total} bytes${exp.attachments.length ? ` (${exp.attachments.length} files)` : ''}`);
      done(null, c);
    },
  });
  // an error of the ZIP (a file that cannot be read) ends the stream the store reads with it
  const counted = pipeline(uwaziZipOf(deps, actor, exp), count, () => {});
  const stored = await ingestBlob(counted, { store: deps.blobs, vault: deps.vault, db: deps.db });
  return {
    result: {
      format: 'uwazi',
      filename: `letapis-uwazi-${day}.zip`,
      contentType: 'application/zip',
      size: stored.size,
      sha256: stored.sha256,
      contents: exp.files.map((f) => ({ name: f.name, rows: f.rows })),
      files: exp.attachments.length,
      withheld: exp.withheld,
      withIdentities: req.withIdentities,
      expiresAt,
    },
    blobName: stored.blobName,
    dataKeyId: stored.dataKeyId,
  };
}

/** Keeps a finished export for its download: the expiry job holds where it is. */
export async function keepExport(deps: InterchangeDeps, exportJobId: string, compartment: string, stored: { blobName: string; dataKeyId: string | null; size: number }, expiresAt: string): Promise<void> {
  await enqueue(deps.db, 'interchange.export-expire', { exportJobId, ...stored }, { compartmentId: compartment, dedupeKey: `interchange.export-expire:${exportJobId}`, runAt: new Date(expiresAt), maxAttempts: 5 });
}

/** Removes an export's file (its blob and data key); nothing when it is gone already. */
export async function discardExport(deps: InterchangeDeps, stored: { blobName: string; dataKeyId: string | null }): Promise<void> {
  await discardIngested(stored, { store: deps.blobs, db: deps.db });
}

/**
 * The export file of a job the actor asked for, decrypted as it streams; `done` removes it (call it
 * once the download is complete). Another account's export reads as one that does not exist.
 */
export async function openInterchangeExport(
  deps: InterchangeDeps,
  actor: Actor,
  jobId: string,
): Promise<{ result: InterchangeExportResult; stream: Readable; done: () => Promise<void> }> {
  const job = await findJob(deps.db, jobId);
  const payload = job && job.name === 'interchange.export' ? (JSON.parse(job.payload) as { requestedBy?: string; compartment: string }) : null;
  if (!job || !payload || payload.requestedBy !== actor.userId) throw new NotFoundError(`no export you asked for has id ${jobId}`);
  if (job.state !== 'done') throw new ConflictError(job.state === 'dead' ? `export ${jobId} failed: ${String(job.last_error ?? '')}` : `export ${jobId} is not ready yet: follow job ${jobId}`);
  // the account may have lost its access since: the same checks as when it asked
  await assertReadable(deps, actor, payload.compartment);
  const keep = await deps.db.selectFrom('jobs').select(['payload', 'state']).where('name', '=', 'interchange.export-expire').where('dedupe_key', '=', `interchange.export-expire:${jobId}`).executeTakeFirst();
  const stored = keep ? (JSON.parse(String(keep.payload)) as { blobName: string; dataKeyId: string | null }) : null;
  const gone = () => new GoneError(`the file of export ${jobId} was downloaded already or has expired (an export is kept ${EXPORT_KEPT_MS / 3600_000} hours, until its first download): export again`);
  if (!stored || keep!.state !== 'queued' || !(await deps.blobs.stat(stored.blobName))) throw gone();
  const stream = await new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault }).get(stored.blobName);
  const result = JSON.parse(String(job.result)) as InterchangeExportResult;
  await deps.audit(deps.db, { action: 'interchange.export-download', actorId: actor.userId, targetType: 'compartment', targetId: payload.compartment, details: { jobId, sha256: result.sha256, size: result.size } });
  return { result, stream, done: () => discardExport(deps, stored) };
}
