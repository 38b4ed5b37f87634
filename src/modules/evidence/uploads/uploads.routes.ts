import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Server as TusServer } from '@tus/server';
import { ERRORS } from '@tus/utils';
import { z } from 'zod';
import { actorOf } from '../../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../../app/http/problem.js';
import { ConflictError, DomainError, NotFoundError } from '../../../domain/errors.js';
import type { Actor } from '../../../domain/policies.js';
import { VaultSealedError } from '../../../adapters/keys/vault.port.js';
import type { EvidenceDeps } from '../evidence.usecases.js';
import { EncryptedUploadStore, newUploadId } from './encrypted-upload.store.js';
import * as uc from './uploads.usecases.js';

/**
 * The tus 1.0 resumable upload protocol (creation, creation-with-upload, termination, expiration)
 * at /api/v1/uploads, for large evidence over bad connections. `@tus/server` speaks the protocol;
 * Fastify authenticates (the usual hook, `config.policy`), and a preHandler decides who may do what
 * (problem+json answers) before the request is handed over. Bytes wait in an EncryptedUploadStore;
 * the last PATCH takes the file in as evidence and answers `Letapis-Item`, `Letapis-Sha256`,
 * `Letapis-Duplicate` and `Letapis-Acquisition`. An upload complete but not taken in (storing it
 * failed, or the server stopped meanwhile) is taken in at its uploader's next HEAD; one taken in
 * lately answers its uploader's HEAD with the outcome, for a client whose last answer was lost.
 */

export const UPLOADS_PATH = '/api/v1/uploads';
/** How often the server removes expired unfinished uploads (also once when it starts). */
const SWEEP_EVERY_MS = 6 * 3600 * 1000;
/** How long the outcome of a finished upload is remembered for a client whose last answer was lost. */
const FINISHED_TTL_MS = 24 * 3600 * 1000;
const FINISHED_MAX = 10_000;

/** What the preHandler learnt about a request, for the tus hooks (set on the raw request). */
const UPLOAD_CONTEXT = Symbol('letapis.upload');
interface UploadContext {
  actor: Actor;
  metadata?: uc.UploadMetadata;
}
type RawWithContext = IncomingMessage & { [UPLOAD_CONTEXT]?: UploadContext };

/** The Fastify request behind a request object of @tus/server (srvx keeps the Node request). */
function contextOf(req: unknown): UploadContext {
  const raw = (req as { runtime?: { node?: { req?: RawWithContext } } }).runtime?.node?.req;
  const ctx = raw?.[UPLOAD_CONTEXT];
  if (!ctx) throw new Error('an upload request reached tus without passing the API checks');
  return ctx;
}

export interface UploadRouteDeps extends EvidenceDeps {
  /** The data directory: uploads wait encrypted in `<dataDir>/uploads`. */
  dataDir: string;
  /** Largest upload accepted, in bytes (413 at creation above it). */
  maxUploadBytes: number;
  /** Plaintext bytes per stored frame (tests; default 1 MiB). */
  frameBytes?: number;
  /** Unfinished uploads older than this are removed (default 7 days). */
  expirationMs?: number;
}

/** The upload store of a data directory (also used by `letapis uploads clean`). */
export function uploadStoreOf(deps: Pick<UploadRouteDeps, 'dataDir' | 'db' | 'vault' | 'frameBytes' | 'expirationMs'>): EncryptedUploadStore {
  return new EncryptedUploadStore({ dir: join(deps.dataDir, 'uploads'), db: deps.db, vault: deps.vault, frameBytes: deps.frameBytes, expirationMs: deps.expirationMs });
}

const RESULT_HEADERS = ['Letapis-Item', 'Letapis-Sha256', 'Letapis-Duplicate', 'Letapis-Acquisition'];

