import type { Kysely } from 'kysely';

/**
 * 0002: accounts and audit. The second factor (TOTP) of each account, token scopes, idle expiry of
 * sessions, the shared sign-in failure counter (so several processes lock an account together),
 * pending two-step sign-ins, and the audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // TOTP: the shared secret (base32, in clear until it moves under the vault), when it was confirmed,
  // and the last time step used, so a code is accepted once
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();

  // tokens made before scopes existed could do everything their user may: they keep that
  await db.schema.alterTable('api_tokens').addColumn('scope', 'text', (c) => c.notNull().defaultTo('admin')).execute();

  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();

  // one row per failed (or in-flight) sign-in; `subject` is a hash of the user name tried, so names
  // that do not exist lock exactly like those that do. Rows older than the window are pruned.
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_failures_subject_idx').on('sign_in_failures').columns(['subject', 'at']).execute();
  await db.schema.createIndex('sign_in_failures_at_idx').on('sign_in_failures').column('at').execute();

  // a password that was right, waiting for the second factor
  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_challenges_user_idx').on('sign_in_challenges').column('user_id').execute();

  // never an IP address or a secret; ids are uuidv7, so they sort by time
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_events_action_idx').on('audit_events').columns(['action', 'id']).execute();
  await db.schema.createIndex('audit_events_actor_idx').on('audit_events').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('audit_events_target_idx').on('audit_events').columns(['target_type', 'target_id', 'id']).execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await db.schema.dropTable('sign_in_challenges').execute();
  await db.schema.dropTable('sign_in_failures').execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('scope').execute();
  for (const c of ['password_changed_at', 'totp_last_step', 'totp_enabled_at', 'totp_secret'])
    await db.schema.alterTable('users').dropColumn(c).execute();
}
