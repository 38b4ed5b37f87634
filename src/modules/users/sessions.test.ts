import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { actorFromSession, addUser, createToken, signIn, SESSION_LIMITS } from './users.usecases.js';
import { sha256 } from './users.shared.js';
import { auditRows, browserSignIn, expectProblem, freshIp, PASSWORD, withToken } from './users.test-support.js';

describeEachDialect('sessions, sign-out everywhere, passwords', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const sessionOf = async (username: string) => {
    const s = await signIn(c.db, username, PASSWORD);
    if (s.status !== 'signed-in') throw new Error('expected a session');
    return s.sessionId;
  };

  it('ends a session unused for longer than the idle limit, and one past its absolute expiry', async () => {
    await addUser(c.db, { username: 'olia', role: 'documenter', password: PASSWORD });
    const idle = await sessionOf('olia');
    const old = await sessionOf('olia');
    const fresh = await sessionOf('olia');
    expect(await actorFromSession(c.db, idle)).toMatchObject({ actor: { username: 'olia' }, enrolmentRequired: false });

    await c.db.updateTable('sessions').set({ last_seen_at: ago((SESSION_LIMITS.idleMinutes + 1) * 60_000) }).where('id_hash', '=', sha256(idle)).execute();
    expect(await actorFromSession(c.db, idle)).toBeNull();
    expect(await c.db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256(idle)).executeTakeFirst()).toBeUndefined();

    await c.db.updateTable('sessions').set({ expires_at: ago(1000) }).where('id_hash', '=', sha256(old)).execute();
    expect(await actorFromSession(c.db, old)).toBeNull();

    // use keeps a session alive: the last use is written at most once a minute
    const before = ago(2 * 60_000);
    await c.db.updateTable('sessions').set({ last_seen_at: before }).where('id_hash', '=', sha256(fresh)).execute();
    expect(await actorFromSession(c.db, fresh)).not.toBeNull();
    const row = await c.db.selectFrom('sessions').select('last_seen_at').where('id_hash', '=', sha256(fresh)).executeTakeFirstOrThrow();
    expect(row.last_seen_at > before).toBe(true);

    // the cookie expires with the absolute limit
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'olia', password: PASSWORD }, remoteAddress: freshIp() });
    const cookie = res.cookies.find((k) => k.name === 'letapis_session')!;
    const hours = (new Date(cookie.expires!).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(SESSION_LIMITS.absoluteHours - 0.1);
    expect(hours).toBeLessThanOrEqual(SESSION_LIMITS.absoluteHours);
  });

  it('signs out everywhere: every session ends, tokens too when asked; audited', async () => {
    const u = await addUser(c.db, { username: 'pauliuk', role: 'documenter', password: PASSWORD });
    const a = await browserSignIn(app, 'pauliuk');
    const b = await browserSignIn(app, 'pauliuk');
    const t = await createToken(c.db, 'pauliuk');
    const res = await a.call('POST', '/api/v1/account/sign-out-everywhere', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sessionsEnded: 2, tokensRevoked: 0 });
    expectProblem(await a.call('GET', '/api/v1/session'), 401);
    expectProblem(await b.call('GET', '/api/v1/session'), 401);
    expect((await withToken(app, t.token)('GET', '/api/v1/session')).statusCode).toBe(200);

    const c1 = await browserSignIn(app, 'pauliuk');
    const both = await c1.call('POST', '/api/v1/account/sign-out-everywhere', { revokeTokens: true });
    expect(both.json()).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
    expectProblem(await withToken(app, t.token)('GET', '/api/v1/session'), 401, /revoked/);
    const rows = await auditRows(c.db, { action: 'auth.sign-out-everywhere', targetId: u.id });
    expect(rows.map((r) => r.details)).toEqual([
      { sessionsEnded: 2, tokensRevoked: 0 },
      { sessionsEnded: 1, tokensRevoked: 1 },
    ]);
    expect(rows[0]!.actor_id).toBe(u.id);
  });

  it('changes a password with the current one: other sessions end, this one stays; a wrong current password changes nothing', async () => {
    const u = await addUser(c.db, { username: 'rahnieda', role: 'analyst', password: PASSWORD });
    const here = await browserSignIn(app, 'rahnieda');
    const there = await browserSignIn(app, 'rahnieda');
    const hashBefore = (await c.db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow()).password_hash;

    const wrong = await here.call('POST', '/api/v1/account/password', { currentPassword: 'not my password', newPassword: 'a brand new password' });
    expect(expectProblem(wrong, 422).errors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
    const short = await here.call('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(expectProblem(short, 422).errors[0].field).toBe('newPassword');
    const after = (await c.db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow()).password_hash;
    expect(after).toBe(hashBefore);
    expect((await there.call('GET', '/api/v1/session')).statusCode).toBe(200);
    expect(await auditRows(c.db, { action: 'account.password-change' })).toEqual([]);

    const ok = await here.call('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ sessionsEnded: 1 });
    expect((await here.call('GET', '/api/v1/session')).statusCode).toBe(200);
    expectProblem(await there.call('GET', '/api/v1/session'), 401);
    await expect(signIn(c.db, 'rahnieda', PASSWORD)).rejects.toMatchObject({ status: 401 });
    expect((await signIn(c.db, 'rahnieda', 'a brand new password')).status).toBe('signed-in');
    const rows = await auditRows(c.db, { action: 'account.password-change', targetId: u.id });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('a brand new password');
  });

  it('counts wrong current passwords towards the lockout', async () => {
    await addUser(c.db, { username: 'symon', role: 'analyst', password: PASSWORD });
    const b = await browserSignIn(app, 'symon');
    for (let i = 0; i < 5; i++)
      expectProblem(await b.call('POST', '/api/v1/account/password', { currentPassword: `guess number ${i}`, newPassword: 'a brand new password' }), 422);
    const locked = await b.call('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expectProblem(locked, 429, /locked/);
    expect(locked.headers['retry-after']).toBeDefined();
    await expect(signIn(c.db, 'symon', PASSWORD)).rejects.toMatchObject({ status: 429 });
  });

  it('lets an administrator reset a password: sessions end, the lockout is lifted; others are refused; audited', async () => {
    const u = await addUser(c.db, { username: 'taras', role: 'translator', password: PASSWORD });
    const b = await browserSignIn(app, 'taras');
    await addUser(c.db, { username: 'boss', role: 'administrator', password: PASSWORD });
    const admin = withToken(app, (await createToken(c.db, 'boss', { scope: 'admin' })).token);
    const adminWrite = withToken(app, (await createToken(c.db, 'boss', { scope: 'write' })).token);
    const peer = withToken(app, (await createToken(c.db, 'taras')).token);
    for (let i = 0; i < 6; i++) await signIn(c.db, 'taras', `wrong ${i}`).catch(() => {});

    expectProblem(await peer('POST', `/api/v1/users/${u.id}/password`, { password: 'set by a colleague' }), 403);
    expectProblem(await adminWrite('POST', `/api/v1/users/${u.id}/password`, { password: 'set by a colleague' }), 403, /"admin" scope/);
    expectProblem(await admin('POST', `/api/v1/users/${u.id}/password`, { password: 'short' }), 422);
    expectProblem(await admin('POST', '/api/v1/users/00000000-0000-0000-0000-000000000000/password', { password: 'long enough password' }), 404);
    expect(await auditRows(c.db, { action: 'account.password-reset' })).toEqual([]);

    const res = await admin('POST', `/api/v1/users/${u.id}/password`, { password: 'set by the administrator' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sessionsEnded).toBe(1);
    expectProblem(await b.call('GET', '/api/v1/session'), 401);
    expect((await signIn(c.db, 'taras', 'set by the administrator')).status).toBe('signed-in');
    expect(await auditRows(c.db, { action: 'account.password-reset', targetId: u.id })).toHaveLength(1);
  });
});
