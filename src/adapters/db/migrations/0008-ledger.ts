import type { Kysely } from 'kysely';
import { canonicalJson, leafHash, MerkleFrontier } from '../../../domain/ledger/index.js';

/**
 * 0008: the custody ledger, an RFC 9162 Merkle tree over every audit event.
 *
 * - `ledger_head`: one row (id 1) with the tree size and its right edge (the frontier), locked by
 *   every appender, so appends get one total order on both engines.
 * - `ledger_leaves`: leaf `idx` is the event's canonical JSON (`body`) and its leaf hash; events of
 *   one target are chained by the `prev` inside the body.
 * - `ledger_nodes`: every complete (perfect) subtree's hash by (level, idx), so any inclusion or
 *   consistency proof is O(log n) reads, never a scan of the log.
 * - `ledger_keys`: the instance's Ed25519 signing key (seed encrypted under the vault).
 * - `ledger_checkpoints`, `ledger_cosignatures`, `ledger_timestamps`: signed checkpoints (C2SP
 *   tlog-checkpoint), witnesses' cosignatures, RFC 3161 tokens.
 *
 * Events written before this migration are appended to the ledger here, in id (time) order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ledger_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('frontier', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ledger_leaves')
    .addColumn('idx', 'bigint', (c) => c.primaryKey())
    .addColumn('audit_id', 'text', (c) => c.notNull().unique())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_leaves_target_idx').on('ledger_leaves').columns(['target_type', 'target_id', 'idx']).execute();
  await db.schema
    .createTable('ledger_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_nodes_pk', ['level', 'idx'])
    .execute();
  await db.schema
    .createTable('ledger_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('signatures', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('ledger_keys.id'))
    .addColumn('reason', 'text', (c) => c.notNull()) // events | interval | export | manual
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ledger_cosignatures')
    .addColumn('size', 'bigint', (c) => c.notNull().references('ledger_checkpoints.size'))
    .addColumn('witness', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_cosignatures_pk', ['size', 'witness'])
    .execute();
  await db.schema
    .createTable('ledger_timestamps')
    .addColumn('size', 'bigint', (c) => c.notNull().references('ledger_checkpoints.size'))
    .addColumn('tsa', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('gen_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_timestamps_pk', ['size', 'tsa'])
    .execute();

  // case bundles exported through the API (a job each); the ZIP is kept encrypted in the blob store
  await db.schema
    .createTable('case_exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('compartment_id', 'text', (c) => c.notNull().references('compartments.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text')
    .addColumn('recipient', 'text')
    .addColumn('derivatives', 'text', (c) => c.notNull()) // JSON list of derivative kinds
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // queued | done | failed
    .addColumn('blob_name', 'text')
    .addColumn('data_key_id', 'text', (c) => c.references('data_keys.id'))
    .addColumn('size', 'bigint')
    .addColumn('sha256', 'text')
    .addColumn('checkpoint_size', 'bigint')
    .addColumn('summary', 'text') // JSON: counts
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('case_exports_case_idx').on('case_exports').columns(['case_id', 'created_at']).execute();

  // the events recorded so far become the first leaves
  const frontier = MerkleFrontier.empty();
  const lastOf = new Map<string, string>();
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('id', '>', after).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    const leaves: Record<string, unknown>[] = [];
    const nodes: Record<string, unknown>[] = [];
    for (const r of rows) {
      const target = r.target_type && r.target_id ? { type: r.target_type as string, id: r.target_id as string } : null;
      const key = target ? `${target.type}\u0000${target.id}` : null;
      const body = {
        v: 1,
        index: frontier.size,
        id: r.id,
        at: r.at,
        action: r.action,
        actor: r.actor_id ?? null,
        target,
        reason: r.reason ?? null,
        details: r.details ? JSON.parse(r.details) : null,
        prev: key ? (lastOf.get(key) ?? null) : null,
      };
      const text = canonicalJson(body);
      const hash = leafHash(Buffer.from(text, 'utf8'));
      leaves.push({ idx: body.index, audit_id: r.id, target_type: target?.type ?? null, target_id: target?.id ?? null, leaf_hash: hash.toString('hex'), body: text });
      for (const n of frontier.push(hash)) nodes.push({ level: n.coord.level, idx: n.coord.index, hash: n.hash.toString('hex') });
      if (key) lastOf.set(key, hash.toString('hex'));
      after = r.id;
    }
    for (let i = 0; i < leaves.length; i += 100) await db.insertInto('ledger_leaves').values(leaves.slice(i, i + 100)).execute();
    for (let i = 0; i < nodes.length; i += 200) await db.insertInto('ledger_nodes').values(nodes.slice(i, i + 200)).execute();
  }
  await db
    .insertInto('ledger_head')
    .values({ id: 1, size: frontier.size, frontier: JSON.stringify(frontier.toJSON()), updated_at: new Date().toISOString() })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['case_exports', 'ledger_timestamps', 'ledger_cosignatures', 'ledger_checkpoints', 'ledger_keys', 'ledger_nodes', 'ledger_leaves', 'ledger_head'])
    await db.schema.dropTable(t).execute();
}
