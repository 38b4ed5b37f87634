import type { FieldDef, FuzzyDate, RecordTypeDef } from '../../../domain/records/fields.js';
import { fuzzyDateProblem } from '../../../domain/records/fields.js';
import { editDistance } from '../../../domain/names/match-key.js';
import { enumLabel } from '../../records/labels.js';
import { ValidationError, type FieldProblem } from '../../../domain/errors.js';
import { codeOfRecordProblem, coded, type Coded, type ProblemCode, type ProblemParams } from '../problem-codes.js';

/**
 * From a row of text cells to the input of `createRecord`: which column feeds which field (the
 * mapping), and each cell's text converted by its field's kind. Pure: vocabularies come in as an
 * index built by the caller.
 *
 * A reason never quotes the cell: reports are job results, readable by every member of the
 * compartment, while the list itself is evidence only some may open. Row and column say where.
 */

/** One thing wrong with one row, as the dry run and the import report it. */
export interface RowProblem extends Coded {
  /** The row as a spreadsheet numbers it (the header is row 1). */
  row: number;
  /** The column's header, when one column is at fault. */
  column: string | null;
  field: string | null;
  reason: string;
  /** For an unknown vocabulary value: the closest terms. */
  suggestions?: { code: string; label: string }[];
}

/** Parts of a person's identity a column may feed (`identity.familyName`, `identity.phone`, …). */
export const IDENTITY_PARTS = {
  fullName: 'text',
  givenName: 'text',
  familyName: 'text',
  patronymic: 'text',
  birthName: 'text',
  otherNames: 'list',
  birthDate: 'fuzzyDate',
  birthPlace: 'text',
  addresses: 'list',
  phone: 'contact',
  email: 'contact',
  telegram: 'contact',
  signal: 'contact',
  whatsapp: 'contact',
  viber: 'contact',
  passport: 'document',
  'id-card': 'document',
  'residence-permit': 'document',
} as const;
type IdentityPart = keyof typeof IDENTITY_PARTS;

/** A column's destination: a field of the record type, or a part of its identity. */
export interface Target {
  /** As written in the mapping: `detainedAt`, `identity.familyName`. */
  name: string;
  field: string;
  def: FieldDef;
  part?: IdentityPart;
}

export interface MappedColumn {
  index: number;
  column: string;
  target: Target;
}

/** The mapping made ready for rows: which cell index feeds which target. */
export interface ResolvedMapping {
  columns: MappedColumn[];
  /** Fixed values for every row (field → text), converted like cells. */
  fixed: { name: string; target: Target; text: string }[];
}

/** The field names a mapping may use for a record type, for messages and the API. */
export function mappableFields(def: RecordTypeDef): string[] {
  const out: string[] = [];
  for (const [name, f] of Object.entries(def.fields)) {
    if (f.kind === 'identity') out.push(...Object.keys(IDENTITY_PARTS).map((p) => `${name}.${p}`));
    else out.push(name);
  }
  return out;
}

function targetOf(def: RecordTypeDef, name: string): Target | undefined {
  const [field, part, ...rest] = name.split('.');
  const f = def.fields[field!];
  if (!f || rest.length) return undefined;
  if (f.kind === 'identity') return part && part in IDENTITY_PARTS ? { name, field: field!, def: f, part: part as IdentityPart } : undefined;
  return part === undefined ? { name, field: field!, def: f } : undefined;
}

/**
 * Checks a mapping against a list's header and a record type. A column is named by its header or
 * as `#N` (its position, from 1) when headers repeat or are empty.
 *
 * @example resolveMapping(recordType('persons'), ['Прозвішча'], { 'Прозвішча': 'identity.familyName' })
 */
