import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../../app/container.js';
import type { Actor } from '../../../domain/policies.js';
import { enqueue } from '../../../adapters/queue/enqueue.js';
import { findJob } from '../../../adapters/queue/jobs.repository.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { createJobWorker } from '../../jobs/jobs.worker.js';
import type { JobWorker } from '../../../adapters/queue/worker.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { telegramImportJob } from './telegram.jobs.js';
import { range, writeTelegramExport } from './telegram.test-support.js';

/** The `imports.telegram` job in a worker: progress and the report as its result; a refused export dies at once with the reason. */

describeEachDialect('Telegram import as a job', (dialect) => {
  let c: Container;
  let worker: JobWorker;
  let actor: Actor;
  let compartment: string;
  let work: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    actor = await makeActor(c.db, 'documenter');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    work = await mkdtemp(join(tmpdir(), 'letapis-telegram-job-'));
    worker = createJobWorker(c, {
      pollMs: 20,
      handlers: { 'imports.telegram': telegramImportJob({ db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent }) },
    });
    worker.start();
  });
  afterAll(async () => {
    await worker?.stop({ graceMs: 100 });
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const finished = async (id: string) => {
    for (let i = 0; i < 500; i++) {
      const job = await findJob(c.db, id);
      if (job && (job.state === 'done' || job.state === 'dead')) return job;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`job ${id} did not finish`);
  };

  it('imports, with the report as the job’s result', async () => {
    const dir = join(work, 'good');
    await mkdir(dir);
    await writeTelegramExport(dir, { ids: range(1, 30) });
    const { id } = await enqueue(c.db, 'imports.telegram', { dir, compartment, actorId: actor.userId }, { compartmentId: compartment });
    const job = await finished(id);
    expect(job).toMatchObject({ state: 'done', progress: 100 });
    expect(JSON.parse(job.result!)).toMatchObject({ chats: 1, messages: { seen: 30, created: 30 }, problemsTotal: 0 });
  });

  it('keeps document file names out of its result, which every member of the compartment can read', async () => {
    const dir = join(work, 'names');
    await mkdir(dir);
    const msg = (id: number, extra: Record<string, unknown>) => ({ id, type: 'message', date: '2020-08-10T23:15:00', date_unixtime: '1597090500', text: 'т', ...extra });
    await writeFile(join(dir, 'result.json'), JSON.stringify({ name: 'Чат', type: 'private_group', id: 9, messages: [msg(1, { file: 'files/пратакол Іванова.pdf' }), msg(2, { photo: 'photos/photo_2@10-08-2020_23-15-00.jpg' })] }));
    const { id } = await enqueue(c.db, 'imports.telegram', { dir, compartment, actorId: actor.userId }, { compartmentId: compartment });
    const job = await finished(id);
    expect(job.state).toBe('done');
    expect(job.result).not.toContain('Іванова');
    expect(JSON.parse(job.result!).problems).toEqual([
      { where: 'files/…', reason: 'missing from the export folder (message 1; the message is imported without it)', code: 'file-missing', params: { message: 1 } },
      { where: 'photos/photo_2@10-08-2020_23-15-00.jpg', reason: 'missing from the export folder (message 2; the message is imported without it)', code: 'file-missing', params: { message: 2 } },
    ]);
  });

  it('dies at once, with the reason, when the export is refused', async () => {
    const dir = join(work, 'bad');
    await mkdir(dir);
    await writeFile(join(dir, 'result.json'), '['.repeat(100_000));
    const { id } = await enqueue(c.db, 'imports.telegram', { dir, compartment, actorId: actor.userId }, { compartmentId: compartment });
    const job = await finished(id);
    expect(job).toMatchObject({ state: 'dead', attempts: 1 });
    expect(job.last_error).toMatch(/^PermanentJobError: result.json nests deeper than 32 levels/);
  });
});
