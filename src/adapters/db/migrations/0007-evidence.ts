import { sql, type Kysely } from 'kysely';

/**
 * 0007: evidence. An item is one sequence of bytes (the evidentiary copy as received, or a
 * derivative of one), stored encrypted in the blob store under a random name. The same bytes
 * arriving again in the same compartment are the same item with another acquisition. Derivatives
 * (thumbnails, previews, OCR text) are items with a parent. Links tie items to records with a span.
 * File names and extracted metadata can identify people: they live encrypted in record_secrets.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evidence_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('compartment_id', 'text', (c) => c.notNull().references('compartments.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('blob_name', 'text', (c) => c.notNull().unique())
    .addColumn('data_key_id', 'text', (c) => c.references('data_keys.id'))
    .addColumn('stored_size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text')
    .addColumn('category', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // stored | processing | ready | flagged
    .addColumn('flags', 'text') // JSON: [{ kind, reason }]
    .addColumn('parent_id', 'text', (c) => c.references('evidence_items.id'))
    .addColumn('derivative_kind', 'text') // thumbnail | preview | poster | video-preview | ocr-text | pdf-text
    .addColumn('derived_with', 'text') // tool and version
    .addColumn('phash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();
  // one original item per content per compartment (derivatives have a parent and may coincide)
  await db.schema
    .createIndex('evidence_items_original_sha_idx')
    .on('evidence_items')
    .columns(['compartment_id', 'sha256'])
    .unique()
    .where(sql.ref('parent_id'), 'is', null)
    .execute();
  await db.schema.createIndex('evidence_items_parent_idx').on('evidence_items').columns(['parent_id', 'derivative_kind']).execute();
  await db.schema.createIndex('evidence_items_list_idx').on('evidence_items').columns(['compartment_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('evidence_acquisitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id'))
    .addColumn('method', 'text', (c) => c.notNull()) // upload | resumable-upload | cli-ingest | anonymous-drop | telegram-export | web-capture | csv-attachment
    .addColumn('source_person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('source_note', 'text')
    .addColumn('note', 'text')
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('acquired_by', 'text', (c) => c.references('users.id'))
    .addColumn('tool_version', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_acquisitions_item_idx').on('evidence_acquisitions').columns(['item_id', 'acquired_at']).execute();

  await db.schema
    .createTable('evidence_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id'))
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('span', 'text') // JSON: { kind: 'time', from, to } | { kind: 'region', x, y, w, h } | { kind: 'text', page, from, to }
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('evidence_links_item_idx').on('evidence_links').column('item_id').execute();
  await db.schema.createIndex('evidence_links_target_idx').on('evidence_links').columns(['target_type', 'target_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_links').execute();
  await db.schema.dropTable('evidence_acquisitions').execute();
  await db.schema.dropTable('evidence_items').execute();
}
