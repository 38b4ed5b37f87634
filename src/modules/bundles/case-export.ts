import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import yazl from 'yazl';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import type { LedgerConfig } from '../../app/config.js';
import { VERSION } from '../../app/version.js';
import { can, type Actor } from '../../domain/policies.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { formatNote, formatVerifierKey, signNoteText } from '../../domain/ledger/index.js';
import { discardIngested, ingestBlob } from '../../adapters/blobs/ingest/ingest.js';
import type { RecordTypeName } from '../../domain/records/fields.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { getRecord, listRecords } from '../records/records.usecases.js';
import * as records from '../records/records.repository.js';
import * as evidence from '../evidence/evidence.repository.js';
import { getCheckpoint, makeCheckpoint, timestampCheckpoint } from '../ledger/checkpoints.js';
import { leavesOfTarget, proofsOf } from '../ledger/ledger.repository.js';
import { ledgerSigner } from '../ledger/signing-key.js';
import { BUNDLE_FORMAT, type BundleEvent, type BundleFile, type BundleItem, type BundleManifest, type BundleRecord, type LedgerEventBody } from './manifest.js';
import { renderReportHtml, renderReportPdf } from './report.js';
import { verifyInstructions } from './verify-text.js';

/**
 * Case bundles: everything a prosecutor needs to rely on the evidence of one case, checkable
 * offline. Gathering decides what goes in (records of the case the exporter can read, evidence
 * linked to them, minus what the people concerned did not consent to share for judicial use);
 * a checkpoint is signed; every item's custody events get inclusion proofs against it; the ZIP is
 * streamed (evidence decrypted on the fly and hashed again on the way out) so memory stays flat
 * whatever the size. The same inputs (records, events, checkpoint) give the same bytes.
 */

export interface CaseExportDeps {
  db: Kysely<any>;
  vault: KeyVault;
  blobs: BlobStore;
  ledger: LedgerConfig;
  audit: AppendAuditEvent;
}

export interface CaseExportOptions {
  /** Why it is exported (kept in the custody event and the manifest). */
  reason?: string;
  /** Who receives it: consents naming another recipient do not count. */
  recipient?: string;
  /** Derivative kinds to include beside the evidentiary copies (e.g. `ocr-text`, `preview`). */
  derivatives?: string[];
  /** Re-export against an existing checkpoint of this size (reproduces an earlier bundle). */
  checkpointSize?: number;
  onProgress?: (done: number, total: number, message: string) => void;
}

export interface PreparedBundle {
  manifest: BundleManifest;
  /** Blob of each file in `manifest.files`, by path. */
  blobs: Map<string, string>;
}

export interface ExportResult {
  caseId: string;
  checkpointSize: number;
  records: number;
  items: number;
  files: number;
  events: number;
  withheld: number;
  /** Size and SHA-256 of the ZIP written. */
  bytes: number;
  sha256: string;
}

/** The consent scope a case bundle needs from the people it concerns. */
export const JUDICIAL_SCOPE = 'judicial-use';
/** Fixed time stamped on every ZIP entry, so bundles are reproducible. */
const ZIP_TIME = new Date(Date.UTC(2000, 0, 1));

type Subject = Awaited<ReturnType<typeof subjectOf>>;

