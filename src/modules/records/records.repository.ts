import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { isPostgres } from '../../adapters/db/dialect-of.js';
import { RECORD_TYPES, referrersOf } from '../../domain/records/catalog.js';
import {
  columnName,
  fuzzyDateLowerBound,
  labelColumn,
  isSecretField,
  type FieldDef,
  type FuzzyDate,
  type RecordTypeDef,
  type RecordTypeName,
} from '../../domain/records/fields.js';
import type { Referrer } from '../../domain/errors.js';

/**
 * Dialect-neutral queries over the record tables and their side tables (record_terms for
 * repeatable vocabulary codes, record_links for repeatable references, record_versions for
 * history). All take a Kysely handle that may be a transaction.
 */

export type Db = Kysely<any>;
export type RecordData = Record<string, unknown>;

export interface RecordMeta {
  id: string;
  /** The compartment the record belongs to. */
  compartment: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

export type StoredRecord = RecordMeta & RecordData & { recordType: RecordTypeName };

const isList = (f: FieldDef) => f.kind === 'vocabList' || f.kind === 'refList';

/** Column values for the given fields of a record (list fields excluded). */
export function toColumns(def: RecordTypeDef, data: RecordData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    if (!(name in data) || isList(f) || isSecretField(f)) continue;
    const v = data[name];
    const c = columnName(name);
    switch (f.kind) {
      case 'ref':
        out[`${c}_id`] = v ?? null;
        break;
      case 'fuzzyDate': {
        const d = v as FuzzyDate | null | undefined;
        out[`${c}_value`] = d?.value ?? null;
        out[`${c}_precision`] = d?.precision ?? null;
        out[`${c}_from`] = d ? fuzzyDateLowerBound(d) : null;
        break;
      }
      case 'bool':
        out[c] = v === null || v === undefined ? null : v ? 1 : 0;
        break;
      default:
        out[c] = v ?? null;
    }
  }
  return out;
}

/** A record in API shape from its row and its list values. */
export function fromRow(
  def: RecordTypeDef,
  row: Record<string, any>,
  lists: Map<string, string[]> = new Map(),
): StoredRecord {
  const rec: Record<string, unknown> = {
    id: row.id,
    recordType: def.name,
    compartment: row.compartment_id,
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by ?? null,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by ?? null,
  };
  for (const [name, f] of Object.entries(def.fields)) {
    const c = columnName(name);
    if (isSecretField(f)) {
      rec[name] = null; // filled in (or listed as hidden) by the secrets layer
      continue;
    }
    switch (f.kind) {
      case 'vocabList':
      case 'refList':
        rec[name] = lists.get(name) ?? [];
        break;
      case 'ref':
        rec[name] = row[`${c}_id`] ?? null;
        break;
      case 'fuzzyDate':
        rec[name] = row[`${c}_precision`]
          ? { value: row[`${c}_value`] ?? null, precision: row[`${c}_precision`] }
          : null;
        break;
      case 'bool':
        rec[name] = row[c] === null || row[c] === undefined ? null : Boolean(Number(row[c]));
        break;
      case 'int':
      case 'number':
        rec[name] = row[c] === null || row[c] === undefined ? null : Number(row[c]);
        break;
      default:
        rec[name] = row[c] ?? null;
    }
  }
  return rec as StoredRecord;
}

export async function insertRow(db: Db, def: RecordTypeDef, meta: RecordMeta, data: RecordData): Promise<void> {
  await db
    .insertInto(def.table)
    .values({
      id: meta.id,
      compartment_id: meta.compartment,
      version: meta.version,
      created_at: meta.createdAt,
      created_by: meta.createdBy,
      updated_at: meta.updatedAt,
      updated_by: meta.updatedBy,
      ...toColumns(def, data),
    })
    .execute();
}

