import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { KeyVault } from '../keys/vault.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBlobName } from './blob-name.js';
import { BlobExistsError, BlobIntegrityError, BlobNameError, BlobNotFoundError, BlobRangeError, type BlobStore } from './blob-store.port.js';
import { EncryptedBlobStore } from './encrypted/encrypted.store.js';

/**
 * The one contract every blob store meets: each driver's test file runs it on the driver alone
 * and under the encryption wrapper. `open` makes the store (once per describe block); for the
 * encrypted runs `raw` is the driver beneath, used to read and damage the stored bytes.
 */
export interface BlobStoreSubject {
  store: BlobStore;
  /** The driver itself (the same as `store` for the plain runs). */
  raw: BlobStore;
  /** The database and vault of the encrypted runs. */
  keys?: { db: Kysely<any>; vault: KeyVault };
  close(): Promise<void>;
}

export interface BlobStoreSuiteOptions {
  /** Whether a put holds the blob in memory (the memory driver): the constant-memory test does not apply. */
  holdsBlobsInMemory?: boolean;
  /** Whether the store is wrapped in encryption: the encrypted-only tests apply (and are declared). */
  encrypted?: boolean;
  /** Size of the constant-memory test blob (default 200 MiB). */
  largeBytes?: number;
}

const MiB = 1024 * 1024;

