import type { Kysely } from 'kysely';
import type { Role } from '../../domain/policies.js';

/** Accounts, API tokens, browser sessions, pending sign-ins and the sign-in failure counter. */

export type TokenScope = 'read' | 'write' | 'admin';

export interface UserRow {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
  totpSecret: string | null;
  totpEnabledAt: string | null;
  totpLastStep: number | null;
  passwordChangedAt: string | null;
  /** The web application's language chosen by the account (null: not chosen). */
  locale: string | null;
}

const toUser = (r: Record<string, any>): UserRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name ?? null,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  disabledAt: r.disabled_at ?? null,
  totpSecret: r.totp_secret ?? null,
  totpEnabledAt: r.totp_enabled_at ?? null,
  totpLastStep: r.totp_last_step === null || r.totp_last_step === undefined ? null : Number(r.totp_last_step),
  passwordChangedAt: r.password_changed_at ?? null,
  locale: r.locale ?? null,
});

const n = (x: bigint | number | undefined) => Number(x ?? 0);

// ---------------------------------------------------------------------------------------- users

export async function countUsers(db: Kysely<any>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countActiveAdministrators(db: Kysely<any>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'administrator')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertUser(db: Kysely<any>, u: Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'passwordHash' | 'createdAt'>): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      password_hash: u.passwordHash,
      created_at: u.createdAt,
      disabled_at: null,
    })
    .execute();
}

export async function findUserByName(db: Kysely<any>, username: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function findUserById(db: Kysely<any>, id: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function listUsers(db: Kysely<any>): Promise<UserRow[]> {
  return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
}

export async function setPasswordHash(db: Kysely<any>, userId: string, hash: string, at: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, password_changed_at: at }).where('id', '=', userId).execute();
}

/** Sets or clears `disabled_at`; returns false when the account already was in that state. */
export async function setDisabled(db: Kysely<any>, userId: string, at: string | null): Promise<boolean> {
  const q = db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId);
  const r = await (at ? q.where('disabled_at', 'is', null) : q.where('disabled_at', 'is not', null)).executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/** Sets (or clears, with null) the account's language; false when no such account. */
