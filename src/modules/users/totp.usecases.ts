import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { can, type Actor } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from '../../domain/errors.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { findUserRef, nowIso, sha256, type UserRef } from './users.shared.js';
import * as repo from './users.repository.js';
import { openTotpSecret, sealTotpSecret, type TotpDeps } from './totp-secret.js';

/**
 * The TOTP second factor (RFC 6238): SHA-1, 6 digits, 30-second steps, the parameters every
 * authenticator app understands. A code is accepted one step early or late (clock drift) and only
 * once: the last step used is kept and a code of that step or an earlier one is refused.
 *
 * The secret is kept encrypted under the vault (totp-secret.ts); checking or enrolling a code
 * needs the vault unsealed.
 */
export const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const DEFAULT_TOTP_ISSUER = 'Letapis';

const totpFor = (secretBase32: string, issuer = DEFAULT_TOTP_ISSUER, label = 'account') =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(secretBase32), ...TOTP_PARAMS });

/**
 * The time step a code belongs to if it is valid now (the current step, or one either side), else
 * null. Spaces in the code are ignored.
 */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpFor(secretBase32);
  const delta = totp.validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  return totp.counter({ timestamp: now }) + delta;
}

export interface TotpEnrolment {
  /** The shared secret in base32, for typing into an app by hand. Shown once. */
  secret: string;
  /** otpauth:// URI (for a QR code). Shown once. */
  uri: string;
  algorithm: string;
  digits: number;
  period: number;
}

/**
 * Starts enrolment: makes a new secret and returns it once. The factor is on only after
 * `confirmTotpEnrolment` with a code from it. Starting again replaces an unconfirmed secret.
 *
 * `issuer` and `label` are what the authenticator app shows; someone whose phone may be searched
 * can choose names that do not point to Letapis or to themselves.
 */
export async function beginTotpEnrolment(deps: TotpDeps, actor: Actor, opts: { issuer?: string; label?: string } = {}): Promise<TotpEnrolment> {
  const { db, vault } = deps;
  const user = await repo.findUserById(db, actor.userId);
  if (!user) throw new UnauthorizedError('your account no longer exists');
  if (user.totpEnabledAt)
    throw new ConflictError('your account already has a second factor; to replace it, ask an administrator to reset it (letapis user totp-reset NAME)');
  const secret = new Secret({ size: 20 }).base32;
  const sealed = await sealTotpSecret(db, vault, user.id, secret);
  if (!(await repo.setPendingTotp(db, user.id, sealed))) throw new ConflictError('your account already has a second factor');
  const issuer = opts.issuer ?? DEFAULT_TOTP_ISSUER;
  const label = opts.label ?? user.username;
  return { secret, uri: totpFor(secret, issuer, label).toString(), ...TOTP_PARAMS };
}

/**
 * Turns the second factor on with a code from the new secret. Other sessions of the account end
 * (they were opened with the password alone); the caller's session, if given, stays.
 */
export async function confirmTotpEnrolment(
  deps: TotpDeps,
  actor: Actor,
  code: string,
  keepSessionId?: string | null,
): Promise<{ enabled: true; sessionsEnded: number }> {
  const { db, vault } = deps;
  const user = await repo.findUserById(db, actor.userId);
  if (!user) throw new UnauthorizedError('your account no longer exists');
  if (user.totpEnabledAt) throw new ConflictError('your account already has a second factor');
  if (!user.totpSecret) throw new ConflictError('start enrolment first: POST /api/v1/account/totp gives you the secret');
  const step = totpStep(await openTotpSecret(db, vault, user.id, user.totpSecret), code);
  if (step === null)
    throw new ValidationError([{ field: 'code', message: 'is not the current code of the new secret (check the time on your device)' }], 'code: is not the current code of the new secret');
  const secret = user.totpSecret;
  return inTransaction(db, async (trx) => {
    if (!(await repo.enableTotp(trx, user.id, secret, nowIso(), step)))
      throw new ConflictError('the enrolment changed meanwhile (started again elsewhere?): start it again');
    const sessionsEnded = await repo.deleteSessionsOf(trx, user.id, keepSessionId ? sha256(keepSessionId) : undefined);
    await repo.deleteChallengesOf(trx, user.id);
    await appendAuditEvent(trx, { action: 'totp.enrol', actorId: user.id, targetType: 'user', targetId: user.id, details: { sessionsEnded } });
    return { enabled: true as const, sessionsEnded };
  });
}

/**
 * Removes an account's second factor (a lost phone) and ends its sessions. The account must enrol
 * again at its next sign-in if its role requires one. `by` null: the operator on the command line.
 */
export async function resetTotp(db: Kysely<any>, by: Actor | null, ref: UserRef): Promise<{ sessionsEnded: number }> {
  if (by && !can(by, 'user.manage')) throw new ForbiddenError('only administrators reset second factors');
  const user = await findUserRef(db, ref);
  if (!user.totpSecret) throw new ConflictError(`"${user.username}" has no second factor to reset`);
  return inTransaction(db, async (trx) => {
    if (!(await repo.clearTotp(trx, user.id))) throw new ConflictError(`"${user.username}" has no second factor to reset`);
    const sessionsEnded = await repo.deleteSessionsOf(trx, user.id);
    await repo.deleteChallengesOf(trx, user.id);
    await appendAuditEvent(trx, {
      action: 'totp.reset',
      actorId: by?.userId ?? null,
      targetType: 'user',
      targetId: user.id,
      details: { sessionsEnded, wasEnabled: Boolean(user.totpEnabledAt) },
    });
    return { sessionsEnded };
  });
}
