import type { Kysely } from 'kysely';

/**
 * 0011: each account's language for the web application (`be`, `ru` or `en`; null: not chosen,
 * the browser's language decides). A preference, not a security setting.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locale').execute();
}
