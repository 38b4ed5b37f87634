import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { addUser, createToken } from '../users/users.usecases.js';
import { appendAuditEvent, listAuditEvents } from './audit.usecases.js';

describeEachDialect('audit log', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let adminId: string;
  let adminToken: string;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    adminId = (await addUser(c.db, { username: 'auditor', role: 'administrator', password: 'a long enough password' })).id;
    adminToken = (await createToken(c.db, 'auditor', { scope: 'admin' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const get = (url: string, token = adminToken) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('appends events with time-sortable ids, within the caller’s transaction', async () => {
    await appendAuditEvent(c.db, { action: 'test.first', actorId: adminId, targetType: 'thing', targetId: 't1', reason: 'checking', details: { n: 1 } });
    await appendAuditEvent(c.db, { action: 'test.second', actorId: null });
    const rows = await c.db.selectFrom('audit_events').selectAll().where('action', 'like', 'test.%').orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['test.first', 'test.second']);
    expect(rows[0]!.id < rows[1]!.id).toBe(true);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(JSON.parse(rows[0]!.details)).toEqual({ n: 1 });
    expect(rows[0]!.reason).toBe('checking');

    // rolled back with the action it belongs to
    await expect(
      inTransaction(c.db, async (trx) => {
        await appendAuditEvent(trx, { action: 'test.rolled-back', actorId: null });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'test.rolled-back').execute()).toEqual([]);
  });

  it('refuses details that would store a secret or an address', async () => {
    await expect(appendAuditEvent(c.db, { action: 'test.bad', actorId: null, details: { password: 'x' } })).rejects.toThrow(/must not hold "password"/);
    await expect(appendAuditEvent(c.db, { action: 'test.bad', actorId: null, details: { client: { ip_address: '1.2.3.4' } } })).rejects.toThrow(/client\.ip_address/);
    await expect(appendAuditEvent(c.db, { action: 'no dots', actorId: null })).rejects.toThrow(/area\.verb/);
    expect(await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'test.bad').execute()).toEqual([]);
  });

  it('lists newest first with filters and a cursor', async () => {
    for (let i = 0; i < 7; i++) await appendAuditEvent(c.db, { action: i % 2 ? 'paging.odd' : 'paging.even', actorId: adminId, targetType: 'page', targetId: `p${i}` });
    const page1 = await listAuditEvents(c.db, null, { action: 'paging.*', limit: 3 });
    expect(page1.items.map((e) => e.targetId)).toEqual(['p6', 'p5', 'p4']);
    expect(page1.items[0]).toMatchObject({ actorUsername: 'auditor', actorId: adminId, action: 'paging.even' });
    const page2 = await listAuditEvents(c.db, null, { action: 'paging.*', limit: 3, cursor: page1.nextCursor! });
    expect(page2.items.map((e) => e.targetId)).toEqual(['p3', 'p2', 'p1']);
    const page3 = await listAuditEvents(c.db, null, { action: 'paging.*', limit: 3, cursor: page2.nextCursor! });
    expect(page3.items.map((e) => e.targetId)).toEqual(['p0']);
    expect(page3.nextCursor).toBeNull();

    expect((await listAuditEvents(c.db, null, { action: 'paging.odd' })).items).toHaveLength(3);
    expect((await listAuditEvents(c.db, null, { targetType: 'page', targetId: 'p2' })).items).toHaveLength(1);
    expect((await listAuditEvents(c.db, null, { actor: 'auditor', action: 'paging.*' })).items).toHaveLength(7);
    expect((await listAuditEvents(c.db, null, { actor: adminId, action: 'paging.*' })).items).toHaveLength(7);
    expect((await listAuditEvents(c.db, null, { actor: 'nobody' })).items).toEqual([]);
    expect((await listAuditEvents(c.db, null, { action: 'paging.*', from: '2999-01-01T00:00:00Z' })).items).toEqual([]);
    expect((await listAuditEvents(c.db, null, { action: 'paging.*', to: '2000-01-01T00:00:00Z' })).items).toEqual([]);
    await expect(listAuditEvents(c.db, null, { from: 'yesterday' })).rejects.toMatchObject({ status: 422 });
  });

  it('serves GET /api/v1/audit to administrators with an admin token only', async () => {
    const res = await get('/api/v1/audit?action=paging.*&limit=2');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(2);
    expect(body.nextCursor).toEqual(expect.any(String));
    const next = await get(`/api/v1/audit?action=paging.*&limit=2&cursor=${body.nextCursor}`);
    expect(next.json().items[0].id < body.items[1].id).toBe(true);
    // the token creations of the set-up are there too
    expect((await get('/api/v1/audit?action=token.create')).json().items.length).toBeGreaterThanOrEqual(1);

    const bad = await get('/api/v1/audit?limit=0');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);

    await addUser(c.db, { username: 'coord', role: 'coordinator', password: 'a long enough password' });
    const coord = (await createToken(c.db, 'coord', { scope: 'admin' })).token;
    const denied = await get('/api/v1/audit', coord);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toMatch(/administrators/);
    const writeToken = (await createToken(c.db, 'auditor', { scope: 'write' })).token;
    expect((await get('/api/v1/audit', writeToken)).statusCode).toBe(403);
  });
});