export function blobStoreContract(open: () => Promise<BlobStoreSubject>, opts: BlobStoreSuiteOptions = {}): void {
  let s: BlobStoreSubject;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.close();
  });
  const encrypted = () => s.store instanceof EncryptedBlobStore;
  /** Rows in data_keys (encrypted runs), to check that a failed put leaves no key behind. */
  const countDataKeys = async () => (s.keys ? Number((await s.keys.db.selectFrom('data_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) : undefined);

  it('stores and returns bytes: small, empty, and several MiB in uneven chunks', async () => {
    for (const bytes of [Buffer.from('свидетельство 1'), Buffer.alloc(0), randomBytes(3 * MiB + 12345)]) {
      const name = newBlobName();
      const put = await s.store.put(name, unevenChunks(bytes));
      expect(put.size).toBe(bytes.byteLength);
      expect(await s.store.stat(name)).toEqual({ size: bytes.byteLength });
      expect((await readAll(await s.store.get(name))).equals(bytes)).toBe(true);
    }
  });

  it('takes a Readable as well as an async iterable, and bodies that reuse one buffer', async () => {
    const { Readable } = await import('node:stream');
    const bytes = randomBytes(2 * MiB + 7);
    const a = newBlobName();
    await s.store.put(a, Readable.from(unevenChunks(bytes)));
    expect((await readAll(await s.store.get(a))).equals(bytes)).toBe(true);
    // a producer may overwrite a chunk once the store asks for the next (as the wrapper does)
    const b = newBlobName();
    await s.store.put(b, reusingOneBuffer(bytes, 100_000));
    expect((await readAll(await s.store.get(b))).equals(bytes)).toBe(true);
  });

  it('reads inclusive ranges, cuts an end past the last byte, refuses a start past it', async () => {
    const bytes = randomBytes(2 * MiB + 3 * 65536 + 999);
    const name = newBlobName();
    await s.store.put(name, unevenChunks(bytes));
    const last = bytes.byteLength - 1;
    const ranges: [number, number | undefined][] = [
      [0, 0],
      [0, 99],
      [last, last],
      [last, undefined],
      [65535, 65536], // across a message boundary of the encrypted format
      [MiB - 1, MiB], // across a segment boundary
      [MiB + 70_000, 2 * MiB + 5],
      [1234, undefined],
      [2 * MiB, last + 1_000_000],
    ];
    for (const [start, end] of ranges) {
      const got = await readAll(await s.store.get(name, { start, end }));
      expect(got.equals(bytes.subarray(start, end === undefined ? undefined : Math.min(end, last) + 1)), `range ${start}-${end}`).toBe(true);
    }
    await expect(s.store.get(name, { start: bytes.byteLength })).rejects.toBeInstanceOf(BlobRangeError);
    await expect(s.store.get(name, { start: 10, end: 5 })).rejects.toBeInstanceOf(BlobRangeError);
    const empty = newBlobName();
    await s.store.put(empty, []);
    await expect(s.store.get(empty, { start: 0 })).rejects.toBeInstanceOf(BlobRangeError);
  });

  it('stat is null and get throws BlobNotFoundError for an absent blob; delete is idempotent', async () => {
    const name = newBlobName();
    expect(await s.store.stat(name)).toBeNull();
    await expect(s.store.get(name)).rejects.toBeInstanceOf(BlobNotFoundError);
    await s.store.put(name, [Buffer.from('x')]);
    await s.store.delete(name);
    expect(await s.store.stat(name)).toBeNull();
    await expect(s.store.get(name)).rejects.toBeInstanceOf(BlobNotFoundError);
    await s.store.delete(name);
  });

  it('refuses names that are not blob ids, before any I/O', async () => {
    for (const bad of ['../../x', '..', '', 'ABCDEF0123456789ABCDEF0123456789', `${'a'.repeat(31)}/`, `${'a'.repeat(32)}/../x`, 'a'.repeat(33), '/etc/passwd', `${'0'.repeat(31)}\0`]) {
      await expect(s.store.put(bad, [Buffer.from('x')]), bad).rejects.toBeInstanceOf(BlobNameError);
      await expect(s.store.get(bad)).rejects.toBeInstanceOf(BlobNameError);
      await expect(s.store.stat(bad)).rejects.toBeInstanceOf(BlobNameError);
      await expect(s.store.delete(bad)).rejects.toBeInstanceOf(BlobNameError);
    }
  });

  it('refuses a put to an existing name and keeps the original', async () => {
    const name = newBlobName();
    const original = randomBytes(1000);
    await s.store.put(name, [original]);
    const keysBefore = await countDataKeys();
    await expect(s.store.put(name, [randomBytes(1000)])).rejects.toBeInstanceOf(BlobExistsError);
    expect((await readAll(await s.store.get(name))).equals(original)).toBe(true);
    expect(await countDataKeys()).toBe(keysBefore);
  });

  it('is atomic: a body that fails half way leaves nothing, and the name stays free', async () => {
    for (const failAfter of [0, 100, 3 * MiB, 7 * MiB]) {
      const name = newBlobName();
      const keysBefore = await countDataKeys();
      await expect(s.store.put(name, failingBody(failAfter, new Error('the upload was cut')))).rejects.toThrow('the upload was cut');
      expect(await s.store.stat(name)).toBeNull();
      expect(await s.raw.stat(name)).toBeNull();
      await expect(s.store.get(name)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await countDataKeys()).toBe(keysBefore);
      await s.store.put(name, [Buffer.from('second try')]);
      expect((await readAll(await s.store.get(name))).toString()).toBe('second try');
    }
  });

  it('keeps concurrent puts apart', async () => {
    const blobs = Array.from({ length: 6 }, (_, i) => ({ name: newBlobName(), bytes: randomBytes(200_000 * (i + 1)) }));
    await Promise.all(blobs.map((b) => s.store.put(b.name, unevenChunks(b.bytes))));
    for (const b of blobs) expect((await readAll(await s.store.get(b.name))).equals(b.bytes)).toBe(true);
  });

  // not declared for the memory driver, which holds every blob in memory by design
  (opts.holdsBlobsInMemory ? () => {} : it)(
    'writes and reads a large blob in constant memory',
    async () => {
      const total = opts.largeBytes ?? 200 * MiB;
      const name = newBlobName();
      const rss = rssSampler();
      const expected = createHash('sha256');
      const put = await s.store.put(name, generated(total, expected));
      const got = createHash('sha256');
      for await (const c of await s.store.get(name)) got.update(c as Buffer);
      const growth = rss.stop();
      expect(put.size).toBe(total);
      expect(got.digest('hex')).toBe(expected.digest('hex'));
      // holding the blob would take `total`; a stream takes a few buffers
      expect(growth, `RSS grew by ${Math.round(growth / MiB)} MiB for a ${total / MiB} MiB blob`).toBeLessThan(80 * MiB);
      await s.store.delete(name);
    },
    300_000,
  );

  // declared only for stores under the encryption wrapper: a plain store has nothing to test here
  (opts.encrypted ? describe : () => {})('encrypted only', () => {
    const marker = Buffer.from('LETAPIS-PLAINTEXT-MARKER-Свідчанне-0xC0FFEE');
    const onlyEncrypted = (name: string, fn: () => Promise<void>, timeout?: number) =>
      it(name, async () => {
        expect(encrypted(), 'the suite was told this store is encrypted').toBe(true);
        await fn();
      }, timeout);
    const enc = () => s.store as EncryptedBlobStore;

    onlyEncrypted('stores no plaintext: the raw bytes never contain a known marker', async () => {
      const bytes = Buffer.concat(Array.from({ length: 30_000 }, () => marker)); // ~1.3 MiB of markers
      const name = newBlobName();
      await s.store.put(name, unevenChunks(bytes));
      const raw = await readAll(await s.raw.get(name));
      expect(raw.includes(marker)).toBe(false);
      expect(raw.includes(marker.subarray(0, 16))).toBe(false);
      expect(raw.byteLength).toBeGreaterThan(bytes.byteLength);
    });

    onlyEncrypted('two encryptions of the same bytes differ, under different keys', async () => {
      const bytes = randomBytes(100_000);
      const [a, b] = [newBlobName(), newBlobName()];
      const ra = await enc().put(a, [bytes]);
      const rb = await enc().put(b, [bytes]);
      expect(ra.dataKeyId).not.toBe(rb.dataKeyId);
      const [xa, xb] = [await readAll(await s.raw.get(a)), await readAll(await s.raw.get(b))];
      expect(xa.subarray(64).equals(xb.subarray(64))).toBe(false);
      expect(xa.subarray(200, 232).equals(xb.subarray(200, 232))).toBe(false);
      expect(ra.storedSize).toBe(xa.byteLength);
    });

    onlyEncrypted('one changed byte anywhere makes the read fail loudly', async () => {
      const bytes = randomBytes(MiB + 100_000);
      const name = newBlobName();
      await s.store.put(name, [bytes]);
      const raw = await readAll(await s.raw.get(name));
      const positions = [4, 5, 7, 10, 64, 80, 64 + 24 + 5, 64 + 24 + 65536 + 16, 500_000, raw.byteLength - 17, raw.byteLength - 1, 64 + 24 + 16 * 65553 + 3];
      for (const p of positions) {
        const damaged = Buffer.from(raw);
        damaged[p]! ^= 0x01;
        await replaceRaw(s.raw, name, damaged);
        const err = await s.store
          .get(name)
          .then(readAll)
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(err, `byte ${p}`).toBeInstanceOf(BlobIntegrityError);
      }
      await replaceRaw(s.raw, name, raw);
      expect((await readAll(await s.store.get(name))).equals(bytes)).toBe(true);
    });

    onlyEncrypted('a truncated or extended blob fails, whether cut inside a message or at a boundary', async () => {
      const bytes = randomBytes(2 * MiB + 3 * 65536 + 10); // 3 segments, the last with 4 messages
      const name = newBlobName();
      await s.store.put(name, [bytes]);
      const raw = await readAll(await s.raw.get(name));
      const lastMessage = 10 + 17;
      const cuts = [1, 16, 17, lastMessage, lastMessage + 65553, raw.byteLength - (64 + 2 * (24 + 16 * 65553))];
      for (const cut of cuts) {
        await replaceRaw(s.raw, name, raw.subarray(0, raw.byteLength - cut));
        await expect(s.store.get(name).then(readAll), `cut ${cut}`).rejects.toBeInstanceOf(BlobIntegrityError);
      }
      // a read of the end through a range checks the final tag too
      await replaceRaw(s.raw, name, raw.subarray(0, raw.byteLength - lastMessage));
      const size = (await s.store.stat(name))!.size;
      await expect(s.store.get(name, { start: size - 10 }).then(readAll)).rejects.toBeInstanceOf(BlobIntegrityError);
      await replaceRaw(s.raw, name, Buffer.concat([raw, Buffer.from('appended')]));
      await expect(s.store.get(name).then(readAll)).rejects.toBeInstanceOf(BlobIntegrityError);
      await replaceRaw(s.raw, name, raw.subarray(0, 40));
      await expect(s.store.get(name)).rejects.toBeInstanceOf(BlobIntegrityError);
    });

    onlyEncrypted('a blob copied under another name, or with segments swapped, does not decrypt', async () => {
      const bytes = randomBytes(3 * MiB);
      const a = newBlobName();
      await s.store.put(a, [bytes]);
      const raw = await readAll(await s.raw.get(a));
      const b = newBlobName();
      await s.raw.put(b, [raw]);
      await expect(s.store.get(b).then(readAll)).rejects.toBeInstanceOf(BlobIntegrityError);
      const seg = 24 + 16 * 65553;
      const swapped = Buffer.concat([raw.subarray(0, 64), raw.subarray(64 + seg, 64 + 2 * seg), raw.subarray(64, 64 + seg), raw.subarray(64 + 2 * seg)]);
      await replaceRaw(s.raw, a, swapped);
      await expect(s.store.get(a).then(readAll)).rejects.toBeInstanceOf(BlobIntegrityError);
      await expect(s.store.get(a, { start: MiB + 5, end: MiB + 10 }).then(readAll)).rejects.toBeInstanceOf(BlobIntegrityError);
    });

    onlyEncrypted('reads check the data key recorded with the item', async () => {
      const name = newBlobName();
      const { dataKeyId } = await enc().put(name, [Buffer.from('x')]);
      expect(await enc().dataKeyIdOf(name)).toBe(dataKeyId);
      expect((await readAll(await enc().get(name, undefined, { dataKeyId }))).toString()).toBe('x');
      await expect(enc().get(name, undefined, { dataKeyId: '01900000-0000-7000-8000-000000000000' })).rejects.toBeInstanceOf(BlobIntegrityError);
    });

    onlyEncrypted(
      'encrypts large blobs on the worker thread the same as small ones on the caller thread',
      async () => {
        const bytes = randomBytes(24 * MiB + 5);
        for (const offloadAfter of [0, Number.POSITIVE_INFINITY]) {
          const store = new EncryptedBlobStore(s.raw, { ...s.keys!, offloadAfter });
          const name = newBlobName();
          const r = await store.put(name, unevenChunks(bytes));
          expect(r.size).toBe(bytes.byteLength);
          expect((await readAll(await store.get(name))).equals(bytes)).toBe(true);
          expect((await readAll(await store.get(name, { start: 20 * MiB + 3, end: 22 * MiB }))).equals(bytes.subarray(20 * MiB + 3, 22 * MiB + 1))).toBe(true);
        }
      },
      60_000,
    );
  });
}

// ---------------------------------------------------------------------------------------------

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Replaces a stored blob's bytes through the driver (delete, then put). */
async function replaceRaw(raw: BlobStore, name: string, bytes: Buffer): Promise<void> {
  await raw.delete(name);
  await raw.put(name, [bytes]);
}

/** The bytes in chunks of varying sizes (1 byte to 300 KB), as a network would deliver them. */
export async function* unevenChunks(bytes: Buffer): AsyncGenerator<Buffer> {
  const sizes = [1, 7, 65536, 300_000, 4096, 65535, 100_001];
  let at = 0;
  for (let i = 0; at < bytes.byteLength; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

async function* reusingOneBuffer(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.alloc(size);
  for (let at = 0; at < bytes.byteLength; at += size) {
    const n = bytes.copy(buf, 0, at, at + size);
    yield buf.subarray(0, n);
    buf.fill(0xee); // the store has asked for more: it must be done with the chunk
  }
}

async function* failingBody(after: number, error: Error): AsyncGenerator<Buffer> {
  let sent = 0;
  while (sent < after) {
    const n = Math.min(256 * 1024, after - sent);
    yield randomBytes(n);
    sent += n;
  }
  throw error;
}

/** `total` pseudo-random bytes made on the fly (1 MiB at a time), hashed into `hash` as they go. */
export async function* generated(total: number, hash?: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const block = randomBytes(MiB);
  for (let at = 0, i = 0; at < total; at += MiB, i++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(MiB, total - at)));
    if (chunk.byteLength >= 4) chunk.writeUInt32LE(i, 0); // every chunk differs
    hash?.update(chunk);
    yield chunk;
  }
}

/** Samples RSS every 5 ms; `stop()` returns the peak growth over the first sample. */
export function rssSampler(): { stop(): number } {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  return {
    stop: () => {
      clearInterval(t);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - base;
    },
  };
}
