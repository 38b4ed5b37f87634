import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../../app/container.js';
import type { Actor } from '../../../domain/policies.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { getEvidence } from '../../evidence/evidence.usecases.js';
import { getRecord, recordHistory } from '../../records/records.usecases.js';
import { search } from '../../search/search.usecases.js';
import { toolForTests } from '../../../adapters/media/media.test-support.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { importTelegramExport, type TelegramImportDeps } from './telegram.usecases.js';
import { makeVideo, range, TEST_CHAT, uniqueWord, writeTelegramExport } from './telegram.test-support.js';

/**
 * The acceptance of issue 8, part 1: an export of 1,000 messages and 200 files imports completely;
 * importing it again adds nothing; an export overlapping it by half adds only the new half (and
 * takes the later edit of a message it already had).
 */

const ffmpeg = await toolForTests('ffmpeg');

const count = async (c: Container, table: string, where?: [string, string]) => {
  let q = c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (where) q = q.where(where[0], '=', where[1]);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describeEachDialect('Telegram import: 1,000 messages and 200 files, again, and overlapping by half', (dialect) => {
  let c: Container;
  let deps: TelegramImportDeps;
  let actor: Actor;
  let compartment: string;
  let work: string;
  let first: string;
  let overlapping: string;
  let video: Buffer | undefined;
  const mediaIds = new Set(range(1, 1500).filter((i) => i % 5 === 0)); // 200 in 1…1000, 100 more in 1001…1500

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
    actor = await makeActor(c.db, 'documenter');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    work = await mkdtemp(join(tmpdir(), 'letapis-telegram-'));
    if (ffmpeg.run) {
      if (ffmpeg.missing) throw new Error(`CI must have ffmpeg: ${ffmpeg.missing}`);
      video = await makeVideo(work);
    }
    first = await mkdtemp(join(work, 'export-1-'));
    overlapping = await mkdtemp(join(work, 'export-2-'));
    const spec = { mediaIds, video, videoEvery: 50, fileEvery: 45, serviceAfter: [100, 700] };
    expect((await writeTelegramExport(first, { ...spec, ids: range(1, 1000) })).files).toBe(200);
    await writeTelegramExport(overlapping, { ...spec, ids: range(501, 1500), editedIds: new Set([600]) });
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('imports every message and file of the first export, linked, with progress', async () => {
    const progress: number[] = [];
    const started = performance.now();
    const report = await importTelegramExport(deps, actor, { dir: first, compartment, onProgress: (done) => void progress.push(done) });
    const seconds = (performance.now() - started) / 1000;
    console.info(`[telegram import, ${dialect}] 1,000 messages, 200 files: ${seconds.toFixed(1)} s`);
    expect(report.messages).toEqual({ seen: 1002, created: 1000, alreadyThere: 0, updated: 0, skipped: 2 });
    expect(report.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/service message \(pin_message\)/), expect.stringMatching(/service message/)]);
    expect(report.problemsTotal).toBe(2);
    // Telegram's name of the action is kept for the web's translation
    expect(report.problems.map((p) => [p.code, p.params])).toEqual([
      ['service-message', { action: 'pin_message' }],
      ['service-message', { action: 'pin_message' }],
    ]);
    expect(report.media.seen).toBe(200);
    expect(report.media.linked).toBe(200);
    expect(report.media.notTaken).toBe(0);
    // the same video bytes under 20 messages are one item with 20 acquisitions
    expect(report.media.stored).toBe(video ? 181 : 200);
    expect(report.media.alreadyHeld).toBe(video ? 19 : 0);
    expect(progress.at(-1)).toBe(1000);
    expect(progress).toHaveLength(1000);

    expect(await count(c, 'messages')).toBe(1000);
    expect(await count(c, 'evidence_links', ['target_type', 'messages'])).toBe(200);
    expect(await count(c, 'evidence_acquisitions')).toBe(200);
    expect(await count(c, 'record_versions', ['record_type', 'messages'])).toBe(1000);
  });

  it('keeps what the message said: text with its entities flattened, links, forward, reply, signature, dates', async () => {
    const row = await c.db.selectFrom('messages').select('id').where('message_id', '=', 15).executeTakeFirstOrThrow();
    const rec = await getRecord(deps, actor, 'messages', row.id as string);
    expect(rec).toMatchObject({
      platform: 'telegram',
      chat: TEST_CHAT.name,
      chatId: String(TEST_CHAT.id),
      chatType: 'public-channel',
      messageId: 15,
      date: '2020-08-09T19:15:00Z',
      dateLocal: '2020-08-09T22:15:00',
      forwardedFrom: 'Другі канал',
      text: `Паведамленне 15: затрыманні каля метро, ${uniqueWord(15)}. Падрабязнасці: https://example.org/post/15 і тут`,
      urls: 'https://example.org/post/15\nhttps://example.org/more/15',
      mediaType: 'photo',
    });
    const signed = await getRecord(deps, actor, 'messages', (await c.db.selectFrom('messages').select('id').where('message_id', '=', 28).executeTakeFirstOrThrow()).id as string);
    expect(signed).toMatchObject({ author: 'Рэдакцыя', replyTo: 27 });

    // the file is evidence acquired from the export, naming the channel, the message and its date
    const link = await c.db.selectFrom('evidence_links').selectAll().where('target_id', '=', rec.id).executeTakeFirstOrThrow();
    const item = await getEvidence(deps, actor, link.item_id as string);
    expect(item.acquisitions).toHaveLength(1);
    expect(item.acquisitions[0]).toMatchObject({ method: 'telegram-export', filename: 'photo_15@09-08-2020_22-15-00.jpg' });
    expect(item.acquisitions[0]!.source).toBe(`Telegram public-channel "${TEST_CHAT.name}" (id ${TEST_CHAT.id}), message 15 posted 2020-08-09T19:15:00Z`);

    // the text is searchable
    const found = await search({ db: c.db, vault: c.vault }, actor, { q: uniqueWord(15) });
    expect(found.items.map((h) => [h.type, h.id])).toContainEqual(['messages', rec.id]);
  });

  it('adds nothing when the same export is imported again', async () => {
    const report = await importTelegramExport(deps, actor, { dir: first, compartment });
    expect(report.messages).toEqual({ seen: 1002, created: 0, alreadyThere: 1000, updated: 0, skipped: 2 });
    expect(report.media).toEqual({ seen: 0, stored: 0, alreadyHeld: 0, linked: 0, notTaken: 0 });
    expect(await count(c, 'messages')).toBe(1000);
    expect(await count(c, 'evidence_acquisitions')).toBe(200);
    expect(await count(c, 'evidence_links', ['target_type', 'messages'])).toBe(200);
    expect(await count(c, 'record_versions', ['record_type', 'messages'])).toBe(1000);
  });

  it('takes only the new half of an export overlapping it by half, and the later edit of a message it had', async () => {
    const items = await count(c, 'evidence_items');
    const report = await importTelegramExport(deps, actor, { dir: overlapping, compartment });
    expect(report.messages).toEqual({ seen: 1001, created: 500, alreadyThere: 499, updated: 1, skipped: 1 });
    expect(report.media.seen).toBe(100);
    expect(report.media.linked).toBe(100);
    expect(await count(c, 'messages')).toBe(1500);
    expect(await count(c, 'evidence_links', ['target_type', 'messages'])).toBe(300);
    expect(await count(c, 'evidence_items')).toBeGreaterThan(items);

    const edited = (await c.db.selectFrom('messages').select('id').where('message_id', '=', 600).executeTakeFirstOrThrow()).id as string;
    const history = await recordHistory(deps, actor, 'messages', edited);
    expect(history).toHaveLength(2);
    const rec = await getRecord(deps, actor, 'messages', edited);
    expect(rec.text).toMatch(/\(абноўлена\)$/);
    expect(rec.edited).toBe('2020-08-10T06:00:00Z');
  });
});
