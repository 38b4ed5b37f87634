import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DialectName } from '../../adapters/db/database.js';
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import { compartmentsWhere, type Actor } from '../../domain/policies.js';
import { recordType } from '../../domain/records/catalog.js';
import { fuzzyDateLowerBound, fuzzyDateProblem } from '../../domain/records/fields.js';
import { filtersFromQuery, searchFiltersSchema, type SearchFilters } from '../../domain/search/filters.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { labelOf, labelsOf } from '../records/records.repository.js';
import { zodProblems } from '../records/records.usecases.js';
import * as repo from './analysis.repository.js';
import {
  filtersQuerySchema,
  networkQuerySchema,
  overTimeQuerySchema,
  type byMethodSchema,
  type byRecordSchema,
  type byTypeSchema,
  type geoSchema,
  type lengthsSchema,
  type networkSchema,
  type occupancySchema,
  type overTimeSchema,
  type timelineSchema,
} from './analysis.schemas.js';

/**
 * Counts behind the UI's charts, timeline, map and network view. Each needs `record.read` and
 * counts only records of the compartments where the caller may read (narrowed by `compartment`):
 * an account in no compartment gets zeros. The shared search filters apply to every endpoint;
 * which date and which links each filter uses is said per record type in analysis.repository.ts.
 */

export interface AnalysisDeps {
  db: Kysely<any>;
  dialect: DialectName;
}

export const NETWORK_NODE_CAP = 500;
export const NETWORK_EDGE_CAP = 5000;
export const TIMELINE_CAP = 2000;
export const OCCUPANCY_FACILITY_CAP = 50;
/** Upper bounds (exclusive, days) of the length histogram's buckets; the last is open. */
export const LENGTH_BOUNDS = [1, 3, 7, 15, 30, 90, 365] as const;

type Query = Record<string, unknown>;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new ValidationError(zodProblems(r.error), `invalid query: ${zodProblems(r.error).map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  return r.data;
}

/** A `from`/`to` value as its first day, or a problem. */
function firstDay(field: 'from' | 'to', value: string, problems: FieldProblem[]): string | undefined {
  const problem = fuzzyDateProblem({ value, precision: 'estimate' });
  if (problem) {
    problems.push({ field, message: problem });
    return undefined;
  }
  return fuzzyDateLowerBound({ value, precision: 'estimate' }) ?? undefined;
}

const nonEmpty = (a: string[] | undefined) => (a && a.length ? [...new Set(a)] : undefined);

/** The caller's scope: readable compartments (narrowed by `compartment`) and the checked filters. */
async function scopeOf(deps: AnalysisDeps, actor: Actor, query: Query): Promise<{ scope: repo.Scope; filters: SearchFilters }> {
  const filters = parse(searchFiltersSchema, filtersFromQuery(query));
  const problems: FieldProblem[] = [];
  const from = filters.from ? firstDay('from', filters.from, problems) : undefined;
  const to = filters.to ? firstDay('to', filters.to, problems) : undefined;
  if (from && to && to <= from) problems.push({ field: 'to', message: `must be after from (${from}); to is exclusive` });
  if (problems.length) throw new ValidationError(problems, `invalid query: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  const subject = await subjectOf(deps.db, actor);
  let compartments = compartmentsWhere(subject, 'record.read');
  if (filters.compartment) compartments = compartments.filter((c) => filters.compartment!.includes(c));
  return {
    filters,
    scope: {
      compartments,
      from,
      to,
      place: nonEmpty(filters.place),
      facility: nonEmpty(filters.facility),
      unit: nonEmpty(filters.unit),
      actType: nonEmpty(filters.actType),
      method: nonEmpty(filters.method),
      status: nonEmpty(filters.status),
    },
  };
}

/** Plain code-point order, the same on every machine and engine. */
const cmp = (a: string | null, b: string | null): number => {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};
const byCountThenCode = (a: { code: string; count: number }, b: { code: string; count: number }) => b.count - a.count || cmp(a.code, b.code);
const byCountThenLabel = (a: { id: string; label: string | null; count: number }, b: typeof a) => b.count - a.count || cmp(a.label, b.label) || cmp(a.id, b.id);


// ── 1. detentions over time ─────────────────────────────────────────────────────────────────────

