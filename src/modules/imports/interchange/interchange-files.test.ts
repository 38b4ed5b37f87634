import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DiskBlobStore } from '../../../adapters/blobs/disk/disk.store.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../../app/container.js';
import { buildServer } from '../../../app/server.js';
import type { Actor } from '../../../domain/policies.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { loadDemo } from '../../demo/demo.usecases.js';
import { ACQUISITION_TYPE, ingestEvidence, linkEvidence, readSecretTexts } from '../../evidence/evidence.usecases.js';
import { createToken } from '../../users/tokens.usecases.js';
import { createJobWorker } from '../../jobs/jobs.worker.js';
import { interchangeJobHandlers } from './interchange.jobs.js';
import { importUwazi, openInterchange } from './uwazi-import.js';
import { zipOfFiles } from './uwazi-export.js';
import { readZipFiles } from './zip-read.js';
import type { InterchangeDeps } from './interchange.usecases.js';

/**
 * Issue 8, parts 5 and 6: the files of an Uwazi ZIP (`attachments`, `files/`) and interchange over
 * the API and its jobs, on both engines. The demo with evidence linked to its records is exported
 * with files over the API, downloaded once (by the one who asked only), imported into an empty
 * instance (dry run, then the import: every file an evidence item with its custody, linked), and
 * exported again: the same bytes. Files a row names that the ZIP lacks are row problems; a row that
 * fails while writing leaves no item and no stored bytes.
 */

