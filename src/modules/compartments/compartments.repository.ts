import type { Kysely } from 'kysely';
import type { MembershipRole } from '../../domain/policies.js';

export interface CompartmentRow {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
}

const toCompartment = (r: Record<string, any>): CompartmentRow => ({
  id: r.id,
  name: r.name,
  description: r.description ?? null,
  createdAt: r.created_at,
});

export async function insertCompartment(db: Kysely<any>, c: CompartmentRow & { createdBy: string | null }): Promise<void> {
  await db
    .insertInto('compartments')
    .values({ id: c.id, name: c.name, description: c.description, created_at: c.createdAt, created_by: c.createdBy })
    .execute();
}

export async function findCompartment(db: Kysely<any>, idOrName: string): Promise<CompartmentRow | undefined> {
  const r = await db
    .selectFrom('compartments')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();
  return r ? toCompartment(r) : undefined;
}

/** All compartments, or only those with the given ids. */
export async function listCompartments(db: Kysely<any>, ids?: string[]): Promise<(CompartmentRow & { memberCount: number })[]> {
  if (ids && ids.length === 0) return [];
  let q = db
    .selectFrom('compartments as c')
    .leftJoin('memberships as m', 'm.compartment_id', 'c.id')
    .select(['c.id', 'c.name', 'c.description', 'c.created_at'])
    .select((eb) => eb.fn.count('m.user_id').as('member_count'))
    .groupBy(['c.id', 'c.name', 'c.description', 'c.created_at'])
    .orderBy('c.name');
  if (ids) q = q.where('c.id', 'in', ids);
  return (await q.execute()).map((r) => ({ ...toCompartment(r), memberCount: Number(r.member_count) }));
}

/** The compartments a user belongs to, with the role held in each. */
export async function membershipsOf(db: Kysely<any>, userId: string): Promise<Map<string, MembershipRole>> {
  const rows = await db.selectFrom('memberships').select(['compartment_id', 'role']).where('user_id', '=', userId).execute();
  return new Map(rows.map((r) => [r.compartment_id as string, r.role as MembershipRole]));
}

export async function listMembers(db: Kysely<any>, compartmentId: string) {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.username', 'm.role', 'm.created_at'])
    .where('m.compartment_id', '=', compartmentId)
    .orderBy('u.username')
    .execute();
  return rows.map((r) => ({ userId: r.id as string, username: r.username as string, role: r.role as MembershipRole, since: r.created_at as string }));
}

/** Adds a member or changes their role; returns the role they had before, if any. */
export async function upsertMembership(
  db: Kysely<any>,
  m: { compartmentId: string; userId: string; role: MembershipRole; at: string; by: string | null },
): Promise<MembershipRole | null> {
  const existing = await db
    .selectFrom('memberships')
    .select('role')
    .where('compartment_id', '=', m.compartmentId)
    .where('user_id', '=', m.userId)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('memberships').set({ role: m.role }).where('compartment_id', '=', m.compartmentId).where('user_id', '=', m.userId).execute();
    return existing.role as MembershipRole;
  }
  await db
    .insertInto('memberships')
    .values({ compartment_id: m.compartmentId, user_id: m.userId, role: m.role, created_at: m.at, created_by: m.by })
    .execute();
  return null;
}

export async function deleteMembership(db: Kysely<any>, compartmentId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('memberships').where('compartment_id', '=', compartmentId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
