import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
import { loadConfig } from '../app/config.js';
import { createContainer, type Container } from '../app/container.js';
import { dropSchema } from '../adapters/db/dialects/postgres/postgres.dialect.js';
import type { DialectName } from '../adapters/db/database.js';
import type { RecordsDeps } from '../modules/records/records.usecases.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';

/** Both engines; every repository and API test runs on each (as Kysely's own tests do). */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/**
 * A container on a fresh database of the given engine: a new SQLite file in a temporary folder, or
 * a new PostgreSQL schema. `close()` removes it.
 */
export async function openTestContainer(dialect: DialectName): Promise<Container> {
  const dataDir = mkdtempSync(join(tmpdir(), 'letapis-test-'));
  if (dialect === 'sqlite') {
    const config = loadConfig({ LETAPIS_DATA_DIR: dataDir });
    const c = await createContainer(config);
    return {
      ...c,
      close: async () => {
        await c.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = inject('pgUrl');
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ LETAPIS_DATA_DIR: dataDir, DATABASE_URL: url });
  const c = await createContainer(config, { schema });
  return {
    ...c,
    close: async () => {
      await c.close();
      await dropSchema(url, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `describe` once per engine. Where PostgreSQL is absent (and CI is not set; see global-setup),
 * its block is skipped and says why in its name.
 */
export function describeEachDialect(name: string, fn: (dialect: DialectName) => void): void {
  for (const dialect of DIALECTS) {
    if (dialect === 'postgres' && !inject('pgAvailable')) {
      describe.skip(`${name} [postgres: skipped, PostgreSQL not reachable — set LETAPIS_TEST_PG]`, () => fn(dialect));
    } else {
      describe(`${name} [${dialect}]`, () => fn(dialect));
    }
  }
}

/** The record use cases' dependencies from a test container (database, vault, audit log). */
export function depsOf(c: Container): RecordsDeps {
  return { db: c.db, vault: c.vault, audit: appendAuditEvent };
}
