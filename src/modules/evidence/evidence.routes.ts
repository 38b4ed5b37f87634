import type { FastifyInstance } from 'fastify';
import '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import { ValidationError } from '../../domain/errors.js';
import * as uc from './evidence.usecases.js';

const flag = z.object({ kind: z.string(), reason: z.string() });
const itemView = z.object({
  id: z.string(),
  compartment: z.string(),
  sha256: z.string().describe('SHA-256 of the bytes as received (what sha256sum prints)'),
  size: z.number(),
  mime: z.string().nullable().describe('Type detected from the content, never from the name'),
  category: z.string().nullable(),
  state: z.enum(['stored', 'processing', 'ready', 'flagged']),
  flags: z.array(flag),
  parentId: z.string().nullable().describe('The item this one is derived from'),
  derivativeKind: z.string().nullable(),
  derivedWith: z.string().nullable(),
  phash: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  permissions: z.object({ download: z.boolean(), metadata: z.boolean(), link: z.boolean(), redact: z.boolean().describe('May ask for redacted derivatives of this original (evidence.redact)') }),
});
const acquisition = z.object({
  id: z.string(),
  itemId: z.string(),
  method: z.string(),
  sourcePersonId: z.string().nullable(),
  sourceNote: z.string().nullable(),
  note: z.string().nullable(),
  acquiredAt: z.string(),
  acquiredBy: z.string().nullable(),
  toolVersion: z.string(),
});
const link = z.object({ id: z.string(), targetType: z.string(), targetId: z.string(), span: z.unknown().nullable(), note: z.string().nullable(), createdAt: z.string() });

