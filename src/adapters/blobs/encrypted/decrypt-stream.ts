import { BlobIntegrityError } from '../blob-store.port.js';
import { ABYTES, FILE_HEADER_BYTES, STREAM_HEADER_BYTES, SegmentReader, messageCount, segmentAd, segmentCipherBytes, type BlobHeader, type Layout } from './blob-cipher.js';

/** Where a plaintext range lies in the stored blob. */
export interface CipherSpan {
  /** First stored byte to read: the start of the segment holding the range's first byte. */
  from: number;
  /** Last stored byte to read (inclusive): the end of the message holding the range's last byte. */
  to: number;
  /** Global index of the first message read (a segment's first). */
  firstMessage: number;
  lastMessage: number;
}

/**
 * The stored bytes to read for plaintext bytes [start, end] of a blob of `plainSize` bytes.
 * For a whole read pass start 0 and end plainSize - 1 (-1 for an empty blob).
 */
export function cipherSpan(plainSize: number, layout: Layout, start: number, end: number): CipherSpan {
  const { messageBytes: C, messagesPerSegment: M } = layout;
  const total = messageCount(plainSize, layout);
  const firstMessage = Math.floor(Math.floor(start / C) / M) * M;
  const lastMessage = Math.max(0, Math.floor(end / C));
  if (lastMessage >= total) throw new RangeError('range past the end of the blob');
  const offsetOf = (i: number) => FILE_HEADER_BYTES + Math.floor(i / M) * segmentCipherBytes(layout) + STREAM_HEADER_BYTES + (i % M) * (C + ABYTES);
  const lastPlain = lastMessage === total - 1 ? plainSize - (total - 1) * C : C;
  return { from: offsetOf(firstMessage) - STREAM_HEADER_BYTES, to: offsetOf(lastMessage) + lastPlain + ABYTES - 1, firstMessage, lastMessage };
}

export interface DecryptStreamOptions {
  key: Buffer;
  header: BlobHeader;
  blobName: string;
  plainSize: number;
  /** Plaintext bytes to yield, inclusive (end -1 with start 0: an empty blob). */
  start: number;
  end: number;
  /** The stored bytes come from `cipherSpan(...).from`; when true they run to the end of the blob. */
  toEnd: boolean;
}

/**
 * Decrypts stored bytes beginning at a segment boundary and yields plaintext [start, end]. Every
 * message is authenticated before any of its bytes are yielded; the blob's last message must be
 * tagged FINAL. A failure is thrown as BlobIntegrityError (on the stream, for a Readable made of
 * this), after the bytes of the messages before it have been yielded.
 */
export async function* decryptStream(stored: AsyncIterable<Buffer>, opts: DecryptStreamOptions): AsyncGenerator<Buffer> {
  const { key, header, blobName, plainSize, start, end } = opts;
  const { messageBytes: C, messagesPerSegment: M } = header.layout;
  const total = messageCount(plainSize, header.layout);
  const span = cipherSpan(plainSize, header.layout, start, end);
  const input = new ByteReader(stored);
  let segment: SegmentReader | undefined;
  try {
    for (let i = span.firstMessage; i <= span.lastMessage; i++) {
      if (i % M === 0) {
        segment?.wipe();
        const streamHeader = await input.take(STREAM_HEADER_BYTES);
        if (!streamHeader) throw new BlobIntegrityError(blobName, 'it ends inside a segment header (truncated)');
        segment = new SegmentReader(key, streamHeader, segmentAd(header.bytes, blobName, i / M), blobName);
      }
      const plainLength = i === total - 1 ? plainSize - (total - 1) * C : C;
      const cipher = await input.take(plainLength + ABYTES);
      if (!cipher) throw new BlobIntegrityError(blobName, 'it ends inside a message (truncated)');
      const plain = segment!.pull(cipher, i === total - 1);
      const at = i * C;
      const from = Math.max(start, at) - at;
      const to = Math.min(end + 1, at + plain.byteLength) - at;
      if (to > from) yield from === 0 && to === plain.byteLength ? plain : plain.subarray(from, to);
    }
    if (opts.toEnd && !(await input.atEnd())) throw new BlobIntegrityError(blobName, 'bytes follow its final message (extended)');
  } finally {
    segment?.wipe();
    await input.close();
  }
}

/** Exact-length reads from a stream of chunks, copying only when a read spans chunks. */
class ByteReader {
  private readonly it: AsyncIterator<Buffer>;
  private chunk: Buffer = Buffer.alloc(0);
  private off = 0;
  private ended = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Exactly `n` bytes, or null if the stream ends first. */
  async take(n: number): Promise<Buffer | null> {
    if (this.chunk.byteLength - this.off >= n) {
      const out = this.chunk.subarray(this.off, this.off + n);
      this.off += n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let have = 0;
    while (have < n) {
      if (this.off === this.chunk.byteLength && !(await this.refill())) return null;
      const k = Math.min(n - have, this.chunk.byteLength - this.off);
      this.chunk.copy(out, have, this.off, this.off + k);
      this.off += k;
      have += k;
    }
    return out;
  }

  async atEnd(): Promise<boolean> {
    while (this.off === this.chunk.byteLength) if (!(await this.refill())) return true;
    return false;
  }

  async close(): Promise<void> {
    if (!this.ended) await this.it.return?.();
  }

  private async refill(): Promise<boolean> {
    if (this.ended) return false;
    const r = await this.it.next();
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.chunk = r.value;
    this.off = 0;
    return true;
  }
}
