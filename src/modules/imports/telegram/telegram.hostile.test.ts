import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Container } from '../../../app/container.js';
import type { Actor } from '../../../domain/policies.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { importTelegramExport, TelegramExportRefused, type TelegramImportDeps } from './telegram.usecases.js';
import { photoBytes } from './telegram.test-support.js';

/**
 * Hostile exports (SECURITY.md "Hostile input"): each is refused whole with a message saying why,
 * and nothing is written (no record, no item, no blob, no history); a missing file is only a
 * problem of its message.
 */

const message = (id: number, extra: Record<string, unknown> = {}) => ({ id, type: 'message', date: '2020-08-10T23:15:00', date_unixtime: String(1597090500 + id), from: 'Канал', from_id: 'channel77', text: `паведамленне ${id}`, text_entities: [{ type: 'plain', text: `паведамленне ${id}` }], ...extra });
const chatJson = (messages: unknown[]) => JSON.stringify({ name: 'Канал', type: 'public_channel', id: 77, messages });

describeEachDialect('Telegram import: hostile exports', (dialect) => {
  let c: Container;
  let deps: TelegramImportDeps;
  let actor: Actor;
  let compartment: string;
  let work: string;
  let dir: string;
  let outside: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
    actor = await makeActor(c.db, 'documenter');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    work = await mkdtemp(join(tmpdir(), 'letapis-telegram-hostile-'));
    outside = join(work, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.jpg'), await photoBytes(7));
  });
  afterAll(async () => {
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(work, 'export-'));
  });

  const count = async (table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  /** Rows a refused import must not have added, and the blobs it must not have stored. */
  const written = async () => ({
    messages: await count('messages'),
    items: await count('evidence_items'),
    acquisitions: await count('evidence_acquisitions'),
    history: await count('record_versions'),
    blobs: (await readdir(c.config.dataDir, { recursive: true })).filter((f) => String(f).startsWith('blobs')).length,
  });
  const refused = async (pattern: RegExp, opts: { maxResultJsonBytes?: number } = {}) => {
    const before = await written();
    const attempt = importTelegramExport(deps, actor, { dir, compartment, ...opts });
    await expect(attempt).rejects.toThrow(TelegramExportRefused);
    await expect(importTelegramExport(deps, actor, { dir, compartment, ...opts })).rejects.toThrow(pattern);
    expect(await written()).toEqual(before);
  };

  it('refuses result.json nested 100,000 deep, without a stack overflow', async () => {
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { text: 'PLACEHOLDER' })]).replace('"PLACEHOLDER"', '['.repeat(100_000) + ']'.repeat(100_000)));
    await refused(/nests deeper than 32 levels/);
  });

  it('refuses a result.json that is not JSON, or not an export', async () => {
    await writeFile(join(dir, 'result.json'), '<!doctype html><title>Telegram</title>');
    await refused(/result.json is not JSON/);
    await writeFile(join(dir, 'result.json'), '{"chats": 5}');
    await refused(/not a Telegram Desktop export/);
  });

  it('refuses a result.json over the size limit, and a folder without one', async () => {
    await refused(/there is no result.json/);
    await writeFile(join(dir, 'result.json'), chatJson([message(1)]));
    await refused(/more than the 100 an import takes/, { maxResultJsonBytes: 100 });
  });

  it('refuses the whole export when a message names a file by "..", even after other good messages', async () => {
    await mkdir(join(dir, 'photos'));
    await writeFile(join(dir, 'photos', 'a.jpg'), await photoBytes(1));
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { photo: 'photos/a.jpg' }), message(2, { photo: '../outside/secret.jpg' })]));
    await refused(/message 2 names the file "..\/outside\/secret.jpg": the path climbs out of the export folder/);
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { photo: 'photos/a.jpg' }), message(2, { file: 'photos/../../outside/secret.jpg' })]));
    await refused(/climbs out of the export folder/);
  });

  it('refuses an absolute media path', async () => {
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { photo: join(outside, 'secret.jpg') })]));
    await refused(/the path is absolute/);
  });

  it('refuses a symbolic link pointing outside, as a file or as a folder, never following it', async () => {
    await mkdir(join(dir, 'photos'));
    await symlink(join(outside, 'secret.jpg'), join(dir, 'photos', 'evil.jpg'));
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { photo: 'photos/evil.jpg' })]));
    await refused(/"photos\/evil.jpg" \(named by message 1\) is a symbolic link/);

    await symlink(outside, join(dir, 'video_files'));
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { file: 'video_files/secret.jpg' })]));
    await refused(/"video_files" \(named by message 1\) is a symbolic link/);
  });

  it('imports a message whose file is missing, and reports the file', async () => {
    await writeFile(join(dir, 'result.json'), chatJson([message(1, { photo: 'photos/gone.jpg' }), message(2, { file: '(File not included. Change data exporting settings to download.)' })]));
    const before = await count('messages');
    const report = await importTelegramExport(deps, actor, { dir, compartment });
    expect(report.messages.created).toBe(2);
    expect(report.media).toMatchObject({ seen: 1, stored: 0, notTaken: 2 });
    expect(report.problems).toEqual([
      { where: 'photos/gone.jpg', reason: 'missing from the export folder (message 1; the message is imported without it)', code: 'file-missing', params: { message: 1 } },
      { where: 'message 2', reason: 'attachment not in the export (file: File not included. Change data exporting settings to download.)', code: 'attachment-not-exported' },
    ]);
    expect(await count('messages')).toBe(before + 2);
  });

  it('imports a message without its file over the server’s limit, saying the size and the limit (coded for the web)', async () => {
    await mkdir(join(dir, 'photos'));
    const photo = await photoBytes(41);
    await writeFile(join(dir, 'photos', 'big.jpg'), photo);
    await writeFile(join(dir, 'result.json'), chatJson([message(41, { photo: 'photos/big.jpg' })]));
    const report = await importTelegramExport({ ...deps, maxBytes: 100 }, actor, { dir, compartment, dryRun: true });
    expect(report.media).toMatchObject({ seen: 1, stored: 0, notTaken: 1 });
    expect(report.problems).toEqual([
      {
        where: 'photos/big.jpg',
        reason: `${photo.length} bytes, more than the 100 this server takes (LETAPIS_MAX_UPLOAD_BYTES); the message is imported without it`,
        code: 'file-too-large',
        params: { size: photo.length, max: 100, message: 41 },
      },
    ]);
  });

  it('lists a message that cannot be a record, without taking its file (so importing again adds no acquisition)', async () => {
    await mkdir(join(dir, 'photos'));
    await writeFile(join(dir, 'photos', 'big-id.jpg'), await photoBytes(99));
    await writeFile(join(dir, 'result.json'), chatJson([message(3_000_000_000, { photo: 'photos/big-id.jpg' })]));
    const before = await written();
    for (const _ of [1, 2]) {
      const report = await importTelegramExport(deps, actor, { dir, compartment });
      expect(report.messages).toMatchObject({ created: 0, skipped: 1 });
      expect(report.problems).toEqual([{ where: 'message 3000000000', reason: expect.stringMatching(/^messageId: /), code: 'too-large', params: { max: expect.any(Number), field: 'messageId' } }]);
    }
    expect(await written()).toEqual(before);
  });

  it('refuses an account that may not add records and evidence in the compartment', async () => {
    const viewer = await makeActor(c.db, 'viewer');
    await writeFile(join(dir, 'result.json'), chatJson([message(1)]));
    const before = await written();
    await expect(importTelegramExport(deps, viewer, { dir, compartment })).rejects.toThrow(/does not let you create records, add evidence and link it/);
    expect(await written()).toEqual(before);
  });
});
