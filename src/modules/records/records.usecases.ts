import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { RECORD_TYPES, recordType } from '../../domain/records/catalog.js';
import type { RecordTypeDef, RecordTypeName } from '../../domain/records/fields.js';
import { can, recordPermissions, type Action, type Actor } from '../../domain/policies.js';
import {
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ReferencedError,
  ValidationError,
  type FieldProblem,
} from '../../domain/errors.js';
import { RECORD_SCHEMAS, SORTS } from './records.schemas.js';
import * as repo from './records.repository.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import type { Db, RecordData, StoredRecord } from './records.repository.js';

/**
 * The actions on records. Each: authorize → validate → one transaction that does the work and
 * writes the version into the history.
 */

export interface RecordsDeps {
  db: Db;
  /** Clock, replaceable in tests. */
  now?: () => Date;
}

function authorize(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw new ForbiddenError(`your role (${actor.role}) may not ${action.replace('record.', '')} records`);
}

/** Problems from a zod parse, as field paths and messages. */
export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => {
    const field = i.path.join('.') || (i.code === 'unrecognized_keys' ? (i as any).keys?.join(', ') : '(body)');
    let message = i.message;
    if (i.code === 'unrecognized_keys') message = `unknown field${(i as any).keys.length > 1 ? 's' : ''}: ${(i as any).keys.join(', ')}`;
    if (i.code === 'invalid_type' && /received undefined/.test(i.message)) message = 'is required';
    return { field, message };
  });
}

/** Checks rules, vocabulary codes and references of a complete record (as it would be stored). */
async function checkRecord(db: Db, def: RecordTypeDef, record: RecordData, touched: Set<string>): Promise<void> {
  const problems: FieldProblem[] = [];
  for (const rule of def.rules ?? []) problems.push(...rule(record));
  for (const [name, f] of Object.entries(def.fields)) {
    if (!touched.has(name)) continue;
    const v = record[name];
    if (v === null || v === undefined) continue;
    if (f.kind === 'vocab' || f.kind === 'vocabList') {
      const codes = f.kind === 'vocab' ? [v as string] : (v as string[]);
      const unknown = await repo.unknownCodes(db, f.vocabulary, codes);
      for (const code of unknown)
        problems.push({ field: name, message: `"${code}" is not a code of the "${f.vocabulary}" vocabulary` });
    } else if (f.kind === 'ref' || f.kind === 'refList') {
      const ids = f.kind === 'ref' ? [v as string] : (v as string[]);
      const target = recordType(f.target);
      const missing = await repo.missingIds(db, target, ids);
      for (const id of missing) problems.push({ field: name, message: `no ${target.singular} has id ${id}` });
    }
  }
  if (problems.length) throw new ValidationError(problems);
}

/** Compares two records field by field. */
function diff(def: RecordTypeDef, before: RecordData | null, after: RecordData | null) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const name of Object.keys(def.fields)) {
    const a = normalise(before?.[name]);
    const b = normalise(after?.[name]);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[name] = { from: a, to: b };
  }
  return changes;
}
const normalise = (v: unknown) => (v === undefined || (Array.isArray(v) && v.length === 0) ? null : v);

function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ValidationError(zodProblems(r.error));
  return r.data;
}

/** Loads a record with its list fields, or throws 404. */
async function loadRecord(db: Db, def: RecordTypeDef, id: string): Promise<StoredRecord> {
  const row = await repo.findRow(db, def, id);
  if (!row) throw new NotFoundError(`no ${def.singular} has id ${id}`);
  const lists = await repo.loadLists(db, def, [id]);
  return repo.fromRow(def, row, lists.get(id));
}

/** Appends one version of a record to its history, in the caller's transaction. */
function writeVersion(
  trx: Db,
  type: RecordTypeName,
  recordId: string,
  version: number,
  action: 'create' | 'update' | 'delete',
  actor: Actor,
  at: string,
  changes: Record<string, { from: unknown; to: unknown }>,
  snapshot?: unknown,
): Promise<void> {
  return repo.insertVersion(trx, { id: uuidv7(), recordType: type, recordId, version, action, actorId: actor.userId, at, changes, snapshot });
}

const clock = (deps: RecordsDeps) => (deps.now ?? (() => new Date()))().toISOString();

/**
 * Creates a record of any type.
 *
 * @example await createRecord(deps, actor, 'events', { title: 'Dispersal at Pushkinskaya', status: 'alleged' })
 */
