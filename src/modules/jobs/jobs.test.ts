import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { createToken } from '../users/users.usecases.js';
import { createCompartment } from '../compartments/compartments.usecases.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { PermanentJobError } from '../../adapters/queue/queue.port.js';
import type { JobWorker } from '../../adapters/queue/worker.js';
import { createJobWorker } from './jobs.worker.js';

declare module '../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    'test.api-work': { step: number };
  }
}

const NOWHERE = '0190a1b2-0000-7000-8000-00000000abcd';

async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeEachDialect('jobs API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let worker: JobWorker;
  let A: string;
  let B: string;
  const token = {} as Record<'admin' | 'viewerA' | 'coordB' | 'nobody', string>;
  const ids = {} as Record<'a1' | 'a2' | 'b' | 'none' | 'deadA' | 'running', string>;
  let release!: () => void;
  let failing = true;

  const get = (who: keyof typeof token, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token[who]}` } });
  const post = (who: keyof typeof token, url: string) => app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token[who]}` } });

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await app.ready();
    const admin = await makeActor(c.db, 'administrator', 'jobs-admin', null);
    A = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'jobs-a' })).id;
    B = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'jobs-b' })).id;
    await makeActor(c.db, 'viewer', 'jobs-viewer-a', A, 'viewer');
    await makeActor(c.db, 'coordinator', 'jobs-coord-b', B, 'coordinator');
    await makeActor(c.db, 'documenter', 'jobs-nobody', null);
    token.admin = (await createToken(c.db, 'jobs-admin', { scope: 'admin' })).token;
    token.viewerA = (await createToken(c.db, 'jobs-viewer-a', { scope: 'admin' })).token;
    token.coordB = (await createToken(c.db, 'jobs-coord-b', { scope: 'admin' })).token;
    token.nobody = (await createToken(c.db, 'jobs-nobody', { scope: 'admin' })).token;

    // step 0: fails for good while `failing`; step 1: reports progress and waits; others: done at once
    const gate = new Promise<void>((r) => (release = r));
    worker = createJobWorker(c, {
      pollMs: 10,
      handlers: {
        'test.api-work': async (p, ctx) => {
          if (p.step === 0 && failing) throw new PermanentJobError('the input is unreadable');
          if (p.step === 1) {
            await ctx.progress(30, 'reading frames 300/1000');
            await gate;
          }
          return { step: p.step };
        },
      },
    });
    ids.deadA = (await enqueue(c.db, 'test.api-work', { step: 0 }, { compartmentId: A, dedupeKey: 'work:dead' })).id;
    ids.running = (await enqueue(c.db, 'test.api-work', { step: 1 }, { compartmentId: A })).id;
    worker.start();
    await waitFor(async () => (await get('admin', `/api/v1/jobs/${ids.deadA}`)).json().state === 'dead', 'the failing job to die');
    await waitFor(async () => (await get('admin', `/api/v1/jobs/${ids.running}`)).json().progress === 30, 'progress');
    // not yet due: they stay queued while the test looks
    const later = new Date(Date.now() + 3_600_000);
    ids.a1 = (await enqueue(c.db, 'test.api-work', { step: 2 }, { compartmentId: A, runAt: later })).id;
    ids.a2 = (await enqueue(c.db, 'test.api-work', { step: 3 }, { compartmentId: A, runAt: later })).id;
    ids.b = (await enqueue(c.db, 'test.api-work', { step: 4 }, { compartmentId: B, runAt: later })).id;
    ids.none = (await enqueue(c.db, 'test.api-work', { step: 5 }, { runAt: later })).id;
  });

  afterAll(async () => {
    release?.();
    await worker?.stop({ graceMs: 100 });
    await app?.close();
    await c?.close();
  });

  it('shows a running job’s progress, attempts and lease', async () => {
    const res = await get('viewerA', `/api/v1/jobs/${ids.running}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ids.running, name: 'test.api-work', state: 'running', attempts: 1, maxAttempts: 5, progress: 30, progressMessage: 'reading frames 300/1000', compartmentId: A, result: null, finishedAt: null });
    expect(res.json().lockedBy).toBe(worker.id);
    expect(res.json()).not.toHaveProperty('payload');
  });

  it('shows a dead job with its error', async () => {
    const res = await get('admin', `/api/v1/jobs/${ids.deadA}`);
    expect(res.json()).toMatchObject({ state: 'dead', attempts: 1, lastError: 'PermanentJobError: the input is unreadable', dedupeKey: 'work:dead' });
    expect(res.json().finishedAt).toBeTruthy();
  });

  it('lists every job to administrators, newest first, with filters and a cursor', async () => {
    const all = (await get('admin', '/api/v1/jobs')).json();
    expect(all.items.map((j: { id: string }) => j.id)).toEqual([ids.none, ids.b, ids.a2, ids.a1, ids.running, ids.deadA]);
    expect(all.nextCursor).toBeNull();

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get('admin', `/api/v1/jobs?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      pages.push(...res.json().items.map((j: { id: string }) => j.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.items.map((j: { id: string }) => j.id));

    expect((await get('admin', '/api/v1/jobs?state=dead')).json().items.map((j: { id: string }) => j.id)).toEqual([ids.deadA]);
    expect((await get('admin', '/api/v1/jobs?state=queued&compartment=jobs-a')).json().items.map((j: { id: string }) => j.id)).toEqual([ids.a2, ids.a1]);
    expect((await get('admin', `/api/v1/jobs?compartment=${B}&name=test.api-work`)).json().items.map((j: { id: string }) => j.id)).toEqual([ids.b]);
    expect((await get('admin', '/api/v1/jobs?name=evidence.nothing')).json().items).toEqual([]);
  });

  it('shows members only the jobs of their compartments; others read as nonexistent', async () => {
    expect((await get('viewerA', '/api/v1/jobs')).json().items.map((j: { id: string }) => j.id)).toEqual([ids.a2, ids.a1, ids.running, ids.deadA]);
    expect((await get('coordB', '/api/v1/jobs')).json().items.map((j: { id: string }) => j.id)).toEqual([ids.b]);
    expect((await get('nobody', '/api/v1/jobs')).json().items).toEqual([]);
    expect((await get('viewerA', `/api/v1/jobs?compartment=${B}`)).json().items).toEqual([]);

    const absent = await get('viewerA', `/api/v1/jobs/${NOWHERE}`);
    expect(absent.statusCode).toBe(404);
    expect(absent.headers['content-type']).toMatch(/problem\+json/);
    for (const id of [ids.b, ids.none]) {
      const res = await get('viewerA', `/api/v1/jobs/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().detail.split(id).join('<id>')).toBe(absent.json().detail.split(NOWHERE).join('<id>'));
    }
    expect((await get('coordB', `/api/v1/jobs/${ids.b}`)).statusCode).toBe(200);
    expect((await get('admin', `/api/v1/jobs/${ids.none}`)).statusCode).toBe(200);
  });

  it('refuses malformed ids and filters with problem+json', async () => {
    const bad = await get('admin', '/api/v1/jobs/not-a-uuid');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const state = await get('admin', '/api/v1/jobs?state=sleeping');
    expect(state.statusCode).toBe(422);
    expect(state.json().errors[0].field).toBe('state');
    expect((await get('admin', '/api/v1/jobs?colour=red')).statusCode).toBe(422);
    expect((await get('admin', '/api/v1/jobs?cursor=zzz')).statusCode).toBe(422);
  });

  it('retries a dead job for administrators only, audited; refuses jobs that are not dead', async () => {
    expect((await post('viewerA', `/api/v1/jobs/${ids.deadA}/retry`)).statusCode).toBe(403);
    expect((await post('coordB', `/api/v1/jobs/${ids.deadA}/retry`)).statusCode).toBe(404);
    expect((await post('admin', `/api/v1/jobs/${NOWHERE}/retry`)).statusCode).toBe(404);
    const notDead = await post('admin', `/api/v1/jobs/${ids.a1}/retry`);
    expect(notDead.statusCode).toBe(409);
    expect(notDead.json().detail).toMatch(/is queued; only a dead job can be retried/);

    // while another unfinished job does the same work, the dead one is not queued again
    const twin = await enqueue(c.db, 'test.api-work', { step: 0 }, { compartmentId: A, dedupeKey: 'work:dead', runAt: new Date(Date.now() + 3_600_000) });
    expect(twin.created).toBe(true);
    const clash = await post('admin', `/api/v1/jobs/${ids.deadA}/retry`);
    expect(clash.statusCode).toBe(409);
    expect(clash.json().detail).toContain(twin.id);
    await c.db.deleteFrom('jobs').where('id', '=', twin.id).execute();

    failing = false;
    const res = await post('admin', `/api/v1/jobs/${ids.deadA}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'queued', attempts: 0, lastError: 'PermanentJobError: the input is unreadable', finishedAt: null });
    const audit = await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'job.retry').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_type: 'job', target_id: ids.deadA });

    worker.wake();
    const done = await waitFor(async () => {
      const j = (await get('admin', `/api/v1/jobs/${ids.deadA}`)).json();
      return j.state === 'done' ? j : undefined;
    }, 'the retried job to finish');
    expect(done).toMatchObject({ attempts: 1, result: { step: 0 }, progress: 100 });
  });

  it('finishes the running job and shows its result', async () => {
    release();
    const done = await waitFor(async () => {
      const j = (await get('viewerA', `/api/v1/jobs/${ids.running}`)).json();
      return j.state === 'done' ? j : undefined;
    }, 'the running job to finish');
    expect(done).toMatchObject({ progress: 100, result: { step: 1 }, lockedBy: null });
  });
});
