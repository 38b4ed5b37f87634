import type { Kysely } from 'kysely';
import { PermanentJobError } from '../../adapters/queue/queue.port.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor, Role } from '../../domain/policies.js';

/**
 * The account a job runs as: the one that asked for it. An account gone or disabled since ends the
 * job at once (trying again cannot help).
 *
 * @example const actor = await jobRequester(deps.db, payload.actorId, 'import')
 */
export async function jobRequester(db: Kysely<any>, userId: string, what: string): Promise<Actor> {
  const user = await db.selectFrom('users').select(['id', 'username', 'role', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.disabled_at) throw new PermanentJobError(`the account that asked for this ${what} is gone or disabled`);
  return { userId: user.id as string, username: user.username as string, role: user.role as Role };
}

/**
 * Runs a job's work, turning a refusal (rights, bad input, an unreadable file: a DomainError) into
 * the end of the job — trying again cannot help; any other failure is left to the queue's retries.
 */
export async function refusalEndsJob<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DomainError) throw new PermanentJobError(e.message);
    throw e;
  }
}
