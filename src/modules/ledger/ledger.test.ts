import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Container } from '../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { generateEd25519KeyPair, ed25519Sign, ed25519Verify } from '../../adapters/keys/ed25519.js';
import {
  canonicalJson,
  cosignNoteText,
  formatNote,
  formatVerifierKey,
  leafHash,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
  verifyNoteSignature,
} from '../../domain/ledger/index.js';
import { ValidationError } from '../../domain/errors.js';
import { appendLedgerEvents, leavesOfTarget, readLedgerHead } from './ledger.repository.js';
import { addCosignature, checkpointDue, consistencyProof, getCheckpoint, inclusionProof, makeCheckpoint } from './checkpoints.js';
import { readLedgerPublicKey } from './signing-key.js';
import { verifyStore } from './verify-store.js';

const hex = (s: string) => Buffer.from(s, 'hex');

describeEachDialect('custody ledger: appends, proofs, checkpoints, cosignatures', (dialect) => {
  let c: Container;
  const deps = () => ({ db: c.db, vault: c.vault, ledger: c.config.ledger });

  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('appends every audit event as a leaf in order, chained per target, in canonical JSON', async () => {
    const before = (await readLedgerHead(c.db)).size;
    const item = uuidv7();
    for (let i = 0; i < 5; i++)
      await appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: item, details: { n: i, note: 'Карпянкоў', skip: undefined } });
    await appendAuditEvent(c.db, { action: 'auth.sign-in-failed', actorId: null, details: { reason: 'bad password' } });
    const head = await readLedgerHead(c.db);
    expect(head.size).toBe(before + 6);
    const leaves = await leavesOfTarget(c.db, 'evidence', item);
    expect(leaves.map((l) => l.index)).toEqual([before, before + 1, before + 2, before + 3, before + 4]);
    let prev: string | null = null;
    for (const l of leaves) {
      const body = JSON.parse(l.body);
      expect(canonicalJson(body)).toBe(l.body);
      expect(leafHash(Buffer.from(l.body)).toString('hex')).toBe(l.leafHash);
      expect(body.prev).toBe(prev);
      expect(body.target).toEqual({ type: 'evidence', id: item });
      expect('skip' in body.details).toBe(false);
      prev = l.leafHash;
    }
    // the stored audit row says what the leaf says
    const row = await c.db.selectFrom('audit_events').selectAll().where('id', '=', JSON.parse(leaves[0]!.body).id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.details as string)).toEqual({ n: 0, note: 'Карпянкоў' });
  });

  it('serves inclusion proofs for every leaf and consistency proofs between every pair of sizes that verify against the roots', async () => {
    for (let i = 0; i < 30; i++) await appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: uuidv7() });
    const head = await readLedgerHead(c.db);
    const all = await c.db.selectFrom('ledger_leaves').select(['idx', 'leaf_hash']).orderBy('idx').execute();
    expect(all.map((r) => Number(r.idx))).toEqual([...Array(head.size).keys()]);
    const leaves = all.map((r) => hex(r.leaf_hash as string));
    expect(rootFromLeaves(leaves).equals(head.rootHash)).toBe(true);
    const rootAt = (n: number) => rootFromLeaves(leaves.slice(0, n));
    for (const size of [1, 2, 3, 7, 8, 9, 17, head.size]) {
      for (let index = 0; index < size; index++) {
        const p = await inclusionProof(c.db, index, size);
        expect(verifyInclusion(index, size, leaves[index]!, p.proof.map(hex), rootAt(size))).toBe(true);
      }
    }
    for (const [from, to] of [[1, 2], [3, 7], [4, 8], [5, 17], [8, head.size], [head.size - 1, head.size]] as const) {
      const p = await consistencyProof(c.db, from, to);
      expect(verifyConsistency(from, to, p.proof.map(hex), rootAt(from), rootAt(to))).toBe(true);
      // and not against another history
      expect(verifyConsistency(from, to, p.proof.map(hex), rootAt(from === 1 ? 2 : from - 1), rootAt(to))).toBe(false);
    }
    await expect(inclusionProof(c.db, head.size, head.size)).rejects.toBeInstanceOf(ValidationError);
    await expect(inclusionProof(c.db, 0, head.size + 1)).rejects.toBeInstanceOf(ValidationError);
    await expect(consistencyProof(c.db, 5, 4)).rejects.toBeInstanceOf(ValidationError);
  });

  it('an action that fails after its audit event leaves no leaf (same transaction)', async () => {
    const before = await readLedgerHead(c.db);
    await expect(
      inTransaction(c.db, async (trx) => {
        await appendAuditEvent(trx, { action: 'identity.reveal', actorId: null, targetType: 'person', targetId: uuidv7(), reason: 'case' });
        throw new Error('the action failed after its event');
      }),
    ).rejects.toThrow('the action failed');
    const after = await readLedgerHead(c.db);
    expect(after.size).toBe(before.size);
    expect(after.rootHash.equals(before.rootHash)).toBe(true);
  });

  it('concurrent appenders get one total order: contiguous indexes, every tree node consistent', async () => {
    const before = (await readLedgerHead(c.db)).size;
    const target = uuidv7();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? appendLedgerEvents(c.db, [0, 1, 2].map((k) => ({ id: uuidv7(), at: new Date().toISOString(), action: 'evidence.view', actor: null, target: { type: 'evidence', id: target }, reason: null, details: { i, k } })))
          : appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: target, details: { i } }),
      ),
    );
    const head = await readLedgerHead(c.db);
    expect(head.size).toBe(before + 30 + 10 * 3);
    // every event of the target chains to the one before it, whatever order they committed in
    const leaves = await leavesOfTarget(c.db, 'evidence', target);
    expect(leaves).toHaveLength(60);
    for (let i = 1; i < leaves.length; i++) expect(JSON.parse(leaves[i]!.body).prev).toBe(leaves[i - 1]!.leafHash);
    // appendLedgerEvents writes no audit row: the store check counts that, so compare the ledger only
    const report = await verifyStore({ ...deps(), blobs: c.blobs }, { skipBlobs: true });
    expect(report.problems.filter((p) => !p.where.startsWith('audit event'))).toEqual([]);
    expect(report.leaves).toBe(head.size);
  });

  it('signs checkpoints in the C2SP format with the instance key, once per tree size, when due', async () => {
    expect(await checkpointDue({ db: c.db, ledger: { ...c.config.ledger, checkpointEvents: 1 } })).toBe('events');
    expect(await checkpointDue({ db: c.db, ledger: { ...c.config.ledger, checkpointEvents: 1_000_000, checkpointMinutes: 0 } })).toBeNull();
    const cp = (await makeCheckpoint(deps(), 'manual'))!;
    const head = await readLedgerHead(c.db);
    expect(cp.size).toBe(head.size);
    const pub = (await readLedgerPublicKey(c.db))!;
    const note = parseNote(cp.note);
    const body = parseCheckpoint(note.text);
    expect(body.origin).toBe(pub.name);
    expect(body.rootHash.equals(head.rootHash)).toBe(true);
    expect(note.text).toBe(`${pub.name}\n${head.size}\n${head.rootHash.toString('base64')}\n`);
    expect(verifyNoteSignature(note, parseVerifierKey(pub.verifierKey), ed25519Verify)).toBe('valid');
    // nothing new: the same checkpoint; not due
    expect((await makeCheckpoint(deps(), 'manual'))!.note).toBe(cp.note);
    expect(await checkpointDue({ db: c.db, ledger: { ...c.config.ledger, checkpointEvents: 1 } })).toBeNull();
    // after T minutes with something new, due by interval
    await appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: uuidv7() });
    expect(await checkpointDue({ db: c.db, ledger: { ...c.config.ledger, checkpointEvents: 1000, checkpointMinutes: 10 } }, Date.now() + 11 * 60_000)).toBe('interval');
    expect(await checkpointDue({ db: c.db, ledger: { ...c.config.ledger, checkpointEvents: 1000, checkpointMinutes: 10 } })).toBeNull();
    const next = (await makeCheckpoint(deps(), 'interval'))!;
    expect(next.size).toBe(cp.size + 1);
    const p = await consistencyProof(c.db, cp.size, next.size);
    expect(verifyConsistency(cp.size, next.size, p.proof.map(hex), hex(cp.rootHash), hex(next.rootHash))).toBe(true);
  });

  it('collects cosignatures from configured witnesses only, and a quorum makes a checkpoint witnessed', async () => {
    const w1 = generateEd25519KeyPair();
    const w2 = generateEd25519KeyPair();
    const stranger = generateEd25519KeyPair();
    const k1 = formatVerifierKey('w1.example.org', w1.publicKey, 'cosignature');
    const k2 = formatVerifierKey('w2.example.org', w2.publicKey, 'cosignature');
    const ledger = { ...c.config.ledger, witnesses: [k1, k2], witnessQuorum: 2 };
    const cp = (await makeCheckpoint({ ...deps(), ledger }, 'manual'))!;
    expect(cp.witnessed).toBe(false);
    const now = Math.floor(Date.now() / 1000);
    const line = (name: string, pair: typeof w1, text = cp.body) => formatNote({ text, signatures: [cosignNoteText(text, name, pair.publicKey, now, (m) => ed25519Sign(m, pair.secretKey))] }).slice(text.length + 1);
    const one = await addCosignature({ db: c.db, ledger }, cp.size, line('w1.example.org', w1));
    expect(one.cosignatures.map((x) => x.witness)).toEqual(['w1.example.org']);
    expect(one.witnessed).toBe(false);
    // a stranger's key, a forged line (w2's name, the stranger's key) and a cosignature of another checkpoint are refused
    await expect(addCosignature({ db: c.db, ledger }, cp.size, line('stranger.example.org', stranger))).rejects.toBeInstanceOf(ValidationError);
    await expect(addCosignature({ db: c.db, ledger }, cp.size, line('w2.example.org', stranger))).rejects.toBeInstanceOf(ValidationError);
    const otherBody = cp.body.replace(/\n\d+\n/, `\n${cp.size + 1000}\n`);
    await expect(addCosignature({ db: c.db, ledger }, cp.size, line('w2.example.org', w2, otherBody))).rejects.toBeInstanceOf(ValidationError);
    const two = await addCosignature({ db: c.db, ledger }, cp.size, line('w2.example.org', w2));
    expect(two.witnessed).toBe(true);
    // the note served carries the log signature and both cosignatures, each verifiable
    const note = parseNote((await getCheckpoint({ db: c.db, ledger }, cp.size))!.note);
    expect(note.signatures).toHaveLength(3);
    expect(verifyNoteSignature(note, parseVerifierKey(k1), ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(note, parseVerifierKey(k2), ed25519Verify)).toBe('valid');
    // with a 1-of-2 policy one cosignature is enough
    expect((await getCheckpoint({ db: c.db, ledger: { ...ledger, witnessQuorum: 1 } }, cp.size))!.witnessed).toBe(true);
    expect((await verifyStore({ db: c.db, vault: c.vault, blobs: c.blobs, ledger }, { skipBlobs: true })).problems.filter((p) => !p.where.startsWith('audit event'))).toEqual([]);
  });
});
