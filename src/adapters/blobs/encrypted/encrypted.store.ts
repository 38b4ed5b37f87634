import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import sodium from 'sodium-native';
import { DataKeyNotFoundError, createDataKey, loadDataKey } from '../../keys/data-keys.js';
import { FieldDecryptionError } from '../../keys/field-cipher.js';
import type { KeyVault } from '../../keys/vault.js';
import { assertBlobName } from '../blob-name.js';
import { bodyChunks } from '../body.js';
import { BlobExistsError, BlobIntegrityError, BlobNotFoundError, resolveRange, type BlobStore, type ByteRange, type PutResult, type BlobBody } from '../blob-store.port.js';
import { FILE_HEADER_BYTES, decodeHeader, encodeHeader, plainSizeOf, storedSizeOf, type BlobHeader } from './blob-cipher.js';
import { cipherSpan, decryptStream } from './decrypt-stream.js';
import { encryptStream } from './encrypt-stream.js';

export interface EncryptedBlobStoreOptions {
  db: Kysely<any>;
  vault: KeyVault;
  /** Plaintext bytes after which a put encrypts on a worker thread (default 4 MiB; Infinity: never). */
  offloadAfter?: number;
}

export interface EncryptedPutResult extends PutResult {
  /** Bytes written to the inner store (header, segment headers and tags included). */
  storedSize: number;
  /** The data key (row of `data_keys`) the blob is encrypted under: keep it with the item. */
  dataKeyId: string;
}

export interface EncryptedGetOptions {
  /** The data key id recorded with the item: the read fails unless the blob names the same. */
  dataKeyId?: string;
}

/**
 * Encrypts every blob of an inner store (disk, S3, memory) under its own random data key, created
 * by the vault (`createDataKey`) and named in the blob's header; format in blob-cipher.ts. The
 * inner store only ever sees ciphertext under random names.
 *
 * - put: creates the data key, streams the ciphertext into the inner store and returns the key's
 *   id with the sizes. On failure the inner store keeps nothing and the key row is deleted.
 * - get: reads the header, unwraps the key (VaultSealedError while sealed), decrypts. Tampering,
 *   truncation or a blob moved to another name throw BlobIntegrityError: from `get` when the
 *   header or length is wrong, otherwise as the stream's error, after the bytes before the bad
 *   message (every byte yielded has been authenticated).
 * - ranges: decryption starts at the segment holding the first byte, so a range costs at most one
 *   segment (1 MiB) of extra reading and decryption wherever it lies, plus two small reads
 *   (size and header). Reading to the end also checks the final tag.
 * - stat: the plaintext size, from the stored size and the header.
 * - delete: removes the ciphertext; the data key row stays (items refer to it).
 *
 * @example
 * const blobs = new EncryptedBlobStore(container.blobs, { db, vault })
 * const { dataKeyId, size } = await blobs.put(newBlobName(), stream)
 */
export class EncryptedBlobStore implements BlobStore {
  readonly kind = 'encrypted' as const;
  readonly describe: string;

  constructor(
    readonly inner: BlobStore,
    private readonly opts: EncryptedBlobStoreOptions,
  ) {
    if (inner.kind === 'encrypted') throw new TypeError('a blob store is encrypted once: do not wrap an EncryptedBlobStore again');
    this.describe = `encrypted (secretstream, per-blob keys) on ${inner.describe}`;
  }

  async put(name: string, body: BlobBody): Promise<EncryptedPutResult> {
    assertBlobName(name);
    if (await this.inner.stat(name)) throw new BlobExistsError(name); // before making a key for nothing
    const { id, key } = await createDataKey(this.opts.db, this.opts.vault);
    let size = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of bodyChunks(body)) {
        size += chunk.byteLength;
        yield chunk;
      }
    }
    const header = encodeHeader(id);
    try {
      const written = await this.inner.put(name, encryptStream(counted(), { key, header, blobName: name, offloadAfter: this.opts.offloadAfter }));
      if (written.size !== storedSizeOf(size, header.layout)) throw new Error(`the encrypted blob ${name} has ${written.size} bytes where ${storedSizeOf(size, header.layout)} were expected`);
      return { size, storedSize: written.size, dataKeyId: id };
    } catch (e) {
      await this.opts.db.deleteFrom('data_keys').where('id', '=', id).execute(); // nothing is encrypted under it
      throw e;
    } finally {
      sodium.sodium_memzero(key);
    }
  }

  async get(name: string, range?: ByteRange, opts: EncryptedGetOptions = {}): Promise<Readable> {
    const { header, storedSize, plainSize } = await this.open(name);
    if (opts.dataKeyId !== undefined && opts.dataKeyId !== header.keyId)
      throw new BlobIntegrityError(name, `it is encrypted under data key ${header.keyId}, not ${opts.dataKeyId} as recorded`);
    const { start, end } = range ? resolveRange(name, range, plainSize) : { start: 0, end: plainSize - 1 };
    const span = cipherSpan(plainSize, header.layout, start, end);
    const key = await this.dataKey(name, header.keyId);
    let stored: Readable;
    try {
      stored = await this.inner.get(name, { start: span.from, end: span.to });
    } catch (e) {
      sodium.sodium_memzero(key);
      throw e;
    }
    const toEnd = span.to === storedSize - 1;
    async function* plain(): AsyncGenerator<Buffer> {
      try {
        yield* decryptStream(stored, { key, header, blobName: name, plainSize, start, end, toEnd });
      } finally {
        sodium.sodium_memzero(key);
        stored.destroy();
      }
    }
    return Readable.from(plain(), { objectMode: false });
  }

  async stat(name: string): Promise<{ size: number } | null> {
    assertBlobName(name);
    if (!(await this.inner.stat(name))) return null;
    return { size: (await this.open(name)).plainSize };
  }

  /** The data key id a stored blob names in its header (for checks and re-encryption tools). */
  async dataKeyIdOf(name: string): Promise<string> {
    return (await this.open(name)).header.keyId;
  }

  async delete(name: string): Promise<void> {
    await this.inner.delete(name);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private async dataKey(name: string, keyId: string): Promise<Buffer> {
    try {
      return await loadDataKey(this.opts.db, this.opts.vault, keyId);
    } catch (e) {
      if (e instanceof DataKeyNotFoundError) throw new BlobIntegrityError(name, `its header names data key ${keyId}, which does not exist (the header was altered, or data_keys lost a row)`);
      if (e instanceof FieldDecryptionError) throw new BlobIntegrityError(name, `its data key ${keyId} does not unwrap (the key row was altered)`);
      throw e;
    }
  }

  private async open(name: string): Promise<{ header: BlobHeader; storedSize: number; plainSize: number }> {
    assertBlobName(name);
    const st = await this.inner.stat(name);
    if (!st) throw new BlobNotFoundError(name);
    if (st.size < FILE_HEADER_BYTES) throw new BlobIntegrityError(name, `it is ${st.size} bytes long, shorter than its header`);
    const header = decodeHeader(await readAll(await this.inner.get(name, { start: 0, end: FILE_HEADER_BYTES - 1 })), name);
    return { header, storedSize: st.size, plainSize: plainSizeOf(st.size, header.layout, name) };
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
