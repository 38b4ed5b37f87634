import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_BYTES } from './field-cipher.js';
import { secureKey, wipe, type SecretKey } from './root-key.js';

/**
 * The dev vault's key file: the root key in clear at `<dataDir>/keys/master.key` (32 raw bytes,
 * mode 0600, in a 0700 folder). Whoever can read the data directory can read everything: for trying
 * Letapis only.
 */

/** What the server prints on every start in dev mode. */
export const DEV_VAULT_WARNING = [
  '!!! ======================================================================================= !!!',
  '!!!  VAULT IN DEV MODE: the key that opens every encrypted name, contact and document is  !!!',
  '!!!  stored IN CLEAR beside the data (LETAPIS_DATA_DIR/keys/master.key). Anyone who gets   !!!',
  '!!!  a copy of this disk or its backup reads everything. Use it ONLY to try Letapis, with  !!!',
  '!!!  invented data. For real cases: LETAPIS_VAULT=sealed and `letapis vault init`          !!!',
  '!!!  (see docs/SECURITY.md, "The vault").                                                  !!!',
  '!!! ======================================================================================= !!!',
].join('\n');

export function devKeyFilePath(dataDir: string): string {
  return join(dataDir, 'keys', 'master.key');
}

export function devKeyFileExists(dataDir: string): boolean {
  return existsSync(devKeyFilePath(dataDir));
}

/**
 * Creates the key file with a fresh random key (failing if it exists: never overwrite a key) and
 * returns the key in secure memory.
 */
export function createDevKeyFile(dataDir: string): SecretKey {
  const dir = join(dataDir, 'keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const key = secureKey();
  const fd = openSync(devKeyFilePath(dataDir), 'wx', 0o600); // O_EXCL: two processes never both write one
  try {
    writeSync(fd, key);
  } finally {
    closeSync(fd);
  }
  return key;
}

/** Reads the key file; refuses one that others may read or that is not a key. */
export function readDevKeyFile(dataDir: string): SecretKey {
  const path = devKeyFilePath(dataDir);
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new Error(`${path} may be read by other users (mode ${mode.toString(8)}): run chmod 600 ${path}`);
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(KEY_BYTES + 1);
  try {
    const size = fstatSync(fd).size;
    if (size !== KEY_BYTES) throw new Error(`${path} is not a vault key (it should hold exactly ${KEY_BYTES} bytes)`);
    readSync(fd, buf, 0, KEY_BYTES, 0);
    return secureKey(buf.subarray(0, KEY_BYTES));
  } finally {
    wipe(buf);
    closeSync(fd);
  }
}

/** Overwrites the key file with zeros and removes it (after the vault left dev mode). */
export function destroyDevKeyFile(dataDir: string): void {
  const path = devKeyFilePath(dataDir);
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(KEY_BYTES), 0, KEY_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  rmSync(path);
}
