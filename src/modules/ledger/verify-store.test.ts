import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import fc from 'fast-check';
import type { Container } from '../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { ingestEvidence } from '../evidence/evidence.usecases.js';
import { DiskBlobStore } from '../../adapters/blobs/disk/disk.store.js';
import { verifyConsistency } from '../../domain/ledger/index.js';
import { consistencyProof, makeCheckpoint } from './checkpoints.js';
import { verifyStore } from './verify-store.js';

/**
 * `letapis verify --vault` against tampering: one byte changed anywhere it matters — a ledger
 * row, a stored tree node, a checkpoint, an audit row, an encrypted blob — and the check fails
 * and names what broke; a deleted or moved row too. Each case is undone before the next.
 */
describeEachDialect('verify --vault finds every single-byte change, deletion and reordering', (dialect) => {
  let c: Container;
  let blobPath: string;
  const deps = () => ({ db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger });

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    const actor = await makeActor(c.db, 'documenter');
    const ev = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    const out = await ingestEvidence(ev, actor, Readable.from([Buffer.from('a photograph of a detention, '.repeat(200))]), { method: 'upload', filename: 'IMG_1.jpg' });
    for (let i = 0; i < 20; i++) await appendAuditEvent(c.db, { action: 'evidence.view', actorId: actor.userId, targetType: 'evidence', targetId: i % 2 ? out.item.id : uuidv7(), details: { i } });
    await makeCheckpoint({ db: c.db, vault: c.vault, ledger: c.config.ledger }, 'manual');
    for (let i = 0; i < 7; i++) await appendAuditEvent(c.db, { action: 'auth.sign-in-failed', actorId: null, details: { reason: 'bad password', i } });
    await makeCheckpoint({ db: c.db, vault: c.vault, ledger: c.config.ledger }, 'manual');
    blobPath = (c.blobs as DiskBlobStore).pathOf(out.item.blobName);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('a store nobody touched verifies; appending after a checkpoint keeps it consistent', async () => {
    const r = await verifyStore(deps());
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checkpoints).toBe(2);
    expect(r.items).toBe(1);
    const [first, second] = (await c.db.selectFrom('ledger_checkpoints').select(['size', 'root_hash']).orderBy('size').execute()).map((x) => ({ size: Number(x.size), root: Buffer.from(x.root_hash as string, 'hex') }));
    const p = await consistencyProof(c.db, first!.size, second!.size);
    expect(verifyConsistency(first!.size, second!.size, p.proof.map((h) => Buffer.from(h, 'hex')), first!.root, second!.root)).toBe(true);
  });

  /** Changes one character of a text column, runs the check, puts it back. */
  async function flipText(table: string, key: Record<string, unknown>, column: string, pos: number): Promise<{ where: string; message: string }[]> {
    let q = c.db.selectFrom(table).select(column);
    for (const [k, v] of Object.entries(key)) q = q.where(k, '=', v);
    const original = (await q.executeTakeFirstOrThrow())[column] as string;
    const i = pos % original.length;
    const ch = original[i]!;
    const replacement = /[0-9a-f]/.test(ch) ? (ch === '0' ? '1' : '0') : ch === 'x' ? 'y' : 'x';
    const changed = original.slice(0, i) + replacement + original.slice(i + 1);
    const set = async (v: string) => {
      let u = c.db.updateTable(table).set({ [column]: v });
      for (const [k, val] of Object.entries(key)) u = u.where(k, '=', val);
      await u.execute();
    };
    await set(changed);
    try {
      return (await verifyStore(deps(), { skipBlobs: true })).problems;
    } finally {
      await set(original);
    }
  }

  it('any changed byte of a leaf (its event or its hash) fails and names the leaf', async () => {
    const size = Number((await c.db.selectFrom('ledger_head').select('size').executeTakeFirstOrThrow()).size);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: size - 1 }), fc.constantFrom('body', 'leaf_hash'), fc.nat(), async (idx, column, pos) => {
        const problems = await flipText('ledger_leaves', { idx }, column, pos);
        expect(problems.some((p) => p.where === `leaf ${idx}`)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('any changed byte of a stored tree node fails and names the node', async () => {
    const nodes = await c.db.selectFrom('ledger_nodes').select(['level', 'idx']).execute();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: nodes.length - 1 }), fc.nat({ max: 63 }), async (n, pos) => {
        const { level, idx } = nodes[n]!;
        const problems = await flipText('ledger_nodes', { level, idx }, 'hash', pos);
        expect(problems.some((p) => p.where === `node ${level}/${Number(idx)}`)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('any changed byte of a checkpoint (body or signature) fails and names the checkpoint', async () => {
    const cps = (await c.db.selectFrom('ledger_checkpoints').select('size').execute()).map((x) => Number(x.size));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cps), fc.constantFrom('body', 'signatures', 'root_hash'), fc.nat(), async (size, column, pos) => {
        const problems = await flipText('ledger_checkpoints', { size }, column, pos);
        expect(problems.some((p) => p.where === `checkpoint ${size}` || p.where === 'checkpoints')).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('a changed audit row (what the log lists) fails against its leaf', async () => {
    const rows = await c.db.selectFrom('audit_events').select('id').execute();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: rows.length - 1 }), fc.constantFrom('action', 'at', 'details'), fc.nat(), async (n, column, pos) => {
        const id = rows[n]!.id as string;
        const row = await c.db.selectFrom('audit_events').select(column).where('id', '=', id).executeTakeFirstOrThrow();
        fc.pre(typeof row[column] === 'string' && (row[column] as string).length > 0);
        const problems = await flipText('audit_events', { id }, column, pos);
        expect(problems.some((p) => p.where === `audit event ${id}`)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('a deleted leaf, two leaves swapped, or a deleted audit event fail', async () => {
    const leaf = await c.db.selectFrom('ledger_leaves').selectAll().where('idx', '=', 5).executeTakeFirstOrThrow();
    await c.db.deleteFrom('ledger_leaves').where('idx', '=', 5).execute();
    try {
      const r = await verifyStore(deps(), { skipBlobs: true });
      expect(r.ok).toBe(false);
      expect(r.problems.some((p) => p.where === 'leaf 6' && /missing/.test(p.message))).toBe(true);
      expect(r.problems.some((p) => p.where === 'head')).toBe(true);
    } finally {
      await c.db.insertInto('ledger_leaves').values(leaf).execute();
    }
    // swap the contents of leaves 3 and 4 (a reordering)
    const [a, b] = await Promise.all([3, 4].map((i) => c.db.selectFrom('ledger_leaves').selectAll().where('idx', '=', i).executeTakeFirstOrThrow()));
    const put = async (idx: number, r: Record<string, unknown>) =>
      c.db.updateTable('ledger_leaves').set({ audit_id: `tmp-${idx}`, target_type: r.target_type, target_id: r.target_id, leaf_hash: r.leaf_hash, body: r.body }).where('idx', '=', idx).execute();
    await put(3, b!);
    await put(4, a!);
    await c.db.updateTable('ledger_leaves').set({ audit_id: b!.audit_id }).where('idx', '=', 3).execute();
    await c.db.updateTable('ledger_leaves').set({ audit_id: a!.audit_id }).where('idx', '=', 4).execute();
    try {
      const r = await verifyStore(deps(), { skipBlobs: true });
      expect(r.ok).toBe(false);
      expect(r.problems.some((p) => p.where === 'leaf 3' && /moved/.test(p.message))).toBe(true);
      expect(r.problems.some((p) => p.where.startsWith('checkpoint') || p.where.startsWith('node'))).toBe(true);
    } finally {
      await c.db.updateTable('ledger_leaves').set({ audit_id: 'tmp-a' }).where('idx', '=', 3).execute();
      await c.db.updateTable('ledger_leaves').set({ audit_id: 'tmp-b' }).where('idx', '=', 4).execute();
      await put(3, a!);
      await put(4, b!);
      await c.db.updateTable('ledger_leaves').set({ audit_id: a!.audit_id }).where('idx', '=', 3).execute();
      await c.db.updateTable('ledger_leaves').set({ audit_id: b!.audit_id }).where('idx', '=', 4).execute();
    }
    const ev = await c.db.selectFrom('audit_events').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
    await c.db.deleteFrom('audit_events').where('id', '=', ev.id).execute();
    try {
      const r = await verifyStore(deps(), { skipBlobs: true });
      expect(r.problems.some((p) => p.where === `audit event ${ev.id}` && /missing/.test(p.message))).toBe(true);
    } finally {
      await c.db.insertInto('audit_events').values(ev).execute();
    }
    expect((await verifyStore(deps())).ok).toBe(true);
  });

  it('any changed byte of an encrypted blob fails and names the item', async () => {
    const original = readFileSync(blobPath);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (pos, xor) => {
        const changed = Buffer.from(original);
        changed[pos] = changed[pos]! ^ xor;
        writeFileSync(blobPath, changed);
        try {
          const r = await verifyStore(deps());
          expect(r.ok).toBe(false);
          expect(r.problems.some((p) => p.where.startsWith('evidence '))).toBe(true);
        } finally {
          writeFileSync(blobPath, original);
        }
      }),
      { numRuns: 20 },
    );
    expect((await verifyStore(deps())).ok).toBe(true);
  });
});
