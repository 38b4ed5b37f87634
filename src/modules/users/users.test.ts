import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { actorFromToken, addUser, createToken, ensureFirstAdministrator, signIn } from './users.usecases.js';

describeEachDialect('accounts and tokens', (dialect) => {
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

  it('creates the first administrator once, with a password that signs in', async () => {
    const first = await ensureFirstAdministrator(c.db);
    expect(first?.username).toBe('admin');
    expect(await ensureFirstAdministrator(c.db)).toBeNull();
    const s = await signIn(c.db, 'admin', first!.password);
    expect(s.user.role).toBe('administrator');
    const row = await c.db.selectFrom('users').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(first!.password);
  });

  it('honours token expiry', async () => {
    await addUser(c.db, { username: 'tok', role: 'analyst', password: 'a long enough password' });
    const t = await createToken(c.db, 'tok', { expiresInDays: 1 });
    expect(await actorFromToken(c.db, t.token)).toMatchObject({ username: 'tok' });
    await c.db.updateTable('api_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', t.id).execute();
    expect(await actorFromToken(c.db, t.token)).toBeNull();
  });

  it('rate-limits sign-in attempts', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: `wrong guess ${i}` } });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 10).every((x) => x === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  it('lets only administrators create accounts over the API', async () => {
    const admin = await createToken(c.db, 'admin');
    const analyst = await createToken(c.db, 'tok');
    const body = { username: 'newcomer', role: 'translator', password: 'a long enough password' };
    const denied = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${analyst.token}` }, payload: body });
    expect(denied.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${admin.token}` }, payload: body });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).not.toHaveProperty('passwordHash');
    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${admin.token}` } });
    expect(list.json().items.map((u: any) => u.username)).toContain('newcomer');
  });
});
