import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { addUser, createToken } from './users.usecases.js';
import { browserSignIn, expectProblem, freshIp, PASSWORD, withToken } from './users.test-support.js';

/**
 * The language of the web application, remembered per account (migration 0011): read with the
 * session, set with PATCH /api/v1/account, kept across sign-ins, one account's choice never
 * another's.
 */
describeEachDialect('the account language', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await addUser(c.db, { username: 'lang-a', role: 'documenter', password: PASSWORD });
    await addUser(c.db, { username: 'lang-b', role: 'analyst', password: PASSWORD });
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  it('is not chosen at first; the session answer also gives back the CSRF token of sign-in and when the session ends', async () => {
    const b = await browserSignIn(app, 'lang-a');
    const me = await b.call('GET', '/api/v1/session');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().user).toMatchObject({ username: 'lang-a', locale: null });
    expect(me.json().csrfToken).toBe(b.csrf);
    expect(Date.parse(me.json().expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('is set by its owner, kept in the database across sign-ins, and affects no other account', async () => {
    const a = await browserSignIn(app, 'lang-a');
    const set = await a.call('PATCH', '/api/v1/account', { locale: 'be' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ locale: 'be' });
    const stored = await c.db.selectFrom('users').select('locale').where('username', '=', 'lang-a').executeTakeFirstOrThrow();
    expect(stored.locale).toBe('be');

    const again = await browserSignIn(app, 'lang-a');
    expect((await again.call('GET', '/api/v1/session')).json().user.locale).toBe('be');
    const other = await browserSignIn(app, 'lang-b');
    expect((await other.call('GET', '/api/v1/session')).json().user.locale).toBeNull();

    // with an API token too; null lets the browser decide again
    const { token } = await createToken(c.db, 'lang-b');
    const api = withToken(app, token);
    expect((await api('PATCH', '/api/v1/account', { locale: 'ru' })).json()).toEqual({ locale: 'ru' });
    const me = await api('GET', '/api/v1/session');
    expect(me.json().user.locale).toBe('ru');
    expect(me.json().csrfToken).toBeNull();
    expect(me.json().expiresAt).toBeNull();
    expect((await api('PATCH', '/api/v1/account', { locale: null })).json()).toEqual({ locale: null });
    expect((await api('GET', '/api/v1/session')).json().user.locale).toBeNull();
    expect((await again.call('GET', '/api/v1/session')).json().user.locale).toBe('be');
  });

  it('refuses an unknown language, an unknown field and a change without the CSRF header, changing nothing', async () => {
    const a = await browserSignIn(app, 'lang-a');
    const before = (await a.call('GET', '/api/v1/session')).json().user.locale;
    const bad = expectProblem(await a.call('PATCH', '/api/v1/account', { locale: 'de' }), 422);
    expect(bad.errors.map((e: { field: string }) => e.field)).toEqual(['locale']);
    expectProblem(await a.call('PATCH', '/api/v1/account', { locale: 'en', role: 'administrator' }), 422);
    const noCsrf = await app.inject({ method: 'PATCH', url: '/api/v1/account', cookies: a.cookies, payload: { locale: 'en' } });
    expectProblem(noCsrf, 403, /x-csrf-token/);
    expectProblem(await app.inject({ method: 'PATCH', url: '/api/v1/account', payload: { locale: 'en' }, remoteAddress: freshIp() }), 401);
    expect((await a.call('GET', '/api/v1/session')).json().user.locale).toBe(before);
  });

  it('can be chosen before enrolling a second factor, so that enrolment reads in that language', async () => {
    await addUser(c.db, { username: 'lang-admin', role: 'administrator', password: PASSWORD });
    const admin = await browserSignIn(app, 'lang-admin');
    const me = (await admin.call('GET', '/api/v1/session')).json();
    expect(me.enrolmentRequired).toBe(true);
    expect((await admin.call('PATCH', '/api/v1/account', { locale: 'ru' })).statusCode).toBe(200);
    expect((await admin.call('GET', '/api/v1/session')).json().user.locale).toBe('ru');
    // still nothing else until enrolled
    expectProblem(await admin.call('GET', '/api/v1/tokens'), 403, /enrol a second factor/);
  });
});