export async function createRecord(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  input: unknown,
): Promise<StoredRecord> {
  authorize(actor, 'record.create');
  const def = recordType(type);
  const data = parseBody(RECORD_SCHEMAS.get(type)!.create, input) as RecordData;
  return inTransaction(deps.db, async (trx) => {
    await checkRecord(trx, def, data, new Set(Object.keys(data)));
    const at = clock(deps);
    const meta = { id: uuidv7(), version: 1, createdAt: at, createdBy: actor.userId, updatedAt: at, updatedBy: actor.userId };
    await repo.insertRow(trx, def, meta, data);
    for (const [name, f] of Object.entries(def.fields)) {
      if ((f.kind === 'vocabList' || f.kind === 'refList') && Array.isArray(data[name]))
        await repo.replaceList(trx, def, meta.id, name, data[name] as string[]);
    }
    const record = await loadRecord(trx, def, meta.id);
    await repo.insertVersion(trx, {
      id: uuidv7(),
      recordType: type,
      recordId: meta.id,
      version: 1,
      action: 'create',
      actorId: actor.userId,
      at,
      changes: diff(def, null, record),
      snapshot: undefined,
    });
    return record;
  });
}

/**
 * Updates some fields of a record, only if it is still at `expectedVersion` (else 412).
 */
export async function updateRecord(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  id: string,
  expectedVersion: number,
  input: unknown,
): Promise<StoredRecord> {
  authorize(actor, 'record.update');
  const def = recordType(type);
  const patch = parseBody(RECORD_SCHEMAS.get(type)!.update, input) as RecordData;
  return inTransaction(deps.db, async (trx) => {
    const current = await loadRecord(trx, def, id);
    if (current.version !== expectedVersion) throw stale(def, current.version, expectedVersion);
    const merged: RecordData = { ...current, ...patch };
    const changes = diff(def, current, merged);
    const touched = new Set(Object.keys(changes));
    await checkRecord(trx, def, merged, touched);
    if (touched.size === 0) return current;
    const at = clock(deps);
    const columnChanges: RecordData = {};
    for (const name of touched) columnChanges[name] = merged[name];
    const ok = await repo.updateRow(trx, def, id, expectedVersion, columnChanges, at, actor.userId);
    if (!ok) {
      const now = await repo.findRow(trx, def, id);
      if (!now) throw new NotFoundError(`no ${def.singular} has id ${id}`);
      throw stale(def, Number(now.version), expectedVersion);
    }
    for (const name of touched) {
      const f = def.fields[name]!;
      if (f.kind === 'vocabList' || f.kind === 'refList')
        await repo.replaceList(trx, def, id, name, (merged[name] as string[] | null) ?? []);
    }
    await writeVersion(trx, type, id, expectedVersion + 1, 'update', actor, at, changes);
    return loadRecord(trx, def, id);
  });
}

/**
 * Deletes a record, only if it is still at `expectedVersion` and nothing refers to it. Its last
 * state stays in the history.
 */
export async function deleteRecord(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  id: string,
  expectedVersion: number,
): Promise<void> {
  authorize(actor, 'record.delete');
  const def = recordType(type);
  await inTransaction(deps.db, async (trx) => {
    const current = await loadRecord(trx, def, id);
    if (current.version !== expectedVersion) throw stale(def, current.version, expectedVersion);
    const refs = await repo.referrers(trx, type, id, 100);
    if (refs.length) {
      const list = refs
        .slice(0, 5)
        .map((r) => `${r.type} ${r.id} (${r.field})`)
        .join(', ');
      throw new ReferencedError(
        `this ${def.singular} is referred to by ${refs.length}${refs.length >= 100 ? '+' : ''} record(s): ${list}${refs.length > 5 ? ', …' : ''}. Remove or change those references first.`,
        refs,
      );
    }
    await repo.deleteLists(trx, def, id);
    const ok = await repo.deleteRow(trx, def, id, expectedVersion);
    if (!ok) throw stale(def, current.version + 1, expectedVersion);
    const at = clock(deps);
    await repo.insertVersion(trx, {
      id: uuidv7(),
      recordType: type,
      recordId: id,
      version: expectedVersion + 1,
      action: 'delete',
      actorId: actor.userId,
      at,
      changes: diff(def, current, null),
      snapshot: current,
    });
  });
}

function stale(def: RecordTypeDef, current: number, expected: number) {
  return new PreconditionFailedError(
    `this ${def.singular} is at version ${current}, not ${expected}: someone changed it since you read it. Reload it and apply your change again.`,
    current,
  );
}

export type RecordWithLinks = StoredRecord & {
  links: {
    outgoing: { field: string; type: string; id: string; label: string | null }[];
    incoming: { field: string; type: string; id: string; label: string | null }[];
    incomingTruncated: boolean;
  };
  permissions: { update: boolean; delete: boolean };
};

const INCOMING_LIMIT = 200;

