import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { EnqueuedJob, EnqueueOptions, JobName, JobPayloads, JobState } from './queue.port.js';

export const DEFAULT_MAX_ATTEMPTS = 5;
/** States in which a job is not finished: its dedupe key is taken. */
export const UNFINISHED: readonly JobState[] = ['queued', 'running', 'failed'];

/**
 * Adds a job. Pass the transaction of the action that needs the job as `db`: the job then exists
 * if and only if the action committed, and a worker sees it only after the commit.
 *
 * With a `dedupeKey`, an unfinished job with the same key is returned instead of a new one (also
 * when two transactions race: the partial unique index decides, the loser gets the winner's job).
 *
 * @example
 *   await inTransaction(db, async (trx) => {
 *     await insertItem(trx, item);
 *     await enqueue(trx, 'evidence.extract-metadata', { itemId: item.id }, { compartmentId: item.compartmentId, dedupeKey: `meta:${item.id}` });
 *   });
 */
export async function enqueue<N extends JobName>(db: Kysely<any>, name: N, payload: JobPayloads[N], opts: EnqueueOptions = {}): Promise<EnqueuedJob> {
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a whole number of at least 1, not ${opts.maxAttempts}`);
  if (opts.dedupeKey !== undefined && !opts.dedupeKey) throw new Error('dedupeKey must not be empty');
  const now = new Date().toISOString();
  const row = {
    id: uuidv7(),
    name,
    payload: JSON.stringify(payload ?? null),
    state: 'queued',
    attempts: 0,
    max_attempts: maxAttempts,
    run_at: (opts.runAt ?? new Date()).toISOString(),
    progress: 0,
    compartment_id: opts.compartmentId ?? null,
    dedupe_key: opts.dedupeKey ?? null,
    created_at: now,
    updated_at: now,
  };
  if (!opts.dedupeKey) {
    await db.insertInto('jobs').values(row).execute();
    return { id: row.id, created: true, state: 'queued' };
  }
  // the conflict target repeats the partial index's predicate (as literals, so both engines can
  // infer the index), so only unfinished jobs collide
  for (let i = 0; i < 5; i++) {
    const inserted = await db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').where(sql.ref('state'), 'in', UNFINISHED.map((s) => sql.lit(s))).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: row.id, created: true, state: 'queued' };
    const existing = await db
      .selectFrom('jobs')
      .select(['id', 'state'])
      .where('dedupe_key', '=', opts.dedupeKey)
      .where('state', 'in', UNFINISHED)
      .executeTakeFirst();
    if (existing) return { id: existing.id as string, created: false, state: existing.state as JobState };
    // the holder of the key finished in between: try again
  }
  throw new Error(`could not enqueue ${name} with dedupe key ${opts.dedupeKey}: the key kept changing hands`);
}
