import type { JsonValue } from './metadata.types.js';

/** Text safe for jsonb: no NUL characters, at most `max` characters. */
export function cleanText(s: string, max = 4096): string {
  // eslint-disable-next-line no-control-regex
  const t = s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/**
 * Any parsed value as bounded JSON: strings capped, binary as base64 (or only its length when
 * long), non-finite numbers null, at most 6 levels, 256 array items and 500 keys.
 */
export function toJsonValue(v: unknown, depth = 0): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) {
    return v.length <= 256 ? { base64: Buffer.from(v).toString('base64'), length: v.length } : { length: v.length };
  }
  if (depth >= 6) return null;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = Array.from(v as ArrayLike<unknown>).slice(0, 256);
    return arr.map((x) => toJsonValue(x, depth + 1));
  }
  if (typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    let n = 0;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (n++ >= 500) break;
      if (typeof x === 'function') continue;
      out[cleanText(k, 200)] = toJsonValue(x, depth + 1);
    }
    return out;
  }
  return null;
}

export function optString(v: unknown, max = 512): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = cleanText(v, max).trim();
  return t.length ? t : undefined;
}

export function optNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
