import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { actorFromToken, addUser, createToken, disableUser } from './users.usecases.js';
import { auditRows, browserSignIn, expectProblem, PASSWORD, withToken } from './users.test-support.js';

describeEachDialect('API tokens: scopes, listing, revoking, expiry', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await addUser(c.db, { username: 'uladz', role: 'documenter', password: PASSWORD });
    await addUser(c.db, { username: 'chief', role: 'administrator', password: PASSWORD });
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  it('lets a read token read but not write', async () => {
    const read = withToken(app, (await createToken(c.db, 'uladz', { scope: 'read' })).token);
    expect((await read('GET', '/api/v1/tokens')).statusCode).toBe(200);
    expect((await read('GET', '/api/v1/session')).statusCode).toBe(200);
    expectProblem(await read('POST', '/api/v1/events', { title: 'x', status: 'alleged' }), 403, /"read" scope; this request needs a token with the "write" scope/);
    expectProblem(await read('POST', '/api/v1/tokens', { name: 'more' }), 403, /"read" scope/);
    expectProblem(await read('POST', '/api/v1/account/sign-out-everywhere', {}), 403, /"read" scope/);
  });

  it('keeps administration and the audit log to admin tokens, and a token can not mint a wider one', async () => {
    const write = withToken(app, (await createToken(c.db, 'chief', { scope: 'write' })).token);
    const admin = withToken(app, (await createToken(c.db, 'chief', { scope: 'admin' })).token);
    expectProblem(await write('GET', '/api/v1/audit'), 403, /"admin" scope/);
    expectProblem(await write('POST', '/api/v1/users', { username: 'newbie', role: 'viewer', password: PASSWORD }), 403, /"admin" scope/);
    expect((await write('GET', '/api/v1/users')).statusCode).toBe(200);
    expect((await admin('GET', '/api/v1/audit')).statusCode).toBe(200);
    expectProblem(await write('POST', '/api/v1/tokens', { name: 'escalate', scope: 'admin' }), 403, /wider "admin" scope/);
    const narrower = await write('POST', '/api/v1/tokens', { name: 'reader', scope: 'read' });
    expect(narrower.statusCode, narrower.body).toBe(201);
    expect(narrower.json().scope).toBe('read');
    const dflt = await write('POST', '/api/v1/tokens', { name: 'default' });
    expect(dflt.json().scope).toBe('write');
    // a session may make any scope
    const b = await browserSignIn(app, 'uladz');
    const fromSession = await b.call('POST', '/api/v1/tokens', { name: 'laptop', scope: 'admin', expiresInDays: 30 });
    expect(fromSession.statusCode, fromSession.body).toBe(201);
    expect(fromSession.json().token).toMatch(/^ltp_/);
    expect(Date.parse(fromSession.json().expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expectProblem(await b.call('POST', '/api/v1/tokens', { name: 'x', scope: 'root' }), 422);
  });

  it('lists your own tokens without their secrets, revokes them, and audits both', async () => {
    await addUser(c.db, { username: 'volha', role: 'analyst', password: PASSWORD });
    const mine = await createToken(c.db, 'volha', { name: 'script', scope: 'read' });
    const other = await createToken(c.db, 'volha', { name: 'other' });
    const call = withToken(app, other.token);
    const list = await call('GET', '/api/v1/tokens');
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items.map((t: any) => t.name)).toEqual(['other', 'script']);
    expect(items[1]).toMatchObject({ id: mine.id, scope: 'read', state: 'active', username: 'volha', revokedAt: null });
    expect(list.body).not.toContain(mine.token);
    expect(list.body).not.toMatch(/hash/i);

    // someone else's token is "not found", and nothing is written
    const stranger = withToken(app, (await createToken(c.db, 'uladz')).token);
    expectProblem(await stranger('DELETE', `/api/v1/tokens/${mine.id}`), 404);
    expect(await auditRows(c.db, { action: 'token.revoke' })).toEqual([]);

    const del = await call('DELETE', `/api/v1/tokens/${mine.id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(await actorFromToken(c.db, mine.token)).toBeNull();
    expectProblem(await withToken(app, mine.token)('GET', '/api/v1/tokens'), 401, /revoked/);
    expectProblem(await call('DELETE', `/api/v1/tokens/${mine.id}`), 409, /already revoked/);
    expect((await call('GET', '/api/v1/tokens')).json().items.find((t: any) => t.id === mine.id).state).toBe('revoked');

    const created = await auditRows(c.db, { action: 'token.create', targetId: mine.id });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ target_type: 'api_token', actor_id: null, details: { scope: 'read', name: 'script' } });
    expect(JSON.stringify(created)).not.toContain(mine.token);
    const revoked = await auditRows(c.db, { action: 'token.revoke', targetId: mine.id });
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.actor_id).not.toBeNull();
  });

  it('honours token expiry', async () => {
    await addUser(c.db, { username: 'tok', role: 'analyst', password: PASSWORD });
    const t = await createToken(c.db, 'tok', { expiresInDays: 1 });
    expect(await actorFromToken(c.db, t.token)).toMatchObject({ username: 'tok' });
    await c.db.updateTable('api_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', t.id).execute();
    expect(await actorFromToken(c.db, t.token)).toBeNull();
    expectProblem(await withToken(app, t.token)('GET', '/api/v1/session'), 401, /expired/);
    const other = withToken(app, (await createToken(c.db, 'tok')).token);
    expect((await other('GET', '/api/v1/tokens')).json().items.find((x: any) => x.id === t.id).state).toBe('expired');
  });

  it('refuses bad token requests and writes nothing for them', async () => {
    const before = (await auditRows(c.db, { action: 'token.create' })).length;
    await expect(createToken(c.db, 'nobody')).rejects.toMatchObject({ status: 404 });
    await expect(createToken(c.db, 'uladz', { scope: 'everything' })).rejects.toMatchObject({ status: 422 });
    await expect(createToken(c.db, 'uladz', { expiresInDays: 0.5 })).rejects.toMatchObject({ status: 422 });
    await addUser(c.db, { username: 'gone', role: 'viewer', password: PASSWORD });
    await disableUser(c.db, null, { username: 'gone' });
    await expect(createToken(c.db, 'gone')).rejects.toMatchObject({ status: 409 });
    expect((await auditRows(c.db, { action: 'token.create' })).length).toBe(before);
  });
});