export async function setLocale(db: Kysely<any>, userId: string, locale: string | null): Promise<boolean> {
  const r = await db.updateTable('users').set({ locale }).where('id', '=', userId).executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

// ----------------------------------------------------------------------------------------- TOTP

/** Stores a new, not yet confirmed secret (replacing an unconfirmed one). */
export async function setPendingTotp(db: Kysely<any>, userId: string, secret: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_secret: secret, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/** Turns the pending secret on, if it is still the one the code was checked against. */
export async function enableTotp(db: Kysely<any>, userId: string, secret: string, at: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_enabled_at: at, totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_secret', '=', secret)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

export async function clearTotp(db: Kysely<any>, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_secret', 'is not', null)
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/**
 * Claims a TOTP time step for a user: true only for the first claim of a step later than every
 * step used before, atomically, so a code is accepted once even by several processes at once.
 */
export async function claimTotpStep(db: Kysely<any>, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

// --------------------------------------------------------------------------------------- tokens

export interface TokenRow {
  id: string;
  userId: string;
  username: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toToken = (r: Record<string, any>): TokenRow => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  name: r.name,
  scope: r.scope,
  createdAt: r.created_at,
  expiresAt: r.expires_at ?? null,
  lastUsedAt: r.last_used_at ?? null,
  revokedAt: r.revoked_at ?? null,
});

export async function insertToken(
  db: Kysely<any>,
  t: { id: string; userId: string; name: string; scope: TokenScope; tokenHash: string; createdAt: string; expiresAt: string | null },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ id: t.id, user_id: t.userId, name: t.name, scope: t.scope, token_hash: t.tokenHash, created_at: t.createdAt, expires_at: t.expiresAt })
    .execute();
}

const tokenColumns = ['t.id', 't.user_id', 'u.username', 't.name', 't.scope', 't.created_at', 't.expires_at', 't.last_used_at', 't.revoked_at'] as const;

/** Tokens of one user (or every user's), newest first. */
export async function listTokens(db: Kysely<any>, userId?: string): Promise<TokenRow[]> {
  let q = db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').select([...tokenColumns]);
  if (userId) q = q.where('t.user_id', '=', userId);
  return (await q.orderBy('t.id', 'desc').execute()).map(toToken);
}

export async function findToken(db: Kysely<any>, id: string): Promise<TokenRow | undefined> {
  const r = await db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').select([...tokenColumns]).where('t.id', '=', id).executeTakeFirst();
  return r ? toToken(r) : undefined;
}

/** Revokes one live token; false when it was already revoked. */
export async function revokeToken(db: Kysely<any>, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/** Revokes every live token of a user; returns how many. */
export async function revokeTokensOf(db: Kysely<any>, userId: string, at: string): Promise<number> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return n(r.numUpdatedRows);
}

/** The live token with this hash and its user, or undefined. */
export async function findTokenUser(db: Kysely<any>, tokenHash: string, now: string) {
  const r = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.scope', 't.expires_at', 't.revoked_at', 'u.id', 'u.username', 'u.role', 'u.disabled_at'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!r || r.revoked_at || r.disabled_at || (r.expires_at && r.expires_at <= now)) return undefined;
  return { tokenId: r.token_id as string, scope: r.scope as TokenScope, userId: r.id as string, username: r.username as string, role: r.role as Role };
}

export async function touchToken(db: Kysely<any>, tokenId: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

// ------------------------------------------------------------------------------------- sessions

export async function insertSession(
  db: Kysely<any>,
  s: { idHash: string; userId: string; csrfToken: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt, last_seen_at: s.createdAt })
    .execute();
}

export interface SessionUser {
  userId: string;
  username: string;
  role: Role;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  disabled: boolean;
  totpEnabled: boolean;
}

export async function findSessionUser(db: Kysely<any>, idHash: string): Promise<SessionUser | undefined> {
  const r = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.created_at', 's.expires_at', 's.last_seen_at', 'u.id', 'u.username', 'u.role', 'u.disabled_at', 'u.totp_enabled_at'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    userId: r.id,
    username: r.username,
    role: r.role,
    csrfToken: r.csrf_token,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastSeenAt: r.last_seen_at ?? r.created_at,
    disabled: Boolean(r.disabled_at),
    totpEnabled: Boolean(r.totp_enabled_at),
  };
}

export async function touchSession(db: Kysely<any>, idHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Kysely<any>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user but the one kept (if any); returns how many ended. */
export async function deleteSessionsOf(db: Kysely<any>, userId: string, keepIdHash?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepIdHash) q = q.where('id_hash', '!=', keepIdHash);
  return n((await q.executeTakeFirst()).numDeletedRows);
}

export async function deleteExpiredSessionsOf(db: Kysely<any>, userId: string, now: string, idleSince: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .execute();
}

// ------------------------------------------------------------------------- pending sign-ins (2FA)

export async function insertChallenge(db: Kysely<any>, c: { idHash: string; userId: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db.insertInto('sign_in_challenges').values({ id_hash: c.idHash, user_id: c.userId, created_at: c.createdAt, expires_at: c.expiresAt }).execute();
}

export async function findChallenge(db: Kysely<any>, idHash: string): Promise<{ userId: string; expiresAt: string } | undefined> {
  const r = await db.selectFrom('sign_in_challenges').select(['user_id', 'expires_at']).where('id_hash', '=', idHash).executeTakeFirst();
  return r ? { userId: r.user_id, expiresAt: r.expires_at } : undefined;
}

/** Deletes a pending sign-in; true for the one caller that removed it. */
export async function deleteChallenge(db: Kysely<any>, idHash: string): Promise<boolean> {
  const r = await db.deleteFrom('sign_in_challenges').where('id_hash', '=', idHash).executeTakeFirst();
  return n(r.numDeletedRows) === 1;
}

export async function deleteChallengesOf(db: Kysely<any>, userId: string, now?: string): Promise<void> {
  let q = db.deleteFrom('sign_in_challenges').where('user_id', '=', userId);
  if (now) q = q.where('expires_at', '<=', now);
  await q.execute();
}

// ---------------------------------------------------------------------- sign-in failure counter

export async function pruneFailures(db: Kysely<any>, before: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('at', '<=', before).execute();
}

export async function insertFailure(db: Kysely<any>, f: { id: string; subject: string; at: string }): Promise<void> {
  await db.insertInto('sign_in_failures').values(f).execute();
}

/** Times of a subject's failures after `since`, newest first. */
export async function failureTimes(db: Kysely<any>, subject: string, since: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('sign_in_failures')
    .select('at')
    .where('subject', '=', subject)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.at as string);
}

export async function countFailures(db: Kysely<any>, subject: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('sign_in_failures')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('subject', '=', subject)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteFailure(db: Kysely<any>, id: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('id', '=', id).execute();
}

export async function clearFailures(db: Kysely<any>, subject: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('subject', '=', subject).execute();
}
