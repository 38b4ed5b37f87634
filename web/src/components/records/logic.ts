import type { DatePrecision, FuzzyDate, RecordField, RecordTypeMeta, StoredRecord } from './types.js';
import { intlChoice } from '../../i18n/format.js';

/**
 * The pure parts of the record pages: approximate dates written as a person would, form values to
 * request bodies and back, a record's name for links, a list's order and saved views. Tested in
 * logic.test.ts.
 */

/** The words a fuzzy date needs in the UI's language (from the catalog). */
export interface FuzzyWords {
  about: (date: string) => string;
  unknown: string;
}

/**
 * An approximate date as written: "2020", "August 2020", "10 August 2020", "about 10 August 2020",
 * an exact time with its minutes. Digits only where the browser lacks the language (format.ts).
 */
export function formatFuzzyDate(d: FuzzyDate | null | undefined, lang: string, words: FuzzyWords, choice = intlChoice(lang)): string {
  if (!d || d.precision === 'unknown' || !d.value) return words.unknown;
  const v = d.value;
  const { locale, numeric } = choice;
  let text: string;
  if (/^\d{4}$/.test(v)) text = v;
  else if (/^\d{4}-\d{2}$/.test(v)) {
    const date = new Date(`${v}-01T12:00:00Z`);
    text = numeric ? `${v.slice(5, 7)}.${v.slice(0, 4)}` : new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const date = new Date(`${v}T12:00:00Z`);
    text = new Intl.DateTimeFormat(locale, numeric ? { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } else {
    const date = new Date(v);
    text = Number.isNaN(date.getTime())
      ? v
      : new Intl.DateTimeFormat(locale, numeric ? { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } : { dateStyle: 'long', timeStyle: 'short' }).format(date);
  }
  return d.precision === 'estimate' ? words.about(text) : text;
}

/** What a fuzzy date input holds: the precision chosen and the text typed. */
export interface FuzzyDraft {
  precision: DatePrecision | '';
  value: string;
}

/** The precision a typed value has, when "estimate" is not chosen (for guessing from old values). */
export function precisionOf(value: string): DatePrecision {
  if (/^\d{4}$/.test(value)) return 'year';
  if (/^\d{4}-\d{2}$/.test(value)) return 'month';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'day';
  return 'exact';
}

/** A form value as the field's JSON: null for an empty optional value. */
export function toJson(field: RecordField, value: unknown): unknown {
  switch (field.kind) {
    case 'text':
    case 'enum':
    case 'vocab':
    case 'ref':
    case 'date': {
      const s = typeof value === 'string' ? value : '';
      return field.kind === 'text' ? (s.trim() === '' ? null : s) : s === '' ? null : s;
    }
    case 'int':
    case 'number': {
      if (value === '' || value === null || value === undefined) return null;
      const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
      // a value that is not a number goes to the server as typed, which says what is wrong at the field
      return Number.isFinite(n) ? n : value;
    }
    case 'bool':
      return value === 'true' ? true : value === 'false' ? false : null;
    case 'vocabList':
    case 'refList':
      return Array.isArray(value) ? value : [];
    case 'fuzzyDate': {
      const d = value as FuzzyDraft | undefined;
      if (!d || d.precision === '') return null;
      if (d.precision === 'unknown') return { value: null, precision: 'unknown' };
      return { value: d.value.trim() === '' ? null : d.value.trim(), precision: d.precision };
    }
    case 'datetime': {
      const s = typeof value === 'string' ? value : '';
      return s === '' ? null : localToIso(s);
    }
    default:
      return undefined;
  }
}

/** A field's JSON as a form value. */
export function fromJson(field: RecordField, json: unknown): unknown {
  switch (field.kind) {
    case 'int':
    case 'number':
      return typeof json === 'number' ? String(json) : '';
    case 'bool':
      return json === true ? 'true' : json === false ? 'false' : '';
    case 'vocabList':
    case 'refList':
      return Array.isArray(json) ? json : [];
    case 'fuzzyDate': {
      const d = json as FuzzyDate | null | undefined;
      return d ? { precision: d.precision, value: d.value ?? '' } : { precision: '', value: '' };
    }
    case 'datetime':
      return typeof json === 'string' ? isoToLocal(json) : '';
    default:
      return typeof json === 'string' ? json : '';
  }
}

/** `2020-08-10T23:15` in the browser's zone → ISO with its offset (`…T23:15:00+03:00`). */
export function localToIso(local: string, offsetMinutes = -new Date(local).getTimezoneOffset()): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return local;
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.slice(0, 16)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An ISO date-time → the value of an <input type="datetime-local"> in the browser's zone. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Fields a form offers: identities are written and revealed elsewhere (the identity panel). */
export const formFields = (meta: RecordTypeMeta): RecordField[] => meta.fields.filter((f) => f.kind !== 'identity');

/**
 * The body to send: on create every field given a value; on edit only the fields whose value
 * changed (so a change made meanwhile to another field is not overwritten by what this form read).
 */
export function requestBody(meta: RecordTypeMeta, values: Record<string, unknown>, original?: StoredRecord, compartment?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of formFields(meta)) {
    const json = toJson(f, values[f.name]);
    if (!original) {
      if (json === null || json === undefined || (Array.isArray(json) && json.length === 0)) continue;
      body[f.name] = json;
    } else {
      const before = toJson(f, fromJson(f, original[f.name]));
      if (JSON.stringify(before) !== JSON.stringify(json)) body[f.name] = json;
    }
  }
  if (compartment && (!original || original.compartment !== compartment)) body.compartment = compartment;
  return body;
}

/** A record's name for links and headings: its first label field with a value, as text (codes as codes). */
export function recordLabelValue(meta: RecordTypeMeta, record: Record<string, unknown>): { field: RecordField; value: unknown } | null {
  for (const name of meta.labelFields) {
    const field = meta.fields.find((f) => f.name === name);
    const v = record[name];
    if (field && v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) return { field, value: v };
  }
  return null;
}

/** Orders every list offers, newest first by default. */
export const COMMON_SORTS = ['-createdAt', 'createdAt', '-updatedAt', 'updatedAt'] as const;
export const DEFAULT_SORT = '-createdAt';

/** The orders a type's list accepts: the common ones and each field the catalog marks sortable, both ways. */
export function sortsOf(meta: RecordTypeMeta): string[] {
  return [...COMMON_SORTS, ...meta.fields.filter((f) => f.sortable).flatMap((f) => [f.name, `-${f.name}`])];
}

/** The order a `sort` parameter names, when the type accepts it; else the default (newest first). */
export function sortOf(meta: RecordTypeMeta, param: string | null): string {
  return param && sortsOf(meta).includes(param) ? param : DEFAULT_SORT;
}

/**
 * The order after clicking a column's header: the other direction when the list is ordered by it
 * already, else ascending (A→Z, earliest first, smallest first); creation and change times start
 * newest first, as the list does.
 */
export function toggledSort(current: string, field: string): string {
  if (current === field) return `-${field}`;
  if (current === `-${field}`) return field;
  return field === 'createdAt' || field === 'updatedAt' ? `-${field}` : field;
}

/** What `aria-sort` a column's header carries under the current order. */
export function ariaSortOf(current: string, field: string): 'ascending' | 'descending' | 'none' {
  return current === field ? 'ascending' : current === `-${field}` ? 'descending' : 'none';
}

/** A saved view of a list as the server keeps it (GET /api/v1/saved-views), per account and type. */
export interface SavedView {
  id: string;
  type: string;
  name: string;
  /** The list's query parameters: filters, `sort`, `cols`. */
  query: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Parameters of the address that page rather than choose, and the name searched for (never kept). */
const NOT_IN_VIEWS = new Set(['cursor', 'limit', 'name']);

/**
 * What a view keeps of the page's address: its filters, columns and order (always, so applying it
 * restores the order even when the default changes), never paging or a person's name searched for.
 */
export function viewQueryOf(params: URLSearchParams, sort: string): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of params) if (v && !NOT_IN_VIEWS.has(k)) q[k] = v;
  q.sort = sort;
  return q;
}

