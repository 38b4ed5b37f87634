import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { startLocalTsa, type LocalTsa } from '../../test-support/local-tsa.js';
import { createToken } from '../users/users.usecases.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createRecord } from '../records/records.usecases.js';
import { ingestEvidence, linkEvidence } from '../evidence/evidence.usecases.js';
import { createJobWorker } from '../jobs/jobs.worker.js';
import { ed25519Verify } from '../../adapters/keys/ed25519.js';
import { parseNote, parseVerifierKey, verifyConsistency, verifyInclusion, verifyNoteSignature } from '../../domain/ledger/index.js';
import { getCheckpoint, makeCheckpoint, timestampCheckpoint } from './checkpoints.js';
import { verifyBundle } from '../bundles/verify-bundle.js';

const hex = (s: string) => Buffer.from(s, 'hex');

describeEachDialect('ledger and case bundles over HTTP, with RFC 3161 timestamps from a local TSA', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let tsa: LocalTsa;
  let dir: string;
  let token: string;
  let adminToken: string;
  let caseId: string;
  let itemId: string;
  const get = (url: string, t = token) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t}` } });

  beforeAll(async () => {
    tsa = await startLocalTsa();
    c = await openTestContainer(dialect);
    // the configured TSA and one that is down
    c.config.ledger.tsaUrls = [tsa.url, 'http://127.0.0.1:9/tsa'];
    app = await buildServer(c);
    await app.ready();
    dir = mkdtempSync(join(tmpdir(), 'letapis-ledger-api-'));
    const lawyer = await makeActor(c.db, 'lawyer', 'ledger-api-lawyer');
    await makeActor(c.db, 'administrator', 'ledger-api-admin', null);
    token = (await createToken(c.db, 'ledger-api-lawyer', { scope: 'write', name: 't' })).token;
    adminToken = (await createToken(c.db, 'ledger-api-admin', { scope: 'admin', name: 't' })).token;
    const d = depsOf(c);
    const victim = (await createRecord(d, lawyer, 'persons', { pseudonym: 'Victim A' })).id;
    const event = (await createRecord(d, lawyer, 'events', { title: 'Okrestina, 11 August 2020', status: 'alleged' })).id;
    const act = (await createRecord(d, lawyer, 'acts', { event, victim, type: 'arrest' })).id;
    caseId = (await createRecord(d, lawyer, 'cases', { title: 'Okrestina', status: 'draft', acts: [act] })).id;
    const ev = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    itemId = (await ingestEvidence(ev, lawyer, Readable.from([Buffer.from('a scanned protocol '.repeat(3000))]), { method: 'upload', filename: 'scan.txt' })).item.id;
    await linkEvidence(ev, lawyer, itemId, { targetType: 'acts', targetId: act });
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
    await tsa?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the latest checkpoint as a signed note, proofs that verify against it, and the keys', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/ledger/checkpoints', headers: { authorization: `Bearer ${adminToken}` }, payload: {} });
    expect(made.statusCode).toBe(200);
    const res = await get('/api/ledger/checkpoint');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const keys = (await get('/api/ledger/keys')).json();
    const note = parseNote(res.body);
    expect(verifyNoteSignature(note, parseVerifierKey(keys.log), ed25519Verify)).toBe('valid');
    const [, sizeLine, rootLine] = note.text.split('\n');
    const size = Number(sizeLine);
    const root = Buffer.from(rootLine!, 'base64');
    for (const index of [0, Math.floor(size / 2), size - 1]) {
      const p = (await get(`/api/ledger/proof/inclusion?index=${index}&size=${size}`)).json();
      expect(verifyInclusion(index, size, hex(p.leafHash), p.proof.map(hex), root)).toBe(true);
    }
    await appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: itemId });
    const later = (await app.inject({ method: 'POST', url: '/api/ledger/checkpoints', headers: { authorization: `Bearer ${adminToken}` }, payload: {} })).json();
    const cons = (await get(`/api/ledger/proof/consistency?from=${size}&to=${later.size}`)).json();
    expect(verifyConsistency(size, later.size, cons.proof.map(hex), root, hex(later.rootHash))).toBe(true);
    // bad queries are clear 4xx, never 500
    expect((await get(`/api/ledger/proof/inclusion?index=${later.size}&size=${later.size}`)).statusCode).toBe(422);
    expect((await get('/api/ledger/proof/consistency?from=x&to=2')).statusCode).toBe(422);
    expect((await get('/api/ledger/checkpoint?size=999999')).statusCode).toBe(404);
  });

  it('timestamps checkpoints with the configured TSA (a TSA that is down is reported, not fatal)', async () => {
    await appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: itemId });
    const cp = (await makeCheckpoint({ db: c.db, vault: c.vault, ledger: c.config.ledger }, 'manual'))!;
    const failures = await timestampCheckpoint({ db: c.db, vault: c.vault, ledger: c.config.ledger }, cp.size, { timeoutMs: 3000 });
    expect(failures.map((f) => f.tsa)).toEqual(['http://127.0.0.1:9/tsa']);
    const stored = (await getCheckpoint({ db: c.db, ledger: c.config.ledger }, cp.size))!;
    expect(stored.timestamps.map((t) => t.tsa)).toEqual([tsa.url]);
    expect(Date.parse(stored.timestamps[0]!.genTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('exports a case as a job with progress; the download verifies offline, timestamp and all', async () => {
    const asked = await app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/exports`, headers: { authorization: `Bearer ${token}` }, payload: { reason: 'for the prosecutor', recipient: 'ICC OTP' } });
    expect(asked.statusCode).toBe(202);
    const exp = asked.json();
    expect((await get(`/api/v1/exports/${exp.id}/download`)).statusCode).toBe(409);
    const worker = createJobWorker(c, { pollMs: 50, concurrency: 2 });
    worker.start();
    try {
      for (let i = 0; ; i++) {
        const job = (await get(`/api/v1/jobs/${exp.jobId}`)).json();
        if (job.state === 'done') {
          expect(job.progress).toBe(100);
          break;
        }
        if (job.state === 'dead' || i > 400) throw new Error(`export job: ${JSON.stringify(job)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const done = (await get(`/api/v1/exports/${exp.id}`)).json();
    expect(done.state).toBe('done');
    expect(done.summary.items).toBe(1);
    const dl = await get(`/api/v1/exports/${exp.id}/download`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/zip');
    const bytes = dl.rawPayload;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.sha256);
    const file = join(dir, 'downloaded.zip');
    writeFileSync(file, bytes);
    const keys = (await get('/api/ledger/keys')).json();
    const report = await verifyBundle(file, { trust: [keys.log], tsaCertsPem: [tsa.caCertPem] });
    expect(report.problems).toEqual([]);
    expect(report.timestamps).toEqual([expect.objectContaining({ tsa: tsa.url, ok: true, chainTrusted: true })]);
    // a TSA the recipient does not trust is said so
    const otherCa = await startLocalTsa();
    try {
      const r2 = await verifyBundle(file, { trust: [keys.log], tsaCertsPem: [otherCa.caCertPem] });
      expect(r2.ok).toBe(false);
      expect(r2.problems.some((p) => p.where === `timestamp ${tsa.url}`)).toBe(true);
    } finally {
      await otherCa.close();
    }
    // the download is a custody event of the case
    const audit = await c.db.selectFrom('audit_events').select('action').where('target_id', '=', caseId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['case.export-requested', 'case.export', 'case.export-download']));
  });

  it('shows an item’s chain of custody with proofs, and verifies it on demand (a custody event itself)', async () => {
    await app.inject({ method: 'POST', url: '/api/ledger/checkpoints', headers: { authorization: `Bearer ${adminToken}` }, payload: {} });
    const custody = (await get(`/api/v1/evidence/${itemId}/custody`)).json();
    expect(custody.intact).toBe(true);
    expect(custody.events[0].body.action).toBe('evidence.acquire');
    const root = hex(custody.checkpoint.rootHash);
    for (const e of custody.events.filter((x: { proof: string[] | null }) => x.proof))
      expect(verifyInclusion(e.index, custody.checkpoint.size, hex(e.leafHash), e.proof.map(hex), root)).toBe(true);
    const v = await app.inject({ method: 'POST', url: `/api/v1/evidence/${itemId}/verify`, headers: { authorization: `Bearer ${token}` } });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ ok: true, contentIntact: true, custodyIntact: true });
    const after = (await get(`/api/v1/evidence/${itemId}/custody`)).json();
    expect(after.events.at(-1).body.action).toBe('evidence.verify');
    expect(after.events.at(-1).proof).toBeNull(); // after the checkpoint: proven by the next one
    // a changed leaf breaks the chain and the check says so
    const leaf = await c.db.selectFrom('ledger_leaves').select(['idx', 'body']).where('target_id', '=', itemId).orderBy('idx').executeTakeFirstOrThrow();
    await c.db.updateTable('ledger_leaves').set({ body: (leaf.body as string).replace('evidence.acquire', 'evidence.acquirX') }).where('idx', '=', leaf.idx).execute();
    try {
      const broken = (await get(`/api/v1/evidence/${itemId}/custody`)).json();
      expect(broken.intact).toBe(false);
      expect(broken.events[0].verified).toBe(false);
      const v2 = (await app.inject({ method: 'POST', url: `/api/v1/evidence/${itemId}/verify`, headers: { authorization: `Bearer ${token}` } })).json();
      expect(v2).toMatchObject({ ok: false, contentIntact: true, custodyIntact: false });
    } finally {
      await c.db.updateTable('ledger_leaves').set({ body: leaf.body }).where('idx', '=', leaf.idx).execute();
    }
  });
});
