import type { Kysely } from 'kysely';
import { createRecordTable, type RecordTableSpec } from './helpers.js';

/**
 * 0001: the core records store. The record tables below are a frozen copy of the record catalog as
 * it stood when this migration was written; later changes to the catalog come as new migrations.
 * Sensitive fields (person-name spellings, notes on persons, transcripts, medical descriptions) have
 * no column: they are stored encrypted in record_secrets (0005).
 */

const RECORD_TABLES: RecordTableSpec[] = [
  {
    table: 'places',
    columns: [
      { name: 'name_be', type: 'text' },
      { name: 'name_ru', type: 'text' },
      { name: 'name_en', type: 'text' },
      { name: 'kind', type: 'text', index: true },
      { name: 'parent_id', type: 'text', references: 'places' },
      { name: 'latitude', type: 'double precision' },
      { name: 'longitude', type: 'double precision' },
    ],
  },
  {
    table: 'units',
    columns: [
      { name: 'name_be', type: 'text' },
      { name: 'name_ru', type: 'text' },
      { name: 'name_en', type: 'text' },
      { name: 'kind', type: 'text', index: true },
      { name: 'parent_id', type: 'text', references: 'units' },
      { name: 'notes', type: 'text' },
    ],
  },
  {
    table: 'persons',
    columns: [
      { name: 'pseudonym', type: 'text', notNull: true },
      { name: 'sex', type: 'text', index: true },
      { name: 'is_group', type: 'integer' },
      { name: 'group_size', type: 'integer' },
      { name: 'deceased', type: 'integer' },
    ],
  },
  {
    table: 'person_names',
    columns: [
      { name: 'person_id', type: 'text', references: 'persons', notNull: true },
      { name: 'script', type: 'text', index: true, notNull: true },
      { name: 'language', type: 'text', index: true },
      { name: 'system', type: 'text', index: true },
      { name: 'preferred', type: 'integer' },
      { name: 'source', type: 'text' },
    ],
  },
  {
    table: 'positions',
    columns: [
      { name: 'person_id', type: 'text', references: 'persons', notNull: true },
      { name: 'unit_id', type: 'text', references: 'units', notNull: true },
      { name: 'title', type: 'text' },
      { name: 'rank', type: 'text' },
      { name: 'from_value', type: 'text' },
      { name: 'from_precision', type: 'text' },
      { name: 'from_from', type: 'text', index: true },
      { name: 'to_value', type: 'text' },
      { name: 'to_precision', type: 'text' },
      { name: 'to_from', type: 'text', index: true },
      { name: 'source', type: 'text' },
    ],
  },
  {
    table: 'events',
    columns: [
      { name: 'title', type: 'text', notNull: true },
      { name: 'description', type: 'text' },
      { name: 'start_value', type: 'text' },
      { name: 'start_precision', type: 'text' },
      { name: 'start_from', type: 'text', index: true },
      { name: 'end_value', type: 'text' },
      { name: 'end_precision', type: 'text' },
      { name: 'end_from', type: 'text', index: true },
      { name: 'place_id', type: 'text', references: 'places' },
      { name: 'status', type: 'text', index: true, notNull: true },
    ],
  },
  {
    table: 'facilities',
    columns: [
      { name: 'name_be', type: 'text' },
      { name: 'name_ru', type: 'text' },
      { name: 'name_en', type: 'text' },
      { name: 'place_id', type: 'text', references: 'places' },
      { name: 'kind', type: 'text', index: true, notNull: true },
      { name: 'operator_id', type: 'text', references: 'units' },
      { name: 'capacity', type: 'integer' },
    ],
  },
  {
    table: 'acts',
    columns: [
      { name: 'event_id', type: 'text', references: 'events', notNull: true },
      { name: 'victim_id', type: 'text', references: 'persons', notNull: true },
      { name: 'type', type: 'text', index: true, notNull: true },
      { name: 'start_value', type: 'text' },
      { name: 'start_precision', type: 'text' },
      { name: 'start_from', type: 'text', index: true },
      { name: 'end_value', type: 'text' },
      { name: 'end_precision', type: 'text' },
      { name: 'end_from', type: 'text', index: true },
      { name: 'place_id', type: 'text', references: 'places' },
      { name: 'stated_reason', type: 'text' },
      { name: 'consequences', type: 'text' },
      { name: 'victim_status', type: 'text', index: true },
    ],
  },
  {
    table: 'detentions',
    columns: [
      { name: 'act_id', type: 'text', references: 'acts', notNull: true },
      { name: 'detained_at_value', type: 'text' },
      { name: 'detained_at_precision', type: 'text' },
      { name: 'detained_at_from', type: 'text', index: true },
      { name: 'place_id', type: 'text', references: 'places' },
      { name: 'released_at_value', type: 'text' },
      { name: 'released_at_precision', type: 'text' },
      { name: 'released_at_from', type: 'text', index: true },
      { name: 'release_reason', type: 'text', index: true },
      { name: 'legal_counsel', type: 'text', index: true },
    ],
  },
  {
    table: 'custody_stays',
    columns: [
      { name: 'detention_id', type: 'text', references: 'detentions', notNull: true },
      { name: 'facility_id', type: 'text', references: 'facilities', notNull: true },
      { name: 'from_value', type: 'text' },
      { name: 'from_precision', type: 'text' },
      { name: 'from_from', type: 'text', index: true },
      { name: 'to_value', type: 'text' },
      { name: 'to_precision', type: 'text' },
      { name: 'to_from', type: 'text', index: true },
      { name: 'cell', type: 'text' },
      { name: 'occupants', type: 'integer' },
      { name: 'cell_capacity', type: 'integer' },
      { name: 'notes', type: 'text' },
    ],
  },
  {
    table: 'proceedings',
    columns: [
      { name: 'defendant_id', type: 'text', references: 'persons', notNull: true },
      { name: 'kind', type: 'text', index: true, notNull: true },
      { name: 'case_number', type: 'text' },
      { name: 'court_id', type: 'text', references: 'units' },
      { name: 'judge_id', type: 'text', references: 'persons' },
      { name: 'hearing_place_id', type: 'text', references: 'places' },
      { name: 'date_value', type: 'text' },
      { name: 'date_precision', type: 'text' },
      { name: 'date_from', type: 'text', index: true },
      { name: 'in_absentia', type: 'integer' },
      { name: 'outcome', type: 'text', index: true },
      { name: 'follows_id', type: 'text', references: 'proceedings' },
      { name: 'detention_id', type: 'text', references: 'detentions' },
    ],
  },
  {
    table: 'charges',
    columns: [
      { name: 'proceeding_id', type: 'text', references: 'proceedings', notNull: true },
      { name: 'code', type: 'text', index: true, notNull: true },
      { name: 'article', type: 'text', notNull: true },
      { name: 'part', type: 'text' },
      { name: 'description', type: 'text' },
    ],
  },
  {
    table: 'sentences',
    columns: [
      { name: 'proceeding_id', type: 'text', references: 'proceedings', notNull: true },
      { name: 'kind', type: 'text', index: true, notNull: true },
      { name: 'days', type: 'integer' },
      { name: 'fine_base_units', type: 'double precision' },
      { name: 'fine_amount', type: 'double precision' },
      { name: 'fine_currency', type: 'text' },
      { name: 'base_unit_date', type: 'text' },
      { name: 'regime', type: 'text', index: true },
      { name: 'suspended', type: 'integer' },
    ],
  },
  {
    table: 'involvements',
    columns: [
      { name: 'act_id', type: 'text', references: 'acts', notNull: true },
      { name: 'person_id', type: 'text', references: 'persons' },
      { name: 'unit_id', type: 'text', references: 'units' },
      { name: 'degree', type: 'text', index: true, notNull: true },
      { name: 'basis', type: 'text', index: true },
      { name: 'basis_note', type: 'text' },
      { name: 'confidence', type: 'text', index: true },
    ],
  },
  {
    table: 'information',
    columns: [
      { name: 'source_person_id', type: 'text', references: 'persons' },
      { name: 'source_name', type: 'text' },
      { name: 'source_kind', type: 'text', index: true, notNull: true },
      { name: 'event_id', type: 'text', references: 'events' },
      { name: 'act_id', type: 'text', references: 'acts' },
      { name: 'person_id', type: 'text', references: 'persons' },
      { name: 'connection', type: 'text', index: true },
      { name: 'date_value', type: 'text' },
      { name: 'date_precision', type: 'text' },
      { name: 'date_from', type: 'text', index: true },
      { name: 'reliability', type: 'text', index: true },
      { name: 'credibility', type: 'text', index: true },
      { name: 'summary', type: 'text' },
    ],
  },
  {
    table: 'consents',
    columns: [
      { name: 'person_id', type: 'text', references: 'persons', notNull: true },
      { name: 'recipient', type: 'text' },
      { name: 'obtained_at', type: 'text', notNull: true },
      { name: 'obtained_by', type: 'text' },
      { name: 'method', type: 'text', index: true },
      { name: 'withdrawn_at', type: 'text' },
      { name: 'notes', type: 'text' },
    ],
  },
  {
    table: 'testimonies',
    columns: [
      { name: 'title', type: 'text' },
      { name: 'interviewee_id', type: 'text', references: 'persons', notNull: true },
      { name: 'interviewer', type: 'text' },
      { name: 'date_value', type: 'text' },
      { name: 'date_precision', type: 'text' },
      { name: 'date_from', type: 'text', index: true },
      { name: 'mode', type: 'text', index: true },
      { name: 'language', type: 'text', index: true },
      { name: 'consent_id', type: 'text', references: 'consents' },
      { name: 'event_id', type: 'text', references: 'events' },
    ],
  },
  {
    table: 'medical_findings',
    columns: [
      { name: 'person_id', type: 'text', references: 'persons', notNull: true },
      { name: 'act_id', type: 'text', references: 'acts' },
      { name: 'examiner', type: 'text' },
      { name: 'date_value', type: 'text' },
      { name: 'date_precision', type: 'text' },
      { name: 'date_from', type: 'text', index: true },
      { name: 'body_region', type: 'text', index: true },
      { name: 'kind', type: 'text', index: true, notNull: true },
      { name: 'size', type: 'text' },
      { name: 'alleged_cause', type: 'text', index: true },
      { name: 'consistency', type: 'text', index: true },
    ],
  },
  {
    table: 'cases',
    columns: [
      { name: 'title', type: 'text', notNull: true },
      { name: 'scope', type: 'text' },
      { name: 'status', type: 'text', index: true, notNull: true },
    ],
  },
  {
    table: 'qualifications',
    columns: [
      { name: 'case_id', type: 'text', references: 'cases' },
      { name: 'act_id', type: 'text', references: 'acts' },
      { name: 'event_id', type: 'text', references: 'events' },
      { name: 'framework', type: 'text', index: true, notNull: true },
      { name: 'crime', type: 'text', index: true, notNull: true },
      { name: 'liability', type: 'text', index: true },
      { name: 'person_id', type: 'text', references: 'persons' },
      { name: 'unit_id', type: 'text', references: 'units' },
      { name: 'reasoning', type: 'text' },
    ],
  },
  {
    table: 'qualification_elements',
    columns: [
      { name: 'qualification_id', type: 'text', references: 'qualifications', notNull: true },
      { name: 'element', type: 'text', index: true, notNull: true },
      { name: 'assessment', type: 'text', index: true },
      { name: 'note', type: 'text' },
    ],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user_id_idx').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('vocabularies')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('label_be', 'text', (c) => c.notNull())
    .addColumn('label_ru', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('vocabulary_terms')
    .addColumn('vocabulary', 'text', (c) => c.notNull().references('vocabularies.name'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('label_be', 'text', (c) => c.notNull())
    .addColumn('label_ru', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('deprecated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vocabulary_terms_pk', ['vocabulary', 'code'])
    .execute();

  await db.schema
    .createTable('record_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text')
    .execute();
  await db.schema
    .createIndex('record_versions_record_idx')
    .on('record_versions')
    .columns(['record_type', 'record_id', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('record_terms')
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_terms_pk', ['record_type', 'record_id', 'field', 'code'])
    .execute();
  await db.schema
    .createIndex('record_terms_code_idx')
    .on('record_terms')
    .columns(['record_type', 'field', 'code'])
    .execute();

  await db.schema
    .createTable('record_links')
    .addColumn('from_type', 'text', (c) => c.notNull())
    .addColumn('from_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('to_type', 'text', (c) => c.notNull())
    .addColumn('to_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_links_pk', ['from_type', 'from_id', 'field', 'to_id'])
    .execute();
  await db.schema.createIndex('record_links_to_idx').on('record_links').columns(['to_type', 'to_id']).execute();

  for (const spec of RECORD_TABLES) await createRecordTable(db, spec);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const spec of [...RECORD_TABLES].reverse()) await db.schema.dropTable(spec.table).execute();
  for (const t of ['record_links', 'record_terms', 'record_versions', 'vocabulary_terms', 'vocabularies', 'sessions', 'api_tokens', 'users'])
    await db.schema.dropTable(t).execute();
}
