import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { newBlobName } from '../blob-name.js';
import { BlobExistsError, BlobNameError } from '../blob-store.port.js';
import { blobStoreContract, readAll } from '../blob-store.test-suite.js';
import { EncryptedBlobStore } from '../encrypted/encrypted.store.js';
import { DiskBlobStore } from './disk.store.js';
import { STAGE_BYTES, writeNewFile, type DiskIo, type StagingPool } from './file-writer.js';

const tempRoot = () => mkdtempSync(join(tmpdir(), 'letapis-disk-blobs-'));

describe('disk blob store', () => {
  blobStoreContract(async () => {
    const dir = tempRoot();
    const store = new DiskBlobStore(join(dir, 'blobs'));
    return { store, raw: store, close: async () => rmSync(dir, { recursive: true, force: true }) };
  });
});

describe('disk blob store, page-cache writes (directIo: false)', () => {
  blobStoreContract(async () => {
    const dir = tempRoot();
    const store = new DiskBlobStore(join(dir, 'blobs'), { directIo: false });
    return { store, raw: store, close: async () => rmSync(dir, { recursive: true, force: true }) };
  });
});

describeEachDialect('disk blob store, encrypted', (dialect) => {
  blobStoreContract(async () => {
    const c = await openTestContainer(dialect);
    const raw = new DiskBlobStore(join(c.config.dataDir, 'blobs'));
    return { store: new EncryptedBlobStore(raw, { db: c.db, vault: c.vault }), raw, keys: { db: c.db, vault: c.vault }, close: () => c.close() };
  }, { encrypted: true });
});

describe('disk blob store: files and folders', () => {
  let dir: string;
  let store: DiskBlobStore;
  beforeAll(() => {
    dir = tempRoot();
    store = new DiskBlobStore(join(dir, 'blobs'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fans blobs out by name prefix and leaves no temporary file behind', async () => {
    const name = newBlobName();
    await store.put(name, [Buffer.from('bytes')]);
    expect(store.pathOf(name)).toBe(join(dir, 'blobs', name.slice(0, 2), name.slice(2, 4), name));
    expect(existsSync(store.pathOf(name))).toBe(true);
    expect(readdirSync(join(dir, 'blobs', '.tmp'))).toEqual([]);
  });

  it('leaves no temporary file after a failed put, and none outside its folder for hostile names', async () => {
    const name = newBlobName();
    await expect(
      store.put(name, (async function* () {
        yield Buffer.alloc(1000);
        throw new Error('cut');
      })()),
    ).rejects.toThrow('cut');
    expect(readdirSync(join(dir, 'blobs', '.tmp'))).toEqual([]);
    for (const bad of ['../../escaped', '../x', `${name}/../../x`]) await expect(store.put(bad, [Buffer.from('x')])).rejects.toBeInstanceOf(BlobNameError);
    expect(readdirSync(dir)).toEqual(['blobs']);
  });

  it('refuses to replace a blob even when the early check is raced (link fails on an existing name)', async () => {
    const name = newBlobName();
    const first = store.put(name, (async function* () {
      await new Promise((r) => setTimeout(r, 50));
      yield Buffer.from('first');
    })());
    const second = store.put(name, (async function* () {
      await new Promise((r) => setTimeout(r, 100));
      yield Buffer.from('second');
    })());
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(BlobExistsError);
    expect((await readAll(await store.get(name))).toString()).toBe('first');
  });

  it('does not follow a symlink planted under a blob name', async () => {
    const name = newBlobName();
    const secret = join(dir, 'outside.txt');
    writeFileSync(secret, 'not a blob');
    mkdirSync(join(dir, 'blobs', name.slice(0, 2), name.slice(2, 4)), { recursive: true });
    symlinkSync(secret, store.pathOf(name));
    await expect(store.get(name)).rejects.toThrow(/ELOOP|symbolic link/);
    expect(await store.stat(name)).toBeNull();
  });

  it('writes with direct I/O where the file system takes it (ext4, recent tmpfs), whatever the size', async () => {
    const sizes = [0, 1, 4095, 4096, 4097, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 9 * 1024 * 1024 + 333];
    const roots = [join(dir, 'blobs-direct')];
    if (existsSync('/dev/shm')) roots.push(mkdtempSync(join('/dev/shm', 'letapis-blobs-')));
    try {
      for (const root of roots) {
        const s = new DiskBlobStore(root);
        expect(s.directIo).toBe('try');
        for (const n of sizes) {
          const bytes = randomBytes(n);
          const name = newBlobName();
          await s.put(name, [bytes.subarray(0, n >> 1), bytes.subarray(n >> 1)]);
          expect(statSync(s.pathOf(name)).size, `${root} ${n}`).toBe(n);
          expect((await readAll(await s.get(name))).equals(bytes)).toBe(true);
        }
        expect(['on', 'off']).toContain(s.directIo); // learnt at the first put
        if (statfsSync(root).type === EXT4_MAGIC) expect(s.directIo).toBe('on');
      }
    } finally {
      for (const r of roots.slice(1)) rmSync(r, { recursive: true, force: true });
    }
  });

  it('falls back to buffered writes when direct I/O refuses the memory it is given', async () => {
    // buffers 8 bytes off alignment: the first direct write fails with EINVAL, as on a file system
    // or device that wants other alignment; the file is reopened buffered and written whole
    const misaligned = { aligned: true, take: () => Buffer.from(new ArrayBuffer(STAGE_BYTES + 8), 8, STAGE_BYTES), give: () => {} } as unknown as StagingPool;
    const io: DiskIo = { direct: 'try', pool: misaligned };
    const path = join(dir, 'fallback.bin');
    const bytes = randomBytes(STAGE_BYTES * 2 + 12345);
    expect(await writeNewFile(path, [bytes], io)).toBe(bytes.byteLength);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    if (statfsSync(dir).type === EXT4_MAGIC) expect(io.direct).toBe('off');
  });

  it('sweeps unfinished writes older than a day, not younger ones', async () => {
    const tmp = join(dir, 'blobs', '.tmp');
    mkdirSync(tmp, { recursive: true });
    const old = join(tmp, `${newBlobName()}.abc.part`);
    const young = join(tmp, `${newBlobName()}.def.part`);
    writeFileSync(old, 'x');
    writeFileSync(young, 'y');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    expect(await store.sweepTemporaryFiles()).toBe(1);
    expect(readdirSync(tmp)).toEqual([young.slice(tmp.length + 1)]);
  });
});

const EXT4_MAGIC = 0xef53;
