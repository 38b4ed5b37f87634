import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../domain/records/fields.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policies.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { RECORD_SCHEMAS } from './records.schemas.js';
import { parseBody } from './records.usecases.js';
import type { Db } from './records.repository.js';

/**
 * Saved views of the record lists: per account and record type, a name and the list's query
 * parameters (filters, order and the web's `cols`). Preferences, not custody: no history and no
 * audit; the query holds filter settings (codes, ids, dates), never a person's name searched for,
 * and it is never logged. Only the
 * owner reads or changes a view: another account's id is answered like one that does not exist.
 */

export const VIEWS_PER_TYPE = 100;
/** The query as JSON may not be longer than this (characters). */
export const VIEW_QUERY_MAX = 8000;
/** List parameters that page rather than choose: not part of a view. */
const PAGING = new Set(['limit', 'cursor']);

export interface SavedView {
  id: string;
  type: RecordTypeName;
  name: string;
  query: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export const viewName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'at most 100 characters')
  .describe('Name of the view, unique among your views of the type (1–100 characters)');
export const viewQuery = z
  .record(z.string().max(100), z.string().max(2000))
  .describe('The list’s query parameters: filters, `sort`, and `cols` (the columns shown, comma-separated field names)');
export const viewType = z.enum(RECORD_TYPE_NAMES, { error: () => `unknown record type; one of: ${RECORD_TYPE_NAMES.join(', ')}` });

export const createViewBody = z.object({ type: viewType, name: viewName, query: viewQuery }).strict();
export const changeViewBody = z.object({ name: viewName.optional(), query: viewQuery.optional() }).strict();

/**
 * The query of a view as the type's list accepts it: only its list parameters (no paging) and
 * `cols`, each value valid for the list; throws a ValidationError naming what is wrong.
 */
export function checkViewQuery(type: RecordTypeName, query: Record<string, string>): Record<string, string> {
  const def = RECORD_TYPES.get(type)!;
  const listQuery = RECORD_SCHEMAS.get(type)!.listQuery;
  const known = new Set(Object.keys(listQuery.shape).filter((k) => !PAGING.has(k)));
  const problems: { field: string; message: string }[] = [];
  if (JSON.stringify(query).length > VIEW_QUERY_MAX) problems.push({ field: 'query', message: `is too long (at most ${VIEW_QUERY_MAX} characters as JSON)` });
  // a person's name is kept only encrypted and found through the blind index: never in clear here
  if ('name' in query && type === 'persons') problems.push({ field: 'query.name', message: 'a name search is not kept in a saved view: names are stored only encrypted' });
  const unknown = Object.keys(query).filter((k) => k !== 'cols' && !known.has(k) && !(k === 'name' && type === 'persons'));
  if (unknown.length) problems.push({ field: 'query', message: `not a parameter of the ${type} list: ${unknown.join(', ')}` });
  if (query.cols !== undefined) {
    const bad = query.cols.split(',').filter((c) => c !== '' && !(c in def.fields));
    if (bad.length) problems.push({ field: 'query.cols', message: `not fields of ${type}: ${bad.join(', ')}` });
  }
  if (problems.length) throw new ValidationError(problems);
  const { cols: _cols, ...params } = query;
  const parsed = listQuery.safeParse(params);
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => ({ field: ['query', ...i.path].join('.'), message: i.message })),
    );
  return query;
}

const toView = (r: Record<string, any>): SavedView => ({
  id: r.id,
  type: r.record_type,
  name: r.name,
  query: JSON.parse(r.query),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The actor's views, of one type or of all, by name. */
export async function listViews(db: Db, actor: Actor, type?: string): Promise<SavedView[]> {
  let q = db.selectFrom('saved_views').selectAll().where('user_id', '=', actor.userId);
  if (type !== undefined) q = q.where('record_type', '=', parseBody(viewType, type));
  const rows = await q.execute();
  return rows.map(toView).sort((a, b) => (a.type === b.type ? 0 : a.type < b.type ? -1 : 1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Saves a new view; 409 when the actor already has one of that name for the type. */
export async function createView(db: Db, actor: Actor, input: unknown): Promise<SavedView> {
  const body = parseBody(createViewBody, input);
  const query = checkViewQuery(body.type, body.query);
  return inTransaction(db, async (trx) => {
    const mine = await trx.selectFrom('saved_views').select('name').where('user_id', '=', actor.userId).where('record_type', '=', body.type).execute();
    if (mine.some((r) => r.name === body.name)) throw new ConflictError(`you already have a view named "${body.name}" for ${body.type}: choose another name or change that one`);
    if (mine.length >= VIEWS_PER_TYPE) throw new ConflictError(`you have ${VIEWS_PER_TYPE} views for ${body.type}, the most kept: delete one first`);
    const now = new Date().toISOString();
    const row = { id: uuidv7(), user_id: actor.userId, record_type: body.type, name: body.name, query: JSON.stringify(query), created_at: now, updated_at: now };
    await trx.insertInto('saved_views').values(row).execute();
    return toView(row);
  });
}

async function ownView(db: Db, actor: Actor, id: string): Promise<Record<string, any>> {
  const row = await db.selectFrom('saved_views').selectAll().where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
  if (!row) throw new NotFoundError(`you have no saved view with id ${id}`);
  return row;
}

/** Renames a view or replaces its query. */
export async function changeView(db: Db, actor: Actor, id: string, input: unknown): Promise<SavedView> {
  const body = parseBody(changeViewBody, input);
  return inTransaction(db, async (trx) => {
    const row = await ownView(trx, actor, id);
    const type = row.record_type as RecordTypeName;
    const changes: Record<string, string> = { updated_at: new Date().toISOString() };
    if (body.query !== undefined) changes.query = JSON.stringify(checkViewQuery(type, body.query));
    if (body.name !== undefined && body.name !== row.name) {
      const taken = await trx.selectFrom('saved_views').select('id').where('user_id', '=', actor.userId).where('record_type', '=', type).where('name', '=', body.name).executeTakeFirst();
      if (taken) throw new ConflictError(`you already have a view named "${body.name}" for ${type}: choose another name`);
      changes.name = body.name;
    }
    await trx.updateTable('saved_views').set(changes).where('id', '=', id).execute();
    return toView({ ...row, ...changes });
  });
}

export async function deleteView(db: Db, actor: Actor, id: string): Promise<void> {
  await ownView(db, actor, id);
  await db.deleteFrom('saved_views').where('id', '=', id).where('user_id', '=', actor.userId).execute();
}
