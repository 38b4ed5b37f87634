import { randomUUID } from 'node:crypto';

/**
 * The only time the drop keeps: the UTC day (YYYY-MM-DD). A finer time could be matched against
 * network logs to find a source.
 */
export function utcDay(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/** A random id (UUID v4): unlike uuidv7, it carries no time and no order. */
export function randomId(): string {
  return randomUUID();
}
