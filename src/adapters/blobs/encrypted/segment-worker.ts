import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Layout } from './blob-cipher.js';

/**
 * A worker thread that encrypts segments (several per message, to wake the threads less often), so that a large put encrypts on one core while the main
 * thread reads, hashes and writes on the other. Plaintext buffers are transferred (not copied) to
 * the worker and back for reuse, and so are the buffers the worker writes the ciphertext into.
 *
 * The worker's code is the plain JavaScript below, run with `eval` so it works the same from the
 * TypeScript sources (tests, tsx) and from the build. It mirrors `encryptSegments` in
 * blob-cipher.ts: change both together (the contract tests read what each one writes).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
const ABYTES = 17, HEADER = 24;
const key = Buffer.from(workerData.key);
workerData.key.fill(0);
const { messageBytes, messagesPerSegment } = workerData.layout;
const TAG_MESSAGE = Number(sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
const TAG_FINAL = Number(sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
const state = Buffer.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
parentPort.on('message', (job) => {
  if (job.type === 'close') { sodium.sodium_memzero(key); sodium.sodium_memzero(state); parentPort.close(); return; }
  try {
    const plain = Buffer.from(job.plain, 0, job.length);
    const prefix = Buffer.from(job.adPrefix);
    const ad = Buffer.alloc(prefix.byteLength + 8);
    prefix.copy(ad, 0);
    const SEG = messageBytes * messagesPerSegment;
    const count = job.final ? Math.max(1, Math.ceil(plain.byteLength / SEG)) : plain.byteLength / SEG;
    const cipher = Buffer.from(job.cipher);
    let at = 0;
    for (let k = 0; k < count; k++) {
      ad.writeBigUInt64BE(BigInt(job.firstIndex + k), prefix.byteLength);
      const seg = plain.subarray(k * SEG, Math.min(plain.byteLength, (k + 1) * SEG));
      const final = job.final && k === count - 1;
      const messages = final ? Math.max(1, Math.ceil(seg.byteLength / messageBytes)) : messagesPerSegment;
      sodium.crypto_secretstream_xchacha20poly1305_init_push(state, cipher.subarray(at, at + HEADER), key);
      at += HEADER;
      for (let i = 0; i < messages; i++) {
        const m = seg.subarray(i * messageBytes, Math.min(seg.byteLength, (i + 1) * messageBytes));
        const tag = final && i === messages - 1 ? TAG_FINAL : TAG_MESSAGE;
        sodium.crypto_secretstream_xchacha20poly1305_push(state, cipher.subarray(at, at + m.byteLength + ABYTES), m, ad, tag);
        at += m.byteLength + ABYTES;
      }
    }
    parentPort.postMessage({ id: job.id, cipher: job.cipher, length: at, plain: job.plain }, [job.cipher, job.plain]);
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e && e.message || e), cipher: job.cipher, plain: job.plain }, [job.cipher, job.plain]);
  }
});
`;

const sodiumPath = createRequire(import.meta.url).resolve('sodium-native');

interface Pending {
  resolve(v: { cipher: Buffer; plain: ArrayBuffer }): void;
  reject(e: Error): void;
}

/** One blob's encryption worker. `close()` wipes its copy of the key and ends the thread. */
export class SegmentWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  /** Resolves once the thread runs; until then the caller encrypts on its own thread. */
  readonly online: Promise<void>;
  isOnline = false;
  private readonly exited: Promise<void>;

  constructor(key: Buffer, layout: Layout) {
    const keyCopy = new Uint8Array(key); // cloned into the worker, then wiped here and there
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodiumPath, key: keyCopy, layout } });
    keyCopy.fill(0);
    this.worker.unref(); // never keeps the process alive on its own
    this.online = new Promise<void>((resolve) => this.worker.once('online', () => ((this.isOnline = true), resolve())));
    this.worker.on('message', (msg: { id: number; cipher: ArrayBuffer; length?: number; plain: ArrayBuffer; error?: string }) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.error !== undefined || msg.length === undefined) p.reject(new Error(`segment encryption failed in the worker: ${msg.error}`));
      else p.resolve({ cipher: Buffer.from(msg.cipher, 0, msg.length), plain: msg.plain });
    });
    this.worker.on('error', (e) => this.fail(e));
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        this.fail(new Error(`the encryption worker stopped (exit code ${code})`));
        resolve();
      }),
    );
  }

  /**
   * Encrypts consecutive segments on the worker, as `encryptSegments` does. `plain` (of which
   * `length` bytes are the segments) and `cipher` (large enough for their ciphertext) are
   * transferred: unusable here until they come back in the result, `cipher` as the view of the
   * ciphertext written into it.
   */
  encrypt(plain: ArrayBuffer, length: number, cipher: ArrayBuffer, adPrefix: Buffer, firstIndex: number, final: boolean): Promise<{ cipher: Buffer; plain: ArrayBuffer }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, plain, length, cipher, adPrefix, firstIndex, final }, [plain, cipher]);
    });
  }

  /** Asks the worker to wipe its key and end; ends it by force if it has not within a second. */
  async close(): Promise<void> {
    this.failure ??= new Error('the encryption worker was closed');
    this.worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate().catch(() => {}), 1000);
    await this.exited;
    clearTimeout(timer);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
