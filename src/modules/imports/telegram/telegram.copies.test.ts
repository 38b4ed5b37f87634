import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../../app/container.js';
import type { Actor } from '../../../domain/policies.js';
import { toolForTests } from '../../../adapters/media/media.test-support.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { getEvidence } from '../../evidence/evidence.usecases.js';
import { processItem } from '../../evidence/evidence.jobs.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { importTelegramExport, type TelegramImportDeps } from './telegram.usecases.js';
import { writeTelegramExport } from './telegram.test-support.js';

/**
 * One video across channels (DOMAIN.md "Evidence"): forwarded as the same bytes, it is one item with
 * an acquisition and a link per channel's message; re-encoded by a repost, it is an item of its own
 * that the evidence page lists as a possible copy once both are processed.
 */

const run = promisify(execFile);
const ffmpeg = await toolForTests('ffmpeg');

describeEachDialect('Telegram import: one video in several channels', (dialect) => {
  let c: Container;
  let deps: TelegramImportDeps & { tmpDir: string };
  let actor: Actor;
  let compartment: string;
  let work: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, tmpDir: join(c.config.dataDir, 'tmp') };
    actor = await makeActor(c.db, 'documenter');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    work = await mkdtemp(join(tmpdir(), 'letapis-telegram-copies-'));
  });
  afterAll(async () => {
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.skipIf(!ffmpeg.run)('links a forwarded video to both messages as one item, and shows a re-encoded repost as a possible copy', async () => {
    if (ffmpeg.missing) throw new Error(`CI must have ffmpeg: ${ffmpeg.missing}`);
    const original = join(work, 'original.mp4');
    const reencoded = join(work, 'repost.mp4');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '20', original]);
    await run('ffmpeg', ['-v', 'error', '-y', '-i', original, '-vf', 'scale=192:144', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '34', reencoded]);
    const exports = [
      { id: 101, name: 'Першы канал', video: await readFile(original) },
      { id: 102, name: 'Другі канал', video: await readFile(original) }, // forwarded: the same bytes
      { id: 103, name: 'Трэці канал', video: await readFile(reencoded) }, // reposted: encoded again
    ];
    for (const e of exports) {
      const dir = join(work, String(e.id));
      await mkdir(dir);
      await writeTelegramExport(dir, { ids: [50], mediaIds: new Set([50]), video: e.video, videoEvery: 50, chat: { id: e.id, name: e.name, type: 'public_channel' } });
      const report = await importTelegramExport(deps, actor, { dir, compartment });
      expect(report.messages.created).toBe(1);
      expect(report.media.linked).toBe(1);
    }
    const links = await c.db.selectFrom('evidence_links').innerJoin('messages', 'messages.id', 'evidence_links.target_id').select(['evidence_links.item_id', 'messages.chat_id']).orderBy('messages.chat_id').execute();
    expect(links.map((l) => l.chat_id)).toEqual(['101', '102', '103']);
    const [first, forwarded, repost] = links.map((l) => l.item_id as string);
    expect(forwarded).toBe(first);
    expect(repost).not.toBe(first);
    expect((await getEvidence(deps, actor, first!)).acquisitions.map((a) => a.source)).toEqual([
      expect.stringContaining('"Першы канал" (id 101), message 50'),
      expect.stringContaining('"Другі канал" (id 102), message 50'),
    ]);

    const ctx = { jobId: 'test', attempt: 1, maxAttempts: 1, progress: async () => {}, signal: new AbortController().signal };
    await processItem(deps, first!, ctx);
    await processItem(deps, repost!, ctx);
    const copies = (await getEvidence(deps, actor, first!)).possibleCopies;
    expect(copies.map((p) => p.id)).toContain(repost);
  }, 120_000);
});
