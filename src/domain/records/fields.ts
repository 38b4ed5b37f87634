import type { VocabularyName } from '../vocabularies/vocabulary.js';

/**
 * The shape of a record type, declared once and read by the schemas (validation and OpenAPI),
 * the repository (columns, filters, references), the use cases (vocabulary and reference checks)
 * and the delete guard (who refers to whom).
 */

export type FieldKind =
  | { kind: 'text'; maxLength?: number; multiline?: boolean }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'vocab'; vocabulary: VocabularyName }
  | { kind: 'vocabList'; vocabulary: VocabularyName }
  | { kind: 'ref'; target: RecordTypeName }
  | { kind: 'refList'; target: RecordTypeName }
  | { kind: 'fuzzyDate' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  /** A person's identity (legal names, birth, contacts, addresses, documents): always encrypted. */
  | { kind: 'identity' };

export type FieldDef = FieldKind & {
  /** Required on create; may never be cleared by an update. */
  required?: boolean;
  /** Offered as a list filter (`?field=value`); refs, vocab, enum and bool fields default to yes. */
  filter?: boolean;
  /** Human description, shown in the OpenAPI document. */
  description: string;
  /**
   * Stored encrypted (XChaCha20-Poly1305 under the record's data key), never in a column.
   * `identity`: shown only to those who may reveal identities, with a stated reason, audited.
   * `prose`: shown to the record's readers; protected on disk and in backups.
   */
  sensitive?: 'identity' | 'prose';
  /**
   * Offered as a list order (`?sort=field` / `?sort=-field`). Derived from the kind when absent
   * (`isSortable`); `false` turns a sortable kind off, `true` cannot turn on an unsortable one.
   */
  sortable?: boolean;
};

/** Which precision an approximate date has (HURIDOCS "date type"). */
export const DATE_PRECISIONS = ['exact', 'day', 'month', 'year', 'estimate', 'unknown'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** A date that may be approximate: `{ value: '2020-08', precision: 'month' }`. */
export interface FuzzyDate {
  value: string | null;
  precision: DatePrecision;
}

/** A rule over the whole record that a single field cannot express. Returns error messages by field. */
export type RecordRule = (record: Record<string, unknown>) => { field: string; message: string }[];

export interface RecordTypeDef {
  /** URL segment and record-type name, plural and kebab-case: `custody-stays`. */
  name: RecordTypeName;
  /** Singular English noun for messages: `custody stay`. */
  singular: string;
  /** SQL table name. */
  table: string;
  /** What this record is, one sentence for the docs. */
  description: string;
  fields: Record<string, FieldDef>;
  /** Fields tried in order to build a human label for links. */
  labelFields: string[];
  rules?: RecordRule[];
}

export const RECORD_TYPE_NAMES = [
  'events',
  'persons',
  'person-names',
  'units',
  'positions',
  'places',
  'facilities',
  'acts',
  'detentions',
  'custody-stays',
  'proceedings',
  'charges',
  'sentences',
  'involvements',
  'information',
  'consents',
  'testimonies',
  'medical-findings',
  'cases',
  'qualifications',
  'qualification-elements',
  'messages',
] as const;

export type RecordTypeName = (typeof RECORD_TYPE_NAMES)[number];

/** snake_case of a camelCase field name: `detainedAt` → `detained_at`. */
export function columnName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The columns a field occupies in its record's table (none for list kinds, which live in side tables). */
export function fieldColumns(field: string, def: FieldDef): string[] {
  if (def.sensitive || def.kind === 'identity') return [];
  switch (def.kind) {
    case 'vocabList':
    case 'refList':
      return [];
    case 'ref':
      return [`${columnName(field)}_id`];
    case 'fuzzyDate':
      // value as given, its precision, and the earliest day it may mean (for sorting and ranges)
      return [`${columnName(field)}_value`, `${columnName(field)}_precision`, `${columnName(field)}_from`];
    default:
      return [columnName(field)];
  }
}

/** Whether a field is kept encrypted in record_secrets rather than in a column. */
export function isSecretField(def: FieldDef): boolean {
  return Boolean(def.sensitive) || def.kind === 'identity';
}

/**
 * Whether a list may be ordered by this field: one-line text, numbers, dates and approximate dates
 * kept in a plain column. Never an encrypted field (identity, prose secrets), never long prose;
 * enums, vocabulary codes, references and yes/no are left out, since their stored codes or ids
 * order nothing a reader sees.
 */
export function isSortable(def: FieldDef): boolean {
  if (def.sortable === false || isSecretField(def)) return false;
  switch (def.kind) {
    case 'text':
      return !def.multiline;
    case 'int':
    case 'number':
    case 'fuzzyDate':
    case 'date':
    case 'datetime':
      return true;
    default:
      return false;
  }
}

/** The column a sortable field is ordered by: an approximate date by the earliest day it may mean. */
export function sortColumn(field: string, def: FieldDef): string {
  return def.kind === 'fuzzyDate' ? `${columnName(field)}_from` : columnName(field);
}

/** The column holding a field's displayable value (for labels): the first of its columns. */
export function labelColumn(field: string, def: FieldDef): string {
  return fieldColumns(field, def)[0] ?? columnName(field);
}

/**
 * Whether a fuzzy date's value has the form its precision requires.
 * exact: full ISO date-time; day: YYYY-MM-DD; month: YYYY-MM; year: YYYY; estimate: any of these;
 * unknown: no value.
 *
 * @example fuzzyDateProblem({ value: '2020-08', precision: 'month' }) // → null
 */
export function fuzzyDateProblem(d: FuzzyDate): string | null {
  const { value, precision } = d;
  if (precision === 'unknown') return value ? 'an unknown date carries no value' : null;
  if (!value) return `a date of precision "${precision}" needs a value`;
  const forms: Record<Exclude<DatePrecision, 'unknown' | 'estimate'>, RegExp> = {
    exact: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/,
    day: /^\d{4}-\d{2}-\d{2}$/,
    month: /^\d{4}-\d{2}$/,
    year: /^\d{4}$/,
  };
  const ok =
    precision === 'estimate'
      ? Object.values(forms).some((re) => re.test(value))
      : forms[precision].test(value);
  if (!ok) {
    const expected = {
      exact: 'an ISO date-time with zone, e.g. 2020-08-10T23:15:00+03:00',
      day: 'YYYY-MM-DD',
      month: 'YYYY-MM',
      year: 'YYYY',
      estimate: 'YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time',
    }[precision];
    return `"${value}" does not fit precision "${precision}": expected ${expected}`;
  }
  if (!calendarValid(value)) return `"${value}" is not a real calendar date`;
  return null;
}

function calendarValid(value: string): boolean {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!m) return false;
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  if (month < 1 || month > 12) return false;
  const dim = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
  return day >= 1 && day <= dim;
}

/** The earliest instant a fuzzy date may mean, as a sortable ISO prefix (`2020-08` → `2020-08-01`). */
export function fuzzyDateLowerBound(d: FuzzyDate): string | null {
  if (!d.value) return null;
  const v = d.value;
  if (/^\d{4}$/.test(v)) return `${v}-01-01`;
  if (/^\d{4}-\d{2}$/.test(v)) return `${v}-01`;
  return v.slice(0, 10);
}
