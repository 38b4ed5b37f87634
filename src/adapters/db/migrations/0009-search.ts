import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect-of.js';

/**
 * 0009: search. One row per searchable thing (a record of any type, an evidence item) in
 * `search_docs`, with what the filters need (compartment, date, status, language) and the facet
 * values of each document in `search_facets`. The text is indexed as our own lexemes, made by the
 * application the same way for both engines (src/modules/search/lexemes.ts):
 *
 * - `words`: one lexeme per word (folded, stemmed), in order, so phrases work; words of encrypted
 *   prose are indexed as keyed hashes (a blind index), never in clear;
 * - `keys`: the cross-script match key of each word (Okrestina ~ Акрэсціна ~ Окрестина);
 * - `content`: the text that is not encrypted, for snippets and for fuzzy (trigram) matching.
 *
 * SQLite: FTS5 tables `search_fts` (words, keys; unicode61) and `search_trgm` (content; trigram),
 * contentless, keyed by `search_docs.seq`. PostgreSQL: a weighted tsvector column (words A, keys C)
 * with a GIN index, and pg_trgm's GIN index on `content`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db);
  let t = db.schema.createTable('search_docs');
  t = postgres ? t.addColumn('seq', 'bigserial', (c) => c.primaryKey()) : t.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
  await t
    .addColumn('doc_id', 'text', (c) => c.notNull().unique())
    .addColumn('doc_type', 'text', (c) => c.notNull())
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('date', 'text')
    .addColumn('status', 'text')
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('keys', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('has_sealed_text', 'integer', (c) => c.notNull())
    .addColumn('indexed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_docs_compartment_idx').on('search_docs').columns(['compartment_id', 'doc_type', 'date']).execute();
  await db.schema.createIndex('search_docs_date_idx').on('search_docs').columns(['date', 'seq']).execute();
  await db.schema
    .createTable('search_facets')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_facets_pk', ['seq', 'field', 'value'])
    .execute();
  await db.schema.createIndex('search_facets_value_idx').on('search_facets').columns(['field', 'value', 'seq']).execute();
  await db.schema
    .createTable('search_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rebuilt_at', 'text')
    .execute();
  // version 0: nothing indexed yet; the server queues a rebuild when it finds an older version
  await db.insertInto('search_state').values({ id: 1, version: 0, rebuilt_at: null }).execute();

  if (postgres) {
    await sql`alter table search_docs add column tsv tsvector not null default ''::tsvector`.execute(db);
    await sql`create index search_docs_tsv_idx on search_docs using gin (tsv)`.execute(db);
    await sql`create extension if not exists pg_trgm`.execute(db);
    // qualified by the extension's schema: the search_path may name only the application's schema
    const ext = await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
    const trgm = ext.rows[0]!.schema;
    await sql`create index search_docs_trgm_idx on search_docs using gin (content ${sql.id(trgm)}.gin_trgm_ops)`.execute(db);
  } else {
    await sql`create virtual table search_fts using fts5(words, keys, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0")`.execute(db);
    await sql`create virtual table search_trgm using fts5(content, content='', contentless_delete=1, tokenize='trigram remove_diacritics 1')`.execute(db);
    // the hidden rank column: bm25 with words weighing ten times the cross-script keys
    await sql`insert into search_fts(search_fts, rank) values ('rank', 'bm25(10.0, 1.0)')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists search_fts`.execute(db);
  await sql`drop table if exists search_trgm`.execute(db);
  await db.schema.dropTable('search_state').execute();
  await db.schema.dropTable('search_facets').execute();
  await db.schema.dropTable('search_docs').execute();
}
