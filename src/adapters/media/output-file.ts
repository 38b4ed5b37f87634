import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a derivative so that `dest` appears whole or not at all: `produce` writes a temporary
 * file beside it, which is renamed on success and removed on failure.
 */
export async function writeAtomically<T>(dest: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    const result = await produce(tmp);
    await rename(tmp, dest);
    return result;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

export async function writeBufferAtomically(dest: string, data: Buffer): Promise<void> {
  await writeAtomically(dest, (tmp) => writeFile(tmp, data, { mode: 0o600 }));
}