describeEachDialect('interchange with files, over the API', (dialect) => {
  let a: Container;
  let b: Container;
  let depsA: InterchangeDeps;
  let depsB: InterchangeDeps;
  let coordA: Actor;
  let coordB: Actor;
  let compB: string;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  const count = async (c: Container, table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const photo = Buffer.from('not really a JPEG: the bytes of a photograph of a detention, invented for the test');
  const video = Buffer.alloc(300_000, 7);

  const caller = (app: FastifyInstance, token: string) => (method: 'GET' | 'POST', url: string, body?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });

  async function finished(call: ReturnType<typeof caller>, c: Container, deps: InterchangeDeps, jobId: string) {
    const worker = createJobWorker(c, { handlers: interchangeJobHandlers(deps), pollMs: 20 });
    worker.start();
    try {
      for (let i = 0; i < 2400; i++) {
        const job = (await call('GET', `/api/v1/jobs/${jobId}`)).json();
        if (job.state === 'done' || job.state === 'dead') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the job did not finish');
    } finally {
      await worker.stop();
    }
  }

  beforeAll(async () => {
    a = await openTestContainer(dialect);
    b = await openTestContainer(dialect);
    depsA = { db: a.db, vault: a.vault, blobs: a.blobs, audit: appendAuditEvent };
    depsB = { db: b.db, vault: b.vault, blobs: b.blobs, audit: appendAuditEvent };
    coordA = await makeActor(a.db, 'coordinator', 'icf-coord-a');
    coordB = await makeActor(b.db, 'coordinator', 'icf-coord-b');
    const compA = (await findCompartment(a.db, 'default'))!.id;
    compB = (await findCompartment(b.db, 'default'))!.id;
    await loadDemo(depsA, coordA, undefined, compA);
    // a photograph linked to an event and to an act, a video (no extension) to the same act
    const event = await a.db.selectFrom('events').select('id').orderBy('created_at').orderBy('id').executeTakeFirstOrThrow();
    const act = await a.db.selectFrom('acts').select('id').orderBy('created_at').orderBy('id').executeTakeFirstOrThrow();
    const p = await ingestEvidence(depsA, coordA, Readable.from([photo]), { filename: 'Затрыманне каля ЦУМа.JPG', method: 'upload', compartment: compA });
    const v = await ingestEvidence(depsA, coordA, Readable.from([video]), { filename: 'video', method: 'upload', compartment: compA });
    await linkEvidence(depsA, coordA, p.item.id, { targetType: 'events', targetId: event.id });
    await linkEvidence(depsA, coordA, p.item.id, { targetType: 'acts', targetId: act.id });
    await linkEvidence(depsA, coordA, v.item.id, { targetType: 'acts', targetId: act.id });
    appA = await buildServer(a, { logger: false } as any);
    appB = await buildServer(b, { logger: false } as any);
  }, 180_000);
  afterAll(async () => {
    await appA?.close();
    await appB?.close();
    await a?.close();
    await b?.close();
  });

  it('exports with files over the API, downloads once; imports into an empty instance (files as evidence, linked); exports the same bytes again', async () => {
    const compA = (await findCompartment(a.db, 'default'))!.id;
    const callA = caller(appA, (await createToken(a.db, 'icf-coord-a')).token);
    const asked = await callA('POST', '/api/v1/interchange/export', { compartment: compA, format: 'uwazi', withFiles: true });
    expect(asked.statusCode).toBe(202);
    const job = await finished(callA, a, depsA, asked.json().jobId);
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({ format: 'uwazi', contentType: 'application/zip', files: 2, withheld: 0 });
    // only the one who asked may download it (another coordinator of the compartment may not)
    await makeActor(a.db, 'coordinator', 'icf-coord-a2');
    const other = caller(appA, (await createToken(a.db, 'icf-coord-a2')).token);
    expect((await other('GET', `/api/v1/interchange/exports/${job.id}/download`)).statusCode).toBe(404);
    const got = await callA('GET', `/api/v1/interchange/exports/${job.id}/download`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-disposition']).toMatch(/attachment; filename="letapis-uwazi-\d{4}-\d{2}-\d{2}\.zip"/);
    const zip = got.rawPayload;
    expect(zip.length).toBe(job.result.size);
    // downloaded: removed
    await new Promise((r) => setTimeout(r, 100));
    expect((await callA('GET', `/api/v1/interchange/exports/${job.id}/download`)).statusCode).toBe(410);

    const entries = await readZipFiles(zip, { maxEntries: 100, maxBytes: 64 * 1024 * 1024 });
    const files = entries.filter((e) => e.name.startsWith('files/'));
    expect(files.map((f) => f.bytes.length).sort((x, y) => x - y)).toEqual([photo.length, video.length]);
    expect(files.find((f) => f.bytes.equals(photo))!.name).toMatch(/^files\/[0-9a-f]{64}\.jpg$/);
    const photoName = files.find((f) => f.bytes.equals(photo))!.name.slice('files/'.length);
    const videoName = files.find((f) => f.bytes.equals(video))!.name.slice('files/'.length);
    expect(videoName).toMatch(/^[0-9a-f]{64}$/);
    const acts = entries.find((e) => e.name === 'acts.csv')!.bytes.toString('utf8').split('\r\n');
    expect(acts[0]!.endsWith(',attachments')).toBe(true);
    // the cell names the files' entries, as Uwazi finds them
    expect(acts.filter((l) => l.endsWith([photoName, videoName].sort().map((n) => `files/${n}`).join('|')))).toHaveLength(1);
    // each file read for the export is a download of the item
    expect(Number((await a.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'evidence.download').executeTakeFirstOrThrow()).n)).toBe(2);

    // into the empty instance: the ZIP is an evidence item, then a dry run, then the import
    const callB = caller(appB, (await createToken(b.db, 'icf-coord-b')).token);
    const { item } = await ingestEvidence(depsB, coordB, Readable.from([zip]), { filename: 'letapis-uwazi.zip', method: 'upload', compartment: compB });
    const itemsBefore = await count(b, 'evidence_items');
    const dry = await finished(callB, b, depsB, (await callB('POST', '/api/v1/interchange/uwazi/import', { itemId: item.id, compartment: compB, dryRun: true })).json().jobId);
    expect(dry.result).toMatchObject({ dryRun: true, notWritten: null, problems: [], attachments: 3 });
    expect(await count(b, 'evidence_items')).toBe(itemsBefore);
    expect(await count(b, 'events')).toBe(0);
    const done = await finished(callB, b, depsB, (await callB('POST', '/api/v1/interchange/uwazi/import', { itemId: item.id, compartment: compB })).json().jobId);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ dryRun: false, notWritten: null, problems: [], attachments: 3, itemId: item.id });
    expect(done.result.records.length).toBeGreaterThan(0);
    const originals = await b.db.selectFrom('evidence_items').select(['id', 'sha256']).where('parent_id', 'is', null).where('id', '!=', item.id).execute();
    expect(originals).toHaveLength(2);
    expect(await count(b, 'evidence_links')).toBe(3);
    const acq = await b.db.selectFrom('evidence_acquisitions').select(['id', 'method']).where('item_id', 'in', originals.map((o) => o.id)).execute();
    expect(acq.map((x) => x.method)).toEqual(['csv-attachment', 'csv-attachment']); // a file two rows name is taken in once
    const texts = [...(await readSecretTexts(b.db, b.vault, ACQUISITION_TYPE, acq.map((x) => x.id))).values()];
    expect(texts.map((t) => t.source).sort()).toEqual([`Uwazi import of item ${item.id}, file files/${photoName}`, `Uwazi import of item ${item.id}, file files/${videoName}`].sort());
    expect(texts.map((t) => t.filename).sort()).toEqual([photoName, videoName].sort());

    // exported again: the same bytes
    const again = await finished(callB, b, depsB, (await callB('POST', '/api/v1/interchange/export', { compartment: compB, format: 'uwazi', withFiles: true })).json().jobId);
    const zip2 = (await callB('GET', `/api/v1/interchange/exports/${again.id}/download`)).rawPayload;
    expect(zip2.equals(zip)).toBe(true);
  }, 600_000);

  it('refuses over the API what the account may not: identities to a documenter, another compartment, ESF with files', async () => {
    const compA = (await findCompartment(a.db, 'default'))!.id;
    await makeActor(a.db, 'documenter', 'icf-doc');
    const doc = caller(appA, (await createToken(a.db, 'icf-doc')).token);
    expect((await doc('POST', '/api/v1/interchange/export', { compartment: compA, format: 'uwazi', withIdentities: true })).statusCode).toBe(403);
    expect((await doc('POST', '/api/v1/interchange/export', { compartment: compA, format: 'esf', withFiles: true })).statusCode).toBe(422);
    const esf = await doc('POST', '/api/v1/interchange/export', { compartment: compA, format: 'esf' });
    expect(esf.statusCode).toBe(202);
    const job = await finished(doc, a, depsA, esf.json().jobId);
    expect(job.result).toMatchObject({ format: 'esf', contentType: 'application/json' });
    const got = await doc('GET', `/api/v1/interchange/exports/${job.id}/download`);
    expect(JSON.parse(got.body)).toHaveProperty('events');
  }, 120_000);

  it('a row naming a file the ZIP lacks is a row problem; a lone CSV naming files too; a row failing while writing leaves no item and no stored bytes', async () => {
    const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';
    const zip = await zipOfFiles([{ name: 'events.csv', text: csv(['title,status,attachments', 'Пікет,alleged,missing.jpg']) }]);
    const opened = await openInterchange(zip);
    try {
      const report = await importUwazi(depsB, coordB, { compartment: compB, files: opened.files, archive: opened.archive });
      expect(report.problems).toEqual([expect.objectContaining({ file: 'events.csv', row: 2, column: 'attachments', reason: expect.stringMatching(/the file "missing.jpg" is not in the ZIP/) })]);
      expect(report.notWritten).toMatch(/nothing was written/);
    } finally {
      opened.archive.close();
    }
    // a name that would leave the archive is refused as such, not looked for
    const hostile = await openInterchange(await zipOfFiles([{ name: 'events.csv', text: csv(['title,status,attachments', 'Пікет,alleged,../../etc/passwd|/etc/shadow']) }]));
    try {
      const report = await importUwazi(depsB, coordB, { compartment: compB, files: hostile.files, archive: hostile.archive });
      expect(report.problems).toEqual([expect.objectContaining({ row: 2, column: 'attachments', reason: expect.stringMatching(/"\.\.\/\.\.\/etc\/passwd" is not the name of a file in the ZIP/) })]);
    } finally {
      hostile.archive.close();
    }
    const lone = await importUwazi(depsB, coordB, { compartment: compB, files: [{ name: 'events.csv', bytes: Buffer.from(csv(['title,status,attachments', 'Пікет,alleged,a.jpg'])) }] });
    expect(lone.problems[0]!.reason).toMatch(/a lone CSV holds none/);

    const items = await count(b, 'evidence_items');
    const blobsBefore = await storedBlobs(b);
    const failing = await zipOfFiles(
      [{ name: 'events.csv', text: csv(['title,status,start,end,attachments', 'Пікет з файлам,alleged,2020-08-16,2020-08-16,p.jpg', 'Ланцуг,alleged,2020-08-14,2020-08-13,']) }],
      [{ name: 'p.jpg', itemId: '', size: 11 }],
      async () => Readable.from([Buffer.from('hello world')]),
    );
    const o2 = await openInterchange(failing);
    try {
      const report = await importUwazi(depsB, coordB, { compartment: compB, files: o2.files, archive: o2.archive });
      expect(report.notWritten).toMatch(/all or nothing/);
      expect(report.problems).toEqual([expect.objectContaining({ row: 3, field: 'end' })]);
    } finally {
      o2.archive.close();
    }
    expect(await count(b, 'evidence_items')).toBe(items);
    if (blobsBefore !== null) expect(await storedBlobs(b)).toBe(blobsBefore);
  }, 120_000);
});

/** Blobs in a disk store (null for another store). */
async function storedBlobs(c: Container): Promise<number | null> {
  if (!(c.blobs instanceof DiskBlobStore)) return null;
  const files = await readdir(c.blobs.root, { recursive: true, withFileTypes: true });
  return files.filter((f) => f.isFile() && /^[0-9a-f]{32}$/.test(f.name)).length;
}
