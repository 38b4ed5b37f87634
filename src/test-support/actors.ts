import type { Kysely } from 'kysely';
import { addUser } from '../modules/users/users.usecases.js';
import type { Actor, Role } from '../domain/policies.js';

/** Creates an account of the given role and returns it as an actor. */
export async function makeActor(db: Kysely<any>, role: Role, username = `${role}-${Math.random().toString(36).slice(2, 8)}`): Promise<Actor> {
  const u = await addUser(db, { username, role, password: 'correct horse battery staple' });
  return { userId: u.id, username: u.username, role: u.role };
}
