import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlobIntegrityError } from '../blob-store.port.js';
import { LAYOUT_V1, adPrefix, decodeHeader, encodeHeader, encryptSegments, plainSizeOf, storedSizeOf } from './blob-cipher.js';
import { cipherSpan, decryptStream } from './decrypt-stream.js';
import { encryptStream } from './encrypt-stream.js';
import { SegmentWorker } from './segment-worker.js';

const NAME = '0123456789abcdef0123456789abcdef';
const KEY_ID = '01936b2a-0000-7000-8000-000000000001';
const MiB = 1024 * 1024;

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of it) out.push(Buffer.from(c)); // copies: the encryptor reuses its buffers
  return Buffer.concat(out);
}

async function* slowly(bytes: Buffer, chunk: number, delayMs: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.byteLength; at += chunk) {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    yield bytes.subarray(at, at + chunk);
  }
}

function decryptAll(stored: Buffer, key: Buffer, plainSize: number, start = 0, end = plainSize - 1): Promise<Buffer> {
  const header = decodeHeader(stored, NAME);
  const span = cipherSpan(plainSize, header.layout, start, end);
  return collect(decryptStream(slowly(stored.subarray(span.from, span.to + 1), 100_000, 0), { key, header, blobName: NAME, plainSize, start, end, toEnd: span.to === stored.byteLength - 1 }));
}

describe('encrypted blob format', () => {
  it('converts sizes both ways, and refuses every stored length no plaintext has', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (size) => plainSizeOf(storedSizeOf(size), LAYOUT_V1, NAME) === size),
      { numRuns: 2000 },
    );
    const valid = new Set([0, 1, 65535, 65536, 65537, MiB - 1, MiB, MiB + 1, 3 * MiB].map((n) => storedSizeOf(n)));
    for (let stored = 0; stored < storedSizeOf(MiB + 2); stored += 7) {
      let size: number | undefined;
      try {
        size = plainSizeOf(stored, LAYOUT_V1, NAME);
      } catch (e) {
        expect(e).toBeInstanceOf(BlobIntegrityError);
        expect(valid.has(stored)).toBe(false);
        continue;
      }
      expect(storedSizeOf(size)).toBe(stored);
    }
  });

  it('keeps the data key id and layout in a 64-byte header, and refuses a damaged one', () => {
    const h = encodeHeader(KEY_ID);
    expect(h.bytes.byteLength).toBe(64);
    expect(decodeHeader(h.bytes, NAME)).toEqual(h);
    expect(() => encodeHeader('../x')).toThrow(TypeError);
    for (const [at, value] of [[0, 0x4d], [4, 2], [5, 40], [7, 0], [7, 60], [8, 0x2f]] as const) {
      const bad = Buffer.from(h.bytes);
      bad[at] = value;
      expect(() => decodeHeader(bad, NAME), `byte ${at}`).toThrow(BlobIntegrityError);
    }
  });

  it('a range reads at most one segment more than it returns, wherever it lies', () => {
    const size = 100 * MiB + 5;
    for (const start of [0, 1, 65536, MiB - 1, MiB, 50 * MiB + 12345, size - 1]) {
      const span = cipherSpan(size, LAYOUT_V1, start, start);
      expect(span.to - span.from + 1).toBeLessThanOrEqual(24 + 16 * (65536 + 17));
    }
  });

  it('segments encrypted on the worker thread decrypt like those of the calling thread', async () => {
    const key = randomBytes(32);
    const header = encodeHeader(KEY_ID);
    const plain = randomBytes(2 * MiB + 300);
    const prefix = adPrefix(header.bytes, NAME);
    const worker = new SegmentWorker(key, LAYOUT_V1);
    try {
      await worker.online;
      // two full segments in one job, then the short last one in another
      const jobs: [Buffer, number, boolean][] = [
        [plain.subarray(0, 2 * MiB), 0, false],
        [plain.subarray(2 * MiB), 2, true],
      ];
      const parts: Buffer[] = [header.bytes];
      for (const [part, first, final] of jobs) {
        const buf = new ArrayBuffer(2 * MiB);
        Buffer.from(buf).set(part);
        const r = await worker.encrypt(buf, part.byteLength, new ArrayBuffer(2 * (24 + 16 * 65553)), prefix, first, final);
        parts.push(Buffer.from(r.cipher));
        // the calling thread's encryption of the same segments has the same shape
        expect(encryptSegments(key, prefix, first, part, final, LAYOUT_V1).byteLength).toBe(r.cipher.byteLength);
      }
      const stored = Buffer.concat(parts);
      expect(stored.byteLength).toBe(storedSizeOf(plain.byteLength));
      expect((await decryptAll(stored, key, plain.byteLength)).equals(plain)).toBe(true);
      // and one made wholly on the calling thread decrypts the same
      const here = Buffer.concat([header.bytes, encryptSegments(key, prefix, 0, plain, true, LAYOUT_V1)]);
      expect((await decryptAll(here, key, plain.byteLength)).equals(plain)).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('a stream moves to the worker once past offloadAfter, and the result decrypts whole and in ranges', async () => {
    const key = randomBytes(32);
    const header = encodeHeader(KEY_ID);
    const plain = randomBytes(40 * MiB + 777);
    const stats = { inline: 0, worker: 0 };
    // a source that trickles in: the worker comes online while the first segments are encrypted here
    const stored = await collect(encryptStream(slowly(plain, 256 * 1024, 1), { key, header, blobName: NAME, offloadAfter: 0, stats }));
    expect(stats.worker).toBeGreaterThan(0);
    expect(stats.inline + stats.worker).toBe(41);
    expect(stored.byteLength).toBe(storedSizeOf(plain.byteLength));
    expect((await decryptAll(stored, key, plain.byteLength)).equals(plain)).toBe(true);
    for (const [s, e] of [[0, 10], [39 * MiB - 3, 40 * MiB + 776], [MiB, MiB], [7 * MiB + 65535, 9 * MiB + 1]] as const)
      expect((await decryptAll(stored, key, plain.byteLength, s, e)).equals(plain.subarray(s, e + 1)), `${s}-${e}`).toBe(true);
  });

  it('never offloads a small blob, and an empty one is a single FINAL message', async () => {
    const key = randomBytes(32);
    const header = encodeHeader(KEY_ID);
    const stats = { inline: 0, worker: 0 };
    const stored = await collect(encryptStream(slowly(Buffer.alloc(0), 1, 0), { key, header, blobName: NAME, stats }));
    expect(stats).toEqual({ inline: 1, worker: 0 });
    expect(stored.byteLength).toBe(64 + 24 + 17);
    expect((await decryptAll(stored, key, 0, 0, -1)).byteLength).toBe(0);
    const cut = stored.subarray(0, stored.byteLength - 17);
    await expect(decryptAll(cut, key, 0, 0, -1)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('a wrong key fails as an integrity error, never as plaintext', async () => {
    const key = randomBytes(32);
    const header = encodeHeader(KEY_ID);
    const stored = await collect(encryptStream(slowly(randomBytes(1000), 1000, 0), { key, header, blobName: NAME }));
    await expect(decryptAll(stored, randomBytes(32), 1000)).rejects.toThrow(/failed authentication/);
  });
});
