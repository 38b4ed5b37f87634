import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import type { LedgerConfig } from '../../app/config.js';
import { ed25519Verify } from '../../adapters/keys/ed25519.js';
import {
  canonicalJson,
  consistencyProofRanges,
  leafHash,
  MerkleFrontier,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyConsistency,
  verifyNoteSignature,
  type NodeCoord,
} from '../../domain/ledger/index.js';
import { hashRanges, readNodes } from './ledger.repository.js';
import { readLedgerPublicKey } from './signing-key.js';

/**
 * `letapis verify --vault`: checks the whole store without trusting any derived value.
 *
 * - The ledger: every leaf is present, in order, and its body hashes to its leaf hash; each body's
 *   index is its position and its `prev` is the previous leaf of the same target; every audit event
 *   row says what its leaf says; the tree rebuilt from the leaves matches every stored node, the
 *   head and every checkpoint's root; every checkpoint's signature verifies with the log key and
 *   each is consistent with the one before (RFC 9162 proof from the stored nodes).
 * - The evidence: every blob decrypts (authenticated) and hashes to its recorded SHA-256 and size.
 *
 * It reports every problem it finds, naming the leaf, node, checkpoint or item, and never stops at
 * the first (except where the rest cannot be judged).
 */

export interface VerifyStoreDeps {
  db: Kysely<any>;
  vault: KeyVault;
  blobs: BlobStore;
  ledger: LedgerConfig;
}

export interface StoreProblem {
  /** What broke: `leaf 17`, `node 3/2`, `checkpoint 40`, `evidence 0192…`, `audit event 0192…`, `head`. */
  where: string;
  message: string;
}

export interface StoreReport {
  ok: boolean;
  leaves: number;
  nodes: number;
  checkpoints: number;
  cosignatures: number;
  items: number;
  bytes: number;
  problems: StoreProblem[];
}

export interface VerifyStoreOptions {
  /** Skip decrypting and hashing the blobs (ledger only). */
  skipBlobs?: boolean;
  onProgress?: (phase: 'ledger' | 'evidence', done: number, total: number) => void;
  /** Stop listing problems after this many (the count goes on). Default 1000. */
  maxProblems?: number;
}

const PAGE = 2000;
const AUDIT_FIELDS = ['id', 'at', 'action', 'actor_id', 'target_type', 'target_id', 'reason', 'details'] as const;

