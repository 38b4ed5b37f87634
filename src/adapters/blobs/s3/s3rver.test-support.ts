import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3BlobStoreOptions } from './s3.store.js';

/** A real S3 server (s3rver) in its own process on loopback, for the S3 driver's tests. */
export interface S3rverProcess {
  endpoint: string;
  bucket: string;
  /** Options for an S3BlobStore on this server (path style, its fixed credentials, no SDK checksums). */
  storeOptions(prefix?: string): S3BlobStoreOptions;
  stop(): Promise<void>;
}

const s3rverBin = join(createRequire(import.meta.url).resolve('s3rver/package.json'), '..', 'bin', 's3rver.js');

/**
 * Starts s3rver on 127.0.0.1 on a free port (the kernel picks it), with a fresh folder and one
 * bucket; `stop()` ends the process and removes the folder.
 *
 * @example const s3 = await startS3rver(); const store = new S3BlobStore(s3.storeOptions('blobs/'))
 */
export async function startS3rver(bucket = 'letapis-test'): Promise<S3rverProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'letapis-s3rver-'));
  const child = spawn(process.execPath, [s3rverBin, '--directory', dir, '--address', '127.0.0.1', '--port', '0', '--silent', '--configure-bucket', bucket], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let port: number;
  try {
    port = await listeningPort(child);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    storeOptions: (prefix) => ({
      bucket,
      prefix,
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      checksums: 'when_required',
      partSize: 5 * 1024 * 1024,
    }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 15 s: ${err || out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on [^:\s]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before listening: ${err || out}`));
    });
  });
}
