import { afterAll, beforeAll, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Container } from '../../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { currentSchema } from '../dialects/postgres/postgres.dialect.js';
import { migrateToLatest } from '../database.js';
import { StaticMigrationProvider } from './index.js';
import { verifyStore } from '../../../modules/ledger/verify-store.js';
import { readLedgerHead } from '../../../modules/ledger/ledger.repository.js';
import { appendAuditEvent } from '../../../modules/audit/audit.repository.js';

/**
 * Upgrading an instance that already has an audit log: 0008 appends the events recorded before it
 * to the new ledger, in time order, chained per target, so the store verifies at once.
 */
describeEachDialect('migration 0008: audit events recorded before the ledger become its first leaves', (dialect) => {
  let c: Container;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('backfills, chains and verifies', async () => {
    const migrator = new Migrator({ db: c.db, provider: new StaticMigrationProvider(), migrationTableSchema: dialect === 'postgres' ? await currentSchema(c.db) : undefined });
    const down = await migrator.migrateTo('0007-evidence');
    expect(down.error).toBeUndefined();
    const item = uuidv7();
    const rows = Array.from({ length: 1205 }, (_, i) => ({
      id: uuidv7(),
      at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      action: i % 3 ? 'evidence.view' : 'auth.sign-in',
      actor_id: null,
      target_type: i % 3 ? 'evidence' : null,
      target_id: i % 3 ? item : null,
      reason: null,
      details: i % 5 ? JSON.stringify({ i, name: 'Карпянкоў' }) : null,
    }));
    for (let i = 0; i < rows.length; i += 200) await c.db.insertInto('audit_events').values(rows.slice(i, i + 200)).execute();
    expect(await migrateToLatest(c.db, dialect)).toContain('0008-ledger');
    const head = await readLedgerHead(c.db);
    expect(head.size).toBe(rows.length);
    const leaves = await c.db.selectFrom('ledger_leaves').select(['idx', 'audit_id']).orderBy('idx').execute();
    expect(leaves.map((l) => l.audit_id)).toEqual(rows.map((r) => r.id));
    const report = await verifyStore({ db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger });
    expect(report.problems).toEqual([]);
    // and the next event continues the chain of its target
    await appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: item });
    expect((await verifyStore({ db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger })).ok).toBe(true);
  });
});
