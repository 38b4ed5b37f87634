/**
 * Settings of the protection of the person at the screen. The inactivity lock defaults to 10
 * minutes; a device's own choice (in seconds, 1 to 3600) is read from localStorage under
 * `letapis.lockAfterSeconds` — not sensitive, and what the browser tests use to lock in seconds.
 */
export const LOCK_AFTER_KEY = 'letapis.lockAfterSeconds';
export const DEFAULT_LOCK_AFTER_SECONDS = 600;
/** Two presses of Escape within this many milliseconds hide the screen. */
export const DOUBLE_ESCAPE_MS = 800;
/** How long a revealed identity stays on the screen. */
export const REVEAL_SECONDS = 30;

/** The lock delay in milliseconds from a stored value (anything unusable gives the default). */
export function lockAfterMs(stored: string | null | undefined): number {
  const n = Number(stored);
  if (stored == null || stored.trim() === '' || !Number.isFinite(n)) return DEFAULT_LOCK_AFTER_SECONDS * 1000;
  return Math.round(Math.min(Math.max(n, 1), 3600) * 1000);
}

export function storedLockAfterMs(): number {
  try {
    const storage = (globalThis as { localStorage?: { getItem(key: string): string | null } }).localStorage;
    return lockAfterMs(storage?.getItem(LOCK_AFTER_KEY));
  } catch {
    return DEFAULT_LOCK_AFTER_SECONDS * 1000;
  }
}

/** Whether an Escape at `now` is the second of a quick pair (the first one at `previous`). */
export const isDoubleEscape = (previous: number | null, now: number) => previous !== null && now - previous <= DOUBLE_ESCAPE_MS;