/** A record with the records it refers to and the records that refer to it, labelled. */
export async function getRecord(deps: RecordsDeps, actor: Actor, type: RecordTypeName, id: string): Promise<RecordWithLinks> {
  authorize(actor, 'record.read');
  const def = recordType(type);
  const record = await loadRecord(deps.db, def, id);
  const outgoing: RecordWithLinks['links']['outgoing'] = [];
  for (const [name, f] of Object.entries(def.fields)) {
    if (f.kind !== 'ref' && f.kind !== 'refList') continue;
    const v = record[name];
    const ids = f.kind === 'ref' ? (v ? [v as string] : []) : (v as string[]);
    if (!ids.length) continue;
    const labels = await repo.labelsOf(deps.db, recordType(f.target), ids);
    for (const to of ids) outgoing.push({ field: name, type: f.target, id: to, label: labels.get(to) ?? null });
  }
  const incoming = await repo.referrers(deps.db, type, id, INCOMING_LIMIT + 1);
  return {
    ...record,
    links: {
      outgoing,
      incoming: incoming.slice(0, INCOMING_LIMIT),
      incomingTruncated: incoming.length > INCOMING_LIMIT,
    },
    permissions: recordPermissions(actor),
  };
}

export interface ListPage {
  items: StoredRecord[];
  nextCursor: string | null;
}

/** One page of records matching the filters given as query parameters. */
export async function listRecords(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  query: Record<string, unknown>,
): Promise<ListPage> {
  authorize(actor, 'record.read');
  const def = recordType(type);
  const q = parseBody(RECORD_SCHEMAS.get(type)!.listQuery, query) as Record<string, any>;
  const filters = parseFilters(def, q);
  const sort = (q.sort ?? '-createdAt') as (typeof SORTS)[number];
  const column = sort.endsWith('updatedAt') ? 'updated_at' : 'created_at';
  const desc = sort.startsWith('-');
  let after: { key: string; id: string } | undefined;
  if (q.cursor) after = decodeCursor(q.cursor, sort);
  const limit = q.limit ?? 50;
  const rows = await repo.listRows(deps.db, def, { filters, sort: { column, desc }, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const lists = await repo.loadLists(
    deps.db,
    def,
    page.map((r) => r.id),
  );
  const items = page.map((r) => repo.fromRow(def, r, lists.get(r.id)));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(sort, last[column], last.id) : null,
  };
}

function parseFilters(def: RecordTypeDef, q: Record<string, any>): repo.ListFilter[] {
  const filters: repo.ListFilter[] = [];
  const problems: FieldProblem[] = [];
  const day = /^\d{4}-\d{2}-\d{2}$/;
  for (const [name, f] of Object.entries(def.fields)) {
    if (f.kind === 'fuzzyDate' || f.kind === 'date' || f.kind === 'datetime') {
      const from = q[`${name}From`];
      const to = q[`${name}To`];
      for (const [p, v] of [[`${name}From`, from], [`${name}To`, to]] as const)
        if (v !== undefined && !day.test(v)) problems.push({ field: p, message: 'must be a date YYYY-MM-DD' });
      if (from !== undefined || to !== undefined) filters.push({ field: name, from, to });
      continue;
    }
    const raw = q[name];
    if (raw === undefined) continue;
    const values = String(raw)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!values.length) continue;
    if (f.kind === 'bool') {
      if (values.length !== 1 || !['true', 'false'].includes(values[0]!)) {
        problems.push({ field: name, message: 'must be true or false' });
        continue;
      }
      filters.push({ field: name, anyOf: [values[0] === 'true' ? 1 : 0] });
      continue;
    }
    if (f.kind === 'enum') {
      const bad = values.filter((v) => !f.values.includes(v));
      if (bad.length) problems.push({ field: name, message: `unknown value(s) ${bad.join(', ')}; one of ${f.values.join(', ')}` });
    }
    if ((f.kind === 'ref' || f.kind === 'refList') && values.some((v) => v.length > 64))
      problems.push({ field: name, message: 'must be record ids' });
    if (values.length > 100) problems.push({ field: name, message: 'at most 100 values' });
    filters.push({ field: name, anyOf: values });
  }
  if (problems.length) throw new ValidationError(problems, 'invalid filter');
  return filters;
}

function encodeCursor(sort: string, key: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: string): { key: string; id: string } {
  try {
    const [s, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (s === sort && typeof key === 'string' && typeof id === 'string') return { key, id };
  } catch {
    // fall through
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor from this listing (or the sort changed)' }]);
}

export interface HistoryEntry {
  version: number;
  action: 'create' | 'update' | 'delete';
  at: string;
  actor: { id: string; username: string } | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** Every version of a record, oldest first; also for deleted records. */
export async function recordHistory(deps: RecordsDeps, actor: Actor, type: RecordTypeName, id: string): Promise<HistoryEntry[]> {
  authorize(actor, 'record.read');
  recordType(type);
  const versions = await repo.listVersions(deps.db, type, id);
  if (versions.length === 0) throw new NotFoundError(`no ${recordType(type).singular} has id ${id}`);
  return versions.map((v) => ({
    version: v.version,
    action: v.action,
    at: v.at,
    actor: v.actorId ? { id: v.actorId, username: v.username ?? '(deleted user)' } : null,
    changes: v.changes,
  }));
}

/** All record type names, for CLI completion and the UI. */
export function recordTypeNames(): RecordTypeName[] {
  return [...RECORD_TYPES.keys()];
}
