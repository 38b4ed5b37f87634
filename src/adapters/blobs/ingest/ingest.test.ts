import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { VaultSealedError } from '../../keys/vault.port.js';
import { openVault } from '../../keys/vault.js';
import { generated, readAll, rssSampler } from '../blob-store.test-suite.js';
import type { DiskBlobStore } from '../disk/disk.store.js';
import { EncryptedBlobStore } from '../encrypted/encrypted.store.js';
import { fileChunks } from './file-chunks.js';
import { BlobTooLargeError, discardIngested, ingestBlob } from './ingest.js';

const MiB = 1024 * 1024;

describeEachDialect('ingestBlob', (dialect) => {
  let c: Container;
  let files: string;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
    files = mkdtempSync(join(tmpdir(), 'letapis-ingest-'));
  });
  afterAll(async () => {
    await c?.close();
    rmSync(files, { recursive: true, force: true });
  });

  const deps = () => ({ store: c.blobs, vault: c.vault, db: c.db });
  const countKeys = async () => Number((await c.db.selectFrom('data_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  /** Every file under the blob folder, the temporary folder included. */
  const storedFiles = () => walk((c.blobs as DiskBlobStore).root);

  it('hashes what sha256sum hashes, stores it encrypted under a new data key, and reads back', async () => {
    const path = join(files, 'evidence.bin');
    const bytes = randomBytes(5 * MiB + 3);
    writeFileSync(path, bytes);
    const r = await ingestBlob(createReadStream(path), deps());
    expect(r.sha256).toBe(execFileSync('sha256sum', [path]).toString().split(' ')[0]);
    expect(r.size).toBe(bytes.byteLength);
    expect(r.blobName).toMatch(/^[0-9a-f]{32}$/);
    expect(r.dataKeyId).toBeTruthy();
    expect((await c.db.selectFrom('data_keys').select('id').where('id', '=', r.dataKeyId!).execute()).length).toBe(1);
    expect((await c.blobs.stat(r.blobName))!.size).toBe(r.encryptedSize);
    expect(statSync((c.blobs as DiskBlobStore).pathOf(r.blobName)).size).toBe(r.encryptedSize);
    const raw = await readAll(await c.blobs.get(r.blobName));
    expect(raw.includes(bytes.subarray(1000, 1032))).toBe(false);
    const store = new EncryptedBlobStore(c.blobs, { db: c.db, vault: c.vault });
    expect((await readAll(await store.get(r.blobName, undefined, { dataKeyId: r.dataKeyId! }))).equals(bytes)).toBe(true);
    // the same through fileChunks, which reuses two buffers
    const again = await ingestBlob(fileChunks(path, 100_000), deps());
    expect(again.sha256).toBe(r.sha256);
    expect((await readAll(await store.get(again.blobName))).equals(bytes)).toBe(true);
  });

  it('takes an empty file, and the same bytes twice as two unrelated blobs with one hash', async () => {
    const empty = await ingestBlob([], deps());
    expect(empty).toMatchObject({ size: 0, sha256: createHash('sha256').digest('hex') });
    const bytes = randomBytes(70_000);
    const [a, b] = [await ingestBlob([bytes], deps()), await ingestBlob([bytes], deps())];
    expect(a.sha256).toBe(b.sha256);
    expect(a.blobName).not.toBe(b.blobName);
    expect(a.dataKeyId).not.toBe(b.dataKeyId);
  });

  it('leaves nothing behind when the source fails half way: no blob, no temporary file, no data key', async () => {
    const before = { files: storedFiles(), keys: await countKeys() };
    async function* cut() {
      yield* generated(9 * MiB);
      throw new Error('connection reset by peer');
    }
    await expect(ingestBlob(cut(), deps())).rejects.toThrow('connection reset by peer');
    expect(storedFiles()).toEqual(before.files);
    expect(await countKeys()).toBe(before.keys);
  });

  it('refuses more than maxBytes with a 413, keeping nothing', async () => {
    const before = { files: storedFiles(), keys: await countKeys() };
    const err = await ingestBlob(generated(3 * MiB), { ...deps(), maxBytes: 2 * MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobTooLargeError);
    expect((err as BlobTooLargeError).status).toBe(413);
    expect(storedFiles()).toEqual(before.files);
    expect(await countKeys()).toBe(before.keys);
    await expect(ingestBlob(generated(2 * MiB), { ...deps(), maxBytes: 2 * MiB })).resolves.toMatchObject({ size: 2 * MiB });
  });

  it('hashes and encrypts 256 MiB in constant memory', async () => {
    const expected = createHash('sha256');
    const rss = rssSampler();
    const r = await ingestBlob(generated(256 * MiB, expected), deps());
    const growth = rss.stop();
    expect(r.sha256).toBe(expected.digest('hex'));
    expect(r.size).toBe(256 * MiB);
    expect(growth, `RSS grew by ${Math.round(growth / MiB)} MiB`).toBeLessThan(80 * MiB);
    await c.blobs.delete(r.blobName);
  }, 120_000);

  it('discardIngested removes the blob and its data key (a duplicate, or an item that was not recorded)', async () => {
    const before = { files: storedFiles(), keys: await countKeys() };
    const r = await ingestBlob([randomBytes(5000)], deps());
    expect(await countKeys()).toBe(before.keys + 1);
    await discardIngested(r, { store: c.blobs, db: c.db });
    expect(storedFiles()).toEqual(before.files);
    expect(await countKeys()).toBe(before.keys);
  });

  it('stores plaintext only when asked not to encrypt (public material)', async () => {
    const bytes = Buffer.from('a published press release');
    const r = await ingestBlob([bytes], { ...deps(), encrypt: false });
    expect(r).toMatchObject({ dataKeyId: null, size: bytes.byteLength, encryptedSize: bytes.byteLength });
    expect((await readAll(await c.blobs.get(r.blobName))).equals(bytes)).toBe(true);
  });

  it('refuses to ingest while the vault is sealed, leaving nothing', async () => {
    const vault = await openVault({ mode: 'dev', db: c.db, dataDir: c.config.dataDir });
    vault.seal();
    const before = storedFiles();
    await expect(ingestBlob([Buffer.from('x')], { store: c.blobs, vault, db: c.db })).rejects.toBeInstanceOf(VaultSealedError);
    expect(storedFiles()).toEqual(before);
  });
});

function walk(dir: string): string[] {
  let out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(walk(p));
    else out.push(p);
  }
  return out.sort();
}
