import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import { can } from '../../domain/policies.js';
import { ForbiddenError } from '../../domain/errors.js';
import { enqueue } from '../../adapters/queue/enqueue.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import { FACET_FIELDS, search, SEARCH_SORTS } from './search.usecases.js';
import { guessCyrillicLanguage, romanizations } from '../../domain/text/translit.js';
import { nameMatchKeys } from '../../domain/names/match-key.js';

const list = (d: string) => z.string().max(2000).optional().describe(`${d} (comma-separated)`);

const hitSchema = z.object({
  id: z.string(),
  type: z.string(),
  compartment: z.string(),
  label: z.string(),
  labelField: z
    .string()
    .nullable()
    .describe("The record field the label is the value of (a vocabulary or enum code is then a code: show it in the reader's language, as GET /api/v1/record-types describes the field); null for evidence"),
  date: z.string().nullable(),
  status: z.string().nullable(),
  language: z.string().nullable(),
  byName: z.boolean(),
  fuzzy: z.boolean(),
  sealedMatch: z.boolean(),
  snippet: z.object({ text: z.string(), highlights: z.array(z.tuple([z.number(), z.number()])) }).nullable(),
});

export interface SearchRouteDeps {
  db: Kysely<any>;
  vault: KeyVault;
  audit: AppendAuditEvent;
}

/** `GET /api/v1/search` and `POST /api/v1/search/reindex` (administrators: a job with progress). */
export function registerSearchRoutes(app: FastifyInstance, deps: SearchRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/search', {
    config: { policy: 'record.read' },
    schema: {
      tags: ['search'],
      summary: 'Search every record and evidence item you may read, in any language and script',
      description: [
        'Query language: words (any of be, ru, en; Cyrillic or Latin: Okrestina finds Акрэсціна and Окрестина), "phrases", prefix*, -exclusion,',
        'field:value filters (type, from, to, compartment, place, facility, unit, actType, method, language, status; -field:value excludes).',
        'Person names match across every spelling and script, through the blind name index, and come first.',
        'When nothing matches exactly, near matches (a letter or two off) are returned with `fuzzy: true`.',
        'Facets count only what you may read. Snippets come from text not encrypted at rest; a match in encrypted text says `sealedMatch`.',
      ].join(' '),
      querystring: z
        .object({
          q: z.string().max(2000).optional().describe('the query'),
          sort: z.enum(SEARCH_SORTS).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
          facets: z.enum(['true', 'false']).optional(),
          type: list('record types, or evidence'),
          from: z.string().max(10).optional().describe('from this date (inclusive), YYYY[-MM[-DD]]'),
          to: z.string().max(10).optional().describe('before this date (exclusive)'),
          compartment: list('compartment ids'),
          place: list('place ids'),
          facility: list('facility ids'),
          unit: list('unit ids'),
          actType: list('act-types codes'),
          method: list('methods codes'),
          language: list('be, ru, en'),
          status: list('statuses'),
        })
        .strict(),
      response: {
        200: z.object({
          total: z.number().describe('matches counted: at most 1000'),
          capped: z.boolean().describe('more than 1000 documents match: only the best 1000 are paged and counted; narrow the query'),
          fuzzy: z.boolean(),
          items: z.array(hitSchema),
          facets: z.partialRecord(z.enum(FACET_FIELDS), z.array(z.object({ value: z.string(), count: z.number() }))).describe('value counts per field, over everything the query matched that you may read'),
          nextCursor: z.string().nullable(),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => {
      const res = await search({ db: deps.db, vault: deps.vault }, actorOf(req), req.query as Record<string, unknown>);
      return { total: res.total, capped: res.capped, fuzzy: res.fuzzy, items: res.items, facets: res.facets as Record<(typeof FACET_FIELDS)[number], Array<{ value: string; count: number }>>, nextCursor: res.nextCursor };
    },
  });

  r.post('/api/v1/search/reindex', {
    config: { policy: 'search.reindex' },
    schema: {
      tags: ['search'],
      summary: 'Rebuild the search index (administrators): a job, with progress at /api/v1/jobs/{id}',
      body: z.object({}).strict().optional(),
      response: { 202: z.object({ jobId: z.string(), created: z.boolean() }), ...problemResponses },
    },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      if (!can(actor, 'search.reindex')) throw new ForbiddenError('only administrators may rebuild the search index');
      const job = await deps.db.transaction().execute(async (trx) => {
        const j = await enqueue(trx, 'search.reindex', {}, { dedupeKey: 'search.reindex', maxAttempts: 3 });
        await deps.audit(trx, { action: 'search.reindex-requested', actorId: actor.userId, details: { jobId: j.id } });
        return j;
      });
      return reply.code(202).send({ jobId: job.id, created: job.created });
    },
  });

  r.get('/api/v1/romanize', {
    config: { policy: 'vocabulary.read' },
    schema: {
      tags: ['search'],
      summary: 'Every standard romanisation of a Cyrillic name or text, and its match key',
      description:
        'Belarusian: 2007 national/UN, 2023 national, ICAO 9303, BGN/PCGN; Russian: BGN/PCGN, ICAO 9303, ISO 9 (GOST 7.79 A), GOST 7.79 B. The language is guessed from the letters unless given.',
      querystring: z.object({ text: z.string().min(1).max(500), lang: z.enum(['be', 'ru']).optional() }).strict(),
      response: {
        200: z.object({
          language: z.enum(['be', 'ru', 'either']).nullable(),
          romanizations: z.array(z.object({ lang: z.enum(['be', 'ru']), system: z.string(), text: z.string() })),
          matchKeys: z.array(z.string()),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => ({
      language: guessCyrillicLanguage(req.query.text),
      romanizations: romanizations(req.query.text, req.query.lang),
      matchKeys: nameMatchKeys(req.query.text),
    }),
  });
}
