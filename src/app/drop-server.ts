import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Container } from './container.js';
import { notFoundHandler, problemErrorHandler } from './http/problem.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { DEFAULT_DROP_LIMITS, type DropLimits } from '../modules/drop/drop.usecases.js';
import { registerDropSourceRoutes } from '../modules/drop/drop.routes.js';
import { defaultWebDir } from './web.js';
import { SELF_ONLY_CSP_DIRECTIVES } from './http/csp.js';

export interface DropServerOptions {
  /** Log level, or false for no log at all. Whatever the level, no line holds an address or a user agent. */
  logger?: false | { level: string };
  /** Where log lines go (default standard output); for tests. */
  logStream?: NodeJS.WritableStream;
  limits?: Partial<DropLimits>;
  /** The built source's page (web/drop → dist/drop by default). */
  webDir?: string;
}

/** dist/drop of this package, beside dist/web. */
export function defaultDropWebDir(): string {
  return join(defaultWebDir(), '..', 'drop');
}

/**
 * The anonymous drop's own HTTP application (`letapis serve --drop-port N`, docs/DROP.md): only the
 * source's routes, on a listener of its own so that it can be published (e.g. as an onion service)
 * while the staff application is not. It keeps nothing about callers: requests are not logged (the
 * error log holds a random request id, the method and the path only), no cookie is read or set,
 * forwarded-for headers are ignored, and there is no rate limit (it would keep addresses in memory).
 */
export async function buildDropServer(container: Container, opts: DropServerOptions = {}): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_DROP_LIMITS, ...opts.limits };
  const logger: FastifyServerOptions['logger'] =
    opts.logger === false || opts.logger === undefined
      ? false
      : {
          level: opts.logger.level,
          ...(opts.logStream ? { stream: opts.logStream } : {}),
          // plugins log request headers at trace level (@fastify/multipart: its busboy options): never written
          redact: { paths: ['headers', '*.headers', 'req.headers', 'remoteAddress', '*.remoteAddress', 'ip', '*.ip', 'ips', '*.ips', 'hostname', '*.hostname'], remove: true },
          // Fastify's default request serializer writes the remote address, port and host name
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }), res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
        };
  const app = Fastify({
    logger,
    // Fastify's own request lines ("incoming request" with the caller's address) are never written
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    bodyLimit: 64 * 1024,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler(notFoundHandler);
  await app.register(helmet, {
    contentSecurityPolicy: {
      // libsodium runs as WebAssembly in the source's page
      directives: { ...SELF_ONLY_CSP_DIRECTIVES, scriptSrc: ["'self'", "'wasm-unsafe-eval'"] },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  // a sealed box is 48 bytes longer than what it seals; the message part and each file part
  await app.register(multipart, { limits: { fileSize: Math.max(limits.fileBytes, limits.messageBytes) + 1, files: limits.files + 1, fields: 4, fieldSize: 1024 } });
  // one line per request, at debug level: what was asked and the answer, nothing about who asked
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, path: req.routeOptions.url ?? 'unknown', statusCode: reply.statusCode }, 'drop request');
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    reply.removeHeader('set-cookie');
  });
  registerDropSourceRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent, limits });
  await registerDropPage(app, opts.webDir ?? defaultDropWebDir());
  return app;
}

/**
 * The source's page (web/drop, built by Vite): `GET /drop/` is its index.html (`/` leads there),
 * `GET /drop/assets/*` its bundle (named by content hash). No directory listing, no dot files.
 */
async function registerDropPage(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: webDir, serve: false, cacheControl: false, dotfiles: 'deny', index: false });
  app.get('/', { config: { policy: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.redirect('/drop/'));
  app.get('/drop/', { config: { policy: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    if (!existsSync(join(webDir, 'index.html'))) return reply.code(503).type('text/plain; charset=utf-8').send('The drop page is not built: run npm run build.');
    return reply.sendFile('index.html');
  });
  app.get('/drop/assets/:name', { config: { policy: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return reply.callNotFound();
    return reply.sendFile(`assets/${name}`);
  });
}
