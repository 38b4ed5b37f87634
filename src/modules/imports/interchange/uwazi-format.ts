import type { FieldDef, FuzzyDate, RecordTypeDef, RecordTypeName } from '../../../domain/records/fields.js';
import { fuzzyDateProblem } from '../../../domain/records/fields.js';
import { parseFuzzyDate, VocabIndex, type VocabTerm } from '../lists/convert.js';

/**
 * Uwazi's CSV conventions, as Letapis writes and reads them (docs/IMPORTS.md, "Interchange"):
 * a `title` column, one column per field named as Uwazi names properties (lower case, words joined
 * by `_`), `title__be` / `title__ru` / `title__en` for the names kept in three languages, `|`
 * between several values, `parent::child` for a term of a hierarchical vocabulary (by codes, so
 * that a round trip is exact), dates as `YYYY-MM-DD` (Uwazi's default format) with the precision
 * Letapis keeps (`2020-08`, `2020`, `~` for an estimate, `?` for unknown), references by the
 * referenced record's title. Pure: vocabularies and titles come in from the caller.
 */

/** Fields that hold a record's name in three languages: written as `title__be`, `title__ru`, `title__en`. */
export const NAME_FIELDS = { nameBe: 'be', nameRu: 'ru', nameEn: 'en' } as const;
export const MULTI = '|';
export const PATH = '::';

/** Uwazi's property name of a field: `statedReason` → `stated_reason`. */
export function columnOf(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The column of a field of a type: its Uwazi property name, except that a field called `title` that
 * is not the record's title (a position's title of post) is `<type>_title` (`position_title`).
 */
export function fieldColumn(def: RecordTypeDef, field: string): string {
  const c = columnOf(field);
  if (c !== 'title') return c;
  const t = titleKind(def);
  return t.kind === 'field' && t.field === field ? 'title' : `${columnOf(def.singular.replace(/ /g, '_'))}_title`;
}

/** How a record type's title is made. */
export type TitleKind =
  /** the title is one of the record's required text fields (events: title; persons: pseudonym) */
  | { kind: 'field'; field: string }
  /** the title is the name in the first language that has one; names go in title__be/ru/en */
  | { kind: 'names' }
  /** no field makes a title: it is composed (label fields, then the titles of required references) and not imported */
  | { kind: 'composed' };

export function titleKind(def: RecordTypeDef): TitleKind {
  const [first] = def.labelFields;
  if (def.labelFields.every((f) => f in NAME_FIELDS) && def.labelFields.length === 3) return { kind: 'names' };
  // only a field every record has can be the title: an optional one (a testimony's title) may be empty, so the title is composed
  if (def.labelFields.length === 1 && first && def.fields[first]?.kind === 'text' && def.fields[first]?.required) return { kind: 'field', field: first };
  return { kind: 'composed' };
}

/** Whether a field is exported by default: encrypted fields (identity, sealed prose) only on request. */
export function isSensitive(f: FieldDef): boolean {
  return Boolean((f as { sensitive?: string }).sensitive);
}

/** The fields that are columns of their own (not the title, not the names, not the identity). */
export function columnFields(def: RecordTypeDef, withSensitive: boolean): [string, FieldDef][] {
  const t = titleKind(def);
  return Object.entries(def.fields).filter(([name, f]) => {
    if (f.kind === 'identity') return false;
    if (t.kind === 'field' && name === t.field) return false;
    if (t.kind === 'names' && name in NAME_FIELDS) return false;
    return withSensitive || !isSensitive(f);
  });
}

/** The header of a type's CSV, in a fixed order. */
export function headerOf(def: RecordTypeDef, withSensitive: boolean): string[] {
  const names = titleKind(def).kind === 'names' ? ['title__be', 'title__ru', 'title__en'] : [];
  return ['title', ...names, ...columnFields(def, withSensitive).map(([n]) => fieldColumn(def, n))];
}

// ── vocabulary paths ────────────────────────────────────────────────────────────────────────

/** A vocabulary's terms with their parents: `parent::child` by codes, and a term back from such a path. */
export class VocabPaths {
  private readonly parents = new Map<string, string | null>();
  private readonly english = new Map<string, string>();
  private readonly index: VocabIndex;
  constructor(
    readonly vocabulary: string,
    terms: (VocabTerm & { parent: string | null })[],
  ) {
    for (const t of terms) {
      this.parents.set(t.code, t.parent);
      this.english.set(t.code, t.labels.en);
    }
    this.index = new VocabIndex(terms);
  }

  /** The English label of a code (the code itself when the term is unknown). */
  labelOf(code: string): string {
    return this.english.get(code) || code;
  }

  /** `parent::child` (every ancestor, root first) of a code. */
  pathOf(code: string): string {
    const chain = [code];
    const seen = new Set(chain);
    for (let p = this.parents.get(code); p && !seen.has(p); p = this.parents.get(p)) {
      chain.unshift(p);
      seen.add(p);
    }
    return chain.join(PATH);
  }

