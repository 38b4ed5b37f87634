import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import { expectedVersion } from '../records/records.routes.js';
import * as uc from './vocabularies.usecases.js';

const labels = z.object({ be: z.string(), ru: z.string(), en: z.string() });
const term = z.object({ code: z.string(), parent: z.string().nullable(), labels, position: z.number(), deprecated: z.boolean() });
const etag = (version: number) => `"${version}"`;
const nameParams = z.object({ name: z.string().max(100) });
const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe('ETag of the vocabulary as last read (required), e.g. "7"') });
const changed = z.object({
  version: z.number().describe('The vocabulary’s version after the change (also the ETag)'),
  term,
  reindexJobId: z.string().nullable().describe('The search reindex queued because records use the term whose labels changed'),
});

const EDITING =
  'Codes are permanent: records store them, so a term is never renamed or deleted (there is no DELETE); a term goes out of use by being deprecated. ' +
  'Every change moves the vocabulary to its next version: send If-Match with the ETag of GET /api/v1/vocabularies/{name}; 412 when someone changed it meanwhile. ' +
  'Coordinators and administrators (`vocabulary.edit`). Audited with the term before and after.';

/** Reading vocabularies (every account) and adding or changing their terms (coordinators, administrators). */
export function registerVocabularyRoutes(app: FastifyInstance, deps: uc.VocabularyDeps): void {
  const { db } = deps;
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
      description: 'Deprecated terms are listed (records may still hold them) with `deprecated: true`. The ETag is the vocabulary’s version, for If-Match on a change.',
      params: nameParams,
      response: {
        200: z.object({
          name: z.string(),
          labels,
          description: z.string().nullable(),
          version: z.number(),
          terms: z.array(term),
        }),
        ...problemResponses,
      },
    },
    handler: async (req, reply) => {
      const v = await uc.getVocabulary(db, actorOf(req), req.params.name);
      return reply.header('etag', etag(v.version)).send(v);
    },
  });
  r.post('/api/v1/vocabularies/:name/terms', {
    config: { policy: 'vocabulary.edit' },
    schema: {
      tags: ['vocabularies'],
      summary: 'Add a term to a vocabulary (coordinators, administrators)',
      description: `${EDITING} The code: lower-case Latin letters and digits, words joined by single hyphens (or dots); 409 when the vocabulary has it already. All three labels are required. The parent must be a current term of the same vocabulary.`,
      params: nameParams,
      headers: ifMatchHeaders,
      body: uc.newTermSchema,
      response: { 201: changed, 409: problemSchema, 412: problemSchema, 428: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const res = await uc.addTerm(deps, actorOf(req), req.params.name, expectedVersion(req.headers['if-match']), req.body);
      return reply
        .status(201)
        .header('etag', etag(res.version))
        .header('location', `/api/v1/vocabularies/${encodeURIComponent(req.params.name)}`)
        .send(res);
    },
  });
  r.patch('/api/v1/vocabularies/:name/terms/:code', {
    config: { policy: 'vocabulary.edit' },
    schema: {
      tags: ['vocabularies'],
      summary: 'Change a term’s labels, parent, position or deprecation (coordinators, administrators)',
      description: `${EDITING} A deprecated term stays valid on the records that have it but cannot be chosen for a new value; \`deprecated: false\` brings it back. A label change of a term that records use queues the search reindex (\`reindexJobId\`).`,
      params: nameParams.extend({ code: z.string().max(100) }),
      headers: ifMatchHeaders,
      body: uc.termChangeSchema,
      response: { 200: changed, 412: problemSchema, 428: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const res = await uc.changeTerm(deps, actorOf(req), req.params.name, req.params.code, expectedVersion(req.headers['if-match']), req.body);
      return reply.header('etag', etag(res.version)).send(res);
    },
  });
}
