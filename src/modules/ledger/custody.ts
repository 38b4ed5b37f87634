import { createHash } from 'node:crypto';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import { can, type Actor } from '../../domain/policies.js';
import { ForbiddenError } from '../../domain/errors.js';
import { canonicalJson, leafHash, verifyInclusion } from '../../domain/ledger/index.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { getEvidenceHead, type EvidenceDeps } from '../evidence/evidence.usecases.js';
import * as evidence from '../evidence/evidence.repository.js';
import type { LedgerConfig } from '../../app/config.js';
import type { LedgerEventBody } from '../bundles/manifest.js';
import { getCheckpoint } from './checkpoints.js';
import { leavesOfTarget, proofsOf } from './ledger.repository.js';

/**
 * One item's chain of custody as the UI shows it: its events in log order, each with its inclusion
 * proof in the latest checkpoint (events after it wait for the next), and a check anyone in the
 * compartment can run — the bytes still hash to what was recorded, the chain is unbroken, every
 * proof leads to the signed root — which is itself recorded as a custody event.
 */

export interface CustodyDeps extends EvidenceDeps {
  ledger: LedgerConfig;
}

export interface CustodyEvent {
  index: number;
  leafHash: string;
  body: LedgerEventBody;
  /** Inclusion proof in the checkpoint (hex), or null when the event came after it. */
  proof: string[] | null;
  /** The leaf hash is the hash of the body, its `prev` is the event before, and its proof holds. */
  verified: boolean;
}

export interface CustodyView {
  itemId: string;
  sha256: string;
  checkpoint: { size: number; rootHash: string; note: string; witnessed: boolean } | null;
  events: CustodyEvent[];
  /** Every event verified and chained. */
  intact: boolean;
}

export async function itemCustody(deps: CustodyDeps, actor: Actor, id: string): Promise<CustodyView> {
  await getEvidenceHead(deps, actor, id); // 404 unless visible
  const item = (await evidence.findItem(deps.db, id))!;
  const cp = await getCheckpoint(deps);
  const leaves = await leavesOfTarget(deps.db, 'evidence', id);
  const inCp = cp ? leaves.filter((l) => l.index < cp.size) : [];
  const proofs = cp ? await proofsOf(deps.db, inCp, cp.size) : [];
  const root = cp ? Buffer.from(cp.rootHash, 'hex') : null;
  let prev: string | null = null;
  let intact = true;
  const events = leaves.map((l, i): CustodyEvent => {
    const body = JSON.parse(l.body) as LedgerEventBody;
    let proof: string[] | null = null;
    let ok = leafHash(Buffer.from(canonicalJson(body), 'utf8')).toString('hex') === l.leafHash && (body.prev ?? null) === prev;
    if (i < inCp.length) {
      const p = proofs[i]!;
      proof = p.map((h) => h.toString('hex'));
      ok = ok && verifyInclusion(l.index, cp!.size, Buffer.from(l.leafHash, 'hex'), p, root!);
    }
    prev = l.leafHash;
    intact &&= ok;
    return { index: l.index, leafHash: l.leafHash, body, proof, verified: ok };
  });
  return {
    itemId: id,
    sha256: item.sha256,
    checkpoint: cp ? { size: cp.size, rootHash: cp.rootHash, note: cp.note, witnessed: cp.witnessed } : null,
    events,
    intact,
  };
}

export interface ItemVerification {
  itemId: string;
  ok: boolean;
  /** The stored bytes decrypt and hash to the recorded SHA-256 and size. */
  contentIntact: boolean;
  /** Every custody event verified and chained (see itemCustody). */
  custodyIntact: boolean;
  sha256: string;
  size: number;
  events: number;
  checkpointSize: number | null;
  problem: string | null;
}

/** Re-hashes the item's bytes and checks its custody chain; the check is recorded (`evidence.verify`). */
export async function verifyItem(deps: CustodyDeps, actor: Actor, id: string): Promise<ItemVerification> {
  const custody = await itemCustody(deps, actor, id);
  const item = (await evidence.findItem(deps.db, id))!;
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'evidence.metadata', { compartmentId: item.compartment })) throw new ForbiddenError('your role in this compartment may not verify evidence');
  let problem: string | null = null;
  let digest = '';
  let size = 0;
  try {
    const h = createHash('sha256');
    for await (const chunk of (await new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault }).get(item.blobName)) as AsyncIterable<Buffer>) {
      h.update(chunk);
      size += chunk.length;
    }
    digest = h.digest('hex');
    if (digest !== item.sha256 || size !== item.size) problem = `the stored bytes hash to ${digest} (${size} bytes), not the recorded ${item.sha256} (${item.size} bytes)`;
  } catch (e) {
    problem = `the stored bytes cannot be read and decrypted: ${(e as Error).message}`;
  }
  const contentIntact = problem === null;
  if (!custody.intact) problem = [problem, 'its chain of custody does not verify'].filter(Boolean).join('; ');
  const result: ItemVerification = {
    itemId: id,
    ok: contentIntact && custody.intact,
    contentIntact,
    custodyIntact: custody.intact,
    sha256: item.sha256,
    size: item.size,
    events: custody.events.length,
    checkpointSize: custody.checkpoint?.size ?? null,
    problem,
  };
  await deps.audit(deps.db, {
    action: 'evidence.verify',
    actorId: actor.userId,
    targetType: 'evidence',
    targetId: id,
    details: { ok: result.ok, contentIntact, custodyIntact: custody.intact, sha256: digest || null, checkpoint: result.checkpointSize },
  });
  return result;
}