/** Gathers the case and builds its manifest (no bytes of evidence read yet). */
export async function prepareCaseBundle(deps: CaseExportDeps, actor: Actor, caseId: string, opts: CaseExportOptions = {}): Promise<PreparedBundle> {
  const rdeps = { db: deps.db, vault: deps.vault, audit: deps.audit };
  const subject = await subjectOf(deps.db, actor);
  const theCase = await getRecord(rdeps, actor, 'cases', caseId);
  if (!can(subject, 'case.export', { compartmentId: theCase.compartment }))
    throw new ForbiddenError('your role in this case’s compartment may not export it (coordinators and lawyers may)');
  if (opts.derivatives?.some((k) => !/^[a-z-]{1,40}$/.test(k))) throw new ValidationError([{ field: 'derivatives', message: 'derivative kinds are lower-case names like ocr-text' }]);

  const withheld: BundleManifest['withheld'] = [];
  const recs = new Map<string, BundleRecord>();
  const consentCache = new Map<string, boolean>();
  const recipient = opts.recipient?.trim() || null;

  const consented = async (personId: string): Promise<boolean> => {
    if (!consentCache.has(personId)) consentCache.set(personId, await personConsents(rdeps, actor, personId, recipient));
    return consentCache.get(personId)!;
  };
  const add = async (type: RecordTypeName, id: string): Promise<Record<string, unknown> | undefined> => {
    const key = `${type}/${id}`;
    if (recs.has(key)) return recs.get(key)!.data;
    if (withheld.some((w) => w.type === type && w.id === id)) return undefined;
    let r;
    try {
      r = await getRecord(rdeps, actor, type, id);
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof ForbiddenError) {
        withheld.push({ type, id, reason: 'not visible to the exporter (another compartment)' });
        return undefined;
      }
      throw e;
    }
    const { links: _l, permissions: _p, ...data } = r as unknown as Record<string, unknown>;
    // consent of the people a record is about or comes from
    const person =
      type === 'medical-findings' ? (data.person as string | null) : type === 'information' ? (data.sourcePerson as string | null) : null;
    if (person && !(await consented(person))) {
      withheld.push({ type, id, reason: `no consent for ${JUDICIAL_SCOPE}${recipient ? ` with ${recipient}` : ''} from the person concerned` });
      return undefined;
    }
    if (type === 'testimonies') {
      const ok = data.consent ? await consentRecordAllows(rdeps, actor, data.consent as string, recipient) : false;
      if (!ok) {
        withheld.push({ type, id, reason: `the testimony’s consent does not cover ${JUDICIAL_SCOPE}${recipient ? ` with ${recipient}` : ''}` });
        return undefined;
      }
    }
    recs.set(key, { type, id, label: labelOf(data), data: stripMeta(data) });
    return data;
  };

  const caseData = (await add('cases', caseId))!;
  for (const id of (caseData.events as string[] | undefined) ?? []) await add('events', id);
  for (const id of (caseData.acts as string[] | undefined) ?? []) await add('acts', id);
  const quals = (await records.referrers(deps.db, 'cases', caseId, 10_000)).filter((r) => r.type === 'qualifications');
  for (const q of quals) {
    const qd = await add('qualifications', q.id);
    if (!qd) continue;
    const elements = (await records.referrers(deps.db, 'qualifications', q.id, 10_000)).filter((r) => r.type === 'qualification-elements');
    for (const el of elements) {
      const ed = await add('qualification-elements', el.id);
      if (!ed) continue;
      for (const id of (ed.acts as string[] | undefined) ?? []) await add('acts', id);
      for (const id of (ed.information as string[] | undefined) ?? []) await add('information', id);
      for (const id of (ed.medicalFindings as string[] | undefined) ?? []) await add('medical-findings', id);
    }
  }
  // testimonies about the case's events
  for (const ev of (caseData.events as string[] | undefined) ?? []) {
    if (!recs.has(`events/${ev}`)) continue;
    const refs = (await records.referrers(deps.db, 'events', ev, 10_000)).filter((r) => r.type === 'testimonies');
    for (const t of refs) await add('testimonies', t.id);
  }

  // evidence linked to the records in the bundle
  const readable = new Set([...subject.memberships.entries()].filter(([c]) => can(subject, 'evidence.download', { compartmentId: c })).map(([c]) => c));
  const itemIds = new Set<string>();
  const linksOf = new Map<string, BundleItem['links']>();
  const recordList = [...recs.values()];
  for (const rec of recordList) {
    const links = await deps.db
      .selectFrom('evidence_links')
      .select(['item_id', 'target_type', 'target_id', 'span', 'note'])
      .where('target_type', '=', rec.type)
      .where('target_id', '=', rec.id)
      .orderBy('id')
      .execute();
    for (const l of links) {
      const itemId = l.item_id as string;
      const list = linksOf.get(itemId) ?? [];
      list.push({ targetType: l.target_type as string, targetId: l.target_id as string, span: l.span ? JSON.parse(l.span as string) : null, note: (l.note as string | null) ?? null });
      linksOf.set(itemId, list);
      itemIds.add(itemId);
    }
  }

  // the checkpoint every proof leads to
  let cp;
  if (opts.checkpointSize !== undefined) {
    cp = await getCheckpoint(deps, opts.checkpointSize);
    if (!cp) throw new NotFoundError(`there is no checkpoint of size ${opts.checkpointSize}`);
  } else {
    cp = await makeCheckpoint(deps, 'export');
    if (!cp) throw new ValidationError([{ field: 'case', message: 'the ledger is empty: nothing to prove' }]);
    await timestampCheckpoint(deps, cp.size, { timeoutMs: 10_000 });
    cp = (await getCheckpoint(deps, cp.size))!;
  }

  const items: BundleItem[] = [];
  const files: BundleFile[] = [];
  const blobs = new Map<string, string>();
  const actors = new Set<string>();
  for (const itemId of [...itemIds].sort()) {
    const item = await evidence.findItem(deps.db, itemId);
    if (!item) continue;
    if (!readable.has(item.compartment)) {
      withheld.push({ type: 'evidence', id: itemId, reason: 'the exporter may not download evidence of its compartment' });
      continue;
    }
    const acquisitions = await evidence.listAcquisitions(deps.db, itemId);
    const sources = [...new Set(acquisitions.map((a) => a.sourcePersonId).filter((p): p is string => Boolean(p)))];
    let ok = true;
    for (const p of sources) if (!(await consented(p))) ok = false;
    if (!ok) {
      withheld.push({ type: 'evidence', id: itemId, reason: `no consent for ${JUDICIAL_SCOPE}${recipient ? ` with ${recipient}` : ''} from the source` });
      continue;
    }
    const events = await eventsWithProofs(deps.db, 'evidence', itemId, cp.size);
    for (const e of events) if (e.body.actor) actors.add(e.body.actor);
    for (const a of acquisitions) if (a.acquiredBy) actors.add(a.acquiredBy);
    items.push({
      id: item.id,
      parentId: item.parentId,
      sha256: item.sha256,
      size: item.size,
      mime: item.mime,
      category: item.category,
      acquisitions: acquisitions.map((a) => ({ id: a.id, method: a.method, acquiredAt: a.acquiredAt, acquiredBy: a.acquiredBy, toolVersion: a.toolVersion, note: a.note })),
      links: linksOf.get(itemId) ?? [],
      events,
    });
    const path = `evidence/${item.id}/original${extensionOf(item.mime)}`;
    files.push({ path, itemId: item.id, role: item.parentId ? 'derivative' : 'original', derivativeKind: item.derivativeKind, sha256: item.sha256, size: item.size, mime: item.mime });
    blobs.set(path, item.blobName);
    for (const kind of [...new Set(opts.derivatives ?? [])].sort()) {
      const derived = await deps.db.selectFrom('evidence_items').selectAll().where('parent_id', '=', item.id).where('derivative_kind', '=', kind).orderBy('id').execute();
      for (const d of derived.map(evidence.toItem)) {
        const dpath = `evidence/${item.id}/${kind}-${d.id}${extensionOf(d.mime)}`;
        files.push({ path: dpath, itemId: d.id, role: 'derivative', derivativeKind: kind, sha256: d.sha256, size: d.size, mime: d.mime });
        blobs.set(dpath, d.blobName);
      }
    }
  }

  const actorNames: Record<string, string> = {};
  if (actors.size) {
    const rows = await deps.db.selectFrom('users').select(['id', 'username']).where('id', 'in', [...actors]).execute();
    for (const r of rows.sort((a, b) => String(a.id).localeCompare(String(b.id)))) actorNames[r.id as string] = r.username as string;
  }
  const keyRow = await deps.db.selectFrom('ledger_keys').select(['name', 'public_key']).where('active', '=', 1).executeTakeFirstOrThrow();
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    generator: { name: 'letapis', version: VERSION },
    case: { id: caseId, title: String(caseData.title ?? ''), status: String(caseData.status ?? '') },
    export: { by: actorNames[actor.userId] ?? (await usernameOf(deps.db, actor.userId)), reason: opts.reason?.trim() || null, recipient },
    log: {
      origin: keyRow.name as string,
      publicKey: formatVerifierKey(keyRow.name as string, Buffer.from(keyRow.public_key as string, 'base64')),
      witnessKeys: deps.ledger.witnesses,
      witnessQuorum: deps.ledger.witnessQuorum,
    },
    checkpoint: { note: cp.note, size: cp.size, rootHash: cp.rootHash, timestamps: cp.timestamps.map((t) => ({ tsa: t.tsa, token: t.token, genTime: t.genTime })) },
    actors: actorNames,
    records: recordList.sort((a, b) => (a.type === b.type ? a.id.localeCompare(b.id) : a.type.localeCompare(b.type))),
    items,
    files,
    withheld: withheld.sort((a, b) => (a.type === b.type ? a.id.localeCompare(b.id) : a.type.localeCompare(b.type))),
  };
  return { manifest, blobs };
}

