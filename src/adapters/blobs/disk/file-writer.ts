import { constants as fsc } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { bodyChunks } from '../body.js';
import type { BlobBody } from '../blob-store.port.js';

/** Bytes per write (and per staging buffer). */
export const STAGE_BYTES = 4 * 1024 * 1024;
/** Direct I/O writes whole blocks of this many bytes; the tail is padded, then cut by ftruncate. */
const DIRECT_BLOCK = 4096;
/** Buffered writes ask for writeback (fdatasync) each time this much more is written. */
const FLUSH_EVERY = 64 * 1024 * 1024;

/** WebAssembly, where the runtime has it (not under --jitless); the TypeScript lib here lacks its types. */
const wasm = (globalThis as { WebAssembly?: { Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer } } }).WebAssembly;

/**
 * Staging buffers for disk writes, reused across puts. They come from WebAssembly memories, whose
 * start is page-aligned, as direct I/O (O_DIRECT) requires of the memory it writes from.
 */
export class StagingPool {
  private readonly free: Buffer[] = [];
  readonly aligned = wasm !== undefined;

  take(): Buffer {
    const b = this.free.pop();
    if (b) return b;
    if (!this.aligned) return Buffer.allocUnsafeSlow(STAGE_BYTES);
    const pages = STAGE_BYTES / 65536;
    return Buffer.from(new wasm!.Memory({ initial: pages, maximum: pages }).buffer);
  }

  give(b: Buffer): void {
    b.fill(0); // ciphertext only, as a rule; wiped all the same
    if (this.free.length < 8) this.free.push(b);
  }
}

/** Whether this store's file system takes direct I/O; learnt at the first put and kept. */
export interface DiskIo {
  direct: 'try' | 'on' | 'off';
  pool: StagingPool;
}

/**
 * Writes a body to a new file at `path` (created exclusively, mode 0600) and fsyncs it; returns
 * the bytes written. On failure the caller removes the file.
 *
 * Chunks are copied into two staging buffers: one is written while the other fills, so the disk
 * works while the caller computes, and the caller may reuse a chunk once it yields the next (the
 * BlobStore contract). Where the file system takes it, writes use O_DIRECT: no page-cache copy
 * (on the virtual machines we run on, that copy costs more CPU than encrypting), and a large
 * upload does not push the database out of the page cache. Where it does not (tmpfs, some network
 * mounts) the writes are buffered, with writeback requested every 64 MiB.
 */
export async function writeNewFile(path: string, body: BlobBody, io: DiskIo): Promise<number> {
  let direct = io.direct !== 'off' && io.pool.aligned;
  let fh = await openNew(path, direct).catch(async (e: unknown) => {
    if (!direct || !isCode(e, 'EINVAL')) throw e;
    await unlink(path).catch(() => {}); // some file systems create the file before refusing O_DIRECT
    io.direct = 'off';
    direct = false;
    return openNew(path, false);
  });
  const stages = [io.pool.take(), io.pool.take()];
  const writing: (Promise<void> | undefined)[] = [undefined, undefined];
  let cur = 0;
  let fill = 0;
  let position = 0;
  let size = 0;
  let sinceFlush = 0;
  let flushing: Promise<void> | undefined;

  /** The first write tells whether direct I/O works here; if not, the file is reopened buffered. */
  const firstWrite = async (buf: Buffer, length: number): Promise<void> => {
    try {
      await writeAt(fh, buf, length, 0);
      if (direct) io.direct = 'on';
    } catch (e) {
      if (!direct || !isCode(e, 'EINVAL')) throw e;
      await fh.close();
      await unlink(path);
      io.direct = 'off';
      direct = false;
      fh = await openNew(path, false);
      await writeAt(fh, buf, length, 0);
    }
  };

  const writeStage = async (length: number): Promise<void> => {
    if (position === 0) {
      await firstWrite(stages[cur]!, length);
    } else {
      const p = writeAt(fh, stages[cur]!, length, position);
      p.catch(() => {}); // awaited before the buffer is reused or the file closed
      writing[cur] = p;
    }
    position += length;
    cur ^= 1;
    await writing[cur]; // the other buffer's write: done before it is filled again
    writing[cur] = undefined;
    if (!direct && (sinceFlush += length) >= FLUSH_EVERY) {
      await flushing; // start writeback of what is written so far, so the final fsync is short
      flushing = fh.datasync();
      flushing.catch(() => {});
      sinceFlush = 0;
    }
  };

  try {
    for await (const chunk of bodyChunks(body)) {
      let off = 0;
      while (off < chunk.byteLength) {
        const n = Math.min(chunk.byteLength - off, STAGE_BYTES - fill);
        chunk.copy(stages[cur]!, fill, off, off + n);
        fill += n;
        off += n;
        if (fill === STAGE_BYTES) {
          await writeStage(STAGE_BYTES);
          fill = 0;
        }
      }
      size += chunk.byteLength;
    }
    if (fill > 0) {
      const length = direct ? Math.ceil(fill / DIRECT_BLOCK) * DIRECT_BLOCK : fill;
      stages[cur]!.fill(0, fill, length);
      const end = position + fill;
      await writeStage(length);
      await Promise.all(writing);
      if (direct && length !== fill) await fh.truncate(end);
    }
    await Promise.all(writing);
    await flushing;
    await fh.sync();
    return size;
  } finally {
    await Promise.allSettled([...writing, flushing]);
    await fh.close().catch(() => {});
    for (const s of stages) io.pool.give(s);
  }
}

function openNew(path: string, direct: boolean): Promise<FileHandle> {
  return open(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW | (direct ? fsc.O_DIRECT : 0), 0o600);
}

async function writeAt(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let off = 0;
  while (off < length) {
    const { bytesWritten } = await fh.write(buf, off, length - off, position + off);
    if (bytesWritten === 0) throw new Error('the disk took no bytes (is it full?)');
    off += bytesWritten;
  }
}

export function isCode(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === code;
}
