import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { LedgerConfig } from '../../app/config.js';
import { ed25519Verify } from '../../adapters/keys/ed25519.js';
import { requestTimestamp } from '../../adapters/timestamps/index.js';
import {
  consistencyProofRanges,
  cosignatureTimestamp,
  formatCheckpoint,
  formatNote,
  inclusionProofRanges,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNoteText,
  verifyNoteSignature,
  type NoteSignature,
} from '../../domain/ledger/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { hashRanges, leafAt, readLedgerHead } from './ledger.repository.js';
import { ledgerSigner, readLedgerPublicKey } from './signing-key.js';

/**
 * Checkpoints: the signed statement "the log had N leaves and this root" in the C2SP
 * tlog-checkpoint format, made every N events or T minutes, at every export and on demand; the
 * witnesses' cosignatures collected on them; RFC 3161 timestamps of them; and the proofs that tie
 * leaves and earlier checkpoints to them.
 */

export interface LedgerDeps {
  db: Kysely<any>;
  vault: KeyVault;
  ledger: LedgerConfig;
}

export type CheckpointReason = 'events' | 'interval' | 'export' | 'manual';

export interface CheckpointView {
  size: number;
  rootHash: string;
  /** The checkpoint body (origin, size, root) that is signed. */
  body: string;
  /** The whole signed note: body, blank line, the log's signature and every cosignature. */
  note: string;
  createdAt: string;
  reason: string;
  cosignatures: Array<{ witness: string; signedAt: number; trusted: boolean }>;
  /** Cosigned by at least the quorum of configured witnesses (true when no witness is configured and the quorum is 0). */
  witnessed: boolean;
  timestamps: Array<{ tsa: string; genTime: string; token: string }>;
}

interface CheckpointRow {
  size: number;
  root_hash: string;
  body: string;
  signatures: string;
  reason: string;
  created_at: string;
}

const witnessKeys = (cfg: LedgerConfig) => cfg.witnesses.map((w) => parseVerifierKey(w));

async function view(db: Kysely<any>, cfg: LedgerConfig, row: CheckpointRow): Promise<CheckpointView> {
  const cos = await db.selectFrom('ledger_cosignatures').select(['witness', 'line', 'signed_at']).where('size', '=', row.size).orderBy('witness').execute();
  const ts = await db.selectFrom('ledger_timestamps').select(['tsa', 'token', 'gen_time']).where('size', '=', row.size).orderBy('tsa').execute();
  const own = parseNote(`${row.body}\n${row.signatures}`).signatures;
  const cosigs: NoteSignature[] = cos.flatMap((c) => parseNote(`${row.body}\n${c.line as string}`).signatures);
  const keys = witnessKeys(cfg);
  const trusted = (name: string) => keys.some((k) => k.name === name);
  const witnessedBy = new Set(cos.map((c) => c.witness as string).filter(trusted));
  return {
    size: Number(row.size),
    rootHash: row.root_hash,
    body: row.body,
    note: formatNote({ text: row.body, signatures: [...own, ...cosigs] }),
    createdAt: row.created_at,
    reason: row.reason,
    cosignatures: cos.map((c) => ({ witness: c.witness as string, signedAt: Number(c.signed_at), trusted: trusted(c.witness as string) })),
    witnessed: witnessedBy.size >= cfg.witnessQuorum,
    timestamps: ts.map((t) => ({ tsa: t.tsa as string, genTime: t.gen_time as string, token: t.token as string })),
  };
}

async function checkpointRow(db: Kysely<any>, size?: number): Promise<CheckpointRow | undefined> {
  let q = db.selectFrom('ledger_checkpoints').select(['size', 'root_hash', 'body', 'signatures', 'reason', 'created_at']);
  q = size === undefined ? q.orderBy('size', 'desc').limit(1) : q.where('size', '=', size);
  const r = await q.executeTakeFirst();
  return r ? ({ ...r, size: Number(r.size) } as CheckpointRow) : undefined;
}

/** The latest checkpoint, or the one of `size`; undefined when there is none. */
export async function getCheckpoint(deps: Pick<LedgerDeps, 'db' | 'ledger'>, size?: number): Promise<CheckpointView | undefined> {
  const row = await checkpointRow(deps.db, size);
  return row ? view(deps.db, deps.ledger, row) : undefined;
}

