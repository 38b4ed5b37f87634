import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { createToken } from '../users/users.usecases.js';
import { createRecord } from '../records/records.usecases.js';
import { createJobWorker } from '../jobs/jobs.worker.js';
import { Readable } from 'node:stream';
import { ingestEvidence, linkEvidence } from '../evidence/evidence.usecases.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import type { Actor } from '../../domain/policies.js';

describeEachDialect('search over HTTP: queries, errors, romanisation, rebuilding as a job', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let token: string;
  let admin: string;
  let docActor: Actor;
  let eventId: string;
  const get = (url: string, t = token) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t}` } });

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await app.ready();
    const doc = await makeActor(c.db, 'documenter', 'search-api-doc');
    await makeActor(c.db, 'administrator', 'search-api-admin', null);
    token = (await createToken(c.db, 'search-api-doc', { scope: 'read', name: 't' })).token;
    admin = (await createToken(c.db, 'search-api-admin', { scope: 'admin', name: 't' })).token;
    docActor = doc;
    eventId = (await createRecord(depsOf(c), doc, 'events', { title: 'Разгон у Акрэсціна, 12 жніўня', status: 'alleged', description: 'Затрыманых білі ў двары ізалятара.' })).id;
    await createRecord(depsOf(c), doc, 'events', { title: 'Dispersal in Zhodino', status: 'verified' });
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  it('answers a query with hits, highlights and facets', async () => {
    const res = await get(`/api/v1/search?q=${encodeURIComponent('окрестина')}&type=events`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(1);
    expect(body.items[0].label).toMatch(/Акрэсціна/);
    const [a, b] = body.items[0].snippet.highlights[0];
    expect(body.items[0].snippet.text.slice(a, b)).toBe('Акрэсціна');
    expect(body.facets.type).toEqual([{ value: 'events', count: 1 }]);
    expect(body.facets.status).toEqual([{ value: 'alleged', count: 1 }]);
  });

  it('finds evidence by its note (plain) and by its file name and source (sealed), and by what it is linked to', async () => {
    const ev = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    const out = await ingestEvidence(ev, docActor, Readable.from([Buffer.from('bytes of a scanned protocol')]), {
      method: 'upload',
      filename: 'Пратакол_затрымання_Шчарбакоў.pdf',
      source: 'Канал «Жодзіна навіны»',
      note: 'Scan handed over by a lawyer in Zhodino',
    });
    const byNote = (await get(`/api/v1/search?q=Zhodino&type=evidence`)).json();
    expect(byNote.items.map((i: { id: string }) => i.id)).toEqual([out.item.id]);
    expect(byNote.items[0].snippet.text).toMatch(/Zhodino/);
    const byName = (await get(`/api/v1/search?q=${encodeURIComponent('пратакол')}&type=evidence`)).json();
    expect(byName.items.map((i: { id: string }) => i.id)).toEqual([out.item.id]);
    expect(byName.items[0].sealedMatch).toBe(true);
    // the file name is in the index only as sealed words
    const row = await c.db.selectFrom('search_docs').select(['words', 'content', 'label']).where('doc_id', '=', out.item.id).executeTakeFirstOrThrow();
    expect(`${row.words} ${row.content} ${row.label}`).not.toMatch(/ратакол|Шчарбак/);
    await linkEvidence(ev, docActor, out.item.id, { targetType: 'events', targetId: eventId });
    const linked = (await get(`/api/v1/search?q=Zhodino&type=evidence`)).json();
    expect(linked.items[0].id).toBe(out.item.id);
  });

  it('a query that cannot be parsed is a 422 naming the place', async () => {
    const res = await get(`/api/v1/search?q=${encodeURIComponent('"Okrestina')}`);
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toMatch(/q/);
    expect((await get('/api/v1/search?q=x&sort=sideways')).statusCode).toBe(422);
    expect((await get('/api/v1/search?q=x&from=yesterday')).statusCode).toBe(422);
  });

  it('romanises a name by every system, with its match key', async () => {
    const res = (await get(`/api/v1/romanize?text=${encodeURIComponent('Шчарбакоў')}`)).json();
    expect(res.language).toBe('be');
    const texts = res.romanizations.map((r: { text: string }) => r.text);
    expect(texts).toEqual(expect.arrayContaining(['Ščarbakoŭ', 'Shcharbakou', 'Shcharbakow']));
    expect(res.matchKeys).toHaveLength(1);
  });

  it('rebuilds the index as a job with progress (administrators only)', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/search/reindex', headers: { authorization: `Bearer ${token}` }, payload: {} })).statusCode).toBe(403);
    const asked = await app.inject({ method: 'POST', url: '/api/v1/search/reindex', headers: { authorization: `Bearer ${admin}` }, payload: {} });
    expect(asked.statusCode).toBe(202);
    const worker = createJobWorker(c, { pollMs: 50 });
    worker.start();
    try {
      for (let i = 0; ; i++) {
        const job = (await get(`/api/v1/jobs/${asked.json().jobId}`, admin)).json();
        if (job.state === 'done') {
          expect(job.progress).toBe(100);
          break;
        }
        if (job.state === 'dead' || i > 300) throw new Error(JSON.stringify(job));
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    expect((await get(`/api/v1/search?q=Zhodino&type=events`)).json().total).toBe(1);
    expect((await get(`/api/v1/search?q=Zhodino&type=evidence`)).json().total).toBe(1);
  });
});
