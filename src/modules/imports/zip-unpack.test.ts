import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import type { Actor } from '../../domain/policies.js';
import { zipBytes, type ZipEntrySpec } from '../../adapters/media/media.test-support.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { findCompartment } from '../compartments/compartments.repository.js';
import { ingestEvidence } from '../evidence/evidence.usecases.js';
import { exportRoot, STALE_TEMP_MS, unpackZip, withZipItem, type ZipImportDeps } from './zip-unpack.js';

/**
 * Issue 8, hostile archives, for exports uploaded as ZIPs: names that leave the folder (`../`,
 * absolute, backslashes, drive letters), symbolic links, zip bombs (by ratio, by total, by entry
 * count, and an entry that inflates past the size it declares) are refused with a message before
 * or while unpacking; nothing is written outside the temporary folder, and that folder (with the
 * decrypted ZIP) is gone afterwards, also when the work fails or is stopped. The export's root is
 * found at the top or in one top folder.
 */

it('finds the export at the ZIP’s top or inside its one top folder', () => {
  expect(exportRoot(['result.json', 'photos/a.jpg'], 'result.json')).toBe('');
  expect(exportRoot(['ChatExport_2020-08-10/result.json', 'ChatExport_2020-08-10/photos/a.jpg'], 'result.json')).toBe('ChatExport_2020-08-10/');
  // two folders, or a file beside the folder: the top is the root
  expect(exportRoot(['a/result.json', 'b/result.json'], 'result.json')).toBe('');
  expect(exportRoot(['readme.txt', 'a/x.jpg'])).toBe('');
  expect(exportRoot(['фота/a.jpg', 'фота/b/c.jpg'])).toBe('фота/');
  // a marker at the top wins over a lone folder
  expect(exportRoot(['metadata.csv', 'x/a.jpg'], 'metadata.csv')).toBe('');
});

