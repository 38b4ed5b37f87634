import { sql, type Kysely } from 'kysely';
import {
  canonicalJson,
  hashRange,
  inclusionProofRanges,
  leafHash,
  MerkleFrontier,
  neededCoords,
  type LeafRange,
  type NodeCoord,
} from '../../domain/ledger/index.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import type { LedgerEventBody } from '../bundles/manifest.js';

/**
 * The custody ledger's storage: appending leaves (one total order: every appender locks the single
 * head row), reading perfect-subtree hashes for proofs, the leaves of one target. The tree's hashes
 * are lower-case hex in the database (both engines compare and index text the same way).
 */

export type LedgerEventInput = Omit<LedgerEventBody, 'v' | 'index' | 'prev'>;

export interface AppendedLeaf {
  index: number;
  leafHash: string;
  body: LedgerEventBody;
}

const targetKey = (t: { type: string; id: string }) => `${t.type}\u0000${t.id}`;

/**
 * Appends events as leaves, in order, in the caller's transaction (or a new one). The head row is
 * locked first (UPDATE: a row lock on PostgreSQL, the write lock on SQLite), so concurrent
 * appenders queue and the log gets one total order; the lock is held until the transaction ends,
 * so a rolled-back action leaves no leaf.
 */
export async function appendLedgerEvents(db: Kysely<any>, events: LedgerEventInput[]): Promise<AppendedLeaf[]> {
  if (events.length === 0) return [];
  return inTransaction(db, async (trx) => {
    await trx.updateTable('ledger_head').set({ size: sql`size` }).where('id', '=', 1).execute();
    const head = await trx.selectFrom('ledger_head').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirst();
    if (!head) throw new Error('the ledger has no head row: run the migrations (letapis migrate)');
    const frontier = MerkleFrontier.fromJSON(JSON.parse(head.frontier as string));
    if (frontier.size !== Number(head.size)) throw new Error(`the ledger head is inconsistent (size ${head.size}, frontier of ${frontier.size}): run letapis verify --vault`);

    // previous leaf of each target: from this batch, else the newest stored one
    const prevOf = new Map<string, string | null>();
    for (const e of events) {
      if (!e.target || prevOf.has(targetKey(e.target))) continue;
      const row = await trx
        .selectFrom('ledger_leaves')
        .select('leaf_hash')
        .where('target_type', '=', e.target.type)
        .where('target_id', '=', e.target.id)
        .orderBy('idx', 'desc')
        .limit(1)
        .executeTakeFirst();
      prevOf.set(targetKey(e.target), (row?.leaf_hash as string | undefined) ?? null);
    }

    const leaves: Record<string, unknown>[] = [];
    const nodes: Record<string, unknown>[] = [];
    const out: AppendedLeaf[] = [];
    for (const e of events) {
      const key = e.target ? targetKey(e.target) : null;
      const body: LedgerEventBody = {
        v: 1,
        index: frontier.size,
        id: e.id,
        at: e.at,
        action: e.action,
        actor: e.actor,
        target: e.target,
        reason: e.reason,
        details: e.details,
        prev: key ? (prevOf.get(key) ?? null) : null,
      };
      const text = canonicalJson(body);
      const hash = leafHash(Buffer.from(text, 'utf8'));
      const hex = hash.toString('hex');
      leaves.push({ idx: body.index, audit_id: e.id, target_type: e.target?.type ?? null, target_id: e.target?.id ?? null, leaf_hash: hex, body: text });
      for (const n of frontier.push(hash)) nodes.push({ level: n.coord.level, idx: n.coord.index, hash: n.hash.toString('hex') });
      if (key) prevOf.set(key, hex);
      out.push({ index: body.index, leafHash: hex, body });
    }
    for (let i = 0; i < leaves.length; i += 100) await trx.insertInto('ledger_leaves').values(leaves.slice(i, i + 100)).execute();
    for (let i = 0; i < nodes.length; i += 300) await trx.insertInto('ledger_nodes').values(nodes.slice(i, i + 300)).execute();
    await trx
      .updateTable('ledger_head')
      .set({ size: frontier.size, frontier: JSON.stringify(frontier.toJSON()), updated_at: new Date().toISOString() })
      .where('id', '=', 1)
      .execute();
    return out;
  });
}

