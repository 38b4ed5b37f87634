/**
 * The `ingest` section of the benchmark (see bench/run.ts and docs/BENCHMARKS.md):
 *
 *   largeFile   a file of random bytes (default 1 GiB): `openssl dgst -sha256` on it (the CPU's
 *               SHA-256 limit), then `ingestBlob` (read + SHA-256 + encrypt + write + fsync to a
 *               disk store) through `benchIngest`, then `ingestEvidence` end to end (blob, item,
 *               acquisition, audit event, processing job queued) on the engine's container;
 *   smallJpegs  N small, valid, pairwise distinct JPEGs (default 10,000) through `ingestEvidence`
 *               one after the other, as `letapis ingest` does.
 *
 * The processing jobs queued (`evidence.process`: type detection, metadata, thumbnails…) are not
 * run: no worker is started. They are a separate cost.
 */
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { Kysely } from 'kysely';
import type { Container } from '../src/app/container.js';
import { appendAuditEvent } from '../src/modules/audit/audit.repository.js';
import { ingestEvidence, type EvidenceDeps } from '../src/modules/evidence/evidence.usecases.js';
import { benchIngest } from '../src/adapters/blobs/ingest/ingest.bench-support.js';
import { fileChunks } from '../src/adapters/blobs/ingest/file-chunks.js';
import { makeActor } from '../src/test-support/actors.js';

type Log = (msg: string) => void;

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const MiB = 1024 * 1024;
const mb = (bytes: number) => bytes / 1e6; // MB = 10^6 bytes, as openssl and benchIngest count

// ---------------------------------------------------------------------------------------------
// Inputs, made once per run and shared by the engines

export interface IngestInputs {
  dir: string;
  largeFile: { path: string; bytes: number; generateSeconds: number };
  /** Made on first call (after the large-file measurement, so sharp's memory is not in its baseline). */
  jpegs(): Promise<JpegSet>;
  /** The JPEG set, once made. */
  jpegSet?: JpegSet;
}

export interface JpegSet {
  dir: string;
  files: { path: string; name: string; bytes: number }[];
  totalBytes: number;
  distinctImages: number;
  generateSeconds: number;
  /** How many of the files were decoded again with sharp to check they are valid JPEGs. */
  verifiedDecodes: number;
}

/** The inputs of the section under `dir` (a fresh temporary folder the caller removes). */
export async function makeIngestInputs(dir: string, largeBytes: number, jpegCount: number, log: Log): Promise<IngestInputs> {
  const path = join(dir, 'large.bin');
  log(`ingest: writing ${round(largeBytes / 2 ** 30, 2)} GiB of random bytes to ${path}`);
  const t0 = performance.now();
  await writeRandomFile(path, largeBytes);
  const largeFile = { path, bytes: statSync(path).size, generateSeconds: round((performance.now() - t0) / 1000, 2) };
  log(`ingest: large file written in ${largeFile.generateSeconds} s`);
  let made: Promise<JpegSet> | undefined;
  const inputs: IngestInputs = {
    dir,
    largeFile,
    jpegs: () =>
      (made ??= makeJpegs(join(dir, 'jpegs'), jpegCount, log).then((set) => {
        inputs.jpegSet = set;
        return set;
      })),
  };
  return inputs;
}

