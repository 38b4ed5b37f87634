import type { Kysely } from 'kysely';

/**
 * 0016: the anonymous drop (docs/DROP.md). Nothing here holds a time finer than a day, an address,
 * a user agent or a codename; ids are random (not uuidv7, whose first bits are the time).
 * - `drop_keys`: the organisation's drop key pair (X25519; the secret key encrypted under a data key
 *   wrapped by the vault's master key) and the instance's public drop salt.
 * - `drop_sources`: one row per codename: BLAKE2b of the come-back token (docs/DROP.md) and the
 *   source's public key, for sealing replies.
 * - `drop_submissions`, `drop_parts`: what a source handed in, each part (the message, each file) a
 *   sealed box to the organisation's key stored as an opaque blob; a part becomes an evidence item
 *   when staff take it in.
 * - `drop_replies`: staff replies, sealed boxes to the source's public key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drop_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('created_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('drop_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lookup', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('created_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('drop_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('drop_sources.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drop_submissions_source_idx').on('drop_submissions').column('source_id').execute();
  await db.schema.createIndex('drop_submissions_state_idx').on('drop_submissions').columns(['state', 'day']).execute();
  await db.schema
    .createTable('drop_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('drop_submissions.id'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('blob_name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('evidence_id', 'text')
    .execute();
  await db.schema.createIndex('drop_parts_submission_idx').on('drop_parts').columns(['submission_id', 'ordinal']).unique().execute();
  await db.schema
    .createTable('drop_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('drop_sources.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drop_replies_source_idx').on('drop_replies').columns(['source_id', 'seq']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['drop_replies', 'drop_parts', 'drop_submissions', 'drop_sources', 'drop_keys']) await db.schema.dropTable(t).execute();
}
