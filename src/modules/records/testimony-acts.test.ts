import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { buildServer } from '../../app/server.js';
import type { Container } from '../../app/container.js';
import { addUser, createToken } from '../users/users.usecases.js';
import { joinCompartment } from '../../test-support/actors.js';

/**
 * A testimony names the acts recorded from it (the intake form creates them without retyping):
 * the list is kept, answered, shown as links both ways, and guards the acts against deletion.
 */
describeEachDialect('testimony → acts', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c, { logger: false });
    const doc = await addUser(c.db, { username: 'doc', role: 'documenter', password: 'a long enough password' });
    await joinCompartment(c.db, doc.id, 'default', 'documenter');
    token = (await createToken(c.db, 'doc')).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const create = async (type: string, body: unknown) => {
    const res = await call('POST', `/api/v1/${type}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number } & Record<string, any>;
  };

  it('keeps the acts a testimony tells of, links them both ways and refuses to delete a listed act', async () => {
    const witness = await create('persons', { pseudonym: 'Witness K.' });
    const event = await create('events', { title: 'Okrestina, August 2020', status: 'alleged' });
    const act = await create('acts', { event: event.id, victim: witness.id, type: 'torture' });
    const testimony = await create('testimonies', { interviewee: witness.id, acts: [act.id] });
    expect(testimony.acts).toEqual([act.id]);

    const read = (await call('GET', `/api/v1/testimonies/${testimony.id}`)).json();
    expect(read.links.outgoing).toContainEqual(expect.objectContaining({ field: 'acts', type: 'acts', id: act.id }));
    const actRead = (await call('GET', `/api/v1/acts/${act.id}`)).json();
    expect(actRead.links.incoming).toContainEqual(expect.objectContaining({ field: 'acts', type: 'testimonies', id: testimony.id }));

    const filtered = (await call('GET', `/api/v1/testimonies?acts=${act.id}`)).json();
    expect(filtered.items.map((t: { id: string }) => t.id)).toEqual([testimony.id]);

    const del = await call('DELETE', `/api/v1/acts/${act.id}`, undefined, { 'if-match': `"${act.version}"` });
    expect(del.statusCode).toBe(409);
  });
});
