import { PostgresAdapter, type Kysely } from 'kysely';

/** Whether a Kysely instance (or a transaction of one) talks to PostgreSQL (else SQLite). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
