import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { inTransaction } from '../../adapters/db/transaction.js';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { completeJob, failJob, renewLease, saveProgress } from '../../adapters/queue/jobs.repository.js';
import type { JobContext, JobDefinition, JobHandler, JobName, JobPayloads } from '../../adapters/queue/queue.port.js';

const LEASE_MS = 60_000;

/**
 * Runs a job in this process (the CLI's `letapis import …`), through the same handler the workers
 * run: the job is enqueued and taken by this process in one transaction (no worker ever sees it
 * queued), its progress and result are kept on the job as a worker would keep them, and it is
 * followed in /admin/jobs like any other. Should this process die, the lease runs out and a worker
 * tries it again, which the importers allow (they are idempotent). Returns the handler's result.
 *
 * @example const report = await runJobHere(c.db, 'imports.telegram', payload, telegramImportJob(deps), { compartmentId, onProgress: (p, m) => bar.update(p) })
 */
export async function runJobHere<N extends JobName>(
  db: Kysely<any>,
  name: N,
  payload: JobPayloads[N],
  def: JobHandler<N> | JobDefinition<N>,
  opts: { compartmentId?: string | null; onProgress?: (percent: number, message?: string) => void } = {},
): Promise<{ jobId: string; result: Record<string, unknown> | undefined }> {
  const workerId = `${hostname()}/${process.pid}/cli`;
  const leaseUntil = () => new Date(Date.now() + LEASE_MS).toISOString();
  const jobId = await inTransaction(db, async (trx) => {
    const job = await enqueue(trx, name, payload, { compartmentId: opts.compartmentId ?? null, maxAttempts: 1 });
    const now = new Date().toISOString();
    await trx.updateTable('jobs').set({ state: 'running', attempts: 1, locked_by: workerId, locked_until: leaseUntil(), updated_at: now }).where('id', '=', job.id).execute();
    return job.id;
  });
  const controller = new AbortController();
  const heartbeat = setInterval(() => {
    renewLease(db, jobId, workerId, leaseUntil()).then(
      (ok) => void (ok || controller.abort(new Error('the job is no longer this process’s'))),
      () => {},
    );
  }, LEASE_MS / 3);
  let savedAt = -Infinity;
  const ctx: JobContext = {
    jobId,
    attempt: 1,
    maxAttempts: 1,
    signal: controller.signal,
    progress: async (percent, message) => {
      opts.onProgress?.(percent, message);
      // as the worker does: a handler reporting in a tight loop writes a few times a second at most
      if (Date.now() - savedAt < 250 && percent < 100) return;
      savedAt = Date.now();
      await saveProgress(db, jobId, workerId, Math.max(0, Math.min(100, Math.round(percent))), message?.slice(0, 500) ?? null, new Date().toISOString());
    },
  };
  const handler = typeof def === 'function' ? def : def.run;
  try {
    const result = (await handler(payload, ctx)) ?? undefined;
    await completeJob(db, jobId, workerId, result ? JSON.stringify(result) : null, new Date().toISOString());
    return { jobId, result };
  } catch (e) {
    await failJob(db, jobId, workerId, ((e as Error)?.message ?? String(e)).slice(0, 2000), null, new Date().toISOString()).catch(() => {});
    throw e;
  } finally {
    clearInterval(heartbeat);
  }
}
