import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../domain/records/fields.js';
import { recordType } from '../../domain/records/catalog.js';
import { can, type Actor } from '../../domain/policies.js';
import { NotFoundError } from '../../domain/errors.js';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import * as repo from './records.repository.js';
import type { Db } from './records.repository.js';

/**
 * The evidence linked to one record, for the record's page: each item the caller may read (its
 * compartment's `evidence.read`), with its hash, size and type and the link's note and span.
 * A record the caller cannot read is answered 404 like one that does not exist. File names and
 * metadata stay on the item's own page (GET /api/v1/evidence/{id}), where they are audited.
 */
export interface LinkedEvidenceItem {
  linkId: string;
  id: string;
  sha256: string;
  size: number;
  mime: string | null;
  category: string | null;
  state: string;
  note: string | null;
  span: unknown;
  linkedAt: string;
}

export async function linkedEvidence(db: Db, actor: Actor, type: RecordTypeName, id: string): Promise<LinkedEvidenceItem[]> {
  const subject = await subjectOf(db, actor);
  const def = recordType(type);
  const row = await repo.findRow(db, def, id);
  if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) throw new NotFoundError(`no ${def.singular} has id ${id}`);
  const rows = await db
    .selectFrom('evidence_links as l')
    .innerJoin('evidence_items as i', 'i.id', 'l.item_id')
    .select(['l.id as link_id', 'l.note', 'l.span', 'l.created_at', 'i.id', 'i.compartment_id', 'i.sha256', 'i.size', 'i.mime', 'i.category', 'i.state'])
    .where('l.target_type', '=', type)
    .where('l.target_id', '=', id)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .limit(1000)
    .execute();
  return rows
    .filter((r: any) => can(subject, 'evidence.read', { compartmentId: r.compartment_id }))
    .map((r: any) => ({
      linkId: r.link_id,
      id: r.id,
      sha256: r.sha256,
      size: Number(r.size),
      mime: r.mime ?? null,
      category: r.category ?? null,
      state: r.state,
      note: r.note ?? null,
      span: r.span ? JSON.parse(r.span) : null,
      linkedAt: r.created_at,
    }));
}

export function registerLinkedEvidenceRoute(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/linked-evidence', {
    config: { policy: 'evidence.read' },
    schema: {
      tags: ['evidence'],
      summary: 'Evidence items linked to a record (those you may read)',
      querystring: z.object({ type: z.enum(RECORD_TYPE_NAMES), id: z.uuid() }).strict(),
      response: {
        200: z.object({
          items: z.array(
            z.object({
              linkId: z.string(),
              id: z.string(),
              sha256: z.string(),
              size: z.number(),
              mime: z.string().nullable(),
              category: z.string().nullable(),
              state: z.string(),
              note: z.string().nullable(),
              span: z.unknown().nullable(),
              linkedAt: z.string(),
            }),
          ),
        }),
        ...problemResponses,
      },
    },
    handler: async (req) => ({ items: await linkedEvidence(db, actorOf(req), req.query.type, req.query.id) }),
  });
}
