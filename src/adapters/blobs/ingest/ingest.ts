import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../../domain/errors.js';
import type { KeyVault } from '../../keys/vault.js';
import { newBlobName } from '../blob-name.js';
import { bodyChunks } from '../body.js';
import type { BlobBody, BlobStore } from '../blob-store.port.js';
import { EncryptedBlobStore } from '../encrypted/encrypted.store.js';

export interface IngestOptions {
  /** The driver (disk, S3, memory), or an EncryptedBlobStore over one. */
  store: BlobStore;
  vault: KeyVault;
  db: Kysely<any>;
  /** Encrypt (default true). False only for stores of public material; evidence is always encrypted. */
  encrypt?: boolean;
  /** Refuse more than this many plaintext bytes (BlobTooLargeError, 413); nothing is kept. */
  maxBytes?: number;
  /** Plaintext bytes after which encryption moves to a worker thread (default 4 MiB). */
  offloadAfter?: number;
}

export interface IngestResult {
  /** The random name the bytes are stored under. */
  blobName: string;
  /** The data key the blob is encrypted under (null when not encrypted): keep it with the item. */
  dataKeyId: string | null;
  /** SHA-256 of the bytes as received (the plaintext), lowercase hex: what `sha256sum` prints. */
  sha256: string;
  /** Bytes received. */
  size: number;
  /** Bytes in the store (header and tags included; equals size when not encrypted). */
  encryptedSize: number;
}

export class BlobTooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'File too large';
  constructor(readonly limit: number) {
    super(`the file is larger than the limit of ${limit} bytes and was not stored: ask an administrator to raise the limit, or split the file`);
    this.name = 'BlobTooLargeError';
  }
}

/**
 * Stores a stream of evidence: hashes the plaintext (SHA-256) while it is encrypted and written,
 * in constant memory whatever the size, and resolves only once every byte is durably stored. The
 * hash runs on the calling thread while segments are encrypted on a worker thread (for inputs past
 * `offloadAfter`), so the two overlap on two cores. The source is read only as fast as the store
 * takes the ciphertext (backpressure).
 *
 * Atomic: on any failure (source error, size limit, store error, sealed vault) nothing is left
 * under the name and the data key row is removed. Record the item only after this resolves; a
 * crash between the two leaves an unreferenced blob, never an item without its bytes.
 *
 * @example
 * const r = await ingestBlob(createReadStream(path), { store: container.blobs, vault: container.vault, db: container.db })
 * // { blobName: '3f…', dataKeyId: '019…', sha256: 'e3b0…', size: 1048576, encryptedSize: 1048937 }
 */
export async function ingestBlob(source: BlobBody, opts: IngestOptions): Promise<IngestResult> {
  const encrypt = opts.encrypt ?? true;
  let target: BlobStore;
  if (opts.store instanceof EncryptedBlobStore) {
    if (!encrypt) throw new TypeError('ingestBlob: encrypt is false but the store given encrypts');
    target = opts.store;
  } else {
    target = encrypt ? new EncryptedBlobStore(opts.store, { db: opts.db, vault: opts.vault, offloadAfter: opts.offloadAfter }) : opts.store;
  }
  const hash = createHash('sha256');
  let size = 0;
  const limit = opts.maxBytes ?? Number.POSITIVE_INFINITY;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of bodyChunks(source)) {
      size += chunk.byteLength;
      if (size > limit) throw new BlobTooLargeError(limit);
      hash.update(chunk);
      yield chunk;
    }
  }
  const blobName = newBlobName();
  const written = await target.put(blobName, hashed());
  const dataKeyId = 'dataKeyId' in written && typeof written.dataKeyId === 'string' ? written.dataKeyId : null;
  const encryptedSize = 'storedSize' in written && typeof written.storedSize === 'number' ? written.storedSize : written.size;
  return { blobName, dataKeyId, sha256: hash.digest('hex'), size, encryptedSize };
}

/**
 * Undoes an ingest whose item was not recorded (the bytes turned out to be a duplicate, or the
 * transaction recording the item failed): removes the blob and its data key row. Only for a
 * result no item refers to.
 *
 * @example if (duplicateOf) await discardIngested(stored, { store: deps.blobs, db: deps.db })
 */
export async function discardIngested(result: Pick<IngestResult, 'blobName' | 'dataKeyId'>, opts: { store: BlobStore; db: Kysely<any> }): Promise<void> {
  await opts.store.delete(result.blobName);
  if (result.dataKeyId) await opts.db.deleteFrom('data_keys').where('id', '=', result.dataKeyId).execute();
}
