import type { FastifyInstance } from 'fastify';
import '@fastify/multipart';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import { ValidationError } from '../../domain/errors.js';
import { CODENAME_LISTS } from '../../domain/drop/codename.js';
import { ensureDropKeys, readDropPublicInfo } from './drop-keys.js';
import {
  comeBack,
  DEFAULT_DROP_LIMITS,
  DropNotReadyError,
  listDropQueue,
  openDropSubmission,
  replyToDropSource,
  submitToDrop,
  takeDropFileIn,
  type DropDeps,
} from './drop.usecases.js';

const b64 = z.string().max(200);
const decode32 = (s: string | undefined, field: string): Buffer => {
  const b = Buffer.from(s ?? '', 'base64');
  if (b.byteLength !== 32) throw new ValidationError([{ field, message: 'must be 32 bytes in base64' }]);
  return b;
};

const queueEntry = z.object({
  id: z.string(),
  day: z.string().describe('UTC day of the submission; no finer time is kept'),
  state: z.enum(['new', 'opened']),
  files: z.array(z.object({ id: z.string(), size: z.number().describe('bytes of the sealed file'), evidenceId: z.string().nullable() })),
});

/** The intake's staff routes, on the main server (signed in; coordinators: policy drop.read). */
export function registerDropStaffRoutes(app: FastifyInstance, deps: DropDeps & { maxBytes?: number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['drop'];
  const id = z.object({ id: z.string().max(64) });

  r.get('/api/v1/drop/queue', {
    config: { policy: 'drop.read' },
    schema: {
      tags,
      summary: 'The anonymous drop intake queue: submissions by day with their files (nothing decrypted)',
      response: { 200: z.object({ counts: z.object({ new: z.number(), opened: z.number() }), submissions: z.array(queueEntry) }), ...problemResponses },
    },
    handler: async (req) => listDropQueue(deps, actorOf(req)),
  });

  r.post('/api/v1/drop/submissions/:id/open', {
    config: { policy: 'drop.read' },
    schema: {
      tags,
      summary: "Decrypt a submission's message (vault unsealed); audited",
      params: id,
      response: {
        200: queueEntry.extend({
          message: z.object({ v: z.literal(1), text: z.string(), files: z.array(z.object({ name: z.string(), type: z.string().optional() })) }).nullable(),
          error: z.string().optional(),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => openDropSubmission(deps, actorOf(req), req.params.id),
  });

  r.post('/api/v1/drop/files/:id/evidence', {
    config: { policy: 'drop.read' },
    schema: {
      tags,
      summary: 'Take a submitted file in as an evidence item (custody starts here); audited',
      params: id,
      body: z.object({ compartment: z.uuid().optional(), note: z.string().max(10_000).optional() }).strict(),
      response: { 201: z.object({ evidence: z.string(), duplicate: z.boolean() }), ...problemResponses },
    },
    handler: async (req, reply) => {
      const o = await takeDropFileIn(deps, actorOf(req), req.params.id, req.body);
      return reply.code(201).send({ evidence: o.item.id, duplicate: o.duplicate });
    },
  });

  r.post('/api/v1/drop/submissions/:id/replies', {
    config: { policy: 'drop.read' },
    schema: {
      tags,
      summary: "Reply to a submission's source: sealed to the source's key, readable only with the codename; audited",
      params: id,
      body: z.object({ text: z.string().min(1).max(100_000) }).strict(),
      response: { 201: z.object({ day: z.string() }), ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await replyToDropSource(deps, actorOf(req), req.params.id, req.body.text)),
  });
}

/**
 * The source's routes, served only by the drop listener (src/app/drop-server.ts): no account, no
 * cookie, nothing about the caller kept.
 */
export function registerDropSourceRoutes(app: FastifyInstance, deps: DropDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['drop'];
  const limits = { ...DEFAULT_DROP_LIMITS, ...deps.limits };

  r.get('/drop/api/info', {
    config: { policy: 'public' },
    schema: {
      tags,
      summary: "The organisation's drop public key, the instance's drop salt and the scheme's parameters",
      security: [],
      response: {
        200: z.object({
          publicKey: b64,
          salt: b64,
          pwhash: z.object({ opslimit: z.number(), memlimit: z.number() }),
          lists: z.array(z.enum(CODENAME_LISTS as ['en', 'latin'])),
          limits: z.object({ messageBytes: z.number(), fileBytes: z.number(), files: z.number() }),
        }),
        ...problemResponses,
      },
    },
    handler: async () => {
      // made on first need once the vault is unsealed (it holds the secret key)
      const info = (await readDropPublicInfo(deps.db)) ?? (deps.vault.isSealed() ? undefined : await ensureDropKeys(deps.db, deps.vault));
      if (!info) throw new DropNotReadyError();
      return { ...info, lists: [...CODENAME_LISTS], limits: { messageBytes: limits.messageBytes, fileBytes: limits.fileBytes, files: limits.files } };
    },
  });

  r.post('/drop/api/submissions', {
    config: { policy: 'public' },
    schema: {
      tags,
      summary: 'Hand in a submission (multipart/form-data): fields `token` and `publicKey` (base64), a `message` part, then `file` parts — all sealed boxes',
      security: [],
      consumes: ['multipart/form-data'],
      response: { 201: z.object({ day: z.string() }), ...problemResponses },
    },
    handler: async (req, reply) => {
      const fields: Record<string, string> = {};
      let message: Buffer | undefined;
      const it = req.parts()[Symbol.asyncIterator]();
      let first: MultipartFile | undefined;
      for (;;) {
        const n = await it.next();
        if (n.done) break;
        const p = n.value as MultipartFile | MultipartValue<string>;
        if (p.type === 'field') fields[p.fieldname] = String(p.value);
        else if (p.fieldname === 'message') message = await p.toBuffer();
        else if (p.fieldname === 'file') {
          first = p;
          break;
        } else throw new ValidationError([{ field: p.fieldname, message: 'unknown part: send token, publicKey, message, then file parts' }]);
      }
      if (!message) throw new ValidationError([{ field: 'message', message: 'the sealed message part comes before the files' }]);
      async function* files() {
        if (!first) return;
        yield first.file;
        for (;;) {
          const n = await it.next();
          if (n.done) return;
          const p = n.value as MultipartFile | MultipartValue<string>;
          if (p.type !== 'file' || p.fieldname !== 'file') throw new ValidationError([{ field: p.fieldname, message: 'after the message, only file parts' }]);
          yield p.file;
        }
      }
      const out = await submitToDrop(deps, { token: decode32(fields.token, 'token'), publicKey: decode32(fields.publicKey, 'publicKey'), message, files: files() });
      return reply.code(201).send({ day: out.day });
    },
  });

  r.post('/drop/api/come-back', {
    config: { policy: 'public' },
    schema: {
      tags,
      summary: 'What a returning source sees: their submissions by day and the replies, sealed to their key',
      security: [],
      body: z.object({ token: b64 }).strict(),
      response: {
        200: z.object({ submissions: z.array(z.object({ day: z.string(), files: z.number() })), replies: z.array(z.object({ day: z.string(), ciphertext: z.string() })) }),
        ...problemResponses,
      },
    },
    handler: async (req) => comeBack(deps, decode32(req.body.token, 'token')),
  });
}
