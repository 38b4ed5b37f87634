import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { problemResponses } from '../../app/http/problem.js';

/** The record catalog as data, so clients (the web UI, scripts) build forms without hard-coding it. */
export function registerMetaRoutes(app: FastifyInstance): void {
  const field = z.object({
    name: z.string(),
    kind: z.string(),
    required: z.boolean(),
    description: z.string(),
    vocabulary: z.string().optional(),
    target: z.string().optional(),
    values: z.array(z.string()).optional(),
  });
  // the catalog is the same for everyone and also in the public OpenAPI document
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/record-types', {
    config: { policy: 'signed-in' },
    schema: {
      tags: ['meta'],
      summary: 'Record types and their fields',
      response: {
        200: z.object({
          items: z.array(z.object({ name: z.string(), singular: z.string(), description: z.string(), fields: z.array(field) })),
        }),
        ...problemResponses,
      },
    },
    handler: async () => ({
      items: [...RECORD_TYPES.values()].map((d) => ({
        name: d.name,
        singular: d.singular,
        description: d.description,
        fields: Object.entries(d.fields).map(([name, f]) => ({
          name,
          kind: f.kind,
          required: Boolean(f.required),
          description: f.description,
          ...('vocabulary' in f ? { vocabulary: f.vocabulary } : {}),
          ...('target' in f ? { target: f.target } : {}),
          ...('values' in f ? { values: [...f.values] } : {}),
        })),
      })),
    }),
  });
}
