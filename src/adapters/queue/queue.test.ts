import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import type { Container } from '../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { openDatabase, type Database } from '../db/database.js';
import { currentSchema } from '../db/dialects/postgres/postgres.dialect.js';
import { enqueue } from './enqueue.js';
import { findJob, toJobView } from './jobs.repository.js';
import { JobWorker, type JobWorkerOptions } from './worker.js';
import { PermanentJobError, type JobHandlers } from './queue.port.js';
import { backoffDelay } from './backoff.js';
import { claimJobsPostgres } from './postgres/claim.postgres.js';
import { claimJobsSqlite } from './sqlite/claim.sqlite.js';

declare module './queue.port.js' {
  interface JobPayloads {
    'test.echo': { value: number };
    'test.flaky': { failures: number };
    'test.slow': { ms: number };
    'test.unhandled': Record<string, never>;
  }
}

/** Polls until `check` returns something truthy (or fails after `ms`). */
async function waitFor<T>(check: () => Promise<T | undefined | null | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with half of it random', () => {
    const o = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffDelay(1, o, () => 0)).toBe(500);
    expect(backoffDelay(1, o, () => 1)).toBe(1000);
    expect(backoffDelay(3, o, () => 0)).toBe(2000);
    expect(backoffDelay(3, o, () => 1)).toBe(4000);
    expect(backoffDelay(20, o, () => 1)).toBe(10_000);
    expect(backoffDelay(20, o, () => 0)).toBe(5000);
  });
});

