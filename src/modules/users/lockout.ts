import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { TooManyRequestsError } from '../../domain/errors.js';
import * as repo from './users.repository.js';

/**
 * Account lockout against password guessing, shared by every process through the database.
 *
 * Each attempt first writes a row to `sign_in_failures` and then counts the rows of its account in
 * the window; only then is the password checked. With more than `maxFailures` rows the attempt is
 * refused without checking anything. A successful check deletes the attempt's row (and, on a
 * complete sign-in, the account's others), so what stays counts failures. Writing before counting
 * means that attempts racing in parallel can never get more than `maxFailures` checks between them.
 *
 * Attempts are counted per user name tried (as a SHA-256 hash), whether or not such an account
 * exists, so a locked answer does not reveal that a name exists. Rows older than the window are
 * pruned on each attempt.
 */
export const LOCKOUT = { maxFailures: 5, windowMs: 60_000 } as const;

/** Refused: too many recent failures for this account. */
export class AccountLockedError extends TooManyRequestsError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `too many failed sign-ins for this account: it is locked for ${retryAfterSeconds} more second${retryAfterSeconds === 1 ? '' : 's'}; try again after that`,
    );
  }
}

const subjectOf = (username: string) => createHash('sha256').update(`letapis/sign-in-failures/v1\0${username.trim().toLowerCase()}`).digest('hex');

export type Attempt =
  | { locked: false; id: string; subject: string; /** failures in the window, this attempt included */ count: number }
  | { locked: true; retryAfterSeconds: number };

/** Registers an attempt for `username` before anything is checked. */
export async function beginAttempt(db: Kysely<any>, username: string, now = Date.now()): Promise<Attempt> {
  const subject = subjectOf(username);
  const since = new Date(now - LOCKOUT.windowMs).toISOString();
  await repo.pruneFailures(db, since);
  const id = uuidv7();
  await repo.insertFailure(db, { id, subject, at: new Date(now).toISOString() });
  const count = await repo.countFailures(db, subject, since);
  if (count <= LOCKOUT.maxFailures) return { locked: false, id, subject, count };
  // refused attempts do not count: the lock ends one window after the failure that caused it
  await repo.deleteFailure(db, id);
  const times = await repo.failureTimes(db, subject, since, LOCKOUT.maxFailures);
  const oldest = times.length >= LOCKOUT.maxFailures ? Date.parse(times[LOCKOUT.maxFailures - 1]!) : now;
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + LOCKOUT.windowMs - now) / 1000));
  return { locked: true, retryAfterSeconds };
}

/** The attempt was not a failure (a right password waiting for its second factor). */
export async function forgiveAttempt(db: Kysely<any>, attempt: { id: string }): Promise<void> {
  await repo.deleteFailure(db, attempt.id);
}

/** A complete success: the account's failures are forgotten. */
export async function clearAttempts(db: Kysely<any>, username: string): Promise<void> {
  await repo.clearFailures(db, subjectOf(username));
}

/** Whether this failure is the one that locks the account (for the audit log). */
export const locksAccount = (attempt: { count: number }) => attempt.count === LOCKOUT.maxFailures;