describeEachDialect('unpacking an uploaded ZIP', (dialect) => {
  let c: Container;
  let deps: ZipImportDeps;
  let actor: Actor;
  let compartment: string;
  const tmp = () => join(c.config.dataDir, 'tmp');
  const left = () => (existsSync(tmp()) ? readdirSync(tmp()) : []);
  const upload = async (entries: ZipEntrySpec[] | Buffer) =>
    (await ingestEvidence(deps, actor, Readable.from([Buffer.isBuffer(entries) ? entries : zipBytes(entries)]), { filename: 'export.zip', compartment })).item.id;
  const unpackAll = (itemId: string, extra: Partial<ZipImportDeps> = {}) => withZipItem({ ...deps, ...extra }, actor, itemId, (zip) => unpackZip(zip));

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, tmpDir: join(c.config.dataDir, 'tmp') };
    actor = await makeActor(c.db, 'documenter', 'unzip-doc');
    compartment = (await findCompartment(c.db, 'default'))!.id;
  });
  afterAll(async () => c?.close());

  it('unpacks into private folders and files inside the data dir, relative to the export’s root, and removes them after', async () => {
    const itemId = await upload([
      { name: 'ChatExport_2020-08-10/', data: '' },
      { name: 'ChatExport_2020-08-10/result.json', data: '{"messages":[]}' },
      { name: 'ChatExport_2020-08-10/photos/a.jpg', data: Buffer.alloc(5000, 7) },
      { name: 'ChatExport_2020-08-10/files/b.txt', data: 'b', store: true },
      { name: '__MACOSX/ChatExport_2020-08-10/._result.json', data: 'junk' },
    ]);
    const seen = await withZipItem(deps, actor, itemId, async (zip) => {
      expect(zip.work.startsWith(tmp())).toBe(true);
      const root = exportRoot(zip.files.map((e) => e.name), 'result.json');
      expect(root).toBe('ChatExport_2020-08-10/');
      const dir = await unpackZip(zip, { root });
      expect(dir.startsWith(zip.work)).toBe(true);
      expect(statSync(zip.work).mode & 0o777).toBe(0o700);
      expect(statSync(zip.path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'photos')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'photos', 'a.jpg')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'photos', 'a.jpg'))).toEqual(Buffer.alloc(5000, 7));
      expect(readFileSync(join(dir, 'files', 'b.txt'), 'utf8')).toBe('b');
      return readdirSync(dir).sort();
    });
    expect(seen).toEqual(['files', 'photos', 'result.json']);
    expect(left()).toEqual([]);
    // opening it was audited as a download
    const audited = await c.db.selectFrom('audit_events').select('action').where('target_id', '=', itemId).where('action', '=', 'evidence.download').execute();
    expect(audited.length).toBeGreaterThan(0);
  });

  const hostile: [string, ZipEntrySpec[], RegExp][] = [
    ['a name climbing out with ../', [{ name: 'ok.txt', data: 'x' }, { name: '../../outside.txt', data: 'pwned' }], /would leave the folder it is unpacked into \("\.\.\/\.\.\/outside\.txt"/],
    ['an absolute name', [{ name: '/tmp/outside.txt', data: 'pwned' }], /would leave the folder it is unpacked into \("\/tmp\/outside\.txt"/],
    ['a backslash name', [{ name: '..\\outside.txt', data: 'pwned' }], /would leave the folder/],
    ['a name with a drive letter', [{ name: 'C:/outside.txt', data: 'pwned' }], /would leave the folder/],
    ['a symbolic link', [{ name: 'photos/link.jpg', data: '/etc/passwd', symlink: true }], /symbolic link \("photos\/link\.jpg"\)/],
    ['a zip bomb (ratio)', [{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }], /times larger than it is packed.*zip bomb/],
  ];
  for (const [what, entries, message] of hostile) {
    it(`refuses ${what} before writing anything, and leaves no temporary file`, async () => {
      const itemId = await upload(entries);
      await expect(unpackAll(itemId)).rejects.toThrow(message);
      expect(left()).toEqual([]);
      expect(existsSync(join(c.config.dataDir, 'outside.txt'))).toBe(false);
      expect(existsSync(join(c.config.dataDir, '..', 'outside.txt'))).toBe(false);
    });
  }

  it('refuses an entry that inflates past the size it declares (declared sizes lie), and cleans up', async () => {
    const itemId = await upload([
      { name: 'small.txt', data: 'fine' },
      { name: 'liar.bin', data: Buffer.alloc(2 * 1024 * 1024, 1), declaredSize: 100 },
    ]);
    await expect(unpackAll(itemId)).rejects.toThrow(/"liar\.bin".*more than the 100 B it declares|liar\.bin unpacks to more than/);
    expect(left()).toEqual([]);
  });

  it('refuses more entries, or more inflated bytes, than the limits', async () => {
    const itemId = await upload(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}`.repeat(100) })));
    await expect(unpackAll(itemId, { zipLimits: { maxZipEntries: 5 } })).rejects.toThrow(/holds 6 entries, more than the 5 an import takes/);
    await expect(unpackAll(itemId, { zipLimits: { maxZipUncompressedBytes: 1000 } })).rejects.toThrow(/unpacks to .* over the limit/);
    expect(left()).toEqual([]);
  });

  it('refuses what is not a ZIP, and removes the decrypted copy', async () => {
    const itemId = await upload(Buffer.from('just text, not an archive'));
    await expect(unpackAll(itemId)).rejects.toThrow(/the item is not a readable ZIP/);
    expect(left()).toEqual([]);
  });

  it('removes what an import killed outright left a day ago, and nothing younger', async () => {
    mkdirSync(join(tmp(), 'import-killed', 'export-x'), { recursive: true });
    writeFileSync(join(tmp(), 'import-killed', 'upload.zip'), 'decrypted export');
    const dayAgo = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    utimesSync(join(tmp(), 'import-killed'), dayAgo, dayAgo);
    mkdirSync(join(tmp(), 'import-running'));
    mkdirSync(join(tmp(), 'process-other'));
    utimesSync(join(tmp(), 'process-other'), dayAgo, dayAgo);
    const itemId = await upload([{ name: 'a.txt', data: 'a' }]);
    await unpackAll(itemId);
    expect(left().sort()).toEqual(['import-running', 'process-other']);
    rmSync(join(tmp(), 'import-running'), { recursive: true });
    rmSync(join(tmp(), 'process-other'), { recursive: true });
  });

  it('removes the temporary folder when the work fails or is stopped', async () => {
    const itemId = await upload([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'b' }]);
    await expect(
      withZipItem(deps, actor, itemId, async (zip) => {
        await unpackZip(zip);
        throw new Error('the importer failed');
      }),
    ).rejects.toThrow('the importer failed');
    expect(left()).toEqual([]);
    const stop = new AbortController();
    await expect(
      withZipItem(deps, actor, itemId, async (zip) =>
        unpackZip(zip, { signal: stop.signal, onProgress: () => stop.abort(new Error('stopped by the user')) }),
      ),
    ).rejects.toThrow(/stopped by the user/);
    expect(left()).toEqual([]);
  });
});
