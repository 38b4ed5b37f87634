import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../../adapters/db/database.js';

/**
 * The queries behind the analysis endpoints: counts over records, each restricted to the caller's
 * compartments. Every table a query touches (the counted records and every record it reaches
 * through a reference: the act of a detention, the unit of an involvement, a custody stay's
 * facility …) is restricted to `scope.compartments`, so a record outside them can never change a
 * number. The queries are dialect-neutral; the two date expressions that are not (truncating a day
 * to its week, and the number of days between two days) are in `periodStart` and `daysBetween`.
 *
 * Dates are the `<field>_from` columns of fuzzy dates: the earliest day (YYYY-MM-DD) the date may
 * mean, e.g. `2020-08` → `2020-08-01`.
 */

export type Db = Kysely<any>;
type EB = ExpressionBuilder<any, any>;
type Cond = Expression<SqlBool>;

/** What to count: the caller's compartments and the shared filters, already checked. */
export interface Scope {
  /** Compartments whose records count (where the caller may read, narrowed by `compartment`). */
  compartments: string[];
  /** Inclusive earliest day, YYYY-MM-DD. */
  from?: string;
  /** Exclusive latest day, YYYY-MM-DD. */
  to?: string;
  place?: string[];
  facility?: string[];
  unit?: string[];
  actType?: string[];
  method?: string[];
  status?: string[];
}

/** The filters of a Scope, so a condition can apply some of them only. */
export type FilterKey = 'date' | 'place' | 'facility' | 'unit' | 'actType' | 'method' | 'status';
const ALL: ReadonlySet<FilterKey> = new Set(['date', 'place', 'facility', 'unit', 'actType', 'method', 'status']);
const only = (keys: ReadonlySet<FilterKey>, ...wanted: FilterKey[]): ReadonlySet<FilterKey> => new Set(wanted.filter((k) => keys.has(k)));

export type Interval = 'day' | 'week' | 'month';

// ── dialect-specific expressions ─────────────────────────────────────────────────────────────────

/**
 * The first day (YYYY-MM-DD) of the day, ISO week (Monday) or month a day column lies in. The
 * column holds YYYY-MM-DD text on both engines; only the week needs date arithmetic. No bound
 * parameters, so the expression can be grouped by on PostgreSQL.
 */
export function periodStart(dialect: DialectName, column: string, interval: Interval): RawBuilder<string> {
  const c = sql.ref(column);
  switch (interval) {
    case 'day':
      return sql<string>`${c}`;
    case 'month':
      return sql<string>`substr(${c}, 1, 7) || '-01'`;
    case 'week':
      return dialect === 'postgres'
        ? sql<string>`to_char(date_trunc('week', cast(${c} as date)), 'YYYY-MM-DD')`
        : sql<string>`date(${c}, '-6 days', 'weekday 1')`;
  }
}

/** Whole days from one day column to another (both YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(dialect: DialectName, fromColumn: string, toColumn: string): RawBuilder<number> {
  const a = sql.ref(fromColumn);
  const b = sql.ref(toColumn);
  return dialect === 'postgres'
    ? sql<number>`(cast(${b} as date) - cast(${a} as date))`
    : sql<number>`cast(julianday(${b}) - julianday(${a}) as integer)`;
}

// ── conditions ───────────────────────────────────────────────────────────────────────────────────

/** `column` is one of `values`; false for none (never the invalid `in ()`). */
function anyOf(eb: EB, column: string, values: readonly string[]): Cond {
  if (values.length === 0) return sql<SqlBool>`1 = 0`;
  return values.length === 1 ? eb(column, '=', values[0]) : eb(column, 'in', values);
}

/** The record aliased `alias` lies in the scope's compartments. */
const inScope = (eb: EB, alias: string, s: Scope): Cond => anyOf(eb, `${alias}.compartment_id`, s.compartments);

function dateConds(eb: EB, column: string, s: Scope, keys: ReadonlySet<FilterKey>): Cond[] {
  if (!keys.has('date')) return [];
  const out: Cond[] = [];
  if (s.from) out.push(eb(column, '>=', s.from));
  if (s.to) out.push(eb(column, '<', s.to));
  return out;
}

const one = sql<number>`1`.as('one');

