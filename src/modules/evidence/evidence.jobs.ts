import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { uuidv7 } from 'uuidv7';
import type { JobContext, JobHandlers } from '../../adapters/queue/queue.port.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import { ingestBlob } from '../../adapters/blobs/ingest/ingest.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { indexEvidenceItem } from '../search/evidence-docs.js';
import {
  categoryOf,
  detectType,
  extractMetadata,
  extractWebCaptureMedia,
  imagePHash,
  isMediaError,
  makeImagePreview,
  makeImageThumbnail,
  ocrImage,
  videoKeyframeHashes,
  videoPoster,
  videoPreview,
  type DetectedType,
  type WaczVerification,
} from '../../adapters/media/index.js';
import * as repo from './evidence.repository.js';
import { storeItemMetadata, type EvidenceDeps } from './evidence.usecases.js';
import type { Kysely } from 'kysely';

/**
 * The processing of a new item, as one job: decrypt it to a private temporary file, detect its type
 * by content, extract its metadata (kept encrypted), make derivatives (thumbnail, preview, poster,
 * browser-playable video, OCR text, PDF text), each an item of its own with the original as parent,
 * and compute perceptual hashes. A file that fails to parse stays stored and is flagged with the
 * reason; a missing tool is recorded as "skipped: … not installed", never a silent nothing.
 */

export interface ProcessDeps extends EvidenceDeps {
  /** Where private temporary files go (a folder under the data dir, mode 0700). */
  tmpDir: string;
}

export interface ProcessResult extends Record<string, unknown> {
  mime: string | null;
  derivatives: string[];
  skipped: string[];
  flags: { kind: string; reason: string }[];
}

export function evidenceJobHandlers(deps: ProcessDeps): JobHandlers {
  return {
    'evidence.process': async (payload, ctx) => processItem(deps, payload.itemId, ctx),
  };
}

async function derivativeExists(deps: ProcessDeps, parentId: string, kind: string): Promise<boolean> {
  const r = await deps.db.selectFrom('evidence_items').select('id').where('parent_id', '=', parentId).where('derivative_kind', '=', kind).executeTakeFirst();
  return Boolean(r);
}

/** What else a derivative's transaction records: who made it, and further custody events (a redaction's). */
export interface DerivativeContext {
  actorId: string | null;
  also?: (trx: Kysely<any>, derivative: { id: string; sha256: string; size: number }) => Promise<void>;
}

/** Stores a file made from `parent` as a derivative item (encrypted like any other), with its audit event. */
export async function storeDerivative(
  deps: EvidenceDeps,
  parent: repo.ItemRow,
  path: string,
  kind: string,
  mime: string,
  derivedWith: string,
  context: DerivativeContext = { actorId: null },
): Promise<string> {
  const stored = await ingestBlob(createReadStream(path), { store: deps.blobs, vault: deps.vault, db: deps.db });
  const id = uuidv7();
  await inTransaction(deps.db, async (trx) => {
    await repo.insertItem(trx, {
      id,
      compartment: parent.compartment,
      sha256: stored.sha256,
      size: stored.size,
      blobName: stored.blobName,
      dataKeyId: stored.dataKeyId,
      storedSize: stored.encryptedSize,
      mime,
      category: categoryOf(mime),
      state: 'ready',
      flags: [],
      parentId: parent.id,
      derivativeKind: kind,
      derivedWith,
      phash: null,
      createdAt: new Date().toISOString(),
      createdBy: context.actorId,
    });
    await deps.audit(trx, {
      action: 'evidence.derive',
      actorId: context.actorId,
      targetType: 'evidence',
      targetId: parent.id,
      details: { derivativeId: id, kind, sha256: stored.sha256, size: stored.size, tool: derivedWith },
    });
    await context.also?.(trx, { id, sha256: stored.sha256, size: stored.size });
  });
  return id;
}

/** Decrypts an item's bytes to a private file (mode 0600), for the time of a job. */
export async function decryptToFile(deps: EvidenceDeps, item: repo.ItemRow, path: string): Promise<void> {
  const store = new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault });
  await pipeline(await store.get(item.blobName), createWriteStream(path, { mode: 0o600 }));
}

