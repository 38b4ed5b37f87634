import { RECORD_TYPE_NAMES } from '../../domain/records/fields.js';
import { recordType } from '../../domain/records/catalog.js';
import type { FieldProblem } from '../../domain/errors.js';

/**
 * The machine codes of the importers' problems (docs/IMPORTS.md, "Problem codes"). A report's
 * problem keeps its English `reason` (the CLI and API users read it) and adds `code` and `params`,
 * from which the web says it in the reader's language. Params hold only what is safe to show to
 * every member of the compartment: numbers, record type and vocabulary names, column positions —
 * never a cell's content or a file's name.
 */
export const PROBLEM_CODES = [
  // a list's cells (lists/convert.ts)
  'not-a-date',
  'not-a-calendar-date',
  'not-a-whole-date',
  'date-without-day',
  'not-a-whole-number',
  'not-a-number',
  'not-yes-or-no',
  'not-an-allowed-value',
  'unknown-term',
  'not-a-record-id',
  'identity-part-needed',
  // the record's own checks (ValidationError of the records use cases)
  'required',
  'record-not-found',
  'deprecated-term',
  'exactly-one-of',
  'at-least-one-of',
  'end-before-start',
  'latitude-and-longitude',
  'too-long',
  'too-many',
  'too-large',
  'too-small',
  // Telegram exports (telegram/parse.ts, telegram.usecases.ts)
  'chat-without-id',
  'entry-not-an-object',
  'service-message',
  'unknown-entry-kind',
  'no-message-id',
  'no-message-date',
  'local-dates-as-utc',
  'attachment-not-exported',
  'file-missing',
  'not-a-regular-file',
  'file-too-large',
  'file-not-read',
  // folders (folder/metadata.ts, folder.usecases.ts)
  'folder-unreadable',
  'file-gone',
  'symbolic-link',
  'unknown-column',
  'file-cell-empty',
  'path-empty',
  'path-nul-byte',
  'path-absolute',
  'path-climbs-out',
  'path-outside-folder',
  'path-through-link',
  'no-such-file',
  'described-twice',
  'sidecar-not-read-row-describes',
  'sidecar-too-large',
  'sidecar-not-utf8',
  'sidecar-too-deep',
  'sidecar-not-json',
  'sidecar-not-object',
  'sidecar-links-malformed',
  'sidecar-value-not-text',
  'sidecar-unknown-key',
  'sidecar-broken',
  'link-malformed',
  'link-unknown-type',
  'link-not-a-record-id',
  'no-metadata',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Values a problem's translation needs: numbers and names, never a cell's content. */
export type ProblemParams = Record<string, string | number>;

/** What every importer's problem may carry beside its `reason`. */
export interface Coded {
  code?: ProblemCode;
  params?: ProblemParams;
}

/** A field problem with its code: what checks inside the importers throw. */
export interface CodedFieldProblem extends FieldProblem, Coded {}

/** `{ code, params }` without an empty params object. */
export function coded(code: ProblemCode, params?: ProblemParams): Coded {
  return params && Object.keys(params).length ? { code, params } : { code };
}

const TYPE_BY_SINGULAR = new Map<string, string>(RECORD_TYPE_NAMES.map((n) => [recordType(n).singular, n]));

/**
 * The code of a record's validation message, for the shapes the records use cases and the zod
 * schemas always write the same way; `{}` for any other (the web then shows the English reason).
 * A code already on the problem (the importers' own checks) is kept.
 *
 * @example codeOfRecordProblem({ field: 'place', message: 'no place has id 0190…' }) // → { code: 'record-not-found', params: { type: 'places' } }
 */
export function codeOfRecordProblem(p: FieldProblem & Coded): Coded {
  if (p.code) return coded(p.code, p.params);
  const m = p.message;
  let r: RegExpExecArray | null;
  if (m === 'is required' || /^Invalid input: expected \w+, received undefined$/.test(m)) return coded('required');
  if ((r = /^no (.+) has id \S+$/.exec(m)) && TYPE_BY_SINGULAR.has(r[1]!)) return coded('record-not-found', { type: TYPE_BY_SINGULAR.get(r[1]!)! });
  if ((r = /^"[^"]*" is not a code of the "([a-z0-9-]+)" vocabulary$/.exec(m))) return coded('unknown-term', { vocabulary: r[1]! });
  if ((r = /^"[^"]*" is deprecated in the "([a-z0-9-]+)" vocabulary/.exec(m))) return coded('deprecated-term', { vocabulary: r[1]! });
  if ((r = /^give exactly one of ([\w, ]+) \(/.exec(m))) return coded('exactly-one-of', { fields: r[1]! });
  if ((r = /^give at least one of ([\w, ]+) \(/.exec(m))) return coded('at-least-one-of', { fields: r[1]! });
  if ((r = /^(\w+) is before (\w+)$/.exec(m))) return coded('end-before-start', { end: r[1]!, start: r[2]! });
  if (m === 'give both latitude and longitude, or neither') return coded('latitude-and-longitude');
  if (/^"[^"]*" is not a real calendar date$/.test(m)) return coded('not-a-calendar-date');
  if ((r = /^Too big: expected string to have <=?(\d+) characters$/.exec(m))) return coded('too-long', { max: Number(r[1]) });
  if ((r = /^Too big: expected array to have <=?(\d+) items$/.exec(m))) return coded('too-many', { max: Number(r[1]) });
  if ((r = /^Too big: expected (?:number|int|bigint) to be <=?(-?\d+(?:\.\d+)?)$/.exec(m))) return coded('too-large', { max: Number(r[1]) });
  if ((r = /^Too small: expected (?:number|int|bigint) to be >=?(-?\d+(?:\.\d+)?)$/.exec(m))) return coded('too-small', { min: Number(r[1]) });
  return {};
}