  /**
   * The code a path names: its last part matched by code or any label (as lists are read), its
   * other parts the term's ancestors. Unknown → the closest terms.
   */
  codeOf(path: string): { code: string } | { reason: string; suggestions: { code: string; label: string }[] } {
    const parts = path.split(PATH).map((p) => p.trim());
    const last = parts[parts.length - 1] ?? '';
    const code = this.index.match(last);
    if (!code)
      return {
        reason: `is not a term of the "${this.vocabulary}" vocabulary (by code or by its Belarusian, Russian or English label); terms are never added by an import`,
        suggestions: this.index.suggest(last),
      };
    if (parts.length > 1) {
      const ancestors = this.pathOf(code).split(PATH).slice(0, -1);
      const named = parts.slice(0, -1).map((p) => this.index.match(p));
      if (named.length !== ancestors.length || named.some((c, i) => c !== ancestors[i]))
        return { reason: `names "${code}" under parents it does not have in the "${this.vocabulary}" vocabulary (its path is ${this.pathOf(code)})`, suggestions: [{ code, label: this.pathOf(code) }] };
    }
    return { code };
  }
}

// ── dates ──────────────────────────────────────────────────────────────────────────────────

/** An approximate date as a cell: `2020-08-10`, `2020-08`, `2020`, the exact time as stored, `~…` for an estimate, `?` for unknown. */
export function fuzzyDateCell(d: FuzzyDate): string {
  if (d.precision === 'unknown') return '?';
  return d.precision === 'estimate' ? `~${d.value}` : (d.value ?? '');
}

/** A cell back as an approximate date: the forms `fuzzyDateCell` writes, else as lists are read (day first). */
export function parseFuzzyDateCell(text: string): FuzzyDate | string {
  const t = text.trim();
  if (t === '?') return { value: null, precision: 'unknown' };
  const estimate = t.startsWith('~');
  const v = estimate ? t.slice(1).trim() : t;
  const precision = /^\d{4}$/.test(v) ? 'year' : /^\d{4}-\d{2}$/.test(v) ? 'month' : /^\d{4}-\d{2}-\d{2}$/.test(v) ? 'day' : /^\d{4}-\d{2}-\d{2}T/.test(v) ? 'exact' : null;
  if (precision) {
    const d: FuzzyDate = { value: v, precision: estimate ? 'estimate' : precision };
    if (!fuzzyDateProblem(d)) return d;
  }
  return parseFuzzyDate(text);
}

// ── CSV text ───────────────────────────────────────────────────────────────────────────────

/** One CSV line (RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled). */
export function csvLine(cells: string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) || /^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

/** A whole CSV: UTF-8, CRLF between rows (as spreadsheet programs write it), no byte order mark. */
export function csvText(rows: string[][]): string {
  return rows.map(csvLine).join('\r\n') + '\r\n';
}

/** The file of a type inside the ZIP. */
export const csvName = (type: RecordTypeName) => `${type}.csv`;

// ── identities (only with --with-identities) ───────────────────────────────────────────────

/** Parts of a person's identity as columns, in this order; a contact or document by its number or value, several by `|`. */
export const IDENTITY_COLUMNS = [
  { column: 'identity_full_name', part: 'fullName', kind: 'text' },
  { column: 'identity_given_name', part: 'givenName', kind: 'text' },
  { column: 'identity_family_name', part: 'familyName', kind: 'text' },
  { column: 'identity_patronymic', part: 'patronymic', kind: 'text' },
  { column: 'identity_birth_name', part: 'birthName', kind: 'text' },
  { column: 'identity_other_names', part: 'otherNames', kind: 'list' },
  { column: 'identity_birth_date', part: 'birthDate', kind: 'date' },
  { column: 'identity_birth_place', part: 'birthPlace', kind: 'text' },
  { column: 'identity_addresses', part: 'addresses', kind: 'list' },
  ...(['phone', 'email', 'telegram', 'signal', 'whatsapp', 'viber'] as const).map((k) => ({ column: `identity_${k}`, part: k, kind: 'contact' as const })),
  ...(['passport', 'id-card', 'residence-permit'] as const).map((k) => ({ column: `identity_${k.replace(/-/g, '_')}`, part: k, kind: 'document' as const })),
] as const;
export type IdentityColumn = (typeof IDENTITY_COLUMNS)[number];

type Identity = {
  contacts?: { kind: string; value: string }[];
  documents?: { kind: string; number: string }[];
} & Record<string, unknown>;

/** The cells of a revealed identity, in the order of IDENTITY_COLUMNS. */
export function identityCells(identity: Identity | null): string[] {
  return IDENTITY_COLUMNS.map((c) => {
    if (!identity) return '';
    if (c.kind === 'contact') return (identity.contacts ?? []).filter((x) => x.kind === c.part).map((x) => x.value).join(MULTI);
    if (c.kind === 'document') return (identity.documents ?? []).filter((x) => x.kind === c.part).map((x) => x.number).join(MULTI);
    const v = identity[c.part];
    if (v === undefined || v === null) return '';
    if (c.kind === 'list') return (v as string[]).join(MULTI);
    if (c.kind === 'date') return fuzzyDateCell(v as FuzzyDate);
    return String(v);
  });
}

/** A cell into the identity being built; a problem's reason, or null. */
export function takeIdentityCell(identity: Identity, c: IdentityColumn, text: string): string | null {
  const many = () => text.split(MULTI).map((s) => s.trim()).filter(Boolean);
  if (c.kind === 'text') identity[c.part] = text;
  else if (c.kind === 'list') identity[c.part] = many();
  else if (c.kind === 'date') {
    const d = parseFuzzyDateCell(text);
    if (typeof d === 'string') return d;
    identity[c.part] = d;
  } else if (c.kind === 'contact') identity.contacts = [...(identity.contacts ?? []), ...many().map((value) => ({ kind: c.part, value }))];
  else identity.documents = [...(identity.documents ?? []), ...many().map((number) => ({ kind: c.part, number }))];
  return null;
}
