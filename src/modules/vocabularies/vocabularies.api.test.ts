import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { buildServer } from '../../app/server.js';
import type { Container } from '../../app/container.js';
import { addUser, createToken } from '../users/users.usecases.js';
import { joinCompartment } from '../../test-support/actors.js';

/**
 * Editing vocabularies over HTTP (in-process) on SQLite and PostgreSQL: coordinators and
 * administrators add terms and change them (labels, parent, position, deprecation), never rename
 * or delete them; every change is one new version, guarded by If-Match, audited with before and
 * after, and all or nothing. Records keep a deprecated value they have, but cannot take it anew.
 */
describeEachDialect('vocabularies API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  const tokens: Record<'coordinator' | 'documenter' | 'administrator', string> = { coordinator: '', documenter: '', administrator: '' };

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c, { logger: process.env.TEST_LOG ? { level: 'error' } : false });
    for (const role of ['coordinator', 'documenter', 'administrator'] as const) {
      const u = await addUser(c.db, { username: `v-${role}`, role, password: 'a long enough password' });
      if (role !== 'administrator') await joinCompartment(c.db, u.id, 'default', role);
      tokens[role] = (await createToken(c.db, `v-${role}`)).token;
    }
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  type Who = keyof typeof tokens;
  const call = (who: Who, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const read = async (name: string) => {
    const res = await call('documenter', 'GET', `/api/v1/vocabularies/${name}`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as { version: number; terms: Array<{ code: string; parent: string | null; labels: Record<string, string>; position: number; deprecated: boolean }> };
    expect(res.headers.etag).toBe(`"${v.version}"`);
    return v;
  };
  const addTerm = (who: Who, name: string, version: number, body: unknown) => call(who, 'POST', `/api/v1/vocabularies/${name}/terms`, body, { 'if-match': `"${version}"` });
  const change = (who: Who, name: string, code: string, version: number, body: unknown) =>
    call(who, 'PATCH', `/api/v1/vocabularies/${name}/terms/${code}`, body, { 'if-match': `"${version}"` });
  const problem = (res: LightMyRequestResponse, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.json() as { detail: string; errors?: { field: string; message: string }[]; currentVersion?: number };
  };
  const auditCount = async (action: string) =>
    Number((await c.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
  const snapshot = async (name: string) => JSON.stringify(await c.db.selectFrom('vocabulary_terms').selectAll().where('vocabulary', '=', name).orderBy('code').execute());
  const labels = (en: string) => ({ be: `${en} (be)`, ru: `${en} (ru)`, en });
  const createRecord = async (type: string, body: unknown) => {
    const res = await call('coordinator', 'POST', `/api/v1/${type}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number } & Record<string, any>;
  };

  it('a coordinator adds a term: the vocabulary moves to its next version, the term is listed, the change is audited', async () => {
    const before = await read('methods');
    const res = await addTerm('coordinator', 'methods', before.version, {
      code: 'standing-for-hours',
      labels: { be: '  Шматгадзіннае стаянне ', ru: 'Многочасовое стояние', en: 'Standing for hours' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.version).toBe(before.version + 1);
    expect(res.headers.etag).toBe(`"${before.version + 1}"`);
    // labels trimmed; placed after the last term; current
    expect(body.term).toEqual({
      code: 'standing-for-hours',
      parent: null,
      labels: { be: 'Шматгадзіннае стаянне', ru: 'Многочасовое стояние', en: 'Standing for hours' },
      position: Math.max(...before.terms.map((t) => t.position)) + 1,
      deprecated: false,
    });
    const after = await read('methods');
    expect(after.version).toBe(before.version + 1);
    expect(after.terms.find((t) => t.code === 'standing-for-hours')).toEqual(body.term);
    const list = (await call('documenter', 'GET', '/api/v1/vocabularies')).json().items.find((v: { name: string }) => v.name === 'methods');
    expect(list).toMatchObject({ version: after.version, termCount: before.terms.length + 1 });

    const event = await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'vocabulary.term-add').where('target_id', '=', 'methods/standing-for-hours').executeTakeFirstOrThrow();
    const details = JSON.parse(event.details as string);
    expect(details).toMatchObject({ vocabulary: 'methods', code: 'standing-for-hours', version: after.version, before: null, after: body.term });
    const coordinatorId = (await c.db.selectFrom('users').select('id').where('username', '=', 'v-coordinator').executeTakeFirstOrThrow()).id;
    expect(event.actor_id).toBe(coordinatorId);
  });

  it('an administrator adds a child term under a parent of the same vocabulary', async () => {
    const v = await read('methods');
    const res = await addTerm('administrator', 'methods', v.version, { code: 'standing-facing-wall', parent: 'standing-for-hours', labels: labels('Standing at the wall'), position: 5 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().term).toMatchObject({ parent: 'standing-for-hours', position: 5 });
  });

  it('refuses a code the vocabulary has (409), saying so, and writes nothing', async () => {
    const v = await read('methods');
    const was = await snapshot('methods');
    const audits = await auditCount('vocabulary.term-add');
    const p = problem(await addTerm('coordinator', 'methods', v.version, { code: 'standing-for-hours', labels: labels('Again') }), 409);
    expect(p.detail).toMatch(/already has a term "standing-for-hours"/);
    expect((await read('methods')).version).toBe(v.version);
    expect(await snapshot('methods')).toBe(was);
    expect(await auditCount('vocabulary.term-add')).toBe(audits);
  });

  it('refuses a bad code and missing, empty or too long labels, naming each field (422)', async () => {
    const v = await read('methods');
    const was = await snapshot('methods');
    const p = problem(await addTerm('coordinator', 'methods', v.version, { code: 'Stress Positions', labels: { be: '   ', en: 'x'.repeat(201) } }), 422);
    const fields = Object.fromEntries(p.errors!.map((e) => [e.field, e.message]));
    expect(fields.code).toMatch(/lower-case/);
    expect(fields['labels.be']).toMatch(/empty/);
    expect(fields['labels.ru']).toMatch(/required/);
    expect(fields['labels.en']).toMatch(/200/);
    for (const code of ['-leading', 'double--hyphen', 'кірыліца', '']) {
      const q = problem(await addTerm('coordinator', 'methods', v.version, { code, labels: labels('Fine') }), 422);
      expect(q.errors!.map((e) => e.field)).toEqual(['code']);
    }
    // a code is for good: a change may not name one
    const r = problem(await change('coordinator', 'methods', 'standing-for-hours', v.version, { code: 'renamed' }), 422);
    expect(r.errors![0]!.message).toMatch(/unknown field: code/);
    expect(problem(await change('coordinator', 'methods', 'standing-for-hours', v.version, {}), 422).errors).toBeDefined();
    // no route deletes a term
    expect((await call('coordinator', 'DELETE', '/api/v1/vocabularies/methods/terms/standing-for-hours', undefined, { 'if-match': `"${v.version}"` })).statusCode).toBe(404);
    expect(await snapshot('methods')).toBe(was);
    expect((await read('methods')).version).toBe(v.version);
  });

  it('refuses a parent that is not a term of the vocabulary, or is deprecated, and a change that would make a cycle', async () => {
    const v = await read('methods');
    const was = await snapshot('methods');
    // a term of another vocabulary is no parent here
    let p = problem(await addTerm('coordinator', 'methods', v.version, { code: 'orphan', parent: 'beating', labels: labels('Orphan') }), 422);
    expect(p.errors).toEqual([{ field: 'parent', message: '"beating" is not a term of the "methods" vocabulary' }]);
    p = problem(await change('coordinator', 'methods', 'standing-for-hours', v.version, { parent: 'standing-facing-wall' }), 422);
    expect(p.errors![0]).toMatchObject({ field: 'parent' });
    expect(p.errors![0]!.message).toMatch(/descendants/);
    p = problem(await change('coordinator', 'methods', 'standing-for-hours', v.version, { parent: 'standing-for-hours' }), 422);
    expect(p.errors![0]!.field).toBe('parent');
    expect(problem(await change('coordinator', 'methods', 'no-such-term', v.version, { deprecated: true }), 404).detail).toMatch(/no term "no-such-term"/);
    expect(problem(await addTerm('coordinator', 'no-such-vocabulary', 1, { code: 'x', labels: labels('X') }), 404).detail).toMatch(/no vocabulary/);
    // nothing half-written: the version did not move either
    expect(await snapshot('methods')).toBe(was);
    expect((await read('methods')).version).toBe(v.version);
  });

  it('changes labels, parent and position; a stale or missing If-Match is refused (412, 428) and changes nothing', async () => {
    const v = await read('methods');
    const res = await change('coordinator', 'methods', 'standing-facing-wall', v.version, { labels: { en: 'Standing facing the wall' }, parent: null, position: 7 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      version: v.version + 1,
      term: { code: 'standing-facing-wall', parent: null, position: 7, labels: { en: 'Standing facing the wall', be: 'Standing at the wall (be)' } },
      reindexJobId: null, // no record uses it yet
    });
    const event = await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'vocabulary.term-change').where('target_id', '=', 'methods/standing-facing-wall').executeTakeFirstOrThrow();
    const details = JSON.parse(event.details as string);
    expect(details.before).toMatchObject({ parent: 'standing-for-hours', position: 5, labels: { en: 'Standing at the wall' } });
    expect(details.after).toMatchObject({ parent: null, position: 7, labels: { en: 'Standing facing the wall' } });

    const was = await snapshot('methods');
    const stale = problem(await change('coordinator', 'methods', 'standing-facing-wall', v.version, { deprecated: true }), 412);
    expect(stale.currentVersion).toBe(v.version + 1);
    expect(stale.detail).toMatch(/someone changed it/);
    problem(await addTerm('coordinator', 'methods', v.version, { code: 'too-late', labels: labels('Too late') }), 412);
    problem(await call('coordinator', 'PATCH', '/api/v1/vocabularies/methods/terms/standing-facing-wall', { deprecated: true }), 428);
    expect(await snapshot('methods')).toBe(was);
    expect((await read('methods')).version).toBe(v.version + 1);
  });

  it('a documenter may read but not change a vocabulary (403), and nothing is written', async () => {
    const v = await read('methods');
    const was = await snapshot('methods');
    expect(problem(await addTerm('documenter', 'methods', v.version, { code: 'by-documenter', labels: labels('By a documenter') }), 403).detail).toMatch(/coordinators and administrators/);
    problem(await change('documenter', 'methods', 'standing-for-hours', v.version, { deprecated: true }), 403);
    expect(await snapshot('methods')).toBe(was);
    expect((await read('methods')).version).toBe(v.version);
  });

  it('a deprecated term stays on the records that have it but cannot be chosen anew; undeprecated, it can', async () => {
    const place = await createRecord('places', { nameEn: 'Vocabulary town', kind: 'city' });
    const event = await createRecord('events', { title: 'Vocabulary test event', status: 'alleged', place: place.id });
    const victim = await createRecord('persons', { pseudonym: 'V-voc-1' });
    const act = await createRecord('acts', { event: event.id, victim: victim.id, type: 'beating', methods: ['standing-for-hours'] });

    let v = await read('methods');
    const res = await change('coordinator', 'methods', 'standing-for-hours', v.version, { deprecated: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().term.deprecated).toBe(true);
    v = await read('methods');
    expect(v.terms.find((t) => t.code === 'standing-for-hours')!.deprecated).toBe(true); // still listed, for labelling old values
    // nothing new goes under a deprecated term
    const under = problem(await addTerm('coordinator', 'methods', v.version, { code: 'standing-on-one-leg', parent: 'standing-for-hours', labels: labels('On one leg') }), 422);
    expect(under.errors).toEqual([{ field: 'parent', message: expect.stringMatching(/deprecated/) }]);

    // new use: refused, saying it is deprecated
    const refused = await call('coordinator', 'POST', '/api/v1/acts', { event: event.id, victim: victim.id, type: 'beating', methods: ['standing-for-hours'] });
    const p = problem(refused, 422);
    expect(p.errors).toEqual([{ field: 'methods', message: expect.stringMatching(/"standing-for-hours" is deprecated in the "methods" vocabulary/) }]);
    // the act keeps it, and may be saved with another method added beside it
    const kept = await call('coordinator', 'PATCH', `/api/v1/acts/${act.id}`, { methods: ['standing-for-hours', 'batons'] }, { 'if-match': `"${act.version}"` });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().methods).toEqual(['standing-for-hours', 'batons']);
    // an injury's alleged cause (a single-value field of the same vocabulary): refused anew too
    problem(await call('coordinator', 'POST', '/api/v1/medical-findings', { person: victim.id, kind: 'bruise', allegedCause: 'standing-for-hours' }), 422);

    const back = await change('coordinator', 'methods', 'standing-for-hours', v.version, { deprecated: false });
    expect(back.statusCode, back.body).toBe(200);
    await createRecord('acts', { event: event.id, victim: victim.id, type: 'beating', methods: ['standing-for-hours'] });
  });

  it('a new term is searchable by its labels at once; a label change of a used term queues the search reindex', async () => {
    const event = await createRecord('events', { title: 'Search vocabulary event', status: 'alleged' });
    const victim = await createRecord('persons', { pseudonym: 'V-voc-2' });
    await createRecord('acts', { event: event.id, victim: victim.id, type: 'beating', methods: ['batons'] }); // labels now cached
    let v = await read('methods');
    expect((await addTerm('coordinator', 'methods', v.version, { code: 'waterboarding', labels: { be: 'Імітацыя ўтаплення', ru: 'Имитация утопления', en: 'Waterboarding' } })).statusCode).toBe(201);
    const act = await createRecord('acts', { event: event.id, victim: victim.id, type: 'beating', methods: ['waterboarding'] });
    const hits = (await call('coordinator', 'GET', '/api/v1/search?q=waterboarding&type=acts')).json();
    expect(hits.items.map((h: { id: string }) => h.id)).toEqual([act.id]);

    v = await read('methods');
    const res = await change('coordinator', 'methods', 'waterboarding', v.version, { labels: { en: 'Simulated drowning' } });
    expect(res.statusCode, res.body).toBe(200);
    const jobId = res.json().reindexJobId as string;
    expect(jobId).toBeTruthy();
    const job = await c.db.selectFrom('jobs').select(['name', 'state']).where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(job).toEqual({ name: 'search.reindex', state: 'queued' });
    const event2 = await c.db.selectFrom('audit_events').select('details').where('action', '=', 'vocabulary.term-change').where('target_id', '=', 'methods/waterboarding').executeTakeFirstOrThrow();
    expect(JSON.parse(event2.details as string).reindexJobId).toBe(jobId);
  });

  it('lists the new routes in the OpenAPI document, saying codes are never renamed or deleted', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/v1/vocabularies/{name}/terms'].post).toBeDefined();
    expect(doc.paths['/api/v1/vocabularies/{name}/terms/{code}'].patch.description).toMatch(/never renamed or deleted/);
    expect(doc.paths['/api/v1/vocabularies/{name}/terms/{code}'].delete).toBeUndefined();
  });
});
