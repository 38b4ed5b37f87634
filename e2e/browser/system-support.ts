import Database from 'better-sqlite3';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';

/**
 * Fixtures of the jobs browser test. A job dies only after every try failed (or on a permanent
 * error), and no job of the product fails on demand on a fresh installation; so the test writes
 * dead jobs straight into the installation's SQLite database, with the columns the queue uses
 * (src/adapters/queue/enqueue.ts, jobs.repository.ts), while the server runs (WAL: both may write).
 */
export interface FixtureJob {
  name: string;
  state: 'queued' | 'done' | 'dead';
  attempts: number;
  maxAttempts: number;
  lastError?: string;
  dedupeKey?: string;
  /** When it is due (a queued job due far in the future is never claimed). */
  runAt?: Date;
  /** Its compartment's members may follow it; none: administrators only. */
  compartmentId?: string;
}

/** Writes the jobs into `dataDir`'s database, oldest first; returns their ids in the same order. */
export function writeJobs(dataDir: string, jobs: FixtureJob[]): string[] {
  const db = new Database(join(dataDir, 'letapis.db'));
  db.pragma('busy_timeout = 5000');
  try {
    const insert = db.prepare(
      `INSERT INTO jobs (id, name, payload, state, attempts, max_attempts, run_at, progress, progress_message, last_error, compartment_id, dedupe_key, created_at, updated_at, finished_at)
       VALUES (@id, @name, '{}', @state, @attempts, @maxAttempts, @runAt, 0, NULL, @lastError, @compartmentId, @dedupeKey, @now, @now, @finishedAt)`,
    );
    return jobs.map((j) => {
      const id = uuidv7();
      const now = new Date().toISOString();
      insert.run({
        id,
        name: j.name,
        state: j.state,
        attempts: j.attempts,
        maxAttempts: j.maxAttempts,
        runAt: (j.runAt ?? new Date()).toISOString(),
        lastError: j.lastError ?? null,
        dedupeKey: j.dedupeKey ?? null,
        compartmentId: j.compartmentId ?? null,
        now,
        finishedAt: j.state === 'queued' ? null : now,
      });
      return id;
    });
  } finally {
    db.close();
  }
}

/** The shares `letapis vault init --shares N` printed. */
export const sharesIn = (out: string): string[] => [...out.matchAll(/^share \d+: (LS1-\S+)$/gm)].map((m) => m[1]!);
