import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { canAnywhere, type Actor, type Role } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { NotFoundError } from '../../domain/errors.js';
import * as repo from './users.repository.js';

/** What the account use cases share: the public shape of an account, lookups, small helpers. */

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'use 2–63 lower-case letters, digits, dots, hyphens or underscores');

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const nowIso = () => new Date().toISOString();

/**
 * Account roles that always need a second factor: administrators, and coordinators (who may reveal
 * identities wherever they coordinate).
 */
/** The languages of the web application; an account may choose one (null: the browser decides). */
export const LOCALES = ['be', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const SECOND_FACTOR_ROLES: readonly Role[] = ['administrator', 'coordinator'];

/**
 * Whether an account must use a second factor: its role is one of SECOND_FACTOR_ROLES, or it
 * holds the `identity.reveal` permission in any compartment (through its membership there).
 */
export async function secondFactorRequired(db: Kysely<any>, actor: Actor): Promise<boolean> {
  if (SECOND_FACTOR_ROLES.includes(actor.role)) return true;
  return canAnywhere(await subjectOf(db, actor), 'identity.reveal');
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  createdAt: string;
  disabled: boolean;
  totpEnabled: boolean;
}

export const toPublic = (u: repo.UserRow): PublicUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  createdAt: u.createdAt,
  disabled: Boolean(u.disabledAt),
  totpEnabled: Boolean(u.totpEnabledAt),
});

/** An account named by id (the API) or by user name (the command line). */
export type UserRef = { id: string } | { username: string };

export async function findUserRef(db: Kysely<any>, ref: UserRef): Promise<repo.UserRow> {
  const u = 'id' in ref ? await repo.findUserById(db, ref.id) : await repo.findUserByName(db, ref.username);
  if (!u) throw new NotFoundError('id' in ref ? `no account has the id ${ref.id}` : `no user is named "${ref.username}" (see: letapis user list)`);
  return u;
}