/**
 * Views saved before they moved to the server were kept in this browser's localStorage, per
 * account and type (filters, order and columns). The page offers once to import them into the
 * account, then removes the key either way.
 */
export const legacyViewsKey = (userId: string, type: string) => `letapis.records.views.${userId}.${type}`;

export interface LegacyView {
  name: string;
  params: Record<string, string>;
  columns: string[];
}

/** The well-formed views under a legacy key, as a name and the query to save. */
export function readLegacyViews(storage: { getItem(key: string): string | null }, key: string): { name: string; query: Record<string, string> }[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((v): v is LegacyView => v && typeof v.name === 'string' && v.name.trim() !== '' && v.params && typeof v.params === 'object' && Array.isArray(v.columns))
      .map((v) => {
        const query: Record<string, string> = {};
        for (const [k, x] of Object.entries(v.params)) if (typeof x === 'string' && x && !NOT_IN_VIEWS.has(k)) query[k] = x;
        if (v.columns.length) query.cols = v.columns.filter((c) => typeof c === 'string').join(',');
        return { name: v.name.trim().slice(0, 100), query };
      });
  } catch {
    return [];
  }
}

/** The server's English message for a field, as a key of the catalog when it is one we know. */
export type ProblemKind = 'required' | 'notADate' | 'dateForm' | 'endBeforeStart' | 'exactlyOne' | 'atLeastOne' | 'noSuchRecord' | 'tooLong' | 'notANumber' | 'outOfRange' | 'other';

export function problemKind(message: string): ProblemKind {
  if (/is required|must not be empty|needs a value/.test(message)) return 'required';
  if (/not a real calendar date/.test(message)) return 'notADate';
  if (/does not fit precision|Invalid ISO date|invalid date/i.test(message)) return 'dateForm';
  if (/ is before /.test(message)) return 'endBeforeStart';
  if (/give exactly one of/.test(message)) return 'exactlyOne';
  if (/give at least one of/.test(message)) return 'atLeastOne';
  if (/^no .+ has id |must be a record id/.test(message)) return 'noSuchRecord';
  if (/Too big: expected string|too long|at most \d+ character/i.test(message)) return 'tooLong';
  if (/Too (big|small): expected (number|int)/i.test(message)) return 'outOfRange';
  if (/expected number|expected int/i.test(message)) return 'notANumber';
  return 'other';
}

/**
 * The fields a record made from a picker needs: its required text fields, or else its first name
 * field in the UI's language (units, places), when nothing else is required.
 */
export function quickCreateFields(meta: RecordTypeMeta, lang: string): string[] {
  const required = meta.fields.filter((f) => f.required);
  if (required.length > 0) return required.every((f) => f.kind === 'text' && !f.sensitive) ? required.map((f) => f.name) : [];
  const names = meta.labelFields.filter((n) => meta.fields.find((f) => f.name === n)?.kind === 'text');
  const mine = names.find((n) => n.toLowerCase().endsWith(lang));
  return mine ? [mine] : names.slice(0, 1);
}
