import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import { jobId, jobQuerySchema, jobSchema } from './jobs.schemas.js';
import * as uc from './jobs.usecases.js';

/** Background jobs: listing, one job's progress and outcome, and retrying dead ones. */
export function registerJobRoutes(app: FastifyInstance, deps: uc.JobsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['jobs'];

  r.get('/api/v1/jobs', {
    config: { policy: 'job.read' },
    schema: {
      tags,
      summary: 'Background jobs (administrators: all; members: their compartments’)',
      description: 'Newest first. Filter by state, name and compartment; `nextCursor` pages on.',
      querystring: jobQuerySchema,
      response: { 200: z.object({ items: z.array(jobSchema), nextCursor: z.string().nullable() }), ...problemResponses },
    },
    handler: async (req) => uc.listJobs(deps.db, actorOf(req), req.query),
  });

  r.get('/api/v1/jobs/:id', {
    config: { policy: 'job.read' },
    schema: {
      tags,
      summary: 'One job: state, attempts, progress and message, result, last error, times',
      params: z.object({ id: jobId }),
      response: { 200: jobSchema, ...problemResponses },
    },
    handler: async (req) => uc.getJob(deps.db, actorOf(req), req.params.id),
  });

  r.post('/api/v1/jobs/:id/retry', {
    config: { policy: 'job.retry' },
    schema: {
      tags,
      summary: 'Queue a dead job again (administrators)',
      description: 'The job gets all its tries again and is due at once. Only dead jobs; audited.',
      params: z.object({ id: jobId }),
      response: { 200: jobSchema, 409: problemSchema.describe('The job is not dead, or an unfinished job does the same work'), ...problemResponses },
    },
    handler: async (req) => uc.retryJob(deps, actorOf(req), req.params.id),
  });
}
