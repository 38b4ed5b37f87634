import type { Container } from '../app/container.js';
import { createJobWorker } from '../modules/jobs/jobs.worker.js';

/**
 * Runs the real job worker (every feature's handlers) until no job is queued, running or waiting to
 * retry; fails when some are still unfinished after `ms`.
 *
 * @example await runJobsUntilIdle(c) // after enqueuing, before reading what the jobs made
 */
export async function runJobsUntilIdle(c: Container, ms = 60_000): Promise<void> {
  const worker = createJobWorker(c, { pollMs: 50, concurrency: 2, backoff: { baseMs: 50, maxMs: 200 } });
  worker.start();
  try {
    const end = Date.now() + ms;
    for (;;) {
      const open = await c.db.selectFrom('jobs').select(['id', 'name', 'state']).where('state', 'in', ['queued', 'running', 'failed']).execute();
      if (open.length === 0) break;
      if (Date.now() > end) throw new Error(`jobs still unfinished after ${ms} ms: ${JSON.stringify(open)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await worker.stop();
  }
}