/**
 * Pairs (act_id, facility_id): the acts the catalog ties to a facility. An act is at a facility
 * (1) when it is the act of a detention with a custody stay there (the arrest that took the victim
 * there), or (2) when its victim was held there at the time: the victim is the victim of a
 * detention's act with a stay in the facility, the act began on or after the stay's first day and
 * on or before its last (or the stay has no end), and the act's place is the facility's place or
 * not given. Days are the earliest of each fuzzy date. Every record on the way lies in scope.
 */
export function actFacilityLinks(eb: EB, s: Scope) {
  const arrests = eb
    .selectFrom('detentions as ld')
    .innerJoin('custody_stays as ls', 'ls.detention_id', 'ld.id')
    .innerJoin('facilities as lf', 'lf.id', 'ls.facility_id')
    .select(['ld.act_id as act_id', 'ls.facility_id as facility_id'])
    .where((e: EB) => e.and([inScope(e, 'ld', s), inScope(e, 'ls', s), inScope(e, 'lf', s)]));
  const heldThere = eb
    .selectFrom('acts as la')
    .innerJoin('acts as la0', 'la0.victim_id', 'la.victim_id')
    .innerJoin('detentions as ld2', 'ld2.act_id', 'la0.id')
    .innerJoin('custody_stays as ls2', 'ls2.detention_id', 'ld2.id')
    .innerJoin('facilities as lf2', 'lf2.id', 'ls2.facility_id')
    .select(['la.id as act_id', 'ls2.facility_id as facility_id'])
    .where((e: EB) =>
      e.and([
        inScope(e, 'la', s),
        inScope(e, 'la0', s),
        inScope(e, 'ld2', s),
        inScope(e, 'ls2', s),
        inScope(e, 'lf2', s),
        e('la.start_from', 'is not', null),
        e('ls2.from_from', 'is not', null),
        e('la.start_from', '>=', e.ref('ls2.from_from')),
        e.or([e('ls2.to_from', 'is', null), e('la.start_from', '<=', e.ref('ls2.to_from'))]),
        e.or([e('la.place_id', 'is', null), e('la.place_id', '=', e.ref('lf2.place_id'))]),
      ]),
    );
  return arrests.union(heldThere);
}

/**
 * Acts (alias `a`) that pass the filters: date = the act's start; place = its place; facility =
 * `actFacilityLinks`; unit = an involvement naming the unit; actType, method = its own; status =
 * its event's.
 */
export function actConds(eb: EB, a: string, s: Scope, keys: ReadonlySet<FilterKey> = ALL): Cond[] {
  const c: Cond[] = [inScope(eb, a, s), ...dateConds(eb, `${a}.start_from`, s, keys)];
  if (keys.has('place') && s.place) c.push(anyOf(eb, `${a}.place_id`, s.place));
  if (keys.has('actType') && s.actType) c.push(anyOf(eb, `${a}.type`, s.actType));
  if (keys.has('method') && s.method) {
    const codes = s.method;
    c.push(
      eb.exists(
        eb
          .selectFrom('record_terms as fm')
          .select(one)
          .whereRef('fm.record_id', '=', `${a}.id`)
          .where('fm.record_type', '=', 'acts')
          .where('fm.field', '=', 'methods')
          .where((e: EB) => anyOf(e, 'fm.code', codes)),
      ),
    );
  }
  if (keys.has('unit') && s.unit) {
    const units = s.unit;
    c.push(
      eb.exists(
        eb
          .selectFrom('involvements as fi')
          .innerJoin('units as fu', 'fu.id', 'fi.unit_id')
          .select(one)
          .whereRef('fi.act_id', '=', `${a}.id`)
          .where((e: EB) => e.and([anyOf(e, 'fi.unit_id', units), inScope(e, 'fi', s), inScope(e, 'fu', s)])),
      ),
    );
  }
  if (keys.has('facility') && s.facility) {
    const facilities = s.facility;
    c.push(
      eb(
        `${a}.id`,
        'in',
        eb
          .selectFrom(actFacilityLinks(eb, s).as('fl'))
          .select('fl.act_id')
          .where((e: EB) => anyOf(e, 'fl.facility_id', facilities)),
      ),
    );
  }
  if (keys.has('status') && s.status) {
    const statuses = s.status;
    c.push(
      eb.exists(
        eb
          .selectFrom('events as fe')
          .select(one)
          .whereRef('fe.id', '=', `${a}.event_id`)
          .where((e: EB) => e.and([anyOf(e, 'fe.status', statuses), inScope(e, 'fe', s)])),
      ),
    );
  }
  return c;
}

