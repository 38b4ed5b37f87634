/**
 * JSON Canonicalization Scheme (JCS), RFC 8785: the one byte sequence a JSON value hashes to.
 *
 * - RFC 8785 §3.2.1: no whitespace between tokens.
 * - RFC 8785 §3.2.2.1-3: literals, strings and numbers are written exactly as ECMAScript's
 *   `JSON.stringify` writes them (strings: `\b \t \n \f \r \" \\` short escapes, other controls as
 *   `\u00xx` lowercase, everything else literal; numbers: ECMAScript Number::toString, -0 as 0).
 * - RFC 8785 §3.2.3: object members sorted by their names compared as arrays of UTF-16 code units.
 * - RFC 8785 §3.1 / I-JSON (RFC 7493): strings must be valid Unicode (no lone surrogates) and
 *   numbers finite IEEE 754 doubles.
 *
 * Stricter than `JSON.stringify` on purpose: anything `JSON.stringify` would silently drop, coerce
 * or reinterpret (undefined, functions, symbols, bigint, NaN, Infinity, `toJSON`, class instances,
 * sparse arrays, cycles) is a `TypeError`, so two writers can never disagree on what was hashed.
 */

const LONE_SURROGATE = /\p{Cs}/u;

function fail(path: string, what: string): never {
  throw new TypeError(`canonicalJson: ${what} at ${path || '(root)'} cannot be canonicalised (RFC 8785)`);
}

function writeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) fail(path, 'a string with a lone surrogate');
  return JSON.stringify(s);
}

function write(value: unknown, path: string, stack: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return writeString(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(path, `the non-finite number ${String(value)}`);
      // ES Number::toString; JSON.stringify gives the same text and writes -0 as "0" (RFC 8785 §3.2.2.3).
      return JSON.stringify(value);
    case 'bigint':
      return fail(path, 'a bigint');
    case 'undefined':
      return fail(path, 'undefined');
    case 'function':
      return fail(path, 'a function');
    case 'symbol':
      return fail(path, 'a symbol');
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (stack.has(obj)) fail(path, 'a cycle');
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) {
        if (!Object.prototype.hasOwnProperty.call(obj, i)) fail(`${path}[${i}]`, 'a hole in a sparse array');
        parts.push(write(obj[i], `${path}[${i}]`, stack));
      }
      return `[${parts.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(obj) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      fail(path, `an object of class ${name} (only plain objects, arrays and primitives are JSON)`);
    }
    if (Object.getOwnPropertySymbols(obj).length > 0) fail(path, 'a symbol-keyed property');
    const keys = Object.keys(obj).sort(); // default sort compares UTF-16 code units (RFC 8785 §3.2.3)
    const parts: string[] = [];
    for (const key of keys) {
      const at = `${path}.${key}`;
      const name = writeString(key, at);
      parts.push(`${name}:${write((obj as Record<string, unknown>)[key], at, stack)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}

/**
 * The RFC 8785 (JCS) canonical JSON text of `value`. Throws `TypeError` on non-finite numbers,
 * bigint, undefined (including object properties whose value is undefined: rejected, not
 * skipped), functions, symbols, lone surrogates, non-plain objects, sparse arrays and cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '', new Set());
}

/** The UTF-8 bytes of `canonicalJson(value)` (RFC 8785 §3.2.4: the canonical form is UTF-8). */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
