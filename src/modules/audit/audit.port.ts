import type { Kysely } from 'kysely';

/**
 * Audit events: sign-ins and their failures, permission changes, identity reveals, downloads,
 * exports. Stored in `audit_events` and appended to the custody ledger (tamper-evident) in the same
 * transaction as the action. Never holds an IP address or a secret.
 */
export interface AuditEventInput {
  /** e.g. `auth.sign-in`, `auth.sign-in-failed`, `identity.reveal`, `membership.grant`. */
  action: string;
  actorId: string | null;
  targetType?: string;
  targetId?: string;
  /** The reason the actor stated (reveals, exports). */
  reason?: string;
  details?: Record<string, unknown>;
}

export type AppendAuditEvent = (db: Kysely<any>, event: AuditEventInput) => Promise<void>;
