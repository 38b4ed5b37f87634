import { encryptSegment, segmentAd, segmentCipherBytes, segmentPlainBytes, type BlobHeader } from './blob-cipher.js';
import { SegmentWorker } from './segment-worker.js';

export interface EncryptStreamOptions {
  /** The blob's data key (the caller wipes it afterwards). */
  key: Buffer;
  header: BlobHeader;
  blobName: string;
  /**
   * Plaintext bytes after which segments are encrypted on a worker thread (default 4 MiB):
   * smaller blobs never pay for starting one. `Infinity` keeps everything on the calling thread.
   */
  offloadAfter?: number;
  /** Segments in flight on the worker (default 4): memory is about 2 × (depth + 1) segments. */
  depth?: number;
  /** Filled with how many segments were encrypted where (for tests and benchmarks). */
  stats?: { inline: number; worker: number };
}

interface Slot {
  cipher: Promise<Buffer>;
  done: boolean;
}

/**
 * Encrypts a plaintext stream into the blob format (blob-cipher.ts): yields the file header, then
 * each segment's ciphertext in order. Memory stays constant: the source is read only as fast as
 * the consumer takes ciphertext, with at most `depth` segments in flight on the worker.
 *
 * Buffers are reused (fresh memory per segment would cost as much as the encryption): a yielded
 * chunk is overwritten after the consumer asks for the next one, as the BlobStore contract allows.
 *
 * A full segment is sent only once a further byte has arrived, so the last segment (tagged FINAL)
 * is known without knowing the size in advance.
 *
 * @example await store.put(name, encryptStream(source, { key, header, blobName: name }))
 */
export async function* encryptStream(plain: AsyncIterable<Buffer>, opts: EncryptStreamOptions): AsyncGenerator<Buffer> {
  const { key, header, blobName } = opts;
  const layout = header.layout;
  const SEG = segmentPlainBytes(layout);
  const SEGC = segmentCipherBytes(layout);
  const offloadAfter = opts.offloadAfter ?? 4 * 1024 * 1024;
  const depth = Math.max(1, opts.depth ?? 4);
  const queue: Slot[] = [];
  const plainPool: ArrayBuffer[] = [];
  const cipherPool: ArrayBuffer[] = [];
  let worker: SegmentWorker | undefined;
  let seg = new ArrayBuffer(SEG);
  let segView = Buffer.from(seg);
  let fill = 0;
  let index = 0;
  let seen = 0;

  const dispatch = (final: boolean): void => {
    const ad = segmentAd(header.bytes, blobName, index++);
    const out = cipherPool.pop() ?? new ArrayBuffer(SEGC);
    let cipher: Promise<Buffer>;
    if (worker?.isOnline) {
      cipher = worker.encrypt(seg, fill, out, ad, final).then((r) => (plainPool.push(r.plain), r.cipher));
      if (opts.stats) opts.stats.worker++;
      seg = plainPool.pop() ?? new ArrayBuffer(SEG); // the sent one belongs to the worker until it returns
      segView = Buffer.from(seg);
    } else {
      cipher = Promise.resolve(encryptSegment(key, ad, segView.subarray(0, fill), final, layout, Buffer.from(out)));
      if (opts.stats) opts.stats.inline++;
    }
    const slot: Slot = { cipher, done: false };
    cipher.then(
      () => (slot.done = true),
      () => (slot.done = true), // the rejection is rethrown where the slot is awaited
    );
    queue.push(slot);
    fill = 0;
  };

  try {
    yield Buffer.from(header.bytes);
    for await (const chunk of plain) {
      let off = 0;
      while (off < chunk.byteLength) {
        if (fill === SEG) {
          dispatch(false);
          // hand over what is ready; wait only when `depth` segments are in flight
          while (queue[0]?.done || queue.length > depth) {
            const c = await queue.shift()!.cipher;
            yield c;
            cipherPool.push(c.buffer as ArrayBuffer); // the consumer asked for more: it is done with c
          }
        }
        const n = Math.min(chunk.byteLength - off, SEG - fill);
        chunk.copy(segView, fill, off, off + n);
        fill += n;
        off += n;
      }
      seen += chunk.byteLength;
      if (!worker && seen > offloadAfter) worker = new SegmentWorker(key, layout); // until it is online, segments are encrypted here
    }
    dispatch(true);
    while (queue.length) yield await queue.shift()!.cipher;
  } finally {
    segView.fill(0);
    for (const b of plainPool) new Uint8Array(b).fill(0);
    await worker?.close();
  }
}