/**
 * Detentions (alias `d`) that pass the filters: date = detainedAt; place = where detained;
 * facility = a custody stay there; unit = among its detaining units, or named by an involvement in
 * its act; actType, method, status = its act's.
 */
export function detentionConds(eb: EB, d: string, s: Scope, keys: ReadonlySet<FilterKey> = ALL): Cond[] {
  const c: Cond[] = [inScope(eb, d, s), ...dateConds(eb, `${d}.detained_at_from`, s, keys)];
  if (keys.has('place') && s.place) c.push(anyOf(eb, `${d}.place_id`, s.place));
  if (keys.has('facility') && s.facility) {
    const facilities = s.facility;
    c.push(
      eb.exists(
        eb
          .selectFrom('custody_stays as ds')
          .innerJoin('facilities as df', 'df.id', 'ds.facility_id')
          .select(one)
          .whereRef('ds.detention_id', '=', `${d}.id`)
          .where((e: EB) => e.and([anyOf(e, 'ds.facility_id', facilities), inScope(e, 'ds', s), inScope(e, 'df', s)])),
      ),
    );
  }
  if (keys.has('unit') && s.unit) {
    const units = s.unit;
    c.push(
      eb.or([
        eb.exists(
          eb
            .selectFrom('record_links as dl')
            .innerJoin('units as du', 'du.id', 'dl.to_id')
            .select(one)
            .whereRef('dl.from_id', '=', `${d}.id`)
            .where('dl.from_type', '=', 'detentions')
            .where('dl.field', '=', 'detainingUnits')
            .where((e: EB) => e.and([anyOf(e, 'dl.to_id', units), inScope(e, 'du', s)])),
        ),
        eb.exists(
          eb
            .selectFrom('acts as dua')
            .select(one)
            .whereRef('dua.id', '=', `${d}.act_id`)
            .where((e: EB) => e.and(actConds(e, 'dua', s, only(keys, 'unit')))),
        ),
      ]),
    );
  }
  const viaAct = only(keys, 'actType', 'method', 'status');
  if ((viaAct.has('actType') && s.actType) || (viaAct.has('method') && s.method) || (viaAct.has('status') && s.status)) {
    c.push(
      eb.exists(
        eb
          .selectFrom('acts as da')
          .select(one)
          .whereRef('da.id', '=', `${d}.act_id`)
          .where((e: EB) => e.and(actConds(e, 'da', s, viaAct))),
      ),
    );
  }
  return c;
}

/**
 * Custody stays (alias `s`) that pass the filters: date = its first day; place = its facility's
 * place; facility = its own; unit, actType, method, status = its detention's.
 */
export function stayConds(eb: EB, st: string, s: Scope, keys: ReadonlySet<FilterKey> = ALL): Cond[] {
  const c: Cond[] = [inScope(eb, st, s), ...dateConds(eb, `${st}.from_from`, s, keys)];
  if (keys.has('facility') && s.facility) c.push(anyOf(eb, `${st}.facility_id`, s.facility));
  if (keys.has('place') && s.place) {
    const places = s.place;
    c.push(
      eb.exists(
        eb
          .selectFrom('facilities as sf')
          .select(one)
          .whereRef('sf.id', '=', `${st}.facility_id`)
          .where((e: EB) => e.and([anyOf(e, 'sf.place_id', places), inScope(e, 'sf', s)])),
      ),
    );
  }
  const viaDetention = only(keys, 'unit', 'actType', 'method', 'status');
  if ([...viaDetention].some((k) => s[k as 'unit' | 'actType' | 'method' | 'status'])) {
    c.push(
      eb.exists(
        eb
          .selectFrom('detentions as sd')
          .select(one)
          .whereRef('sd.id', '=', `${st}.detention_id`)
          .where((e: EB) => e.and(detentionConds(e, 'sd', s, viaDetention))),
      ),
    );
  }
  return c;
}

/**
 * Events (alias `e`) that pass the filters: date = its start; place = its place; status = its own;
 * facility, unit, actType, method = one of its acts'.
 */
export function eventConds(eb: EB, ev: string, s: Scope, keys: ReadonlySet<FilterKey> = ALL): Cond[] {
  const c: Cond[] = [inScope(eb, ev, s), ...dateConds(eb, `${ev}.start_from`, s, keys)];
  if (keys.has('place') && s.place) c.push(anyOf(eb, `${ev}.place_id`, s.place));
  if (keys.has('status') && s.status) c.push(anyOf(eb, `${ev}.status`, s.status));
  const viaActs = only(keys, 'facility', 'unit', 'actType', 'method');
  if ([...viaActs].some((k) => s[k as 'facility' | 'unit' | 'actType' | 'method'])) {
    c.push(
      eb.exists(
        eb
          .selectFrom('acts as ea')
          .select(one)
          .whereRef('ea.event_id', '=', `${ev}.id`)
          .where((e: EB) => e.and(actConds(e, 'ea', s, viaActs))),
      ),
    );
  }
  return c;
}

