import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { can, ROLES, type Actor, type Role } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { AccountLockedError, beginAttempt, clearAttempts, locksAccount, LOCKOUT } from './lockout.js';
import { hashPassword, passwordSchema, spendPasswordCheckTime, verifyPassword } from './passwords.js';
import { findUserRef, LOCALES, nowIso, secondFactorRequired, sha256, toPublic, usernameSchema, type Locale, type PublicUser, type UserRef } from './users.shared.js';
import * as repo from './users.repository.js';

/**
 * Accounts: creating them, passwords (argon2id; changed by their owner, reset by an
 * administrator), disabling and enabling. Sign-in and sessions are in sessions.usecases.ts, API
 * tokens in tokens.usecases.ts, the second factor in totp.usecases.ts; all are re-exported here.
 * Every change is audited in its own transaction.
 */

export { usernameSchema, secondFactorRequired, SECOND_FACTOR_ROLES, LOCALES, type Locale, type PublicUser, type UserRef } from './users.shared.js';
export { passwordSchema } from './passwords.js';
export { AccountLockedError, LOCKOUT } from './lockout.js';
export { signIn, completeSignIn, actorFromSession, sessionDetails, signOut, signOutEverywhere, SESSION_LIMITS, type SignInResult, type SessionAuth } from './sessions.usecases.js';
export {
  createToken,
  createOwnToken,
  authenticateToken,
  actorFromToken,
  listOwnTokens,
  listTokens,
  revokeToken,
  scopeAllows,
  TOKEN_PREFIX,
  TOKEN_SCOPES,
  DEFAULT_TOKEN_SCOPE,
  type TokenScope,
  type TokenInfo,
  type TokenAuth,
} from './tokens.usecases.js';
export { beginTotpEnrolment, confirmTotpEnrolment, resetTotp, totpStep, TOTP_PARAMS, type TotpEnrolment } from './totp.usecases.js';

function checkNewPassword(field: string, password: string, problems: FieldProblem[]): void {
  const p = passwordSchema.safeParse(password);
  if (!p.success) problems.push({ field, message: p.error.issues[0]!.message });
}

/**
 * Creates an account. `by` is the administrator creating it; null or absent: the operator on the
 * command line or the first start.
 */
export async function addUser(
  db: Kysely<any>,
  input: { username: string; role: string; password: string; displayName?: string },
  by: Actor | null = null,
): Promise<PublicUser> {
  const problems: FieldProblem[] = [];
  const u = usernameSchema.safeParse(input.username);
  if (!u.success) problems.push({ field: 'username', message: u.error.issues[0]!.message });
  if (!ROLES.includes(input.role as Role)) problems.push({ field: 'role', message: `must be one of ${ROLES.join(', ')}` });
  checkNewPassword('password', input.password, problems);
  if (problems.length) throw new ValidationError(problems);
  if (await repo.findUserByName(db, input.username)) throw new ConflictError(`a user named "${input.username}" already exists`);
  const row: repo.UserRow = {
    id: uuidv7(),
    username: input.username,
    displayName: input.displayName ?? null,
    role: input.role as Role,
    passwordHash: await hashPassword(input.password),
    createdAt: nowIso(),
    disabledAt: null,
    totpSecret: null,
    totpEnabledAt: null,
    totpLastStep: null,
    passwordChangedAt: null,
    locale: null,
  };
  await inTransaction(db, async (trx) => {
    await repo.insertUser(trx, row);
    await appendAuditEvent(trx, { action: 'account.create', actorId: by?.userId ?? null, targetType: 'user', targetId: row.id, details: { role: row.role } });
  });
  return toPublic(row);
}

/** Creates an account on behalf of an administrator. */
export async function createUser(db: Kysely<any>, actor: Actor, input: { username: string; role: string; password: string; displayName?: string }) {
  if (!can(actor, 'user.manage')) throw new ForbiddenError('only administrators manage accounts');
  return addUser(db, input, actor);
}

export async function listUsers(db: Kysely<any>, actor?: Actor): Promise<PublicUser[]> {
  if (actor && !can(actor, 'user.read')) throw new ForbiddenError('your role may not list accounts');
  return (await repo.listUsers(db)).map(toPublic);
}

/**
 * On the first start only: creates the administrator `admin` with a random password, returned so
 * it can be shown once. Returns null when any account exists.
 */
export async function ensureFirstAdministrator(db: Kysely<any>): Promise<{ username: string; password: string } | null> {
  if ((await repo.countUsers(db)) > 0) return null;
  const password = randomBytes(18).toString('base64url');
  await addUser(db, { username: 'admin', role: 'administrator', password, displayName: 'Administrator' });
  return { username: 'admin', password };
}

export async function whoAmI(db: Kysely<any>, actor: Actor): Promise<PublicUser & { secondFactorRequired: boolean; locale: Locale | null }> {
  const u = await repo.findUserById(db, actor.userId);
  if (!u) throw new UnauthorizedError('your account no longer exists');
  const locale = LOCALES.includes(u.locale as Locale) ? (u.locale as Locale) : null;
  return { ...toPublic(u), secondFactorRequired: await secondFactorRequired(db, actor), locale };
}

/**
 * Sets the caller's language for the web application (null: let the browser decide). A display
 * preference: it grants nothing and reveals nothing, so it is not an audit event.
 */
export async function setOwnLocale(db: Kysely<any>, actor: Actor, locale: string | null): Promise<{ locale: Locale | null }> {
  if (locale !== null && !LOCALES.includes(locale as Locale)) throw new ValidationError([{ field: 'locale', message: `must be one of ${LOCALES.join(', ')}, or null` }]);
  if (!(await repo.setLocale(db, actor.userId, locale))) throw new UnauthorizedError('your account no longer exists');
  return { locale: locale as Locale | null };
}

