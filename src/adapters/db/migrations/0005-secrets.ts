import type { Kysely } from 'kysely';

/**
 * 0005: encrypted fields and the blind name index. `record_secrets` holds each sensitive field of a
 * record as ciphertext under the record's data key (data_keys, 0003), with "<type>/<id>/<field>"
 * bound in as associated data. `name_index` holds keyed hashes of name match keys, so a person is
 * found by any spelling without the name in clear.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('record_secrets')
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('data_key_id', 'text', (c) => c.notNull().references('data_keys.id'))
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_secrets_pk', ['record_type', 'record_id', 'field'])
    .execute();

  await db.schema
    .createTable('name_index')
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('name_index_pk', ['source_type', 'source_id', 'hash'])
    .execute();
  await db.schema.createIndex('name_index_hash_idx').on('name_index').columns(['hash', 'person_id']).execute();
  await db.schema.createIndex('name_index_person_idx').on('name_index').column('person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('name_index').execute();
  await db.schema.dropTable('record_secrets').execute();
}
