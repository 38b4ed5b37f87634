import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import type { Actor } from '../../domain/policies.js';
import { zipBytes, type ZipEntrySpec } from '../../adapters/media/media.test-support.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { findCompartment } from '../compartments/compartments.repository.js';
import { ingestEvidence, readSecretTexts } from '../evidence/evidence.usecases.js';
import { createRecord } from '../records/records.usecases.js';
import { createToken } from '../users/tokens.usecases.js';
import { createJobWorker } from '../jobs/jobs.worker.js';
import { importJobHandlers } from './imports.jobs.js';
import { range, TEST_CHAT, writeTelegramExport } from './telegram/telegram.test-support.js';

/**
 * Issue 8, part 6 for Telegram exports and folders: uploaded as a ZIP evidence item, previewed,
 * dry-run (nothing written, the counts of what an import would add) and imported over the API as
 * jobs; importing again adds nothing; the media items' acquisitions lead back to the uploaded ZIP;
 * the temporary folder inside the data dir is gone after each run. Both engines.
 */

/** Every file under `dir` as ZIP entries named `prefix` + its path. */
export function entriesOf(dir: string, prefix = ''): ZipEntrySpec[] {
  const out: ZipEntrySpec[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out.push({ name: `${prefix}${rel}${name}`, data: readFileSync(p) });
    }
  };
  walk(dir, '');
  return out;
}

