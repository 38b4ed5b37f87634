import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import { auditQuerySchema, listAuditEvents } from './audit.usecases.js';

const auditEvent = z.object({
  id: z.string().describe('uuidv7: sorts by time'),
  at: z.string(),
  action: z.string().describe('e.g. auth.sign-in, auth.sign-in-failed, auth.lockout, token.create, account.disable'),
  actorId: z.string().nullable().describe('Who acted; null for the operator on the command line, the system, or someone not signed in'),
  actorUsername: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  reason: z.string().nullable().describe('The reason the actor stated, where one is required'),
  details: z.record(z.string(), z.unknown()).nullable(),
});

/** The audit log for administrators. */
export function registerAuditRoutes(app: FastifyInstance, db: Kysely<any>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/audit', {
    config: { policy: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'The audit log (administrators)',
      description:
        'Newest first. Filter by action (exact, or a prefix such as `auth.*`), actor, target and time; `nextCursor` pages on. Never holds IP addresses or secrets. With an API token, it needs the `admin` scope.',
      querystring: auditQuerySchema,
      response: { 200: z.object({ items: z.array(auditEvent), nextCursor: z.string().nullable() }), ...problemResponses },
    },
    handler: async (req) => listAuditEvents(db, actorOf(req), req.query),
  });
}
