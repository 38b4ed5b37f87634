import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../domain/policies.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import {
  addCosignature,
  consistencyProof,
  getCheckpoint,
  inclusionProof,
  ledgerKeys,
  listCheckpoints,
  makeCheckpoint,
  timestampCheckpoint,
  type LedgerDeps,
} from './checkpoints.js';
import { readLedgerHead } from './ledger.repository.js';
import { itemCustody, verifyItem } from './custody.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';

/**
 * The custody ledger over HTTP: the latest signed checkpoint (C2SP signed note, text/plain, with
 * every cosignature), checkpoints as JSON, inclusion and consistency proofs, the keys, taking a
 * witness's cosignature, and signing a checkpoint now. Everything here is sizes, hashes and
 * signatures: no content of the log.
 */
export interface LedgerRouteDeps extends LedgerDeps {
  audit: AppendAuditEvent;
  blobs: BlobStore;
}

const hex = z.string().regex(/^[0-9a-f]{64}$/);
const checkpointSchema = z.object({
  size: z.number(),
  rootHash: hex,
  body: z.string(),
  note: z.string(),
  createdAt: z.string(),
  reason: z.string(),
  cosignatures: z.array(z.object({ witness: z.string(), signedAt: z.number(), trusted: z.boolean() })),
  witnessed: z.boolean(),
  timestamps: z.array(z.object({ tsa: z.string(), genTime: z.string(), token: z.string() })),
});
const count = (what: string) => z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe(what);