/**
 * Changes the caller's password, given the current one. Every other session of the account ends;
 * the caller's (if given) stays. A wrong current password counts towards the account's lockout.
 */
export async function changePassword(
  db: Kysely<any>,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  keepSessionId?: string | null,
): Promise<{ sessionsEnded: number }> {
  const problems: FieldProblem[] = [];
  checkNewPassword('newPassword', input.newPassword, problems);
  if (input.newPassword === input.currentPassword) problems.push({ field: 'newPassword', message: 'must differ from the current password' });
  if (problems.length) throw new ValidationError(problems);
  const user = await repo.findUserById(db, actor.userId);
  if (!user || user.disabledAt) throw new UnauthorizedError('your account no longer exists or is disabled');
  const attempt = await beginAttempt(db, user.username);
  if (attempt.locked) {
    await spendPasswordCheckTime(input.currentPassword);
    throw new AccountLockedError(attempt.retryAfterSeconds);
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    if (locksAccount(attempt))
      await appendAuditEvent(db, {
        action: 'auth.lockout',
        actorId: user.id,
        targetType: 'user',
        targetId: user.id,
        details: { failures: LOCKOUT.maxFailures, windowSeconds: LOCKOUT.windowMs / 1000, during: 'password-change' },
      });
    throw new ValidationError([{ field: 'currentPassword', message: 'is not your current password' }]);
  }
  const hash = await hashPassword(input.newPassword);
  return inTransaction(db, async (trx) => {
    const at = nowIso();
    await repo.setPasswordHash(trx, user.id, hash, at);
    const sessionsEnded = await repo.deleteSessionsOf(trx, user.id, keepSessionId ? sha256(keepSessionId) : undefined);
    await repo.deleteChallengesOf(trx, user.id);
    await clearAttempts(trx, user.username);
    await appendAuditEvent(trx, { action: 'account.password-change', actorId: user.id, targetType: 'user', targetId: user.id, details: { sessionsEnded } });
    return { sessionsEnded };
  });
}

/**
 * Sets a new password for an account (a forgotten one, or one feared known to others): its sessions
 * end and its lockout is lifted. `by` null: the operator on the command line.
 */
export async function resetPassword(db: Kysely<any>, by: Actor | null, ref: UserRef, password: string): Promise<{ sessionsEnded: number }> {
  if (by && !can(by, 'user.manage')) throw new ForbiddenError('only administrators reset passwords');
  const problems: FieldProblem[] = [];
  checkNewPassword('password', password, problems);
  if (problems.length) throw new ValidationError(problems);
  const user = await findUserRef(db, ref);
  const hash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    await repo.setPasswordHash(trx, user.id, hash, nowIso());
    const sessionsEnded = await repo.deleteSessionsOf(trx, user.id);
    await repo.deleteChallengesOf(trx, user.id);
    await clearAttempts(trx, user.username);
    await appendAuditEvent(trx, { action: 'account.password-reset', actorId: by?.userId ?? null, targetType: 'user', targetId: user.id, details: { sessionsEnded } });
    return { sessionsEnded };
  });
}

/**
 * Disables an account: it can no longer sign in, its sessions end and its API tokens are revoked
 * (enabling it again does not bring them back). The last active administrator can not be disabled.
 */
export async function disableUser(db: Kysely<any>, by: Actor | null, ref: UserRef): Promise<PublicUser & { sessionsEnded: number; tokensRevoked: number }> {
  if (by && !can(by, 'user.manage')) throw new ForbiddenError('only administrators disable accounts');
  const user = await findUserRef(db, ref);
  if (user.disabledAt) throw new ConflictError(`"${user.username}" is already disabled (since ${user.disabledAt})`);
  return inTransaction(db, async (trx) => {
    const at = nowIso();
    if (!(await repo.setDisabled(trx, user.id, at))) throw new ConflictError(`"${user.username}" is already disabled`);
    if (user.role === 'administrator' && (await repo.countActiveAdministrators(trx)) === 0)
      throw new ConflictError(`"${user.username}" is the last active administrator: make or enable another administrator first`);
    const sessionsEnded = await repo.deleteSessionsOf(trx, user.id);
    await repo.deleteChallengesOf(trx, user.id);
    const tokensRevoked = await repo.revokeTokensOf(trx, user.id, at);
    await appendAuditEvent(trx, { action: 'account.disable', actorId: by?.userId ?? null, targetType: 'user', targetId: user.id, details: { sessionsEnded, tokensRevoked } });
    return { ...toPublic({ ...user, disabledAt: at }), sessionsEnded, tokensRevoked };
  });
}

/** Enables a disabled account again (with the password it had; its old tokens stay revoked). */
export async function enableUser(db: Kysely<any>, by: Actor | null, ref: UserRef): Promise<PublicUser> {
  if (by && !can(by, 'user.manage')) throw new ForbiddenError('only administrators enable accounts');
  const user = await findUserRef(db, ref);
  if (!user.disabledAt) throw new ConflictError(`"${user.username}" is not disabled`);
  await inTransaction(db, async (trx) => {
    if (!(await repo.setDisabled(trx, user.id, null))) throw new ConflictError(`"${user.username}" is not disabled`);
    await appendAuditEvent(trx, { action: 'account.enable', actorId: by?.userId ?? null, targetType: 'user', targetId: user.id });
  });
  return toPublic({ ...user, disabledAt: null });
}
