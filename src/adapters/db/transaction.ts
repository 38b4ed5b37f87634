import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `fn` in a transaction: a new one, or, when `db` already is a transaction, that one, so a use
 * case called from a larger unit of work (an import, the demo loader) commits or rolls back with it.
 *
 * @example await inTransaction(db, (trx) => trx.insertInto('events').values(row).execute())
 */
export function inTransaction<T>(db: Kysely<any>, fn: (trx: Transaction<any>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<any>);
  return db.transaction().execute(fn);
}