/** Parses `Range: bytes=a-b` (one range; suffix ranges `bytes=-n` too). */
export function parseRange(header: string | undefined, size: number): { start: number; end?: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) throw new ValidationError([{ field: 'Range', message: 'must be one range, e.g. bytes=0-1023' }]);
  if (m[1] === '') {
    const n = Number(m[2]);
    return { start: Math.max(size - n, 0), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? undefined : Math.min(Number(m[2]), size - 1);
  return { start, end };
}

/** Evidence over HTTP: upload (multipart), list, detail, download with ranges, links. */
export function registerEvidenceRoutes(app: FastifyInstance, deps: uc.EvidenceDeps & { multipartMaxBytes: number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['evidence'];

  r.post('/api/v1/evidence', {
    config: { policy: 'evidence.ingest' },
    schema: {
      tags,
      summary: 'Upload a small file as evidence (multipart/form-data)',
      description:
        'Fields before the file: `compartment`, `source`, `sourcePerson`, `note`; then one file part. The bytes are hashed while encrypted and stored; the same bytes already held in the compartment give another acquisition of that item (`duplicate: true`). Large files: use the resumable upload.',
      consumes: ['multipart/form-data'],
      response: {
        201: z.object({ item: itemView.omit({ permissions: true }).extend({ permissions: itemView.shape.permissions.optional() }), acquisition, duplicate: z.boolean() }),
        ...problemResponses,
      },
    },
    handler: async (req, reply) => {
      if (!req.isMultipart()) throw new ValidationError([{ field: '(body)', message: 'send multipart/form-data with one file part' }]);
      const fields: Record<string, string> = {};
      // one byte past the limit reaches ingestBlob, which refuses it (413) before anything is kept; at the limit busboy would cut the file silently
      for await (const part of req.parts({ limits: { fileSize: deps.multipartMaxBytes + 1, files: 1, fields: 10, fieldSize: 20_000 } })) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        const out = await uc.ingestEvidence({ ...deps, maxBytes: deps.multipartMaxBytes }, actorOf(req), part.file, {
          compartment: fields.compartment,
          sourcePerson: fields.sourcePerson,
          source: fields.source,
          note: fields.note,
          filename: part.filename || undefined,
          method: 'upload',
        });
        if (part.file.truncated) throw new ValidationError([{ field: 'file', message: 'the file is larger than the upload limit' }]);
        const { blobName: _b, dataKeyId: _k, storedSize: _s, ...item } = out.item;
        return reply.status(201).send({ item, acquisition: out.acquisition, duplicate: out.duplicate });
      }
      throw new ValidationError([{ field: 'file', message: 'the form has no file part' }]);
    },
  });

  r.get('/api/v1/evidence', {
    config: { policy: 'evidence.read' },
    schema: {
      tags,
      summary: 'List evidence items (originals unless parent is given)',
      querystring: z
        .object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(500).optional(),
          category: z.string().max(40).optional(),
          state: z.enum(['stored', 'processing', 'ready', 'flagged']).optional(),
          parent: z.uuid().optional().describe('Only derivatives of this item'),
        })
        .strict(),
      response: { 200: z.object({ items: z.array(itemView), nextCursor: z.string().nullable() }), ...problemResponses },
    },
    handler: async (req) => uc.listEvidence(deps, actorOf(req), req.query),
  });

  r.get('/api/v1/evidence/:id', {
    config: { policy: 'evidence.read' },
    schema: {
      tags,
      summary: 'An evidence item with acquisitions, derivatives, metadata (if allowed) and links',
      params: z.object({ id: z.uuid() }),
      response: {
        200: itemView.extend({
          acquisitions: z.array(acquisition.extend({ filename: z.string().nullable(), source: z.string().nullable() })),
          derivatives: z.array(itemView),
          metadata: z.unknown().nullable(),
          possibleCopies: z.array(z.object({ id: z.string(), distance: z.number() })).describe('Items that look like copies (perceptual hash distance)'),
          links: z.array(link),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => uc.getEvidence(deps, actorOf(req), req.params.id) as any,
  });

  r.get('/api/v1/evidence/:id/content', {
    config: { policy: 'evidence.download' },
    schema: {
      tags,
      summary: 'The bytes of an item (evidentiary copy or derivative); supports Range. Audited.',
      params: z.object({ id: z.uuid() }),
      headers: z.object({ range: z.string().max(200).optional() }).passthrough(),
      response: { 200: z.any().describe('The bytes'), 206: z.any().describe('The requested range of the bytes'), 416: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      // the size is needed to answer the range: read the item first (visibility checked there too)
      const head = await uc.getEvidenceHead(deps, actor, req.params.id);
      const range = parseRange(req.headers.range, head.size);
      const { item, stream } = await uc.openEvidenceContent(deps, actor, req.params.id, range);
      reply.header('accept-ranges', 'bytes');
      reply.header('content-type', item.mime ?? 'application/octet-stream');
      reply.header('content-disposition', `attachment; filename="${item.sha256.slice(0, 16)}${extensionOf(item.mime)}"`);
      reply.header('x-content-sha256', item.sha256);
      reply.header('cache-control', 'private, no-store');
      if (range) {
        const end = range.end ?? item.size - 1;
        reply.status(206).header('content-range', `bytes ${range.start}-${end}/${item.size}`).header('content-length', String(end - range.start + 1));
      } else reply.header('content-length', String(item.size));
      return reply.send(stream as any);
    },
  });

  r.post('/api/v1/evidence/:id/links', {
    config: { policy: 'evidence.link' },
    schema: {
      tags,
      summary: 'Link an item to a record, with an optional span (time range, image region, page text range)',
      params: z.object({ id: z.uuid() }),
      body: uc.linkInputSchema,
      response: { 201: link, ...problemResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await uc.linkEvidence(deps, actorOf(req), req.params.id, req.body)),
  });

  r.delete('/api/v1/evidence/:id/links/:linkId', {
    config: { policy: 'evidence.link' },
    schema: {
      tags,
      summary: 'Remove a link between an item and a record (e.g. take evidence out of a case)',
      description: 'The item and the record are untouched. The removal is a custody event of the item that keeps what the link said.',
      params: z.object({ id: z.uuid(), linkId: z.uuid() }),
      response: { 204: z.null().describe('Removed'), ...problemResponses },
    },
    handler: async (req, reply) => {
      await uc.unlinkEvidence(deps, actorOf(req), req.params.id, req.params.linkId);
      return reply.status(204).send(null);
    },
  });
}

function extensionOf(mime: string | null): string {
  const map: Record<string, string> = {
    'image/jpeg': '.jpg',
    'image/png': '.png',
    'image/webp': '.webp',
    'video/mp4': '.mp4',
    'video/webm': '.webm',
    'audio/mpeg': '.mp3',
    'application/pdf': '.pdf',
    'text/plain': '.txt',
  };
  return (mime && map[mime]) || '';
}