export function resolveMapping(def: RecordTypeDef, header: string[], mapping: Record<string, string>, fixed: Record<string, string> = {}): ResolvedMapping {
  const problems: FieldProblem[] = [];
  const columns: MappedColumn[] = [];
  const used = new Map<string, string>();
  const fields = mappableFields(def);
  for (const [column, name] of Object.entries(mapping)) {
    const target = targetOf(def, name);
    if (!target) {
      problems.push({ field: `mapping.${column}`, message: `"${name}" is not a field of ${def.name}; one of: ${fields.join(', ')}` });
      continue;
    }
    let index: number;
    const pos = /^#(\d+)$/.exec(column);
    if (pos) index = Number(pos[1]) - 1;
    else {
      index = header.indexOf(column);
      if (index >= 0 && header.indexOf(column, index + 1) >= 0) {
        problems.push({ field: `mapping.${column}`, message: `two columns are headed "${column}": name the one meant as #${index + 1} or #${header.indexOf(column, index + 1) + 1}` });
        continue;
      }
    }
    if (index < 0 || index >= header.length) {
      problems.push({ field: `mapping.${column}`, message: `the list has no column "${column}"; its columns: ${header.map((h, i) => h || `#${i + 1}`).join(', ')}` });
      continue;
    }
    const contactLike = target.part && (IDENTITY_PARTS[target.part] === 'contact' || IDENTITY_PARTS[target.part] === 'document' || IDENTITY_PARTS[target.part] === 'list');
    if (used.has(name) && !contactLike) {
      problems.push({ field: `mapping.${column}`, message: `"${name}" is already fed by column "${used.get(name)}"` });
      continue;
    }
    used.set(name, column);
    columns.push({ index, column, target });
  }
  const fixedOut: ResolvedMapping['fixed'] = [];
  for (const [name, text] of Object.entries(fixed)) {
    const target = targetOf(def, name);
    if (!target) problems.push({ field: `fixed.${name}`, message: `"${name}" is not a field of ${def.name}` });
    else if (used.has(name)) problems.push({ field: `fixed.${name}`, message: `"${name}" is already fed by column "${used.get(name)}"` });
    else fixedOut.push({ name, target, text });
  }
  if (!columns.length && !fixedOut.length && !problems.length) problems.push({ field: 'mapping', message: 'map at least one column to a field' });
  if (problems.length) throw new ValidationError(problems, `the mapping does not fit the list: ${problems.map((p) => p.message).join('; ')}`);
  return { columns, fixed: fixedOut };
}

// ── vocabularies ─────────────────────────────────────────────────────────────────────────────

export interface VocabTerm {
  code: string;
  labels: { be: string; ru: string; en: string };
}

/** Lower case, ё as е, one space between words: how a cell and a label are compared. */
export function foldLabel(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/[\s\u00a0]+/g, ' ').trim();
}

/** A vocabulary's terms by code and by every label (folded), and the closest terms to a value not found. */
export class VocabIndex {
  private readonly byKey = new Map<string, string>();
  private readonly keys: { key: string; code: string; label: string }[] = [];

  constructor(terms: VocabTerm[]) {
    for (const t of terms) {
      for (const text of [t.code, t.labels.be, t.labels.ru, t.labels.en]) {
        const key = foldLabel(text);
        if (!key) continue;
        if (!this.byKey.has(key)) this.byKey.set(key, t.code);
        this.keys.push({ key, code: t.code, label: text });
      }
    }
  }

  /** The term's code for a cell's text (by code or any label, ignoring case and spaces). */
  match(text: string): string | undefined {
    return this.byKey.get(foldLabel(text));
  }

  /** Up to `n` terms whose code or a label is closest to the text (edit distance). */
  suggest(text: string, n = 3): { code: string; label: string }[] {
    const key = foldLabel(text);
    const scored = this.keys.map((k) => ({ ...k, d: editDistance(key, k.key, Math.max(3, key.length)) + (k.key.includes(key) || key.includes(k.key) ? -1 : 0) }));
    scored.sort((a, b) => a.d - b.d);
    const out: { code: string; label: string }[] = [];
    for (const s of scored) {
      if (out.some((o) => o.code === s.code)) continue;
      out.push({ code: s.code, label: s.label });
      if (out.length === n) break;
    }
    return out;
  }
}

// ── values ───────────────────────────────────────────────────────────────────────────────────

/** Belarus keeps UTC+3 all year (since 2011): a time without a zone in a list is taken as Minsk time. */
export const LOCAL_OFFSET = '+03:00';

type Converted = { ok: true; value: unknown } | ({ ok: false; reason: string; suggestions?: { code: string; label: string }[] } & Coded);
const ok = (value: unknown): Converted => ({ ok: true, value });
const bad = (reason: string, code: ProblemCode, params?: ProblemParams, suggestions?: { code: string; label: string }[]): Converted => ({
  ok: false,
  reason,
  ...coded(code, params),
  ...(suggestions ? { suggestions } : {}),
});

/** Why `parseFuzzyDate` refused, as `bad` says it. */
const NOT_A_DATE = `the value is not a date: write 2020-08-10, 10.08.2020 (day first), 08.2020 or 2020`;
/** The code of a reason `parseFuzzyDate` gave. */
export const dateReasonCode = (reason: string): ProblemCode => (reason === NOT_A_DATE ? 'not-a-date' : 'not-a-calendar-date');
const badDate = (reason: string): Converted => bad(reason, dateReasonCode(reason));

const pad = (n: string) => n.padStart(2, '0');

/**
 * An approximate date from the ways lists write them. Day first, as in Belarus and Russia:
 * "10.08.2020", "10/08/2020" and "10-08-2020" are the 10th of August; "2020-08-10" is too.
 * "08.2020" and "2020-08" are a month, "2020" a year; a time makes it exact (Minsk time when no zone
 * is given); "~", "ca.", "каля", "около" in front make it an estimate.
 *
 * @example parseFuzzyDate('10.08.2020') // → { value: '2020-08-10', precision: 'day' }
 */
export function parseFuzzyDate(input: string): FuzzyDate | string {
  let s = input.trim();
  let estimate = false;
  const approx = /^(~|ca\.?|c\.|circa|каля|около|прибл\.?|прыбл\.?)\s*/i.exec(s);
  if (approx) {
    estimate = true;
    s = s.slice(approx[0].length);
  }
  let value: string | undefined;
  let precision: FuzzyDate['precision'] = 'day';
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) value = `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  else if ((m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s))) value = `${m[3]}-${pad(m[2]!)}-${pad(m[1]!)}`;
  else if ((m = /^(\d{1,2})[./](\d{4})$/.exec(s)) || (m = /^(\d{4})-(\d{1,2})$/.exec(s))) {
    const [y, mo] = m[1]!.length === 4 ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
    value = `${y}-${pad(mo)}`;
    precision = 'month';
  } else if ((m = /^(\d{4})$/.exec(s))) {
    value = m[1]!;
    precision = 'year';
  } else if ((m = /^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[./](\d{1,2})[./](\d{4}))[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s))) {
    const [y, mo, d] = m[1] ? [m[1], m[2]!, m[3]!] : [m[6]!, m[5]!, m[4]!];
    let zone = m[10] ?? LOCAL_OFFSET;
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    value = `${y}-${pad(mo)}-${pad(d)}T${pad(m[7]!)}:${m[8]}:${m[9] ?? '00'}${zone}`;
    precision = 'exact';
  }
  if (!value) return NOT_A_DATE;
  const date: FuzzyDate = { value, precision: estimate ? 'estimate' : precision };
  const problem = fuzzyDateProblem(date);
  return problem ? 'the value is not a real calendar date' : date;
}

const TRUE = new Set(['true', 'yes', 'y', '1', '+', 'так', 'да', 'т', 'д']);
const FALSE = new Set(['false', 'no', 'n', '0', '-', 'не', 'нет', 'н']);

/** Splits a cell holding several values: "|" or ";" (or new lines) between them. */
export function splitList(text: string, alsoCommas = false): string[] {
  return text
    .split(alsoCommas ? /[|;,\n\s]+/ : /[|;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cell's text as the value of a field (identity parts are handled by the caller). */
export function convertValue(def: FieldDef, text: string, vocab?: VocabIndex): Converted {
  switch (def.kind) {
    case 'text':
      return ok(def.multiline ? text.replace(/\r\n/g, '\n').trim() : text.replace(/\s+/g, ' ').trim());
    case 'int': {
      const t = text.replace(/[\s\u00a0\u202f]/g, '');
      return /^-?\d+$/.test(t) ? ok(Number(t)) : bad(`the value is not a whole number`, 'not-a-whole-number');
    }
    case 'number': {
      const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
      return /^-?\d+(\.\d+)?$/.test(t) ? ok(Number(t)) : bad(`the value is not a number`, 'not-a-number');
    }
    case 'bool': {
      const t = foldLabel(text);
      if (TRUE.has(t)) return ok(true);
      if (FALSE.has(t)) return ok(false);
      return bad(`the value is not yes or no (write yes/no, так/не, да/нет, 1/0)`, 'not-yes-or-no');
    }
    case 'enum': {
      const t = foldLabel(text);
      for (const v of def.values) {
        const l = enumLabel(v);
        if (foldLabel(v) === t || (l && [l.en, l.be, l.ru].some((x) => foldLabel(x) === t))) return ok(v);
      }
      return bad(`the value is not one of ${def.values.join(', ')}`, 'not-an-allowed-value', { values: def.values.join(', ') });
    }
    case 'vocab':
    case 'vocabList': {
      const parts = def.kind === 'vocab' ? [text.trim()] : splitList(text);
      const codes: string[] = [];
      for (const p of parts) {
        const code = vocab?.match(p);
        if (!code)
          return bad(
            `${parts.length > 1 ? `value ${parts.indexOf(p) + 1} of ${parts.length}` : 'the value'} is not a term of the "${def.vocabulary}" vocabulary (by code or by its Belarusian, Russian or English label); terms are never added by an import`,
            'unknown-term',
            { vocabulary: def.vocabulary, ...(parts.length > 1 ? { position: parts.indexOf(p) + 1, count: parts.length } : {}) },
            vocab?.suggest(p),
          );
        if (!codes.includes(code)) codes.push(code);
      }
      return ok(def.kind === 'vocab' ? codes[0] : codes);
    }
    case 'ref':
    case 'refList': {
      const ids = def.kind === 'ref' ? [text.trim()] : splitList(text, true);
      const wrong = ids.find((id) => !UUID.test(id));
      if (wrong !== undefined) return bad(`the value is not a record id (a UUID such as 0190a1b2-…)`, 'not-a-record-id');
      return ok(def.kind === 'ref' ? ids[0]!.toLowerCase() : [...new Set(ids.map((i) => i.toLowerCase()))]);
    }
    case 'fuzzyDate': {
      const d = parseFuzzyDate(text);
      return typeof d === 'string' ? badDate(d) : ok(d);
    }
    case 'date': {
      const d = parseFuzzyDate(text);
      if (typeof d === 'string') return badDate(d);
      return d.precision === 'day' ? ok(d.value) : bad(`the value is not a whole date (day, month and year)`, 'not-a-whole-date');
    }
    case 'datetime': {
      const d = parseFuzzyDate(text);
      if (typeof d === 'string') return badDate(d);
      if (d.precision === 'exact') return ok(d.value);
      if (d.precision === 'day') return ok(`${d.value}T00:00:00${LOCAL_OFFSET}`);
      return bad(`the value is not a date with a day (and, if known, a time)`, 'date-without-day');
    }
    case 'identity':
      return bad('map identity parts, e.g. identity.familyName', 'identity-part-needed');
  }
}

function convertIdentityPart(part: IdentityPart, text: string, identity: Record<string, any>): Converted {
  const kind = IDENTITY_PARTS[part];
  if (kind === 'text') identity[part] = text.replace(/\s+/g, ' ').trim();
  else if (kind === 'list') identity[part] = [...(identity[part] ?? []), ...splitList(text)];
  else if (kind === 'fuzzyDate') {
    const d = parseFuzzyDate(text);
    if (typeof d === 'string') return badDate(d);
    identity[part] = d;
  } else if (kind === 'contact') identity.contacts = [...(identity.contacts ?? []), ...splitList(text).map((value) => ({ kind: part, value }))];
  else identity.documents = [...(identity.documents ?? []), ...splitList(text).map((number) => ({ kind: part, number }))];
  return ok(undefined);
}

export interface ConvertedRow {
  input: Record<string, unknown>;
  problems: RowProblem[];
}

/**
 * A row's cells as the body `createRecord` takes (empty cells leave a field out), with the problems
 * of conversion.
 */
export function convertRow(mapping: ResolvedMapping, row: number, cells: string[], vocabs: Map<string, VocabIndex>): ConvertedRow {
  const input: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  const take = (target: Target, column: string | null, text: string) => {
    if (text.trim() === '') return;
    if (target.part) {
      const identity = (input[target.field] ??= {}) as Record<string, unknown>;
      const r = convertIdentityPart(target.part, text, identity);
      if (!r.ok) problems.push({ row, column, field: target.name, reason: r.reason, ...coded(r.code!, r.params) });
      return;
    }
    const f = target.def;
    const r = convertValue(f, text, f.kind === 'vocab' || f.kind === 'vocabList' ? vocabs.get(f.vocabulary) : undefined);
    if (r.ok) input[target.field] = r.value;
    else problems.push({ row, column, field: target.name, reason: r.reason, ...coded(r.code!, r.params), ...(r.suggestions ? { suggestions: r.suggestions } : {}) });
  };
  for (const c of mapping.columns) take(c.target, c.column, cells[c.index] ?? '');
  for (const f of mapping.fixed) take(f.target, null, f.text);
  return { input, problems };
}

/**
 * Problems the record use case found (field paths such as `identity.birthDate.value`), told by the
 * column that fed the field.
 */
export function problemsOf(mapping: ResolvedMapping, row: number, problems: FieldProblem[]): RowProblem[] {
  return problems.map((p) => {
    const path = p.field;
    const col =
      mapping.columns.find((c) => path === c.target.name || path.startsWith(`${c.target.name}.`)) ??
      mapping.columns.find((c) => c.target.part && path.startsWith(`${c.target.field}.${IDENTITY_PARTS[c.target.part] === 'contact' ? 'contacts' : IDENTITY_PARTS[c.target.part] === 'document' ? 'documents' : c.target.part}`)) ??
      mapping.columns.find((c) => path === c.target.field || path.startsWith(`${c.target.field}.`));
    return { row, column: col?.column ?? null, field: path || null, reason: p.message, ...codeOfRecordProblem(p) };
  });
}
