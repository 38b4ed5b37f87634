import { sql, type Kysely } from 'kysely';

/**
 * 0017: stories for publication (modules/stories, docs/PUBLICATION.md). A story is made from one
 * testimony; per language it holds the redacted text meant to be published, stored encrypted
 * (`ciphertext` under a data key, "story/<id>/<language>" bound in) until it is published, since it
 * is derived from a sensitive transcript. The redacted media derivatives chosen for it are listed
 * in story_media; approvals (one per editor) in story_approvals — a change clears them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('testimony_id', 'text', (c) => c.notNull())
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addCheckConstraint('stories_state_check', sql`state in ('draft', 'published', 'withdrawn')`)
    .execute();
  await db.schema
    .createTable('story_texts')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('data_key_id', 'text', (c) => c.notNull().references('data_keys.id'))
    .addColumn('title_ciphertext', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_texts_pkey', ['story_id', 'language'])
    .execute();
  await db.schema
    .createTable('story_media')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('derivative_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_media_pkey', ['story_id', 'derivative_id'])
    .execute();
  await db.schema
    .createTable('story_approvals')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('editor_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('story_version', 'integer', (c) => c.notNull())
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_approvals_pkey', ['story_id', 'editor_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('story_approvals').execute();
  await db.schema.dropTable('story_media').execute();
  await db.schema.dropTable('story_texts').execute();
  await db.schema.dropTable('stories').execute();
}