export async function listCheckpoints(deps: Pick<LedgerDeps, 'db' | 'ledger'>, opts: { before?: number; limit: number }): Promise<CheckpointView[]> {
  let q = deps.db.selectFrom('ledger_checkpoints').select(['size', 'root_hash', 'body', 'signatures', 'reason', 'created_at']);
  if (opts.before !== undefined) q = q.where('size', '<', opts.before);
  const rows = await q.orderBy('size', 'desc').limit(opts.limit).execute();
  const out: CheckpointView[] = [];
  for (const r of rows) out.push(await view(deps.db, deps.ledger, { ...r, size: Number(r.size) } as CheckpointRow));
  return out;
}

/**
 * Signs a checkpoint of the tree as committed now, unless the latest checkpoint already has this
 * size (then that one is returned). Returns undefined for an empty log. Needs an unsealed vault.
 */
export async function makeCheckpoint(deps: LedgerDeps, reason: CheckpointReason): Promise<CheckpointView | undefined> {
  const head = await readLedgerHead(deps.db);
  if (head.size === 0) return undefined;
  const last = await checkpointRow(deps.db);
  if (last && Number(last.size) >= head.size) return view(deps.db, deps.ledger, last);
  const signer = await ledgerSigner(deps.db, deps.vault, deps.ledger.origin);
  const body = formatCheckpoint({ origin: signer.name, size: head.size, rootHash: head.rootHash, extensions: [] });
  const sig = signNoteText(body, signer.name, signer.publicKey, signer.sign);
  const signatures = formatNote({ text: body, signatures: [sig] }).slice(body.length + 1);
  await deps.db
    .insertInto('ledger_checkpoints')
    .values({ size: head.size, root_hash: head.rootHash.toString('hex'), body, signatures, key_id: signer.id, reason, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('size').doNothing())
    .execute();
  const made = (await checkpointRow(deps.db, head.size))!;
  return view(deps.db, deps.ledger, made);
}

/**
 * Whether a checkpoint is due: `checkpointEvents` events since the last one, or anything new
 * after `checkpointMinutes` minutes (0: no timer).
 */
export async function checkpointDue(deps: Pick<LedgerDeps, 'db' | 'ledger'>, now = Date.now()): Promise<CheckpointReason | null> {
  const head = await readLedgerHead(deps.db);
  const last = await checkpointRow(deps.db);
  const lastSize = last ? Number(last.size) : 0;
  if (head.size <= lastSize) return null;
  if (head.size - lastSize >= deps.ledger.checkpointEvents) return 'events';
  const since = last ? Date.parse(last.created_at) : Date.parse(head.updatedAt);
  if (deps.ledger.checkpointMinutes > 0 && now - since >= deps.ledger.checkpointMinutes * 60_000) return 'interval';
  return null;
}

/** SHA-256 of a checkpoint body: what RFC 3161 authorities are asked to timestamp. */
export const checkpointDigest = (body: string): Buffer => createHash('sha256').update(body, 'utf8').digest();

/**
 * Asks every configured time-stamping authority that has not yet timestamped this checkpoint.
 * Failures are returned, not thrown: a TSA being down must not stop the log.
 */
export async function timestampCheckpoint(deps: LedgerDeps, size: number, opts: { timeoutMs?: number } = {}): Promise<Array<{ tsa: string; error: string }>> {
  const row = await checkpointRow(deps.db, size);
  if (!row || deps.ledger.tsaUrls.length === 0) return [];
  const have = new Set((await deps.db.selectFrom('ledger_timestamps').select('tsa').where('size', '=', size).execute()).map((r) => r.tsa as string));
  const failures: Array<{ tsa: string; error: string }> = [];
  for (const tsa of deps.ledger.tsaUrls) {
    if (have.has(tsa)) continue;
    try {
      const token = await requestTimestamp(tsa, checkpointDigest(row.body), { timeoutMs: opts.timeoutMs ?? 15_000 });
      await deps.db
        .insertInto('ledger_timestamps')
        .values({ size, tsa, token: token.der.toString('base64'), gen_time: token.genTime })
        .onConflict((oc) => oc.columns(['size', 'tsa']).doNothing())
        .execute();
    } catch (e) {
      failures.push({ tsa, error: (e as Error).message });
    }
  }
  return failures;
}

/**
 * Takes a witness's cosignature of one of our checkpoints: the line must come from a configured
 * witness key and verify over that checkpoint's body (C2SP tlog-cosignature/v1).
 */
export async function addCosignature(deps: Pick<LedgerDeps, 'db' | 'ledger'>, size: number, line: string): Promise<CheckpointView> {
  const row = await checkpointRow(deps.db, size);
  if (!row) throw new NotFoundError(`there is no checkpoint of size ${size}`);
  let sigs: NoteSignature[];
  try {
    sigs = parseNote(`${row.body}\n${line.endsWith('\n') ? line : `${line}\n`}`).signatures;
  } catch (e) {
    throw new ValidationError([{ field: 'cosignature', message: `not a signature line: ${(e as Error).message}` }]);
  }
  if (sigs.length !== 1) throw new ValidationError([{ field: 'cosignature', message: 'send exactly one signature line' }]);
  const sig = sigs[0]!;
  const key = witnessKeys(deps.ledger).find((k) => k.name === sig.name && k.keyId.equals(sig.keyId));
  if (!key) throw new ValidationError([{ field: 'cosignature', message: `"${sig.name}" is not a witness this log is configured to trust (LETAPIS_WITNESSES)` }]);
  const note = { text: row.body, signatures: [sig] };
  if (verifyNoteSignature(note, key, ed25519Verify) !== 'valid')
    throw new ValidationError([{ field: 'cosignature', message: `the cosignature of "${sig.name}" does not verify over checkpoint ${size}` }]);
  const signedAt = cosignatureTimestamp(sig);
  const existing = await deps.db.selectFrom('ledger_cosignatures').select('signed_at').where('size', '=', size).where('witness', '=', sig.name).executeTakeFirst();
  if (existing && Number(existing.signed_at) >= signedAt) return view(deps.db, deps.ledger, row);
  const lineText = formatNote(note).slice(row.body.length + 1);
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('ledger_cosignatures').where('size', '=', size).where('witness', '=', sig.name).execute();
    await trx.insertInto('ledger_cosignatures').values({ size, witness: sig.name, line: lineText, signed_at: signedAt, received_at: new Date().toISOString() }).execute();
  });
  return view(deps.db, deps.ledger, row);
}

