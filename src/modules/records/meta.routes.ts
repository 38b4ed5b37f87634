import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { isSortable } from '../../domain/records/fields.js';
import { problemResponses } from '../../app/http/problem.js';
import { filterParams } from './records.schemas.js';
import { TYPE_LABELS, asLabels, enumLabel, fieldLabel } from './labels.js';

/** The record catalog as data, so clients (the web UI, scripts) build forms without hard-coding it. */
export function registerMetaRoutes(app: FastifyInstance): void {
  const labels = z.object({ en: z.string(), be: z.string(), ru: z.string() });
  const field = z.object({
    name: z.string(),
    kind: z.string(),
    required: z.boolean(),
    description: z.string(),
    vocabulary: z.string().optional(),
    target: z.string().optional(),
    values: z.array(z.string()).optional(),
    label: labels.describe('The field’s name in each UI language'),
    valueLabels: z.record(z.string(), labels).optional().describe('Names of the enum values in each UI language'),
    multiline: z.boolean().optional().describe('Long text (prose)'),
    maxLength: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    sensitive: z.enum(['identity', 'prose']).optional().describe('Stored encrypted; identity values are never in ordinary answers'),
    filters: z.array(z.string()).describe('List query parameters this field offers as filters'),
    sortable: z.boolean().describe('The list can be ordered by this field (sort=<name> or sort=-<name>)'),
  });
  // the catalog is the same for everyone and also in the public OpenAPI document
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/record-types', {
    config: { policy: 'signed-in' },
    schema: {
      tags: ['meta'],
      summary: 'Record types and their fields',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              name: z.string(),
              singular: z.string(),
              description: z.string(),
              label: labels.describe('The type’s name (one record) in each UI language'),
              pluralLabel: labels.describe('The type’s name (several records) in each UI language'),
              labelFields: z.array(z.string()).describe('Fields tried in order to name a record in links'),
              fields: z.array(field),
            }),
          ),
        }),
        ...problemResponses,
      },
    },
    handler: async () => ({
      items: [...RECORD_TYPES.values()].map((d) => ({
        name: d.name,
        singular: d.singular,
        description: d.description,
        label: asLabels(TYPE_LABELS[d.name].one),
        pluralLabel: asLabels(TYPE_LABELS[d.name].many),
        labelFields: d.labelFields,
        fields: Object.entries(d.fields).map(([name, f]) => ({
          name,
          kind: f.kind,
          required: Boolean(f.required),
          description: f.description,
          ...('vocabulary' in f ? { vocabulary: f.vocabulary } : {}),
          ...('target' in f ? { target: f.target } : {}),
          ...('values' in f ? { values: [...f.values], valueLabels: Object.fromEntries(f.values.map((v) => [v, enumLabel(v) ?? { en: v, be: v, ru: v }])) } : {}),
          label: fieldLabel(d.name, name) ?? { en: name, be: name, ru: name },
          ...('multiline' in f && f.multiline ? { multiline: true } : {}),
          ...('maxLength' in f && f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
          ...('min' in f && f.min !== undefined ? { min: f.min } : {}),
          ...('max' in f && f.max !== undefined ? { max: f.max } : {}),
          ...(f.sensitive ? { sensitive: f.sensitive } : {}),
          filters: filterParams(name, f).map(([p]) => p),
          sortable: isSortable(f),
        })),
      })),
    }),
  });
}
