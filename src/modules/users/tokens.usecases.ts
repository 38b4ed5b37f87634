import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { can, type Actor } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { nowIso, sha256 } from './users.shared.js';
import * as repo from './users.repository.js';
import type { TokenScope } from './users.repository.js';

/**
 * API tokens for the command line and scripts: shown once, kept only as SHA-256 hashes, each with
 * a scope and optionally an expiry. A token can do what its user may do, within its scope:
 * `read` (no changes), `write` (changes to data), `admin` (also account administration and the
 * audit log, when its user is an administrator).
 */

export const TOKEN_PREFIX = 'ltp_';
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const satisfies readonly TokenScope[];
export type { TokenScope } from './users.repository.js';
export const DEFAULT_TOKEN_SCOPE: TokenScope = 'write';

const RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 };
/** Whether a token of scope `have` may make a request that needs scope `need`. */
export const scopeAllows = (have: TokenScope, need: TokenScope) => RANK[have] >= RANK[need];

export interface TokenInfo {
  id: string;
  username: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

const toInfo = (t: repo.TokenRow, now = nowIso()): TokenInfo => ({
  id: t.id,
  username: t.username,
  name: t.name,
  scope: t.scope,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
  state: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= now ? 'expired' : 'active',
});

export interface CreateTokenOptions {
  name?: string;
  expiresInDays?: number;
  scope?: string;
  /** Who creates it; null or absent: the operator on the command line. */
  by?: Actor | null;
}

/** A fresh API token for a user; the secret is returned once and only its hash is kept. */
export async function createToken(
  db: Kysely<any>,
  username: string,
  opts: CreateTokenOptions = {},
): Promise<{ token: string; id: string; scope: TokenScope; expiresAt: string | null }> {
  const problems: FieldProblem[] = [];
  const scope = (opts.scope ?? DEFAULT_TOKEN_SCOPE) as TokenScope;
  if (!TOKEN_SCOPES.includes(scope)) problems.push({ field: 'scope', message: `must be one of ${TOKEN_SCOPES.join(', ')}` });
  if (opts.expiresInDays !== undefined && !(Number.isInteger(opts.expiresInDays) && opts.expiresInDays >= 1 && opts.expiresInDays <= 3650))
    problems.push({ field: 'expiresInDays', message: 'must be a whole number of days from 1 to 3650' });
  const name = opts.name ?? 'cli';
  if (!name.trim() || name.length > 100) problems.push({ field: 'name', message: 'must be 1 to 100 characters' });
  if (problems.length) throw new ValidationError(problems);
  const user = await repo.findUserByName(db, username);
  if (!user) throw new NotFoundError(`no user is named "${username}"`);
  if (user.disabledAt) throw new ConflictError(`the account "${username}" is disabled`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = uuidv7();
  const expiresAt = opts.expiresInDays ? new Date(Date.now() + opts.expiresInDays * 86_400_000).toISOString() : null;
  await inTransaction(db, async (trx) => {
    await repo.insertToken(trx, { id, userId: user.id, name, scope, tokenHash: sha256(token), createdAt: nowIso(), expiresAt });
    await appendAuditEvent(trx, {
      action: 'token.create',
      actorId: opts.by?.userId ?? null,
      targetType: 'api_token',
      targetId: id,
      details: { userId: user.id, name, scope, expiresAt },
    });
  });
  return { token, id, scope, expiresAt };
}

/**
 * A token for the caller. Made with a token, it can not have a wider scope than that token
 * (`callerScope`); made in a browser session, any scope.
 */
export async function createOwnToken(
  db: Kysely<any>,
  actor: Actor,
  callerScope: TokenScope | null,
  input: { name: string; expiresInDays?: number; scope?: TokenScope },
) {
  if (!can(actor, 'token.create-own')) throw new ForbiddenError('your role may not create API tokens');
  const scope = input.scope ?? DEFAULT_TOKEN_SCOPE;
  if (callerScope && !scopeAllows(callerScope, scope))
    throw new ForbiddenError(`this API token has the "${callerScope}" scope and can not make a token with the wider "${scope}" scope`);
  return createToken(db, actor.username, { name: input.name, expiresInDays: input.expiresInDays, scope, by: actor });
}

export interface TokenAuth {
  actor: Actor;
  scope: TokenScope;
  tokenId: string;
}

/** The account, scope and id of a live bearer token, or null. */
export async function authenticateToken(db: Kysely<any>, token: string): Promise<TokenAuth | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const at = nowIso();
  const r = await repo.findTokenUser(db, sha256(token), at);
  if (!r) return null;
  await repo.touchToken(db, r.tokenId, at);
  return { actor: { userId: r.userId, username: r.username, role: r.role }, scope: r.scope, tokenId: r.tokenId };
}

/** The actor a bearer token stands for, or null. */
export async function actorFromToken(db: Kysely<any>, token: string): Promise<Actor | null> {
  return (await authenticateToken(db, token))?.actor ?? null;
}

/** The caller's own tokens, newest first, revoked and expired ones included. */
export async function listOwnTokens(db: Kysely<any>, actor: Actor): Promise<TokenInfo[]> {
  const now = nowIso();
  return (await repo.listTokens(db, actor.userId)).map((t) => toInfo(t, now));
}

/** Every token, or one user's (the operator on the command line). */
export async function listTokens(db: Kysely<any>, username?: string): Promise<TokenInfo[]> {
  let userId: string | undefined;
  if (username) {
    const u = await repo.findUserByName(db, username);
    if (!u) throw new NotFoundError(`no user is named "${username}"`);
    userId = u.id;
  }
  const now = nowIso();
  return (await repo.listTokens(db, userId)).map((t) => toInfo(t, now));
}

/**
 * Revokes a token. With an actor, only one of the actor's own tokens (another's is "not found");
 * without (the operator on the command line), any.
 */
export async function revokeToken(db: Kysely<any>, by: Actor | null, id: string): Promise<TokenInfo> {
  const t = await repo.findToken(db, id);
  if (!t || (by && t.userId !== by.userId)) throw new NotFoundError(by ? `you have no API token with the id ${id}` : `no API token has the id ${id} (see: letapis token list)`);
  if (t.revokedAt) throw new ConflictError(`the token was already revoked at ${t.revokedAt}`);
  const at = nowIso();
  await inTransaction(db, async (trx) => {
    if (!(await repo.revokeToken(trx, id, at))) throw new ConflictError('the token was revoked meanwhile');
    await appendAuditEvent(trx, {
      action: 'token.revoke',
      actorId: by?.userId ?? null,
      targetType: 'api_token',
      targetId: id,
      details: { userId: t.userId, name: t.name, scope: t.scope },
    });
  });
  return toInfo({ ...t, revokedAt: at }, at);
}
