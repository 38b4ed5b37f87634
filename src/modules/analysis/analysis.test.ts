import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../app/server.js';
import type { Container } from '../../app/container.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { joinCompartment, makeActor } from '../../test-support/actors.js';
import type { Actor } from '../../domain/policies.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createCompartment } from '../compartments/compartments.usecases.js';
import { createToken } from '../users/users.usecases.js';
import { loadDataSet, loadDemo } from '../demo/demo.usecases.js';
import { DEMO_RECORDS } from '../demo/demo.data.js';
import { createRecord } from '../records/records.usecases.js';
import { lengthHistogram } from './analysis.usecases.js';

/**
 * The analysis endpoints over HTTP, on both engines, with the demo data set in compartment A: the
 * numbers a member of A gets are exactly the demo's; records in compartment B (the demo again, and
 * records that point into A) never change them; filters narrow; bad parameters are 422 problems.
 */

const ENDPOINTS = [
  'detentions-over-time?interval=day',
  'detentions-over-time?interval=week',
  'detentions-over-time',
  'acts-by-type',
  'acts-by-method',
  'acts-by-facility',
  'acts-by-unit',
  'detention-lengths',
  'occupancy',
  'occupancy?facility=FAC',
  'network?kind=unit-event',
  'network?kind=person-unit',
  'geo',
  'timeline',
  'acts-by-type?actType=arrest',
  'acts-by-type?unit=UNIT',
  'acts-by-type?facility=FAC',
  'acts-by-type?status=verified&from=2020-08-10&to=2020-09',
  'detentions-over-time?place=PLACE',
  'geo?type=events,custody-stays',
  'timeline?type=acts&method=batons',
] as const;

