import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import type { Db } from './records.repository.js';
import { changeView, changeViewBody, createView, createViewBody, deleteView, listViews } from './saved-views.js';

const view = z.object({
  id: z.string(),
  type: z.string().describe('The record type the view lists'),
  name: z.string(),
  query: z.record(z.string(), z.string()).describe('The list’s query parameters: filters, sort, cols'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const idParams = z.object({ id: z.uuid({ message: 'must be a view id (UUID)' }) });
const tags = ['saved-views'];

/** Saved views of the record lists under /api/v1/saved-views: each account sees and changes only its own. */
export function registerSavedViewRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/saved-views', {
    config: { policy: 'signed-in' },
    schema: {
      tags,
      summary: 'Your saved views of the record lists',
      querystring: z.object({ type: z.string().max(100).optional().describe('Only the views of this record type') }).strict(),
      response: { 200: z.object({ items: z.array(view) }), ...problemResponses },
    },
    handler: async (req) => ({ items: await listViews(db, actorOf(req), req.query.type) }),
  });
  r.post('/api/v1/saved-views', {
    config: { policy: 'signed-in' },
    schema: {
      tags,
      summary: 'Save a view of a record list',
      description: `At most 100 views per record type; a name is unique among your views of the type (409 otherwise).`,
      body: createViewBody,
      response: { 201: view, 409: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await createView(db, actorOf(req), req.body)),
  });
  r.patch('/api/v1/saved-views/:id', {
    config: { policy: 'signed-in' },
    schema: { tags, summary: 'Rename a saved view or change its query', params: idParams, body: changeViewBody, response: { 200: view, 409: problemSchema, ...problemResponses } },
    handler: async (req) => changeView(db, actorOf(req), req.params.id, req.body),
  });
  r.delete('/api/v1/saved-views/:id', {
    config: { policy: 'signed-in' },
    schema: { tags, summary: 'Delete a saved view', params: idParams, response: { 204: z.null().describe('Deleted'), ...problemResponses } },
    handler: async (req, reply) => {
      await deleteView(db, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  });
}