async function makeJpegs(jpegDir: string, jpegCount: number, log: Log): Promise<JpegSet> {
  const t0 = performance.now();
  mkdirSync(jpegDir);
  const bases = await baseJpegs(20);
  const files: JpegSet['files'] = [];
  let totalBytes = 0;
  for (let i = 0; i < jpegCount; i++) {
    const name = `IMG_${String(i + 1).padStart(5, '0')}.jpg`;
    const bytes = withComment(bases[i % bases.length]!, `letapis bench ${name} ${i}`);
    const p = join(jpegDir, name);
    writeFileSync(p, bytes, { mode: 0o600 });
    files.push({ path: p, name, bytes: bytes.byteLength });
    totalBytes += bytes.byteLength;
  }
  // about 100 files spread over the set, and the last: still JPEGs a decoder reads in full
  let verifiedDecodes = 0;
  for (let i = 0; i < files.length; i += Math.max(1, Math.floor(files.length / 100))) {
    await checkJpeg(files[i]!.path);
    verifiedDecodes++;
  }
  if (files.length) {
    await checkJpeg(files[files.length - 1]!.path);
    verifiedDecodes++;
  }
  sharp.cache(false); // drop libvips' operation cache: not part of what ingest holds
  const generateSeconds = round((performance.now() - t0) / 1000, 2);
  log(`ingest: ${files.length} JPEGs (${round(mb(totalBytes), 1)} MB, ${bases.length} distinct images) written in ${generateSeconds} s`);
  return { dir: jpegDir, files, totalBytes, distinctImages: bases.length, generateSeconds, verifiedDecodes };
}

/** `bytes` random bytes, 16 MiB at a time, then fsync: no dirty pages left to compete with the timed runs. */
async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w', 0o600);
  try {
    const block = Buffer.allocUnsafe(16 * MiB);
    for (let at = 0; at < bytes; at += block.byteLength) {
      randomFillSync(block);
      await fh.write(block, 0, Math.min(block.byteLength, bytes - at));
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** `n` different photos-like JPEGs (smooth colour waves plus noise, 240–640 px wide, quality 80, with EXIF). */
async function baseJpegs(n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let k = 0; k < n; k++) {
    const w = 240 + ((k * 37) % 400);
    const h = Math.round((w * 3) / 4);
    const raw = Buffer.alloc(w * h * 3);
    let s = (k * 7919 + 1) >>> 0;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    const fx = 0.01 + rnd() * 0.05;
    const fy = 0.01 + rnd() * 0.05;
    const phase = rnd() * 6;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++)
          raw[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, 128 + 90 * Math.sin(x * fx + y * fy * (c + 1) + phase + c) + (rnd() - 0.5) * 24));
    out.push(
      await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .withExif({ IFD0: { Make: 'Letapis', Model: `bench camera ${k}` } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    );
  }
  return out;
}

/** The JPEG with a comment segment (COM, FF FE) right after its start-of-image marker: valid, and different bytes. */
function withComment(jpeg: Buffer, text: string): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const body = Buffer.from(text, 'latin1');
  const seg = Buffer.alloc(4 + body.byteLength);
  seg.writeUInt16BE(0xfffe, 0);
  seg.writeUInt16BE(body.byteLength + 2, 2);
  body.copy(seg, 4);
  return Buffer.concat([jpeg.subarray(0, 2), seg, jpeg.subarray(2)]);
}

