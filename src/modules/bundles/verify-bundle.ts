import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import yauzl from 'yauzl';
import { ed25519Verify } from '../../adapters/keys/ed25519.js';
import { parseTimestampToken, verifyTimestampToken } from '../../adapters/timestamps/index.js';
import {
  canonicalJson,
  leafHash,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  InclusionVerifier,
  verifyNoteSignature,
} from '../../domain/ledger/index.js';
import { BUNDLE_FORMAT, type BundleManifest } from './manifest.js';

/**
 * `letapis verify FILE.zip`: checks a case bundle with nothing but the bundle and the keys the
 * recipient trusts — no database, no network, no server. Every check that fails is named (which
 * file, item, event or signature) and the bundle is accepted only if all hold:
 *
 * - `manifest.sig` is the log key's signature over the SHA-256 of `manifest.json`;
 * - the checkpoint is signed by the log key, and cosigned by every witness key given;
 * - every file's size and SHA-256 are the manifest's, no file is missing and none is extra;
 * - the reports and VERIFY.txt are the ones the manifest names;
 * - every custody event hashes to its leaf, its inclusion proof leads to the checkpoint's root,
 *   and each item's events form one chain (`prev`), starting with the acquisition of these bytes;
 * - RFC 3161 timestamps, when present, are over the checkpoint and verify.
 */

