import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import type { EvidenceDeps } from '../evidence/evidence.usecases.js';
import { recordId } from '../records/records.schemas.js';
import { redactionSpecSchema, redactTestimony, requestRedaction, suggestItemRedactions, suggestTestimonyRedactions, textRedactionSchema } from './redaction.usecases.js';

const suggestions = z.object({
  text: z.string().describe('The text the offsets count in (JavaScript string indices)'),
  sourceItemId: z.string().nullable().describe("The item holding that text: the item itself, or its document or OCR text derivative"),
  spans: z.array(
    z.object({
      start: z.number(),
      end: z.number(),
      personId: z.string(),
      pseudonym: z.string(),
      matched: z.enum(['pseudonym', 'name', 'contact']).describe('What was found there; names and contacts themselves are never sent'),
    }),
  ),
  identities: z.boolean().describe('Whether real names and contacts were looked for (the caller may reveal identities) or only pseudonyms'),
  persons: z.number().describe('People looked for'),
});

/**
 * Redaction over HTTP: a redacted derivative of an item asked for as a job; where a text names the
 * people linked to it; a testimony's transcript redacted. Redacted derivatives are listed and
 * downloaded like every derivative (GET /api/v1/evidence?parent={id}, GET /api/v1/evidence/{id}/content).
 */
export function registerRedactionRoutes(app: FastifyInstance, deps: EvidenceDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['redaction'];

  r.post('/api/v1/evidence/:id/redactions', {
    config: { policy: 'evidence.redact' },
    schema: {
      tags,
      summary: 'Make a redacted derivative of an item, as a job (follow it at /api/v1/jobs/{jobId})',
      description:
        'kind image: regions boxed or blurred irreversibly (pixels or fractions of the upright picture). kind audio: ranges silenced or covered by a tone, voice pitch shifted. kind video: regions over time ranges, and an audio part. kind text: spans of the item’s text (or of its document/OCR text) replaced by a mark. The output has no metadata of the original (EXIF, XMP, IPTC, ICC, GPS, tags, creation time, encoder). It is stored as a `redacted` derivative; the original is untouched; a custody event `evidence.redact` records the spec’s SHA-256 and the output’s. The job’s result names the derivative.',
      params: z.object({ id: z.uuid() }),
      body: redactionSpecSchema,
      response: {
        202: z.object({
          jobId: z.string(),
          created: z.boolean().describe('false: the same redaction of this item was already queued; its job is returned'),
          specSha256: z.string().describe('SHA-256 of the spec as canonical JSON (RFC 8785), as the custody event records it'),
        }),
        ...problemResponses,
      },
    },
    handler: async (req, reply) => reply.code(202).send(await requestRedaction(deps, actorOf(req), req.params.id, req.body)),
  });

  r.get('/api/v1/evidence/:id/redaction-suggestions', {
    config: { policy: 'evidence.redact' },
    schema: {
      tags,
      summary: 'Where an item’s text names the people it is linked to: spans to consider hiding',
      description:
        'The people are those of the records the item is linked to (one step further for references) and the sources of its acquisitions. Pseudonyms are always looked for; real names (any spelling, either script, declined) and contacts only for a caller who may reveal identities in the compartment, and then the use is audited. Nothing is applied.',
      params: z.object({ id: z.uuid() }),
      response: { 200: suggestions, 500: problemSchema, 503: problemSchema, ...problemResponses },
    },
    handler: async (req) => suggestItemRedactions(deps, actorOf(req), req.params.id),
  });

  r.get('/api/v1/testimonies/:id/redaction-suggestions', {
    config: { policy: 'evidence.redact' },
    schema: {
      tags,
      summary: 'Where a testimony’s transcript names its interviewee and the people of its acts, consent and event',
      description: 'As for an item: pseudonyms always, real names and contacts only for a caller who may reveal identities (audited).',
      params: z.object({ id: recordId }),
      response: { 200: suggestions, 500: problemSchema, 503: problemSchema, ...problemResponses },
    },
    handler: async (req) => suggestTestimonyRedactions(deps, actorOf(req), req.params.id),
  });

  r.post('/api/v1/testimonies/:id/redacted-transcript', {
    config: { policy: 'evidence.redact' },
    schema: {
      tags,
      summary: 'A testimony’s transcript with the chosen spans replaced by a mark (nothing stored; audited)',
      params: z.object({ id: recordId }),
      body: textRedactionSchema,
      response: {
        200: z.object({ text: z.string(), spans: z.array(z.object({ start: z.number(), end: z.number() })).describe('The spans applied, sorted and merged'), sha256: z.string() }),
        500: problemSchema,
        503: problemSchema,
        ...problemResponses,
      },
    },
    handler: async (req) => redactTestimony(deps, actorOf(req), req.params.id, req.body),
  });
}
