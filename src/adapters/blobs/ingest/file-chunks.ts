import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The bytes of a file as chunks read into two reused buffers, the next read in flight while the
 * consumer handles the current chunk. Cheaper than `createReadStream` (which allocates fresh memory
 * for every chunk, paying page faults) for ingest and stores, which are done with a chunk when
 * they ask for the next (the BlobStore contract). Not for consumers that keep chunks.
 *
 * With `noFollow`, a symbolic link is refused rather than followed (ELOOP) and anything but a
 * regular file too (ENOTFILE): importers check a folder once, and this closes the race.
 *
 * @example await ingestBlob(fileChunks('/evidence/video.mp4'), deps)
 */
export async function* fileChunks(path: string, chunkBytes = 1024 * 1024, opts: { noFollow?: boolean } = {}): AsyncGenerator<Buffer> {
  const fh = await open(path, opts.noFollow ? constants.O_RDONLY | constants.O_NOFOLLOW : 'r');
  if (opts.noFollow && !(await fh.stat()).isFile()) {
    await fh.close();
    throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
  }
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  let position = 0;
  let i = 0;
  const read = (b: Buffer, at: number) => fh.read(b, 0, b.byteLength, at);
  let pending: ReturnType<typeof read> | undefined = read(buffers[0]!, 0);
  try {
    while (pending) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      position += bytesRead;
      pending = read(buffers[i ^ 1]!, position); // the other buffer: the consumer is done with it
      yield buffers[i]!.subarray(0, bytesRead);
      i ^= 1;
    }
  } finally {
    await pending?.catch(() => {});
    await fh.close();
  }
}

/** The SHA-256 (hex) of a file, read as `fileChunks` reads it (with `noFollow`: links refused). */
export async function sha256OfFile(path: string, opts: { noFollow?: boolean } = {}): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fileChunks(path, undefined, opts)) h.update(chunk);
  return h.digest('hex');
}
