import type { Kysely } from 'kysely';
import { z } from 'zod';
import { can, type Actor } from '../../domain/policies.js';
import { ForbiddenError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import { queryAuditEvents, type AuditEventRow } from './audit.repository.js';

export { appendAuditEvent } from './audit.repository.js';
export type { AuditEventRow } from './audit.repository.js';

/** Filters of the audit listing, as the API and the CLI take them. */
export const auditQuerySchema = z
  .object({
    action: z
      .string()
      .regex(/^[a-z][a-z0-9.-]*(\.\*)?$/, 'an action such as "auth.sign-in", or a prefix such as "auth.*"')
      .max(100)
      .optional()
      .describe('Exact action (`auth.sign-in`) or a prefix (`auth.*`)'),
    actor: z.string().min(1).max(100).optional().describe('Id or user name of the account that acted'),
    targetType: z.string().min(1).max(50).optional().describe('e.g. `user`, `api_token`'),
    targetId: z.string().min(1).max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this time (ISO 8601)'),
    to: z.iso.datetime({ offset: true }).optional().describe('Events before this time (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(500).optional().describe('Page size (default 50, at most 500)'),
    cursor: z
      .string()
      .regex(/^[0-9a-f-]{36}$/, 'must be the nextCursor of the previous page')
      .optional()
      .describe('`nextCursor` of the previous page'),
  })
  .strict();
export type AuditQueryInput = z.infer<typeof auditQuerySchema>;

export interface AuditPage {
  items: AuditEventRow[];
  nextCursor: string | null;
}

/**
 * The audit log, newest first, for administrators. `nextCursor` pages on (events are ordered by
 * their time-sortable ids, so a page never repeats or skips an event written meanwhile).
 */
export async function listAuditEvents(db: Kysely<any>, actor: Actor | null, input: AuditQueryInput): Promise<AuditPage> {
  if (actor && !can(actor, 'audit.read')) throw new ForbiddenError('only administrators read the audit log');
  const parsed = auditQuerySchema.safeParse(input);
  if (!parsed.success) {
    const problems: FieldProblem[] = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message }));
    throw new ValidationError(problems);
  }
  const q = parsed.data;
  let actorId: string | undefined;
  if (q.actor) {
    const u = await db.selectFrom('users').select('id').where((eb) => eb.or([eb('id', '=', q.actor!), eb('username', '=', q.actor!)])).executeTakeFirst();
    if (!u) return { items: [], nextCursor: null };
    actorId = u.id as string;
  }
  const limit = q.limit ?? 50;
  const toIso = (s: string | undefined) => (s ? new Date(s).toISOString() : undefined);
  const rows = await queryAuditEvents(db, {
    action: q.action,
    actorId,
    targetType: q.targetType,
    targetId: q.targetId,
    from: toIso(q.from),
    to: toIso(q.to),
    before: q.cursor,
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? items[items.length - 1]!.id : null };
}
