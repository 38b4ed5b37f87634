import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DialectName } from '../db/database.js';
import { PermanentJobError, type JobContext, type JobDefinition, type JobHandler, type JobHandlers, type JobName } from './queue.port.js';
import { completeJob, failJob, releaseJob, renewLease, saveProgress, type ClaimJobs, type JobRow } from './jobs.repository.js';
import { claimJobsPostgres } from './postgres/claim.postgres.js';
import { claimJobsSqlite } from './sqlite/claim.sqlite.js';
import { backoffDelay } from './backoff.js';

const CLAIMERS: Record<DialectName, ClaimJobs> = { postgres: claimJobsPostgres, sqlite: claimJobsSqlite };

/** Where the worker reports; pino (Fastify's `app.log`) fits as it is. */
export interface JobWorkerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const SILENT: JobWorkerLog = { info() {}, warn() {}, error() {} };

export interface JobWorkerOptions {
  db: Kysely<any>;
  dialect: DialectName;
  handlers: JobHandlers;
  /** Jobs run at the same time (default 2). */
  concurrency?: number;
  /** How often to look for due jobs when the last look found none (default 1000 ms). */
  pollMs?: number;
  /** How long a claimed job stays this worker's without a sign of life; renewed every third of it (default 60 s). */
  leaseMs?: number;
  /** Time limit of one attempt, unless its handler sets one (default 1 hour). */
  timeoutMs?: number;
  /** Retry delays: `baseMs` after the first failure, doubling up to `maxMs` (defaults 1 s and 1 hour), with jitter. */
  backoff?: { baseMs?: number; maxMs?: number };
  log?: JobWorkerLog;
  /** Shown in `locked_by` (default host/pid/random). */
  id?: string;
}

/** Why a running job's signal was aborted. */
export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
}
class WorkerStoppingError extends Error {
  override readonly name = 'WorkerStoppingError';
}
class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

interface ActiveJob {
  controller: AbortController;
  done: Promise<void>;
}

const MAX_ERROR = 2000;
const MAX_MESSAGE = 500;
const PROGRESS_INTERVAL_MS = 200;

/**
 * Runs jobs from the `jobs` table: claims up to `concurrency` due jobs at a time, runs each with
 * its handler under a time limit and a renewed lease, stores the result or the error, retries
 * with backoff, and dead-letters a job after its last attempt. Any number of workers, in any
 * number of processes, may share one database.
 *
 * @example
 *   const worker = new JobWorker({ db, dialect, handlers: { 'evidence.thumbnail': makeThumbnail }, concurrency: 4 });
 *   worker.start();
 *   …
 *   await worker.stop(); // finishes running jobs (or gives them back) before it resolves
 */
export class JobWorker {
  readonly id: string;
  private readonly db: Kysely<any>;
  private readonly claim: ClaimJobs;
  private readonly handlers: JobHandlers;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly timeoutMs: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly log: JobWorkerLog;
  private readonly active = new Map<string, ActiveJob>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** A wake-up that came while the loop was not sleeping (claiming): the next sleep is skipped. */
  private wakePending = false;