describeEachDialect('Telegram and folder imports from an uploaded ZIP, over the API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let documenter: Actor;
  let compartment: string;
  let token: string;
  let viewerToken: string;
  const scratch = mkdtempSync(join(tmpdir(), 'letapis-zipimp-'));
  const deps = () => ({ db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent });

  const upload = async (bytes: Buffer, filename: string) =>
    (await ingestEvidence(deps(), documenter, Readable.from([bytes]), { filename, method: 'upload', compartment })).item.id;
  const call = (method: 'GET' | 'POST', url: string, body?: unknown, as = token) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${as}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
  const count = async (table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const tmpLeft = () => {
    try {
      return readdirSync(join(c.config.dataDir, 'tmp'));
    } catch {
      return [];
    }
  };
  const job = async (jobId: string) => {
    for (let i = 0; i < 1200; i++) {
      const j = (await call('GET', `/api/v1/jobs/${jobId}`)).json();
      if (j.state === 'done' || j.state === 'dead' || j.state === 'failed') return j;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the job did not finish');
  };

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c, { logger: false } as any);
    documenter = await makeActor(c.db, 'documenter', 'zipimp-doc');
    await makeActor(c.db, 'viewer', 'zipimp-viewer');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    token = (await createToken(c.db, 'zipimp-doc')).token;
    viewerToken = (await createToken(c.db, 'zipimp-viewer')).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a Telegram export in a ZIP (in its ChatExport folder): preview, dry run writes nothing, import, again adds nothing', async () => {
    const dir = join(scratch, 'tg');
    mkdirSync(dir);
    const ids = range(1, 40);
    await writeTelegramExport(dir, { ids, mediaIds: new Set(ids.filter((i) => i % 4 === 0)), fileEvery: 3, serviceAfter: [10] });
    const zipId = await upload(zipBytes(entriesOf(dir, 'ChatExport_2020-08-10/')), 'ChatExport_2020-08-10.zip');

    const preview = await call('POST', '/api/v1/imports/telegram/preview', { itemId: zipId });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      chats: [{ id: String(TEST_CHAT.id), name: TEST_CHAT.name, type: 'public-channel', messages: 40 }],
      messages: 40,
      mediaFiles: 10,
      firstDate: '2020-08-09T19:01:00Z',
      lastDate: '2020-08-09T19:40:00Z',
    });
    expect(tmpLeft()).toEqual([]);

    // a text file, and a ZIP without result.json: clear refusals
    const text = await upload(Buffer.from('not a zip'), 'note.txt');
    const notZip = await call('POST', '/api/v1/imports/telegram/preview', { itemId: text });
    expect(notZip.statusCode).toBe(422);
    expect(notZip.json().detail).toMatch(/not a readable ZIP/);
    const noResult = await upload(zipBytes([{ name: 'photos/a.jpg', data: 'x' }]), 'other.zip');
    const none = await call('POST', '/api/v1/imports/telegram/preview', { itemId: noResult });
    expect(none.statusCode).toBe(422);
    expect(none.json().detail).toMatch(/no result\.json/);

    // who may: a viewer may not read the ZIP (403), nor import (403); an unknown compartment is 422
    expect((await call('POST', '/api/v1/imports/telegram/preview', { itemId: zipId }, viewerToken)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/imports/telegram', { itemId: zipId, compartment }, viewerToken)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/imports/telegram', { itemId: zipId, compartment: '01900000-0000-7000-8000-000000000000' })).statusCode).toBe(422);

    const worker = createJobWorker(c, { handlers: importJobHandlers({ ...deps(), tmpDir: join(c.config.dataDir, 'tmp') }), pollMs: 20 });
    worker.start();
    try {
      const before = { messages: await count('messages'), items: await count('evidence_items'), acq: await count('evidence_acquisitions') };
      const dry = await call('POST', '/api/v1/imports/telegram', { itemId: zipId, compartment, dryRun: true });
      expect(dry.statusCode).toBe(202);
      expect(dry.json()).toMatchObject({ created: true });
      const dryJob = await job(dry.json().jobId);
      expect(dryJob.state).toBe('done');
      expect(dryJob.result).toMatchObject({
        dryRun: true,
        chats: 1,
        messages: { seen: 41, created: 40, alreadyThere: 0, updated: 0, skipped: 1 },
        media: { seen: 10, stored: 10, alreadyHeld: 0, linked: 10, notTaken: 0 },
      });
      expect({ messages: await count('messages'), items: await count('evidence_items'), acq: await count('evidence_acquisitions') }).toEqual(before);
      expect(tmpLeft()).toEqual([]);

      const imp = await call('POST', '/api/v1/imports/telegram', { itemId: zipId, compartment });
      const impJob = await job(imp.json().jobId);
      expect(impJob.state).toBe('done');
      expect(impJob.progress).toBe(100);
      expect(impJob.result).toMatchObject({ dryRun: false, messages: { created: 40, skipped: 1 }, media: { stored: 10, linked: 10 } });
      // document names are left out of the job's result
      expect(JSON.stringify(impJob.result)).not.toMatch(/пратакол/);
      expect(await count('messages')).toBe(before.messages + 40);
      expect(await count('evidence_items')).toBe(before.items + 10);
      expect(tmpLeft()).toEqual([]);

      // each media item's acquisition names the uploaded ZIP
      const acqs = await c.db.selectFrom('evidence_acquisitions').select(['id', 'item_id', 'method', 'note']).where('method', '=', 'telegram-export').execute();
      expect(acqs).toHaveLength(10);
      for (const a of acqs) expect(a.note).toMatch(new RegExp(`evidence item ${zipId}`));

      // a dry run now: everything already there; the import again adds nothing
      const dry2 = await job((await call('POST', '/api/v1/imports/telegram', { itemId: zipId, compartment, dryRun: true })).json().jobId);
      expect(dry2.result).toMatchObject({ dryRun: true, messages: { created: 0, alreadyThere: 40 }, media: { seen: 0 } });
      const again = await job((await call('POST', '/api/v1/imports/telegram', { itemId: zipId, compartment })).json().jobId);
      expect(again.result).toMatchObject({ messages: { created: 0, alreadyThere: 40 }, media: { stored: 0 } });
      expect(await count('messages')).toBe(before.messages + 40);
      expect(await count('evidence_items')).toBe(before.items + 10);

      // audit: the requests, by kind
      const actions = (await c.db.selectFrom('audit_events').select('action').where('target_id', '=', zipId).execute()).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['import.telegram', 'import.telegram-dry-run', 'evidence.download']));
    } finally {
      await worker.stop();
    }
  });

  it('a hostile export ZIP (a symbolic link beside result.json, a name climbing out): 422 at preview, the job ends with the reason, nothing written', async () => {
    const dir = join(scratch, 'tg-hostile');
    mkdirSync(dir);
    await writeTelegramExport(dir, { ids: range(1, 3), mediaIds: new Set([2]) });
    const linkId = await upload(zipBytes([...entriesOf(dir), { name: 'photos/passwd.jpg', data: '/etc/passwd', symlink: true }]), 'link.zip');
    const climbId = await upload(zipBytes([...entriesOf(dir), { name: '../../escape.txt', data: 'x' }]), 'climb.zip');
    const preview = await call('POST', '/api/v1/imports/telegram/preview', { itemId: linkId });
    expect(preview.statusCode).toBe(422);
    expect(preview.json().detail).toMatch(/symbolic link \("photos\/passwd\.jpg"\)/);
    // a result.json nested 100,000 deep: refused unread by the parser's scan
    const deepId = await upload(zipBytes([{ name: 'result.json', data: `{"messages":${'['.repeat(100_000)}${']'.repeat(100_000)}}` }]), 'deep.zip');
    const deep = await call('POST', '/api/v1/imports/telegram/preview', { itemId: deepId });
    expect(deep.statusCode).toBe(422);
    expect(deep.json().detail).toMatch(/nests deeper than 32 levels/);
    const worker = createJobWorker(c, { handlers: importJobHandlers({ ...deps(), tmpDir: join(c.config.dataDir, 'tmp') }), pollMs: 20 });
    worker.start();
    try {
      const messages = await count('messages');
      const items = await count('evidence_items');
      const j = await job((await call('POST', '/api/v1/imports/telegram', { itemId: climbId, compartment })).json().jobId);
      expect(j.state).toBe('dead');
      expect(j.lastError).toMatch(/would leave the folder it is unpacked into \("\.\.\/\.\.\/escape\.txt"/);
      expect(await count('messages')).toBe(messages);
      expect(await count('evidence_items')).toBe(items);
      expect(tmpLeft()).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it('a folder in a ZIP with metadata.csv: preview, dry run, import with links, again adds nothing', async () => {
    const person = await createRecord(deps(), documenter, 'persons', { pseudonym: 'ZIP-1', compartment });
    const csv = ['file,source,date,place,note,links', `фота/a.jpg,Сведка,2020-08-10,Мінск,першы,persons:${person.id}`, 'b.txt,Канал,2020-08-11,,,'].join('\n');
    const zip = zipBytes([
      { name: 'выбарка/metadata.csv', data: csv },
      { name: 'выбарка/фота/a.jpg', data: 'jpeg bytes of a' },
      { name: 'выбарка/b.txt', data: 'text of b' },
      { name: 'выбарка/c.txt', data: 'text of c' },
      { name: 'выбарка/c.txt.json', data: JSON.stringify({ source: 'Ліст', date: '2020-08-12' }) },
      { name: 'выбарка/d.bin', data: 'no metadata' },
    ]);
    const zipId = await upload(zip, 'выбарка.zip');
    const preview = await call('POST', '/api/v1/imports/folder/preview', { itemId: zipId });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      files: 4,
      metadataCsv: true,
      sidecars: 1,
      sample: [
        { path: 'b.txt', hasMetadata: true },
        { path: 'c.txt', hasMetadata: true },
        { path: 'd.bin', hasMetadata: false },
        { path: 'фота/a.jpg', hasMetadata: true },
      ],
    });
    expect(tmpLeft()).toEqual([]);

    const worker = createJobWorker(c, { handlers: importJobHandlers({ ...deps(), tmpDir: join(c.config.dataDir, 'tmp') }), pollMs: 20 });
    worker.start();
    try {
      const items = await count('evidence_items');
      const dry = await job((await call('POST', '/api/v1/imports/folder', { itemId: zipId, compartment, dryRun: true })).json().jobId);
      expect(dry.state).toBe('done');
      expect(dry.result).toMatchObject({ dryRun: true, metadata: { csv: true, sidecars: 1 }, files: { seen: 4, taken: 4, newItems: 4, withoutMetadata: 1 }, links: { added: 1 } });
      expect(await count('evidence_items')).toBe(items);

      const imp = await job((await call('POST', '/api/v1/imports/folder', { itemId: zipId, compartment })).json().jobId);
      expect(imp.state).toBe('done');
      expect(imp.result).toMatchObject({ dryRun: false, files: { seen: 4, taken: 4, newItems: 4 }, links: { added: 1 } });
      expect(await count('evidence_items')).toBe(items + 4);
      const linked = await c.db.selectFrom('evidence_links').select('item_id').where('target_id', '=', person.id).execute();
      expect(linked).toHaveLength(1);
      const acq = await c.db.selectFrom('evidence_acquisitions').select(['id', 'note', 'method']).where('item_id', '=', linked[0]!.item_id as string).executeTakeFirstOrThrow();
      expect(acq.note).toMatch(new RegExp(`evidence item ${zipId}`));
      const secrets = await readSecretTexts(c.db, c.vault, 'evidence-acquisitions', [acq.id as string]);
      expect(Object.values(secrets.get(acq.id as string) ?? {})).toContain('Сведка');

      const again = await job((await call('POST', '/api/v1/imports/folder', { itemId: zipId, compartment })).json().jobId);
      expect(again.result).toMatchObject({ files: { seen: 4, taken: 0, alreadyImported: 4 }, links: { added: 0, alreadyThere: 1 } });
      expect(await count('evidence_items')).toBe(items + 4);
      expect(tmpLeft()).toEqual([]);
      const actions = (await c.db.selectFrom('audit_events').select('action').where('target_id', '=', zipId).execute()).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['import.folder', 'import.folder-dry-run']));
    } finally {
      await worker.stop();
    }
  });
});
