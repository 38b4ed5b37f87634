import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { PreconditionRequiredError, ValidationError } from '../../domain/errors.js';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import { RECORD_SCHEMAS, historyEntrySchema, recordId } from './records.schemas.js';
import * as uc from './records.usecases.js';
import { registerLinkedEvidenceRoute } from './linked-evidence.js';
import { registerSavedViewRoutes } from './saved-views.routes.js';

const etag = (version: number) => `"${version}"`;

/** The version an `If-Match` header names; 428 when absent. */
export function expectedVersion(ifMatch: string | undefined): number {
  if (!ifMatch) throw new PreconditionRequiredError('send If-Match with the ETag you read, so a change made meanwhile is not overwritten');
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!m) throw new ValidationError([{ field: 'If-Match', message: 'must be the ETag of the record, e.g. "3"' }]);
  return Number(m[1]);
}

const idParams = z.object({ id: recordId });
const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe('ETag of the version being replaced (required)') });

/** CRUD, list and history routes for every record type under /api/v1/<type>; the linked evidence and the saved views of the lists. */
export function registerRecordRoutes(app: FastifyInstance, deps: uc.RecordsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const def of RECORD_TYPES.values()) {
    const s = RECORD_SCHEMAS.get(def.name)!;
    const base = `/api/v1/${def.name}`;
    const tags = [def.name];

    r.get(base, {
      config: { policy: 'record.read' },
      schema: {
        tags,
        summary: `List ${def.name}`,
        description: def.description,
        querystring: s.listQuery,
        response: { 200: z.object({ items: z.array(s.listItem), nextCursor: z.string().nullable() }), ...problemResponses },
      },
      handler: async (req) => uc.listRecords(deps, actorOf(req), def.name, req.query as Record<string, unknown>),
    });

    r.post(base, {
      config: { policy: 'record.create' },
      schema: {
        tags,
        summary: `Create a ${def.singular}`,
        body: s.create,
        response: { 201: s.record, ...problemResponses },
      },
      handler: async (req, reply) => {
        const rec = await uc.createRecord(deps, actorOf(req), def.name, req.body);
        return reply.status(201).header('etag', etag(rec.version)).header('location', `${base}/${rec.id}`).send(rec as any);
      },
    });

    r.get(`${base}/:id`, {
      config: { policy: 'record.read' },
      schema: {
        tags,
        summary: `Get a ${def.singular} with its links`,
        params: idParams,
        response: { 200: s.withLinks, ...problemResponses },
      },
      handler: async (req, reply) => {
        const rec = await uc.getRecord(deps, actorOf(req), def.name, req.params.id);
        return reply.header('etag', etag(rec.version)).send(rec as any);
      },
    });

    r.patch(`${base}/:id`, {
      config: { policy: 'record.update' },
      schema: {
        tags,
        summary: `Change fields of a ${def.singular}`,
        description: 'Needs If-Match with the ETag last read; answers 412 if the record changed meanwhile.',
        params: idParams,
        headers: ifMatchHeaders,
        body: s.update,
        response: { 200: s.record, 412: problemSchema, 428: problemSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        const rec = await uc.updateRecord(deps, actorOf(req), def.name, req.params.id, expectedVersion(req.headers['if-match']), req.body);
        return reply.header('etag', etag(rec.version)).send(rec as any);
      },
    });

    r.delete(`${base}/:id`, {
      config: { policy: 'record.delete' },
      schema: {
        tags,
        summary: `Delete a ${def.singular}`,
        description: 'Refused with 409 and the list of referrers while other records refer to it. Its history stays.',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 204: z.null().describe('Deleted'), 409: problemSchema, 412: problemSchema, 428: problemSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        await uc.deleteRecord(deps, actorOf(req), def.name, req.params.id, expectedVersion(req.headers['if-match']));
        return reply.status(204).send(null);
      },
    });

    r.get(`${base}/:id/history`, {
      config: { policy: 'record.read' },
      schema: {
        tags,
        summary: `History of a ${def.singular}`,
        description: 'Every version: who, when, and what changed from what to what. Kept after deletion.',
        params: idParams,
        response: { 200: z.object({ items: z.array(historyEntrySchema) }), ...problemResponses },
      },
      handler: async (req) => ({ items: await uc.recordHistory(deps, actorOf(req), def.name, req.params.id) }),
    });
  }
  registerLinkedEvidenceRoute(app, deps.db);
  registerSavedViewRoutes(app, deps.db);
}
