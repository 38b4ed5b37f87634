import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { RECORD_TYPES, recordType } from '../../domain/records/catalog.js';
import type { RecordTypeDef, RecordTypeName } from '../../domain/records/fields.js';
import {
  can,
  canAnywhere,
  compartmentsWhere,
  recordPermissions,
  type Actor,
  type RecordAction,
  type RecordPermissions,
  type Subject,
} from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import {
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ReferencedError,
  ValidationError,
  type FieldProblem,
} from '../../domain/errors.js';
import { RECORD_SCHEMAS, sortsOf } from './records.schemas.js';
import * as repo from './records.repository.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { attachSecrets, auditingIntegrity, deleteSecrets, maskSecrets, nameQueryHashes, personsWithAllHashes, PROTECTED, secretFields, writeSecrets, type SecretsDeps } from './secrets.js';
import { repointNameIndex } from './secrets.repository.js';
import { columnName, isSecretField, isSortable, sortColumn } from '../../domain/records/fields.js';
import type { Db, RecordData, StoredRecord } from './records.repository.js';
import { indexRecord, unindexRecord } from '../search/indexer.js';
import { deprecatedAmong } from '../vocabularies/vocabularies.repository.js';
import { deleteRecordTranslations } from '../translations/translations.usecases.js';

/**
 * The actions on records. Each: authorize → validate → one transaction that does the work and
 * writes the version into the history.
 */

export interface RecordsDeps extends SecretsDeps {
  db: Db;
  /** Clock, replaceable in tests. */
  now?: () => Date;
}

const VERB: Record<RecordAction, string> = {
  'record.read': 'read',
  'record.create': 'create',
  'record.update': 'change',
  'record.delete': 'delete',
  'identity.reveal': 'reveal identities of',
  'membership.manage': 'manage members of',
  'evidence.read': 'see evidence of',
  'evidence.ingest': 'add evidence to',
  'evidence.download': 'download evidence of',
  'evidence.metadata': 'see evidence metadata of',
  'evidence.link': 'link evidence to',
  'evidence.redact': 'redact evidence of',
  'case.export': 'export cases of',
  'translation.write': 'translate',
  'translation.review': 'review translations of',
  'story.edit': 'prepare stories for publication from',
  'story.approve': 'approve stories for publication from',
};

/** Refuses early when the actor may not do `action` in any compartment. */
function authorizeAnywhere(subject: Subject, action: RecordAction): void {
  if (!canAnywhere(subject, action))
    throw new ForbiddenError(
      subject.memberships.size === 0
        ? 'you belong to no compartment yet: ask an administrator or a coordinator to add you to one'
        : `your role in your compartments does not let you ${VERB[action]} records`,
    );
}

