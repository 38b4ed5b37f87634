import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/policies.js';
import { UnauthorizedError } from '../../domain/errors.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { AccountLockedError, beginAttempt, clearAttempts, forgiveAttempt, locksAccount, LOCKOUT, type Attempt } from './lockout.js';
import { spendPasswordCheckTime, verifyPassword } from './passwords.js';
import { totpStep } from './totp.usecases.js';
import { nowIso, secondFactorRequired, sha256, toPublic, type PublicUser } from './users.shared.js';
import * as repo from './users.repository.js';
import { openTotpSecret, type TotpDeps } from './totp-secret.js';

/**
 * Signing in (password, then a TOTP code when the account has one), browser sessions with idle
 * and absolute expiry, signing out here or everywhere.
 */

export const SESSION_LIMITS = {
  /** A session unused this long ends. */
  idleMinutes: 30,
  /** A session ends this long after sign-in, used or not. */
  absoluteHours: 12,
  /** How often a session's last use is written (not on every request). */
  touchEverySeconds: 60,
  /** How long a right password waits for its second factor. */
  pendingMinutes: 5,
} as const;

const WRONG_CREDENTIALS = 'wrong user name or password';
const PENDING_GONE = 'this sign-in is unknown or has expired: sign in with your password again';

export type SignInResult =
  | { status: 'signed-in'; sessionId: string; csrfToken: string; user: PublicUser; expiresAt: string; enrolmentRequired: boolean }
  | { status: 'second-factor-required'; pendingToken: string; expiresAt: string };

type FailureReason = 'unknown-user' | 'wrong-password' | 'disabled' | 'locked' | 'wrong-code' | 'code-reused';

/** Writes the failure (and, when this failure locks the account, the lockout) to the audit log. */
async function recordFailure(db: Kysely<any>, user: repo.UserRow | undefined, reason: FailureReason, attempt: Attempt | null, step: 'password' | 'second-factor') {
  await inTransaction(db, async (trx) => {
    const target = user ? { targetType: 'user', targetId: user.id } : {};
    await appendAuditEvent(trx, { action: 'auth.sign-in-failed', actorId: null, ...target, details: { reason, step } });
    if (user && attempt && !attempt.locked && locksAccount(attempt))
      await appendAuditEvent(trx, {
        action: 'auth.lockout',
        actorId: null,
        ...target,
        details: { failures: LOCKOUT.maxFailures, windowSeconds: LOCKOUT.windowMs / 1000 },
      });
  });
}

/**
 * Checks a user name and password. Opens a session, or, when the account has a second factor,
 * returns a short-lived pending token to be completed with `completeSignIn`.
 *
 * An unknown name, a wrong password and a disabled account get the same answer after the same
 * work; a locked account is refused without its password being checked (the same time is spent
 * on a dummy hash).
 */
export async function signIn(db: Kysely<any>, username: string, password: string): Promise<SignInResult> {
  const user = await repo.findUserByName(db, username);
  const attempt = await beginAttempt(db, username);
  if (attempt.locked) {
    await spendPasswordCheckTime(password);
    await recordFailure(db, user, 'locked', attempt, 'password');
    throw new AccountLockedError(attempt.retryAfterSeconds);
  }
  let ok = false;
  if (user) ok = await verifyPassword(user.passwordHash, password);
  else await spendPasswordCheckTime(password);
  if (!user || !ok || user.disabledAt) {
    await recordFailure(db, user, !user ? 'unknown-user' : !ok ? 'wrong-password' : 'disabled', attempt, 'password');
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }
  if (user.totpEnabledAt) {
    const pendingToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_LIMITS.pendingMinutes * 60_000).toISOString();
    await inTransaction(db, async (trx) => {
      await forgiveAttempt(trx, attempt);
      await repo.deleteChallengesOf(trx, user.id, nowIso());
      await repo.insertChallenge(trx, { idHash: sha256(pendingToken), userId: user.id, createdAt: nowIso(), expiresAt });
    });
    return { status: 'second-factor-required', pendingToken, expiresAt };
  }
  return inTransaction(db, (trx) => openSession(trx, user, 'password'));
}

/** The second step: a pending token from `signIn` and the current code of the account's authenticator. */
export async function completeSignIn(deps: TotpDeps, pendingToken: string, code: string): Promise<SignInResult & { status: 'signed-in' }> {
  const { db, vault } = deps;
  const idHash = sha256(pendingToken);
  const pending = pendingToken.length <= 200 ? await repo.findChallenge(db, idHash) : undefined;
  if (!pending || pending.expiresAt <= nowIso()) {
    if (pending) await repo.deleteChallenge(db, idHash);
    throw new UnauthorizedError(PENDING_GONE);
  }
  const user = await repo.findUserById(db, pending.userId);
  if (!user || user.disabledAt || !user.totpEnabledAt || !user.totpSecret) {
    await repo.deleteChallenge(db, idHash);
    throw new UnauthorizedError(PENDING_GONE);
  }
  const attempt = await beginAttempt(db, user.username);
  if (attempt.locked) {
    await repo.deleteChallenge(db, idHash);
    await recordFailure(db, user, 'locked', attempt, 'second-factor');
    throw new AccountLockedError(attempt.retryAfterSeconds);
  }
  const step = totpStep(await openTotpSecret(db, vault, user.id, user.totpSecret), code);
  if (step === null) {
    await recordFailure(db, user, 'wrong-code', attempt, 'second-factor');
    throw new UnauthorizedError('the code is wrong or has expired: enter the code your authenticator app shows now');
  }
  const secret = user.totpSecret;
  const outcome = await inTransaction(db, async (trx) => {
    // the step is claimed atomically: the same code is accepted once, even by two processes at once
    if (!(await repo.claimTotpStep(trx, user.id, step))) return null;
    // the pending sign-in is used once; if another request used it meanwhile, undo the claim
    if (!(await repo.deleteChallenge(trx, idHash))) throw new UnauthorizedError(PENDING_GONE);
    const fresh = await repo.findUserById(trx, user.id);
    if (!fresh || fresh.disabledAt || fresh.totpSecret !== secret) throw new UnauthorizedError(PENDING_GONE);
    return openSession(trx, fresh, 'password+totp');
  });
  if (!outcome) {
    await recordFailure(db, user, 'code-reused', attempt, 'second-factor');
    throw new UnauthorizedError('this code has already been used: wait for the next code and enter that one');
  }
  return outcome;
}