export function registerUploadRoutes(app: FastifyInstance, deps: UploadRouteDeps): EncryptedUploadStore {
  const store = uploadStoreOf(deps);
  const evidence: EvidenceDeps = { db: deps.db, vault: deps.vault, blobs: deps.blobs, audit: deps.audit, maxBytes: deps.maxUploadBytes };
  /** Uploads being taken in as evidence: a repeated final PATCH waits for the same outcome. */
  const finishing = new Map<string, Promise<Record<string, string>>>();
  /**
   * Uploads taken in lately (in this process), by id: a client whose final answer was lost learns
   * the outcome from HEAD (offset = length, and the Letapis-* headers) instead of sending it all again.
   */
  const finished = new Map<string, { userId: string; size: number; headers: Record<string, string>; at: number }>();
  const forgetFinished = (now = Date.now()) => {
    for (const [id, f] of finished) if (now - f.at > FINISHED_TTL_MS || finished.size > FINISHED_MAX) finished.delete(id);
  };

  const finish = (actor: Actor, id: string, size: number): Promise<Record<string, string>> => {
    let p = finishing.get(id);
    if (!p) {
      p = uc
        .finishUpload(evidence, store, actor, id)
        .then((out) => {
          const headers = {
            'Letapis-Item': out.item.id,
            'Letapis-Sha256': out.item.sha256,
            'Letapis-Duplicate': String(out.duplicate),
            'Letapis-Acquisition': out.acquisition.id,
          };
          finished.set(id, { userId: actor.userId, size, headers, at: Date.now() });
          forgetFinished();
          return headers;
        })
        .finally(() => finishing.delete(id));
      finishing.set(id, p);
    }
    return p;
  };

  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore: store,
    maxSize: deps.maxUploadBytes,
    relativeLocation: true,
    namingFunction: () => newUploadId(),
    exposedHeaders: RESULT_HEADERS,
    onUploadCreate: async (req, upload) => {
      const ctx = contextOf(req);
      store.expectOwner(upload.id, { userId: ctx.actor.userId, compartment: ctx.metadata!.compartment });
      return { metadata: { ...ctx.metadata } };
    },
    onUploadFinish: async (req, upload) => ({ headers: await finish(contextOf(req).actor, upload.id, upload.size ?? upload.offset) }),
    onResponseError: (_req, err) => {
      if (err instanceof DomainError) return { status_code: err.status, body: `${err.message}\n` };
      if (err && typeof (err as { status_code?: unknown }).status_code === 'number') return undefined; // the protocol's own answers
      app.log.error({ err }, 'resumable upload request failed');
      return { status_code: 500, body: 'the server could not complete this upload request; what was received before is kept. The error is in the server log.\n' };
    },
  });

  /** Requests in the hands of tus (until their connection closes), for a graceful stop. */
  const active = new Set<IncomingMessage>();
  const handOver = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    active.add(req.raw);
    reply.raw.once('close', () => active.delete(req.raw));
    try {
      await tus.handle(req.raw, reply.raw);
    } catch (err) {
      req.log.error({ err }, 'resumable upload request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('the server could not complete this upload request\n');
      else reply.raw.destroy();
    }
  };
  const unsealed = () => {
    if (deps.vault.isSealed()) throw new VaultSealedError('the vault is sealed: uploads are encrypted under its keys, and resume once an operator unseals it');
  };

  const tags = ['evidence'];
  const tusHeaders =
    'Every request carries `Tus-Resumable: 1.0.0` (tus 1.0, https://tus.io/protocols/resumable-upload). Only the account that started an upload can see, continue or cancel it; for anyone else it does not exist (404).';
  const idParams = z.object({ id: z.string().max(100).describe('The last segment of the `Location` given at creation') });

  void app.register(async (scope) => {
    // tus bodies reach @tus/server unread, as a stream
    scope.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(UPLOADS_PATH, {
      config: { policy: 'evidence.ingest' },
      schema: {
        tags,
        summary: 'Start a resumable upload of evidence (tus creation)',
        description: `${tusHeaders}\n\nHeaders: \`Upload-Length\` (bytes; 413 above the server's limit) and \`Upload-Metadata\` with base64 values of \`filename\`, \`compartment\` (an id; may be left out when you can add evidence to one compartment only), \`source\`, \`note\`, \`sourcePerson\`. Answers 201 with \`Location\`: send the bytes there with PATCH (\`Content-Type: application/offset+octet-stream\`, \`Upload-Offset\`). The bytes wait encrypted on the server; the PATCH that completes the upload stores the file as evidence and answers \`Letapis-Item\` (the item id), \`Letapis-Sha256\`, \`Letapis-Duplicate\` (true when the compartment already held these bytes) and \`Letapis-Acquisition\`. Unfinished uploads expire after 7 days.`,
        response: { 201: z.null().describe('Created: `Location` is the upload’s address'), 503: problemSchema.describe('Vault sealed'), ...problemResponses },
      },
      preHandler: async (req) => {
        const actor = actorOf(req);
        unsealed();
        const metadata = await uc.prepareUpload(evidence, actor, {
          uploadLength: headerOf(req, 'upload-length'),
          metadata: uc.parseUploadMetadata(headerOf(req, 'upload-metadata')),
          maxBytes: deps.maxUploadBytes,
        });
        (req.raw as RawWithContext)[UPLOAD_CONTEXT] = { actor, metadata };
      },
      handler: handOver,
    });

    const own = (action: 'read' | 'write' | 'cancel') => async (req: FastifyRequest, reply: FastifyReply) => {
      const actor = actorOf(req);
      const { id } = req.params as { id: string };
      const done = finished.get(id);
      if (done && done.userId === actor.userId && action !== 'cancel') {
        // already taken in: say so (a repeated final PATCH is answered as the first one was)
        if (action === 'write' && headerOf(req, 'upload-offset') !== String(done.size)) throw new ConflictError('the upload is complete and was stored as evidence');
        const headers = { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(done.size), 'Upload-Length': String(done.size), 'Cache-Control': 'no-store', ...done.headers };
        return reply.code(action === 'read' ? 200 : 204).headers(headers).send();
      }
      await uc.ownUpload(evidence, store, actor, id, action);
      if (action === 'cancel' && finishing.has(id)) throw new ConflictError('the upload is complete and being stored as evidence: it can no longer be cancelled');
      if (action !== 'cancel') unsealed();
      if (action === 'read') {
        // complete but not taken in (storing it failed, or the server stopped meanwhile): take it in now,
        // so a client resuming it learns the outcome rather than a bare "done"
        const up = await store.getUpload(id).catch((e) => {
          throw e === ERRORS.FILE_NOT_FOUND ? new NotFoundError(uc.NO_SUCH_UPLOAD) : e;
        });
        if (up.offset === up.size) {
          const headers = await finish(actor, id, up.offset);
          return reply.code(200).headers({ 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(up.offset), 'Upload-Length': String(up.offset), 'Cache-Control': 'no-store', ...headers }).send();
        }
      }
      (req.raw as RawWithContext)[UPLOAD_CONTEXT] = { actor };
    };

    r.route({
      method: 'HEAD',
      url: `${UPLOADS_PATH}/:id`,
      config: { policy: 'evidence.ingest' },
      schema: {
        tags,
        summary: 'Where a resumable upload stands (tus offset)',
        description: `${tusHeaders}\n\nAnswers \`Upload-Offset\` (bytes held; resume from there), \`Upload-Length\` and \`Upload-Metadata\`.`,
        params: idParams,
        response: { 200: z.null().describe('`Upload-Offset` and `Upload-Length` in the headers'), ...problemResponses },
      },
      preHandler: own('read'),
      handler: handOver,
    });
    r.route({
      method: 'PATCH',
      url: `${UPLOADS_PATH}/:id`,
      config: { policy: 'evidence.ingest' },
      schema: {
        tags,
        summary: 'Send bytes of a resumable upload from its offset (tus PATCH)',
        description: `${tusHeaders}\n\nBody: the next bytes, \`Content-Type: application/offset+octet-stream\`, \`Upload-Offset\` equal to the offset held (409 otherwise). Answers 204 with the new \`Upload-Offset\`, acknowledged only once the bytes are on disk. The PATCH that completes the upload also answers \`Letapis-Item\`, \`Letapis-Sha256\`, \`Letapis-Duplicate\` and \`Letapis-Acquisition\`. If storing the complete file fails, an empty PATCH at the final offset tries again.`,
        params: idParams,
        consumes: ['application/offset+octet-stream'],
        response: { 204: z.null().describe('Bytes stored: `Upload-Offset` is the new offset'), 409: problemSchema.describe('Upload-Offset is not the offset held'), 503: problemSchema.describe('Vault sealed'), ...problemResponses },
      },
      preHandler: own('write'),
      handler: handOver,
    });
    r.route({
      method: 'DELETE',
      url: `${UPLOADS_PATH}/:id`,
      config: { policy: 'evidence.ingest' },
      schema: {
        tags,
        summary: 'Cancel a resumable upload (tus termination)',
        description: `${tusHeaders}\n\nDeletes what was received and the key it was encrypted under.`,
        params: idParams,
        response: { 204: z.null().describe('Cancelled'), 409: problemSchema.describe('Complete and being stored as evidence'), ...problemResponses },
      },
      preHandler: own('cancel'),
      handler: handOver,
    });
  });

  // unfinished uploads expire: swept when the server is ready, then every few hours
  let timer: NodeJS.Timeout | undefined;
  const sweep = () => {
    forgetFinished();
    return store.deleteExpired().then(
      (n) => n > 0 && app.log.info(`removed ${n} expired unfinished upload(s)`),
      (err) => app.log.warn({ err }, 'removing expired uploads failed'),
    );
  };
  app.addHook('onReady', async () => {
    void sweep();
    timer = setInterval(() => void sweep(), SWEEP_EVERY_MS).unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
  // a graceful stop: uploads still receiving are cut (what arrived is kept and made durable), and
  // files being taken in as evidence are given time to finish, before the database closes
  // (within Fastify's plugin timeout: a file still being taken in after that stays complete on disk,
  // and its uploader's next HEAD takes it in)
  app.addHook('preClose', async () => {
    for (const raw of active) raw.socket?.destroy();
    const settled = Promise.allSettled([store.settled(), ...finishing.values()]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, 8_000).unref())]);
  });
  return store;
}

function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
