/**
 * Who may do what. One place, deny by default. The security layer (compartments, reveal-identity)
 * extends these rules; every route names the action it needs.
 */

export const ROLES = [
  'administrator',
  'coordinator',
  'documenter',
  'analyst',
  'translator',
  'lawyer',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export type Action =
  | 'record.read'
  | 'record.create'
  | 'record.update'
  | 'record.delete'
  | 'vocabulary.read'
  | 'vocabulary.edit'
  | 'user.read'
  | 'user.manage'
  | 'token.create-own';

export interface Actor {
  userId: string;
  username: string;
  role: Role;
}

const RULES: Record<Action, readonly Role[]> = {
  'record.read': ROLES,
  'record.create': ['administrator', 'coordinator', 'documenter', 'analyst', 'lawyer'],
  'record.update': ['administrator', 'coordinator', 'documenter', 'analyst', 'lawyer'],
  'record.delete': ['administrator', 'coordinator', 'documenter'],
  'vocabulary.read': ROLES,
  'vocabulary.edit': ['administrator', 'coordinator'],
  'user.read': ['administrator', 'coordinator'],
  'user.manage': ['administrator'],
  'token.create-own': ROLES,
};

/**
 * Whether an actor may perform an action.
 *
 * @example can({ userId: 'u', username: 'ana', role: 'viewer' }, 'record.create') // → false
 */
export function can(actor: Actor | null | undefined, action: Action): boolean {
  if (!actor) return false;
  return RULES[action]?.includes(actor.role) ?? false;
}

/** The actions an actor may take on records, for answers that tell the UI what to offer. */
export function recordPermissions(actor: Actor): { update: boolean; delete: boolean } {
  return { update: can(actor, 'record.update'), delete: can(actor, 'record.delete') };
}
