import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import { PermanentJobError } from '../../adapters/queue/queue.port.js';
import { ForbiddenError } from '../../domain/errors.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { jobRequester, refusalEndsJob } from './requester.js';
import { onwardProgress } from './progress.js';

describeEachDialect('the account a job runs as', (dialect) => {
  let c: Container;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('is the account that asked, with its role', async () => {
    const asked = await makeActor(c.db, 'documenter', 'nasta-job');
    expect(await jobRequester(c.db, asked.userId, 'import')).toEqual(asked);
  });

  it('ends the job at once when that account is disabled or gone', async () => {
    const asked = await makeActor(c.db, 'documenter', 'pavel-job');
    await c.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', asked.userId).execute();
    await expect(jobRequester(c.db, asked.userId, 'export')).rejects.toThrow(new PermanentJobError('the account that asked for this export is gone or disabled'));
    await expect(jobRequester(c.db, '0190a1b2-0000-7000-8000-00000000dead', 'import')).rejects.toBeInstanceOf(PermanentJobError);
  });
});

it('a refusal ends the job; any other failure is left to the retries', async () => {
  await expect(refusalEndsJob(async () => 7)).resolves.toBe(7);
  const refused = refusalEndsJob(async () => {
    throw new ForbiddenError('your role in that compartment does not let you create records');
  });
  await expect(refused).rejects.toBeInstanceOf(PermanentJobError);
  await expect(refused).rejects.toThrow('your role in that compartment does not let you create records');
  const flaky = refusalEndsJob(async () => {
    throw new Error('database is locked');
  });
  await expect(flaky).rejects.not.toBeInstanceOf(PermanentJobError);
});

it('progress is reported only when its whole percent grows, at most 99, without waiting', async () => {
  const seen: [number, string | undefined][] = [];
  const report = onwardProgress({ progress: async (p, m) => void seen.push([p, m]) });
  report(0.001, 'a');
  report(0.009, 'b');
  report(0.5, 'c');
  report(0.4, 'd');
  report(1, 'e');
  report(1.5, 'f');
  expect(seen).toEqual([
    [0, 'a'],
    [50, 'c'],
    [99, 'e'],
  ]);
});
