import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import * as uc from './vocabularies.usecases.js';

const labels = z.object({ be: z.string(), ru: z.string(), en: z.string() });

export function registerVocabularyRoutes(app: FastifyInstance, db: Kysely<any>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/vocabularies', {
    config: { policy: 'vocabulary.read' },
    schema: {
      tags: ['vocabularies'],
      summary: 'List vocabularies',
      response: {
        200: z.object({
          items: z.array(z.object({ name: z.string(), labels, description: z.string().nullable(), version: z.number(), termCount: z.number() })),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => ({ items: await uc.listVocabularies(db, actorOf(req)) }),
  });
  r.get('/api/v1/vocabularies/:name', {
    config: { policy: 'vocabulary.read' },
    schema: {
      tags: ['vocabularies'],
      summary: 'A vocabulary with its terms',
      params: z.object({ name: z.string().max(100) }),
      response: {
        200: z.object({
          name: z.string(),
          labels,
          description: z.string().nullable(),
          version: z.number(),
          terms: z.array(z.object({ code: z.string(), parent: z.string().nullable(), labels, position: z.number(), deprecated: z.boolean() })),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => uc.getVocabulary(db, actorOf(req), req.params.name),
  });
}
