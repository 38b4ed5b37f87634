import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';

/**
 * 0004: compartments (an organisation's projects or cases). Every record belongs to one; a user
 * sees a compartment's records only as a member. Existing records move into a first compartment
 * named "default", whose members are the administrators that exist now (as coordinators).
 */

const RECORD_TABLES = [
  'places', 'units', 'persons', 'person_names', 'positions', 'events', 'facilities', 'acts', 'detentions',
  'custody_stays', 'proceedings', 'charges', 'sentences', 'involvements', 'information', 'consents',
  'testimonies', 'medical_findings', 'cases', 'qualifications', 'qualification_elements',
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('compartments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('compartment_id', 'text', (c) => c.notNull().references('compartments.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('memberships_pk', ['compartment_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();

  const now = new Date().toISOString();
  const defaultId = uuidv7();
  await db.insertInto('compartments').values({ id: defaultId, name: 'default', description: 'The first compartment', created_at: now, created_by: null }).execute();
  const admins = await db.selectFrom('users').select('id').where('role', '=', 'administrator').execute();
  if (admins.length)
    await db
      .insertInto('memberships')
      .values(admins.map((a) => ({ compartment_id: defaultId, user_id: a.id, role: 'coordinator', created_at: now, created_by: null })))
      .execute();

  // each version remembers the compartment its record was in, so history obeys compartments after deletion too
  await db.schema.alterTable('record_versions').addColumn('compartment_id', 'text').execute();
  await db.updateTable('record_versions').set({ compartment_id: defaultId }).execute();

  for (const table of RECORD_TABLES) {
    await db.schema.alterTable(table).addColumn('compartment_id', 'text', (c) => c.references('compartments.id')).execute();
    await db.updateTable(table).set({ compartment_id: defaultId }).execute();
    await db.schema.createIndex(`${table}_compartment_idx`).on(table).columns(['compartment_id', 'created_at', 'id']).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of RECORD_TABLES) {
    await db.schema.dropIndex(`${table}_compartment_idx`).execute();
    await db.schema.alterTable(table).dropColumn('compartment_id').execute();
  }
  await db.schema.alterTable('record_versions').dropColumn('compartment_id').execute();
  await db.schema.dropTable('memberships').execute();
  await db.schema.dropTable('compartments').execute();
}
