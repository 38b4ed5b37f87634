import { sql, type Kysely } from 'kysely';

/**
 * 0006: the job queue. One row per job; workers claim rows (FOR UPDATE SKIP LOCKED on PostgreSQL,
 * a single UPDATE … RETURNING on SQLite) and hold them by a lease (`locked_until`) they renew while
 * the job runs, so the job of a worker that died is taken again once its lease runs out. Times are
 * ISO 8601 UTC text, like every other table, so they compare as strings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // queued | running | done | failed (retrying) | dead
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_message', 'text')
    .addColumn('result', 'text')
    .addColumn('last_error', 'text')
    .addColumn('compartment_id', 'text', (c) => c.references('compartments.id'))
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  // claiming: jobs due now, oldest first; and running jobs whose lease ran out
  await db.schema
    .createIndex('jobs_due_idx')
    .on('jobs')
    .columns(['run_at', 'id'])
    .where(sql.ref('state'), 'in', [sql.lit('queued'), sql.lit('failed')])
    .execute();
  await db.schema.createIndex('jobs_lease_idx').on('jobs').column('locked_until').where(sql.ref('state'), '=', sql.lit('running')).execute();
  // one unfinished job per dedupe key (NULL keys never collide); enqueue names this predicate verbatim
  await db.schema
    .createIndex('jobs_dedupe_idx')
    .on('jobs')
    .column('dedupe_key')
    .unique()
    .where(sql.ref('state'), 'in', [sql.lit('queued'), sql.lit('running'), sql.lit('failed')])
    .execute();
  // listings, newest first (ids are uuidv7), filtered by state, name or compartment
  await db.schema.createIndex('jobs_state_idx').on('jobs').columns(['state', 'id']).execute();
  await db.schema.createIndex('jobs_name_idx').on('jobs').columns(['name', 'id']).execute();
  await db.schema.createIndex('jobs_compartment_idx').on('jobs').columns(['compartment_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
