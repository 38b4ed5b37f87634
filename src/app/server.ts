import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from './container.js';
import { optionalActorId, registerAuthentication, type RoutePolicy } from './http/auth.js';
import { problemErrorHandler } from './http/problem.js';
import { SELF_ONLY_CSP_DIRECTIVES } from './http/csp.js';
import { defaultWebDir, registerWebApp } from './web.js';
import { registerRecordRoutes } from '../modules/records/records.routes.js';
import { registerVocabularyRoutes } from '../modules/vocabularies/vocabularies.routes.js';
import { registerUserRoutes } from '../modules/users/users.routes.js';
import { registerAuditRoutes } from '../modules/audit/audit.routes.js';
import { registerMetaRoutes } from '../modules/records/meta.routes.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { registerLedgerRoutes } from '../modules/ledger/ledger.routes.js';
import { registerExportRoutes } from '../modules/bundles/exports.routes.js';
import { registerSearchRoutes } from '../modules/search/search.routes.js';
import { registerCompartmentRoutes } from '../modules/compartments/compartments.routes.js';
import { registerVaultRoutes } from '../modules/vault/vault.routes.js';
import { registerPersonRoutes } from '../modules/persons/persons.routes.js';
import { registerEvidenceRoutes } from '../modules/evidence/evidence.routes.js';
import multipart from '@fastify/multipart';
import { registerJobRoutes } from '../modules/jobs/jobs.routes.js';
import { registerUploadRoutes } from '../modules/evidence/uploads/uploads.routes.js';
import { registerAnalysisRoutes } from '../modules/analysis/analysis.routes.js';
import { registerListImportRoutes } from '../modules/imports/lists/lists.routes.js';
import { registerZipImportRoutes } from '../modules/imports/zip-imports.routes.js';
import { registerInterchangeRoutes } from '../modules/imports/interchange/interchange.routes.js';
import { registerRedactionRoutes } from '../modules/redaction/redaction.routes.js';
import { registerTranslationRoutes } from '../modules/translations/translations.routes.js';
import { registerDropStaffRoutes } from '../modules/drop/drop.routes.js';
import { VERSION } from './version.js';

export interface RouteEntry {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface ServerOptions {
  logger?: boolean | { level: string };
  /** Where the built web application is (default: dist/web of this package). */
  webDir?: string;
}

/**
 * Builds the HTTP application (not listening): the API under /api, its OpenAPI document and
 * browsable docs, and the web application at /, served from this process only.
 */
export async function buildServer(container: Container, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: container.config.bodyLimit,
    trustProxy: false,
    // request ids are random, never derived from the caller
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler);
  // the not-found handler is set by registerWebApp: pages of the web app, else problem+json 404

  // every route as registered, with the policy it declares: read by the route-policy test and the docs
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      routeTable.push({ method, url: route.url, policy: (route.config as { policy?: RoutePolicy } | undefined)?.policy, hidden: Boolean((route.schema as { hide?: boolean } | undefined)?.hide) });
  });
  app.decorate('routeTable', routeTable);

  await app.register(helmet, {
    contentSecurityPolicy: {
      // the component library sets inline styles
      directives: { ...SELF_ONLY_CSP_DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: container.config.multipartMaxBytes, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Letapis API',
        version: VERSION,
        description:
          'Records of state violence against peaceful protesters, kept with their history. Authenticate with `Authorization: Bearer <token>` (from `letapis token create`) or a session cookie from `POST /api/v1/session`. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `letapis token create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'letapis_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { deepLinking: true } });

  registerAuthentication(app, container.db);

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/health', {
    config: { policy: 'public' },
    schema: { tags: ['meta'], summary: 'Liveness and database check', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => {
      await container.db.selectFrom('vocabularies').select('name').limit(1).execute();
      return { status: 'ok' as const };
    },
  });
  r.get('/api/openapi.json', {
    config: { policy: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
  // the web application at / (and its assets), see web.ts
  await registerWebApp(app, opts.webDir ?? defaultWebDir());

  registerUserRoutes(app, container.db, container.vault);
  registerAuditRoutes(app, container.db);
  registerVocabularyRoutes(app, { db: container.db, audit: appendAuditEvent });
  registerMetaRoutes(app);
  registerCompartmentRoutes(app, { db: container.db, audit: appendAuditEvent });
  registerVaultRoutes(app, { db: container.db, vault: container.vault, audit: appendAuditEvent, optionalActorId: (req) => optionalActorId(container.db, req) });
  registerPersonRoutes(app, { db: container.db, vault: container.vault, audit: appendAuditEvent });
  registerRecordRoutes(app, { db: container.db, vault: container.vault, audit: appendAuditEvent });
  registerEvidenceRoutes(app, {
    db: container.db,
    vault: container.vault,
    blobs: container.blobs,
    audit: appendAuditEvent,
    maxBytes: container.config.maxUploadBytes,
    multipartMaxBytes: container.config.multipartMaxBytes,
  });
  registerJobRoutes(app, { db: container.db, audit: appendAuditEvent });
  registerUploadRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent, dataDir: container.config.dataDir, maxUploadBytes: container.config.maxUploadBytes });
  registerLedgerRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, ledger: container.config.ledger, audit: appendAuditEvent });
  registerSearchRoutes(app, { db: container.db, vault: container.vault, audit: appendAuditEvent });
  registerExportRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, ledger: container.config.ledger, audit: appendAuditEvent });
  registerAnalysisRoutes(app, { db: container.db, dialect: container.dialect });
  registerListImportRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent });
  registerZipImportRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent, tmpDir: join(container.config.dataDir, 'tmp') });
  registerInterchangeRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent, maxBytes: container.config.maxUploadBytes });
  registerRedactionRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent });
  registerTranslationRoutes(app, { db: container.db, vault: container.vault, audit: appendAuditEvent, languages: container.config.translationLanguages });
  registerDropStaffRoutes(app, { db: container.db, vault: container.vault, blobs: container.blobs, audit: appendAuditEvent, maxBytes: container.config.maxUploadBytes });
  return app;
}
