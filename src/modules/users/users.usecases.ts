import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { can, ROLES, type Actor, type Role } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../domain/errors.js';
import * as repo from './users.repository.js';

/**
 * Accounts, API tokens and browser sessions: the authentication floor. Passwords are hashed with
 * argon2id; tokens and session ids are stored only as SHA-256 hashes.
 */

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'use 2–63 lower-case letters, digits, dots, hyphens or underscores');
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(1024);

/** OWASP's argon2id parameters (19 MiB, 2 passes). */
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const };
export const TOKEN_PREFIX = 'ltp_';
const SESSION_HOURS = 12;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const nowIso = () => new Date().toISOString();

export interface PublicUser {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

const toPublic = (u: repo.UserRow): PublicUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  createdAt: u.createdAt,
  disabled: Boolean(u.disabledAt),
});

/** Creates an account without an actor: for the CLI run by the operator and the first start. */
export async function addUser(
  db: Kysely<any>,
  input: { username: string; role: string; password: string; displayName?: string },
): Promise<PublicUser> {
  const problems = [];
  const u = usernameSchema.safeParse(input.username);
  if (!u.success) problems.push({ field: 'username', message: u.error.issues[0]!.message });
  if (!ROLES.includes(input.role as Role)) problems.push({ field: 'role', message: `must be one of ${ROLES.join(', ')}` });
  const p = passwordSchema.safeParse(input.password);
  if (!p.success) problems.push({ field: 'password', message: p.error.issues[0]!.message });
  if (problems.length) throw new ValidationError(problems);
  if (await repo.findUserByName(db, input.username)) throw new ConflictError(`a user named "${input.username}" already exists`);
  const row: repo.UserRow = {
    id: uuidv7(),
    username: input.username,
    displayName: input.displayName ?? null,
    role: input.role as Role,
    passwordHash: await argonHash(input.password, ARGON),
    createdAt: nowIso(),
    disabledAt: null,
  };
  await repo.insertUser(db, row);
  return toPublic(row);
}

/** Creates an account on behalf of an administrator. */
export async function createUser(db: Kysely<any>, actor: Actor, input: { username: string; role: string; password: string; displayName?: string }) {
  if (!can(actor, 'user.manage')) throw new ForbiddenError('only administrators manage accounts');
  return addUser(db, input);
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

/** A fresh API token for a user; the secret is returned once and only its hash is kept. */
export async function createToken(
  db: Kysely<any>,
  username: string,
  opts: { name?: string; expiresInDays?: number } = {},
): Promise<{ token: string; id: string; expiresAt: string | null }> {
  const user = await repo.findUserByName(db, username);
  if (!user) throw new NotFoundError(`no user is named "${username}"`);
  if (user.disabledAt) throw new ConflictError(`the account "${username}" is disabled`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = uuidv7();
  const expiresAt =
    opts.expiresInDays && opts.expiresInDays > 0 ? new Date(Date.now() + opts.expiresInDays * 86_400_000).toISOString() : null;
  await repo.insertToken(db, { id, userId: user.id, name: opts.name ?? 'cli', tokenHash: sha256(token), createdAt: nowIso(), expiresAt });
  return { token, id, expiresAt };
}

/** The actor a bearer token stands for, or null. */
export async function actorFromToken(db: Kysely<any>, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const at = nowIso();
  const r = await repo.findTokenUser(db, sha256(token), at);
  if (!r) return null;
  await repo.touchToken(db, r.tokenId, at);
  return { userId: r.userId, username: r.username, role: r.role };
}

/** Checks a password; on success opens a browser session. */
export async function signIn(
  db: Kysely<any>,
  username: string,
  password: string,
): Promise<{ sessionId: string; csrfToken: string; user: PublicUser; expiresAt: string }> {
  const user = await repo.findUserByName(db, username);
  // verify against a dummy hash when the user is unknown, so timing does not reveal which names exist
  const ok = user
    ? await argonVerify(user.passwordHash, password).catch(() => false)
    : (await argonVerify(await dummyHash(), password).catch(() => false)) && false;
  if (!user || !ok || user.disabledAt) throw new UnauthorizedError('wrong user name or password');
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000).toISOString();
  await repo.insertSession(db, { idHash: sha256(sessionId), userId: user.id, csrfToken, createdAt: nowIso(), expiresAt });
  return { sessionId, csrfToken, user: toPublic(user), expiresAt };
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= argonHash('letapis-dummy-password', ARGON));

/** The actor a session cookie stands for, with the session's CSRF token, or null. */
export async function actorFromSession(db: Kysely<any>, sessionId: string): Promise<(Actor & { csrfToken: string }) | null> {
  if (sessionId.length > 200) return null;
  const r = await repo.findSessionUser(db, sha256(sessionId), nowIso());
  return r ? { userId: r.userId, username: r.username, role: r.role, csrfToken: r.csrfToken } : null;
}

export async function signOut(db: Kysely<any>, sessionId: string): Promise<void> {
  await repo.deleteSession(db, sha256(sessionId));
}

export async function whoAmI(db: Kysely<any>, actor: Actor): Promise<PublicUser> {
  const u = await repo.findUserById(db, actor.userId);
  if (!u) throw new UnauthorizedError('your account no longer exists');
  return toPublic(u);
}
