import { sql } from 'kysely';
import type { ClaimJobs, JobRow } from '../jobs.repository.js';

/**
 * PostgreSQL: the rows are locked by the inner SELECT with SKIP LOCKED, so workers claiming at the
 * same moment each take different jobs and never wait for one another. A row another worker
 * claimed and committed in the meantime is re-checked against the WHERE (READ COMMITTED) and, now
 * running under a live lease, left alone. A running job whose lease ran out is taken again, with a
 * note of whose lease it was in `last_error`.
 */
export const claimJobsPostgres: ClaimJobs = async (db, req) => {
  const r = await sql<JobRow>`
    update jobs set
      state = 'running',
      attempts = attempts + 1,
      last_error = case when state = 'running'
        then 'the lease of worker ' || coalesce(locked_by, '?') || ' ran out before the job finished (the worker stopped or stalled)'
        else last_error end,
      locked_by = ${req.workerId},
      locked_until = ${req.leaseUntil},
      updated_at = ${req.now}
    where id in (
      select id from jobs
      where (state in ('queued', 'failed') and run_at <= ${req.now})
         or (state = 'running' and locked_until < ${req.now})
      order by run_at, id
      limit ${req.limit}
      for update skip locked
    )
    returning *`.execute(db);
  return r.rows;
};
