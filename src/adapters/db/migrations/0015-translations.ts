import { sql, type Kysely } from 'kysely';

/**
 * 0015: translations of prose fields (modules/translations, docs/TRANSLATIONS.md). One row per
 * record, field and language. The text of a field stored encrypted (`sensitive: 'prose'`, e.g. a
 * testimony's transcript) is kept only as `ciphertext` under a data key (data_keys, 0003), with
 * "translation/<type>/<id>/<field>/<language>" bound in; other translations keep `text` in clear
 * like their source. `source_hash` is the hash of the source text the translation was made from
 * (keyed under the vault for encrypted sources), so a changed source shows it as outdated.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('translations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('data_key_id', 'text', (c) => c.references('data_keys.id'))
    .addColumn('ciphertext', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('translator_id', 'text', (c) => c.references('users.id'))
    .addColumn('reviewer_id', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('source_version', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('translations_target_key', ['record_type', 'record_id', 'field', 'language'])
    .addCheckConstraint('translations_status_check', sql`status in ('draft', 'machine', 'reviewed')`)
    .addCheckConstraint('translations_one_form_check', sql`(text is null) <> (ciphertext is null)`)
    .execute();
  await db.schema.createIndex('translations_language_idx').on('translations').columns(['language', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('translations').execute();
}
