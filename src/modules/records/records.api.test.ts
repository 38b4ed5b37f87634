import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { buildServer } from '../../app/server.js';
import type { Container } from '../../app/container.js';
import { addUser, createToken } from '../users/users.usecases.js';
import { joinCompartment } from '../../test-support/actors.js';

/**
 * The records API end to end over HTTP (in-process), on SQLite and on PostgreSQL: the acceptance
 * scenario of the core, history, optimistic concurrency, bad input and the delete guard.
 */
describeEachDialect('records API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c, { logger: process.env.TEST_LOG ? { level: 'error' } : false });
    const doc = await addUser(c.db, { username: 'doc', role: 'documenter', password: 'a long enough password' });
    await joinCompartment(c.db, doc.id, 'default', 'documenter');
    token = (await createToken(c.db, 'doc')).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const create = async (type: string, body: unknown) => {
    const res = await call('POST', `/api/v1/${type}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number } & Record<string, any>;
  };
  const count = async (type: string) => {
    const r = await c.db.selectFrom(type.replace(/-/g, '_')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const expectProblem = (res: LightMyRequestResponse, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = res.json();
    expect(p.status).toBe(status);
    expect(typeof p.detail).toBe('string');
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    return p;
  };

  it('answers health without authentication', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('refuses /api/v1 without a token, and with a wrong one', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/events' }), 401);
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: 'Bearer ltp_nope' } }), 401);
  });

  it('records an event, an act, an involvement, a detention with two stays, a proceeding with charge and sentence, and reads them back linked', async () => {
    const minsk = await create('places', { nameEn: 'Minsk', nameBe: 'Мінск', nameRu: 'Минск', kind: 'city', latitude: 53.9, longitude: 27.5667 });
    const omon = await create('units', { nameEn: 'OMON of Minsk', nameRu: 'ОМОН ГУВД Мингорисполкома', kind: 'riot-police' });
    const okrestina = await create('facilities', { nameEn: 'Okrestina offender isolation centre', kind: 'offender-isolation-centre', place: minsk.id, capacity: 200 });
    const zhodino = await create('facilities', { nameEn: 'Zhodino remand prison No. 8', kind: 'remand-prison', capacity: 1000 });
    const victim = await create('persons', { pseudonym: 'Witness A-17', sex: 'female', roles: ['victim'] });
    const event = await create('events', {
      title: 'Dispersal near Pushkinskaya',
      status: 'alleged',
      start: { value: '2020-08-10T22:30:00+03:00', precision: 'exact' },
      end: { value: '2020-08-11', precision: 'day' },
      place: minsk.id,
    });
    const act = await create('acts', {
      event: event.id,
      victim: victim.id,
      type: 'beating',
      methods: ['batons', 'kicking'],
      start: { value: '2020-08-10', precision: 'day' },
    });
    expect(act.methods).toEqual(['batons', 'kicking']);
    const inv = await create('involvements', { act: act.id, unit: omon.id, degree: 'carried-out', confidence: 'medium' });
    const det = await create('detentions', { act: act.id, detainingUnits: [omon.id], detainedAt: { value: '2020-08-10', precision: 'day' } });
    const stay1 = await create('custody-stays', {
      detention: det.id,
      facility: okrestina.id,
      from: { value: '2020-08-11', precision: 'day' },
      to: { value: '2020-08-13', precision: 'day' },
      occupants: 50,
      cellCapacity: 4,
      conditions: ['overcrowding', 'no-beds'],
    });
    await create('custody-stays', { detention: det.id, facility: zhodino.id, from: { value: '2020-08', precision: 'month' } });
    const proc = await create('proceedings', { defendant: victim.id, kind: 'administrative', date: { value: '2020-08-12', precision: 'day' }, detention: det.id });
    const charge = await create('charges', { proceeding: proc.id, code: 'koap-2003', article: '23.34', part: '1' });
    const sentence = await create('sentences', { proceeding: proc.id, kind: 'administrative-arrest', days: 15 });

    const gotAct = await call('GET', `/api/v1/acts/${act.id}`);
    expect(gotAct.statusCode).toBe(200);
    expect(gotAct.headers.etag).toBe('"1"');
    const a = gotAct.json();
    expect(a.links.outgoing).toEqual(
      expect.arrayContaining([
        { field: 'event', type: 'events', id: event.id, label: 'Dispersal near Pushkinskaya' },
        { field: 'victim', type: 'persons', id: victim.id, label: 'Witness A-17' },
      ]),
    );
    expect(a.links.incoming.map((l: any) => `${l.type}:${l.id}`).sort()).toEqual([`detentions:${det.id}`, `involvements:${inv.id}`].sort());

    const gotDet = (await call('GET', `/api/v1/detentions/${det.id}`)).json();
    expect(gotDet.detainingUnits).toEqual([omon.id]);
    expect(gotDet.links.incoming.filter((l: any) => l.type === 'custody-stays')).toHaveLength(2);
    expect(gotDet.links.outgoing).toContainEqual({ field: 'detainingUnits', type: 'units', id: omon.id, label: 'OMON of Minsk' });

    const gotProc = (await call('GET', `/api/v1/proceedings/${proc.id}`)).json();
    expect(gotProc.links.incoming.map((l: any) => l.id).sort()).toEqual([charge.id, sentence.id].sort());
    const stays = (await call('GET', `/api/v1/custody-stays?detention=${det.id}`)).json();
    expect(stays.items).toHaveLength(2);
    expect(stays.items.find((s: any) => s.id === stay1.id).conditions).toEqual(['overcrowding', 'no-beds']);

    // history: a change, then the history shows both versions with what changed
    const patched = await call('PATCH', `/api/v1/acts/${act.id}`, { type: 'torture', methods: ['batons'] }, { 'if-match': '"1"' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    const hist = (await call('GET', `/api/v1/acts/${act.id}/history`)).json();
    expect(hist.items.map((h: any) => [h.version, h.action])).toEqual([
      [1, 'create'],
      [2, 'update'],
    ]);
    expect(hist.items[0].actor.username).toBe('doc');
    expect(hist.items[1].changes).toEqual({
      type: { from: 'beating', to: 'torture' },
      methods: { from: ['batons', 'kicking'], to: ['batons'] },
    });
  });

  it('refuses a stale write with 412 and keeps the newer version; demands If-Match', async () => {
    const e = await create('events', { title: 'Raid', status: 'alleged' });
    const first = await call('PATCH', `/api/v1/events/${e.id}`, { title: 'Raid on a flat' }, { 'if-match': '"1"' });
    expect(first.statusCode).toBe(200);
    const stale = await call('PATCH', `/api/v1/events/${e.id}`, { title: 'Stale title' }, { 'if-match': '"1"' });
    const p = expectProblem(stale, 412);
    expect(p.currentVersion).toBe(2);
    expectProblem(await call('PATCH', `/api/v1/events/${e.id}`, { title: 'No precondition' }), 428);
    expectProblem(await call('DELETE', `/api/v1/events/${e.id}`, undefined, { 'if-match': '"1"' }), 412);
    const now = (await call('GET', `/api/v1/events/${e.id}`)).json();
    expect(now.title).toBe('Raid on a flat');
    expect(now.version).toBe(2);
  });

  it('answers bad input with a 4xx problem naming the field, and writes nothing', async () => {
    const events = await count('events');
    const versions = await count('record_versions');
    expectProblem(await call('POST', '/api/v1/events', '{"title": "unterminated'), 400);
    let p = expectProblem(await call('POST', '/api/v1/events', { title: 42, status: 'alleged' }), 422);
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'title' }));
    p = expectProblem(await call('POST', '/api/v1/events', { title: 'x', status: 'rumoured' }), 422);
    expect(p.errors[0].field).toBe('status');
    p = expectProblem(await call('POST', '/api/v1/events', { title: 'x', status: 'alleged', colour: 'red' }), 422);
    expect(p.errors[0].message).toMatch(/unknown field.*colour/);
    p = expectProblem(await call('POST', '/api/v1/events', { title: 'x', status: 'alleged', start: { value: '2020-13', precision: 'month' } }), 422);
    expect(p.errors[0].field).toBe('start.value');
    p = expectProblem(await call('POST', '/api/v1/events', { title: 'x', status: 'alleged', types: ['picnic'] }), 422);
    expect(p.errors).toEqual([{ field: 'types', message: '"picnic" is not a code of the "event-types" vocabulary' }]);
    p = expectProblem(
      await call('POST', '/api/v1/events', { title: 'x', status: 'alleged', place: '0190a1b2-0000-7000-8000-000000000000' }),
      422,
    );
    expect(p.errors[0]).toEqual({ field: 'place', message: 'no place has id 0190a1b2-0000-7000-8000-000000000000' });
    p = expectProblem(await call('POST', '/api/v1/events', { title: 'x', status: 'alleged', start: { value: '2020-08-12', precision: 'day' }, end: { value: '2020-08-01', precision: 'day' } }), 422);
    expect(p.errors[0].field).toBe('end');
    expectProblem(await call('POST', '/api/v1/events', { title: 'x'.repeat(2 * 1024 * 1024), status: 'alleged' }), 413);
    expectProblem(await call('GET', '/api/v1/events/not-a-uuid'), 422);
    expectProblem(await call('GET', '/api/v1/events/0190a1b2-0000-7000-8000-000000000000'), 404);
    expectProblem(await call('GET', '/api/v1/events?cursor=garbage'), 422);
    expectProblem(await call('GET', '/api/v1/events?status=rumoured'), 422);
    expect(await count('events')).toBe(events);
    expect(await count('record_versions')).toBe(versions);
  });

  it('leaves nothing half-written when a later step of a use case fails', async () => {
    // a vocabulary list with one unknown code among known ones: the row, the terms and the version all stay out
    const acts = await count('acts');
    const terms = await count('record_terms');
    const e = await create('events', { title: 'Atomicity', status: 'alleged' });
    const v = await create('persons', { pseudonym: 'P-atomic' });
    const p = expectProblem(await call('POST', '/api/v1/acts', { event: e.id, victim: v.id, type: 'beating', methods: ['batons', 'tickling'] }), 422);
    expect(p.errors[0].field).toBe('methods');
    expect(await count('acts')).toBe(acts);
    expect(await count('record_terms')).toBe(terms);
  });

  it('refuses to delete a referenced record, listing the referrers; deletes once free and keeps the history', async () => {
    const place = await create('places', { nameEn: 'Niamiha' });
    const ev = await create('events', { title: 'Gathering at Niamiha', status: 'corroborated', place: place.id });
    const res = await call('DELETE', `/api/v1/places/${place.id}`, undefined, { 'if-match': '"1"' });
    const p = expectProblem(res, 409);
    expect(p.referrers).toEqual([{ type: 'events', field: 'place', id: ev.id, label: 'Gathering at Niamiha' }]);
    expect((await call('GET', `/api/v1/places/${place.id}`)).statusCode).toBe(200);

    expect((await call('PATCH', `/api/v1/events/${ev.id}`, { place: null }, { 'if-match': '"1"' })).statusCode).toBe(200);
    const del = await call('DELETE', `/api/v1/places/${place.id}`, undefined, { 'if-match': '"1"' });
    expect(del.statusCode, del.body).toBe(204);
    expectProblem(await call('GET', `/api/v1/places/${place.id}`), 404);
    const hist = (await call('GET', `/api/v1/places/${place.id}/history`)).json();
    expect(hist.items.map((h: any) => h.action)).toEqual(['create', 'delete']);
    expect(hist.items[1].changes.nameEn).toEqual({ from: 'Niamiha', to: null });
  });

  it('refuses to delete a unit named in a list field', async () => {
    const unit = await create('units', { nameEn: 'Almaz' });
    const e = await create('events', { title: 'Listed unit', status: 'alleged' });
    const v = await create('persons', { pseudonym: 'P-list' });
    const act = await create('acts', { event: e.id, victim: v.id, type: 'arrest' });
    const det = await create('detentions', { act: act.id, detainingUnits: [unit.id] });
    const p = expectProblem(await call('DELETE', `/api/v1/units/${unit.id}`, undefined, { 'if-match': '"1"' }), 409);
    expect(p.referrers).toEqual([{ type: 'detentions', field: 'detainingUnits', id: det.id, label: null }]);
  });

  it('lists with filters and cursor pagination', async () => {
    const e = await create('events', { title: 'Paging', status: 'verified' });
    const v = await create('persons', { pseudonym: 'P-paging' });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const a = await create('acts', {
        event: e.id,
        victim: v.id,
        type: i % 2 ? 'beating' : 'threat',
        methods: i === 3 ? ['stun-gun'] : [],
        start: { value: `2020-08-${String(10 + i).padStart(2, '0')}`, precision: 'day' },
      });
      ids.push(a.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await call('GET', `/api/v1/acts?event=${e.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((x: any) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const beatings = (await call('GET', `/api/v1/acts?event=${e.id}&type=beating`)).json();
    expect(beatings.items).toHaveLength(3);
    const stun = (await call('GET', `/api/v1/acts?event=${e.id}&methods=stun-gun`)).json();
    expect(stun.items.map((x: any) => x.id)).toEqual([ids[3]]);
    const range = (await call('GET', `/api/v1/acts?event=${e.id}&startFrom=2020-08-12&startTo=2020-08-14&sort=createdAt`)).json();
    expect(range.items.map((x: any) => x.id)).toEqual(ids.slice(2, 5));
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await addUser(c.db, { username: 'viewer1', role: 'viewer', password: 'a long enough password' });
    await joinCompartment(c.db, viewer.id, 'default', 'viewer');
    const vt = (await createToken(c.db, 'viewer1')).token;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${vt}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'x', status: 'alleged' }),
    });
    expectProblem(res, 403);
    const list = await app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${vt}` } });
    expect(list.statusCode).toBe(200);
  });

  it('signs in with a cookie session that needs the CSRF token for changes, and signs out', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'doc', password: 'wrong password!' } });
    expectProblem(bad, 401);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'doc', password: 'a long enough password' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const cookie = ok.cookies.find((k) => k.name === 'letapis_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const { csrfToken } = ok.json();
    const cookies = { letapis_session: cookie.value };
    const me = await app.inject({ method: 'GET', url: '/api/v1/session', cookies });
    expect(me.json().user.username).toBe('doc');
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/events', cookies, payload: { title: 'x', status: 'alleged' } });
    expectProblem(noCsrf, 403);
    const withCsrf = await app.inject({ method: 'POST', url: '/api/v1/events', cookies, headers: { 'x-csrf-token': csrfToken }, payload: { title: 'via session', status: 'alleged' } });
    expect(withCsrf.statusCode, withCsrf.body).toBe(201);
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', cookies, headers: { 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/session', cookies }), 401);
  });

  it('lets exactly one of many simultaneous writers of the same version win; the others get 412', async () => {
    const e = await create('events', { title: 'Contested', status: 'alleged' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call('PATCH', `/api/v1/events/${e.id}`, { title: `Writer ${i}` }, { 'if-match': '"1"' })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((x) => x === 200)).toHaveLength(1);
    expect(codes.filter((x) => x === 412)).toHaveLength(7);
    const winner = results.find((r) => r.statusCode === 200)!.json().title;
    const now = (await call('GET', `/api/v1/events/${e.id}`)).json();
    expect(now.title).toBe(winner);
    expect(now.version).toBe(2);
    const hist = (await call('GET', `/api/v1/events/${e.id}/history`)).json();
    expect(hist.items).toHaveLength(2);
  });

  it('serves the vocabularies with labels in three languages, and the record catalog', async () => {
    const list = (await call('GET', '/api/v1/vocabularies')).json();
    const methods = list.items.find((v: any) => v.name === 'methods');
    expect(methods.termCount).toBeGreaterThan(10);
    const one = (await call('GET', '/api/v1/vocabularies/methods')).json();
    const batons = one.terms.find((t: any) => t.code === 'batons');
    expect(batons.labels.en).toBeTruthy();
    expect(batons.labels.be).toMatch(/[а-яёіў]/i);
    expect(batons.labels.ru).toMatch(/[а-яё]/i);
    expectProblem(await call('GET', '/api/v1/vocabularies/nonsense'), 404);
    const types = (await call('GET', '/api/v1/record-types')).json();
    const acts = types.items.find((t: any) => t.name === 'acts');
    expect(acts.fields.find((f: any) => f.name === 'methods')).toMatchObject({ kind: 'vocabList', vocabulary: 'methods', filters: ['methods'] });
    // names in the UI's languages, so a client labels every form without a key per field
    expect(acts.label).toEqual({ en: 'Act', be: 'Дзеянне', ru: 'Действие' });
    expect(acts.fields.find((f: any) => f.name === 'victim').label.be).toMatch(/[а-яёіў]/i);
    expect(acts.fields.find((f: any) => f.name === 'start').filters).toEqual(['startFrom', 'startTo']);
    const events = types.items.find((t: any) => t.name === 'events');
    expect(events.fields.find((f: any) => f.name === 'status').valueLabels.verified).toEqual({ en: 'verified', be: 'праверана', ru: 'проверено' });
    expect(events.fields.find((f: any) => f.name === 'description')).toMatchObject({ multiline: true });
    const persons = types.items.find((t: any) => t.name === 'persons');
    expect(persons.fields.find((f: any) => f.name === 'identity')).toMatchObject({ kind: 'identity', sensitive: 'identity' });
  });
});
