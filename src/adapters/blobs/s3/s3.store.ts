import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { assertBlobName } from '../blob-name.js';
import { bodyChunks } from '../body.js';
import { BlobExistsError, BlobNotFoundError, BlobRangeError, resolveRange, type BlobStore, type ByteRange, type PutResult, type BlobBody } from '../blob-store.port.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix, e.g. `letapis/blobs/` (a missing trailing slash is added). */
  prefix?: string;
  /** S3-compatible endpoint (MinIO, Ceph RGW, s3rver); omitted: AWS. */
  endpoint?: string;
  region?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (most non-AWS servers want it). */
  forcePathStyle?: boolean;
  /** Omitted: the SDK's default chain (AWS_* variables, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * `when_required` turns off the SDK's default request checksums and response validation, which
   * s3rver and some S3-compatible servers do not understand. Default `when_supported` (the SDK's).
   */
  checksums?: 'when_supported' | 'when_required';
  /** Bytes per multipart part (default 8 MiB, at least 5 MiB as S3 requires). */
  partSize?: number;
  /** Parts uploaded at once (default 2). Memory held by a put is about (queueSize + 1) × partSize. */
  queueSize?: number;
}

const MiB = 1024 * 1024;

/**
 * Blobs as objects in an S3 bucket through the AWS SDK, at `<prefix><name>`.
 *
 * A put smaller than one part is one PutObject; a larger one is a multipart upload (parts of
 * `partSize`, `queueSize` in flight, so memory stays constant), aborted on any failure: the object
 * appears only when CompleteMultipartUpload succeeds. Overwriting is refused by a HeadObject check
 * and by `If-None-Match: *` on the final write, which AWS S3, MinIO and recent Ceph enforce
 * atomically; servers that ignore it (s3rver) leave only the check.
 *
 * @example new S3BlobStore({ bucket: 'evidence', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true })
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly describe: string;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(opts: S3BlobStoreOptions) {
    if (!opts.bucket) throw new TypeError('an S3 blob store needs a bucket');
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? opts.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';
    this.partSize = opts.partSize ?? 8 * MiB;
    if (!Number.isInteger(this.partSize) || this.partSize < 5 * MiB) throw new RangeError('S3 multipart parts must be at least 5 MiB');
    this.queueSize = Math.max(1, opts.queueSize ?? 2);
    const checksums = opts.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
    this.client = new S3Client({
      region: opts.region ?? 'us-east-1',
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
      requestChecksumCalculation: checksums,
      responseChecksumValidation: checksums,
    });
    this.describe = `s3://${this.bucket}/${this.prefix}${opts.endpoint ? ` at ${opts.endpoint}` : ''}`;
  }

  private key(name: string): string {
    assertBlobName(name);
    return `${this.prefix}${name}`;
  }

  async put(name: string, body: BlobBody): Promise<PutResult> {
    const Key = this.key(name);
    if (await this.stat(name)) throw new BlobExistsError(name);
    const upload = new PartUploader(this.client, this.bucket, Key, this.queueSize);
    let part = Buffer.allocUnsafe(this.partSize);
    let fill = 0;
    let size = 0;
    try {
      for await (const chunk of bodyChunks(body)) {
        let off = 0;
        while (off < chunk.byteLength) {
          const n = Math.min(chunk.byteLength - off, part.byteLength - fill);
          chunk.copy(part, fill, off, off + n);
          fill += n;
          off += n;
          if (fill === part.byteLength) {
            await upload.add(part); // waits while queueSize parts are in flight: backpressure
            part = Buffer.allocUnsafe(this.partSize); // the sent part stays referenced until its request ends
            fill = 0;
          }
        }
        size += chunk.byteLength;
      }
      if (!upload.started) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: part.subarray(0, fill), ContentLength: fill, IfNoneMatch: '*' }));
      } else {
        if (fill > 0) await upload.add(part.subarray(0, fill));
        await upload.complete();
      }
      return { size };
    } catch (e) {
      await upload.abort();
      if (isPreconditionFailed(e)) throw new BlobExistsError(name);
      throw e;
    }
  }

  async get(name: string, range?: ByteRange): Promise<Readable> {
    const Key = this.key(name);
    if (range) resolveRange(name, range, Number.MAX_SAFE_INTEGER); // the shape; the size is the server's to check
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }),
      );
      const stream = out.Body as Readable | undefined;
      if (range) {
        // some servers ignore a Range on an empty object, or (s3rver) answer it as 0-0/0
        const total = out.ContentRange ? Number(/\/(\d+)$/.exec(out.ContentRange)?.[1] ?? Number.NaN) : (out.ContentLength ?? 0);
        if (!out.ContentRange && total > 0) {
          stream?.destroy();
          throw new Error(`the S3 server answered a range request for ${name} with the whole object: it does not support ranges`);
        }
        if (total <= range.start) {
          stream?.destroy();
          throw new BlobRangeError(name, range, Number.isNaN(total) ? 0 : total);
        }
        // some servers answer more than asked (s3rver reads `bytes=0-0` as `bytes=0-`): keep to the range
        const m = /^bytes (\d+)-(\d+)\//.exec(out.ContentRange ?? '');
        if (!m || Number(m[1]) !== range.start) {
          stream?.destroy();
          throw new Error(`the S3 server answered range ${range.start}-${range.end ?? ''} of ${name} with ${out.ContentRange}`);
        }
        if (stream && range.end !== undefined && Number(m[2]) > range.end) return Readable.from(firstBytes(stream, range.end - range.start + 1));
      }
      return stream ?? Readable.from([]);
    } catch (e) {
      if (isNotFound(e)) throw new BlobNotFoundError(name);
      if (range && (errorName(e) === 'InvalidRange' || statusOf(e) === 416)) throw new BlobRangeError(name, range, (await this.stat(name))?.size ?? 0);
      throw e;
    }
  }

  async stat(name: string): Promise<{ size: number } | null> {
    const Key = this.key(name);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: Number(out.ContentLength ?? 0) };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async delete(name: string): Promise<void> {
    const Key = this.key(name);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** One multipart upload: started at the first part, parts sent `queueSize` at a time. */
