/**
 * The shapes of the record catalog and of a record as the API answers them (GET /api/v1/record-types,
 * GET /api/v1/<type>/:id), without imports, so pure logic and its tests use them alone.
 */

/** A name in each UI language. */
export interface LocalLabels {
  en: string;
  be: string;
  ru: string;
}

export type FieldKind = 'text' | 'int' | 'number' | 'bool' | 'enum' | 'vocab' | 'vocabList' | 'ref' | 'refList' | 'fuzzyDate' | 'date' | 'datetime' | 'identity';

export interface RecordField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string;
  vocabulary?: string;
  target?: string;
  values?: string[];
  valueLabels?: Record<string, LocalLabels>;
  label: LocalLabels;
  multiline?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  sensitive?: 'identity' | 'prose';
  /** The list's query parameters this field offers as filters (`start` → startFrom, startTo). */
  filters: string[];
  /** The list can be ordered by this field (`sort=start`, `sort=-start`). */
  sortable?: boolean;
}

export interface RecordTypeMeta {
  name: string;
  singular: string;
  description: string;
  label: LocalLabels;
  pluralLabel: LocalLabels;
  labelFields: string[];
  fields: RecordField[];
}

export const DATE_PRECISIONS = ['exact', 'day', 'month', 'year', 'estimate', 'unknown'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
export interface FuzzyDate {
  value: string | null;
  precision: DatePrecision;
}

export interface RecordPermissions {
  update: boolean;
  delete: boolean;
  revealIdentity: boolean;
}

/** A record as the API answers it: system fields, then the type's fields by name. */
export interface StoredRecord {
  id: string;
  recordType: string;
  compartment: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  hidden: string[];
  permissions: RecordPermissions;
  [field: string]: unknown;
}

