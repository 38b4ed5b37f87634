/**
 * How long to wait before the next try of a job that failed its `attempt`-th try: exponential
 * (base, 2·base, 4·base, … up to `maxMs`) with "equal jitter" — half the delay fixed, half random —
 * so jobs that failed together (a database hiccup) do not all come back at the same moment.
 *
 * @example backoffDelay(3, { baseMs: 1000, maxMs: 3_600_000 }) // between 2000 and 4000
 */
export function backoffDelay(attempt: number, opts: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
