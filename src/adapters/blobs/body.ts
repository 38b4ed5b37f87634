import type { BlobBody } from './blob-store.port.js';

/**
 * The chunks of a put body as Buffers (no copy), whatever the body is: a Readable or any async
 * iterable of bytes. A string chunk (a Readable with an encoding set) is refused: blobs are bytes.
 */
export async function* bodyChunks(body: BlobBody): AsyncGenerator<Buffer> {
  for await (const chunk of body as AsyncIterable<unknown>) {
    if (Buffer.isBuffer(chunk)) yield chunk;
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TypeError('a blob body must yield bytes (Buffer or Uint8Array), not strings: do not set an encoding on the stream');
  }
}
