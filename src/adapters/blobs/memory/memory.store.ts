import { Readable } from 'node:stream';
import { assertBlobName } from '../blob-name.js';
import { bodyChunks } from '../body.js';
import { BlobExistsError, BlobNotFoundError, resolveRange, type BlobStore, type ByteRange, type PutResult, type BlobBody } from '../blob-store.port.js';

/** Chunk size of the streams `get` returns, so readers see several chunks as from a file. */
const READ_CHUNK = 64 * 1024;

/**
 * Blobs in process memory, for tests. Holds each blob whole (a put of 1 GiB takes 1 GiB), so it
 * is not for real evidence; otherwise it behaves as the other drivers do (atomic, write-once).
 *
 * @example const store = new MemoryBlobStore(); await store.put(newBlobName(), Readable.from([bytes]))
 */
export class MemoryBlobStore implements BlobStore {
  readonly kind = 'memory' as const;
  readonly describe = 'memory (blobs vanish when the process ends)';
  private readonly blobs = new Map<string, Buffer>();

  async put(name: string, body: BlobBody): Promise<PutResult> {
    assertBlobName(name);
    if (this.blobs.has(name)) throw new BlobExistsError(name);
    const chunks: Buffer[] = [];
    for await (const chunk of bodyChunks(body)) chunks.push(Buffer.from(chunk)); // a copy: the caller may reuse its buffers
    if (this.blobs.has(name)) throw new BlobExistsError(name); // another put finished first
    const bytes = Buffer.concat(chunks);
    this.blobs.set(name, bytes);
    return { size: bytes.byteLength };
  }

  async get(name: string, range?: ByteRange): Promise<Readable> {
    assertBlobName(name);
    const bytes = this.blobs.get(name);
    if (!bytes) throw new BlobNotFoundError(name);
    const { start, end } = range ? resolveRange(name, range, bytes.byteLength) : { start: 0, end: bytes.byteLength - 1 };
    return Readable.from(slices(bytes, start, end + 1));
  }

  async stat(name: string): Promise<{ size: number } | null> {
    assertBlobName(name);
    const bytes = this.blobs.get(name);
    return bytes ? { size: bytes.byteLength } : null;
  }

  async delete(name: string): Promise<void> {
    assertBlobName(name);
    this.blobs.delete(name);
  }

  async close(): Promise<void> {}
}

function* slices(bytes: Buffer, from: number, to: number): Generator<Buffer> {
  for (let at = from; at < to; at += READ_CHUNK) yield Buffer.from(bytes.subarray(at, Math.min(to, at + READ_CHUNK)));
}
