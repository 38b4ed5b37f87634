import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import { expectedVersion } from '../records/records.routes.js';
import { listTranslations, queueQuerySchema, reviewTranslation, saveTranslation, saveTranslationSchema, translationQueue, type TranslationsDeps } from './translations.usecases.js';

const person = z.object({ id: z.string(), username: z.string() }).nullable();
const translation = z.object({
  field: z.string(),
  language: z.string().describe('BCP 47 language tag, canonical form'),
  text: z.string(),
  status: z.enum(['draft', 'machine', 'reviewed']),
  translator: person.describe('Who saved the text last'),
  reviewer: person,
  reviewedAt: z.string().nullable(),
  sourceVersion: z.number().describe("The record's version when the text was last saved"),
  outdated: z.boolean().describe('The source field changed since the translation was made from it'),
  version: z.number().describe('Send as If-Match (its ETag) to change or review it'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const params = z.object({ type: z.string().max(50), id: z.string().max(64) });
const oneParams = params.extend({ field: z.string().max(64), lang: z.string().max(35) });
const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe('ETag of the translation version read (required to change or review one)') });
const etag = (version: number) => `"${version}"`;

/** Translations of prose fields over HTTP (docs/TRANSLATIONS.md). */
export function registerTranslationRoutes(app: FastifyInstance, deps: TranslationsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['translations'];

  r.get('/api/v1/translations/queue', {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'What awaits translation or review, in the compartments you can read',
      querystring: queueQuerySchema,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              type: z.string(),
              id: z.string(),
              compartment: z.string(),
              label: z.string().nullable(),
              field: z.string(),
              language: z.string(),
              state: z.enum(['untranslated', 'draft', 'machine', 'outdated']),
              translation: z.object({ version: z.number(), status: z.enum(['draft', 'machine', 'reviewed']), translator: person, updatedAt: z.string() }).nullable(),
            }),
          ),
          truncated: z.boolean(),
          languages: z.array(z.string()).describe("The organisation's languages (LETAPIS_TRANSLATION_LANGUAGES), what the queue covers without ?language="),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => translationQueue(deps, actorOf(req), req.query),
  });

  r.get('/api/v1/:type/:id/translations', {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: "A record's translations of its prose fields",
      description: 'Fields stored encrypted are decrypted for those who may read the record (the vault must be unsealed).',
      params,
      response: {
        200: z.object({
          type: z.string(),
          id: z.string(),
          compartment: z.string(),
          recordVersion: z.number(),
          fields: z.array(z.object({ field: z.string(), hasText: z.boolean(), encrypted: z.boolean() })),
          languages: z.array(z.string()),
          translations: z.array(translation),
          permissions: z.object({ write: z.boolean(), review: z.boolean() }),
        }),
        500: problemSchema,
        503: problemSchema,
        ...problemResponses,
      },
    },
    handler: async (req) => listTranslations(deps, actorOf(req), req.params.type, req.params.id),
  });

  r.put('/api/v1/:type/:id/translations/:field/:lang', {
    config: { policy: 'translation.write' },
    schema: {
      tags,
      summary: 'Create or change the translation of a prose field into a language',
      description:
        'status draft (default) or machine (pasted from a machine translation tool). A new translation needs no If-Match; changing one needs it (428 without, 412 if stale). Changed text is a draft (or machine) again, even after review. Audited as translation.save on the record.',
      params: oneParams,
      headers: ifMatchHeaders,
      body: saveTranslationSchema,
      response: { 200: translation, 412: problemSchema, 428: problemSchema, 500: problemSchema, 503: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const ifMatch = req.headers['if-match'];
      const t = await saveTranslation(deps, actorOf(req), req.params.type, req.params.id, req.params.field, req.params.lang, ifMatch ? expectedVersion(ifMatch) : undefined, req.body);
      return reply.header('etag', etag(t.version)).send(t);
    },
  });

  r.post('/api/v1/:type/:id/translations/:field/:lang/review', {
    config: { policy: 'translation.review' },
    schema: {
      tags,
      summary: 'Mark a translation reviewed',
      description: 'Needs If-Match. Refused (403) to the translator who saved the text last, and (409) when the source changed since the translation was made. Audited as translation.review on the record.',
      params: oneParams,
      headers: ifMatchHeaders,
      response: { 200: translation, 409: problemSchema, 412: problemSchema, 428: problemSchema, 500: problemSchema, 503: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const ifMatch = req.headers['if-match'];
      const t = await reviewTranslation(deps, actorOf(req), req.params.type, req.params.id, req.params.field, req.params.lang, ifMatch ? expectedVersion(ifMatch) : undefined);
      return reply.header('etag', etag(t.version)).send(t);
    },
  });
}
