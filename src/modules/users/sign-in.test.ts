import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { addUser, signIn } from './users.usecases.js';
import { verifyPassword } from './passwords.js';
import { auditRows, expectProblem, freshIp, PASSWORD } from './users.test-support.js';

// count real password checks, to show that a locked account's password is not checked
vi.mock('./passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./passwords.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

describeEachDialect('sign-in, lockout and rate limit', (dialect) => {
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

  const attempt = (username: string, password: string, remoteAddress = freshIp()) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password }, remoteAddress });
  /** Moves an account's recorded failures back in time, as if the minute had passed. */
  const ageFailures = (ms: number) =>
    c.db
      .selectFrom('sign_in_failures')
      .select(['id', 'at'])
      .execute()
      .then((rows) => Promise.all(rows.map((r) => c.db.updateTable('sign_in_failures').set({ at: new Date(Date.parse(r.at) - ms).toISOString() }).where('id', '=', r.id).execute())));

  it('signs in with the right password and audits it', async () => {
    const u = await addUser(c.db, { username: 'ales', role: 'documenter', password: PASSWORD });
    const res = await attempt('ales', PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user: { username: 'ales', totpEnabled: false }, enrolmentRequired: false });
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await auditRows(c.db, { action: 'auth.sign-in', targetId: u.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: u.id, target_type: 'user', details: { method: 'password' } });
  });

  it('answers an unknown user exactly as a wrong password, and audits both without the password or the name tried', async () => {
    const u = await addUser(c.db, { username: 'bahdana', role: 'analyst', password: PASSWORD });
    const wrong = await attempt('bahdana', 'not the password at all');
    const unknown = await attempt('nobody-here', 'not the password at all');
    expectProblem(wrong, 401, /^wrong user name or password$/);
    expect(unknown.statusCode).toBe(wrong.statusCode);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
    const failed = await auditRows(c.db, { action: 'auth.sign-in-failed' });
    expect(failed.find((r) => r.target_id === u.id)).toMatchObject({ actor_id: null, details: { reason: 'wrong-password' } });
    expect(failed.find((r) => r.details.reason === 'unknown-user')).toMatchObject({ target_id: null, actor_id: null });
    const all = JSON.stringify(await auditRows(c.db));
    expect(all).not.toContain('not the password at all');
    expect(all).not.toContain('nobody-here');
    expect(all).not.toMatch(/10\.9\.\d+\.\d+|127\.0\.0\.1/);
  });

  it('locks an account after 5 wrong passwords in a minute: the 6th attempt is refused without checking, even with the right password', async () => {
    const u = await addUser(c.db, { username: 'ciryl', role: 'documenter', password: PASSWORD });
    for (let i = 0; i < 5; i++) expectProblem(await attempt('ciryl', `wrong guess ${i}`), 401);
    vi.mocked(verifyPassword).mockClear();
    const locked = await attempt('ciryl', PASSWORD);
    const p = expectProblem(locked, 429, /locked/);
    expect(p.title).toBe('Too many attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(vi.mocked(verifyPassword)).not.toHaveBeenCalled();
    // nor in the use case directly (another process, same database)
    await expect(signIn(c.db, 'ciryl', PASSWORD)).rejects.toMatchObject({ status: 429 });
    expect(vi.mocked(verifyPassword)).not.toHaveBeenCalled();

    const lockouts = await auditRows(c.db, { action: 'auth.lockout', targetId: u.id });
    expect(lockouts).toHaveLength(1);
    const failures = (await auditRows(c.db, { action: 'auth.sign-in-failed', targetId: u.id })).map((r) => r.details.reason);
    expect(failures).toEqual(['wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'locked', 'locked']);

    // when the minute has passed, the right password works again and clears the count
    await ageFailures(61_000);
    const ok = await attempt('ciryl', PASSWORD);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await c.db.selectFrom('sign_in_failures').selectAll().execute()).toEqual([]);
  });

  it('locks an unknown name the same way, so a lockout does not reveal that a name exists', async () => {
    await addUser(c.db, { username: 'dzianis', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 5; i++) {
      await attempt('dzianis', `wrong ${i}`);
      await attempt('dzianis-ghost', `wrong ${i}`);
    }
    const real = await attempt('dzianis', 'wrong again');
    const ghost = await attempt('dzianis-ghost', 'wrong again');
    expectProblem(real, 429);
    expectProblem(ghost, 429);
    expect(ghost.json().title).toBe(real.json().title);
    expect(ghost.json().detail.replace(/\d+/g, 'N')).toBe(real.json().detail.replace(/\d+/g, 'N'));
  });

  it('counts attempts made in parallel: never more than 5 checks for one account in a minute', async () => {
    await addUser(c.db, { username: 'eva', role: 'viewer', password: PASSWORD });
    vi.mocked(verifyPassword).mockClear();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(c.db, 'eva', `parallel ${i}`).catch((e) => e.status as number)));
    expect(results.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(results.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    expect(vi.mocked(verifyPassword).mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('refuses a disabled account with the same answer as a wrong password', async () => {
    await addUser(c.db, { username: 'fiodar', role: 'viewer', password: PASSWORD });
    await c.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('username', '=', 'fiodar').execute();
    const res = await attempt('fiodar', PASSWORD);
    expect(res.json()).toEqual((await attempt('no-such-user', PASSWORD)).json());
    expect((await auditRows(c.db, { action: 'auth.sign-in-failed' })).some((r) => r.details.reason === 'disabled')).toBe(true);
  });

  it('rate-limits sign-in attempts per address as well', async () => {
    const ip = freshIp();
    const codes: number[] = [];
    // different names, so no account lockout is involved
    for (let i = 0; i < 12; i++) codes.push((await attempt(`someone-${i}`, `wrong guess ${i}`, ip)).statusCode);
    expect(codes.slice(0, 10).every((x) => x === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    // another address is not affected
    expect((await attempt('someone-0', 'wrong', freshIp())).statusCode).toBe(401);
  });

  it('answers bad sign-in bodies with the fields at fault', async () => {
    const p = expectProblem(await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'x' }, remoteAddress: freshIp() }), 422);
    expect(p.errors).toEqual([{ field: 'password', message: 'is required' }]);
    const q = expectProblem(await app.inject({ method: 'POST', url: '/api/v1/session', payload: { pendingToken: 'x' }, remoteAddress: freshIp() }), 422);
    expect(q.errors).toEqual([{ field: 'code', message: 'is required with pendingToken' }]);
  });
});
