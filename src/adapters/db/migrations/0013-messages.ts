import type { Kysely } from 'kysely';
import { createRecordTable } from './helpers.js';

/**
 * 0013: messages, a record type for posts and messages from messenger channels, groups and chats
 * (the Telegram import, docs/IMPORTS.md). Columns as the catalog declares them, plus the
 * compartment (as 0004 gave every record table) and the import's idempotency key: one record per
 * (compartment, platform, chat, message id), so importing an export again adds nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createRecordTable(db, {
    table: 'messages',
    columns: [
      { name: 'platform', type: 'text', notNull: true, index: true },
      { name: 'chat', type: 'text', notNull: true, index: true },
      { name: 'chat_id', type: 'text', notNull: true },
      { name: 'chat_type', type: 'text', index: true },
      { name: 'message_id', type: 'integer', notNull: true },
      { name: 'date', type: 'text', notNull: true, index: true },
      { name: 'date_local', type: 'text' },
      { name: 'author', type: 'text' },
      { name: 'author_id', type: 'text' },
      { name: 'forwarded_from', type: 'text' },
      { name: 'reply_to', type: 'integer' },
      { name: 'edited', type: 'text' },
      { name: 'media_type', type: 'text' },
      { name: 'text', type: 'text' },
      { name: 'urls', type: 'text' },
    ],
  });
  await db.schema.alterTable('messages').addColumn('compartment_id', 'text', (c) => c.references('compartments.id')).execute();
  await db.schema.createIndex('messages_compartment_idx').on('messages').columns(['compartment_id', 'created_at', 'id']).execute();
  await db.schema
    .createIndex('messages_message_key')
    .on('messages')
    .columns(['compartment_id', 'platform', 'chat_id', 'message_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('messages').execute();
}