const n = (v: unknown): number => Number(v ?? 0);

// ── queries ──────────────────────────────────────────────────────────────────────────────────────

/** Detentions by the period their start falls in; `undated`: those without a start. */
export async function detentionsByPeriod(db: Db, dialect: DialectName, s: Scope, interval: Interval) {
  const bucket = periodStart(dialect, 'd.detained_at_from', interval);
  const rows = await db
    .selectFrom('detentions as d')
    .select([bucket.as('start'), (eb) => eb.fn.countAll().as('n')])
    .where((eb) => eb.and([...detentionConds(eb, 'd', s), eb('d.detained_at_from', 'is not', null)]))
    .groupBy(bucket)
    .execute();
  const undated = await db
    .selectFrom('detentions as d')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.and([...detentionConds(eb, 'd', s), eb('d.detained_at_from', 'is', null)]))
    .executeTakeFirst();
  return { buckets: rows.map((r) => ({ start: String(r.start), count: n(r.n) })), undated: n(undated?.n) };
}

/** How many acts pass the filters. */
export async function countActs(db: Db, s: Scope): Promise<number> {
  const r = await db
    .selectFrom('acts as a')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.and(actConds(eb, 'a', s)))
    .executeTakeFirst();
  return n(r?.n);
}

export async function actsByType(db: Db, s: Scope): Promise<{ code: string; count: number }[]> {
  const rows = await db
    .selectFrom('acts as a')
    .select(['a.type as code', (eb) => eb.fn.countAll().as('n')])
    .where((eb) => eb.and(actConds(eb, 'a', s)))
    .groupBy('a.type')
    .execute();
  return rows.map((r) => ({ code: String(r.code), count: n(r.n) }));
}

/** Acts per method code (an act counts once for each of its methods), and acts with none. */
export async function actsByMethod(db: Db, s: Scope) {
  const rows = await db
    .selectFrom('acts as a')
    .innerJoin('record_terms as m', (j) => j.onRef('m.record_id', '=', 'a.id').on('m.record_type', '=', 'acts').on('m.field', '=', 'methods'))
    .select(['m.code as code', (eb) => eb.fn.count('a.id').distinct().as('n')])
    .where((eb) => eb.and(actConds(eb, 'a', s)))
    .groupBy('m.code')
    .execute();
  const none = await db
    .selectFrom('acts as a')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) =>
      eb.and([
        ...actConds(eb, 'a', s),
        eb.not(
          eb.exists(
            eb
              .selectFrom('record_terms as m')
              .select(one)
              .whereRef('m.record_id', '=', 'a.id')
              .where('m.record_type', '=', 'acts')
              .where('m.field', '=', 'methods'),
          ),
        ),
      ]),
    )
    .executeTakeFirst();
  return { items: rows.map((r) => ({ code: String(r.code), count: n(r.n) })), withoutMethod: n(none?.n) };
}