export async function detentionsOverTime(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof overTimeSchema>> {
  const q = parse(overTimeQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const { buckets, undated } = await repo.detentionsByPeriod(deps.db, deps.dialect, scope, q.interval);
  return { interval: q.interval, buckets: buckets.sort((a, b) => cmp(a.start, b.start)), undated };
}

// ── 2. acts by type, method, facility, unit ─────────────────────────────────────────────────────

export async function actsByType(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof byTypeSchema>> {
  parse(filtersQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const items = (await repo.actsByType(deps.db, scope)).sort(byCountThenCode);
  return { total: items.reduce((t, i) => t + i.count, 0), items };
}

export async function actsByMethod(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof byMethodSchema>> {
  parse(filtersQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const { items, withoutMethod } = await repo.actsByMethod(deps.db, scope);
  return { total: await repo.countActs(deps.db, scope), withoutMethod, items: items.sort(byCountThenCode) };
}

export async function actsByFacility(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof byRecordSchema>> {
  parse(filtersQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const rows = await repo.actsByFacility(deps.db, scope);
  const labels = await labelsOf(deps.db, recordType('facilities'), rows.map((r) => r.id), scope.compartments);
  const items = rows.map((r) => ({ id: r.id, label: labels.get(r.id) ?? null, count: r.count })).sort(byCountThenLabel);
  return { total: await repo.countActs(deps.db, scope), items };
}

export async function actsByUnit(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof byRecordSchema>> {
  parse(filtersQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const rows = await repo.actsByUnit(deps.db, scope);
  const labels = await labelsOf(deps.db, recordType('units'), rows.map((r) => r.id), scope.compartments);
  const items = rows.map((r) => ({ id: r.id, label: labels.get(r.id) ?? null, count: r.count })).sort(byCountThenLabel);
  return { total: await repo.countActs(deps.db, scope), items };
}

// ── 3. detention lengths ────────────────────────────────────────────────────────────────────────

/** (days, count) pairs into the histogram's buckets; an end recorded before the start counts as 0 days. */
export function lengthHistogram(days: { days: number; count: number }[]) {
  const buckets = [0, ...LENGTH_BOUNDS].map((min, i) => ({ minDays: min, maxDays: LENGTH_BOUNDS[i] ?? null, count: 0 }));
  for (const { days: d, count } of days) {
    const len = Math.max(0, d);
    const i = LENGTH_BOUNDS.findIndex((b) => len < b);
    buckets[i === -1 ? buckets.length - 1 : i]!.count += count;
  }
  return buckets;
}

export async function detentionLengths(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof lengthsSchema>> {
  parse(filtersQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const d = await repo.detentionLengths(deps.db, deps.dialect, scope);
  const s = await repo.stayLengths(deps.db, deps.dialect, scope);
  return {
    detentions: { buckets: lengthHistogram(d.days), unknownEnd: d.unknownEnd, unknownStart: d.unknownStart },
    custodyStays: { buckets: lengthHistogram(s.days), unknownEnd: s.unknownEnd, unknownStart: s.unknownStart },
  };
}

// ── 4. occupancy ────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const addDays = (day: string, k: number) => dayOf(ms(day) + k * DAY_MS);
type Granularity = 'day' | 'week' | 'month' | 'year';

function periodOf(day: string, g: Granularity): string {
  switch (g) {
    case 'day':
      return day;
    case 'week':
      return addDays(day, -((new Date(ms(day)).getUTCDay() + 6) % 7));
    case 'month':
      return `${day.slice(0, 7)}-01`;
    case 'year':
      return `${day.slice(0, 4)}-01-01`;
  }
}

function nextPeriod(p: string, g: Granularity): string {
  if (g === 'day') return addDays(p, 1);
  if (g === 'week') return addDays(p, 7);
  const d = new Date(ms(p));
  if (g === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return dayOf(d.getTime());
}

export async function occupancy(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof occupancySchema>> {
  parse(filtersQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const { spans: all, undated } = await repo.staySpans(deps.db, scope);
  const wanted = scope.facility ?? [...new Set(all.map((s) => s.facilityId))];
  const facilities = await repo.facilitiesIn(deps.db, scope, wanted);
  const known = new Set(facilities.map((f) => f.id as string));
  const spans = all.filter((s) => known.has(s.facilityId));

  // the range: from/to when given, else the days the stays mention
  let start: string | undefined = scope.from;
  let end: string | undefined = scope.to ? addDays(scope.to, -1) : undefined;
  for (const s of spans) {
    if (!scope.from && (!start || s.from < start)) start = s.from;
    if (!scope.to) for (const d of [s.from, s.to]) if (d && (!end || d > end)) end = d;
  }
  start ??= end;
  end ??= start;
  if (start && end && !scope.to && end < start) end = start;

  let granularity: Granularity = 'day';
  const periods: string[] = [];
  if (start && end && start <= end) {
    const span = (ms(end) - ms(start)) / DAY_MS + 1;
    granularity = span <= 400 ? 'day' : span <= 3000 ? 'week' : span <= 36_600 ? 'month' : 'year';
    for (let p = periodOf(start, granularity); p <= end; p = nextPeriod(p, granularity)) periods.push(p);
  }
  const index = new Map(periods.map((p, i) => [p, i]));

  const series = new Map<string, { diff: number[]; stays: number }>(facilities.map((f) => [f.id as string, { diff: new Array<number>(periods.length + 1).fill(0), stays: 0 }]));
  for (const s of spans) {
    const f = series.get(s.facilityId)!;
    f.stays++;
    if (!start || !end || periods.length === 0) continue;
    const last = s.to === null ? end : s.to < s.from ? s.from : s.to;
    const a = s.from > start ? s.from : start;
    const b = last < end ? last : end;
    if (a > b) continue;
    f.diff[index.get(periodOf(a, granularity))!]! += 1;
    f.diff[index.get(periodOf(b, granularity))! + 1]! -= 1;
  }

  const out = facilities.map((f) => {
    const { diff, stays } = series.get(f.id as string)!;
    let running = 0;
    const points = periods.map((p, i) => ({ start: p, count: (running += diff[i]!) }));
    return {
      id: f.id as string,
      label: labelOf(recordType('facilities'), f),
      capacity: f.capacity === null || f.capacity === undefined ? null : Number(f.capacity),
      stays,
      peak: points.reduce((m, p) => Math.max(m, p.count), 0),
      points,
    };
  });
  out.sort((a, b) => b.stays - a.stays || cmp(a.label, b.label) || cmp(a.id, b.id));
  return {
    granularity,
    from: periods.length ? start! : null,
    to: periods.length ? end! : null,
    facilities: out.slice(0, OCCUPANCY_FACILITY_CAP),
    undated,
    truncated: out.length > OCCUPANCY_FACILITY_CAP,
  };
}

// ── 5. network ──────────────────────────────────────────────────────────────────────────────────

export async function network(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof networkSchema>> {
  const q = parse(networkQuerySchema, query);
  const { scope } = await scopeOf(deps, actor, query);
  const [sourceType, targetType] = q.kind === 'unit-event' ? (['unit', 'event'] as const) : (['person', 'unit'] as const);
  const all = q.kind === 'unit-event' ? await repo.unitEventEdges(deps.db, scope) : await repo.personUnitEdges(deps.db, scope);
  all.sort((a, b) => b.weight - a.weight || cmp(a.source, b.source) || cmp(a.target, b.target));

  const sources = new Set<string>();
  const targets = new Set<string>();
  const edges: typeof all = [];
  let truncated = false;
  for (const e of all) {
    const need = (sources.has(e.source) ? 0 : 1) + (targets.has(e.target) ? 0 : 1);
    if (sources.size + targets.size + need > NETWORK_NODE_CAP || edges.length >= NETWORK_EDGE_CAP) {
      truncated = true;
      continue;
    }
    sources.add(e.source);
    targets.add(e.target);
    edges.push(e);
  }
  const typeName = { unit: 'units', event: 'events', person: 'persons' } as const;
  const sourceLabels = await labelsOf(deps.db, recordType(typeName[sourceType]), [...sources], scope.compartments);
  const targetLabels = await labelsOf(deps.db, recordType(typeName[targetType]), [...targets], scope.compartments);
  const nodes = [
    ...[...sources].map((id) => ({ id, type: sourceType, label: sourceLabels.get(id) ?? null })),
    ...[...targets].map((id) => ({ id, type: targetType, label: targetLabels.get(id) ?? null })),
  ].sort((a, b) => cmp(a.type, b.type) || cmp(a.id, b.id));
  return { kind: q.kind, nodes, edges, truncated };
}

// ── 6. geo ──────────────────────────────────────────────────────────────────────────────────────

const GEO_TYPES = ['events', 'acts', 'detentions', 'custody-stays'] as const;

export async function geo(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof geoSchema>> {
  parse(filtersQuerySchema, query);
  const { scope, filters } = await scopeOf(deps, actor, query);
  const types = new Set<string>(filters.type ? GEO_TYPES.filter((t) => filters.type!.includes(t)) : GEO_TYPES);
  const none = new Map<string, number>();
  const events = types.has('events') ? await repo.countsByPlace(deps.db, scope, 'events') : none;
  const acts = types.has('acts') ? await repo.countsByPlace(deps.db, scope, 'acts') : none;
  const detentions = types.has('detentions') ? await repo.countsByPlace(deps.db, scope, 'detentions') : none;
  const stays = types.has('custody-stays') ? await repo.staysByFacility(deps.db, scope) : none;
  const actsAt = types.has('acts') ? new Map((await repo.actsByFacility(deps.db, scope)).map((r) => [r.id, r.count])) : none;

  const places = await repo.placesWithCoordinates(deps.db, scope);
  const coords = new Map(places.map((p) => [p.id as string, { lat: Number(p.latitude), lon: Number(p.longitude) }]));
  const placeDef = recordType('places');
  const points: z.infer<typeof geoSchema>['points'] = [];
  for (const p of places) {
    const counts = { events: events.get(p.id) ?? 0, acts: acts.get(p.id) ?? 0, detentions: detentions.get(p.id) ?? 0, custodyStays: 0 };
    const count = counts.events + counts.acts + counts.detentions;
    if (count > 0) points.push({ id: p.id, type: 'place', label: labelOf(placeDef, p), ...coords.get(p.id)!, count, counts });
  }
  const facilityIds = [...new Set([...stays.keys(), ...actsAt.keys()])];
  const facilityDef = recordType('facilities');
  for (const f of await repo.facilitiesIn(deps.db, scope, facilityIds)) {
    const at = f.place_id ? coords.get(f.place_id) : undefined;
    if (!at) continue;
    const counts = { events: 0, acts: actsAt.get(f.id) ?? 0, detentions: 0, custodyStays: stays.get(f.id) ?? 0 };
    const count = counts.acts + counts.custodyStays;
    if (count > 0) points.push({ id: f.id, type: 'facility', label: labelOf(facilityDef, f), ...at, count, counts });
  }
  points.sort((a, b) => b.count - a.count || cmp(a.type, b.type) || cmp(a.id, b.id));
  return { points };
}

// ── 7. timeline ─────────────────────────────────────────────────────────────────────────────────

export async function timeline(deps: AnalysisDeps, actor: Actor, query: Query): Promise<z.infer<typeof timelineSchema>> {
  parse(filtersQuerySchema, query);
  const { scope, filters } = await scopeOf(deps, actor, query);
  const wanted = (t: 'events' | 'acts') => !filters.type || filters.type.includes(t);
  const events = wanted('events') ? await repo.datedRows(deps.db, scope, 'events', TIMELINE_CAP + 1) : [];
  const acts = wanted('acts') ? await repo.datedRows(deps.db, scope, 'acts', TIMELINE_CAP + 1) : [];
  const items = [
    ...events.map((r) => ({ ...r, type: 'event' as const, event: null })),
    ...acts.map((r) => ({ ...r, type: 'act' as const })),
  ]
    .sort((a, b) => cmp(a.start, b.start) || (a.type === b.type ? 0 : a.type === 'event' ? -1 : 1) || cmp(a.id, b.id))
    .map((r) => ({
      id: r.id,
      type: r.type,
      label: r.label,
      event: r.event,
      start: r.start,
      startPrecision: r.startPrecision,
      end: r.end,
      endPrecision: r.endPrecision,
    }));
  return { items: items.slice(0, TIMELINE_CAP), truncated: items.length > TIMELINE_CAP };
}