describeEachDialect('job queue', (dialect) => {
  let c: Container;
  const workers: JobWorker[] = [];
  const job = async (id: string) => toJobView((await findJob(c.db, id))!);
  const startWorker = (handlers: JobHandlers, opts: Partial<JobWorkerOptions> = {}) => {
    const w = new JobWorker({ db: c.db, dialect, handlers, pollMs: 10, leaseMs: 1000, backoff: { baseMs: 20, maxMs: 200 }, ...opts });
    workers.push(w);
    w.start();
    return w;
  };
  const settled = (id: string, state: string) => waitFor(async () => ((await job(id)).state === state ? job(id) : undefined), `job ${id} to be ${state}`);

  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 100 })));
    await c.db.deleteFrom('jobs').execute();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('enqueues inside the caller’s transaction: rolled back, no job; committed, a queued job', async () => {
    await expect(
      c.db.transaction().execute(async (trx) => {
        await enqueue(trx, 'test.echo', { value: 1 });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await c.db.selectFrom('jobs').select('id').execute()).toEqual([]);

    const { id, created } = await c.db.transaction().execute((trx) => enqueue(trx, 'test.echo', { value: 2 }, { maxAttempts: 3 }));
    expect(created).toBe(true);
    const j = await job(id);
    expect(j).toMatchObject({ name: 'test.echo', state: 'queued', attempts: 0, maxAttempts: 3, progress: 0, compartmentId: null, finishedAt: null });
    expect(JSON.parse((await findJob(c.db, id))!.payload)).toEqual({ value: 2 });
  });

  it('runs a job, stores its result, and shows its progress while it runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    startWorker({
      'test.echo': async (p, ctx) => {
        await ctx.progress(40, 'halfway there');
        await gate;
        return { doubled: p.value * 2, attempt: ctx.attempt };
      },
    });
    const { id } = await enqueue(c.db, 'test.echo', { value: 21 });
    const during = await waitFor(async () => {
      const j = await job(id);
      return j.progress === 40 ? j : undefined;
    }, 'progress');
    expect(during).toMatchObject({ state: 'running', attempts: 1, progressMessage: 'halfway there' });
    expect(during.lockedBy).toBeTruthy();
    expect(during.lockedUntil! > new Date().toISOString()).toBe(true);
    release();
    const done = await settled(id, 'done');
    expect(done).toMatchObject({ progress: 100, result: { doubled: 42, attempt: 1 }, lastError: null, lockedBy: null, lockedUntil: null });
    expect(done.finishedAt).toBeTruthy();
  });

  it('retries a failing job with growing delays, then succeeds', async () => {
    const times: number[] = [];
    startWorker({
      'test.flaky': async (p, ctx) => {
        times.push(Date.now());
        if (ctx.attempt <= p.failures) throw new Error(`transient failure ${ctx.attempt}`);
        return { succeededOn: ctx.attempt };
      },
    });
    const { id } = await enqueue(c.db, 'test.flaky', { failures: 2 });
    const waiting = await waitFor(async () => {
      const j = await job(id);
      return j.state === 'failed' ? j : undefined;
    }, 'the first failure');
    expect(waiting.lastError).toBe('transient failure 1');
    expect(waiting.runAt > waiting.updatedAt).toBe(true);
    const done = await settled(id, 'done');
    expect(done).toMatchObject({ attempts: 3, result: { succeededOn: 3 } });
    expect(times).toHaveLength(3);
    // base 20 ms: the first wait is at least 10 ms, the second at least 20 ms
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(10);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(20);
  });

  it('dead-letters a job after its last attempt, keeping the error; a permanent error at once', async () => {
    let calls = 0;
    startWorker({
      'test.flaky': async () => {
        calls++;
        throw new Error('the file is unreadable');
      },
      'test.echo': async () => {
        throw new PermanentJobError('the item no longer exists');
      },
    });
    const a = await enqueue(c.db, 'test.flaky', { failures: 99 }, { maxAttempts: 3 });
    const b = await enqueue(c.db, 'test.echo', { value: 0 }, { maxAttempts: 5 });
    const deadA = await settled(a.id, 'dead');
    expect(deadA).toMatchObject({ attempts: 3, lastError: 'the file is unreadable', lockedBy: null });
    expect(deadA.finishedAt).toBeTruthy();
    expect(calls).toBe(3);
    expect(await settled(b.id, 'dead')).toMatchObject({ attempts: 1, lastError: 'PermanentJobError: the item no longer exists' });
  });

  it('dead-letters a job no handler knows, saying so', async () => {
    startWorker({ 'test.echo': async () => ({}) });
    const { id } = await enqueue(c.db, 'test.unhandled', {});
    const dead = await settled(id, 'dead');
    expect(dead.lastError).toMatch(/no handler for job "test\.unhandled" in this worker \(it knows test\.echo\)/);
  });

  it('aborts an attempt past its time limit, even when the handler ignores the signal', async () => {
    let seenSignal: AbortSignal | undefined;
    startWorker({ 'test.slow': { timeoutMs: 50, run: (_p, ctx) => ((seenSignal = ctx.signal), new Promise(() => {})) } });
    const { id } = await enqueue(c.db, 'test.slow', { ms: 1e9 }, { maxAttempts: 1 });
    const dead = await settled(id, 'dead');
    expect(dead.lastError).toBe('JobTimeoutError: the attempt ran past its time limit of 50 ms');
    expect(seenSignal?.aborted).toBe(true);
  });

  it('takes again the job of a worker that crashed, once its lease runs out', async () => {
    const claim = dialect === 'postgres' ? claimJobsPostgres : claimJobsSqlite;
    const { id } = await enqueue(c.db, 'test.echo', { value: 5 });
    const spent = await enqueue(c.db, 'test.echo', { value: 6 }, { maxAttempts: 1 });
    // a worker claims both and dies: nothing renews their leases
    const now = Date.now();
    const taken = await claim(c.db, { workerId: 'crashed-worker', now: new Date(now).toISOString(), leaseUntil: new Date(now + 150).toISOString(), limit: 10 });
    expect(taken.map((r) => r.id).sort()).toEqual([id, spent.id].sort());
    // another worker does not take them while the lease holds
    const early = await claim(c.db, { workerId: 'other', now: new Date(now + 50).toISOString(), leaseUntil: new Date(now + 1050).toISOString(), limit: 10 });
    expect(early).toEqual([]);

    startWorker({ 'test.echo': async (p, ctx) => ({ value: p.value, attempt: ctx.attempt }) });
    const done = await settled(id, 'done');
    expect(done).toMatchObject({ attempts: 2, result: { value: 5, attempt: 2 } });
    expect(done.lastError).toMatch(/lease of worker crashed-worker ran out/);
    // the one whose only attempt was lost has none left
    const dead = await settled(spent.id, 'dead');
    expect(dead.lastError).toMatch(/lease of worker crashed-worker ran out.*no attempts left \(1\)/);
  });

  it('renews the lease of a long job, so no other worker takes it', async () => {
    let runs = 0;
    const handlers: JobHandlers = {
      'test.slow': async (p) => {
        runs++;
        await new Promise((r) => setTimeout(r, p.ms));
        return {};
      },
    };
    startWorker(handlers, { leaseMs: 60 });
    startWorker(handlers, { leaseMs: 60 });
    const { id } = await enqueue(c.db, 'test.slow', { ms: 300 });
    expect(await settled(id, 'done')).toMatchObject({ attempts: 1 });
    expect(runs).toBe(1);
  });

  it('stops gracefully: lets a short job finish, gives a long one back without counting the try', async () => {
    const w = startWorker({
      'test.slow': async (p, ctx) => {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, p.ms);
          ctx.signal.addEventListener('abort', () => (clearTimeout(t), reject(ctx.signal.reason)));
        });
        return { slept: p.ms };
      },
    });
    const short = await enqueue(c.db, 'test.slow', { ms: 80 });
    const long = await enqueue(c.db, 'test.slow', { ms: 60_000 });
    await waitFor(async () => w.activeCount === 2, 'both jobs to start');
    await w.stop({ graceMs: 300 });
    expect(await job(short.id)).toMatchObject({ state: 'done', result: { slept: 80 } });
    expect(await job(long.id)).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null });
  });

  it('dedupe key: an unfinished job is returned instead of a second one; a finished one frees the key', async () => {
    const first = await enqueue(c.db, 'test.echo', { value: 1 }, { dedupeKey: 'thumb:item-1' });
    const again = await c.db.transaction().execute((trx) => enqueue(trx, 'test.echo', { value: 1 }, { dedupeKey: 'thumb:item-1' }));
    expect(again).toEqual({ id: first.id, created: false, state: 'queued' });
    const other = await enqueue(c.db, 'test.echo', { value: 1 }, { dedupeKey: 'thumb:item-2' });
    expect(other.created).toBe(true);
    // racing enqueues of one key make one job
    const raced = await Promise.all(Array.from({ length: 5 }, () => enqueue(c.db, 'test.echo', { value: 3 }, { dedupeKey: 'race' })));
    expect(new Set(raced.map((r) => r.id)).size).toBe(1);
    expect(raced.filter((r) => r.created)).toHaveLength(1);

    startWorker({ 'test.echo': async () => ({}) });
    await settled(first.id, 'done');
    const later = await enqueue(c.db, 'test.echo', { value: 1 }, { dedupeKey: 'thumb:item-1' });
    expect(later.created).toBe(true);
    expect(later.id).not.toBe(first.id);
  });

  if (dialect === 'postgres') {
    describe('two workers on two connection pools', () => {
      let second: Database;
      let dataDir: string;
      beforeAll(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'letapis-queue-'));
        second = await openDatabase({ url: inject('pgUrl'), dataDir, schema: await currentSchema(c.db) });
      });
      afterAll(async () => {
        await second?.close();
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('drain 200 jobs together: every job runs, none twice', async () => {
        const N = 200;
        await c.db.transaction().execute(async (trx) => {
          for (let i = 0; i < N; i++) await enqueue(trx, 'test.echo', { value: i });
        });
        const runs: { value: number; worker: string }[] = [];
        const handlerFor = (worker: string): JobHandlers => ({
          'test.echo': async (p) => {
            runs.push({ value: p.value, worker });
            await new Promise((r) => setTimeout(r, Math.random() * 4));
            return { worker };
          },
        });
        const opts = { pollMs: 5, concurrency: 8, leaseMs: 10_000 };
        const a = new JobWorker({ db: c.db, dialect, handlers: handlerFor('a'), ...opts });
        const b = new JobWorker({ db: second.db, dialect, handlers: handlerFor('b'), ...opts });
        workers.push(a, b);
        a.start();
        b.start();
        await waitFor(async () => {
          const r = await sql<{ n: number }>`select count(*)::int as n from jobs where state = 'done'`.execute(c.db);
          return r.rows[0]!.n === N;
        }, 'all jobs done', 30_000);
        await Promise.all([a.stop(), b.stop()]);

        expect(runs).toHaveLength(N);
        expect(new Set(runs.map((r) => r.value)).size).toBe(N);
        const rows = await c.db.selectFrom('jobs').select(['state', 'attempts']).execute();
        expect(rows.every((r) => r.state === 'done' && Number(r.attempts) === 1)).toBe(true);
        // both took part
        expect(runs.some((r) => r.worker === 'a')).toBe(true);
        expect(runs.some((r) => r.worker === 'b')).toBe(true);
      });
    });
  }
});