/** An item's events up to the checkpoint, each with its inclusion proof (one read of the nodes). */
async function eventsWithProofs(db: Kysely<any>, type: string, id: string, size: number): Promise<BundleEvent[]> {
  const leaves = await leavesOfTarget(db, type, id, size);
  const proofs = await proofsOf(db, leaves, size);
  return leaves.map((l, i) => ({ body: JSON.parse(l.body) as LedgerEventBody, leafHash: l.leafHash, proof: proofs[i]!.map((h) => h.toString('hex')) }));
}

async function usernameOf(db: Kysely<any>, id: string): Promise<string | null> {
  const r = await db.selectFrom('users').select('username').where('id', '=', id).executeTakeFirst();
  return (r?.username as string | undefined) ?? null;
}

/** Whether any consent of the person (that the exporter can read) allows judicial use by the recipient. */
async function personConsents(rdeps: Parameters<typeof listRecords>[0], actor: Actor, personId: string, recipient: string | null): Promise<boolean> {
  const page = await listRecords(rdeps, actor, 'consents', { person: personId, limit: 100 });
  return page.items.some((c) => consentAllows(c as unknown as Record<string, unknown>, recipient));
}

async function consentRecordAllows(rdeps: Parameters<typeof getRecord>[0], actor: Actor, consentId: string, recipient: string | null): Promise<boolean> {
  try {
    return consentAllows((await getRecord(rdeps, actor, 'consents', consentId)) as unknown as Record<string, unknown>, recipient);
  } catch {
    return false;
  }
}