export async function verifyStore(deps: VerifyStoreDeps, opts: VerifyStoreOptions = {}): Promise<StoreReport> {
  const problems: StoreProblem[] = [];
  let problemCount = 0;
  const max = opts.maxProblems ?? 1000;
  const problem = (where: string, message: string) => {
    problemCount++;
    if (problems.length < max) problems.push({ where, message });
  };
  const report: StoreReport = { ok: false, leaves: 0, nodes: 0, checkpoints: 0, cosignatures: 0, items: 0, bytes: 0, problems };

  // ── the ledger ──
  const head = await deps.db.selectFrom('ledger_head').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirst();
  if (!head) problem('head', 'the ledger has no head row');
  const headSize = head ? Number(head.size) : 0;
  const leafCount = Number((await deps.db.selectFrom('ledger_leaves').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const auditCount = Number((await deps.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  if (leafCount !== headSize) problem('head', `the head says ${headSize} leaves but ${leafCount} are stored`);
  if (auditCount !== leafCount) problem('audit events', `${auditCount} audit events but ${leafCount} ledger leaves: ${auditCount > leafCount ? 'some events are not in the ledger' : 'some events were deleted'}`);

  const pub = await readLedgerPublicKey(deps.db);
  const logKey = pub ? parseVerifierKey(pub.verifierKey) : undefined;
  const witnessKeys = deps.ledger.witnesses.map((w) => parseVerifierKey(w));
  const cps = (await deps.db.selectFrom('ledger_checkpoints').select(['size', 'root_hash', 'body', 'signatures']).orderBy('size').execute()).map((c) => ({
    size: Number(c.size),
    root: c.root_hash as string,
    body: c.body as string,
    signatures: c.signatures as string,
  }));
  if (cps.length > 0 && !logKey) problem('checkpoints', 'there are checkpoints but no log key to check them with');
  const cosigs = await deps.db.selectFrom('ledger_cosignatures').select(['size', 'witness', 'line']).execute();
  report.cosignatures = cosigs.length;

  const frontier = MerkleFrontier.empty();
  const lastOfTarget = new Map<string, string>();
  let cpNext = 0;
  let prevCp: { size: number; root: Buffer } | undefined;
  const roots = new Map<number, Buffer>();
  let expected = 0;
  let after = -1;
  const total = Math.max(leafCount, headSize);
  for (;;) {
    const rows = await deps.db.selectFrom('ledger_leaves').select(['idx', 'audit_id', 'target_type', 'target_id', 'leaf_hash', 'body']).where('idx', '>', after).orderBy('idx').limit(PAGE).execute();
    if (rows.length === 0) break;
    const audits = new Map(
      (await deps.db.selectFrom('audit_events').select([...AUDIT_FIELDS]).where('id', 'in', rows.map((r) => r.audit_id as string)).execute()).map((a) => [a.id as string, a]),
    );
    const completed: Array<{ coord: NodeCoord; hash: Buffer }> = [];
    for (const r of rows) {
      const idx = Number(r.idx);
      after = idx;
      const where = `leaf ${idx}`;
      if (idx !== expected) {
        problem(where, idx > expected ? `leaves ${expected}…${idx - 1} are missing (the log has a gap)` : `leaf ${idx} is out of order`);
        // the tree cannot be rebuilt past a gap; stop the ledger walk here
        expected = -1;
        break;
      }
      expected++;
      const body = r.body as string;
      let stored = Buffer.alloc(0);
      try {
        stored = Buffer.from(r.leaf_hash as string, 'hex');
      } catch {
        /* reported below */
      }
      const computed = leafHash(Buffer.from(body, 'utf8'));
      if (!computed.equals(stored) || (r.leaf_hash as string).length !== 64) problem(where, 'its body does not hash to its stored leaf hash (the event or its hash was changed)');
      let parsed: Record<string, any> | undefined;
      try {
        parsed = JSON.parse(body);
        if (canonicalJson(parsed) !== body) problem(where, 'its body is not in canonical JSON (RFC 8785) form');
      } catch {
        problem(where, 'its body is not JSON');
      }
      if (parsed) {
        if (parsed.index !== idx) problem(where, `its body says index ${String(parsed.index)}: the leaf was moved`);
        if (parsed.id !== r.audit_id) problem(where, 'its body names another audit event than its row');
        const t = parsed.target as { type: string; id: string } | null;
        if ((t?.type ?? null) !== (r.target_type ?? null) || (t?.id ?? null) !== (r.target_id ?? null)) problem(where, 'its row names another target than its body');
        if (t) {
          const key = `${t.type}\u0000${t.id}`;
          const prev = lastOfTarget.get(key) ?? null;
          if ((parsed.prev ?? null) !== prev) problem(where, `its prev hash does not match the previous event of ${t.type} ${t.id}`);
          lastOfTarget.set(key, computed.toString('hex'));
        }
        const a = audits.get(r.audit_id as string);
        if (!a) problem(`audit event ${String(r.audit_id)}`, `the audit event of leaf ${idx} is missing`);
        else {
          let details: string | undefined;
          try {
            details = canonicalJson(a.details ? JSON.parse(a.details as string) : null);
          } catch {
            details = undefined; // unreadable: cannot match
          }
          const same =
            details !== undefined &&
            a.at === parsed.at &&
            a.action === parsed.action &&
            (a.actor_id ?? null) === parsed.actor &&
            (a.reason ?? null) === parsed.reason &&
            (a.target_type ?? null) === (t?.type ?? null) &&
            (a.target_id ?? null) === (t?.id ?? null) &&
            details === canonicalJson(parsed.details ?? null);
          if (!same) problem(`audit event ${String(a.id)}`, `the audit event row differs from what leaf ${idx} recorded`);
        }
      }
      completed.push(...frontier.push(computed));
      while (cpNext < cps.length && cps[cpNext]!.size === frontier.size) {
        roots.set(frontier.size, frontier.root());
        cpNext++;
      }
    }
    // stored nodes must equal the ones rebuilt from the leaves
    const storedNodes = await readNodes(deps.db, completed.map((c) => c.coord));
    for (const c of completed) {
      const s = storedNodes.get(`${c.coord.level}/${c.coord.index}`);
      if (!s) problem(`node ${c.coord.level}/${c.coord.index}`, 'the node is missing');
      else if (!s.equals(c.hash)) problem(`node ${c.coord.level}/${c.coord.index}`, 'the stored node differs from the hash of its leaves');
    }
    report.nodes += completed.length;
    report.leaves = frontier.size;
    opts.onProgress?.('ledger', frontier.size, total);
    if (expected < 0) break;
  }
  if (expected >= 0 && head) {
    try {
      const f = MerkleFrontier.fromJSON(JSON.parse(head.frontier as string));
      if (f.size !== frontier.size || !f.root().equals(frontier.root())) problem('head', 'the head’s tree differs from the tree of the stored leaves');
    } catch (e) {
      problem('head', `the head’s frontier is unreadable: ${(e as Error).message}`);
    }
  }

  // checkpoints: signature, body, root against the rebuilt tree, consistency with the previous one
  for (const cp of cps) {
    const where = `checkpoint ${cp.size}`;
    report.checkpoints++;
    let parsedBody;
    try {
      parsedBody = parseCheckpoint(cp.body);
    } catch (e) {
      problem(where, `its body is not a checkpoint: ${(e as Error).message}`);
      continue;
    }
    if (parsedBody.size !== cp.size) problem(where, `its body says size ${parsedBody.size}`);
    if (parsedBody.rootHash.toString('hex') !== cp.root) problem(where, 'its body’s root hash differs from its row');
    if (logKey) {
      if (parsedBody.origin !== logKey.name) problem(where, `its origin "${parsedBody.origin}" is not the log key’s name "${logKey.name}"`);
      try {
        const note = parseNote(`${cp.body}\n${cp.signatures}`);
        if (verifyNoteSignature(note, logKey, ed25519Verify) !== 'valid') problem(where, 'the log’s signature does not verify');
      } catch (e) {
        problem(where, `its signature lines are unreadable: ${(e as Error).message}`);
      }
    }
    const rebuilt = roots.get(cp.size);
    if (!rebuilt) {
      if (cp.size > frontier.size) problem(where, `it covers ${cp.size} leaves but only ${frontier.size} could be rebuilt`);
    } else if (!rebuilt.equals(parsedBody.rootHash)) problem(where, 'its root hash differs from the tree rebuilt from the leaves (history was changed)');
    if (prevCp && rebuilt) {
      try {
        const proof = await hashRanges(deps.db, consistencyProofRanges(prevCp.size, cp.size));
        if (!verifyConsistency(prevCp.size, cp.size, proof, prevCp.root, parsedBody.rootHash)) problem(where, `it is not consistent with checkpoint ${prevCp.size}`);
      } catch (e) {
        problem(where, `no consistency proof from checkpoint ${prevCp.size}: ${(e as Error).message}`);
      }
    }
    prevCp = { size: cp.size, root: parsedBody.rootHash };
    for (const c of cosigs.filter((x) => Number(x.size) === cp.size)) {
      const key = witnessKeys.find((k) => k.name === c.witness);
      if (!key) continue; // a witness no longer configured: nothing to check it against
      try {
        const note = parseNote(`${cp.body}\n${c.line as string}`);
        if (verifyNoteSignature(note, key, ed25519Verify) !== 'valid') problem(where, `the cosignature of "${String(c.witness)}" does not verify`);
      } catch (e) {
        problem(where, `the cosignature of "${String(c.witness)}" is unreadable: ${(e as Error).message}`);
      }
    }
  }

  // ── the evidence ──
  if (!opts.skipBlobs) {
    const store = new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault });
    const items = await deps.db.selectFrom('evidence_items').select(['id', 'sha256', 'size', 'blob_name']).orderBy('id').execute();
    let done = 0;
    for (const it of items) {
      const where = `evidence ${String(it.id)}`;
      try {
        const stream = await store.get(it.blob_name as string);
        const h = createHash('sha256');
        let size = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          h.update(chunk);
          size += chunk.length;
        }
        const digest = h.digest('hex');
        if (digest !== it.sha256) problem(where, `its blob ${String(it.blob_name)} decrypts to bytes whose SHA-256 is ${digest}, not the recorded ${String(it.sha256)}`);
        else if (size !== Number(it.size)) problem(where, `its blob has ${size} bytes, not the recorded ${String(it.size)}`);
        report.bytes += size;
      } catch (e) {
        problem(where, `its blob ${String(it.blob_name)} cannot be read and decrypted: ${(e as Error).message}`);
      }
      report.items++;
      opts.onProgress?.('evidence', ++done, items.length);
    }
  }
  report.ok = problemCount === 0;
  if (problemCount > problems.length) problems.push({ where: '…', message: `${problemCount - problems.length} more problems not listed` });
  return report;
}