/** Updates a row only if it is still at `expectedVersion`; returns whether it was. */
export async function updateRow(
  db: Db,
  def: RecordTypeDef,
  id: string,
  expectedVersion: number,
  changes: RecordData,
  updatedAt: string,
  updatedBy: string | null,
  moveTo?: string,
): Promise<boolean> {
  const res = await db
    .updateTable(def.table)
    .set({
      ...toColumns(def, changes),
      ...(moveTo ? { compartment_id: moveTo } : {}),
      version: expectedVersion + 1,
      updated_at: updatedAt,
      updated_by: updatedBy,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Deletes a row only if it is still at `expectedVersion`; returns whether it was. */
export async function deleteRow(db: Db, def: RecordTypeDef, id: string, expectedVersion: number): Promise<boolean> {
  const res = await db
    .deleteFrom(def.table)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export async function findRow(db: Db, def: RecordTypeDef, id: string): Promise<Record<string, any> | undefined> {
  return db.selectFrom(def.table).selectAll().where('id', '=', id).executeTakeFirst();
}

/** The list fields (repeatable codes and references) of many records, by record id. */
export async function loadLists(db: Db, def: RecordTypeDef, ids: string[]): Promise<Map<string, Map<string, string[]>>> {
  const out = new Map<string, Map<string, string[]>>();
  if (ids.length === 0) return out;
  const fields = Object.entries(def.fields);
  const push = (id: string, field: string, v: string) => {
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    let a = m.get(field);
    if (!a) m.set(field, (a = []));
    a.push(v);
  };
  for (const chunk of chunks(ids, 500)) {
    if (fields.some(([, f]) => f.kind === 'vocabList')) {
      const rows = await db
        .selectFrom('record_terms')
        .select(['record_id', 'field', 'code'])
        .where('record_type', '=', def.name)
        .where('record_id', 'in', chunk)
        .orderBy('record_id')
        .orderBy('field')
        .orderBy('position')
        .execute();
      for (const r of rows) push(r.record_id, r.field, r.code);
    }
    if (fields.some(([, f]) => f.kind === 'refList')) {
      const rows = await db
        .selectFrom('record_links')
        .select(['from_id', 'field', 'to_id'])
        .where('from_type', '=', def.name)
        .where('from_id', 'in', chunk)
        .orderBy('from_id')
        .orderBy('field')
        .orderBy('position')
        .execute();
      for (const r of rows) push(r.from_id, r.field, r.to_id);
    }
  }
  return out;
}

/**
 * Replaces the values of one list field of a record. `fresh`: the record was just created and has
 * none yet, so there is nothing to delete (and no plan to go wrong without statistics).
 */
export async function replaceList(
  db: Db,
  def: RecordTypeDef,
  id: string,
  field: string,
  values: string[],
  fresh = false,
): Promise<void> {
  const f = def.fields[field]!;
  if (f.kind === 'vocabList') {
    if (!fresh)
      await db.deleteFrom('record_terms').where('record_type', '=', def.name).where('record_id', '=', id).where('field', '=', field).execute();
    if (values.length)
      await db
        .insertInto('record_terms')
        .values(values.map((code, position) => ({ record_type: def.name, record_id: id, field, code, position })))
        .execute();
  } else if (f.kind === 'refList') {
    if (!fresh)
      await db.deleteFrom('record_links').where('from_type', '=', def.name).where('from_id', '=', id).where('field', '=', field).execute();
    if (values.length)
      await db
        .insertInto('record_links')
        .values(
          values.map((to_id, position) => ({ from_type: def.name, from_id: id, field, to_type: f.target, to_id, position })),
        )
        .execute();
  }
}

/** Removes every list value a record holds (before the record itself is deleted). */
export async function deleteLists(db: Db, def: RecordTypeDef, id: string): Promise<void> {
  await db.deleteFrom('record_terms').where('record_type', '=', def.name).where('record_id', '=', id).execute();
  await db.deleteFrom('record_links').where('from_type', '=', def.name).where('from_id', '=', id).execute();
}

/** Which of `ids` have no record in `target` within the given compartments. */
export async function missingIds(db: Db, target: RecordTypeDef, ids: string[], compartments: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (compartments.length === 0) return unique;
  const found = new Set<string>();
  for (const chunk of chunks(unique, 500)) {
    const rows = await db
      .selectFrom(target.table)
      .select('id')
      .where('id', 'in', chunk)
      .where('compartment_id', 'in', compartments)
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return unique.filter((id) => !found.has(id));
}

/** Which of `codes` are not (non-deprecated) terms of `vocabulary`. */
export async function unknownCodes(db: Db, vocabulary: string, codes: string[]): Promise<string[]> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom('vocabulary_terms')
    .select('code')
    .where('vocabulary', '=', vocabulary)
    .where('deprecated', '=', 0)
    .where('code', 'in', unique)
    .execute();
  const found = new Set(rows.map((r) => r.code));
  return unique.filter((c) => !found.has(c));
}

/** Human labels of the records among `ids` that lie in the given compartments, by id. */
export async function labelsOf(db: Db, def: RecordTypeDef, ids: string[], compartments: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const unique = [...new Set(ids)];
  if (unique.length === 0 || compartments.length === 0) return out;
  const cols = labelColumns(def);
  for (const chunk of chunks(unique, 500)) {
    const rows = await db
      .selectFrom(def.table)
      .select(['id', ...cols])
      .where('id', 'in', chunk)
      .where('compartment_id', 'in', compartments)
      .execute();
    for (const r of rows) out.set(r.id, labelOf(def, r));
  }
  return out;
}

const labelColumns = (def: RecordTypeDef) => def.labelFields.map((f) => labelColumn(f, def.fields[f]!));

export function labelOf(def: RecordTypeDef, row: Record<string, any>): string | null {
  for (const c of labelColumns(def)) {
    const v = row[c];
    if (v !== null && v !== undefined && v !== '') return String(v);
  }
  return null;
}

export type LocatedReferrer = Referrer & { compartment: string };

/** Records that refer to `id` (through a reference column or a list), up to `limit` of them. */
export async function referrers(db: Db, target: RecordTypeName, id: string, limit: number): Promise<LocatedReferrer[]> {
  const out: LocatedReferrer[] = [];
  for (const { type, field, list } of referrersOf(target)) {
    if (out.length >= limit) break;
    const cols = labelColumns(type);
    let rows: Record<string, any>[];
    if (list) {
      rows = await db
        .selectFrom(`${type.table} as t`)
        .innerJoin('record_links as l', 'l.from_id', 't.id')
        .select(['t.id', 't.compartment_id', ...cols.map((c) => `t.${c}`)])
        .where('l.from_type', '=', type.name)
        .where('l.field', '=', field)
        .where('l.to_id', '=', id)
        .orderBy('t.id')
        .limit(limit - out.length)
        .execute();
    } else {
      rows = await db
        .selectFrom(type.table)
        .select(['id', 'compartment_id', ...cols])
        .where(`${columnName(field)}_id`, '=', id)
        .where('id', '!=', type.name === target ? id : '')
        .orderBy('id')
        .limit(limit - out.length)
        .execute();
    }
    for (const r of rows) out.push({ type: type.name, field, id: r.id, label: labelOf(type, r), compartment: r.compartment_id });
  }
  return out;
}

export interface ListFilter {
  /** Field name from the catalog. */
  field: string;
  /** For equality filters: any of these values. */
  anyOf?: (string | number)[];
  /** For date filters: inclusive bounds (YYYY-MM-DD). */
  from?: string;
  to?: string;
}

export interface ListOptions {
  /** Only records in these compartments (the caller's). */
  compartments: string[];
  /** Only records with these ids (e.g. persons found by name); none when empty. */
  ids?: string[];
  filters: ListFilter[];
  /** The column to order by (created_at, updated_at or a sortable field's), which may hold NULLs or text. */
  sort: ListSortSpec;
  after?: { key: SortKey; id: string };
  limit: number;
}

export interface ListSortSpec {
  column: string;
  desc: boolean;
  /** Text is compared by code point on both engines (COLLATE "C" on PostgreSQL, BINARY on SQLite). */
  text: boolean;
  /** The column may be NULL (a field's): such rows come last in either direction. */
  nullable: boolean;
}

export type SortKey = string | number | null;

/** One page of records, keyset-paginated over (sort column, id). */
export async function listRows(db: Db, def: RecordTypeDef, opts: ListOptions): Promise<Record<string, any>[]> {
  if (opts.compartments.length === 0 || (opts.ids && opts.ids.length === 0)) return [];
  let q = db.selectFrom(`${def.table} as t`).selectAll('t');
  q = opts.compartments.length === 1 ? q.where('t.compartment_id', '=', opts.compartments[0]!) : q.where('t.compartment_id', 'in', opts.compartments);
  if (opts.ids) q = q.where('t.id', 'in', opts.ids);
  for (const flt of opts.filters) {
    const f = def.fields[flt.field]!;
    const c = columnName(flt.field);
    if (f.kind === 'vocabList') {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('record_terms as rt')
            .select(sql`1`.as('one'))
            .whereRef('rt.record_id', '=', 't.id')
            .where('rt.record_type', '=', def.name)
            .where('rt.field', '=', flt.field)
            .where('rt.code', 'in', flt.anyOf as string[]),
        ),
      );
    } else if (f.kind === 'refList') {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('record_links as rl')
            .select(sql`1`.as('one'))
            .whereRef('rl.from_id', '=', 't.id')
            .where('rl.from_type', '=', def.name)
            .where('rl.field', '=', flt.field)
            .where('rl.to_id', 'in', flt.anyOf as string[]),
        ),
      );
    } else if (f.kind === 'fuzzyDate' || f.kind === 'date' || f.kind === 'datetime') {
      const col = f.kind === 'fuzzyDate' ? `t.${c}_from` : `t.${c}`;
      if (flt.from) q = q.where(col, '>=', flt.from);
      // an upper bound of a day includes the whole day, whatever time follows it
      if (flt.to) q = q.where(col, '<', nextDay(flt.to));
    } else {
      const col = f.kind === 'ref' ? `t.${c}_id` : `t.${c}`;
      const values = flt.anyOf ?? [];
      q = values.length === 1 ? q.where(col, '=', values[0]!) : q.where(col, 'in', values);
    }
  }
  const { column, desc, text, nullable } = opts.sort;
  // one rule on both engines: text by code point, records without a value last in either direction,
  // ties by id; the cursor is the last row's (value, id)
  const sc = text && isPostgres(db) ? sql.raw(`t.${column} collate "C"`) : sql.ref(`t.${column}`);
  const op = desc ? sql.raw('<') : sql.raw('>');
  if (opts.after) {
    const { key, id } = opts.after;
    const after: Expression<SqlBool> =
      key === null
        ? sql<SqlBool>`(${sc} is null and t.id ${op} ${id})`
        : nullable
          ? sql<SqlBool>`(${sc} ${op} ${key} or (${sc} = ${key} and t.id ${op} ${id}) or ${sc} is null)`
          : sql<SqlBool>`(${sc} ${op} ${key} or (${sc} = ${key} and t.id ${op} ${id}))`;
    q = q.where(after);
  }
  const dir = sql.raw(desc ? 'desc' : 'asc');
  return q
    // NOT NULL columns keep a plain order, which their (column, id) index serves in both directions
    .orderBy(nullable ? sql`${sc} ${dir} nulls last` : sql`${sc} ${dir}`)
    .orderBy('t.id', desc ? 'desc' : 'asc')
    .limit(opts.limit)
    .execute();
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export interface VersionRow {
  id: string;
  recordType: string;
  recordId: string;
  compartment: string;
  version: number;
  action: 'create' | 'update' | 'delete';
  actorId: string | null;
  at: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  snapshot: unknown;
}

export async function insertVersion(db: Db, v: VersionRow): Promise<void> {
  await db
    .insertInto('record_versions')
    .values({
      id: v.id,
      record_type: v.recordType,
      record_id: v.recordId,
      compartment_id: v.compartment,
      version: v.version,
      action: v.action,
      actor_id: v.actorId,
      at: v.at,
      changes: JSON.stringify(v.changes),
      snapshot: v.snapshot === undefined ? null : JSON.stringify(v.snapshot),
    })
    .execute();
}

export async function listVersions(
  db: Db,
  type: RecordTypeName,
  id: string,
): Promise<(Omit<VersionRow, 'snapshot' | 'recordType' | 'recordId'> & { username: string | null })[]> {
  const rows = await db
    .selectFrom('record_versions as v')
    .leftJoin('users as u', 'u.id', 'v.actor_id')
    .select(['v.id', 'v.version', 'v.action', 'v.actor_id', 'v.at', 'v.changes', 'v.compartment_id', 'u.username'])
    .where('v.record_type', '=', type)
    .where('v.record_id', '=', id)
    .orderBy('v.version')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    version: Number(r.version),
    compartment: r.compartment_id,
    action: r.action,
    actorId: r.actor_id,
    at: r.at,
    changes: JSON.parse(r.changes),
    username: r.username ?? null,
  }));
}

export function tableOf(type: RecordTypeName): RecordTypeDef {
  return RECORD_TYPES.get(type)!;
}

function* chunks<T>(a: T[], n: number): Generator<T[]> {
  for (let i = 0; i < a.length; i += n) yield a.slice(i, i + n);
}
