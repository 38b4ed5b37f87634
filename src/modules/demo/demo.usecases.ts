import type { Kysely } from 'kysely';
import { inTransaction } from '../../adapters/db/transaction.js';
import { recordType } from '../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../domain/records/fields.js';
import { canAnywhere, type Actor } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../domain/errors.js';
import { createRecord, type RecordsDeps } from '../records/records.usecases.js';
import { DEMO_MARKER_TITLE, DEMO_RECORDS, isRef, type DemoRecord } from './demo.data.js';

/**
 * Loads the invented demo data set (demo.data.ts) through `createRecord`, so that every record is
 * validated and gets its history like any other. Everything happens in one transaction: either the
 * whole demo is there afterwards, or nothing of it.
 */

export type DemoDeps = RecordsDeps;

export interface DataSetOptions {
  /** Compartment id to load into (default: the actor's only compartment where it may create). */
  compartment?: string;
  /** An event title whose presence means the data set is already loaded. */
  markerTitle?: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Loads the demo. Refuses with a ConflictError when it is already loaded (its marker event exists).
 *
 * @example const { counts } = await loadDemo({ db }, actor); // counts.events → 6
 */
export async function loadDemo(
  deps: DemoDeps,
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
  compartment?: string,
): Promise<{ counts: Record<string, number> }> {
  return loadDataSet(deps, actor, DEMO_RECORDS, { markerTitle: DEMO_MARKER_TITLE, onProgress, compartment });
}

/**
 * Creates a set of records whose references are symbolic keys, in dependency order, in one
 * transaction. A record that fails validation aborts the whole set with an error naming its key.
 */
export async function loadDataSet(
  deps: DemoDeps,
  actor: Actor,
  records: readonly DemoRecord[],
  opts: DataSetOptions = {},
): Promise<{ counts: Record<string, number> }> {
  const subject = await subjectOf(deps.db, actor);
  if (!canAnywhere(subject, 'record.create'))
    throw new ForbiddenError(
      subject.memberships.size === 0
        ? `${actor.username} belongs to no compartment, so the demo has nowhere to go: add the account to one first (letapis compartment add-member default ${actor.username} --role coordinator)`
        : `${actor.username} may not create records in any compartment, so it cannot load the demo`,
    );
  const ordered = dependencyOrder(records);
  const total = ordered.length;
  const run = async (trx: Kysely<any>) => {
    if (opts.markerTitle && (await markerPresent(trx, opts.markerTitle))) {
      throw new ConflictError(
        `the demo data set is already loaded (an event titled "${opts.markerTitle}" exists). It is loaded only once per database; to load it again, use a fresh database.`,
      );
    }
    const nested = { ...deps, db: trx };
    const ids = new Map<string, string>();
    const counts: Record<string, number> = Object.fromEntries(RECORD_TYPE_NAMES.map((t) => [t, 0]));
    opts.onProgress?.(0, total);
    let done = 0;
    for (const rec of ordered) {
      const input = resolveRefs(rec, ids);
      if (opts.compartment) (input as Record<string, unknown>).compartment = opts.compartment;
      let stored;
      try {
        stored = await createRecord(nested, actor, rec.type, input);
      } catch (e) {
        if (e instanceof ValidationError) {
          throw new ValidationError(
            e.problems.map((p) => ({ field: `${rec.key}.${p.field}`, message: p.message })),
            `demo record "${rec.key}" (${recordType(rec.type).singular}) is invalid: ${e.message}`,
          );
        }
        throw e;
      }
      ids.set(rec.key, stored.id);
      counts[rec.type] = (counts[rec.type] ?? 0) + 1;
      opts.onProgress?.(++done, total);
    }
    return { counts };
  };
  return inTransaction(deps.db, run);
}

async function markerPresent(db: Kysely<any>, title: string): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').where('title', '=', title).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The keys a record refers to. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (isRef(value)) out.push(value.$ref);
  else if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) refsOf(v, out);
  return out;
}

/**
 * The records ordered so that each comes after every record it refers to, keeping the given order
 * otherwise. Throws on duplicate keys, unknown keys and cycles (mistakes in the data set).
 */
export function dependencyOrder(records: readonly DemoRecord[]): DemoRecord[] {
  const byKey = new Map<string, DemoRecord>();
  for (const r of records) {
    if (byKey.has(r.key)) throw new Error(`demo data: the key "${r.key}" is used twice`);
    byKey.set(r.key, r);
  }
  const out: DemoRecord[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: DemoRecord, path: string[]) => {
    const s = state.get(r.key);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`demo data: references go round in a circle: ${[...path, r.key].join(' → ')}`);
    state.set(r.key, 'visiting');
    for (const k of refsOf(r.data)) {
      const dep = byKey.get(k);
      if (!dep) throw new Error(`demo data: "${r.key}" refers to "${k}", which is not in the data set`);
      visit(dep, [...path, r.key]);
    }
    state.set(r.key, 'done');
    out.push(r);
  };
  for (const r of records) visit(r, []);
  return out;
}

/** The record's input with every symbolic reference replaced by the id of the record created for it. */
function resolveRefs(rec: DemoRecord, ids: Map<string, string>): Record<string, unknown> {
  const resolve = (v: unknown): unknown => {
    if (isRef(v)) {
      const id = ids.get(v.$ref);
      if (!id) throw new Error(`demo data: "${rec.key}" refers to "${v.$ref}" before it was created`);
      return id;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  return resolve(rec.data) as Record<string, unknown>;
}

/** How many records of each type the demo holds (without loading it). */
export function demoCounts(): Record<RecordTypeName, number> {
  const counts = Object.fromEntries(RECORD_TYPE_NAMES.map((t) => [t, 0])) as Record<RecordTypeName, number>;
  for (const r of DEMO_RECORDS) counts[r.type]++;
  return counts;
}
