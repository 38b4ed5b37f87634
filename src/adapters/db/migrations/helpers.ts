import type { Kysely } from 'kysely';

/** A column of a record table as a migration declares it. Types are ones both engines understand. */
export interface RecordColumnSpec {
  name: string;
  type: 'text' | 'integer' | 'double precision';
  notNull?: boolean;
  /** Table this column's id refers to (ON DELETE RESTRICT); such columns are always indexed. */
  references?: string;
  index?: boolean;
}

export interface RecordTableSpec {
  table: string;
  columns: RecordColumnSpec[];
}

/**
 * Creates a record table: the common bookkeeping columns (id, version, who and when) and the
 * record's own columns, with foreign keys and indexes.
 */
export async function createRecordTable(db: Kysely<any>, spec: RecordTableSpec): Promise<void> {
  let t = db.schema
    .createTable(spec.table)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'));
  for (const col of spec.columns) {
    t = t.addColumn(col.name, col.type, (c) => {
      let b = c;
      if (col.notNull) b = b.notNull();
      if (col.references) b = b.references(`${col.references}.id`).onDelete('restrict');
      return b;
    });
  }
  await t.execute();
  await db.schema.createIndex(`${spec.table}_created_idx`).on(spec.table).columns(['created_at', 'id']).execute();
  // filtered listings sort by creation: (column, created_at, id) serves both the filter and the order,
  // and its prefix serves reference checks and the delete guard
  for (const col of spec.columns) {
    if (col.references || col.index) {
      await db.schema.createIndex(`${spec.table}_${col.name}_idx`).on(spec.table).columns([col.name, 'created_at', 'id']).execute();
    }
  }
}
