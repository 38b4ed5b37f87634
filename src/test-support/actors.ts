import type { Kysely } from 'kysely';
import { addUser } from '../modules/users/users.usecases.js';
import { defaultMembershipRole, type Actor, type MembershipRole, type Role } from '../domain/policies.js';
import { findCompartment, upsertMembership } from '../modules/compartments/compartments.repository.js';

/**
 * Creates an account of the given role and returns it as an actor. Unless `compartment` is null,
 * it is made a member of that compartment (default: "default") with the matching role.
 */
export async function makeActor(
  db: Kysely<any>,
  role: Role,
  username = `${role}-${Math.random().toString(36).slice(2, 8)}`,
  compartment: string | null = 'default',
  membershipRole?: MembershipRole,
): Promise<Actor> {
  const u = await addUser(db, { username, role, password: 'correct horse battery staple' });
  if (compartment) await joinCompartment(db, u.id, compartment, membershipRole ?? defaultMembershipRole(role));
  return { userId: u.id, username: u.username, role: u.role };
}

/** Makes a user a member of a compartment (by name or id) with a role, bypassing the use case. */
export async function joinCompartment(db: Kysely<any>, userId: string, compartment: string, role: MembershipRole): Promise<void> {
  const c = await findCompartment(db, compartment);
  if (!c) throw new Error(`test setup: no compartment ${compartment}`);
  await upsertMembership(db, { compartmentId: c.id, userId, role, at: new Date().toISOString(), by: null });
}
