import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, Migrator } from 'kysely';
import { createSqliteDialect } from './dialects/sqlite/sqlite.dialect.js';
import { createPostgresDialect, currentSchema, ensureSchema } from './dialects/postgres/postgres.dialect.js';
import { StaticMigrationProvider } from './migrations/index.js';

export type DialectName = 'sqlite' | 'postgres';

/** An open database: the query builder, which engine it is, and a human description for logs. */
export interface Database {
  db: Kysely<any>;
  dialect: DialectName;
  /** e.g. `SQLite at data/letapis.db` or `PostgreSQL at 127.0.0.1:5432/letapis` (no password). */
  describe: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for PostgreSQL; `sqlite:PATH`, a file path, or undefined for SQLite in dataDir. */
  url?: string;
  dataDir: string;
  /** PostgreSQL schema (tests). */
  schema?: string;
}

/**
 * Opens the database the configuration names. This and the container are the only places that
 * choose an engine.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.url?.trim();
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    if (opts.schema) await ensureSchema(url, opts.schema);
    const { dialect, pool } = createPostgresDialect({ url, schema: opts.schema });
    const db = new Kysely<any>({ dialect });
    const u = new URL(url);
    return {
      db,
      dialect: 'postgres',
      describe: `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}${opts.schema ? ` (schema ${opts.schema})` : ''}`,
      close: async () => {
        await db.destroy();
        void pool;
      },
    };
  }
  let file: string;
  if (url === ':memory:' || url === 'sqlite::memory:') file = ':memory:';
  else if (url) file = resolve(url.replace(/^sqlite:/, ''));
  else {
    mkdirSync(opts.dataDir, { recursive: true });
    file = resolve(join(opts.dataDir, 'letapis.db'));
  }
  const db = new Kysely<any>({ dialect: createSqliteDialect(file) });
  return { db, dialect: 'sqlite', describe: `SQLite at ${file}`, close: () => db.destroy() };
}

/** Brings the schema up to date. Returns the names of migrations applied now. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  // on PostgreSQL the migration tables live in the schema we work in, never found in another one
  const migrationTableSchema = dialect === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
