import { z } from 'zod';
import { recordType } from '../../domain/records/catalog.js';
import { can, compartmentsWhere, type Actor } from '../../domain/policies.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import * as repo from '../records/records.repository.js';
import { attachSecrets, auditingIntegrity } from '../records/secrets.js';
import type { RecordsDeps } from '../records/records.usecases.js';

/**
 * Revealing who a person is: their identity and the spellings of their name, decrypted for one
 * reader who holds the reveal permission in the person's compartment and states why. Each reveal is
 * an audit event written in the same transaction as the reading.
 */

export const revealReasonSchema = z
  .string()
  .trim()
  .min(10, 'say why you need to see this identity (at least 10 characters): the reason is kept in the audit log')
  .max(1000);

export interface RevealedName {
  id: string;
  text: string | null;
  script: string | null;
  language: string | null;
  system: string | null;
  preferred: boolean | null;
}

export interface RevealedPerson {
  id: string;
  pseudonym: string;
  identity: Record<string, unknown> | null;
  names: RevealedName[];
}

export async function revealPerson(deps: RecordsDeps, actor: Actor, id: string, reason: unknown): Promise<RevealedPerson> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const subject = await subjectOf(deps.db, actor);
    const persons = recordType('persons');
    const row = await repo.findRow(deps.db, persons, id);
    if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) throw new NotFoundError(`no person has id ${id}`);
    if (!can(subject, 'identity.reveal', { compartmentId: row.compartment_id }))
      throw new ForbiddenError('your role in this person’s compartment does not let you reveal identities');
    const why = revealReasonSchema.safeParse(reason);
    if (!why.success) throw new ValidationError([{ field: 'reason', message: why.error.issues[0]!.message }]);
    return inTransaction(deps.db, async (trx) => {
      const [person] = await attachSecrets(trx, deps, persons, [repo.fromRow(persons, row)], { reveal: true });
      const namesDef = recordType('person-names');
      const nameRows = await trx
        .selectFrom(namesDef.table)
        .selectAll()
        .where('person_id', '=', id)
        .where('compartment_id', 'in', compartmentsWhere(subject, 'record.read'))
        .orderBy('created_at')
        .execute();
      const names = await attachSecrets(
        trx,
        deps,
        namesDef,
        nameRows.map((r) => repo.fromRow(namesDef, r)),
        { reveal: true },
      );
      await deps.audit?.(trx, {
        action: 'identity.reveal',
        actorId: actor.userId,
        targetType: 'persons',
        targetId: id,
        reason: why.data,
        details: { names: names.length, identity: person!.identity !== null },
      });
      return {
        id,
        pseudonym: person!.pseudonym as string,
        identity: (person!.identity as Record<string, unknown> | null) ?? null,
        names: names.map((n) => ({
          id: n.id,
          text: (n.text as string | null) ?? null,
          script: (n.script as string | null) ?? null,
          language: (n.language as string | null) ?? null,
          system: (n.system as string | null) ?? null,
          preferred: (n.preferred as boolean | null) ?? null,
        })),
      };
    });
  });
}
