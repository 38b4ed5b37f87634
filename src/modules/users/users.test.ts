import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { actorFromToken, addUser, createToken, disableUser, ensureFirstAdministrator, signIn } from './users.usecases.js';
import { auditRows, browserSignIn, expectProblem, PASSWORD, withToken } from './users.test-support.js';

describeEachDialect('accounts', (dialect) => {
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

  it('creates the first administrator once, with a password that signs in (to enrol a second factor); audited', async () => {
    const first = await ensureFirstAdministrator(c.db);
    expect(first?.username).toBe('admin');
    expect(await ensureFirstAdministrator(c.db)).toBeNull();
    const s = await signIn(c.db, 'admin', first!.password);
    expect(s.status).toBe('signed-in');
    if (s.status !== 'signed-in') return;
    expect(s.user.role).toBe('administrator');
    expect(s.enrolmentRequired).toBe(true);
    const row = await c.db.selectFrom('users').select(['id', 'password_hash']).where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(first!.password);
    const created = await auditRows(c.db, { action: 'account.create', targetId: row.id });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor_id: null, details: { role: 'administrator' } });
    expect(JSON.stringify(created)).not.toContain(first!.password);
  });

  it('lets only administrators create accounts over the API, audited with who did it', async () => {
    const admin = await createToken(c.db, 'admin', { scope: 'admin' });
    await addUser(c.db, { username: 'tok', role: 'analyst', password: PASSWORD });
    const analyst = await createToken(c.db, 'tok', { scope: 'admin' });
    const body = { username: 'newcomer', role: 'translator', password: PASSWORD };
    const denied = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${analyst.token}` }, payload: body });
    expectProblem(denied, 403);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${admin.token}` }, payload: body });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).not.toHaveProperty('passwordHash');
    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${admin.token}` } });
    expect(list.json().items.map((u: any) => u.username)).toContain('newcomer');
    const adminId = (await actorFromToken(c.db, admin.token))!.userId;
    expect(await auditRows(c.db, { action: 'account.create', targetId: ok.json().id })).toEqual([
      expect.objectContaining({ actor_id: adminId, target_type: 'user', details: { role: 'translator' } }),
    ]);
    // a refused creation writes nothing
    const dup = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${admin.token}` }, payload: body });
    expectProblem(dup, 409);
    expect(await auditRows(c.db, { action: 'account.create' })).toHaveLength(3);
  });

  it('disables an account (sessions end, tokens revoked, sign-in refused) and enables it again; audited', async () => {
    const admin = withToken(app, (await createToken(c.db, 'admin', { scope: 'admin' })).token);
    const u = await addUser(c.db, { username: 'zmicier', role: 'documenter', password: PASSWORD });
    const b = await browserSignIn(app, 'zmicier');
    const t = await createToken(c.db, 'zmicier');

    const res = await admin('POST', `/api/v1/users/${u.id}/disable`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ username: 'zmicier', disabled: true, sessionsEnded: 1, tokensRevoked: 1 });
    expectProblem(await b.call('GET', '/api/v1/session'), 401);
    expect(await actorFromToken(c.db, t.token)).toBeNull();
    await expect(signIn(c.db, 'zmicier', PASSWORD)).rejects.toMatchObject({ status: 401 });
    expectProblem(await admin('POST', `/api/v1/users/${u.id}/disable`), 409, /already disabled/);

    const en = await admin('POST', `/api/v1/users/${u.id}/enable`);
    expect(en.statusCode, en.body).toBe(200);
    expect(en.json().disabled).toBe(false);
    expect((await signIn(c.db, 'zmicier', PASSWORD)).status).toBe('signed-in');
    // tokens revoked by the disabling stay revoked
    expect(await actorFromToken(c.db, t.token)).toBeNull();
    expectProblem(await admin('POST', `/api/v1/users/${u.id}/enable`), 409, /not disabled/);

    expect((await auditRows(c.db, { targetId: u.id })).map((r) => r.action).filter((a) => a.startsWith('account.'))).toEqual([
      'account.create',
      'account.disable',
      'account.enable',
    ]);
  });

  it('never disables the last active administrator, and writes nothing when refused', async () => {
    const before = (await auditRows(c.db, { action: 'account.disable' })).length;
    await expect(disableUser(c.db, null, { username: 'admin' })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/last active administrator/) });
    expect((await c.db.selectFrom('users').select('disabled_at').where('username', '=', 'admin').executeTakeFirstOrThrow()).disabled_at).toBeNull();
    expect((await auditRows(c.db, { action: 'account.disable' })).length).toBe(before);
    await addUser(c.db, { username: 'admin2', role: 'administrator', password: PASSWORD });
    await disableUser(c.db, null, { username: 'admin' });
    await expect(disableUser(c.db, null, { username: 'admin2' })).rejects.toMatchObject({ status: 409 });
  });

  it('accepts the routes whose body is optional with no body at all', async () => {
    await addUser(c.db, { username: 'nobody-body', role: 'documenter', password: PASSWORD });
    const { token } = await createToken(c.db, 'nobody-body');
    const out = await app.inject({ method: 'POST', url: '/api/v1/account/sign-out-everywhere', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode, out.body).toBe(200);
    const enrol = await app.inject({ method: 'POST', url: '/api/v1/account/totp', headers: { authorization: `Bearer ${token}` } });
    expect(enrol.statusCode, enrol.body).toBe(201);
  });
});
