import type { Kysely } from 'kysely';
import type { JobState, JobView } from './queue.port.js';

/**
 * Queries on `jobs`, dialect-neutral. Claiming, the one dialect-specific query, is in
 * `postgres/` and `sqlite/`. Every change a worker makes to a job it runs is guarded by
 * `locked_by = <worker>` and `state = 'running'`: once its lease ran out and another worker took
 * the job, a late write of the first one changes nothing.
 */

/** A row of `jobs` as stored. */
export interface JobRow {
  id: string;
  name: string;
  payload: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  progress: number;
  progress_message: string | null;
  result: string | null;
  last_error: string | null;
  compartment_id: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** What a claim needs: who claims, the time now and when the lease ends, how many at most. */
export interface ClaimRequest {
  workerId: string;
  now: string;
  leaseUntil: string;
  limit: number;
}

/** Takes due jobs (and jobs whose lease ran out) for one worker, atomically. */
export type ClaimJobs = (db: Kysely<any>, req: ClaimRequest) => Promise<JobRow[]>;

export function toJobView(r: JobRow): JobView {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    runAt: r.run_at,
    lockedBy: r.locked_by ?? null,
    lockedUntil: r.locked_until ?? null,
    progress: Number(r.progress),
    progressMessage: r.progress_message ?? null,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
    lastError: r.last_error ?? null,
    compartmentId: r.compartment_id ?? null,
    dedupeKey: r.dedupe_key ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at ?? null,
  };
}

export async function findJob(db: Kysely<any>, id: string): Promise<JobRow | undefined> {
  return (await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()) as JobRow | undefined;
}

export interface JobQuery {
  state?: JobState;
  name?: string;
  compartmentId?: string;
  /** Only jobs of these compartments (undefined: any job, with or without a compartment). */
  withinCompartments?: string[];
  /** Only jobs with an id below this one (the previous page's last id). */
  before?: string;
  limit: number;
}

/** Jobs newest first. */
export async function queryJobs(db: Kysely<any>, q: JobQuery): Promise<JobRow[]> {
  if (q.withinCompartments && q.withinCompartments.length === 0) return [];
  let s = db.selectFrom('jobs').selectAll();
  if (q.state) s = s.where('state', '=', q.state);
  if (q.name) s = s.where('name', '=', q.name);
  if (q.compartmentId) s = s.where('compartment_id', '=', q.compartmentId);
  if (q.withinCompartments) s = s.where('compartment_id', 'in', q.withinCompartments);
  if (q.before) s = s.where('id', '<', q.before);
  return (await s.orderBy('id', 'desc').limit(q.limit).execute()) as JobRow[];
}

const mine = (id: string, workerId: string) => (qb: any) => qb.where('id', '=', id).where('locked_by', '=', workerId).where('state', '=', 'running');

/** Extends the lease of a running job; false when the job is no longer this worker's. */
export async function renewLease(db: Kysely<any>, id: string, workerId: string, leaseUntil: string): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ locked_until: leaseUntil }).$call(mine(id, workerId)).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function saveProgress(db: Kysely<any>, id: string, workerId: string, progress: number, message: string | null, now: string): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ progress, progress_message: message, updated_at: now }).$call(mine(id, workerId)).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function completeJob(db: Kysely<any>, id: string, workerId: string, result: string | null, now: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ state: 'done', progress: 100, result, locked_by: null, locked_until: null, updated_at: now, finished_at: now })
    .$call(mine(id, workerId))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records a failed attempt: to try again at `retryAt`, or, when it is null, dead. */
export async function failJob(db: Kysely<any>, id: string, workerId: string, error: string, retryAt: string | null, now: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set(
      retryAt
        ? { state: 'failed', run_at: retryAt, last_error: error, locked_by: null, locked_until: null, updated_at: now }
        : { state: 'dead', last_error: error, locked_by: null, locked_until: null, updated_at: now, finished_at: now },
    )
    .$call(mine(id, workerId))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Gives back a job a stopping worker did not finish: due now, and the interrupted try not counted. */
export async function releaseJob(db: Kysely<any>, id: string, workerId: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set((eb) => ({ state: 'queued', attempts: eb('attempts', '-', 1), run_at: now, locked_by: null, locked_until: null, updated_at: now }))
    .$call(mine(id, workerId))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A dead job queued again with all its tries, keeping its last error until the next attempt. */
export async function requeueDeadJob(db: Kysely<any>, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, progress: 0, progress_message: null, finished_at: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The unfinished job holding a dedupe key, if any. */
export async function unfinishedWithKey(db: Kysely<any>, dedupeKey: string): Promise<string | undefined> {
  const r = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', dedupeKey).where('state', 'in', ['queued', 'running', 'failed']).executeTakeFirst();
  return r?.id as string | undefined;
}