export async function processItem(deps: ProcessDeps, itemId: string, ctx: JobContext): Promise<ProcessResult> {
  const item = await repo.findItem(deps.db, itemId);
  const result: ProcessResult = { mime: null, derivatives: [], skipped: [], flags: [] };
  if (!item) {
    result.skipped.push('the item no longer exists');
    return result;
  }
  await repo.updateItem(deps.db, itemId, { state: 'processing' });
  await mkdir(deps.tmpDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(deps.tmpDir, 'process-'));
  try {
    // the evidentiary copy, decrypted to a private file only for the time of this job
    const original = join(dir, 'original');
    await decryptToFile(deps, item, original);
    await ctx.progress(10, 'decrypted');

    let type: DetectedType;
    try {
      type = await detectType(original);
    } catch (e) {
      result.flags.push({ kind: isMediaError(e) ? e.kind : 'malformed', reason: `type not recognised: ${(e as Error).message}` });
      type = { mime: 'application/octet-stream', ext: 'bin', category: 'other' } as DetectedType;
    }
    result.mime = type.mime;
    await repo.updateItem(deps.db, itemId, { mime: type.mime, category: type.category });
    await ctx.progress(20, `detected ${type.mime}`);

    let metadata: Record<string, unknown> | undefined;
    try {
      metadata = (await extractMetadata(original, type)) as unknown as Record<string, unknown>;
      await storeItemMetadata(deps.db, deps.vault, itemId, metadata);
      // damage the reader worked around (a broken EXIF block, a cut-off stream) is a flag too
      const warnings = Array.isArray(metadata.warnings) ? (metadata.warnings as unknown[]) : [];
      for (const w of warnings) result.flags.push({ kind: 'warning', reason: `metadata: ${scrub(String(w))}` });
      await deps.audit(deps.db, { action: 'evidence.metadata-extracted', actorId: null, targetType: 'evidence', targetId: itemId, details: { mime: type.mime } });
    } catch (e) {
      result.flags.push({ kind: isMediaError(e) ? e.kind : 'malformed', reason: prefixed('metadata', (e as Error).message) });
    }
    await ctx.progress(40, 'metadata extracted');

    const attempt = async (kind: string, what: () => Promise<void>) => {
      if (await derivativeExists(deps, itemId, kind)) return;
      try {
        await what();
      } catch (e) {
        if (isMediaError(e) && e.kind === 'tool-missing') result.skipped.push(`${kind}: skipped: ${e.message}`);
        else result.flags.push({ kind: isMediaError(e) ? e.kind : 'malformed', reason: prefixed(kind, (e as Error).message) });
      }
    };

    if (type.category === 'image') {
      await attempt('thumbnail', async () => {
        const dest = join(dir, 'thumb.webp');
        const d = await makeImageThumbnail(original, dest);
        result.derivatives.push(await storeDerivative(deps, item, dest, 'thumbnail', d.mime ?? 'image/webp', 'sharp'));
      });
      await attempt('preview', async () => {
        const dest = join(dir, 'preview.webp');
        const d = await makeImagePreview(original, dest);
        result.derivatives.push(await storeDerivative(deps, item, dest, 'preview', d.mime ?? 'image/webp', 'sharp'));
      });
      try {
        await repo.updateItem(deps.db, itemId, { phash: await imagePHash(original) });
      } catch (e) {
        result.flags.push({ kind: isMediaError(e) ? e.kind : 'malformed', reason: prefixed('perceptual hash', (e as Error).message) });
      }
      await ctx.progress(70, 'image derivatives made');
      await attempt('ocr-text', async () => {
        const ocr = await ocrImage(original);
        if (ocr.missingLangs.length) result.skipped.push(`ocr languages not installed: ${ocr.missingLangs.join(', ')}`);
        const text = (ocr.text ?? '').trim();
        if (!text) return;
        const dest = join(dir, 'ocr.txt');
        await writeFile(dest, text, { mode: 0o600 });
        result.derivatives.push(await storeDerivative(deps, item, dest, 'ocr-text', 'text/plain', `${ocr.engine} (${ocr.langs.join('+')})`));
      });
    } else if (type.category === 'video') {
      await attempt('poster', async () => {
        const dest = join(dir, 'poster.webp');
        const d = await videoPoster(original, dest);
        result.derivatives.push(await storeDerivative(deps, item, dest, 'poster', d.mime ?? 'image/webp', 'ffmpeg'));
      });
      await ctx.progress(55, 'poster made');
      await attempt('video-preview', async () => {
        const dest = join(dir, 'preview.mp4');
        const d = await videoPreview(original, dest);
        result.derivatives.push(await storeDerivative(deps, item, dest, 'video-preview', d.mime ?? 'video/mp4', 'ffmpeg'));
      });
      try {
        const hashes = await videoKeyframeHashes(original);
        await repo.updateItem(deps.db, itemId, { phash: hashes.hashes.join(',') });
      } catch (e) {
        if (isMediaError(e) && e.kind === 'tool-missing') result.skipped.push(`keyframe hashes: skipped: ${e.message}`);
        else result.flags.push({ kind: isMediaError(e) ? e.kind : 'malformed', reason: prefixed('keyframe hashes', (e as Error).message) });
      }
    } else if (type.category === 'pdf' || type.category === 'document') {
      const text = pagesText(metadata);
      if (text)
        await attempt('text', async () => {
          const dest = join(dir, 'text.txt');
          await writeFile(dest, text, { mode: 0o600 });
          result.derivatives.push(await storeDerivative(deps, item, dest, 'text', 'text/plain', type.category === 'pdf' ? 'pdf.js' : 'mammoth'));
        });
    } else if (type.category === 'web-capture') {
      await processWebCapture(deps, item, original, type, metadata, dir, result, attempt);
    }
    await ctx.progress(95, 'derivatives made');
    await repo.updateItem(deps.db, itemId, { state: result.flags.length ? 'flagged' : 'ready', flags: result.flags });
    // what processing found (metadata, document text, OCR) becomes searchable, sealed
    await indexEvidenceItem(deps, itemId);
    return result;
  } catch (e) {
    await repo.updateItem(deps.db, itemId, { state: 'stored' });
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A WARC or WACZ: its pages' text (each page headed by its URL and capture date) as a `text`
 * derivative, searchable like OCR text; its pictures, video and audio as `embedded-media`
 * derivatives with their URL in their own metadata; a WACZ's verification in the result and the
 * custody record, each failed check a flag (the item is kept).
 */
async function processWebCapture(
  deps: ProcessDeps,
  item: repo.ItemRow,
  original: string,
  type: DetectedType,
  metadata: Record<string, unknown> | undefined,
  dir: string,
  result: ProcessResult,
  attempt: (kind: string, what: () => Promise<void>) => Promise<void>,
): Promise<void> {
  if (!metadata) return; // unreadable (a zip bomb, not a WARC after all): already flagged with the reason
  const text = pagesText(metadata);
  if (text)
    await attempt('text', async () => {
      const dest = join(dir, 'pages.txt');
      await writeFile(dest, text, { mode: 0o600 });
      result.derivatives.push(await storeDerivative(deps, item, dest, 'text', 'text/plain', 'warcio'));
    });
  const verification = (metadata?.wacz as { verification?: WaczVerification } | undefined)?.verification;
  if (verification) {
    result.verification = verification;
    for (const f of verification.failures) result.flags.push({ kind: 'verification-failed', reason: `WACZ verification: ${f}` });
    const { resources, packageDigest, signature, signer, failures } = verification;
    await deps.audit(deps.db, { action: 'evidence.wacz-verified', actorId: null, targetType: 'evidence', targetId: item.id, details: { resources, packageDigest, signature, signer: signer ?? null, failures } });
  }
  await attempt('embedded-media', async () => {
    const mediaDir = join(dir, 'media');
    await mkdir(mediaDir, { mode: 0o700 });
    const found = await extractWebCaptureMedia(original, type, mediaDir);
    for (const s of found.skipped) result.skipped.push(`embedded media: ${s}`);
    for (const m of found.media) {
      let mime = m.declaredMime || 'application/octet-stream';
      try {
        mime = (await detectType(m.path)).mime; // by content, not by what the server said
      } catch {
        /* keep the declared type */
      }
      const id = await storeDerivative(deps, item, m.path, 'embedded-media', mime, 'warcio');
      await storeItemMetadata(deps.db, deps.vault, id, { kind: 'embedded-media', url: m.url, capturedAt: m.date, declaredMime: m.declaredMime, size: m.size });
      result.derivatives.push(id);
      await rm(m.path, { force: true });
    }
  });
}

/** The text of a PDF or document's metadata, pages joined with form feeds, if the extractor gave it. */
function pagesText(metadata: Record<string, unknown> | undefined): string {
  const text = metadata?.text;
  if (typeof text === 'string') return text.trim();
  const pages = (text as { pages?: unknown } | undefined)?.pages;
  return Array.isArray(pages) ? pages.filter((p): p is string => typeof p === 'string').join('\n\f\n').trim() : '';
}

/** Tool messages without memory addresses, so a reason reads the same on every run. */
function scrub(message: string): string {
  return message.replace(/ @ 0x[0-9a-f]+/gi, '').trim();
}

/** "step: message", without repeating the step when the message already names it. */
function prefixed(step: string, message: string): string {
  const m = scrub(message);
  return m.toLowerCase().startsWith(`${step.toLowerCase()}:`) ? m : `${step}: ${m}`;
}