export interface LedgerHead {
  size: number;
  rootHash: Buffer;
  updatedAt: string;
}

/** The tree as last committed: its size and root (from the stored frontier). */
export async function readLedgerHead(db: Kysely<any>): Promise<LedgerHead> {
  const head = await db.selectFrom('ledger_head').select(['size', 'frontier', 'updated_at']).where('id', '=', 1).executeTakeFirstOrThrow();
  const frontier = MerkleFrontier.fromJSON(JSON.parse(head.frontier as string));
  return { size: Number(head.size), rootHash: frontier.root(), updatedAt: head.updated_at as string };
}

/** Reads the perfect-subtree hashes at the given coordinates (one query per 400 of them). */
export async function readNodes(db: Kysely<any>, coords: NodeCoord[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const unique = [...new Map(coords.map((c) => [`${c.level}/${c.index}`, c])).values()];
  for (let i = 0; i < unique.length; i += 400) {
    const chunk = unique.slice(i, i + 400);
    const rows = await db
      .selectFrom('ledger_nodes')
      .select(['level', 'idx', 'hash'])
      .where(sql<boolean>`(level, idx) in (${sql.join(chunk.map((c) => sql`(${c.level}, ${c.index})`))})`)
      .execute();
    for (const r of rows) out.set(`${Number(r.level)}/${Number(r.idx)}`, Buffer.from(r.hash as string, 'hex'));
  }
  return out;
}

/** Hashes of the given leaf ranges (each the MTH of its leaves), read from the stored nodes. */
export async function hashRanges(db: Kysely<any>, ranges: LeafRange[]): Promise<Buffer[]> {
  const nodes = await readNodes(db, neededCoords(ranges));
  return ranges.map((r) =>
    hashRange(r, (c) => {
      const h = nodes.get(`${c.level}/${c.index}`);
      if (!h) throw new LedgerCorruptError(`the ledger has no node at level ${c.level}, index ${c.index}: it is incomplete (run letapis verify --vault)`);
      return h;
    }),
  );
}

export class LedgerCorruptError extends Error {}

export interface LeafRow {
  index: number;
  auditId: string;
  leafHash: string;
  body: string;
}

/** Leaves of one target (an evidence item, a case …) in log order, up to `size` when given. */
export async function leavesOfTarget(db: Kysely<any>, type: string, id: string, size?: number): Promise<LeafRow[]> {
  let q = db.selectFrom('ledger_leaves').select(['idx', 'audit_id', 'leaf_hash', 'body']).where('target_type', '=', type).where('target_id', '=', id);
  if (size !== undefined) q = q.where('idx', '<', size);
  const rows = await q.orderBy('idx').execute();
  return rows.map((r) => ({ index: Number(r.idx), auditId: r.audit_id as string, leafHash: r.leaf_hash as string, body: r.body as string }));
}

/** Inclusion proofs (RFC 9162 order) of the given leaves in the tree of `size`, all nodes read at once. */
export async function proofsOf(db: Kysely<any>, leaves: Array<{ index: number }>, size: number): Promise<Buffer[][]> {
  const ranges = leaves.map((l) => inclusionProofRanges(l.index, size));
  const hashes = await hashRanges(db, ranges.flat());
  let at = 0;
  return ranges.map((r) => hashes.slice(at, (at += r.length)));
}

export async function leafAt(db: Kysely<any>, index: number): Promise<LeafRow | undefined> {
  const r = await db.selectFrom('ledger_leaves').select(['idx', 'audit_id', 'leaf_hash', 'body']).where('idx', '=', index).executeTakeFirst();
  return r ? { index: Number(r.idx), auditId: r.audit_id as string, leafHash: r.leaf_hash as string, body: r.body as string } : undefined;
}