/** Inclusion proof of leaf `index` in the tree of `size` leaves (hex hashes, RFC 9162 order). */
export async function inclusionProof(db: Kysely<any>, index: number, size: number): Promise<{ index: number; size: number; leafHash: string; proof: string[] }> {
  const head = await readLedgerHead(db);
  if (!Number.isSafeInteger(size) || size < 1 || size > head.size) throw new ValidationError([{ field: 'size', message: `must be from 1 to the tree size ${head.size}` }]);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new ValidationError([{ field: 'index', message: `must be from 0 to ${size - 1}` }]);
  const leaf = await leafAt(db, index);
  if (!leaf) throw new ConflictError(`the ledger has no leaf ${index}: run letapis verify --vault`);
  const proof = await hashRanges(db, inclusionProofRanges(index, size));
  return { index, size, leafHash: leaf.leafHash, proof: proof.map((h) => h.toString('hex')) };
}

/** Consistency proof between the trees of `from` and `to` leaves (hex hashes, RFC 9162 order). */
export async function consistencyProof(db: Kysely<any>, from: number, to: number): Promise<{ from: number; to: number; proof: string[] }> {
  const head = await readLedgerHead(db);
  if (!Number.isSafeInteger(to) || to < 1 || to > head.size) throw new ValidationError([{ field: 'to', message: `must be from 1 to the tree size ${head.size}` }]);
  if (!Number.isSafeInteger(from) || from < 1 || from > to) throw new ValidationError([{ field: 'from', message: `must be from 1 to ${to}` }]);
  const proof = await hashRanges(db, consistencyProofRanges(from, to));
  return { from, to, proof: proof.map((h) => h.toString('hex')) };
}

/** The log's verifier key and the witness policy, for `GET /api/ledger/keys`. */
export async function ledgerKeys(deps: Pick<LedgerDeps, 'db' | 'ledger'>): Promise<{ log: string | null; witnesses: string[]; witnessQuorum: number }> {
  const pub = await readLedgerPublicKey(deps.db);
  return { log: pub?.verifierKey ?? null, witnesses: deps.ledger.witnesses, witnessQuorum: deps.ledger.witnessQuorum };
}

export { parseCheckpoint };
