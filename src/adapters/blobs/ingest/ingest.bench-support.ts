import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { open } from 'node:fs/promises';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { KeyVault } from '../../keys/vault.js';
import type { BlobStore } from '../blob-store.port.js';
import { DiskBlobStore } from '../disk/disk.store.js';
import { fileChunks } from './file-chunks.js';
import { ingestBlob } from './ingest.js';

export interface IngestBenchOptions {
  db: Kysely<any>;
  vault: KeyVault;
  /** Where to ingest (default: a disk store in a temporary folder, removed afterwards). */
  store?: BlobStore;
  /** Encrypt (default true). */
  encrypt?: boolean;
  /** As for ingestBlob; Infinity measures hashing and encrypting one after the other on one thread. */
  offloadAfter?: number;
  /** Timed ingests; the best is reported (default 1). */
  runs?: number;
  /** Delete the ingested blob after each run (default true). */
  cleanUp?: boolean;
}

export interface IngestBenchResult {
  file: string;
  bytes: number;
  /** Whole pipeline: read, SHA-256, encrypt, write, fsync. MB = 10^6 bytes. */
  seconds: number;
  mbPerSec: number;
  /** `openssl dgst -sha256` on the same file (best of two, after a warm-up read). */
  opensslSeconds: number;
  opensslMbPerSec: number;
  /** mbPerSec / opensslMbPerSec. */
  ratio: number;
  /** CPU time (user + system, all threads of this process) of the best run: what the pipeline costs. */
  cpuSeconds: number;
  /** Highest resident set size of this process sampled every 10 ms during the ingests. */
  peakRssMb: number;
  /** Resident set size just before the first ingest. */
  baselineRssMb: number;
  /** The pipeline's SHA-256 equals openssl's. */
  sha256Matches: boolean;
  sha256: string;
  store: string;
}

/**
 * Measures `ingestBlob` on one file against `openssl dgst -sha256` (the CPU's SHA-256 speed) in
 * the same run, for `npm run bench`. The file should be in the page cache for both (the warm-up
 * read sees to that when memory allows).
 *
 * @example const r = await benchIngest('/tmp/1g.bin', { db: c.db, vault: c.vault }) // { ratio: 0.78, peakRssMb: 120, … }
 */
export async function benchIngest(file: string, opts: IngestBenchOptions): Promise<IngestBenchResult> {
  const bytes = statSync(file).size;
  const tempDir = opts.store ? undefined : mkdtempSync(join(tmpdir(), 'letapis-bench-blobs-'));
  const store = opts.store ?? new DiskBlobStore(tempDir!);
  try {
    await opensslSha256(file); // warm-up: the file into the page cache
    const a = await opensslSha256(file);
    const b = await opensslSha256(file);
    const openssl = a.seconds <= b.seconds ? a : b;

    const baselineRss = process.memoryUsage.rss();
    let peakRss = baselineRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
    let best = Number.POSITIVE_INFINITY;
    let bestCpu = 0;
    let sha256 = '';
    try {
      for (let i = 0; i < Math.max(1, opts.runs ?? 1); i++) {
        const t0 = process.hrtime.bigint();
        const cpu0 = process.cpuUsage();
        const r = await ingestBlob(fileChunks(file), { store, db: opts.db, vault: opts.vault, encrypt: opts.encrypt, offloadAfter: opts.offloadAfter });
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        const cpu = process.cpuUsage(cpu0);
        if (s < best) bestCpu = (cpu.user + cpu.system) / 1e6;
        best = Math.min(best, s);
        sha256 = r.sha256;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        if (opts.cleanUp !== false) await store.delete(r.blobName);
      }
    } finally {
      clearInterval(sampler);
    }
    const mb = bytes / 1e6;
    return {
      file,
      bytes,
      seconds: round(best, 3),
      mbPerSec: round(mb / best, 1),
      opensslSeconds: round(openssl.seconds, 3),
      opensslMbPerSec: round(mb / openssl.seconds, 1),
      ratio: round(openssl.seconds / best, 3),
      cpuSeconds: round(bestCpu, 3),
      peakRssMb: round(peakRss / 1048576, 1),
      baselineRssMb: round(baselineRss / 1048576, 1),
      sha256Matches: sha256 === openssl.sha256,
      sha256,
      store: store.describe,
    };
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * Writes `bytes` random bytes to `path` (1 MiB at a time), for a benchmark input.
 *
 * @example await writeRandomFile('/tmp/letapis-bench-1g.bin', 1024 ** 3)
 */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w', 0o600);
  try {
    const block = Buffer.allocUnsafe(1024 * 1024);
    for (let at = 0; at < bytes; at += block.byteLength) {
      randomFillSync(block);
      await fh.write(block, 0, Math.min(block.byteLength, bytes - at));
    }
  } finally {
    await fh.close();
  }
}

function opensslSha256(file: string): Promise<{ seconds: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('openssl', ['dgst', '-sha256', '-r', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e) => reject(new Error(`openssl could not be run (${e.message}): install it to compare ingest with the CPU's SHA-256 speed`)));
    p.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return reject(new Error(`openssl dgst failed (${code}): ${err.trim()}`));
      resolve({ seconds, sha256: out.trim().split(/\s+/)[0]!.toLowerCase() });
    });
  });
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
