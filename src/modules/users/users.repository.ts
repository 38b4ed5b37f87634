import type { Kysely } from 'kysely';
import type { Role } from '../../domain/policies.js';

export interface UserRow {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
}

const toUser = (r: Record<string, any>): UserRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name ?? null,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  disabledAt: r.disabled_at ?? null,
});

export async function countUsers(db: Kysely<any>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertUser(db: Kysely<any>, u: UserRow): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      password_hash: u.passwordHash,
      created_at: u.createdAt,
      disabled_at: u.disabledAt,
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

export async function insertToken(
  db: Kysely<any>,
  t: { id: string; userId: string; name: string; tokenHash: string; createdAt: string; expiresAt: string | null },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ id: t.id, user_id: t.userId, name: t.name, token_hash: t.tokenHash, created_at: t.createdAt, expires_at: t.expiresAt })
    .execute();
}

/** The live token with this hash and its user, or undefined. */
export async function findTokenUser(db: Kysely<any>, tokenHash: string, now: string) {
  const r = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.expires_at', 't.revoked_at', 'u.id', 'u.username', 'u.role', 'u.disabled_at'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!r || r.revoked_at || r.disabled_at || (r.expires_at && r.expires_at <= now)) return undefined;
  return { tokenId: r.token_id as string, userId: r.id as string, username: r.username as string, role: r.role as Role };
}

export async function touchToken(db: Kysely<any>, tokenId: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

export async function insertSession(
  db: Kysely<any>,
  s: { idHash: string; userId: string; csrfToken: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt })
    .execute();
}

export async function findSessionUser(db: Kysely<any>, idHash: string, now: string) {
  const r = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 'u.id', 'u.username', 'u.role', 'u.disabled_at'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!r || r.disabled_at || r.expires_at <= now) return undefined;
  return { userId: r.id as string, username: r.username as string, role: r.role as Role, csrfToken: r.csrf_token as string };
}

export async function deleteSession(db: Kysely<any>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}