/** Refuses when the actor may not do `action` on a record it can see. */
function authorize(subject: Subject, action: RecordAction, compartmentId: string, def: RecordTypeDef): void {
  if (!can(subject, action, { compartmentId }))
    throw new ForbiddenError(`your role in this ${def.singular}'s compartment does not let you ${VERB[action]} it`);
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

/**
 * Checks rules, vocabulary codes and references of a complete record (as it would be stored).
 * A reference must point at a record the actor can read: one outside its compartments is reported
 * exactly like one that does not exist.
 */
async function checkRecord(db: Db, subject: Subject, def: RecordTypeDef, record: RecordData, touched: Set<string>, previous: RecordData | null = null): Promise<void> {
  const problems: FieldProblem[] = [];
  for (const rule of def.rules ?? []) problems.push(...rule(record));
  for (const [name, f] of Object.entries(def.fields)) {
    if (!touched.has(name)) continue;
    const v = record[name];
    if (v === null || v === undefined) continue;
    if (f.kind === 'vocab' || f.kind === 'vocabList') {
      const codes = f.kind === 'vocab' ? [v as string] : (v as string[]);
      // a deprecated term the record already has stays valid (docs/VOCABULARIES.md); new use of one is refused
      const kept = new Set<unknown>(previous ? [previous[name]].flat() : []);
      const unknown = (await repo.unknownCodes(db, f.vocabulary, codes)).filter((code) => !kept.has(code));
      const deprecated = new Set(await deprecatedAmong(db, f.vocabulary, unknown));
      for (const code of unknown)
        problems.push({
          field: name,
          message: deprecated.has(code)
            ? `"${code}" is deprecated in the "${f.vocabulary}" vocabulary: records that have it keep it, but choose a current term for a new value`
            : `"${code}" is not a code of the "${f.vocabulary}" vocabulary`,
        });
    } else if (f.kind === 'ref' || f.kind === 'refList') {
      const ids = f.kind === 'ref' ? [v as string] : (v as string[]);
      const target = recordType(f.target);
      const missing = await repo.missingIds(db, target, ids, compartmentsWhere(subject, 'record.read'));
      for (const id of missing) problems.push({ field: name, message: `no ${target.singular} has id ${id}` });
    }
  }
  if (problems.length) throw new ValidationError(problems);
}

/**
 * Compares two records field by field. Sensitive values never enter the history: a change to one
 * is recorded as "[protected]" (or null when absent). `touchedSecrets` names the sensitive fields
 * a write set, which count as changed even when the value cannot be compared (identities).
 */
function diff(def: RecordTypeDef, before: RecordData | null, after: RecordData | null, touchedSecrets: string[] = []) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const present = (r: RecordData | null, name: string) =>
    r !== null && ((r[name] !== null && r[name] !== undefined) || (Array.isArray(r.hidden) && (r.hidden as string[]).includes(name)));
  for (const [name, f] of Object.entries(def.fields)) {
    if (isSecretField(f)) {
      const had = present(before, name);
      const has = touchedSecrets.includes(name) ? after?.[name] !== null && after?.[name] !== undefined : present(after, name);
      const differs = touchedSecrets.includes(name) ? f.sensitive === 'identity' || JSON.stringify(before?.[name] ?? null) !== JSON.stringify(after?.[name] ?? null) : had !== has;
      if (differs && (had || has)) changes[name] = { from: had ? PROTECTED : null, to: has ? PROTECTED : null };
      continue;
    }
    const a = normalise(before?.[name]);
    const b = normalise(after?.[name]);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[name] = { from: a, to: b };
  }
  return changes;
}
const normalise = (v: unknown) => (v === undefined || (Array.isArray(v) && v.length === 0) ? null : v);

export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ValidationError(zodProblems(r.error));
  return r.data;
}

/**
 * Loads a record the actor can read, with its list fields and its prose secrets decrypted (identity
 * values stay hidden); 404 when absent or out of sight.
 */
async function loadRecord(db: Db, deps: SecretsDeps, subject: Subject, def: RecordTypeDef, id: string): Promise<StoredRecord> {
  const row = await repo.findRow(db, def, id);
  if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) throw new NotFoundError(`no ${def.singular} has id ${id}`);
  const lists = await repo.loadLists(db, def, [id]);
  const [withSecrets] = await attachSecrets(db, deps, def, [repo.fromRow(def, row, lists.get(id))]);
  return withSecrets!;
}

/** Appends one version of a record to its history, in the caller's transaction. */
function writeVersion(
  trx: Db,
  type: RecordTypeName,
  recordId: string,
  compartment: string,
  version: number,
  action: 'create' | 'update' | 'delete',
  actor: Actor,
  at: string,
  changes: Record<string, { from: unknown; to: unknown }>,
  snapshot?: unknown,
): Promise<void> {
  return repo.insertVersion(trx, { id: uuidv7(), recordType: type, recordId, compartment, version, action, actorId: actor.userId, at, changes, snapshot });
}

const clock = (deps: RecordsDeps) => (deps.now ?? (() => new Date()))().toISOString();

