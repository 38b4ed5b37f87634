/**
 * Who may do what: one place, readable rules, deny by default.
 *
 * Two kinds of permission:
 * - account actions (manage accounts, compartments, memberships), decided by the account's role;
 * - record actions, decided by the role the account holds in the record's compartment. Being an
 *   administrator does not by itself open any compartment: an administrator who needs to see
 *   records adds themselves as a member, which is audited.
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

/** Roles a member can hold within a compartment. */
export const MEMBERSHIP_ROLES = ['coordinator', 'documenter', 'analyst', 'translator', 'lawyer', 'viewer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** Actions on records (and later evidence) inside a compartment. */
export type RecordAction =
  | 'record.read'
  | 'record.create'
  | 'record.update'
  | 'record.delete'
  | 'identity.reveal'
  | 'membership.manage'
  | 'evidence.read'
  | 'evidence.ingest'
  | 'evidence.download'
  | 'evidence.metadata'
  | 'evidence.link'
  | 'evidence.redact'
  | 'case.export'
  | 'translation.write'
  | 'translation.review'
  | 'story.edit'
  | 'story.approve';

/** Actions that concern the instance as a whole. */
export type AccountAction =
  | 'vocabulary.read'
  | 'vocabulary.edit'
  | 'user.read'
  | 'user.manage'
  | 'audit.read'
  | 'compartment.create'
  | 'compartment.read-all'
  | 'token.create-own'
  | 'vault.status'
  | 'vault.unseal'
  | 'vault.seal'
  | 'job.read'
  | 'job.read-all'
  | 'job.retry'
  | 'ledger.read'
  | 'ledger.cosign'
  | 'ledger.checkpoint'
  | 'search.reindex'
  | 'drop.read';

export type Action = RecordAction | AccountAction;

export interface Actor {
  userId: string;
  username: string;
  role: Role;
}

/** An actor with the compartments it belongs to (compartment id → role there). */
export interface Subject extends Actor {
  memberships: ReadonlyMap<string, MembershipRole>;
}

/** A compartment-scoped resource: anything that belongs to one compartment. */
export interface CompartmentResource {
  compartmentId: string;
}

const RECORD_RULES: Record<RecordAction, readonly MembershipRole[]> = {
  'record.read': MEMBERSHIP_ROLES,
  'record.create': ['coordinator', 'documenter', 'analyst', 'lawyer'],
  'record.update': ['coordinator', 'documenter', 'analyst', 'lawyer'],
  'record.delete': ['coordinator', 'documenter'],
  'identity.reveal': ['coordinator'],
  'membership.manage': ['coordinator'],
  // evidence: everyone in the compartment sees that an item exists and its derivatives' previews;
  // the evidentiary copy and its metadata (GPS, device, file name) only those who work with it
  'evidence.read': MEMBERSHIP_ROLES,
  'evidence.ingest': ['coordinator', 'documenter', 'analyst', 'lawyer'],
  'evidence.download': ['coordinator', 'documenter', 'analyst', 'lawyer'],
  'evidence.metadata': ['coordinator', 'documenter', 'analyst', 'lawyer'],
  'evidence.link': ['coordinator', 'documenter', 'analyst', 'lawyer'],
  // redacted derivatives are what may leave for publication: those who prepare what is published
  'evidence.redact': ['coordinator', 'documenter'],
  // a case bundle carries decrypted evidentiary copies out of the system: those who prepare cases
  'case.export': ['coordinator', 'lawyer'],
  // translations of prose fields (docs/TRANSLATIONS.md): reading them follows record.read; a review
  // must be by someone other than the translator who saved the text last
  'translation.write': ['coordinator', 'documenter', 'translator'],
  'translation.review': ['coordinator', 'translator'],
  // stories for publication (docs/PUBLICATION.md): those who prepare redacted copies write them;
  // approval as an editor is for coordinators (two different ones are needed before publishing)
  'story.edit': ['coordinator', 'documenter'],
  'story.approve': ['coordinator'],
};

const ACCOUNT_RULES: Record<AccountAction, readonly Role[]> = {
  'vocabulary.read': ROLES,
  'vocabulary.edit': ['administrator', 'coordinator'],
  'user.read': ['administrator', 'coordinator'],
  'user.manage': ['administrator'],
  'audit.read': ['administrator'],
  'compartment.create': ['administrator'],
  'compartment.read-all': ['administrator'],
  'token.create-own': ROLES,
  'vault.status': ROLES,
  // key custodians: those who may hold a share or the passphrase
  'vault.unseal': ['administrator', 'coordinator'],
  'vault.seal': ['administrator'],
  // background jobs: anyone follows the jobs of the compartments they belong to (any role there);
  // administrators every job, with or without a compartment (jobs show ids, counts and errors, not content)
  'job.read': ROLES,
  'job.read-all': ['administrator'],
  'job.retry': ['administrator'],
  // the custody ledger's checkpoints and proofs hold only sizes and hashes: every account may check
  // them; any account may hand in a witness's cosignature (only configured witness keys are taken)
  'ledger.read': ROLES,
  'ledger.cosign': ROLES,
  'ledger.checkpoint': ['administrator'],
  'search.reindex': ['administrator'],
  // the anonymous drop's intake (docs/DROP.md): submissions belong to no compartment until taken in,
  // so reading, replying and taking them in is an account action of coordinators (taking a file in
  // as evidence also needs evidence.ingest in the chosen compartment)
  'drop.read': ['coordinator'],
};

const isRecordAction = (a: Action): a is RecordAction => a in RECORD_RULES;

/**
 * Whether an actor may perform an action; record actions need the resource's compartment.
 *
 * @example can(subject, 'record.update', { compartmentId: 'c1' }) // true if subject edits in c1
 * @example can(actor, 'user.manage') // true for administrators
 */
export function can(actor: Actor | Subject | null | undefined, action: Action, resource?: CompartmentResource): boolean {
  if (!actor) return false;
  if (isRecordAction(action)) {
    if (!resource || !('memberships' in actor)) return false;
    const role = actor.memberships.get(resource.compartmentId);
    return role !== undefined && RECORD_RULES[action].includes(role);
  }
  return ACCOUNT_RULES[action]?.includes(actor.role) ?? false;
}

/** Whether the actor may do `action` in at least one compartment (to refuse early and clearly). */
export function canAnywhere(subject: Subject, action: RecordAction): boolean {
  for (const role of subject.memberships.values()) if (RECORD_RULES[action].includes(role)) return true;
  return false;
}

/** The compartments in which the actor may do `action`, for filtering queries in one go. */
export function compartmentsWhere(subject: Subject, action: RecordAction): string[] {
  const out: string[] = [];
  for (const [id, role] of subject.memberships) if (RECORD_RULES[action].includes(role)) out.push(id);
  return out;
}

/** What the actor may do with one record, carried on API answers so clients need not repeat the rules. */
export interface RecordPermissions {
  update: boolean;
  delete: boolean;
  revealIdentity: boolean;
}

export function recordPermissions(subject: Subject, resource: CompartmentResource): RecordPermissions {
  return {
    update: can(subject, 'record.update', resource),
    delete: can(subject, 'record.delete', resource),
    revealIdentity: can(subject, 'identity.reveal', resource),
  };
}

/** Which membership role an account role maps to when it joins a compartment without naming one. */
export function defaultMembershipRole(role: Role): MembershipRole {
  return role === 'administrator' ? 'coordinator' : role;
}
