import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTotpSecret } from './totp-secret.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { addUser, createToken, resetTotp } from './users.usecases.js';
import { joinCompartment } from '../../test-support/actors.js';
import { auditRows, browserSignIn, expectProblem, freshIp, PASSWORD, totpCode, withToken, wrongCode } from './users.test-support.js';

describeEachDialect('TOTP second factor', (dialect) => {
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

  /** Enrols a second factor for a signed-in browser; returns the secret. */
  async function enrol(b: Awaited<ReturnType<typeof browserSignIn>>): Promise<string> {
    const start = await b.call('POST', '/api/v1/account/totp', {});
    expect(start.statusCode, start.body).toBe(201);
    const { secret, uri } = start.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const ok = await b.call('POST', '/api/v1/account/totp/confirm', { code: totpCode(secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    return secret;
  }

  const step1 = (username: string, password = PASSWORD, remoteAddress = freshIp()) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password }, remoteAddress });
  const step2 = (pendingToken: string, code: string, remoteAddress = freshIp()) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { pendingToken, code }, remoteAddress });

  it('enrols a documenter: the secret is shown once, the factor is on only after a right code, and audited', async () => {
    const u = await addUser(c.db, { username: 'hanna', role: 'documenter', password: PASSWORD });
    const b = await browserSignIn(app, 'hanna');
    const start = await b.call('POST', '/api/v1/account/totp', { issuer: 'Notes', label: 'work' });
    expect(start.statusCode, start.body).toBe(201);
    const { secret, uri } = start.json();
    expect(uri).toContain('issuer=Notes');
    expect(decodeURIComponent(uri)).toContain('Notes:work');
    expect(uri).toContain(`secret=${secret}`);
    // not on yet: sign-in still needs only the password
    expect((await step1('hanna')).statusCode).toBe(200);
    // a wrong code does not turn it on, and writes no audit event
    const wrong = await b.call('POST', '/api/v1/account/totp/confirm', { code: wrongCode(secret) });
    expectProblem(wrong, 422);
    expect(wrong.json().errors[0].field).toBe('code');
    expect(await auditRows(c.db, { action: 'totp.enrol' })).toEqual([]);
    const ok = await b.call('POST', '/api/v1/account/totp/confirm', { code: totpCode(secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    // the password-only session opened above ended; this one stays
    expect(ok.json()).toEqual({ enabled: true, sessionsEnded: 1 });
    expect((await b.call('GET', '/api/v1/session')).json().user.totpEnabled).toBe(true);
    expect(await auditRows(c.db, { action: 'totp.enrol', targetId: u.id })).toHaveLength(1);
    // enrolling again is refused
    expectProblem(await b.call('POST', '/api/v1/account/totp', {}), 409, /already has a second factor/);
    // the secret is stored encrypted under the vault, bound to this account
    const row = await c.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1\.[0-9a-f-]{36}\.[A-Za-z0-9+/=]+$/);
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_enabled_at).not.toBeNull();
    // moved to another account it no longer opens: the account id is bound in
    const other = await addUser(c.db, { username: 'thief', role: 'documenter', password: PASSWORD });
    await expect(openTotpSecret(c.db, c.vault, other.id, row.totp_secret)).rejects.toThrow();
    expect(await openTotpSecret(c.db, c.vault, u.id, row.totp_secret)).toBe(secret);
  });

  it('signs in in two steps; a code is accepted once; wrong codes count towards the lockout', async () => {
    const u = await addUser(c.db, { username: 'ihar', role: 'documenter', password: PASSWORD });
    const secret = await enrol(await browserSignIn(app, 'ihar'));

    const wrongPassword = await step1('ihar', 'not the password!!');
    expectProblem(wrongPassword, 401, /^wrong user name or password$/);

    const first = await step1('ihar');
    expect(first.statusCode, first.body).toBe(202);
    const { pendingToken, secondFactor, expiresAt } = first.json();
    expect(secondFactor).toBe('totp');
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(first.cookies.find((k) => k.name === 'letapis_session')).toBeUndefined();

    expectProblem(await step2(pendingToken, 'abc'), 401, /code is wrong/);
    const code = totpCode(secret, 1);
    const ok = await step2(pendingToken, code);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.cookies.find((k) => k.name === 'letapis_session')?.httpOnly).toBe(true);
    expect((await auditRows(c.db, { action: 'auth.sign-in', targetId: u.id })).at(-1)!.details).toEqual({ method: 'password+totp' });

    // the pending sign-in is used up
    expectProblem(await step2(pendingToken, code), 401, /unknown or has expired/);
    // the same code in a new sign-in is a replay
    const again = await step1('ihar');
    const replay = await step2(again.json().pendingToken, code);
    expectProblem(replay, 401, /already been used/);
    const reasons = (await auditRows(c.db, { action: 'auth.sign-in-failed', targetId: u.id })).map((r) => r.details.reason);
    expect(reasons).toEqual(['wrong-password', 'wrong-code', 'code-reused']);
    // the success cleared the earlier failures; the replay is one, four wrong codes make five
    for (let i = 1; i <= 4; i++) expectProblem(await step2(again.json().pendingToken, wrongCode(secret, i)), 401, /code is wrong/);
    const locked = await step2(again.json().pendingToken, totpCode(secret, 1));
    expectProblem(locked, 429, /locked/);
    expect(locked.headers['retry-after']).toBeDefined();
    // the lock ended the pending sign-in: the password is needed again
    expectProblem(await step2(again.json().pendingToken, totpCode(secret, 1)), 401, /unknown or has expired/);
    expect(await auditRows(c.db, { action: 'auth.lockout', targetId: u.id })).toHaveLength(1);
  });

  it('refuses an expired pending sign-in', async () => {
    await addUser(c.db, { username: 'jana', role: 'documenter', password: PASSWORD });
    const secret = await enrol(await browserSignIn(app, 'jana'));
    const first = await step1('jana');
    await c.db.updateTable('sign_in_challenges').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    expectProblem(await step2(first.json().pendingToken, totpCode(secret, 1)), 401, /expired/);
  });

  it('restricts an administrator without a second factor to enrolling one, then lets them in', async () => {
    await addUser(c.db, { username: 'kastus', role: 'administrator', password: PASSWORD });
    const first = await step1('kastus');
    expect(first.statusCode).toBe(200);
    expect(first.json().enrolmentRequired).toBe(true);
    const b = await browserSignIn(app, 'kastus');
    const users = await b.call('GET', '/api/v1/users');
    expectProblem(users, 403, /^enrol a second factor first/);
    expectProblem(await b.call('GET', '/api/v1/events'), 403, /^enrol a second factor first/);
    expectProblem(await b.call('POST', '/api/v1/tokens', { name: 'sneaky' }), 403, /^enrol a second factor first/);
    expectProblem(await b.call('GET', '/api/v1/audit'), 403, /^enrol a second factor first/);
    expectProblem(await b.call('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: 'another long password' }), 403, /enrol/);
    const me = await b.call('GET', '/api/v1/session');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ enrolmentRequired: true, user: { secondFactorRequired: true, totpEnabled: false } });

    const secret = await enrol(b);
    expect((await b.call('GET', '/api/v1/users')).statusCode).toBe(200);
    // from now on, sign-in asks for the code
    expect((await step1('kastus')).statusCode).toBe(202);
    const b2 = await browserSignIn(app, 'kastus', PASSWORD, secret);
    expect((await b2.call('GET', '/api/v1/audit')).statusCode).toBe(200);
  });

  it('requires a second factor of coordinators too, not of documenters', async () => {
    await addUser(c.db, { username: 'lesia', role: 'coordinator', password: PASSWORD });
    await addUser(c.db, { username: 'maksim', role: 'documenter', password: PASSWORD });
    expect((await step1('lesia')).json().enrolmentRequired).toBe(true);
    expect((await step1('maksim')).json().enrolmentRequired).toBe(false);
  });

  it('requires a second factor of anyone who may reveal identities in a compartment, from the next request on', async () => {
    const u = await addUser(c.db, { username: 'ola', role: 'documenter', password: PASSWORD });
    const b = await browserSignIn(app, 'ola');
    expect((await b.call('GET', '/api/v1/tokens')).statusCode).toBe(200);
    await joinCompartment(c.db, u.id, 'default', 'coordinator');
    expectProblem(await b.call('GET', '/api/v1/tokens'), 403, /^enrol a second factor first/);
    expect((await b.call('GET', '/api/v1/session')).json()).toMatchObject({ enrolmentRequired: true, user: { secondFactorRequired: true } });
    expect((await step1('ola')).json().enrolmentRequired).toBe(true);
    await enrol(b);
    expect((await b.call('GET', '/api/v1/tokens')).statusCode).toBe(200);
  });

  it('lets an administrator reset a second factor (lost phone): sessions end, the account enrols again; audited', async () => {
    const u = await addUser(c.db, { username: 'nasta', role: 'coordinator', password: PASSWORD });
    const secret = await enrol(await browserSignIn(app, 'nasta'));
    const b = await browserSignIn(app, 'nasta', PASSWORD, secret);
    await addUser(c.db, { username: 'root2', role: 'administrator', password: PASSWORD });
    const admin = withToken(app, (await createToken(c.db, 'root2', { scope: 'admin' })).token);
    const viewer = await addUser(c.db, { username: 'vera', role: 'viewer', password: PASSWORD });
    const viewerCall = withToken(app, (await createToken(c.db, 'vera')).token);
    expectProblem(await viewerCall('DELETE', `/api/v1/users/${u.id}/totp`), 403);
    expectProblem(await admin('DELETE', `/api/v1/users/${viewer.id}/totp`), 409, /no second factor/);
    expect(await auditRows(c.db, { action: 'totp.reset' })).toEqual([]);

    const res = await admin('DELETE', `/api/v1/users/${u.id}/totp`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sessionsEnded).toBeGreaterThanOrEqual(1);
    expectProblem(await b.call('GET', '/api/v1/session'), 401);
    const next = await step1('nasta');
    expect(next.statusCode).toBe(200);
    expect(next.json().enrolmentRequired).toBe(true);
    const rows = await auditRows(c.db, { action: 'totp.reset', targetId: u.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_id).not.toBeNull();
    // the use case as the command line calls it
    await expect(resetTotp(c.db, null, { username: 'nasta' })).rejects.toMatchObject({ status: 409 });
  });
});
