/**
 * The search query language: what a user types into the search box, parsed into terms and filters.
 *
 *     катаванне "Акрэсціна 2020" Шчарбак* -затрыманне type:acts place:"Мінск" -status:alleged
 *
 * - **Words** in any script: letters (with their accents), digits, and apostrophes, hyphens, dots,
 *   colons and slashes between them (сям’я, Petrova-Vodkina, 23.34, ч.2, 10:30, 12/2020). Other
 *   punctuation separates words and is otherwise ignored.
 * - **Phrases** in straight or typographic quotes: "two words", “two words”, «два словы»,
 *   „два слова“. Inside a phrase only its words count (no operators).
 * - **Prefixes**: a word ending in `*`, with at least two letters or digits before it (Шчарб*).
 * - **Negation**: `-` (or `!`) at the start of a word, phrase or filter excludes it. A query must
 *   include something that is not excluded (a term or a filter).
 * - **Filters**: `field:value` or `field:"value with spaces"` for the fields of
 *   `SEARCH_FILTER_FIELDS` (or the list passed in), any case. A Latin word followed directly by a
 *   colon and a value is read as a filter, so an unknown one is an error; a colon inside anything
 *   else (10:30, ч.2:3) is part of the word.
 * - **Limits**: 2000 characters per query, 32 terms, 32 filters, 256 characters per term or value.
 *
 * Errors are `QuerySyntaxError`s with a message for the user and the position (a UTF-16 index into
 * the query) of the fault. `formatSearchQuery` writes a parsed query back in this language.
 */

import { SEARCH_FILTER_FIELDS } from './filters.js';

export type QueryTerm =
  | { kind: 'word'; text: string; negated: boolean }
  | { kind: 'prefix'; text: string; negated: boolean }
  | { kind: 'phrase'; words: string[]; negated: boolean };

export interface QueryFilter {
  field: string;
  value: string;
  negated: boolean;
}

export interface SearchQuery {
  terms: QueryTerm[];
  filters: QueryFilter[];
}

export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

export const DEFAULT_QUERY_FIELDS: readonly string[] = SEARCH_FILTER_FIELDS;
export const MAX_QUERY_LENGTH = 2000;
export const MAX_TERMS = 32;
export const MAX_FILTERS = 32;
export const MAX_TERM_LENGTH = 256;

/** Opening quotes and the quotes that close them. */
const QUOTES: Record<string, string[]> = {
  '"': ['"'],
  '“': ['”', '“'],
  '„': ['“', '”'],
  '«': ['»'],
  '”': ['”'],
};