/** Opens a session in the caller's transaction and audits the sign-in. */
async function openSession(trx: Kysely<any>, user: repo.UserRow, method: 'password' | 'password+totp'): Promise<SignInResult & { status: 'signed-in' }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = Date.now();
  const at = new Date(now).toISOString();
  const expiresAt = new Date(now + SESSION_LIMITS.absoluteHours * 3_600_000).toISOString();
  const enrolmentRequired = !user.totpEnabledAt && (await secondFactorRequired(trx, { userId: user.id, username: user.username, role: user.role }));
  await clearAttempts(trx, user.username);
  await repo.deleteExpiredSessionsOf(trx, user.id, at, new Date(now - SESSION_LIMITS.idleMinutes * 60_000).toISOString());
  await repo.insertSession(trx, { idHash: sha256(sessionId), userId: user.id, csrfToken, createdAt: at, expiresAt });
  await appendAuditEvent(trx, {
    action: 'auth.sign-in',
    actorId: user.id,
    targetType: 'user',
    targetId: user.id,
    details: { method, ...(enrolmentRequired ? { enrolmentRequired: true } : {}) },
  });
  return { status: 'signed-in', sessionId, csrfToken, user: toPublic(user), expiresAt, enrolmentRequired };
}

export interface SessionAuth {
  actor: Actor;
  csrfToken: string;
  /** The account must use a second factor and has none yet: the session may only enrol one. */
  enrolmentRequired: boolean;
  expiresAt: string;
}

/** The account a session cookie stands for, or null when the session is unknown, idle too long or expired. */
export async function actorFromSession(db: Kysely<any>, sessionId: string): Promise<SessionAuth | null> {
  if (sessionId.length > 200) return null;
  const idHash = sha256(sessionId);
  const s = await repo.findSessionUser(db, idHash);
  if (!s) return null;
  const now = Date.now();
  const lastSeen = Date.parse(s.lastSeenAt);
  if (s.disabled || Date.parse(s.expiresAt) <= now || lastSeen + SESSION_LIMITS.idleMinutes * 60_000 <= now) {
    await repo.deleteSession(db, idHash);
    return null;
  }
  if (lastSeen + SESSION_LIMITS.touchEverySeconds * 1000 <= now) await repo.touchSession(db, idHash, new Date(now).toISOString());
  const actor: Actor = { userId: s.userId, username: s.username, role: s.role };
  // checked on every request: a membership that allows revealing identities restricts at once
  const enrolmentRequired = !s.totpEnabled && (await secondFactorRequired(db, actor));
  return { actor, csrfToken: s.csrfToken, enrolmentRequired, expiresAt: s.expiresAt };
}

/**
 * The CSRF token and end of a session already authenticated by the request hook, so that a browser that
 * reloads the page can make changes again without signing in anew (same-origin script only can
 * read it: the answer is JSON to a GET, and the cookie is SameSite=Strict).
 */
export async function sessionDetails(db: Kysely<any>, sessionId: string): Promise<{ csrfToken: string; expiresAt: string } | null> {
  const s = await repo.findSessionUser(db, sha256(sessionId));
  return s ? { csrfToken: s.csrfToken, expiresAt: s.expiresAt } : null;
}

export async function signOut(db: Kysely<any>, sessionId: string): Promise<void> {
  await repo.deleteSession(db, sha256(sessionId));
}

/** Ends every session of the caller and, if asked, revokes every API token of theirs. */
export async function signOutEverywhere(
  db: Kysely<any>,
  actor: Actor,
  opts: { revokeTokens?: boolean } = {},
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  return inTransaction(db, async (trx) => {
    const sessionsEnded = await repo.deleteSessionsOf(trx, actor.userId);
    await repo.deleteChallengesOf(trx, actor.userId);
    const tokensRevoked = opts.revokeTokens ? await repo.revokeTokensOf(trx, actor.userId, nowIso()) : 0;
    await appendAuditEvent(trx, {
      action: 'auth.sign-out-everywhere',
      actorId: actor.userId,
      targetType: 'user',
      targetId: actor.userId,
      details: { sessionsEnded, tokensRevoked },
    });
    return { sessionsEnded, tokensRevoked };
  });
}
