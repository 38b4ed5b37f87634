import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { buildServer } from '../../app/server.js';
import type { Container } from '../../app/container.js';
import { addUser, createToken } from '../users/users.usecases.js';
import { joinCompartment } from '../../test-support/actors.js';
import { VIEWS_PER_TYPE } from './saved-views.js';

/**
 * Saved views over HTTP on SQLite and PostgreSQL: each account keeps its own per record type,
 * another account's view is answered 404, and a view holds only list parameters the type accepts.
 */
describeEachDialect('saved views API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c, { logger: false });
    for (const name of ['ales', 'maryia']) {
      const u = await addUser(c.db, { username: name, role: 'documenter', password: 'a long enough password' });
      await joinCompartment(c.db, u.id, 'default', 'documenter');
      tokens[name] = (await createToken(c.db, name)).token;
    }
    tokens.reader = (await createToken(c.db, 'ales', { scope: 'read' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const call = (who: string, method: string, url: string, body?: unknown) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const count = async () => Number((await c.db.selectFrom('saved_views').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  let viewId = '';

  it('saves a view of a list, lists it for its owner only, by type', async () => {
    const res = await call('ales', 'POST', '/api/v1/saved-views', { type: 'events', name: '  August, by start  ', query: { status: 'alleged,verified', startFrom: '2020-08-01', sort: '-start', cols: 'start,place' } });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({ type: 'events', name: 'August, by start', query: { status: 'alleged,verified', startFrom: '2020-08-01', sort: '-start', cols: 'start,place' } });
    viewId = v.id;
    await call('ales', 'POST', '/api/v1/saved-views', { type: 'acts', name: 'Beatings', query: { type: 'beating' } });

    const mine = (await call('ales', 'GET', '/api/v1/saved-views?type=events')).json().items;
    expect(mine.map((x: any) => x.name)).toEqual(['August, by start']);
    expect((await call('ales', 'GET', '/api/v1/saved-views')).json().items.map((x: any) => x.type)).toEqual(['acts', 'events']);
    expect((await call('maryia', 'GET', '/api/v1/saved-views?type=events')).json().items).toEqual([]);
    // the same name is free for another account
    expect((await call('maryia', 'POST', '/api/v1/saved-views', { type: 'events', name: 'August, by start', query: {} })).statusCode).toBe(201);
  });

  it('answers another account’s view as not found, and leaves it unchanged', async () => {
    expect((await call('maryia', 'PATCH', `/api/v1/saved-views/${viewId}`, { name: 'Mine now' })).statusCode).toBe(404);
    expect((await call('maryia', 'DELETE', `/api/v1/saved-views/${viewId}`)).statusCode).toBe(404);
    const still = (await call('ales', 'GET', '/api/v1/saved-views?type=events')).json().items;
    expect(still.map((x: any) => x.name)).toEqual(['August, by start']);
  });

  it('renames a view and replaces its query; refuses a name already used', async () => {
    const renamed = await call('ales', 'PATCH', `/api/v1/saved-views/${viewId}`, { name: 'Жнівень 2020', query: { sort: 'title' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Жнівень 2020', query: { sort: 'title' } });
    await call('ales', 'POST', '/api/v1/saved-views', { type: 'events', name: 'Other', query: {} });
    const clash = await call('ales', 'PATCH', `/api/v1/saved-views/${viewId}`, { name: 'Other' });
    expect(clash.statusCode).toBe(409);
    const dup = await call('ales', 'POST', '/api/v1/saved-views', { type: 'events', name: 'Other ', query: {} });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().detail).toContain('already have a view named "Other"');
  });

  it('refuses bad views with what is wrong, and writes nothing', async () => {
    const before = await count();
    const bad: [unknown, RegExp][] = [
      [{ type: 'nonsense', name: 'x', query: {} }, /unknown record type/],
      [{ type: 'events', name: '   ', query: {} }, /must not be empty/],
      [{ type: 'events', name: 'x'.repeat(101), query: {} }, /at most 100 characters/],
      [{ type: 'events', name: 'x', query: { bogus: '1' } }, /not a parameter of the events list: bogus/],
      [{ type: 'events', name: 'x', query: { cursor: 'abc' } }, /not a parameter of the events list: cursor/],
      [{ type: 'events', name: 'x', query: { sort: 'place' } }, /unknown order; one of: .*title/],
      [{ type: 'events', name: 'x', query: { cols: 'title,secret' } }, /not fields of events: secret/],
      [{ type: 'events', name: 'x', query: { sort: 1 } }, /./],
      // a person's name searched for is stored nowhere in clear
      [{ type: 'persons', name: 'x', query: { name: 'Іваноў', sort: 'pseudonym' } }, /a name search is not kept in a saved view/],
      [{ type: 'events', name: 'x', query: { status: 'a'.repeat(2001) } }, /./],
      [{ type: 'events', name: 'x', query: Object.fromEntries(['status', 'place', 'types', 'compartment', 'startFrom'].map((k) => [k, 'v'.repeat(1900)])) }, /query: is too long \(at most 8000 characters/],
    ];
    for (const [body, message] of bad) {
      const res = await call('ales', 'POST', '/api/v1/saved-views', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(res.json().detail).toMatch(message);
    }
    expect((await call('ales', 'PATCH', `/api/v1/saved-views/${viewId}`, { query: { bogus: '1' } })).statusCode).toBe(422);
    expect((await call('ales', 'PATCH', `/api/v1/saved-views/${viewId}`, { name: '' })).statusCode).toBe(422);
    expect(await count()).toBe(before);
    expect((await call('ales', 'GET', '/api/v1/saved-views?type=events')).json().items.find((v: any) => v.id === viewId).query).toEqual({ sort: 'title' });
  });

  it(`keeps at most ${VIEWS_PER_TYPE} views per account and type`, async () => {
    const have = (await call('maryia', 'GET', '/api/v1/saved-views?type=places')).json().items.length;
    for (let i = have; i < VIEWS_PER_TYPE; i++) expect((await call('maryia', 'POST', '/api/v1/saved-views', { type: 'places', name: `v${i}`, query: {} })).statusCode).toBe(201);
    const over = await call('maryia', 'POST', '/api/v1/saved-views', { type: 'places', name: 'one more', query: {} });
    expect(over.statusCode).toBe(409);
    // another type is counted apart
    expect((await call('maryia', 'POST', '/api/v1/saved-views', { type: 'units', name: 'one more', query: {} })).statusCode).toBe(201);
  });

  it('deletes a view', async () => {
    expect((await call('ales', 'DELETE', `/api/v1/saved-views/${viewId}`)).statusCode).toBe(204);
    expect((await call('ales', 'DELETE', `/api/v1/saved-views/${viewId}`)).statusCode).toBe(404);
    expect((await call('ales', 'GET', '/api/v1/saved-views?type=events')).json().items.map((x: any) => x.name)).toEqual(['Other']);
  });

  it('needs a signed-in caller; a read-only token reads views but does not save them', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/saved-views' })).statusCode).toBe(401);
    expect((await call('reader', 'GET', '/api/v1/saved-views?type=events')).json().items.map((x: any) => x.name)).toEqual(['Other']);
    expect((await call('reader', 'POST', '/api/v1/saved-views', { type: 'events', name: 'by token', query: {} })).statusCode).toBe(403);
  });
});