  constructor(opts: JobWorkerOptions) {
    this.db = opts.db;
    this.claim = CLAIMERS[opts.dialect];
    this.handlers = opts.handlers;
    this.concurrency = positive('concurrency', opts.concurrency ?? 2);
    this.pollMs = positive('pollMs', opts.pollMs ?? 1000);
    this.leaseMs = positive('leaseMs', opts.leaseMs ?? 60_000);
    this.timeoutMs = positive('timeoutMs', opts.timeoutMs ?? 3_600_000);
    this.backoff = { baseMs: opts.backoff?.baseMs ?? 1000, maxMs: opts.backoff?.maxMs ?? 3_600_000 };
    this.log = opts.log ?? SILENT;
    this.id = opts.id ?? `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  }

  /** Job names this worker has handlers for. */
  get names(): string[] {
    return Object.keys(this.handlers).sort();
  }

  /** Jobs running now. */
  get activeCount(): number {
    return this.active.size;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts claiming and running jobs (no-op when already started). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.pollLoop();
  }

  /** Looks for due jobs now instead of at the next poll (e.g. right after enqueueing in this process). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }

  /**
   * Stops claiming; waits up to `graceMs` (default 10 s) for running jobs to finish, then aborts
   * the rest and gives them back to the queue (due at once, the interrupted try not counted).
   */
  async stop(opts: { graceMs?: number } = {}): Promise<void> {
    if (!this.running && !this.loop) return;
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
    const graceMs = opts.graceMs ?? 10_000;
    const all = () => Promise.all([...this.active.values()].map((a) => a.done));
    if (this.active.size) {
      let timer: NodeJS.Timeout | undefined;
      const expired = await Promise.race([all().then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timer);
      if (expired) {
        this.log.warn({ worker: this.id, jobs: [...this.active.keys()] }, `giving back ${this.active.size} unfinished job(s) on stop`);
        for (const a of this.active.values()) a.controller.abort(new WorkerStoppingError('the worker is stopping'));
      }
    }
    await all();
  }

  private async pollLoop(): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.active.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const now = Date.now();
          const rows = await this.claim(this.db, {
            workerId: this.id,
            now: new Date(now).toISOString(),
            leaseUntil: new Date(now + this.leaseMs).toISOString(),
            limit: free,
          });
          claimed = rows.length;
          for (const row of rows) this.launch(row);
        } catch (e) {
          this.log.error({ err: e, worker: this.id }, 'claiming jobs failed; trying again at the next poll');
        }
      }
      if (!this.running) break;
      if (free > 0 && claimed === free) continue; // there may be more waiting
      await this.sleep(this.pollMs);
    }
  }

  /** Sleeps up to `ms`; `wake()` and a finishing job end it early. */
  private sleep(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }

  private launch(row: JobRow): void {
    const controller = new AbortController();
    const done = this.run(row, controller)
      .catch((e) => this.log.error({ err: e, job: row.id, name: row.name }, 'job bookkeeping failed; its lease will run out and another try will follow'))
      .finally(() => {
        this.active.delete(row.id);
        this.wake();
      });
    this.active.set(row.id, { controller, done });
  }

  private async run(row: JobRow, controller: AbortController): Promise<void> {
    const now = () => new Date().toISOString();
    const def = this.handlers[row.name as JobName] as JobHandler<JobName> | JobDefinition<JobName> | undefined;
    if (!def) {
      const known = this.names;
      const error = `no handler for job "${row.name}" in this worker (it knows ${known.length ? known.join(', ') : 'no jobs'}); retry it once a worker that knows it runs`;
      this.log.error({ job: row.id, name: row.name }, error);
      await failJob(this.db, row.id, this.id, error, null, now());
      return;
    }
    if (row.attempts > row.max_attempts) {
      // the last attempt never reported back (its worker died): no try is left
      const error = `${row.last_error ?? 'the last attempt did not finish'}; no attempts left (${row.max_attempts})`;
      await failJob(this.db, row.id, this.id, error, null, now());
      return;
    }
    const handler = typeof def === 'function' ? def : def.run;
    const timeoutMs = (typeof def === 'function' ? undefined : def.timeoutMs) ?? this.timeoutMs;

    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      await failJob(this.db, row.id, this.id, 'the job payload is not valid JSON', null, now());
      return;
    }

    const signal = controller.signal;
    const timer = setTimeout(() => controller.abort(new JobTimeoutError(`the attempt ran past its time limit of ${formatMs(timeoutMs)}`)), timeoutMs);
    const heartbeat = setInterval(() => {
      renewLease(this.db, row.id, this.id, new Date(Date.now() + this.leaseMs).toISOString()).then(
        (ok) => {
          if (!ok) controller.abort(new LeaseLostError('the job is no longer this worker\'s (its lease ran out and another worker took it, or it was changed)'));
        },
        (e) => this.log.warn({ err: e, job: row.id }, 'renewing a job lease failed; trying again'),
      );
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    let lastProgressAt = -Infinity;
    const ctx: JobContext = {
      jobId: row.id,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      signal,
      progress: async (percent, message) => {
        const p = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
        // a handler reporting in a tight loop writes at most a few times a second
        const at = Date.now();
        if (at - lastProgressAt < PROGRESS_INTERVAL_MS && p < 100) return;
        lastProgressAt = at;
        const ok = await saveProgress(this.db, row.id, this.id, p, message ? message.slice(0, MAX_MESSAGE) : null, now());
        if (!ok && !signal.aborted) controller.abort(new LeaseLostError('the job is no longer this worker\'s'));
      },
    };

    this.log.info({ job: row.id, name: row.name, attempt: row.attempts, worker: this.id }, 'job started');
    try {
      const result = await Promise.race([Promise.resolve().then(() => handler(payload as never, ctx)), aborted]);
      const json = result && typeof result === 'object' ? JSON.stringify(result) : null;
      if (!(await completeJob(this.db, row.id, this.id, json, now()))) this.log.warn({ job: row.id }, 'finished a job that was no longer this worker\'s; its result is dropped');
      else this.log.info({ job: row.id, name: row.name }, 'job done');
    } catch (e) {
      // once the signal is aborted, its reason is what ended the attempt (whatever the handler threw after)
      const cause: unknown = signal.aborted ? signal.reason : e;
      if (cause instanceof WorkerStoppingError) {
        await releaseJob(this.db, row.id, this.id, now());
        this.log.info({ job: row.id, name: row.name }, 'job given back to the queue: the worker is stopping');
        return;
      }
      if (cause instanceof LeaseLostError) {
        this.log.warn({ job: row.id, name: row.name }, cause.message);
        return;
      }
      const error = describeError(cause);
      const last = cause instanceof PermanentJobError || row.attempts >= row.max_attempts;
      const retryAt = last ? null : new Date(Date.now() + backoffDelay(row.attempts, this.backoff)).toISOString();
      await failJob(this.db, row.id, this.id, error, retryAt, now());
      if (last) this.log.error({ job: row.id, name: row.name, attempt: row.attempts, error }, 'job dead-lettered');
      else this.log.warn({ job: row.id, name: row.name, attempt: row.attempts, error, retryAt }, 'job failed; it will be tried again');
    } finally {
      clearTimeout(timer);
      clearInterval(heartbeat);
      // tell a handler still running (it ignored the time limit, or finished) that its time is over
      if (!signal.aborted) controller.abort(new WorkerStoppingError('the attempt is over'));
    }
  }
}

function describeError(e: unknown): string {
  const text = e instanceof Error ? (e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message) : String(e);
  return (text || 'the handler failed without a message').slice(0, MAX_ERROR);
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, not ${v}`);
  return v;
}

function formatMs(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6000) / 10} min` : ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