/** The compartment a new record goes into: the one named, or the actor's only one. */
function targetCompartment(subject: Subject, requested: unknown, def: RecordTypeDef): string {
  const writable = compartmentsWhere(subject, 'record.create');
  if (typeof requested === 'string') {
    if (can(subject, 'record.create', { compartmentId: requested })) return requested;
    if (can(subject, 'record.read', { compartmentId: requested }))
      throw new ForbiddenError(`your role in that compartment does not let you create records`);
    throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${requested}` }]);
  }
  if (writable.length === 1) return writable[0]!;
  throw new ValidationError([
    { field: 'compartment', message: `you may create records in ${writable.length} compartments: name the one this ${def.singular} belongs to` },
  ]);
}

/** Splits a body into the record's fields and the compartment it names. */
function withoutCompartment(data: RecordData): { fields: RecordData; compartment: unknown } {
  const { compartment, ...fields } = data;
  return { fields, compartment };
}

/** A new record's body parsed, and the compartment it goes into, as `createRecord` decides them. */
function newRecordOf(subject: Subject, type: RecordTypeName, input: unknown): { def: RecordTypeDef; data: RecordData; compartment: string } {
  authorizeAnywhere(subject, 'record.create');
  const def = recordType(type);
  const { fields: data, compartment: requested } = withoutCompartment(parseBody(RECORD_SCHEMAS.get(type)!.create, input) as RecordData);
  return { def, data, compartment: targetCompartment(subject, requested, def) };
}

/**
 * Checks a new record exactly as `createRecord` would (permission, body, rules, vocabulary codes,
 * references the actor can read) and writes nothing; throws what `createRecord` would throw. The
 * dry run of list imports uses it.
 *
 * @example await checkNewRecord(deps, actor, 'sentences', { proceeding: id, kind: 'arrest', days: 15 })
 */
export async function checkNewRecord(deps: RecordsDeps, actor: Actor, type: RecordTypeName, input: unknown): Promise<{ compartment: string; data: RecordData }> {
  const subject = await subjectOf(deps.db, actor);
  const { def, data, compartment } = newRecordOf(subject, type, input);
  await checkRecord(deps.db, subject, def, data, new Set(Object.keys(data)));
  return { compartment, data };
}

/**
 * Creates a record of any type, in a compartment where the actor may create records.
 *
 * @example await createRecord(deps, actor, 'events', { title: 'Dispersal at Pushkinskaya', status: 'alleged' })
 */
export async function createRecord(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  input: unknown,
): Promise<StoredRecord> {
  const subject = await subjectOf(deps.db, actor);
  const { def, data, compartment } = newRecordOf(subject, type, input);
  return inTransaction(deps.db, async (trx) => {
    await checkRecord(trx, subject, def, data, new Set(Object.keys(data)));
    const at = clock(deps);
    const meta = { id: uuidv7(), compartment, version: 1, createdAt: at, createdBy: actor.userId, updatedAt: at, updatedBy: actor.userId };
    await repo.insertRow(trx, def, meta, data);
    for (const [name, f] of Object.entries(def.fields)) {
      if ((f.kind === 'vocabList' || f.kind === 'refList') && Array.isArray(data[name]))
        await repo.replaceList(trx, def, meta.id, name, data[name] as string[], true);
    }
    await writeSecrets(trx, deps, def, meta.id, data, { fresh: true });
    const record = await loadRecord(trx, deps, subject, def, meta.id);
    const secretsSet = secretFields(def).map(([n]) => n).filter((n) => n in data);
    await writeVersion(trx, type, meta.id, compartment, 1, 'create', actor, at, diff(def, null, { ...record, ...pick(data, secretsSet) }, secretsSet));
    await indexRecord(trx, deps.vault, def, record);
    return record;
  });
}

/**
 * Updates some fields of a record, only if it is still at `expectedVersion` (else 412). Naming
 * another `compartment` moves the record there (the actor must be able to create records there).
 */
export async function updateRecord(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  id: string,
  expectedVersion: number,
  input: unknown,
): Promise<StoredRecord> {
  return auditingIntegrity(deps.db, deps, actor.userId, () => updateRecordUnaudited(deps, actor, type, id, expectedVersion, input));
}

async function updateRecordUnaudited(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  id: string,
  expectedVersion: number,
  input: unknown,
): Promise<StoredRecord> {
  const subject = await subjectOf(deps.db, actor);
  const def = recordType(type);
  const { fields: patch, compartment: requested } = withoutCompartment(parseBody(RECORD_SCHEMAS.get(type)!.update, input) as RecordData);
  return inTransaction(deps.db, async (trx) => {
    const current = await loadRecord(trx, deps, subject, def, id);
    authorize(subject, 'record.update', current.compartment, def);
    if (current.version !== expectedVersion) throw stale(def, current.version, expectedVersion);
    const moveTo = typeof requested === 'string' && requested !== current.compartment ? targetCompartment(subject, requested, def) : undefined;
    const merged: RecordData = { ...current, ...patch };
    const secretsSet = secretFields(def).map(([n]) => n).filter((n) => n in patch);
    const changes = diff(def, current, merged, secretsSet);
    if (moveTo) changes.compartment = { from: current.compartment, to: moveTo };
    const touched = new Set(Object.keys(changes).filter((k) => k !== 'compartment'));
    await checkRecord(trx, subject, def, merged, touched, current);
    if (touched.size === 0 && !moveTo) return current;
    const at = clock(deps);
    const columnChanges: RecordData = {};
    for (const name of touched) if (!secretsSet.includes(name)) columnChanges[name] = merged[name];
    const ok = await repo.updateRow(trx, def, id, expectedVersion, columnChanges, at, actor.userId, moveTo);
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
    await writeSecrets(trx, deps, def, id, { ...pick(patch, secretsSet), ...(def.fields.person ? { person: merged.person } : {}) });
    if (def.name === 'person-names' && changes.person) await repointNameIndex(trx, def.name, id, merged.person as string);
    await writeVersion(trx, type, id, moveTo ?? current.compartment, expectedVersion + 1, 'update', actor, at, changes);
    const updated = await loadRecord(trx, deps, subject, def, id);
    await indexRecord(trx, deps.vault, def, updated);
    return updated;
  });
}

/**
 * Deletes a record, only if it is still at `expectedVersion` and nothing refers to it. Its last
 * state stays in the history. Referrers the actor cannot see are counted, never described.
 */
export async function deleteRecord(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  id: string,
  expectedVersion: number,
): Promise<void> {
  return auditingIntegrity(deps.db, deps, actor.userId, () => deleteRecordUnaudited(deps, actor, type, id, expectedVersion));
}

async function deleteRecordUnaudited(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  id: string,
  expectedVersion: number,
): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  const def = recordType(type);
  await inTransaction(deps.db, async (trx) => {
    const current = await loadRecord(trx, deps, subject, def, id);
    authorize(subject, 'record.delete', current.compartment, def);
    if (current.version !== expectedVersion) throw stale(def, current.version, expectedVersion);
    const refs = await repo.referrers(trx, type, id, 100);
    if (refs.length) {
      const visible = refs.filter((r) => can(subject, 'record.read', { compartmentId: r.compartment }));
      const hidden = refs.length - visible.length;
      const list = visible
        .slice(0, 5)
        .map((r) => `${r.type} ${r.id} (${r.field})`)
        .join(', ');
      const parts = [
        visible.length ? `${visible.length}${refs.length >= 100 ? '+' : ''} record(s): ${list}${visible.length > 5 ? ', …' : ''}` : '',
        hidden ? `${hidden} record(s) in compartments you do not belong to` : '',
      ].filter(Boolean);
      throw new ReferencedError(
        `this ${def.singular} is referred to by ${parts.join(' and by ')}. Remove or change those references first.`,
        visible.map(({ compartment: _c, ...r }) => r),
      );
    }
    await repo.deleteLists(trx, def, id);
    await deleteSecrets(trx, def, id);
    await deleteRecordTranslations(trx, type, id);
    await unindexRecord(trx, id);
    const ok = await repo.deleteRow(trx, def, id, expectedVersion);
    if (!ok) throw stale(def, current.version + 1, expectedVersion);
    await writeVersion(trx, type, id, current.compartment, expectedVersion + 1, 'delete', actor, clock(deps), diff(def, current, null), maskSecrets(def, current));
  });
}

function pick(data: RecordData, names: string[]): RecordData {
  const out: RecordData = {};
  for (const n of names) out[n] = data[n];
  return out;
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
  permissions: RecordPermissions;
};

const INCOMING_LIMIT = 200;

/**
 * A record with the records it refers to and the records that refer to it, labelled; links into
 * compartments the actor cannot see are left out.
 */
export async function getRecord(deps: RecordsDeps, actor: Actor, type: RecordTypeName, id: string): Promise<RecordWithLinks> {
  return auditingIntegrity(deps.db, deps, actor.userId, () => getRecordUnaudited(deps, actor, type, id));
}

async function getRecordUnaudited(deps: RecordsDeps, actor: Actor, type: RecordTypeName, id: string): Promise<RecordWithLinks> {
  const subject = await subjectOf(deps.db, actor);
  const def = recordType(type);
  const record = await loadRecord(deps.db, deps, subject, def, id);
  const readable = compartmentsWhere(subject, 'record.read');
  const outgoing: RecordWithLinks['links']['outgoing'] = [];
  for (const [name, f] of Object.entries(def.fields)) {
    if (f.kind !== 'ref' && f.kind !== 'refList') continue;
    const v = record[name];
    const ids = f.kind === 'ref' ? (v ? [v as string] : []) : (v as string[]);
    if (!ids.length) continue;
    const labels = await repo.labelsOf(deps.db, recordType(f.target), ids, readable);
    for (const to of ids) if (labels.has(to)) outgoing.push({ field: name, type: f.target, id: to, label: labels.get(to) ?? null });
  }
  const incoming = (await repo.referrers(deps.db, type, id, INCOMING_LIMIT * 2 + 1)).filter((r) => readable.includes(r.compartment));
  return {
    ...record,
    links: {
      outgoing,
      incoming: incoming.slice(0, INCOMING_LIMIT).map(({ compartment: _c, ...r }) => r),
      incomingTruncated: incoming.length > INCOMING_LIMIT,
    },
    permissions: recordPermissions(subject, { compartmentId: record.compartment }),
  };
}

export interface ListPage {
  items: (StoredRecord & { permissions: RecordPermissions })[];
  nextCursor: string | null;
}

/** One page of records matching the filters given as query parameters. */
export async function listRecords(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  query: Record<string, unknown>,
): Promise<ListPage> {
  return auditingIntegrity(deps.db, deps, actor.userId, () => listRecordsUnaudited(deps, actor, type, query));
}

async function listRecordsUnaudited(
  deps: RecordsDeps,
  actor: Actor,
  type: RecordTypeName,
  query: Record<string, unknown>,
): Promise<ListPage> {
  const subject = await subjectOf(deps.db, actor);
  const def = recordType(type);
  const q = parseBody(RECORD_SCHEMAS.get(type)!.listQuery, query) as Record<string, any>;
  const filters = parseFilters(def, q);
  const sort = String(q.sort ?? '-createdAt');
  const sortSpec = listSort(def, sort);
  let after: { key: repo.SortKey; id: string } | undefined;
  if (q.cursor) after = decodeCursor(q.cursor, sort);
  const limit = q.limit ?? 50;
  let compartments = compartmentsWhere(subject, 'record.read');
  if (q.compartment) compartments = compartments.filter((c) => String(q.compartment).split(',').includes(c));
  let ids: string[] | undefined;
  if (typeof q.name === 'string' && q.name.trim()) {
    const hashes = nameQueryHashes(deps, q.name);
    if (hashes.length === 0) throw new ValidationError([{ field: 'name', message: 'give at least one word of two or more letters' }]);
    ids = await personsWithAllHashes(deps.db, hashes);
  }
  const rows = await repo.listRows(deps.db, def, { compartments, ids, filters, sort: sortSpec, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const lists = await repo.loadLists(
    deps.db,
    def,
    page.map((r) => r.id),
  );
  const withSecrets = await attachSecrets(
    deps.db,
    deps,
    def,
    page.map((r) => repo.fromRow(def, r, lists.get(r.id))),
  );
  const items = withSecrets.map((r) => ({ ...r, permissions: recordPermissions(subject, { compartmentId: r.compartment }) }));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(sort, sortKeyOf(last[sortSpec.column]), last.id) : null,
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

/** The column and kind of order a (validated) `sort` parameter names. */
function listSort(def: RecordTypeDef, sort: string): repo.ListSortSpec {
  const desc = sort.startsWith('-');
  const name = desc ? sort.slice(1) : sort;
  if (name === 'createdAt' || name === 'updatedAt') return { column: columnName(name), desc, text: false, nullable: false };
  const f = def.fields[name];
  if (!f || !isSortable(f)) throw new ValidationError([{ field: 'sort', message: `unknown order; one of: ${sortsOf(def).join(', ')}` }]);
  return { column: sortColumn(name, f), desc, text: f.kind !== 'int' && f.kind !== 'number', nullable: true };
}

const sortKeyOf = (v: unknown): repo.SortKey => (v === null || v === undefined ? null : typeof v === 'number' ? v : String(v));

function encodeCursor(sort: string, key: repo.SortKey, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: string): { key: repo.SortKey; id: string } {
  try {
    const [s, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const keyOk = key === null || typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key));
    if (s === sort && keyOk && typeof id === 'string') return { key, id };
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
  const subject = await subjectOf(deps.db, actor);
  recordType(type);
  const versions = await repo.listVersions(deps.db, type, id);
  // the latest version says where the record is (or was, when deleted)
  const last = versions[versions.length - 1];
  if (!last || !can(subject, 'record.read', { compartmentId: last.compartment })) throw new NotFoundError(`no ${recordType(type).singular} has id ${id}`);
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
