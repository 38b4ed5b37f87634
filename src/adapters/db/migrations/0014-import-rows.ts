import type { Kysely } from 'kysely';

/**
 * 0014: which row of which imported list made which record, so importing the same list again with
 * the same mapping skips the rows already taken (modules/imports/lists). `mapping_hash` covers the
 * record type, compartment, mapping and how the file was read: another mapping of the same file is
 * another import. The record may since have been changed or deleted; the row still counts as taken.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_rows')
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id').onDelete('restrict'))
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('mapping_hash', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rows_pkey', ['item_id', 'mapping_hash', 'row'])
    .execute();
  await db.schema.createIndex('import_rows_record_idx').on('import_rows').columns(['record_type', 'record_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_rows').execute();
}
