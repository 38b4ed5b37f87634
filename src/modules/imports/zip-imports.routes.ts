import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import { previewFolderZip, previewTelegramZip, requestZipImport, zipImportSchema, zipItemSchema } from './zip-imports.usecases.js';
import type { ZipImportDeps } from './zip-unpack.js';

const accepted = z.object({ jobId: z.string(), created: z.boolean().describe('false: the same run was already queued or running; its job is returned') });

const ZIP_WORDS =
  'The export is first uploaded as a ZIP evidence item (POST /api/v1/evidence or a tus upload); it stays an evidence item. The ZIP is decrypted into a private temporary folder inside the data dir while it is read, and removed after. Refused (422) when the item is not a ZIP, or holds a name that leaves the archive, a symbolic link, an encrypted entry, or more than the limits (a zip bomb).';

/**
 * Telegram exports and folders uploaded as ZIPs: a preview (synchronous, writes nothing but the
 * audit of opening the item), then a dry run or an import as a job whose result is the report
 * (GET /api/v1/jobs/{jobId}).
 */
export function registerZipImportRoutes(app: FastifyInstance, deps: ZipImportDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];

  r.post('/api/v1/imports/telegram/preview', {
    config: { policy: 'evidence.download' },
    schema: {
      tags,
      summary: 'What an uploaded Telegram Desktop export (a ZIP with result.json) holds: chats, message and file counts, first and last dates',
      description: `Reads only result.json, at the ZIP's top or inside its one top folder (ChatExport_…). ${ZIP_WORDS}`,
      body: zipItemSchema,
      response: {
        200: z.object({
          chats: z.array(z.object({ id: z.string(), name: z.string(), type: z.string().describe('public-channel, private-group, … or unknown'), messages: z.number() })),
          messages: z.number().describe('Messages that would be read (service messages left out)'),
          mediaFiles: z.number().describe('Files the messages name'),
          firstDate: z.string().nullable(),
          lastDate: z.string().nullable(),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => previewTelegramZip(deps, actorOf(req), req.body),
  });

  r.post('/api/v1/imports/telegram', {
    config: { policy: 'record.create' },
    schema: {
      tags,
      summary: 'Dry run or import of an uploaded Telegram export, as a job (follow it at /api/v1/jobs/{jobId}; its result is the report)',
      description: `Each message becomes a \`messages\` record, each file an evidence item whose acquisition names the chat, the message, its date and the uploaded item. Messages already imported are left (or updated when edited later). \`dryRun\`: report what would be added, write nothing. Needs record.create, evidence.ingest and evidence.link in \`compartment\` and evidence.download on the item. ${ZIP_WORDS}`,
      body: zipImportSchema,
      response: { 202: accepted, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await requestZipImport(deps, actorOf(req), 'telegram', req.body)),
  });

  r.post('/api/v1/imports/folder/preview', {
    config: { policy: 'evidence.download' },
    schema: {
      tags,
      summary: 'What an uploaded folder (a ZIP of files with metadata.csv or JSON sidecars) holds: file count, metadata, the first 20 files',
      description: `The folder is the ZIP's top, or its one top folder. Only metadata.csv and small .json files are unpacked. ${ZIP_WORDS}`,
      body: zipItemSchema,
      response: {
        200: z.object({
          files: z.number().describe('Files that would be taken (metadata.csv and sidecars not counted)'),
          metadataCsv: z.boolean(),
          sidecars: z.number().describe('JSON sidecars read'),
          sample: z.array(z.object({ path: z.string(), hasMetadata: z.boolean() })).describe('The first 20 files by path'),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => previewFolderZip(deps, actorOf(req), req.body),
  });

  r.post('/api/v1/imports/folder', {
    config: { policy: 'evidence.ingest' },
    schema: {
      tags,
      summary: 'Dry run or import of an uploaded folder, as a job (follow it at /api/v1/jobs/{jobId}; its result is the report)',
      description: `Each file becomes an evidence item (the same bytes: another acquisition of the item) with its metadata; links to records are made. Files this import took already are skipped. \`dryRun\`: check and report, write nothing. Needs evidence.ingest and evidence.link in \`compartment\` and evidence.download on the item. ${ZIP_WORDS}`,
      body: zipImportSchema,
      response: { 202: accepted, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await requestZipImport(deps, actorOf(req), 'folder', req.body)),
  });
}
