import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../../app/http/problem.js';
import { interchangeExportSchema, openInterchangeExport, requestInterchangeExport, requestUwaziImport, uwaziImportSchema, type InterchangeDeps } from './interchange.usecases.js';

const accepted = z.object({ jobId: z.string(), created: z.boolean().describe('false: the same request was already queued; its job is returned') });

/**
 * Interchange over HTTP (docs/IMPORTS.md, "Interchange"): an Uwazi import of an evidence item, and
 * an export (Uwazi ZIP or ESF JSON), each a job to follow at /api/v1/jobs/{jobId}; the export's
 * file is downloaded once, by the one who asked.
 */
export function registerInterchangeRoutes(app: FastifyInstance, deps: InterchangeDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['interchange'];

  r.post('/api/v1/interchange/uwazi/import', {
    config: { policy: 'record.create' },
    schema: {
      tags,
      summary: 'Dry run or import of Uwazi CSVs (a ZIP with files/, or one CSV) as a job; its result is the report',
      description:
        'The ZIP or CSV is an evidence item first (POST /api/v1/evidence or a tus upload). All rows or nothing; terms are never created; references go by title; files the `attachments` column names are taken in as evidence and linked. Rows this item already gave are skipped.',
      body: uwaziImportSchema,
      response: { 202: accepted, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await requestUwaziImport(deps, actorOf(req), req.body)),
  });

  r.post('/api/v1/interchange/export', {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Export a compartment as Uwazi CSVs (ZIP) or HURIDOCS ESF (JSON), as a job',
      description:
        'When the job is done, download the file at /api/v1/interchange/exports/{jobId}/download: only the account that asked may, once; it is removed after the download or after 24 hours. `withIdentities` needs the right to reveal identities, `withFiles` the right to download evidence.',
      body: interchangeExportSchema,
      response: { 202: accepted, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await requestInterchangeExport(deps, actorOf(req), req.body)),
  });

  r.get('/api/v1/interchange/exports/:jobId/download', {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Download an export (once; then it is removed)',
      params: z.object({ jobId: z.uuid() }),
      response: { 200: z.any().describe('application/zip or application/json'), 409: problemSchema, 410: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const { result, stream, done } = await openInterchangeExport(deps, actorOf(req), req.params.jobId);
      let complete = false;
      stream.on('end', () => (complete = true));
      reply.raw.on('finish', () => {
        if (complete) void done().catch((e) => req.log.warn({ err: e }, 'removing a downloaded export failed'));
      });
      reply.header('content-type', result.contentType);
      reply.header('content-length', String(result.size));
      reply.header('content-disposition', `attachment; filename="${result.filename}"`);
      reply.header('x-content-sha256', result.sha256);
      reply.header('cache-control', 'no-store');
      return reply.send(stream);
    },
  });
}