class PartUploader {
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  private next = 1;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly queueSize: number,
  ) {}

  get started(): boolean {
    return this.uploadId !== undefined;
  }

  async add(body: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.uploadId) {
      const out = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key }));
      if (!out.UploadId) throw new Error(`S3 gave no upload id for ${this.key}`);
      this.uploadId = out.UploadId;
    }
    while (this.inFlight.size >= this.queueSize) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    const PartNumber = this.next++;
    const p = this.client
      .send(new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber, Body: body, ContentLength: body.byteLength }))
      .then(
        (out) => void this.parts.push({ PartNumber, ETag: out.ETag }),
        (e) => void (this.failure ??= e),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async complete(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    const Parts = [...this.parts].sort((a, b) => a.PartNumber! - b.PartNumber!);
    await this.client.send(
      new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts }, IfNoneMatch: '*' }),
    );
  }

  /** Best effort: wait for parts in flight, then abort (the server drops the parts). */
  async abort(): Promise<void> {
    if (!this.uploadId) return;
    await Promise.allSettled(this.inFlight);
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId })).catch(() => {});
  }
}

async function* firstBytes(stream: Readable, n: number): AsyncGenerator<Buffer> {
  let left = n;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (chunk.byteLength >= left) {
      yield chunk.subarray(0, left);
      return; // leaving the loop destroys the response stream
    }
    left -= chunk.byteLength;
    yield chunk;
  }
}

function errorName(e: unknown): string | undefined {
  return (e as { name?: string } | null)?.name;
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  const n = errorName(e);
  return n !== 'NoSuchBucket' && (n === 'NoSuchKey' || n === 'NotFound' || statusOf(e) === 404);
}

function isPreconditionFailed(e: unknown): boolean {
  const n = errorName(e);
  return n === 'PreconditionFailed' || n === 'ConditionalRequestConflict' || statusOf(e) === 412;
}
