import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ERRORS, Upload } from '@tus/utils';
import type { Container } from '../../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { EncryptedUploadStore, newUploadId, UploadIntegrityError } from './encrypted-upload.store.js';

/**
 * The store under the tus endpoint on its own: the frame format, what survives a crash (a torn or
 * damaged last frame is cut off, the offset falls back to the last good frame), tampering detected
 * when reading back, and expiry.
 */

const FRAME = 4096;
const MARKER = Buffer.from('PLAINTEXT-MARKER-in-the-upload');

describeEachDialect('encrypted upload store', (dialect) => {
  let c: Container;
  let dir: string;
  const store = (opts: { expirationMs?: number } = {}) => new EncryptedUploadStore({ dir, db: c.db, vault: c.vault, frameBytes: FRAME, ...opts });
  const owner = { userId: '0190a1b2-0000-7000-8000-000000000001', compartment: '0190a1b2-0000-7000-8000-000000000002' };

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    dir = join(c.config.dataDir, 'uploads');
  });
  afterAll(async () => {
    await c?.close();
  });

  async function created(s: EncryptedUploadStore, size: number, metadata: Record<string, string> = {}): Promise<string> {
    const id = newUploadId();
    s.expectOwner(id, owner);
    await s.create(new Upload({ id, size, offset: 0, metadata }));
    return id;
  }
  /** Bytes with the marker every 512 bytes. */
  function bytes(n: number): Buffer {
    const b = randomBytes(n);
    for (let at = 0; at + MARKER.length <= n; at += 512) MARKER.copy(b, at);
    return b;
  }
  /** The body in pieces of `piece` bytes, as a request stream delivers it. */
  const body = (b: Buffer, piece = 1000) => Readable.from((function* () {
    for (let i = 0; i < b.length; i += piece) yield b.subarray(i, i + piece);
  })());
  async function plaintextOf(s: EncryptedUploadStore, id: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const p of s.openPlaintext(id)) parts.push(p);
    return Buffer.concat(parts);
  }

  it('stores PATCH bodies as frames of at most frameBytes, encrypted, and reads them back', async () => {
    const s = store();
    const data = bytes(3 * FRAME + 100 + 2 * FRAME + 7);
    const id = await created(s, data.length, { filename: 'свед.mp4' });
    expect(await s.write(body(data.subarray(0, 3 * FRAME + 100)), id, 0)).toBe(3 * FRAME + 100);
    // a body that does not start at the offset held is refused
    await expect(s.write(body(data.subarray(0, 10)), id, 0)).rejects.toBe(ERRORS.INVALID_OFFSET);
    expect(await s.write(body(data.subarray(3 * FRAME + 100), 333), id, 3 * FRAME + 100)).toBe(data.length);
    const part = readFileSync(join(dir, `${id}.part`));
    // header, then 4 + 3 frames: each 4 (length) + 24 (nonce) + 16 (tag) bytes around its ciphertext
    expect(part.length).toBe(8 + data.length + 7 * 44);
    expect(part.subarray(0, 8).toString('ascii')).toBe('LTPUPLD1');
    expect(part.includes(MARKER)).toBe(false);
    expect((statSync(join(dir, `${id}.part`)).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dir, `${id}.json`)).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(join(dir, `${id}.json`), 'utf8')).not.toContain('свед');
    expect((await s.getUpload(id)).metadata).toEqual({ filename: 'свед.mp4' });
    expect((await plaintextOf(s, id)).equals(data)).toBe(true);
    // a new process (nothing cached) finds the same state by authenticating the frames
    const again = await store().getUpload(id);
    expect(again.offset).toBe(data.length);
    expect(again.size).toBe(data.length);
  });

  it('after a crash, cuts a torn last frame and resumes from the last whole one', async () => {
    const s = store();
    const data = bytes(5 * FRAME);
    const id = await created(s, data.length);
    expect(await s.write(body(data.subarray(0, 2 * FRAME + 10)), id, 0)).toBe(2 * FRAME + 10);
    const partPath = join(dir, `${id}.part`);
    const good = statSync(partPath).size;
    // a frame cut short by a crash: its length says 4096, half of it is there
    const torn = Buffer.alloc(4 + 24 + 2000);
    torn.writeUInt32LE(FRAME, 0);
    appendFileSync(partPath, torn);
    const fresh = store();
    expect((await fresh.getUpload(id)).offset).toBe(2 * FRAME + 10);
    expect(statSync(partPath).size).toBe(good);

    // a whole-looking last frame whose bytes are garbage (written but never made durable)
    const garbage = randomBytes(4 + 24 + 100 + 16);
    garbage.writeUInt32LE(100, 0);
    appendFileSync(partPath, garbage);
    expect((await store().getUpload(id)).offset).toBe(2 * FRAME + 10);
    expect(statSync(partPath).size).toBe(good);

    // damage inside the second frame: the offset falls back to the end of the first
    const b = readFileSync(partPath);
    b[8 + (4 + 24 + FRAME + 16) + 100]! ^= 0xff;
    writeFileSync(partPath, b);
    const after = store();
    expect((await after.getUpload(id)).offset).toBe(FRAME);
    // and the client sends the rest from there
    expect(await after.write(body(data.subarray(FRAME)), id, FRAME)).toBe(data.length);
    expect(createHash('sha256').update(await plaintextOf(after, id)).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('keeps what arrived when the body breaks off, and refuses more than the declared size', async () => {
    const s = store();
    const data = bytes(3 * FRAME);
    const id = await created(s, data.length);
    const broken = new Readable({ read() {} });
    broken.push(data.subarray(0, FRAME + 500));
    setTimeout(() => broken.destroy(new Error('socket hang up')), 20);
    await expect(s.write(broken, id, 0)).rejects.toThrow('socket hang up');
    expect((await s.getUpload(id)).offset).toBe(FRAME + 500);
    expect((await store().getUpload(id)).offset).toBe(FRAME + 500);
    await expect(s.write(body(Buffer.concat([data.subarray(FRAME + 500), Buffer.alloc(10)])), id, FRAME + 500)).rejects.toBe(ERRORS.ERR_SIZE_EXCEEDED);
    expect((await store().getUpload(id)).offset).toBeLessThanOrEqual(data.length);
  });

  it('detects frames moved between uploads or reordered, and an upload read before it is complete', async () => {
    const s = store();
    const a = bytes(2 * FRAME);
    const idA = await created(s, a.length);
    const idB = await created(s, a.length);
    await s.write(body(a), idA, 0);
    await s.write(body(a), idB, 0);
    // B's frames under A's name: another key and another id in the associated data
    writeFileSync(join(dir, `${idA}.part`), readFileSync(join(dir, `${idB}.part`)));
    await expect(plaintextOf(store(), idA)).rejects.toBeInstanceOf(UploadIntegrityError);
    // B's two frames swapped: the index and offset in the associated data no longer match
    const p = readFileSync(join(dir, `${idB}.part`));
    const f = 4 + 24 + FRAME + 16;
    writeFileSync(join(dir, `${idB}.part`), Buffer.concat([p.subarray(0, 8), p.subarray(8 + f), p.subarray(8, 8 + f)]));
    await expect(plaintextOf(store(), idB)).rejects.toBeInstanceOf(UploadIntegrityError);
    // incomplete: 1 frame of 2
    const idC = await created(s, a.length);
    await s.write(body(a.subarray(0, FRAME)), idC, 0);
    await expect(plaintextOf(s, idC)).rejects.toThrow(/holds 4096 of 8192 bytes/);
  });

  it('refuses an upload without an owner, and ids that are not its own', async () => {
    const s = store();
    await expect(s.create(new Upload({ id: newUploadId(), size: 10, offset: 0 }))).rejects.toThrow(/names its owner/);
    await expect(s.getUpload('../../etc/passwd')).rejects.toBe(ERRORS.FILE_NOT_FOUND);
    await expect(s.getUpload(newUploadId())).rejects.toBe(ERRORS.FILE_NOT_FOUND);
    expect(await s.describe('x'.repeat(32))).toBeUndefined();
  });

  it('removes expired uploads with their data keys, and leftovers of cut-short creations', async () => {
    const s = store({ expirationMs: 60_000 });
    const fresh = await created(s, 10);
    const old = await created(s, 10);
    const sidecar = JSON.parse(readFileSync(join(dir, `${old}.json`), 'utf8'));
    writeFileSync(join(dir, `${old}.json`), JSON.stringify({ ...sidecar, createdAt: new Date(Date.now() - 120_000).toISOString() }));
    mkdirSync(dir, { recursive: true });
    const orphan = join(dir, `${newUploadId()}.part`);
    writeFileSync(orphan, 'x');
    const hourAgo = (Date.now() - 2 * 3600_000) / 1000;
    utimesSync(orphan, hourAgo, hourAgo);
    const removed = await s.deleteExpired();
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dir, `${old}.part`))).toBe(false);
    expect(existsSync(join(dir, `${old}.json`))).toBe(false);
    expect(existsSync(orphan)).toBe(false);
    expect(await c.db.selectFrom('data_keys').select('id').where('id', '=', sidecar.dataKeyId).executeTakeFirst()).toBeUndefined();
    expect(existsSync(join(dir, `${fresh}.part`))).toBe(true);
  });
});