describeEachDialect('analysis API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let A: string;
  let B: string;
  const tokens: Record<'memberA' | 'memberB' | 'bridge' | 'admin', string> = { memberA: '', memberB: '', bridge: '', admin: '' };
  const actors = {} as Record<keyof typeof tokens, Actor>;
  /** Ids of demo records in A, by a readable name. */
  const idA: Record<string, string> = {};

  const get = (who: keyof typeof tokens, path: string) =>
    app.inject({ method: 'GET', url: `/api/v1/analysis/${path}`, headers: { authorization: `Bearer ${tokens[who]}` } });
  const ok = async (who: keyof typeof tokens, path: string) => {
    const res = await get(who, path);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    return res.json();
  };
  const expectProblem = (res: LightMyRequestResponse, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.json() as { status: number; detail: string; errors?: { field: string; message: string }[] };
  };
  const idIn = async (table: string, column: string, value: string, compartment: string) => {
    const r = await c.db.selectFrom(table).select('id').where(column, '=', value).where('compartment_id', '=', compartment).executeTakeFirstOrThrow();
    return r.id as string;
  };
  const withIds = (path: string) => path.replace('FAC', idA.cip!).replace('UNIT', idA.omon!).replace('PLACE', idA.pushkinskaya!);
  const snapshot = async (who: keyof typeof tokens, extra = '') => {
    const out: Record<string, unknown> = {};
    for (const p of ENDPOINTS) {
      const path = withIds(p);
      out[path] = await ok(who, path + (extra ? `${path.includes('?') ? '&' : '?'}${extra}` : ''));
    }
    return out;
  };

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await app.ready();
    actors.admin = await makeActor(c.db, 'administrator', 'ana-admin', null);
    const deps = { db: c.db, audit: appendAuditEvent };
    A = (await createCompartment(deps, actors.admin, { name: 'ana-a' })).id;
    B = (await createCompartment(deps, actors.admin, { name: 'ana-b' })).id;
    actors.memberA = await makeActor(c.db, 'analyst', 'ana-member-a', A, 'analyst');
    actors.memberB = await makeActor(c.db, 'viewer', 'ana-member-b', B, 'viewer');
    actors.bridge = await makeActor(c.db, 'coordinator', 'ana-bridge', A, 'coordinator');
    await joinCompartment(c.db, actors.bridge.userId, B, 'coordinator');
    for (const k of Object.keys(tokens) as (keyof typeof tokens)[]) tokens[k] = (await createToken(c.db, actors[k].username, { scope: 'read', name: 'analysis' })).token;

    await loadDemo(depsOf(c), actors.memberA, undefined, A);
    idA.cip = await idIn('facilities', 'name_en', 'Okrestina offender isolation centre', A);
    idA.ivs = await idIn('facilities', 'name_en', 'Okrestina temporary detention centre', A);
    idA.zhodzina = await idIn('facilities', 'name_en', 'Zhodino remand prison No. 8', A);
    idA.colony = await idIn('facilities', 'name_en', 'Penal colony No. 22 ("Volchyi Nory"), Ivatsevichy district', A);
    idA.brestRovd = await idIn('facilities', 'name_en', 'Leninski district police department, Brest', A);
    idA.brestCip = await idIn('facilities', 'name_en', 'Brest offender isolation centre', A);
    idA.ruvd = await idIn('facilities', 'name_en', 'Frunzienski district police department', A);
    idA.omon = await idIn('units', 'name_en', 'OMON (special purpose police unit), Minsk', A);
    idA.cipStaff = await idIn('units', 'name_en', 'Staff of the Okrestina offender isolation centre', A);
    idA.pushkinskaya = await idIn('places', 'name_en', 'Pushkinskaya metro station', A);
    idA.hanna = await idIn('persons', 'pseudonym', 'Hanna (V-01)', A);
    idA.hannaArrest = (await c.db.selectFrom('acts').select('id').where('victim_id', '=', idA.hanna).where('type', '=', 'arrest').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  it('counts detentions by day, ISO week and month, by the earliest day of their start', async () => {
    expect(await ok('memberA', 'detentions-over-time?interval=day')).toEqual({
      interval: 'day',
      buckets: [
        { start: '2020-08-09', count: 1 },
        { start: '2020-08-10', count: 3 },
        { start: '2021-04-14', count: 1 },
      ],
      undated: 0,
    });
    expect(await ok('memberA', 'detentions-over-time?interval=week')).toEqual({
      interval: 'week',
      buckets: [
        { start: '2020-08-03', count: 1 },
        { start: '2020-08-10', count: 3 },
        { start: '2021-04-12', count: 1 },
      ],
      undated: 0,
    });
    expect(await ok('memberA', 'detentions-over-time')).toEqual({
      interval: 'month',
      buckets: [
        { start: '2020-08-01', count: 4 },
        { start: '2021-04-01', count: 1 },
      ],
      undated: 0,
    });
  });

  it('counts acts by type and by method exactly as the demo holds them', async () => {
    const acts = DEMO_RECORDS.filter((r) => r.type === 'acts');
    const byType = new Map<string, number>();
    const byMethod = new Map<string, number>();
    for (const a of acts) {
      byType.set(a.data.type as string, (byType.get(a.data.type as string) ?? 0) + 1);
      for (const m of (a.data.methods as string[] | undefined) ?? []) byMethod.set(m, (byMethod.get(m) ?? 0) + 1);
    }
    const sorted = (m: Map<string, number>) => [...m].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
    expect(await ok('memberA', 'acts-by-type')).toEqual({ total: acts.length, items: sorted(byType) });
    expect(await ok('memberA', 'acts-by-method')).toEqual({
      total: acts.length,
      withoutMethod: acts.filter((a) => !(a.data.methods as string[] | undefined)?.length).length,
      items: sorted(byMethod),
    });
    expect(acts.length).toBe(15);
  });

  it('ties acts to facilities through detentions and custody stays, and to units through involvements', async () => {
    const byFacility = await ok('memberA', 'acts-by-facility');
    expect(byFacility.total).toBe(15);
    expect(byFacility.items.map((i: { id: string; count: number }) => [i.id, i.count])).toEqual([
      // arrests of Hanna and Ihar; Hanna's torture and threat and Ihar's torture while held there
      [idA.cip, 5],
      // arrests of Ihar, Maksim and Ihar (2021); Ihar's re-detention at the gate and Maksim's imprisonment while held there
      [idA.ivs, 5],
      [idA.zhodzina, 2],
      ...[[idA.brestCip, 1], [idA.ruvd, 1], [idA.brestRovd, 1], [idA.colony, 1]].sort((a, b) => {
        const label = (id: string) => byFacility.items.find((i: { id: string }) => i.id === id).label as string;
        return label(a[0] as string) < label(b[0] as string) ? -1 : 1;
      }),
    ]);
    expect(byFacility.items[0].label).toBe('Okrestina offender isolation centre');

    const byUnit = await ok('memberA', 'acts-by-unit');
    expect(byUnit.total).toBe(15);
    expect(byUnit.items.slice(0, 2)).toEqual([
      { id: idA.cipStaff, label: 'Staff of the Okrestina offender isolation centre', count: 4 },
      { id: idA.omon, label: 'OMON (special purpose police unit), Minsk', count: 3 },
    ]);
    expect(byUnit.items.map((i: { count: number }) => i.count)).toEqual([4, 3, 1, 1, 1, 1, 1]);
  });

  it('makes histograms of detention and custody-stay lengths', async () => {
    const bucket = (counts: number[]) => lengthHistogram([]).map((b, i) => ({ ...b, count: counts[i] }));
    expect(await ok('memberA', 'detention-lengths')).toEqual({
      // Dzianis and Ihar (2021): 2 days; Hanna 15, Ihar 28; Maksim has no release
      detentions: { buckets: bucket([0, 2, 0, 0, 2, 0, 0, 0]), unknownEnd: 1, unknownStart: 0 },
      // 0: the 2021 police station; 1–3: four; 3–7: two; 12 days Zhodino; 23 days IVS; 199 days Zhodino; the colony has no end
      custodyStays: { buckets: bucket([1, 4, 2, 1, 1, 0, 1, 0]), unknownEnd: 1, unknownStart: 0 },
    });
    expect(lengthHistogram([{ days: -3, count: 1 }, { days: 365, count: 2 }, { days: 364, count: 1 }]).map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 1, 2]);
  });

  it('gives the occupancy of a facility per day against its capacity', async () => {
    const cip = await ok('memberA', `occupancy?facility=${idA.cip}`);
    expect(cip).toEqual({
      granularity: 'day',
      from: '2020-08-10',
      to: '2020-08-14',
      facilities: [
        {
          id: idA.cip,
          label: 'Okrestina offender isolation centre',
          capacity: 220,
          stays: 2,
          peak: 2,
          points: [
            { start: '2020-08-10', count: 1 },
            { start: '2020-08-11', count: 2 },
            { start: '2020-08-12', count: 2 },
            { start: '2020-08-13', count: 2 },
            { start: '2020-08-14', count: 1 },
          ],
        },
      ],
      undated: 0,
      truncated: false,
    });
    const ivs = await ok('memberA', `occupancy?facility=${idA.ivs},${idA.ruvd}&from=2020-08-10&to=2020-08-20`);
    expect(ivs.facilities.map((f: { id: string; stays: number; capacity: number | null }) => [f.id, f.stays, f.capacity])).toEqual([
      [idA.ivs, 2, 120],
      [idA.ruvd, 0, null],
    ]);
    expect(ivs.facilities[0].points.map((p: { count: number }) => p.count)).toEqual([0, 1, 1, 1, 2, 1, 1, 1, 1, 1]);
    expect(ivs.facilities[1].points.every((p: { count: number }) => p.count === 0)).toBe(true);
    // without from/to: the days the stays mention
    const all = await ok('memberA', 'occupancy');
    expect(all.granularity).toBe('day');
    expect(all.facilities).toHaveLength(8 - 1); // every facility with a stay (not the KGB remand prison)
    expect(all.from).toBe('2020-08-10');
    expect(all.to).toBe('2021-04-16');
  });

  it('builds the perpetrator networks from involvements, persons by pseudonym only', async () => {
    const ue = await ok('memberA', 'network?kind=unit-event');
    expect(ue.nodes.filter((n: { type: string }) => n.type === 'unit')).toHaveLength(7);
    expect(ue.nodes.filter((n: { type: string }) => n.type === 'event')).toHaveLength(5);
    expect(ue.edges.map((e: { weight: number }) => e.weight)).toEqual([4, 3, 1, 1, 1, 1, 1]);
    expect(ue.edges[1].source).toBe(idA.omon);
    expect(ue.truncated).toBe(false);
    const pu = await ok('memberA', 'network?kind=person-unit');
    expect(pu.edges.map((e: { weight: number; target: string }) => [e.weight, e.target])).toEqual([
      [2, idA.cipStaff],
      ...(pu.edges.slice(1) as { source: string; target: string }[]).map((e) => [1, e.target]),
    ]);
    expect(pu.edges).toHaveLength(3);
    const labels = pu.nodes.filter((n: { type: string }) => n.type === 'person').map((n: { label: string }) => n.label).sort();
    expect(labels).toEqual(['Officer "Grom" (O-03)', 'Official O-01 (OMON deputy commander)', 'Official O-02 (head of the Okrestina isolation centre)']);
    // never a name from person-names (they are encrypted, and not labels)
    expect(JSON.stringify(pu)).not.toMatch(/Жаворонков|Zhavoronkov|Bandaruk/);
  });

  it('puts places and facilities with coordinates on the map, with their counts', async () => {
    const { points } = await ok('memberA', 'geo');
    const byLabel = Object.fromEntries(points.map((p: { label: string; type: string; count: number; counts: unknown }) => [`${p.type} ${p.label}`, [p.count, p.counts]]));
    expect(byLabel).toEqual({
      'place Pushkinskaya metro station': [7, { events: 1, acts: 4, detentions: 2, custodyStays: 0 }],
      'place 36 Akrestsina (Okrestina) Street': [6, { events: 1, acts: 5, detentions: 0, custodyStays: 0 }],
      'place Central Brest, Savetskaya Street': [4, { events: 1, acts: 2, detentions: 1, custodyStays: 0 }],
      'place Niamiha': [3, { events: 1, acts: 1, detentions: 1, custodyStays: 0 }],
      'place Minsk': [3, { events: 1, acts: 1, detentions: 1, custodyStays: 0 }],
      'facility Okrestina offender isolation centre': [7, { events: 0, acts: 5, detentions: 0, custodyStays: 2 }],
      'facility Okrestina temporary detention centre': [8, { events: 0, acts: 5, detentions: 0, custodyStays: 3 }],
      'facility Frunzienski district police department': [2, { events: 0, acts: 1, detentions: 0, custodyStays: 1 }],
      'facility Leninski district police department, Brest': [2, { events: 0, acts: 1, detentions: 0, custodyStays: 1 }],
      'facility Brest offender isolation centre': [2, { events: 0, acts: 1, detentions: 0, custodyStays: 1 }],
    });
    expect(points.map((p: { count: number }) => p.count)).toEqual([8, 7, 7, 6, 4, 3, 3, 2, 2, 2]);
    const cip = points.find((p: { id: string }) => p.id === idA.cip);
    expect([cip.lat, cip.lon]).toEqual([53.8622, 27.4977]);
    const only = await ok('memberA', 'geo?type=events');
    expect(only.points.map((p: { count: number }) => p.count)).toEqual([1, 1, 1, 1, 1]);
  });

  it('lists events and acts on a timeline, earliest first', async () => {
    const { items, truncated } = await ok('memberA', 'timeline');
    expect(truncated).toBe(false);
    expect(items).toHaveLength(6 + 15);
    expect(items[0]).toMatchObject({ type: 'event', label: 'Разгон мірнага пратэсту на Нямізе ў ноч выбараў', start: '2020-08-09', startPrecision: 'exact', end: '2020-08-10', endPrecision: 'day', event: null });
    expect(items[1]).toMatchObject({ type: 'act', label: 'arrest', start: '2020-08-09', event: items[0].id });
    expect(items.at(-1)).toMatchObject({ type: 'act', start: '2021-04-14' });
    const starts = items.map((i: { start: string }) => i.start);
    expect(starts).toEqual([...starts].sort());
    const window = await ok('memberA', 'timeline?from=2020-09&to=2021');
    expect(window.items.map((i: { type: string; start: string }) => `${i.type} ${i.start}`)).toEqual(['event 2020-09-01', 'act 2020-09-01']);
  });

  it('narrows by the shared filters', async () => {
    expect((await ok('memberA', 'acts-by-type?actType=arrest')).items).toEqual([{ code: 'arrest', count: 6 }]);
    expect((await ok('memberA', `acts-by-type?unit=${idA.omon}`)).items).toEqual([
      { code: 'beating', count: 2 },
      { code: 'arrest', count: 1 },
    ]);
    expect((await ok('memberA', `acts-by-type?facility=${idA.cip}`)).items).toEqual([
      { code: 'arrest', count: 2 },
      { code: 'torture', count: 2 },
      { code: 'threat-of-sexual-violence', count: 1 },
    ]);
    expect((await ok('memberA', 'acts-by-type?method=batons')).total).toBe(4);
    expect((await ok('memberA', 'acts-by-type?status=verified')).total).toBe(6);
    expect((await ok('memberA', 'acts-by-type?status=verified&from=2020-08-10&to=2020-08-12')).total).toBe(4);
    expect((await ok('memberA', 'detentions-over-time?from=2021')).buckets).toEqual([{ start: '2021-04-01', count: 1 }]);
    expect((await ok('memberA', `detentions-over-time?unit=${idA.omon}`)).buckets).toEqual([{ start: '2020-08-01', count: 3 }]);
    expect((await ok('memberA', `detentions-over-time?place=${idA.pushkinskaya}&interval=day`)).buckets).toEqual([{ start: '2020-08-10', count: 2 }]);
    expect((await ok('memberA', `detention-lengths?facility=${idA.cip}`)).detentions.buckets[4].count).toBe(2);
    expect((await ok('memberA', `network?kind=unit-event&unit=${idA.omon}`)).nodes).toHaveLength(4); // OMON, Internal Troops, Alpha; Pushkinskaya
    expect((await ok('memberA', 'acts-by-method?language=be')).total).toBe(15); // ignored
    expect((await ok('memberA', `acts-by-type?compartment=${A}`)).total).toBe(15);
    expect((await ok('memberA', `acts-by-type?compartment=${B}`)).total).toBe(0);
  });

  it('gives zeros to an account in no compartment', async () => {
    expect(await ok('admin', 'acts-by-type')).toEqual({ total: 0, items: [] });
    expect(await ok('admin', 'detentions-over-time')).toEqual({ interval: 'month', buckets: [], undated: 0 });
    expect(await ok('admin', 'geo')).toEqual({ points: [] });
    expect(await ok('admin', 'occupancy')).toEqual({ granularity: 'day', from: null, to: null, facilities: [], undated: 0, truncated: false });
  });

  it('never changes a number for records in a compartment the caller is not in', async () => {
    const before = await snapshot('memberA');
    expect(await snapshot('memberB')).toEqual(await snapshot('admin'));

    // compartment B: the demo again, and records that point into A
    await loadDataSet(depsOf(c), actors.bridge, DEMO_RECORDS, { compartment: B });
    const deps = depsOf(c);
    const det = await createRecord(deps, actors.bridge, 'detentions', {
      compartment: B,
      act: idA.hannaArrest,
      detainedAt: { value: '2020-08-10', precision: 'day' },
      releasedAt: { value: '2020-08-30', precision: 'day' },
      detainingUnits: [idA.omon],
      place: idA.pushkinskaya,
    });
    await createRecord(deps, actors.bridge, 'custody-stays', { compartment: B, detention: det.id, facility: idA.cip, from: { value: '2020-08-10', precision: 'day' } });
    await createRecord(deps, actors.bridge, 'involvements', { compartment: B, act: idA.hannaArrest, unit: idA.cipStaff, degree: 'carried-out' });
    await createRecord(deps, actors.bridge, 'acts', { compartment: B, event: (await c.db.selectFrom('acts').select('event_id').where('id', '=', idA.hannaArrest).executeTakeFirstOrThrow()).event_id, victim: idA.hanna, type: 'torture', methods: ['batons'], start: { value: '2020-08-11', precision: 'day' }, place: idA.pushkinskaya });

    expect(await snapshot('memberA')).toEqual(before);
    // the bridge (in both) sees more, and exactly A's numbers when it asks for A alone
    expect((await ok('bridge', 'acts-by-type')).total).toBe(15 + 15 + 1);
    expect(await snapshot('bridge', `compartment=${A}`)).toEqual(before);
    // B's member sees B's own demo, none of A's ids
    const b = await snapshot('memberB');
    expect((b['acts-by-type'] as { total: number }).total).toBe(16);
    const aIds = new Set(Object.values(idA));
    const ids = JSON.stringify(Object.values(b)).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    expect(ids.length).toBeGreaterThan(50);
    expect(ids.filter((id) => aIds.has(id))).toEqual([]);
  });

  it('answers bad parameters with a 422 problem, never a 500', async () => {
    const bad: [string, string][] = [
      ['detentions-over-time?interval=year2', 'interval'],
      ['timeline?from=notadate', 'from'],
      ['acts-by-type?from=2020-02-30', 'from'],
      ['acts-by-type?from=2020-09&to=2020-08', 'to'],
      ['acts-by-unit?place=nowhere', 'place.0'],
      ['network?kind=everything', 'kind'],
      ['geo?foo=1', 'foo'],
      ['occupancy?compartment=1,2', 'compartment.0'],
      ['acts-by-method?interval=day', 'interval'],
      [`acts-by-facility?method=${'x'.repeat(81)}`, 'method.0'],
    ];
    for (const [path, field] of bad) {
      const p = expectProblem(await get('memberA', path), 422);
      expect(p.errors?.map((e) => e.field), path).toContain(field);
    }
  });
});
