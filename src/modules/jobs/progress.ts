import type { JobContext } from '../../adapters/queue/queue.port.js';

/**
 * A job's progress reported only when its whole percent grows (a share of 0–1 → 0–99; the queue
 * reports 100 when the job is done), without waiting for the report to be written: long work calls
 * it for every row or chunk.
 *
 * @example const report = onwardProgress(ctx); report(done / total, `${done} of ${total} rows`)
 */
export function onwardProgress(ctx: Pick<JobContext, 'progress'>): (share: number, message: string) => void {
  let last = -1;
  return (share, message) => {
    const pct = Math.max(0, Math.min(99, Math.floor(share * 100)));
    if (pct <= last) return;
    last = pct;
    void ctx.progress(pct, message).catch(() => {});
  };
}
