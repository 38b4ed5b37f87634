import { lstat, open } from 'node:fs/promises';
import { MediaError } from './media-error.js';

/**
 * Checks that `path` is a regular file (not a symlink, FIFO or device, which could hang a reader
 * or lead it elsewhere) and returns its size. With `maxBytes`, a larger file is a `limit` error.
 */
export async function inspectInput(path: string, what: string, maxBytes?: number): Promise<{ size: number }> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MediaError('malformed', `${what}: the file cannot be read (${code ?? 'error'})`, { cause: e });
  }
  if (st.isSymbolicLink()) throw new MediaError('unsupported', `${what}: the path is a symbolic link; only regular files are read`);
  if (!st.isFile()) throw new MediaError('unsupported', `${what}: not a regular file`);
  if (maxBytes !== undefined && st.size > maxBytes) {
    throw new MediaError('limit', `${what}: the file is ${formatBytes(st.size)}, over the limit of ${formatBytes(maxBytes)}`);
  }
  return { size: st.size };
}

/** Reads at most `length` bytes from the start of a file. */
export async function readHead(path: string, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** Rejects with `MediaError('timeout')` if `work` has not settled within `ms` (it is not cancelled). */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MediaError('timeout', `${what}: no result within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
