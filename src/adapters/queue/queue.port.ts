import type { Kysely } from 'kysely';

/**
 * Background jobs: each feature declares its jobs by merging into `JobPayloads`, e.g.
 *
 *   declare module '../../adapters/queue/queue.port.js' {
 *     interface JobPayloads { 'evidence.extract-metadata': { itemId: string } }
 *   }
 *
 * enqueues them with `enqueue(trx, name, payload, opts)` (adapters/queue/enqueue.ts) inside the
 * transaction of the action that needs them, and registers a handler for each in
 * `jobHandlersOf` (modules/jobs/jobs.worker.ts).
 *
 * Payloads, results and progress messages are readable over the API by administrators and by
 * members of the job's compartment: keep them to ids, counts and tool notices, never names or
 * other protected content.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

/**
 * queued → running → done; running → failed (waiting to retry at `runAt`) → running …;
 * after the last attempt, or a permanent error, → dead (kept with its error; an administrator may
 * retry it).
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'dead';
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed', 'dead'];

/** What a handler can do while it runs. */
export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /**
   * Reports progress (0–100) with a short human message; readable over the API. Reports closer
   * than 200 ms to the previous one are skipped (except 100).
   */
  progress(percent: number, message?: string): Promise<void>;
  /** Aborted when the worker is stopping, the job's time limit passes, or its lease was lost. */
  signal: AbortSignal;
}

/** A job handler's outcome: a result kept with the job (e.g. `{ skipped: 'ffmpeg not installed' }`). */
export type JobResult = Record<string, unknown> | void;

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<JobResult>;

/** A handler with settings of its own. */
export interface JobDefinition<N extends JobName> {
  run: JobHandler<N>;
  /** Time limit of one attempt (default: the worker's `timeoutMs`). */
  timeoutMs?: number;
}

export type JobHandlers = { [N in JobName]?: JobHandler<N> | JobDefinition<N> };

/**
 * Thrown by a handler when trying again cannot help (the input is malformed, the item is gone):
 * the job goes to `dead` at once, with this message.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export interface EnqueueOptions {
  /** The compartment whose members may follow the job over the API; none: administrators only. */
  compartmentId?: string | null;
  /**
   * While a job with this key is not finished (queued, running or waiting to retry), enqueueing
   * the same key again returns that job instead of adding one.
   */
  dedupeKey?: string;
  /** Tries before the job is dead-lettered (default 5). */
  maxAttempts?: number;
  /** Not before this time (default: now). */
  runAt?: Date;
}

export interface EnqueuedJob {
  id: string;
  /** false when an unfinished job with the same dedupe key already existed and is returned instead. */
  created: boolean;
  state: JobState;
}

/** Adds a job in the caller's transaction (or as its own write when `db` is not one). */
export type Enqueue = <N extends JobName>(db: Kysely<any>, name: N, payload: JobPayloads[N], opts?: EnqueueOptions) => Promise<EnqueuedJob>;

/** A job as the API and the CLI show it (the payload is not shown). */
export interface JobView {
  id: string;
  name: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  progress: number;
  progressMessage: string | null;
  result: Record<string, unknown> | null;
  lastError: string | null;
  compartmentId: string | null;
  dedupeKey: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
