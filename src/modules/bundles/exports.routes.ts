import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import type { CaseExportDeps } from './case-export.js';
import { exportRequestSchema, getCaseExport, listCaseExports, openCaseExport, requestCaseExport } from './exports.usecases.js';

const exportSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  jobId: z.string(),
  state: z.enum(['queued', 'done', 'failed']),
  reason: z.string().nullable(),
  recipient: z.string().nullable(),
  derivatives: z.array(z.string()),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  checkpointSize: z.number().nullable(),
  summary: z.record(z.string(), z.number()).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** Case bundles over HTTP: ask for one (a job), follow it, list a case's, download the ZIP. */
export function registerExportRoutes(app: FastifyInstance, deps: CaseExportDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const caseParams = z.object({ id: z.uuid() });
  const exportParams = z.object({ exportId: z.uuid() });

  r.post('/api/v1/cases/:id/exports', {
    config: { policy: 'case.export' },
    schema: {
      tags,
      summary: 'Export the case as a bundle (a job; follow it at /api/v1/jobs/{jobId})',
      description:
        'The bundle holds the evidentiary copies (decrypted), the chosen derivatives, manifest.json with custody events and inclusion proofs, the signed checkpoint, a report (HTML, PDF) and VERIFY.txt. Material whose people did not consent to judicial use (for this recipient) is left out and listed as withheld.',
      params: caseParams,
      body: exportRequestSchema.optional(),
      response: { 202: exportSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const v = await requestCaseExport(deps, actorOf(req), req.params.id, req.body ?? {});
      return reply.code(202).send(v);
    },
  });

  r.get('/api/v1/cases/:id/exports', {
    config: { policy: 'case.export' },
    schema: { tags, summary: 'Exports of a case, newest first', params: caseParams, response: { 200: z.object({ items: z.array(exportSchema) }), ...problemResponses } },
    handler: async (req) => ({ items: await listCaseExports(deps, actorOf(req), req.params.id) }),
  });

  r.get('/api/v1/exports/:exportId', {
    config: { policy: 'case.export' },
    schema: { tags, summary: 'One export and its state', params: exportParams, response: { 200: exportSchema, ...problemResponses } },
    handler: async (req) => getCaseExport(deps, actorOf(req), req.params.exportId),
  });

  r.get('/api/v1/exports/:exportId/download', {
    config: { policy: 'case.export' },
    schema: {
      tags,
      summary: 'Download the bundle (ZIP); recorded as a custody event',
      params: exportParams,
      response: { 200: z.any().describe('application/zip'), 409: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const { view, stream } = await openCaseExport(deps, actorOf(req), req.params.exportId);
      reply.header('content-type', 'application/zip');
      reply.header('content-length', String(view.size));
      reply.header('content-disposition', `attachment; filename="case-${view.caseId}-${view.checkpointSize}.zip"`);
      reply.header('x-content-sha256', view.sha256 ?? '');
      return reply.send(stream);
    },
  });
}