/** A consent allows a bundle: judicial use, not withdrawn, and naming no recipient or this one. */
export function consentAllows(c: Record<string, unknown>, recipient: string | null): boolean {
  const scopes = (c.scopes as string[] | undefined) ?? [];
  if (!scopes.includes(JUDICIAL_SCOPE) || c.withdrawnAt) return false;
  const named = typeof c.recipient === 'string' ? c.recipient.trim() : '';
  return named === '' || (recipient !== null && named.toLowerCase() === recipient.toLowerCase());
}

function labelOf(d: Record<string, unknown>): string {
  for (const k of ['title', 'name', 'summary', 'crime', 'element', 'kind', 'recipient']) if (typeof d[k] === 'string' && d[k]) return d[k] as string;
  return String(d.id);
}

/** The record as exported: its fields, id and version, without the bookkeeping that changes on every read. */
function stripMeta(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (v === undefined || k === 'hidden' || k === 'permissions' || k === 'links') continue;
    out[k] = v;
  }
  return out;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/heic': '.heic',
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'video/webm': '.webm',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/wav': '.wav',
  'audio/x-wav': '.wav',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/html': '.html',
  'application/json': '.json',
  'application/zip': '.zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
};
const extensionOf = (mime: string | null) => (mime ? (EXTENSIONS[mime.split(';')[0]!.trim()] ?? '.bin') : '.bin');

