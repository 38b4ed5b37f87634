import { randomBytes } from 'node:crypto';
import { BlobNameError } from './blob-store.port.js';

/**
 * Blob names: 128 random bits as 32 lowercase hex digits. Random, so a name says nothing about the
 * content, its time or its order (the store does not reveal which known files it holds); a fixed
 * alphabet, so no name can ever be a path (`/`, `..`, `\`, NUL) in any driver.
 */
const BLOB_NAME = /^[0-9a-f]{32}$/;

/**
 * A fresh random blob name.
 *
 * @example await store.put(newBlobName(), stream)
 */
export function newBlobName(): string {
  return randomBytes(16).toString('hex');
}

/** True when `name` has the blob-name format. */
export function isBlobName(name: unknown): name is string {
  return typeof name === 'string' && BLOB_NAME.test(name);
}

/**
 * Throws BlobNameError unless `name` is a blob name. Every driver calls it before any I/O.
 *
 * @example assertBlobName('../../etc/passwd') // throws BlobNameError
 */
export function assertBlobName(name: unknown): asserts name is string {
  if (!isBlobName(name)) throw new BlobNameError(String(name));
}