async function checkJpeg(path: string): Promise<void> {
  const { info } = await sharp(readFileSync(path), { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
  if (!info.width || !info.height) throw new Error(`${path} did not decode`);
}

// ---------------------------------------------------------------------------------------------
// Peak memory

/**
 * Peak resident set size of the whole process (main thread, worker threads, native memory) while
 * it runs: sampled every 100 ms, and, on Linux, also the kernel's own high-water mark (VmHWM in
 * /proc/self/status, reset first through /proc/self/clear_refs), which misses no spike.
 */
function watchRss(): { stop(): { baselineRssMb: number; peakRssMb: number; peakRssKernelMb: number | null; rssGrowthMb: number } } {
  let kernel = false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    kernel = true;
  } catch {
    // not Linux, or not allowed: the samples alone
  }
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      let hwm: number | null = null;
      if (kernel) {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
        if (m) hwm = (Number(m[1]) * 1024) / MiB;
      }
      return {
        baselineRssMb: round(baseline / MiB, 1),
        peakRssMb: round(peak / MiB, 1),
        peakRssKernelMb: hwm === null ? null : round(hwm, 1),
        rssGrowthMb: round((Math.max(peak, hwm === null ? 0 : hwm * MiB) - baseline) / MiB, 1),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The measurements on one container

const evidenceDeps = (c: Container): EvidenceDeps => ({ db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes });

async function count(db: Kysely<any>, table: string, where?: [string, string]): Promise<number> {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (where) q = q.where(where[0], '=', where[1]);
  return Number(((await q.executeTakeFirst()) as { n: number | string } | undefined)?.n ?? 0);
}

/** What the evidence tables hold at the end: one item, one acquisition, one queued job per distinct file. */
async function evidenceRows(db: Kysely<any>) {
  return {
    items: await count(db, 'evidence_items'),
    acquisitions: await count(db, 'evidence_acquisitions'),
    processJobsQueued: await count(db, 'jobs', ['state', 'queued']),
    processJobsOther: (await count(db, 'jobs')) - (await count(db, 'jobs', ['state', 'queued'])),
    auditEvents: await count(db, 'audit_events', ['action', 'evidence.acquire']),
  };
}

function opensslVersion(): string {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The large file: `benchIngest` (openssl, then `ingestBlob` to a disk store with encryption, best
 * of `runs`), then `ingestEvidence` on the container, once reading with `fileChunks` (new item) and
 * once with `createReadStream` as `letapis ingest` reads (the same bytes again: a duplicate).
 */
export async function benchLargeFile(c: Container, inputs: IngestInputs, runs: number, log: Log) {
  const { path, bytes } = inputs.largeFile;
  const engine = c.dialect;
  log(`${engine} ingest: large file, openssl dgst -sha256 (warm-up + 2), then ingestBlob × ${runs}`);
  const rss = watchRss();
  const pipeline = await benchIngest(path, { db: c.db, vault: c.vault, runs });
  const pipelineRss = rss.stop();
  log(
    `${engine} ingest: pipeline ${pipeline.mbPerSec} MB/s, openssl ${pipeline.opensslMbPerSec} MB/s, ratio ${pipeline.ratio}, peak RSS ${pipeline.peakRssMb} MB`,
  );
  if (!pipeline.sha256Matches) throw new Error(`ingestBlob's SHA-256 ${pipeline.sha256} differs from openssl's`);

  const deps = evidenceDeps(c);
  const actor = await makeActor(c.db, 'documenter', `bench-ingest-${Date.now().toString(36)}`);
  const viaEvidence = async (label: string, source: () => AsyncIterable<Uint8Array> | NodeJS.ReadableStream, reader: string) => {
    const w = watchRss();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await ingestEvidence(deps, actor, source() as AsyncIterable<Uint8Array>, { method: 'cli-ingest', filename: 'large.bin' });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const mem = w.stop();
    if (out.item.sha256 !== pipeline.sha256) throw new Error(`ingestEvidence's SHA-256 ${out.item.sha256} differs from openssl's`);
    const r = {
      reader,
      seconds: round(seconds),
      mbPerSec: round(mb(bytes) / seconds, 1),
      ratioToOpenssl: round(pipeline.opensslSeconds / seconds),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6),
      ...mem,
      duplicate: out.duplicate,
      sha256Matches: true,
    };
    log(`${engine} ingest: ingestEvidence (${label}) ${r.mbPerSec} MB/s, ratio ${r.ratioToOpenssl}, peak RSS ${r.peakRssMb} MB`);
    return r;
  };
  const newItem = await viaEvidence('fileChunks, new item', () => fileChunks(path), 'fileChunks (two reused 1 MiB buffers)');
  const duplicate = await viaEvidence('createReadStream, duplicate', () => createReadStream(path), 'createReadStream (64 KiB chunks), as letapis ingest reads');

  return {
    file: { bytes, gib: round(bytes / 2 ** 30, 3), generateSeconds: inputs.largeFile.generateSeconds, content: 'random bytes (crypto.randomFillSync), fsynced before timing' },
    openssl: { version: opensslVersion(), command: 'openssl dgst -sha256 -r FILE', seconds: pipeline.opensslSeconds, mbPerSec: pipeline.opensslMbPerSec, note: 'best of 2 after an untimed warm-up run (file in the page cache)' },
    ingestBlob: {
      description: 'ingestBlob(fileChunks(file)) to a fresh disk store with encryption: read, SHA-256 on the main thread, XChaCha20-Poly1305 secretstream on a worker thread, write, writeback every 64 MiB, fsync, link',
      runs,
      seconds: pipeline.seconds,
      mbPerSec: pipeline.mbPerSec,
      ratioToOpenssl: pipeline.ratio,
      target: 0.6,
      meetsTarget: pipeline.ratio >= 0.6,
      cpuSeconds: pipeline.cpuSeconds,
      peakRssMb: pipeline.peakRssMb,
      baselineRssMb: pipeline.baselineRssMb,
      peakRssKernelMb: pipelineRss.peakRssKernelMb,
      rssGrowthMb: round(Math.max(pipeline.peakRssMb, pipelineRss.peakRssKernelMb ?? 0) - pipeline.baselineRssMb, 1),
      sha256Matches: pipeline.sha256Matches,
      note: `best of ${runs} runs; peakRssMb sampled every 10 ms by benchIngest over all runs; peakRssKernelMb is VmHWM over the openssl runs and all ingests`,
    },
    ingestEvidence: {
      description: 'ingestEvidence(deps, actor, stream, { method: "cli-ingest", filename }): ingestBlob to the container\'s disk store (encrypted), then in one transaction the item (or the duplicate lookup), the acquisition with its encrypted filename, the evidence.process job queued, the audit event. The job is not run.',
      newItem,
      duplicate: { ...duplicate, note: 'the same bytes again: hashed, encrypted and stored in full, then recognised as the item already held (one more acquisition) and the new copy deleted' },
      rows: await evidenceRows(c.db),
    },
  };
}

/** The small JPEGs through `ingestEvidence`, one after the other, read with createReadStream as `letapis ingest` does. */
export async function benchSmallJpegs(c: Container, inputs: IngestInputs, log: Log) {
  const engine = c.dialect;
  const set = await inputs.jpegs();
  const files = set.files;
  const deps = evidenceDeps(c);
  const actor = await makeActor(c.db, 'documenter', `bench-jpegs-${Date.now().toString(36)}`);
  // no untimed warm-up (it would add items): the first files are timed like the rest, and reported apart
  const warmup = Math.min(20, files.length);
  const ms: number[] = new Array(files.length);
  const w = watchRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = t0;
  let duplicates = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const s = performance.now();
    const out = await ingestEvidence(deps, actor, createReadStream(f.path), { method: 'cli-ingest', filename: f.name });
    const now = performance.now();
    ms[i] = now - s;
    if (out.duplicate) duplicates++;
    if (now - last > 10_000 || i === files.length - 1) {
      last = now;
      const secs = (now - t0) / 1000;
      log(`${engine} ingest: JPEGs ${i + 1}/${files.length} (${((i + 1) / secs).toFixed(0)}/s, ${secs.toFixed(0)} s)`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mem = w.stop();
  if (duplicates) throw new Error(`${duplicates} JPEGs were taken for duplicates: the inputs should all differ`);
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const firstN = ms.slice(0, warmup).reduce((a, b) => a + b, 0) / Math.max(1, warmup);
  return {
    description: 'ingestEvidence per file, one after the other, each read with createReadStream: blob encrypted on the main thread (under 4 MiB) and fsynced, item + acquisition (encrypted filename, a new data key) + evidence.process job + audit event in one transaction. The jobs are not run.',
    files: files.length,
    totalBytes: set.totalBytes,
    meanFileBytes: Math.round(set.totalBytes / Math.max(1, files.length)),
    concurrency: 1,
    seconds: round(seconds, 2),
    filesPerSecond: round(files.length / seconds, 1),
    mbPerSec: round(mb(set.totalBytes) / seconds, 2),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    perFileMs: { p50: round(q(0.5)), p95: round(q(0.95)), p99: round(q(0.99)), max: round(sorted[sorted.length - 1] ?? 0), mean: round((seconds * 1000) / files.length), meanOfFirst20: round(firstN) },
    ...mem,
    rows: await evidenceRows(c.db),
  };
}
