import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Container } from '../../app/container.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { Checkpointer } from './checkpointer.js';
import { getCheckpoint } from './checkpoints.js';

describeEachDialect('the background checkpointer', (dialect) => {
  let c: Container;
  const logged: string[] = [];
  const log = { info: (_o: object, m: string) => logged.push(m), warn: (_o: object, m: string) => logged.push(`warn: ${m}`) };
  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('signs a checkpoint once N events have come, not before; skips its turn while the vault is sealed', async () => {
    const ledger = { ...c.config.ledger, checkpointEvents: 3, checkpointMinutes: 0 };
    const cp = new Checkpointer({ db: c.db, vault: c.vault, ledger }, log);
    const view = () => appendAuditEvent(c.db, { action: 'evidence.view', actorId: null, targetType: 'evidence', targetId: uuidv7() });
    await view();
    await view();
    await cp.tick();
    expect(await getCheckpoint({ db: c.db, ledger })).toBeUndefined();
    await view();
    await c.vault.seal();
    await cp.tick();
    expect(await getCheckpoint({ db: c.db, ledger })).toBeUndefined();
    await c.vault.unsealWithKeyFile();
    await cp.tick();
    expect((await getCheckpoint({ db: c.db, ledger }))!.size).toBe(3);
    expect(logged).toContain('ledger checkpoint signed');
    // started as a timer too
    for (let i = 0; i < 3; i++) await view();
    const timed = new Checkpointer({ db: c.db, vault: c.vault, ledger }, log, 20);
    timed.start();
    for (let i = 0; i < 100 && (await getCheckpoint({ db: c.db, ledger }))!.size < 6; i++) await new Promise((r) => setTimeout(r, 20));
    await timed.stop();
    expect((await getCheckpoint({ db: c.db, ledger }))!.size).toBe(6);
  });
});
