import type { Kysely } from 'kysely';
import { can, type Actor, type Subject } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import type { JobState, JobView } from '../../adapters/queue/queue.port.js';
import { findJob, queryJobs, requeueDeadJob, toJobView, unfinishedWithKey, type JobRow } from '../../adapters/queue/jobs.repository.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { findCompartment } from '../compartments/compartments.repository.js';
import { jobQuerySchema, type JobQueryInput } from './jobs.schemas.js';

/**
 * Following background jobs. Administrators see every job; a member of a compartment sees the
 * jobs of that compartment, whatever their role there (`job.read`); a job without a compartment is
 * the administrators' only.
 * A job one may not see reads exactly as one that does not exist. Administrators retry dead jobs.
 */

export interface JobsDeps {
  db: Kysely<any>;
  audit: AppendAuditEvent;
}

export interface JobPage {
  items: JobView[];
  nextCursor: string | null;
}

function maySee(subject: Subject, job: Pick<JobRow, 'compartment_id'>): boolean {
  if (!can(subject, 'job.read')) return false;
  if (can(subject, 'job.read-all')) return true;
  return job.compartment_id !== null && subject.memberships.has(job.compartment_id);
}

const notFound = (id: string) => new NotFoundError(`no job you can see has id ${id}`);

/**
 * Jobs newest first, filtered by state, name and compartment; `nextCursor` pages on.
 *
 * @example await listJobs(db, actor, { state: 'dead', limit: 20 })
 */
export async function listJobs(db: Kysely<any>, actor: Actor, input: JobQueryInput): Promise<JobPage> {
  const parsed = jobQuerySchema.safeParse(input);
  if (!parsed.success) {
    const problems: FieldProblem[] = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message }));
    throw new ValidationError(problems);
  }
  const q = parsed.data;
  if (!can(actor, 'job.read')) throw new ForbiddenError('you may not follow jobs');
  const subject = await subjectOf(db, actor);
  const all = can(subject, 'job.read-all');
  let compartmentId: string | undefined;
  if (q.compartment) {
    const c = await findCompartment(db, q.compartment);
    // a compartment one cannot see lists as empty, like one that does not exist
    if (!c) return { items: [], nextCursor: null };
    compartmentId = c.id;
  }
  const limit = q.limit ?? 50;
  const rows = await queryJobs(db, {
    state: q.state as JobState | undefined,
    name: q.name,
    compartmentId,
    withinCompartments: all ? undefined : [...subject.memberships.keys()],
    before: q.cursor,
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(toJobView);
  return { items, nextCursor: more ? items[items.length - 1]!.id : null };
}

/** One job: state, attempts, progress, result, last error and times. */
export async function getJob(db: Kysely<any>, actor: Actor, id: string): Promise<JobView> {
  const subject = await subjectOf(db, actor);
  const row = await findJob(db, id);
  if (!row || !maySee(subject, row)) throw notFound(id);
  return toJobView(row);
}

/**
 * Queues a dead job again with all its tries (administrators). Its last error stays until the next
 * try. Refused while another unfinished job holds the same dedupe key.
 */
export async function retryJob(deps: JobsDeps, actor: Actor, id: string): Promise<JobView> {
  const subject = await subjectOf(deps.db, actor);
  return inTransaction(deps.db, async (trx) => {
    const row = await findJob(trx, id);
    if (!row || !maySee(subject, row)) throw notFound(id);
    if (!can(subject, 'job.retry')) throw new ForbiddenError('only administrators retry jobs');
    if (row.state !== 'dead') throw new ConflictError(`job ${id} is ${row.state}; only a dead job can be retried`);
    if (row.dedupe_key) {
      const holder = await unfinishedWithKey(trx, row.dedupe_key);
      if (holder) throw new ConflictError(`job ${holder} does the same work (dedupe key "${row.dedupe_key}") and has not finished; follow that one instead`);
    }
    if (!(await requeueDeadJob(trx, id, new Date().toISOString()))) throw new ConflictError(`job ${id} changed meanwhile; reload it`);
    await deps.audit(trx, { action: 'job.retry', actorId: actor.userId, targetType: 'job', targetId: id, details: { name: row.name, attempts: Number(row.attempts) } });
    return toJobView((await findJob(trx, id))!);
  });
}
