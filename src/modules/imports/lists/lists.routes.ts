import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../../app/http/auth.js';
import { problemResponses } from '../../../app/http/problem.js';
import { listImportSchema, listReadSchema, previewList, requestListImport, type ListImportDeps } from './lists.usecases.js';

const formSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable().describe('As detected or forced (CSV)'),
  delimiter: z.string().nullable().describe('As detected or forced (CSV)'),
  sheet: z.string().nullable().describe('The sheet read (XLSX)'),
  sheets: z.array(z.string()).describe('Every sheet of the workbook (XLSX)'),
});

/**
 * Importing lists (CSV, XLSX) of records: preview how a list reads, then a dry run or an import as
 * a job whose result is the report (GET /api/v1/jobs/{jobId}). The list is an evidence item first
 * (POST /api/v1/evidence or a tus upload).
 */
export function registerListImportRoutes(app: FastifyInstance, deps: ListImportDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];

  r.post('/api/v1/imports/lists/preview', {
    // reading the list's cells is reading the evidentiary copy
    config: { policy: 'evidence.download' },
    schema: {
      tags,
      summary: 'How a list reads: encoding, delimiter or sheets, the header and the first 20 rows as text',
      description: 'Writes nothing; opening the item is audited as a download. Force `encoding`, `delimiter` or `sheet` when detection guessed wrong.',
      body: listReadSchema,
      response: {
        200: z.object({ form: formSchema, header: z.array(z.string()), rows: z.array(z.object({ row: z.number(), cells: z.array(z.string()) })) }),
        ...problemResponses,
      },
    },
    handler: async (req) => previewList(deps, actorOf(req), req.body),
  });

  r.post('/api/v1/imports/lists', {
    config: { policy: 'record.create' },
    schema: {
      tags,
      summary: 'Dry run or import of a list, as a job (follow it at /api/v1/jobs/{jobId}; its result is the report)',
      description:
        'Every row becomes a record of `type` in `compartment`, through the same checks as POST /api/v1/{type}. `dryRun`: validate every row and report, write nothing. `mode` all-or-nothing: every row in one transaction, or nothing when any row has a problem; valid-only: the valid rows. Rows this item already gave with the same mapping are skipped. The mapping is checked against the header at once (422).',
      body: listImportSchema,
      response: { 202: z.object({ jobId: z.string(), created: z.boolean().describe('false: the same run was already queued; its job is returned') }), ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await requestListImport(deps, actorOf(req), req.body)),
  });
}