const isWordChar = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{M}\p{N}]$/u.test(c);
const isSpace = (c: string | undefined): boolean => c !== undefined && /^\s$/u.test(c);
/** Characters that belong to a word when a word character follows them. */
const isConnector = (c: string | undefined): boolean => c !== undefined && /^['’ʼ\-‐‑.:/]$/u.test(c);
const FIELD_LIKE = /^[A-Za-z][A-Za-z0-9_]*:/;

/** The character (code point) at UTF-16 index i. */
const charAt = (s: string, i: number): string | undefined => {
  const cp = s.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
};

/** Reads a word from i: word characters and connectors between them. Returns its end. */
function scanWord(s: string, i: number): number {
  let j = i;
  for (;;) {
    const c = charAt(s, j);
    if (isWordChar(c)) {
      j += c!.length;
      continue;
    }
    if (isConnector(c) && j > i && isWordChar(charAt(s, j + 1))) {
      j += 1;
      continue;
    }
    return j;
  }
}

/** The words of a phrase's text. */
function phraseWords(text: string): string[] {
  const words: string[] = [];
  for (let i = 0; i < text.length; ) {
    const c = charAt(text, i)!;
    if (isWordChar(c)) {
      const end = scanWord(text, i);
      words.push(text.slice(i, end));
      i = end;
    } else i += c.length;
  }
  return words;
}

const quoteName = (q: string): string => `“${q}”`;

/**
 * Parses a search query. `fields` lists the filter fields allowed (default: the shared search
 * filters). Throws QuerySyntaxError on any mistake; an empty query gives no terms and no filters.
 */
export function parseSearchQuery(q: string, fields: readonly string[] = DEFAULT_QUERY_FIELDS): SearchQuery {
  if (q.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(`The query is too long: at most ${MAX_QUERY_LENGTH} characters, this one has ${q.length}.`, MAX_QUERY_LENGTH);
  }
  const known = new Map(fields.map((f) => [f.toLowerCase(), f]));
  const terms: QueryTerm[] = [];
  const filters: QueryFilter[] = [];
  let firstNegation: number | undefined;
  let positives = 0;

  const checkLength = (text: string, at: number, what: string) => {
    if (text.length > MAX_TERM_LENGTH) {
      throw new QuerySyntaxError(`The ${what} at position ${at} is too long: at most ${MAX_TERM_LENGTH} characters.`, at);
    }
  };
  const addTerm = (t: QueryTerm, at: number) => {
    if (terms.length >= MAX_TERMS) throw new QuerySyntaxError(`Too many search terms: at most ${MAX_TERMS}.`, at);
    terms.push(t);
  };
  /** Reads a quoted text from i (at the opening quote); returns its content and end. */
  const readQuoted = (i: number): { text: string; end: number } => {
    const open = q[i]!;
    const closers = QUOTES[open]!;
    let j = i + 1;
    while (j < q.length && !closers.includes(q[j]!)) j++;
    if (j >= q.length) {
      throw new QuerySyntaxError(`The quote ${quoteName(open)} at position ${i} is never closed: close it with ${closers.map(quoteName).join(' or ')}.`, i);
    }
    return { text: q.slice(i + 1, j), end: j + 1 };
  };

  let i = 0;
  let boundary = true; // the previous character is whitespace or the start
  while (i < q.length) {
    const c = charAt(q, i)!;
    if (isSpace(c)) {
      i += c.length;
      boundary = true;
      continue;
    }
    const start = i;
    let negated = false;
    if ((c === '-' || c === '!') && boundary) {
      const next = charAt(q, i + 1);
      if (!(isWordChar(next) || (next !== undefined && next in QUOTES))) {
        throw new QuerySyntaxError(
          next === undefined || isSpace(next)
            ? `A lone “${c}” at position ${i}: put it directly before the word, phrase or filter to exclude (-word, -"a phrase", -status:alleged).`
            : `“${c}” at position ${i} must be followed directly by a word, phrase or filter to exclude, not by “${next}”.`,
          i,
        );
      }
      negated = true;
      firstNegation ??= i;
      i += 1;
    }
    const ch = charAt(q, i)!;
    boundary = false;

    if (ch in QUOTES) {
      const { text, end } = readQuoted(i);
      const words = phraseWords(text);
      if (words.length === 0) throw new QuerySyntaxError(`The phrase at position ${i} is empty: put words between the quotes.`, i);
      checkLength(words.join(' '), start, 'phrase');
      if (q[end] === '*') throw new QuerySyntaxError(`A “*” at position ${end} can only end a word, not a phrase.`, end);
      addTerm({ kind: 'phrase', words, negated }, start);
      if (!negated) positives++;
      i = end;
      continue;
    }

    const field = FIELD_LIKE.exec(q.slice(i, i + 64));
    const afterColon = field ? i + field[0].length : -1;
    const name = field ? field[0].slice(0, -1) : '';
    if (field && (afterColon >= q.length || isSpace(q[afterColon])) && known.has(name.toLowerCase())) {
      throw new QuerySyntaxError(`The filter ${known.get(name.toLowerCase())}: at position ${start} has no value: write it right after the colon.`, afterColon);
    }
    if (field && afterColon < q.length && !isSpace(q[afterColon])) {
      const canonical = known.get(name.toLowerCase());
      if (canonical === undefined) {
        throw new QuerySyntaxError(
          `Unknown filter “${name}:” at position ${i}. Known filters: ${fields.map((f) => `${f}:`).join(', ')}. To search for the text itself, put it in quotes.`,
          i,
        );
      }
      let value: string;
      let end: number;
      if (q[afterColon]! in QUOTES) {
        const quoted = readQuoted(afterColon);
        value = quoted.text.trim();
        end = quoted.end;
      } else {
        end = afterColon;
        while (end < q.length && !isSpace(q[end])) end++;
        value = q.slice(afterColon, end);
      }
      if (value.length === 0) throw new QuerySyntaxError(`The filter ${canonical}: at position ${start} has an empty value.`, afterColon);
      checkLength(value, afterColon, 'filter value');
      if (filters.length >= MAX_FILTERS) throw new QuerySyntaxError(`Too many filters: at most ${MAX_FILTERS}.`, start);
      filters.push({ field: canonical, value, negated });
      if (!negated) positives++;
      i = end;
      continue;
    }

    if (isWordChar(ch)) {
      const end = scanWord(q, i);
      const text = q.slice(i, end);
      checkLength(text, start, 'word');
      if (q[end] === '*') {
        const letters = [...text].filter((x) => /[\p{L}\p{N}]/u.test(x)).length;
        if (letters < 2) throw new QuerySyntaxError(`The prefix “${text}*” at position ${start} is too short: give at least two letters before “*”.`, end);
        if (q[end + 1] === '*' || isWordChar(charAt(q, end + 1))) {
          throw new QuerySyntaxError(`A “*” at position ${end} can only end a word (write prefix*).`, end);
        }
        addTerm({ kind: 'prefix', text, negated }, start);
        i = end + 1;
      } else {
        addTerm({ kind: 'word', text, negated }, start);
        i = end;
      }
      if (!negated) positives++;
      continue;
    }

    if (ch === '*') {
      throw new QuerySyntaxError(`A “*” at position ${i} must end a word of at least two letters (write prefix*).`, i);
    }
    // any other punctuation separates words; brackets count as a boundary for a following "-"
    boundary = /^[([{<]$/.test(ch);
    i += ch.length;
  }

  if (firstNegation !== undefined && positives === 0) {
    throw new QuerySyntaxError('The query only excludes: add at least one word, phrase or filter to search for.', firstNegation);
  }
  return { terms, filters };
}

/** A filter value as written back: bare when it reads back unchanged, else in a quote it does not contain. */
function formatValue(value: string): string {
  const first = value[0]!;
  if (!/\s/u.test(value) && !(first in QUOTES)) return value;
  for (const [open, closers] of [['"', '"'], ['«', '»'], ['“', '”'], ['”', '”']] as const) {
    if (!value.includes(closers) && !(open === '“' && value.includes('“'))) return `${open}${value}${closers}`;
  }
  return `"${value.replace(/"/g, '')}"`; // unreachable for a parsed value: its own quote always works
}

/** Writes a query back in the query language, so that parsing the result gives the same query. */
export function formatSearchQuery(query: SearchQuery): string {
  const parts: string[] = [];
  for (const t of query.terms) {
    const neg = t.negated ? '-' : '';
    if (t.kind === 'phrase') parts.push(`${neg}"${t.words.join(' ')}"`);
    else parts.push(`${neg}${t.text}${t.kind === 'prefix' ? '*' : ''}`);
  }
  for (const f of query.filters) parts.push(`${f.negated ? '-' : ''}${f.field}:${formatValue(f.value)}`);
  return parts.join(' ');
}