/**
 * Signs the manifest's SHA-256 with the log key as a C2SP signed note, so that a change anywhere
 * in the manifest (even in fields no proof covers, like labels) is caught by `letapis verify`.
 */
export function manifestNoteBody(origin: string, manifestSha256: string): string {
  return `${BUNDLE_FORMAT}\n${origin}\n${manifestSha256}\n`;
}

/**
 * Writes the bundle ZIP to `out`: manifest.json, manifest.sig, report.html, report.pdf, VERIFY.txt,
 * then the files. Evidence is decrypted from the store and hashed on the way; a mismatch with the
 * recorded SHA-256 aborts the export (the caller discards what was written).
 */
export async function writeCaseBundle(
  deps: CaseExportDeps,
  prepared: PreparedBundle,
  out: Writable,
  onProgress?: (done: number, total: number, message: string) => void,
): Promise<{ bytes: number; sha256: string }> {
  const { manifest } = prepared;
  const signer = await ledgerSigner(deps.db, deps.vault, deps.ledger.origin);
  // documents rendered from the manifest, their hashes then recorded in it
  const html = Buffer.from(renderReportHtml(manifest), 'utf8');
  const pdfChunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      pdfChunks.push(Buffer.from(chunk));
      cb();
    },
  });
  await renderReportPdf(manifest, sink);
  const pdf = Buffer.concat(pdfChunks);
  const verifyTxt = Buffer.from(verifyInstructions(manifest), 'utf8');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const full = { ...manifest, documents: { 'report.html': sha(html), 'report.pdf': sha(pdf), 'VERIFY.txt': sha(verifyTxt) } };
  const manifestBytes = Buffer.from(JSON.stringify(full, null, 2) + '\n', 'utf8');
  const body = manifestNoteBody(signer.name, sha(manifestBytes));
  const sig = Buffer.from(formatNote({ text: body, signatures: [signNoteText(body, signer.name, signer.publicKey, signer.sign)] }), 'utf8');

  const zip = new yazl.ZipFile();
  const entry = { mtime: ZIP_TIME, mode: 0o100644 };
  zip.addBuffer(manifestBytes, 'manifest.json', { ...entry, compress: true });
  zip.addBuffer(sig, 'manifest.sig', { ...entry, compress: false });
  zip.addBuffer(html, 'report.html', { ...entry, compress: true });
  zip.addBuffer(pdf, 'report.pdf', { ...entry, compress: false });
  zip.addBuffer(verifyTxt, 'VERIFY.txt', { ...entry, compress: true });
  const store = new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault });
  const total = manifest.files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  let failure: Error | undefined;
  for (const f of manifest.files) {
    const blob = prepared.blobs.get(f.path)!;
    zip.addReadStreamLazy(f.path, { ...entry, compress: false, size: f.size }, (cb) => {
      store.get(blob).then(
        (stream) => {
          const h = createHash('sha256');
          let n = 0;
          const check = new Transform({
            transform(chunk: Buffer, _e, next) {
              h.update(chunk);
              n += chunk.length;
              done += chunk.length;
              onProgress?.(done, total, f.path);
              next(null, chunk);
            },
            flush(next) {
              const d = h.digest('hex');
              if (d !== f.sha256 || n !== f.size) {
                failure = new Error(`evidence ${f.itemId} (${f.path}) decrypted to ${n} bytes with SHA-256 ${d}, not the recorded ${f.size} bytes ${f.sha256}: the store is damaged (run letapis verify --vault)`);
                next(failure);
              } else next();
            },
          });
          stream.on('error', (e) => check.destroy(e));
          cb(null, stream.pipe(check));
        },
        (e) => cb(e, undefined as never),
      );
    });
  }
  zip.end({ forceZip64Format: false, comment: '' });
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, next) {
      hash.update(chunk);
      bytes += chunk.length;
      next(null, chunk);
    },
  });
  await pipeline(zip.outputStream as unknown as Readable, counter, out);
  if (failure) throw failure;
  return { bytes, sha256: hash.digest('hex') };
}