/** Acts per facility (see `actFacilityLinks`), by facility id. */
export async function actsByFacility(db: Db, s: Scope): Promise<{ id: string; count: number }[]> {
  const rows = await db
    .selectFrom('acts as a')
    .innerJoin((eb) => actFacilityLinks(eb, s).as('l'), (j) => j.onRef('l.act_id', '=', 'a.id'))
    .select(['l.facility_id as id', (eb) => eb.fn.count('a.id').distinct().as('n')])
    .where((eb) => eb.and(actConds(eb, 'a', s)))
    .groupBy('l.facility_id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), count: n(r.n) }));
}

/** Acts per unit named as alleged perpetrator by an involvement in the act, by unit id. */
export async function actsByUnit(db: Db, s: Scope): Promise<{ id: string; count: number }[]> {
  const rows = await db
    .selectFrom('acts as a')
    .innerJoin('involvements as i', 'i.act_id', 'a.id')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .select(['i.unit_id as id', (eb) => eb.fn.count('a.id').distinct().as('n')])
    .where((eb) => eb.and([...actConds(eb, 'a', s), inScope(eb, 'i', s), inScope(eb, 'u', s)]))
    .groupBy('i.unit_id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), count: n(r.n) }));
}

/**
 * Lengths in whole days from a start column to an end column, as (days, count) pairs, with the
 * records lacking an end (or a start). `days` is null for those.
 */
async function lengths(
  db: Db,
  dialect: DialectName,
  table: string,
  startCol: string,
  endCol: string,
  conds: (eb: EB) => Cond[],
): Promise<{ days: { days: number; count: number }[]; unknownEnd: number; unknownStart: number }> {
  const days = daysBetween(dialect, `t.${startCol}`, `t.${endCol}`);
  const rows = await db
    .selectFrom(`${table} as t`)
    .select([days.as('days'), (eb) => eb.fn.countAll().as('n')])
    .where((eb) => eb.and([...conds(eb), eb(`t.${startCol}`, 'is not', null), eb(`t.${endCol}`, 'is not', null)]))
    .groupBy(days)
    .execute();
  const missing = await db
    .selectFrom(`${table} as t`)
    .select([
      (eb) => eb.fn.sum(eb.case().when(`t.${startCol}`, 'is', null).then(1).else(0).end()).as('noStart'),
      (eb) =>
        eb.fn
          .sum(
            eb
              .case()
              .when(eb.and([eb(`t.${startCol}`, 'is not', null), eb(`t.${endCol}`, 'is', null)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('noEnd'),
    ])
    .where((eb) => eb.and(conds(eb)))
    .executeTakeFirst();
  return {
    days: rows.map((r) => ({ days: n(r.days), count: n(r.n) })),
    unknownEnd: n(missing?.noEnd),
    unknownStart: n(missing?.noStart),
  };
}

export function detentionLengths(db: Db, dialect: DialectName, s: Scope) {
  return lengths(db, dialect, 'detentions', 'detained_at_from', 'released_at_from', (eb) => detentionConds(eb, 't', s));
}

export function stayLengths(db: Db, dialect: DialectName, s: Scope) {
  return lengths(db, dialect, 'custody_stays', 'from_from', 'to_from', (eb) => stayConds(eb, 't', s));
}

export interface StaySpan {
  facilityId: string;
  from: string;
  /** Null: no end recorded (still held, or not known). */
  to: string | null;
}

/**
 * Custody stays with a first day that may overlap [from, to) (both optional), passing every other
 * filter; and how many stays passing them have no first day.
 */
export async function staySpans(db: Db, s: Scope): Promise<{ spans: StaySpan[]; undated: number }> {
  const keys = new Set<FilterKey>(['place', 'facility', 'unit', 'actType', 'method', 'status']);
  const rows = await db
    .selectFrom('custody_stays as s')
    .select(['s.facility_id', 's.from_from', 's.to_from'])
    .where((eb) => {
      const c = [...stayConds(eb, 's', s, keys), eb('s.from_from', 'is not', null)];
      if (s.to) c.push(eb('s.from_from', '<', s.to));
      if (s.from) c.push(eb.or([eb('s.to_from', 'is', null), eb('s.to_from', '>=', s.from)]));
      return eb.and(c);
    })
    .orderBy('s.id')
    .execute();
  const undated = await db
    .selectFrom('custody_stays as s')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.and([...stayConds(eb, 's', s, keys), eb('s.from_from', 'is', null)]))
    .executeTakeFirst();
  return {
    spans: rows.map((r) => ({ facilityId: String(r.facility_id), from: String(r.from_from), to: r.to_from === null || r.to_from === undefined ? null : String(r.to_from) })),
    undated: n(undated?.n),
  };
}

/** Facilities among `ids` in scope: label columns, capacity and place. */
export async function facilitiesIn(db: Db, s: Scope, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('facilities as f')
    .select(['f.id', 'f.name_en', 'f.name_be', 'f.name_ru', 'f.capacity', 'f.place_id'])
    .where((eb) => eb.and([anyOf(eb, 'f.id', ids), inScope(eb, 'f', s)]))
    .execute();
}

/** Edges of the network: (source, target, acts naming both). */
export async function unitEventEdges(db: Db, s: Scope): Promise<{ source: string; target: string; weight: number }[]> {
  const rows = await db
    .selectFrom('involvements as i')
    .innerJoin('acts as a', 'a.id', 'i.act_id')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .innerJoin('events as e', 'e.id', 'a.event_id')
    .select(['i.unit_id as source', 'a.event_id as target', (eb) => eb.fn.count('a.id').distinct().as('n')])
    .where((eb) => eb.and([...actConds(eb, 'a', s), inScope(eb, 'i', s), inScope(eb, 'u', s), inScope(eb, 'e', s)]))
    .groupBy(['i.unit_id', 'a.event_id'])
    .execute();
  return rows.map((r) => ({ source: String(r.source), target: String(r.target), weight: n(r.n) }));
}

export async function personUnitEdges(db: Db, s: Scope): Promise<{ source: string; target: string; weight: number }[]> {
  const rows = await db
    .selectFrom('involvements as ip')
    .innerJoin('involvements as iu', 'iu.act_id', 'ip.act_id')
    .innerJoin('acts as a', 'a.id', 'ip.act_id')
    .innerJoin('persons as p', 'p.id', 'ip.person_id')
    .innerJoin('units as u', 'u.id', 'iu.unit_id')
    .select(['ip.person_id as source', 'iu.unit_id as target', (eb) => eb.fn.count('a.id').distinct().as('n')])
    .where((eb) =>
      eb.and([...actConds(eb, 'a', s), inScope(eb, 'ip', s), inScope(eb, 'iu', s), inScope(eb, 'p', s), inScope(eb, 'u', s)]),
    )
    .groupBy(['ip.person_id', 'iu.unit_id'])
    .execute();
  return rows.map((r) => ({ source: String(r.source), target: String(r.target), weight: n(r.n) }));
}

/** Places in scope that have coordinates. */
export async function placesWithCoordinates(db: Db, s: Scope) {
  return db
    .selectFrom('places as p')
    .select(['p.id', 'p.name_en', 'p.name_be', 'p.name_ru', 'p.latitude', 'p.longitude'])
    .where((eb) => eb.and([inScope(eb, 'p', s), eb('p.latitude', 'is not', null), eb('p.longitude', 'is not', null)]))
    .execute();
}

/** Records passing the filters per place they name (events, acts, detentions) or per facility (custody stays). */
export async function countsByPlace(db: Db, s: Scope, type: 'events' | 'acts' | 'detentions'): Promise<Map<string, number>> {
  const table = type;
  const conds = type === 'events' ? eventConds : type === 'acts' ? actConds : detentionConds;
  const rows = await db
    .selectFrom(`${table} as t`)
    .select(['t.place_id as id', (eb) => eb.fn.countAll().as('n')])
    .where((eb) => eb.and([...conds(eb, 't', s), eb('t.place_id', 'is not', null)]))
    .groupBy('t.place_id')
    .execute();
  return new Map(rows.map((r) => [String(r.id), n(r.n)]));
}

export async function staysByFacility(db: Db, s: Scope): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('custody_stays as t')
    .select(['t.facility_id as id', (eb) => eb.fn.countAll().as('n')])
    .where((eb) => eb.and(stayConds(eb, 't', s)))
    .groupBy('t.facility_id')
    .execute();
  return new Map(rows.map((r) => [String(r.id), n(r.n)]));
}

export interface DatedRow {
  id: string;
  label: string | null;
  event: string | null;
  startValue: string | null;
  startPrecision: string | null;
  start: string;
  endValue: string | null;
  endPrecision: string | null;
  end: string | null;
}

/** Events or acts with a start, passing the filters, earliest first, at most `limit`. */
export async function datedRows(db: Db, s: Scope, type: 'events' | 'acts', limit: number): Promise<DatedRow[]> {
  const conds = type === 'events' ? eventConds : actConds;
  const rows = await db
    .selectFrom(`${type} as t`)
    .select([
      't.id',
      type === 'events' ? 't.title as label' : 't.type as label',
      type === 'events' ? sql<null>`null`.as('event_id') : 't.event_id as event_id',
      't.start_value',
      't.start_precision',
      't.start_from',
      't.end_value',
      't.end_precision',
      't.end_from',
    ])
    .where((eb) => eb.and([...conds(eb, 't', s), eb('t.start_from', 'is not', null)]))
    .orderBy('t.start_from')
    .orderBy('t.id')
    .limit(limit)
    .execute();
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    id: String(r.id),
    label: str(r.label),
    event: str(r.event_id),
    startValue: str(r.start_value),
    startPrecision: str(r.start_precision),
    start: String(r.start_from),
    endValue: str(r.end_value),
    endPrecision: str(r.end_precision),
    end: str(r.end_from),
  }));
}
