import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { Container } from '../../app/container.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import type { Actor } from '../../domain/policies.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createRecord } from '../records/records.usecases.js';
import { ingestEvidence, linkEvidence } from '../evidence/evidence.usecases.js';
import { leavesOfTarget } from '../ledger/ledger.repository.js';
import { readLedgerPublicKey } from '../ledger/signing-key.js';
import { ForbiddenError } from '../../domain/errors.js';
import { exportCaseToFile, type CaseExportDeps } from './case-export.js';
import { verifyBundle } from './verify-bundle.js';
import type { BundleManifest } from './manifest.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every entry of a ZIP, in order, as bytes. */
async function readEntries(path: string): Promise<Array<{ name: string; bytes: Buffer }>> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(path, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  const out: Array<{ name: string; bytes: Buffer }> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('entry', (e: yauzl.Entry) =>
      zip.openReadStream(e, (err, s) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        s!.on('data', (c: Buffer) => chunks.push(c));
        s!.on('end', () => {
          out.push({ name: e.fileName, bytes: Buffer.concat(chunks) });
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  return out;
}

async function writeEntries(path: string, entries: Array<{ name: string; bytes: Buffer }>): Promise<void> {
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(e.bytes, e.name, { mtime: new Date(Date.UTC(2000, 0, 1)), compress: false });
  z.end();
  await pipeline(z.outputStream as unknown as Readable, createWriteStream(path));
}

describeEachDialect('case bundles: export, offline verification, consent, determinism', (dialect) => {
  let c: Container;
  let dir: string;
  let actor: Actor;
  let caseId: string;
  let key: string;
  const items = {} as Record<'open' | 'unconsented' | 'forUn', string>;
  const exportDeps = (): CaseExportDeps => ({ db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger, audit: appendAuditEvent });
  let bundle: string;
  let manifest: BundleManifest;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    dir = mkdtempSync(join(tmpdir(), 'letapis-bundle-'));
    actor = await makeActor(c.db, 'coordinator');
    const d = depsOf(c);
    const create = async (type: Parameters<typeof createRecord>[2], input: Record<string, unknown>) => (await createRecord(d, actor, type, input)).id;
    const victim = await create('persons', { pseudonym: 'Алесь К.' });
    const source = await create('persons', { pseudonym: 'Source without consent' });
    const unSource = await create('persons', { pseudonym: 'Ирина С.' });
    const event = await create('events', { title: 'Разгон на Пушкинской, 10 августа 2020', status: 'corroborated' });
    const act1 = await create('acts', { event, victim, type: 'arrest', methods: [] });
    const act2 = await create('acts', { event, victim, type: 'detention' });
    const consent = await create('consents', { person: victim, scopes: ['judicial-use'], obtainedAt: '2024-03-01T10:00:00Z', method: 'written' });
    await create('consents', { person: unSource, scopes: ['judicial-use'], recipient: 'UN Special Rapporteur', obtainedAt: '2024-03-02T10:00:00Z' });
    await create('testimonies', { title: 'Testimony of Алесь К.', interviewee: victim, consent, event, transcript: 'Нас павезлі на Акрэсціна…' });
    await create('testimonies', { title: 'Testimony given without consent', interviewee: source, event });
    caseId = await create('cases', { title: 'Акрэсціна, жнівень 2020 <script>', status: 'in-preparation', events: [event], acts: [act1, act2] });
    const ev = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    const ingest = async (bytes: Buffer, sourcePerson?: string) => (await ingestEvidence(ev, actor, Readable.from([bytes]), { method: 'upload', filename: 'clip.mp4', sourcePerson })).item.id;
    items.open = await ingest(Buffer.from('video bytes of the dispersal '.repeat(4000)));
    items.unconsented = await ingest(Buffer.from('a leaked recording '.repeat(500)), source);
    items.forUn = await ingest(Buffer.from('a photograph from inside '.repeat(700)), unSource);
    await linkEvidence(ev, actor, items.open, { targetType: 'acts', targetId: act1, span: { kind: 'time', from: 3, to: 9 } });
    await linkEvidence(ev, actor, items.unconsented, { targetType: 'acts', targetId: act1 });
    await linkEvidence(ev, actor, items.forUn, { targetType: 'acts', targetId: act2 });
    for (let i = 0; i < 5; i++) await appendAuditEvent(c.db, { action: 'evidence.view', actorId: actor.userId, targetType: 'evidence', targetId: items.open });
    bundle = join(dir, 'case.zip');
    await exportCaseToFile(exportDeps(), actor, caseId, bundle, { reason: 'for the prosecutor' });
    key = (await readLedgerPublicKey(c.db))!.verifierKey;
    manifest = JSON.parse((await readEntries(bundle)).find((e) => e.name === 'manifest.json')!.bytes.toString('utf8'));
  });
  afterAll(async () => {
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the case’s records and consented evidence with custody proofs, and verifies with the log key alone', async () => {
    expect(manifest.records.map((r) => r.type).sort()).toEqual(['acts', 'acts', 'cases', 'consents', 'events', 'testimonies'].filter((t) => t !== 'consents').sort());
    expect(manifest.items.map((i) => i.id)).toEqual([items.open]);
    expect(manifest.withheld.map((w) => w.id).sort()).toEqual([items.unconsented, items.forUn, manifest.withheld.find((w) => w.type === 'testimonies')!.id].sort());
    const open = manifest.items[0]!;
    expect(open.events.map((e) => e.body.action)).toEqual(['evidence.acquire', 'evidence.link', ...Array(5).fill('evidence.view')]);
    const entries = await readEntries(bundle);
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'manifest.sig', 'report.html', 'report.pdf', 'VERIFY.txt', manifest.files[0]!.path]);
    expect(sha(entries[5]!.bytes)).toBe(open.sha256);
    const report = await verifyBundle(bundle, { trust: [key] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.events).toBe(7);
    // no trusted key: not verified, and it says why
    const untrusted = await verifyBundle(bundle, { trust: [] });
    expect(untrusted.ok).toBe(false);
    expect(untrusted.problems.map((p) => p.where)).toEqual(['log key']);
    expect((await verifyBundle(bundle, { trust: [], trustBundleKeys: true })).ok).toBe(true);
  });

  it('another recipient named in a consent gets what that consent covers', async () => {
    const out = join(dir, 'for-un.zip');
    const res = await exportCaseToFile(exportDeps(), actor, caseId, out, { recipient: 'UN Special Rapporteur' });
    expect(res.items).toBe(2);
    expect((await verifyBundle(out, { trust: [key] })).ok).toBe(true);
  });

  it('exporting is a custody event of the case and of each item carried out', async () => {
    const caseEvents = await leavesOfTarget(c.db, 'case', caseId);
    expect(caseEvents.map((l) => JSON.parse(l.body).action)).toContain('case.export');
    const first = JSON.parse(caseEvents.find((l) => JSON.parse(l.body).action === 'case.export')!.body);
    expect(first.details.bundleSha256).toBe(sha(readFileSync(bundle)));
    expect(first.reason).toBe('for the prosecutor');
    const itemEvents = (await leavesOfTarget(c.db, 'evidence', items.open)).map((l) => JSON.parse(l.body).action);
    expect(itemEvents.at(-2)).toBe('evidence.export');
    expect((await leavesOfTarget(c.db, 'evidence', items.unconsented)).map((l) => JSON.parse(l.body).action)).not.toContain('evidence.export');
  });

  it('is deterministic: the same case against the same checkpoint gives the same bytes', async () => {
    const again = join(dir, 'again.zip');
    await exportCaseToFile(exportDeps(), actor, caseId, again, { reason: 'for the prosecutor', checkpointSize: manifest.checkpoint.size });
    expect(sha(readFileSync(again))).toBe(sha(readFileSync(bundle)));
  });

  it('flip any byte of any file in the bundle and verification fails, naming that file', async () => {
    const entries = await readEntries(bundle);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: entries.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, pos, xor) => {
        const e = entries[which]!;
        const bytes = Buffer.from(e.bytes);
        bytes[pos % bytes.length] = bytes[pos % bytes.length]! ^ xor;
        const tampered = join(dir, 'tampered.zip');
        await writeEntries(tampered, entries.map((x, i) => (i === which ? { name: x.name, bytes } : x)));
        const r = await verifyBundle(tampered, { trust: [key] });
        expect(r.ok).toBe(false);
        expect(r.problems.some((p) => p.where === e.name || p.where.startsWith(`item `) || p.where === 'checkpoint')).toBe(true);
        if (e.name !== 'manifest.json') expect(r.problems.some((p) => p.where === e.name)).toBe(true);
        else expect(r.problems.some((p) => p.where === 'manifest.json' || p.where === 'manifest.sig')).toBe(true);
      }),
      { numRuns: 40 },
    );
    // an extra file, a missing file
    const extra = join(dir, 'extra.zip');
    await writeEntries(extra, [...entries, { name: 'evidence/planted.jpg', bytes: Buffer.from('planted') }]);
    expect((await verifyBundle(extra, { trust: [key] })).problems.map((p) => p.where)).toEqual(['evidence/planted.jpg']);
    const missing = join(dir, 'missing.zip');
    await writeEntries(missing, entries.slice(0, -1));
    expect((await verifyBundle(missing, { trust: [key] })).problems.map((p) => p.where)).toEqual([entries.at(-1)!.name]);
    // the original, rewritten the same way, still verifies (the test's own ZIP writing changes nothing)
    const same = join(dir, 'same.zip');
    await writeEntries(same, entries);
    expect((await verifyBundle(same, { trust: [key] })).ok).toBe(true);
  });

  it('verifies on another machine: the built CLI with no database, no data folder and no network', async () => {
    const bin = join(process.cwd(), 'bin', 'letapis.js');
    const elsewhere = mkdtempSync(join(tmpdir(), 'letapis-elsewhere-'));
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: elsewhere, LETAPIS_DATA_DIR: join(elsewhere, 'nothing-here'), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
      const { stdout } = await promisify(execFile)(process.execPath, [bin, 'verify', bundle, '--trust', key, '--json'], { cwd: elsewhere, env });
      expect(JSON.parse(stdout).ok).toBe(true);
      const failed = await promisify(execFile)(process.execPath, [bin, 'verify', bundle], { cwd: elsewhere, env }).then(
        () => null,
        (e: { code: number; stdout: string }) => e,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stdout).toMatch(/RESULT: FAILED/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses those who may not export, and leaves no file behind on failure', async () => {
    const viewer = await makeActor(c.db, 'viewer');
    const out = join(dir, 'viewer.zip');
    await expect(exportCaseToFile(exportDeps(), viewer, caseId, out)).rejects.toBeInstanceOf(ForbiddenError);
    expect(() => readFileSync(out)).toThrow();
    expect(() => readFileSync(`${out}.partial`)).toThrow();
  });
});
