import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import * as tus from 'tus-js-client';
import { buildServer } from '../../../app/server.js';
import type { Container } from '../../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { createToken } from '../../users/tokens.usecases.js';
import { uploadStoreOf } from './uploads.routes.js';

/**
 * The tus endpoint as a client sees it: tus-js-client in Node against a real listening server on
 * loopback, on both engines. Bytes wait encrypted (a marker written all through the source never
 * shows in the .part file), an upload cut off half way resumes with a new client from its address,
 * only the uploader can see, continue or cancel it, and the limit answers 413 at creation.
 */

const MARKER = 'LETAPIS-PLAINTEXT-MARKER-7c1e';
const MiB = 1024 * 1024;

/** A file of `size` bytes: random, with the marker written every 4 KiB. */
function makeSource(dir: string, name: string, size: number): { path: string; sha256: string } {
  const buf = randomBytes(size);
  for (let at = 0; at + MARKER.length <= size; at += 4096) buf.write(MARKER, at, 'ascii');
  const path = join(dir, name);
  writeFileSync(path, buf);
  return { path, sha256: createHash('sha256').update(buf).digest('hex') };
}

describeEachDialect('resumable uploads (tus) over HTTP', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let base: string;
  let dir: string;
  let token: string;
  let otherToken: string;
  const LIMIT = 24 * MiB;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    c.config.maxUploadBytes = LIMIT;
    app = await buildServer(c);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'letapis-tus-'));
    const me = await makeActor(c.db, 'documenter', 'tus-uploader');
    await makeActor(c.db, 'documenter', 'tus-other');
    token = (await createToken(c.db, me.username, { scope: 'write' })).token;
    otherToken = (await createToken(c.db, 'tus-other', { scope: 'write' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const uploadsDir = () => join(c.config.dataDir, 'uploads');
  const idOf = (url: string) => url.split('/').pop()!;
  const auth = (t = token) => ({ authorization: `Bearer ${t}` });

  /** Runs a tus-js-client upload to the end; resolves with its address and last response. */
  function runUpload(source: unknown, opts: tus.UploadOptions): Promise<{ url: string; last: tus.HttpResponse }> {
    return new Promise((resolve, reject) => {
      const up = new tus.Upload(source as Buffer, {
        endpoint: `${base}/api/v1/uploads`,
        headers: auth(),
        retryDelays: null,
        ...opts,
        onSuccess: ({ lastResponse }) => resolve({ url: up.url!, last: lastResponse }),
        onError: reject,
      });
      up.start();
    });
  }

  const head = (url: string, t = token) => fetch(url, { method: 'HEAD', headers: { ...auth(t), 'tus-resumable': '1.0.0' } });

  it('takes a file sent in small chunks in as evidence, with the sha256 of the source', async () => {
    const src = makeSource(dir, 'chunks.bin', 2 * MiB + 512 * 1024 + 123);
    const { url, last } = await runUpload(createReadStream(src.path), {
      chunkSize: 256 * 1024,
      metadata: { filename: 'ВІДЭА 2024-03-01.mp4', source: 'a witness', note: 'sent in small pieces' },
    });
    expect(url).toMatch(/\/api\/v1\/uploads\/[0-9a-f]{32}$/);
    expect(last.getHeader('letapis-sha256')).toBe(src.sha256);
    expect(last.getHeader('letapis-duplicate')).toBe('false');
    const itemId = last.getHeader('letapis-item')!;
    const item = (await (await fetch(`${base}/api/v1/evidence/${itemId}`, { headers: auth() })).json()) as any;
    expect(item.sha256).toBe(src.sha256);
    expect(item.size).toBe(2 * MiB + 512 * 1024 + 123);
    expect(item.acquisitions).toHaveLength(1);
    expect(item.acquisitions[0]).toMatchObject({ method: 'resumable-upload', filename: 'ВІДЭА 2024-03-01.mp4', source: 'a witness', note: 'sent in small pieces' });
    // the evidentiary copy reads back the same
    const body = Buffer.from(await (await fetch(`${base}/api/v1/evidence/${itemId}/content`, { headers: auth() })).arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(src.sha256);
    // the upload is gone, with its files; its uploader (whose last answer may have been lost) still
    // learns the outcome from HEAD, and a client resuming it is done at once
    const after = await head(url);
    expect(after.status).toBe(200);
    expect(after.headers.get('upload-offset')).toBe(String(item.size));
    expect(after.headers.get('letapis-item')).toBe(itemId);
    expect((await head(url, otherToken)).status).toBe(404);
    const resumed = await runUpload(createReadStream(src.path), { uploadUrl: url });
    expect(resumed.last.getHeader('letapis-item')).toBe(itemId);
    expect(resumed.last.getHeader('letapis-sha256')).toBe(src.sha256);
    expect(existsSync(join(uploadsDir(), `${idOf(url)}.part`))).toBe(false);
    expect(existsSync(join(uploadsDir(), `${idOf(url)}.json`))).toBe(false);

    // the same bytes again: another acquisition of the same item
    const again = await runUpload(createReadStream(src.path), { chunkSize: 1024 * 1024, metadata: { filename: 'copy.mp4' } });
    expect(again.last.getHeader('letapis-item')).toBe(itemId);
    expect(again.last.getHeader('letapis-duplicate')).toBe('true');
  });

  it('resumes an upload cut off half way with a new client, to the right hash, never holding plaintext on disk', async () => {
    const size = 6 * MiB + 777;
    const src = makeSource(dir, 'interrupted.bin', size);
    const half = Math.floor(size / 2);
    // first client: the connection carries half the file, then hangs; then the client cuts it
    let stalled!: () => void;
    const atHalf = new Promise<void>((r) => (stalled = r));
    const stalling = {
      openFile: async () => ({
        size,
        slice: async (start: number, end: number) => {
          const s = Readable.from(
            (async function* () {
              yield* createReadStream(src.path, { start, end: Math.min(end, half) - 1 });
              stalled();
              await new Promise(() => {}); // the connection hangs here
            })(),
          ) as Readable & { size?: number };
          s.size = end - start;
          return { value: s, done: end >= size };
        },
        close: () => {},
      }),
    };
    let url = '';
    const up = new tus.Upload(Buffer.alloc(0), {
      endpoint: `${base}/api/v1/uploads`,
      headers: auth(),
      retryDelays: null,
      uploadSize: size,
      fileReader: stalling as unknown as tus.UploadOptions['fileReader'],
      metadata: { filename: 'cut-off.mov' },
      onUploadUrlAvailable: () => {
        url = up.url!;
      },
      onError: () => stalled(), // reported by the assertions below
      onSuccess: () => {
        throw new Error('the stalled upload should not finish');
      },
    });
    up.start();
    await atHalf;
    await new Promise((r) => setTimeout(r, 300)); // let the bytes in flight arrive
    await up.abort();
    expect(url).toMatch(/\/api\/v1\/uploads\/[0-9a-f]{32}$/);
    // the server keeps what arrived, once the cut connection is noticed
    let offset = 0;
    for (let i = 0; i < 50 && offset === 0; i++) {
      const h = await head(url);
      expect(h.status).toBe(200);
      offset = Number(h.headers.get('upload-offset'));
      if (offset === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(half);
    const id = idOf(url);
    const part = readFileSync(join(uploadsDir(), `${id}.part`));
    expect(part.length).toBeGreaterThan(offset); // frames: length, nonce and tag around the ciphertext
    expect(part.includes(Buffer.from(MARKER))).toBe(false);
    expect(part.includes(readFileSync(src.path).subarray(1000, 1064))).toBe(false);
    const sidecar = readFileSync(join(uploadsDir(), `${id}.json`), 'utf8');
    expect(sidecar).not.toContain('cut-off');
    expect(sidecar).not.toContain(Buffer.from('cut-off.mov').toString('base64'));
    const stat = readdirSync(uploadsDir()).filter((n) => n.startsWith(id));
    expect(stat.sort()).toEqual([`${id}.json`, `${id}.part`]);

    // a new client resumes from the address alone
    const resumed = await runUpload(createReadStream(src.path), { uploadUrl: url });
    expect(resumed.url).toBe(url);
    expect(resumed.last.getHeader('letapis-sha256')).toBe(src.sha256);
    const item = (await (await fetch(`${base}/api/v1/evidence/${resumed.last.getHeader('letapis-item')}`, { headers: auth() })).json()) as any;
    expect(item).toMatchObject({ sha256: src.sha256, size });
    expect(item.acquisitions[0].filename).toBe('cut-off.mov');
  });

  it('lets only the uploader see, continue or cancel an upload: 404 for anyone else, as for nothing', async () => {
    const created = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': '5000', 'upload-metadata': `filename ${Buffer.from('private.jpg').toString('base64')}` },
    });
    expect(created.status).toBe(201);
    const url = new URL(created.headers.get('location')!, base).href;
    const nothing = `${base}/api/v1/uploads/${randomBytes(16).toString('hex')}`;
    const patch = (u: string, t: string) =>
      fetch(u, { method: 'PATCH', headers: { ...auth(t), 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: Buffer.from(MARKER) });
    const del = (u: string, t: string) => fetch(u, { method: 'DELETE', headers: { ...auth(t), 'tus-resumable': '1.0.0' } });

    for (const [name, send] of [
      ['HEAD', (u: string, t: string) => head(u, t)],
      ['PATCH', patch],
      ['DELETE', del],
    ] as const) {
      const theirs = await send(url, otherToken);
      const none = await send(nothing, otherToken);
      expect(theirs.status, name).toBe(404);
      expect(none.status, name).toBe(404);
      if (name !== 'HEAD') {
        expect(theirs.headers.get('content-type')).toMatch(/problem\+json/);
        const a = (await theirs.json()) as any;
        const b = (await none.json()) as any;
        expect({ ...a, instance: undefined }).toEqual({ ...b, instance: undefined });
      }
    }
    // untouched by all that: the uploader still sees it at offset 0
    const mine = await head(url);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('upload-offset')).toBe('0');
    expect(mine.headers.get('upload-length')).toBe('5000');
    expect(mine.headers.get('upload-metadata')).toContain(`filename ${Buffer.from('private.jpg').toString('base64')}`);
    // a malformed address is nothing too
    expect((await head(`${base}/api/v1/uploads/..%2F..%2Fetc`)).status).toBe(404);

    // the uploader cancels it: the files and the data key are gone
    const id = idOf(url);
    const keyId = JSON.parse(readFileSync(join(uploadsDir(), `${id}.json`), 'utf8')).dataKeyId as string;
    expect(await c.db.selectFrom('data_keys').select('id').where('id', '=', keyId).executeTakeFirst()).toBeDefined();
    expect((await del(url, token)).status).toBe(204);
    expect((await head(url)).status).toBe(404);
    expect(readdirSync(uploadsDir()).filter((n) => n.startsWith(id))).toEqual([]);
    expect(await c.db.selectFrom('data_keys').select('id').where('id', '=', keyId).executeTakeFirst()).toBeUndefined();
  });

  it('refuses an upload above the limit at creation (413), and takes one at the limit', async () => {
    const post = (length: number) =>
      fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': String(length) } });
    const over = await post(LIMIT + 1);
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await over.json()) as any).detail).toContain(String(LIMIT));
    const at = await post(LIMIT);
    expect(at.status).toBe(201);
    const url = new URL(at.headers.get('location')!, base).href;
    expect((await fetch(url, { method: 'DELETE', headers: { ...auth(), 'tus-resumable': '1.0.0' } })).status).toBe(204);
  });

  it('takes in a zero-byte file at creation, and a file sent with its creation (creation-with-upload)', async () => {
    const empty = await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': '0' } });
    expect(empty.status).toBe(201);
    expect(empty.headers.get('letapis-sha256')).toBe(createHash('sha256').digest('hex'));
    const bytes = Buffer.from(`${MARKER} sent with the creation request`);
    const withBody = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'content-type': 'application/offset+octet-stream' },
      body: bytes,
    });
    expect(withBody.status).toBe(201);
    expect(withBody.headers.get('upload-offset')).toBe(String(bytes.length));
    expect(withBody.headers.get('letapis-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(withBody.headers.get('letapis-duplicate')).toBe('false');
  });

  it('takes in, at its uploader\'s HEAD, an upload that is complete but was not stored (a failure or a stop in between)', async () => {
    const bytes = Buffer.from(`${MARKER} complete, never taken in`.repeat(100));
    const created = await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length) } });
    const url = new URL(created.headers.get('location')!, base).href;
    // the bytes arrive by another process's store, as if the server had stopped before storing them
    const elsewhere = uploadStoreOf({ dataDir: c.config.dataDir, db: c.db, vault: c.vault });
    expect(await elsewhere.write(Readable.from([bytes]), idOf(url), 0)).toBe(bytes.length);
    expect((await head(url, otherToken)).status).toBe(404);
    const h = await head(url);
    expect(h.status).toBe(200);
    expect(h.headers.get('upload-offset')).toBe(String(bytes.length));
    expect(h.headers.get('letapis-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // a client resuming it is done at once, and told the item
    const resumed = await runUpload(bytes, { uploadUrl: url });
    expect(resumed.last.getHeader('letapis-item')).toBe(h.headers.get('letapis-item'));
  });

  it('on a graceful stop, cuts uploads still receiving and keeps (durably) what arrived', async () => {
    const second = await buildServer(c);
    await second.listen({ port: 0, host: '127.0.0.1' });
    const size = 3 * MiB;
    const src = makeSource(dir, 'stopped.bin', size);
    let stalled!: () => void;
    const atHalf = new Promise<void>((r) => (stalled = r));
    let url = '';
    const up = new tus.Upload(Buffer.alloc(0), {
      endpoint: `http://127.0.0.1:${(second.server.address() as AddressInfo).port}/api/v1/uploads`,
      headers: auth(),
      retryDelays: null,
      uploadSize: size,
      fileReader: {
        openFile: async () => ({
          size,
          slice: async (start: number, end: number) => {
            const s = Readable.from(
              (async function* () {
                yield* createReadStream(src.path, { start, end: 2 * MiB - 1 });
                stalled();
                await new Promise(() => {});
              })(),
            ) as Readable & { size?: number };
            s.size = end - start;
            return { value: s, done: end >= size };
          },
          close: () => {},
        }),
      } as unknown as tus.UploadOptions['fileReader'],
      onUploadUrlAvailable: () => {
        url = up.url!;
      },
      onError: () => {}, // the server going away is the point
    });
    up.start();
    await atHalf;
    await new Promise((r) => setTimeout(r, 300));
    const t = Date.now();
    await second.close();
    expect(Date.now() - t).toBeLessThan(10_000);
    await up.abort().catch(() => {});
    // the other server (another store) finds what arrived, and the upload completes there
    const h = await head(`${base}${new URL(url).pathname}`);
    expect(h.status).toBe(200);
    expect(Number(h.headers.get('upload-offset'))).toBe(2 * MiB);
    const resumed = await runUpload(createReadStream(src.path), { uploadUrl: `${base}${new URL(url).pathname}` });
    expect(resumed.last.getHeader('letapis-sha256')).toBe(src.sha256);
  });

  it('refuses an upload without a signed-in caller (401) and metadata it cannot use (422)', async () => {
    const anon = await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } });
    expect(anon.status).toBe(401);
    const elsewhere = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `compartment ${Buffer.from('0190a1b2-0000-7000-8000-00000000abcd').toString('base64')}` },
    });
    expect(elsewhere.status).toBe(422);
    const garbled = await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: { ...auth(), 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': 'filename not base64!' } });
    expect(garbled.status).toBe(422);
  });
});
