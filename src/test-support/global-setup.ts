import pg from 'pg';
import type { TestProject } from 'vitest/node';

/** PostgreSQL used by tests (a fresh schema per test file and run). */
export const TEST_PG_URL = process.env.LETAPIS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
    pgUrl: string;
  }
}

/**
 * Runs once before all tests: finds out whether PostgreSQL answers. Without it the PostgreSQL runs
 * are skipped with one clear line, except under CI=true, where its absence fails the run.
 */
export default async function setup(project: TestProject): Promise<void> {
  let available = false;
  let reason = '';
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    // search's trigram index needs pg_trgm; made once here, as test files migrate their schemas in parallel
    await client.query('create extension if not exists pg_trgm');
    available = true;
  } catch (e) {
    reason = (e as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
  if (!available) {
    const msg = `PostgreSQL at ${TEST_PG_URL} does not answer (${reason})`;
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg}: CI requires it. Set LETAPIS_TEST_PG or start PostgreSQL.`);
    console.warn(`\n[letapis tests] SKIPPING every PostgreSQL run: ${msg}. Set LETAPIS_TEST_PG to run them.\n`);
  }
  project.provide('pgAvailable', available);
  project.provide('pgUrl', TEST_PG_URL);
}