/** Custody events of an export: one for the case, one per item carried out. */
async function recordExport(deps: CaseExportDeps, actor: Actor, prepared: PreparedBundle, written: { bytes: number; sha256: string }, opts: CaseExportOptions, destination: string) {
  const m = prepared.manifest;
  await deps.db.transaction().execute(async (trx) => {
    await deps.audit(trx, {
      action: 'case.export',
      actorId: actor.userId,
      targetType: 'case',
      targetId: m.case.id,
      reason: opts.reason,
      details: { checkpoint: m.checkpoint.size, items: m.items.length, files: m.files.length, withheld: m.withheld.length, bundleSha256: written.sha256, bytes: written.bytes, recipient: m.export.recipient, destination },
    });
    for (const it of m.items)
      await deps.audit(trx, { action: 'evidence.export', actorId: actor.userId, targetType: 'evidence', targetId: it.id, reason: opts.reason, details: { case: m.case.id, bundleSha256: written.sha256, checkpoint: m.checkpoint.size } });
  });
}

const summary = (p: PreparedBundle, w: { bytes: number; sha256: string }): ExportResult => ({
  caseId: p.manifest.case.id,
  checkpointSize: p.manifest.checkpoint.size,
  records: p.manifest.records.length,
  items: p.manifest.items.length,
  files: p.manifest.files.length,
  events: p.manifest.items.reduce((n, i) => n + i.events.length, 0),
  withheld: p.manifest.withheld.length,
  ...w,
});

/**
 * Exports a case to a ZIP file: written beside the target as `.partial` and renamed when whole,
 * so a failure leaves nothing that looks like a bundle. The export is then recorded as custody events.
 */
export async function exportCaseToFile(deps: CaseExportDeps, actor: Actor, caseId: string, path: string, opts: CaseExportOptions = {}): Promise<ExportResult> {
  const prepared = await prepareCaseBundle(deps, actor, caseId, opts);
  const partial = `${path}.partial`;
  let written;
  try {
    written = await writeCaseBundle(deps, prepared, createWriteStream(partial, { flags: 'w', mode: 0o600 }), opts.onProgress);
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  await recordExport(deps, actor, prepared, written, opts, 'file');
  return summary(prepared, written);
}

/** Exports a case into the (encrypted) blob store, for download later; returns the blob's name too. */
export async function exportCaseToStore(
  deps: CaseExportDeps,
  actor: Actor,
  caseId: string,
  opts: CaseExportOptions = {},
): Promise<ExportResult & { blobName: string; dataKeyId: string | null; storedSize: number }> {
  const prepared = await prepareCaseBundle(deps, actor, caseId, opts);
  const through = new PassThrough();
  const ingesting = ingestBlob(through, { store: deps.blobs, vault: deps.vault, db: deps.db });
  let written;
  try {
    written = await writeCaseBundle(deps, prepared, through, opts.onProgress);
  } catch (e) {
    through.destroy(e as Error);
    await ingesting.then((s) => discardIngested(s, { store: deps.blobs, db: deps.db })).catch(() => {});
    throw e;
  }
  const stored = await ingesting;
  await recordExport(deps, actor, prepared, written, opts, 'store');
  return { ...summary(prepared, written), blobName: stored.blobName, dataKeyId: stored.dataKeyId, storedSize: stored.encryptedSize };
}