export interface VerifyBundleOptions {
  /** Verifier keys the recipient trusts (`name+keyid+base64`): the log's, and witnesses'. */
  trust: string[];
  /** Also trust the keys the bundle carries (weak: only shows the bundle is self-consistent). */
  trustBundleKeys?: boolean;
  /** CA certificates (PEM) of time-stamping authorities the recipient trusts. */
  tsaCertsPem?: string[];
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface BundleProblem {
  where: string;
  message: string;
}

export interface BundleReport {
  ok: boolean;
  bundle: string;
  case: { id: string; title: string } | null;
  checkpoint: { origin: string; size: number; rootHash: string } | null;
  logKey: { key: string; trustedFrom: 'given' | 'bundle' } | null;
  witnesses: Array<{ name: string; cosigned: boolean }>;
  timestamps: Array<{ tsa: string; genTime: string; ok: boolean; chainTrusted: boolean | null }>;
  counts: { files: number; bytes: number; items: number; events: number; records: number; withheld: number };
  problems: BundleProblem[];
}

const KNOWN = new Set(['manifest.json', 'manifest.sig', 'report.html', 'report.pdf', 'VERIFY.txt']);
const MANIFEST_MAX = 512 * 1024 * 1024;

interface Entry {
  sha256: string;
  size: number;
  bytes?: Buffer;
  /** Stored evidence hashed by the hashing thread: its digest, when done. */
  pending?: Promise<{ sha256: string; size: number }>;
}

/**
 * A thread that hashes byte ranges of a file (the evidence stored in the ZIP) while the main
 * thread checks events and proofs: the two cores work at once. Plain JavaScript evaluated in the
 * worker, so it runs the same from the sources and from the build.
 */
const HASHER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createReadStream } = require('node:fs');
const { createHash } = require('node:crypto');
let queue = Promise.resolve();
parentPort.on('message', (job) => {
  queue = queue.then(() => new Promise((resolve) => {
    const h = createHash('sha256');
    let size = 0;
    const s = job.size === 0 ? null : createReadStream(job.path, { start: job.start, end: job.start + job.size - 1, highWaterMark: 1 << 20 });
    if (!s) { parentPort.postMessage({ id: job.id, sha256: h.digest('hex'), size: 0 }); return resolve(); }
    s.on('data', (c) => { h.update(c); size += c.length; parentPort.postMessage({ id: job.id, progress: c.length }); });
    s.on('error', (e) => { parentPort.postMessage({ id: job.id, error: e.message }); resolve(); });
    s.on('end', () => { parentPort.postMessage({ id: job.id, sha256: h.digest('hex'), size }); resolve(); });
  }));
});
`;

class Hasher {
  private readonly worker = new Worker(HASHER_SOURCE, { eval: true });
  private readonly waiting = new Map<number, { resolve: (v: { sha256: string; size: number }) => void; reject: (e: Error) => void }>();
  private next = 0;
  constructor(onBytes: (n: number) => void) {
    this.worker.on('message', (m: { id: number; progress?: number; sha256?: string; size?: number; error?: string }) => {
      if (m.progress !== undefined) return onBytes(m.progress);
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve({ sha256: m.sha256!, size: m.size! });
    });
    this.worker.on('error', (e) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    });
  }
  hash(path: string, start: number, size: number): Promise<{ sha256: string; size: number }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, path, start, size });
    });
  }
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Reads every entry once. First the central directory; then the stored evidence goes to the
 * hashing thread (which starts at once); then, on this thread, the small known files (manifest,
 * signature, reports) are read whole and anything else is hashed as it streams by.
 */
async function readZip(path: string, hasher: Hasher | undefined, onProgress?: (d: number, t: number) => void): Promise<{ entries: Map<string, Entry>; problems: BundleProblem[]; total: number }> {
  const problems: BundleProblem[] = [];
  const entries = new Map<string, Entry>();
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  );
  let total = 0;
  let done = 0;
  try {
    // 1. the list of entries
    const listed: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        listed.push(e);
        zip.readEntry();
      });
      zip.readEntry();
    });
    const names = new Set<string>();
    const toRead: yauzl.Entry[] = [];
    for (const e of listed) {
      total += e.uncompressedSize;
      const name = e.fileName;
      if (name.endsWith('/')) continue;
      if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\\')) {
        problems.push({ where: name, message: 'a file name that leaves the bundle (absolute or "..")' });
        continue;
      }
      if (names.has(name)) {
        problems.push({ where: name, message: 'the file appears twice in the ZIP' });
        continue;
      }
      names.add(name);
      const keep = KNOWN.has(name);
      if (keep && e.uncompressedSize > MANIFEST_MAX) {
        problems.push({ where: name, message: 'too large' });
        continue;
      }
      // 2. evidence is stored uncompressed: the hashing thread reads its bytes straight from the
      // file in large chunks (yauzl's own stream reads 16 KiB at a time) while this thread goes on
      if (!keep && hasher && e.compressionMethod === 0 && !e.isEncrypted() && e.compressedSize === e.uncompressedSize) {
        try {
          const h = await new Promise<{ fileDataStart: number }>((res, rej) => zip.readLocalFileHeader(e, { minimal: true }, (err, hd) => (err ? rej(err) : res(hd))));
          const pending = hasher.hash(path, h.fileDataStart, e.uncompressedSize);
          pending.catch(() => {});
          entries.set(name, { sha256: '', size: e.uncompressedSize, pending });
        } catch (err) {
          problems.push({ where: name, message: `cannot be read: ${(err as Error).message}` });
        }
        continue;
      }
      toRead.push(e);
    }
    // 3. the rest, on this thread
    for (const e of toRead) {
      const name = e.fileName;
      const keep = KNOWN.has(name);
      try {
        const stream = await new Promise<NodeJS.ReadableStream>((res, rej) => zip.openReadStream(e, (err, st) => (err ? rej(err) : res(st!))));
        const h = createHash('sha256');
        const chunks: Buffer[] = [];
        let size = 0;
        await new Promise<void>((res, rej) => {
          stream.on('data', (c: Buffer) => {
            h.update(c);
            size += c.length;
            done += c.length;
            if (keep) chunks.push(c);
            onProgress?.(done, total);
          });
          stream.on('error', rej);
          stream.on('end', () => res());
        });
        entries.set(name, { sha256: h.digest('hex'), size, ...(keep ? { bytes: Buffer.concat(chunks) } : {}) });
      } catch (err) {
        problems.push({ where: name, message: `cannot be read: ${(err as Error).message}` });
      }
    }
  } finally {
    zip.close();
  }
  return { entries, problems, total };
}

export async function verifyBundle(path: string, opts: VerifyBundleOptions): Promise<BundleReport> {
  const report: BundleReport = {
    ok: false,
    bundle: path,
    case: null,
    checkpoint: null,
    logKey: null,
    witnesses: [],
    timestamps: [],
    counts: { files: 0, bytes: 0, items: 0, events: 0, records: 0, withheld: 0 },
    problems: [],
  };
  const problem = (where: string, message: string) => report.problems.push({ where, message });
  let hashedBytes = 0;
  let zipTotal = 0;
  const hasher = new Hasher((n) => {
    hashedBytes += n;
    opts.onProgress?.(hashedBytes, zipTotal);
  });
  try {
    return await verifyWith(path, opts, report, hasher, (t) => (zipTotal = t));
  } finally {
    await hasher.close();
  }
}

async function verifyWith(path: string, opts: VerifyBundleOptions, report: BundleReport, hasher: Hasher, setTotal: (t: number) => void): Promise<BundleReport> {
  const problem = (where: string, message: string) => report.problems.push({ where, message });
  let read;
  try {
    read = await readZip(path, hasher);
    setTotal(read.total);
  } catch (e) {
    problem(path, `not a readable ZIP: ${(e as Error).message}`);
    return report;
  }
  report.problems.push(...read.problems);
  const { entries } = read;

  // the manifest
  const mEntry = entries.get('manifest.json');
  if (!mEntry?.bytes) {
    problem('manifest.json', 'missing: this is not a Letapis case bundle');
    return report;
  }
  let m: BundleManifest & { documents?: Record<string, string> };
  try {
    m = JSON.parse(mEntry.bytes.toString('utf8'));
    if (m.format !== BUNDLE_FORMAT) throw new Error(`format "${String(m.format)}", expected ${BUNDLE_FORMAT}`);
    if (!m.checkpoint || !m.log || !Array.isArray(m.items) || !Array.isArray(m.files)) throw new Error('required sections are missing');
  } catch (e) {
    problem('manifest.json', `unreadable: ${(e as Error).message}`);
    return report;
  }
  report.case = { id: String(m.case?.id), title: String(m.case?.title) };
  report.counts = {
    files: m.files.length,
    bytes: m.files.reduce((n, f) => n + (Number(f.size) || 0), 0),
    items: m.items.length,
    events: m.items.reduce((n, i) => n + (i.events?.length ?? 0), 0),
    records: m.records?.length ?? 0,
    withheld: m.withheld?.length ?? 0,
  };

  // keys
  const given = [];
  for (const k of opts.trust) {
    try {
      given.push(parseVerifierKey(k));
    } catch (e) {
      problem('--trust', `"${k}" is not a verifier key: ${(e as Error).message}`);
    }
  }
  let logKey = given.find((k) => k.alg === 'ed25519' && k.name === m.log.origin);
  if (logKey) report.logKey = { key: m.log.publicKey, trustedFrom: 'given' };
  else if (opts.trustBundleKeys) {
    try {
      logKey = parseVerifierKey(m.log.publicKey);
      report.logKey = { key: m.log.publicKey, trustedFrom: 'bundle' };
    } catch (e) {
      problem('manifest.json', `the log key it carries is malformed: ${(e as Error).message}`);
    }
  }
  if (!logKey)
    problem('log key', `no trusted key for the log "${m.log.origin}": pass --trust with the key the organisation gave you (or --trust-bundle-keys to check self-consistency only)`);

  // manifest signature
  const sigEntry = entries.get('manifest.sig');
  if (!sigEntry?.bytes) problem('manifest.sig', 'missing: the manifest is not signed');
  else if (logKey) {
    try {
      const note = parseNote(sigEntry.bytes.toString('utf8'));
      const expected = `${BUNDLE_FORMAT}\n${m.log.origin}\n${mEntry.sha256}\n`;
      // an intact signature over other text means the manifest changed; a broken one, the signature file
      if (verifyNoteSignature(note, logKey, ed25519Verify) !== 'valid') problem('manifest.sig', 'the log key’s signature does not verify (the signature file was changed, or made with another key)');
      else if (note.text !== expected) problem('manifest.json', 'its SHA-256 is not the one signed in manifest.sig (the manifest was changed)');
    } catch (e) {
      problem('manifest.sig', `unreadable: ${(e as Error).message}`);
    }
  }

  // checkpoint
  let root: Buffer | undefined;
  let size = 0;
  try {
    const note = parseNote(m.checkpoint.note);
    const cp = parseCheckpoint(note.text);
    report.checkpoint = { origin: cp.origin, size: cp.size, rootHash: cp.rootHash.toString('hex') };
    if (cp.origin !== m.log.origin) problem('checkpoint', `its origin "${cp.origin}" is not the log’s "${m.log.origin}"`);
    if (cp.size !== m.checkpoint.size || cp.rootHash.toString('hex') !== m.checkpoint.rootHash) problem('checkpoint', 'the signed note and the manifest disagree on size or root');
    root = cp.rootHash;
    size = cp.size;
    if (logKey && verifyNoteSignature(note, logKey, ed25519Verify) !== 'valid') problem('checkpoint', 'the log’s signature does not verify');
    const witnessKeys = given.filter((k) => k.alg === 'cosignature');
    if (opts.trustBundleKeys)
      for (const w of m.log.witnessKeys ?? [])
        try {
          const k = parseVerifierKey(w);
          if (!witnessKeys.some((x) => x.name === k.name)) witnessKeys.push(k);
        } catch {
          problem('manifest.json', `a witness key it carries is malformed: ${w}`);
        }
    for (const k of witnessKeys) {
      const v = verifyNoteSignature(note, k, ed25519Verify);
      report.witnesses.push({ name: k.name, cosigned: v === 'valid' });
      if (v === 'invalid') problem('checkpoint', `the cosignature of witness "${k.name}" does not verify`);
      else if (v === 'absent' && given.includes(k)) problem('checkpoint', `witness "${k.name}" (given with --trust) has not cosigned it`);
    }
    const digest = createHash('sha256').update(note.text, 'utf8').digest();
    for (const t of m.checkpoint.timestamps ?? []) {
      const der = Buffer.from(t.token, 'base64');
      const v = await verifyTimestampToken(der, digest, { trustedCertsPem: opts.tsaCertsPem?.length ? opts.tsaCertsPem : undefined });
      let genTime = t.genTime;
      try {
        genTime = parseTimestampToken(der).genTime;
      } catch {
        /* reported by verify */
      }
      report.timestamps.push({ tsa: t.tsa, genTime, ok: v.ok, chainTrusted: v.chainTrusted });
      if (!v.ok) problem(`timestamp ${t.tsa}`, v.problems.join('; ') || 'does not verify');
    }
  } catch (e) {
    problem('checkpoint', `unreadable: ${(e as Error).message}`);
  }

  // documents
  for (const [name, sha] of Object.entries(m.documents ?? {})) {
    const e = entries.get(name);
    if (!e) problem(name, 'missing');
    else if (e.sha256 !== sha) problem(name, 'its SHA-256 differs from the manifest’s (the file was changed)');
  }
  for (const name of ['report.html', 'report.pdf', 'VERIFY.txt']) if (!m.documents?.[name]) problem(name, 'the manifest does not name its hash');

  // custody events first (this thread), while the hashing thread reads the evidence
  checkEvents(m, root, size, problem);
  // then the hashes the other thread computed
  for (const [name, e] of entries) {
    if (!e.pending) continue;
    try {
      const done = await e.pending;
      e.sha256 = done.sha256;
      e.size = done.size;
    } catch (err) {
      problem(name, `cannot be read: ${(err as Error).message}`);
      entries.delete(name);
    }
  }

  // files
  const listed = new Set<string>();
  for (const f of m.files) {
    listed.add(f.path);
    const e = entries.get(f.path);
    if (!e) problem(f.path, 'missing from the bundle');
    else if (e.size !== f.size) problem(f.path, `has ${e.size} bytes, the manifest says ${f.size}`);
    else if (e.sha256 !== f.sha256) problem(f.path, `its SHA-256 is ${e.sha256}, the manifest says ${f.sha256} (the file was changed)`);
  }
  for (const name of entries.keys()) if (!KNOWN.has(name) && !listed.has(name)) problem(name, 'a file the manifest does not list');

  const items = new Map(m.items.map((i) => [i.id, i]));
  // every file's bytes are the ones its custody records name
  for (const f of m.files) {
    const own = items.get(f.itemId);
    const parent = f.role === 'derivative' ? (own?.parentId ? items.get(own.parentId) : m.items.find((i) => f.path.startsWith(`evidence/${i.id}/`))) : undefined;
    const recorded =
      f.role === 'original'
        ? (own?.events ?? []).some((e) => e.body.action === 'evidence.acquire' && e.body.details?.sha256 === f.sha256)
        : (parent?.events ?? []).some((e) => e.body.action === 'evidence.derive' && e.body.details?.derivativeId === f.itemId && e.body.details?.sha256 === f.sha256);
    if (!recorded) problem(f.path, f.role === 'original' ? 'no custody event records acquiring these bytes' : 'no custody event records deriving these bytes');
  }

  report.ok = report.problems.length === 0;
  return report;
}

/** Every item's custody events: leaf hashes, the chain, and inclusion proofs to the checkpoint's root. */
function checkEvents(m: BundleManifest, root: Buffer | undefined, size: number, problem: (where: string, message: string) => void): void {
  // the events sit side by side in the log: their proofs share most of their paths
  const verifier = root ? new InclusionVerifier(size, root) : undefined;
  for (const item of m.items) {
    let prev: string | null = null;
    let lastIndex = -1;
    for (const [n, ev] of (item.events ?? []).entries()) {
      const where = `item ${item.id} event ${n} (leaf ${ev.body?.index})`;
      let leaf: Buffer;
      try {
        leaf = leafHash(Buffer.from(canonicalJson(ev.body), 'utf8'));
      } catch (e) {
        problem(where, `its body cannot be hashed: ${(e as Error).message}`);
        continue;
      }
      if (leaf.toString('hex') !== ev.leafHash) problem(where, 'its body does not hash to its leaf hash (the event was changed)');
      if (ev.body.target?.type !== 'evidence' || ev.body.target?.id !== item.id) problem(where, 'it is not an event of this item');
      if ((ev.body.prev ?? null) !== prev) problem(where, 'it does not follow the previous event of the item (prev hash differs): the chain is broken');
      if (!(ev.body.index > lastIndex)) problem(where, 'events are out of log order');
      if (root && !verifier!.verify(ev.body.index, leaf, (ev.proof ?? []).map((p) => Buffer.from(p, 'hex'))))
        problem(where, 'its inclusion proof does not lead to the checkpoint’s root');
      prev = leaf.toString('hex');
      lastIndex = ev.body.index;
    }
  }
}

/** Reads PEM files given with --tsa-cert. */
export async function readPemFiles(paths: string[]): Promise<string[]> {
  return Promise.all(paths.map((p) => readFile(p, 'utf8')));
}

/** The report as text for people. */
export function formatBundleReport(r: BundleReport): string {
  const lines: string[] = [];
  lines.push(`Bundle:      ${r.bundle}`);
  if (r.case) lines.push(`Case:        ${r.case.title} (${r.case.id})`);
  if (r.checkpoint) lines.push(`Checkpoint:  ${r.checkpoint.origin}, ${r.checkpoint.size} events, root ${r.checkpoint.rootHash}`);
  lines.push(`Log key:     ${r.logKey ? `${r.logKey.key} (${r.logKey.trustedFrom === 'given' ? 'trusted: given with --trust' : 'UNTRUSTED: taken from the bundle itself'})` : 'none trusted'}`);
  for (const w of r.witnesses) lines.push(`Witness:     ${w.name}: ${w.cosigned ? 'cosigned' : 'no valid cosignature'}`);
  for (const t of r.timestamps) lines.push(`Timestamp:   ${t.tsa} at ${t.genTime}: ${t.ok ? 'valid' : 'INVALID'}${t.chainTrusted === null ? ' (TSA certificate not checked: pass --tsa-cert)' : t.chainTrusted ? ', TSA trusted' : ', TSA NOT trusted'}`);
  lines.push(
    `Contents:    ${r.counts.files} files (${r.counts.bytes} bytes), ${r.counts.items} items, ${r.counts.events} custody events, ${r.counts.records} records, ${r.counts.withheld} withheld`,
  );
  lines.push('');
  if (r.ok) lines.push('RESULT: VERIFIED — every file, event, proof and signature checked holds.');
  else {
    lines.push(`RESULT: FAILED — ${r.problems.length} problem(s):`);
    for (const p of r.problems.slice(0, 200)) lines.push(`  ✗ ${p.where}: ${p.message}`);
    if (r.problems.length > 200) lines.push(`  … and ${r.problems.length - 200} more (use --json for all)`);
  }
  return lines.join('\n') + '\n';
}
