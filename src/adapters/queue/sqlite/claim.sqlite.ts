import { sql } from 'kysely';
import type { ClaimJobs, JobRow } from '../jobs.repository.js';
import { inTransaction } from '../../db/transaction.js';

/**
 * SQLite: one UPDATE … RETURNING in a transaction. SQLite has one writer at a time, and a write
 * statement takes the write lock before it reads, so two processes on one file can never take the
 * same row (the second waits out the busy timeout, then sees the row running). Within a process,
 * better-sqlite3 runs statements one after the other anyway.
 */
export const claimJobsSqlite: ClaimJobs = (db, req) =>
  inTransaction(db, async (trx) => {
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
      )
      returning *`.execute(trx);
    return r.rows;
  });