export function registerLedgerRoutes(app: FastifyInstance, deps: LedgerRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['ledger'];
  const mayRead = (req: Parameters<typeof actorOf>[0]) => {
    if (!can(actorOf(req), 'ledger.read')) throw new ForbiddenError('your role may not read the ledger');
  };

  r.get('/api/ledger/checkpoint', {
    config: { policy: 'ledger.read' },
    schema: {
      tags,
      summary: 'The latest signed checkpoint as a C2SP signed note (text/plain), with cosignatures',
      description: 'Origin line, tree size, base64 root hash, a blank line, then the log signature and witness cosignature lines. `?size=N` gives an earlier checkpoint.',
      querystring: z.object({ size: count('tree size of an earlier checkpoint').optional() }).strict(),
      response: { 200: z.string(), ...problemResponses },
    },
    handler: async (req, reply) => {
      mayRead(req);
      const cp = await getCheckpoint(deps, req.query.size);
      if (!cp) throw new NotFoundError(req.query.size === undefined ? 'the ledger has no checkpoint yet' : `there is no checkpoint of size ${req.query.size}`);
      reply.type('text/plain; charset=utf-8');
      return cp.note;
    },
  });

  r.get('/api/ledger/checkpoints', {
    config: { policy: 'ledger.read' },
    schema: {
      tags,
      summary: 'Checkpoints, newest first, with cosignatures, witness status and timestamps',
      querystring: z.object({ before: count('only checkpoints of a smaller size').optional(), limit: z.coerce.number().int().min(1).max(200).default(20) }).strict(),
      response: { 200: z.object({ head: z.object({ size: z.number(), rootHash: hex }), items: z.array(checkpointSchema) }), ...problemResponses },
    },
    handler: async (req) => {
      mayRead(req);
      const head = await readLedgerHead(deps.db);
      return { head: { size: head.size, rootHash: head.rootHash.toString('hex') }, items: await listCheckpoints(deps, { before: req.query.before, limit: req.query.limit }) };
    },
  });

  r.get('/api/ledger/proof/inclusion', {
    config: { policy: 'ledger.read' },
    schema: {
      tags,
      summary: 'Inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162)',
      querystring: z.object({ index: count('leaf index (0-based)'), size: count('tree size, e.g. a checkpoint’s') }).strict(),
      response: { 200: z.object({ index: z.number(), size: z.number(), leafHash: hex, proof: z.array(hex) }), ...problemResponses },
    },
    handler: async (req) => {
      mayRead(req);
      return inclusionProof(deps.db, req.query.index, req.query.size);
    },
  });

  r.get('/api/ledger/proof/consistency', {
    config: { policy: 'ledger.read' },
    schema: {
      tags,
      summary: 'Consistency proof that the tree of `to` leaves extends the tree of `from` leaves (RFC 9162)',
      querystring: z.object({ from: count('smaller tree size'), to: count('larger tree size') }).strict(),
      response: { 200: z.object({ from: z.number(), to: z.number(), proof: z.array(hex) }), ...problemResponses },
    },
    handler: async (req) => {
      mayRead(req);
      return consistencyProof(deps.db, req.query.from, req.query.to);
    },
  });

  r.get('/api/ledger/keys', {
    config: { policy: 'ledger.read' },
    schema: {
      tags,
      summary: 'The log’s verifier key and the witnesses it trusts',
      response: { 200: z.object({ log: z.string().nullable(), witnesses: z.array(z.string()), witnessQuorum: z.number() }), ...problemResponses },
    },
    handler: async (req) => {
      mayRead(req);
      return ledgerKeys(deps);
    },
  });

  r.post('/api/ledger/cosignatures', {
    config: { policy: 'ledger.cosign' },
    schema: {
      tags,
      summary: 'Hand in a witness’s cosignature of a checkpoint (C2SP tlog-cosignature/v1)',
      description: 'Taken only from witness keys the log is configured with (LETAPIS_WITNESSES) and only if it verifies over that checkpoint.',
      body: z.object({ size: z.number().int().min(1), cosignature: z.string().min(1).max(1000) }).strict(),
      response: { 200: checkpointSchema, ...problemResponses },
    },
    handler: async (req) => {
      const actor = actorOf(req);
      if (!can(actor, 'ledger.cosign')) throw new ForbiddenError('your role may not hand in cosignatures');
      const cp = await addCosignature(deps, req.body.size, req.body.cosignature);
      await deps.audit(deps.db, { action: 'ledger.cosign', actorId: actor.userId, targetType: 'checkpoint', targetId: String(req.body.size), details: { witnesses: cp.cosignatures.map((c) => c.witness) } });
      return cp;
    },
  });

  r.post('/api/ledger/checkpoints', {
    config: { policy: 'ledger.checkpoint' },
    schema: {
      tags,
      summary: 'Sign a checkpoint of the ledger now (and timestamp it, when time-stamping authorities are configured)',
      body: z.object({}).strict().optional(),
      response: { 200: checkpointSchema, 503: problemSchema, ...problemResponses },
    },
    handler: async (req) => {
      if (!can(actorOf(req), 'ledger.checkpoint')) throw new ForbiddenError('only administrators may sign a checkpoint on demand');
      const cp = await makeCheckpoint(deps, 'manual');
      if (!cp) throw new NotFoundError('the ledger is empty: there is nothing to checkpoint');
      await timestampCheckpoint(deps, cp.size);
      return (await getCheckpoint(deps, cp.size))!;
    },
  });

  const eventSchema = z.object({
    index: z.number(),
    leafHash: hex,
    body: z.record(z.string(), z.unknown()),
    proof: z.array(hex).nullable(),
    verified: z.boolean(),
  });
  const itemParams = z.object({ id: z.uuid() });

  r.get('/api/v1/evidence/:id/custody', {
    config: { policy: 'evidence.read' },
    schema: {
      tags: ['evidence'],
      summary: 'An item’s chain of custody: its ledger events, each with its inclusion proof in the latest checkpoint',
      params: itemParams,
      response: {
        200: z.object({
          itemId: z.string(),
          sha256: z.string(),
          checkpoint: z.object({ size: z.number(), rootHash: hex, note: z.string(), witnessed: z.boolean() }).nullable(),
          events: z.array(eventSchema),
          intact: z.boolean(),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => {
      const v = await itemCustody(deps, actorOf(req), req.params.id);
      return { ...v, events: v.events.map((e) => ({ ...e, body: e.body as unknown as Record<string, unknown> })) };
    },
  });

  r.post('/api/v1/evidence/:id/verify', {
    config: { policy: 'evidence.metadata' },
    schema: {
      tags: ['evidence'],
      summary: 'Verify an item now: its bytes against the recorded SHA-256, its custody chain against the signed checkpoint (recorded as a custody event)',
      params: itemParams,
      response: {
        200: z.object({
          itemId: z.string(),
          ok: z.boolean(),
          contentIntact: z.boolean(),
          custodyIntact: z.boolean(),
          sha256: z.string(),
          size: z.number(),
          events: z.number(),
          checkpointSize: z.number().nullable(),
          problem: z.string().nullable(),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => verifyItem(deps, actorOf(req), req.params.id),
  });
}
