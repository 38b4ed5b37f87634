import type { Readable } from 'node:stream';
import { DomainError } from '../../domain/errors.js';

/**
 * The blob store port: where the bytes of evidence and derivatives live. Drivers: disk (default,
 * under the data dir), S3 (any S3-compatible store), memory (tests); `EncryptedBlobStore` wraps any
 * of them. Names are opaque random ids (`newBlobName()`, see blob-name.ts); the store never sees a
 * file name or a hash of the content.
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3' | 'memory' | 'encrypted';
  /** Human description for logs, e.g. `disk at /srv/letapis/blobs` or `s3://bucket/prefix at http://…`. */
  readonly describe: string;
  /**
   * Writes a blob from a stream, in constant memory. Atomic: the blob exists under `name` only
   * once every byte is durably stored (resolves then); on failure nothing is left under `name`.
   * Refuses to overwrite an existing blob (BlobExistsError); refuses a name that is not a blob id
   * (BlobNameError).
   */
  put(name: string, body: BlobBody): Promise<PutResult>;
  /**
   * Reads a blob, or the inclusive byte range [start, end] of it (`end` past the last byte is cut
   * to it). Throws BlobNotFoundError, or BlobRangeError when `start` is past the last byte.
   */
  get(name: string, range?: ByteRange): Promise<Readable>;
  /** Size of a blob, or null if there is none. */
  stat(name: string): Promise<{ size: number } | null>;
  /** Removes a blob; no error if it is absent. */
  delete(name: string): Promise<void>;
  /** Releases connections and workers. The store is not used afterwards. */
  close(): Promise<void>;
}

/**
 * What a put reads: a Readable (without an encoding), or any iterable of byte chunks. A put reads
 * one chunk at a time and is done with it (written or copied) before it asks for the next, so a
 * producer may reuse its buffer from then on (the encryption wrapper does).
 */
export type BlobBody = Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ByteRange {
  start: number;
  /** Inclusive; omitted: to the end. */
  end?: number;
}

export interface PutResult {
  /** Bytes of the blob as the caller wrote them (plaintext size through the encryption wrapper). */
  size: number;
}

export class BlobNotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Blob not found';
  constructor(readonly blobName: string) {
    super(`no blob named ${blobName}`);
    this.name = 'BlobNotFoundError';
  }
}

/** A put to a name that is taken: blobs are written once and never replaced. */
export class BlobExistsError extends DomainError {
  readonly status = 409;
  readonly title = 'Blob exists';
  constructor(readonly blobName: string) {
    super(`a blob named ${blobName} exists already: blobs are never overwritten (use a new name from newBlobName())`);
    this.name = 'BlobExistsError';
  }
}

/** A name that is not a blob id (a path, a file name, anything from outside): refused before any I/O. */
export class BlobNameError extends DomainError {
  readonly status = 400;
  readonly title = 'Invalid blob name';
  constructor(readonly blobName: string) {
    super(`"${String(blobName).slice(0, 80)}" is not a blob name: blob names are 32 lowercase hex digits made by newBlobName()`);
    this.name = 'BlobNameError';
  }
}

/** A range that starts past the last byte (HTTP 416). */
export class BlobRangeError extends DomainError {
  readonly status = 416;
  readonly title = 'Range not satisfiable';
  constructor(
    readonly blobName: string,
    readonly range: ByteRange,
    readonly size: number,
  ) {
    super(`the range ${range.start}-${range.end ?? ''} is outside blob ${blobName} (${size} bytes)`);
    this.name = 'BlobRangeError';
  }
}

/**
 * Stored bytes that fail their integrity check: tampered with, truncated, or not a Letapis blob.
 * Raised (or emitted on the read stream) by the encryption wrapper; never swallowed.
 */
export class BlobIntegrityError extends DomainError {
  readonly status = 500;
  readonly title = 'Stored evidence failed its integrity check';
  constructor(
    readonly blobName: string,
    detail: string,
  ) {
    super(`blob ${blobName} failed its integrity check: ${detail}. The stored copy was altered or damaged; restore it from a backup and investigate`);
    this.name = 'BlobIntegrityError';
  }
}

/**
 * Checks a range against a blob's size and fills in `end`. Throws BlobRangeError when `start` is
 * past the last byte (so an empty blob has no satisfiable range) or the range is malformed.
 *
 * @example resolveRange('…', { start: 10 }, 100) // { start: 10, end: 99 }
 */
export function resolveRange(name: string, range: ByteRange, size: number): { start: number; end: number } {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start)) || start >= size)
    throw new BlobRangeError(name, range, size);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}
