import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { AppendAuditEvent, AuditEventInput } from './audit.port.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { appendLedgerEvents } from '../ledger/ledger.repository.js';

/**
 * The audit log in `audit_events`. Each event gets a uuidv7 id, so ids sort by time and the
 * custody ledger chains them in order: each event is also appended to the ledger (a leaf of its
 * Merkle tree) in the same transaction. Pass the transaction of the action as `db`, so the event is
 * written if and only if the action is.
 */

/** Keys that must never appear in an event's details: secrets and network addresses. */
const FORBIDDEN_DETAIL_KEYS = new Set([
  'password',
  'currentpassword',
  'newpassword',
  'passwordhash',
  'secret',
  'totpsecret',
  'totpcode',
  'otp',
  'token',
  'sessionid',
  'csrftoken',
  'pendingtoken',
  'ip',
  'ipaddress',
  'remoteaddress',
  'useragent',
]);

function assertNothingSecret(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_DETAIL_KEYS.has(k.toLowerCase().replace(/[^a-z]/g, '')))
      throw new Error(`audit event details must not hold "${path}${k}": never store secrets or addresses in the audit log`);
    assertNothingSecret(v, `${path}${k}.`);
  }
}

export const appendAuditEvent: AppendAuditEvent = async (db: Kysely<any>, event: AuditEventInput): Promise<void> => {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(event.action)) throw new Error(`audit action "${event.action}" must look like "area.verb"`);
  if (event.details) assertNothingSecret(event.details, '');
  // the details as stored (JSON drops undefined members), so the ledger hashes exactly what the row holds
  const detailsJson = event.details ? JSON.stringify(event.details) : null;
  const row = {
    id: uuidv7(),
    at: new Date().toISOString(),
    action: event.action,
    actor_id: event.actorId,
    target_type: event.targetType ?? null,
    target_id: event.targetId ?? null,
    reason: event.reason ?? null,
    details: detailsJson,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto('audit_events').values(row).execute();
    await appendLedgerEvents(trx, [
      {
        id: row.id,
        at: row.at,
        action: row.action,
        actor: row.actor_id,
        target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
        reason: row.reason,
        details: detailsJson ? (JSON.parse(detailsJson) as Record<string, unknown>) : null,
      },
    ]);
  });
};

export interface AuditEventRow {
  id: string;
  at: string;
  action: string;
  actorId: string | null;
  actorUsername: string | null;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditQuery {
  /** Exact action, or a prefix ending in `.*` (e.g. `auth.*`). */
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  /** ISO timestamps, inclusive `from`, exclusive `to`. */
  from?: string;
  to?: string;
  /** Only events with an id below this one (the previous page's last id). */
  before?: string;
  limit: number;
}

/** Events newest first; one more than `limit` is read to know whether another page follows. */
export async function queryAuditEvents(db: Kysely<any>, q: AuditQuery): Promise<AuditEventRow[]> {
  let s = db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.action', 'a.actor_id', 'u.username as actor_username', 'a.target_type', 'a.target_id', 'a.reason', 'a.details']);
  if (q.action?.endsWith('.*')) s = s.where('a.action', 'like', `${q.action.slice(0, -1)}%`);
  else if (q.action) s = s.where('a.action', '=', q.action);
  if (q.actorId) s = s.where('a.actor_id', '=', q.actorId);
  if (q.targetType) s = s.where('a.target_type', '=', q.targetType);
  if (q.targetId) s = s.where('a.target_id', '=', q.targetId);
  if (q.from) s = s.where('a.at', '>=', q.from);
  if (q.to) s = s.where('a.at', '<', q.to);
  if (q.before) s = s.where('a.id', '<', q.before);
  const rows = await s.orderBy('a.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    actorId: r.actor_id ?? null,
    actorUsername: r.actor_username ?? null,
    targetType: r.target_type ?? null,
    targetId: r.target_id ?? null,
    reason: r.reason ?? null,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
}
