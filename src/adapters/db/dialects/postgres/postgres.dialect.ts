import pg from 'pg';
import { PostgresDialect, sql, type Kysely } from 'kysely';

/** int8 (counts) as JS numbers: our counts stay far below 2^53. */
pg.types.setTypeParser(20, (v) => Number(v));

export interface PostgresOptions {
  url: string;
  /** Schema to work in (tests use a fresh one per run); created if missing. */
  schema?: string;
  max?: number;
}

/** PostgreSQL through `pg`, optionally confined to one schema via search_path. */
export function createPostgresDialect(opts: PostgresOptions): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    // JIT off: Letapis's queries are short, and compiling them cost more than it saved (a search at
    // a million records spent 30 ms of its 160 in JIT). The schema first (tables live there), then
    // public, where extensions such as pg_trgm live.
    options: ['-c jit=off', ...(opts.schema ? [`-c search_path=${quoteIdent(opts.schema)},public`] : [])].join(' '),
  });
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** Creates a schema if it does not exist, on a short-lived connection. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  } finally {
    await client.end();
  }
}

/** Drops a schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

/** The schema unqualified names resolve to (search_path), e.g. `public` or a test schema. */
export async function currentSchema(db: Kysely<any>): Promise<string> {
  const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = r.rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no current schema: check search_path');
  return schema;
}
