import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { can, MEMBERSHIP_ROLES, type Actor, type MembershipRole, type Subject } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import * as repo from './compartments.repository.js';

/**
 * Compartments and who belongs to them. Administrators create compartments and manage anyone's
 * membership; a compartment's coordinators manage its members. Every change is audited.
 */

export interface CompartmentDeps {
  db: Kysely<any>;
  audit: AppendAuditEvent;
}

export const compartmentNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'use 1–63 lower-case letters, digits, dots, hyphens or underscores');

/** The actor with its memberships, as every compartment-scoped use case needs it. */
export async function subjectOf(db: Kysely<any>, actor: Actor): Promise<Subject> {
  if ('memberships' in actor) return actor as Subject;
  return { ...actor, memberships: await repo.membershipsOf(db, actor.userId) };
}

export async function createCompartment(deps: CompartmentDeps, actor: Actor, input: { name: string; description?: string }) {
  if (!can(actor, 'compartment.create')) throw new ForbiddenError('only administrators create compartments');
  const name = compartmentNameSchema.safeParse(input.name);
  if (!name.success) throw new ValidationError([{ field: 'name', message: name.error.issues[0]!.message }]);
  return inTransaction(deps.db, async (trx) => {
    if (await repo.findCompartment(trx, input.name)) throw new ConflictError(`a compartment named "${input.name}" already exists`);
    const row = { id: uuidv7(), name: input.name, description: input.description ?? null, createdAt: new Date().toISOString() };
    await repo.insertCompartment(trx, { ...row, createdBy: actor.userId });
    await deps.audit(trx, { action: 'compartment.create', actorId: actor.userId, targetType: 'compartment', targetId: row.id, details: { name: row.name } });
    return row;
  });
}

/** Administrators see every compartment; everyone else the ones they belong to, with their role. */
export async function listCompartments(db: Kysely<any>, actor: Actor) {
  const subject = await subjectOf(db, actor);
  const rows = can(actor, 'compartment.read-all') ? await repo.listCompartments(db) : await repo.listCompartments(db, [...subject.memberships.keys()]);
  return rows.map((r) => ({ ...r, myRole: subject.memberships.get(r.id) ?? null }));
}

/** A compartment the actor may see (a member, or an administrator), else 404. */
async function visibleCompartment(db: Kysely<any>, subject: Subject, idOrName: string) {
  const c = await repo.findCompartment(db, idOrName);
  if (!c || (!subject.memberships.has(c.id) && !can(subject, 'compartment.read-all'))) throw new NotFoundError(`no compartment you can see is named or numbered "${idOrName}"`);
  return c;
}

/** An account by id or user name (members are named either way). */
function findUserByIdOrName(db: Kysely<any>, ref: string): Promise<{ id: string; username: string } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username'])
    .where((eb) => eb.or([eb('id', '=', ref), eb('username', '=', ref)]))
    .executeTakeFirst() as Promise<{ id: string; username: string } | undefined>;
}

function mayManageMembers(subject: Subject, compartmentId: string): boolean {
  return can(subject, 'user.manage') || can(subject, 'membership.manage', { compartmentId });
}

export async function listMembers(db: Kysely<any>, actor: Actor, compartment: string) {
  const subject = await subjectOf(db, actor);
  const c = await visibleCompartment(db, subject, compartment);
  return { compartment: c, members: await repo.listMembers(db, c.id) };
}

/** Adds a user to a compartment with a role, or changes their role there. */
export async function setMembership(deps: CompartmentDeps, actor: Actor, input: { compartment: string; user: string; role: string }) {
  if (!(MEMBERSHIP_ROLES as readonly string[]).includes(input.role))
    throw new ValidationError([{ field: 'role', message: `must be one of ${MEMBERSHIP_ROLES.join(', ')}` }]);
  const subject = await subjectOf(deps.db, actor);
  const c = await visibleCompartment(deps.db, subject, input.compartment);
  if (!mayManageMembers(subject, c.id)) throw new ForbiddenError(`only administrators and the coordinators of "${c.name}" manage its members`);
  return inTransaction(deps.db, async (trx) => {
    const user = await findUserByIdOrName(trx, input.user);
    if (!user) throw new NotFoundError(`no user is named "${input.user}"`);
    const before = await repo.upsertMembership(trx, { compartmentId: c.id, userId: user.id, role: input.role as MembershipRole, at: new Date().toISOString(), by: actor.userId });
    await deps.audit(trx, {
      action: before ? 'membership.change' : 'membership.grant',
      actorId: actor.userId,
      targetType: 'compartment',
      targetId: c.id,
      details: { userId: user.id, username: user.username, role: input.role, previousRole: before },
    });
    return { compartment: c, userId: user.id as string, username: user.username as string, role: input.role as MembershipRole, previousRole: before };
  });
}

export async function removeMembership(deps: CompartmentDeps, actor: Actor, input: { compartment: string; user: string }) {
  const subject = await subjectOf(deps.db, actor);
  const c = await visibleCompartment(deps.db, subject, input.compartment);
  if (!mayManageMembers(subject, c.id)) throw new ForbiddenError(`only administrators and the coordinators of "${c.name}" manage its members`);
  await inTransaction(deps.db, async (trx) => {
    const user = await findUserByIdOrName(trx, input.user);
    if (!user || !(await repo.deleteMembership(trx, c.id, user.id))) throw new NotFoundError(`"${input.user}" is not a member of "${c.name}"`);
    await deps.audit(trx, { action: 'membership.revoke', actorId: actor.userId, targetType: 'compartment', targetId: c.id, details: { userId: user.id, username: user.username } });
  });
}

/**
 * Makes a user a member of the compartment named "default" (created by the migrations) unless
 * they belong to some compartment already. Used for the first administrator, so that the quick
 * start can record something at once.
 */
export async function ensureDefaultMembership(db: Kysely<any>, userId: string, role: MembershipRole = 'coordinator'): Promise<void> {
  const mine = await repo.membershipsOf(db, userId);
  if (mine.size > 0) return;
  const c = await repo.findCompartment(db, 'default');
  if (!c) return;
  await repo.upsertMembership(db, { compartmentId: c.id, userId, role, at: new Date().toISOString(), by: null });
}
