import { RECORD_TYPES } from '../../domain/records/catalog.js';
import type { RecordTypeName } from '../../domain/records/fields.js';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { compartmentsWhere, type Actor } from '../../domain/policies.js';
import { ValidationError } from '../../domain/errors.js';
import { parseSearchQuery, QuerySyntaxError, type SearchQuery } from '../../domain/search/query.js';
import { filtersFromQuery, searchFiltersSchema, type SearchFilters } from '../../domain/search/filters.js';
import { tokenize } from '../../domain/text/tokenize.js';
import { editDistance } from '../../domain/names/match-key.js';
import { foldCase, stripLatinDiacritics } from '../../domain/text/normalize.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { personsByName, personsByNameWithTypo } from './names.js';
import { sealerOf } from './sealer.js';
import { keyLexeme, prefixLexeme, queryWordLexemes, wordLexeme, langOfWord, type Sealer } from './lexemes.js';
import { runSearch, type SearchLimits, type CompiledQuery, type CompiledTerm, type DocFilter, type DocRow, type SortOrder } from './search.repository.js';

/**
 * One search over every record and evidence item a caller may read: words in any of the three
 * languages and both scripts, "phrases", prefix*, -exclusion and field:value filters; facets;
 * snippets with highlights; names across every spelling (through the blind name index). Filters
 * and permissions apply to the candidates before anything is counted, so a compartment the caller
 * is not in never shows, not even as a number.
 */

export interface SearchDeps {
  db: Kysely<any>;
  vault?: KeyVault;
  /** The match cap and the rank window (search.repository.ts); tests make them small. */
  limits?: SearchLimits;
}

export const SEARCH_SORTS = ['relevance', 'date', '-date', 'label'] as const;
export const FACET_FIELDS = ['type', 'compartment', 'status', 'language', 'actType', 'method', 'place', 'facility', 'unit'] as const;

export const searchParamsSchema = z
  .object({
    q: z.string().max(2000).default(''),
    sort: z.enum(SEARCH_SORTS).default('relevance'),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    facets: z.enum(['true', 'false']).default('true'),
  })
  .passthrough();

export interface SearchHit {
  id: string;
  type: string;
  compartment: string;
  label: string;
  /** The field of the record type the label is the value of (see labelFieldOf). */
  labelField: string | null;
  date: string | null;
  status: string | null;
  language: string | null;
  /** Found by a person's name (any spelling), not by the text. */
  byName: boolean;
  /** Found by similarity, no exact word matched. */
  fuzzy: boolean;
  /** Matched in text kept encrypted (no snippet is made of it). */
  sealedMatch: boolean;
  snippet: { text: string; highlights: Array<[number, number]> } | null;
}

export interface SearchResult {
  query: SearchQuery;
  /** Matches counted (at most MATCH_CAP: see `capped`). */
  total: number;
  /** More than MATCH_CAP documents match: only the best MATCH_CAP are paged and counted. */
  capped: boolean;
  items: SearchHit[];
  facets: Record<string, Array<{ value: string; count: number }>>;
  nextCursor: string | null;
  /** True when nothing matched exactly and these are near matches. */
  fuzzy: boolean;
}

const FILTER_FACETS = new Set(['place', 'facility', 'unit', 'actType', 'method']);

/** Compiles parsed terms into lexemes, in every language they could be. */
export function compileQuery(query: SearchQuery, seal?: Sealer): CompiledQuery {
  const compile = (t: SearchQuery['terms'][number]): CompiledTerm => {
    if (t.kind === 'prefix') return { kind: 'prefix', prefix: prefixLexeme(t.text) };
    if (t.kind === 'phrase') {
      const positions = t.words.flatMap((w) => tokenize(w)).map((tok) => {
        const alts = queryWordLexemes(tok.text, seal).words;
        return alts.length ? alts : [wordLexeme(tok.norm, langOfWord(tok.norm, null))];
      });
      return { kind: 'phrase', positions: positions.filter((p) => p.length && p[0]) };
    }
    // a "word" may hold more than one token (Alpha-2, 23.34): each must match
    const toks = tokenize(t.text);
    if (toks.length <= 1) return { kind: 'word', ...queryWordLexemes(t.text, seal) };
    return { kind: 'phrase', positions: toks.map((tok) => queryWordLexemes(tok.text, seal).words).filter((p) => p.length) };
  };
  return {
    positive: query.terms.filter((t) => !t.negated).map(compile),
    negative: query.terms.filter((t) => t.negated).map(compile),
  };
}

function cursorKey(p: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(p)).digest('hex').slice(0, 16);
}

export async function search(deps: SearchDeps, actor: Actor, params: Record<string, unknown>): Promise<SearchResult> {
  const p = searchParamsSchema.safeParse(params);
  if (!p.success) throw new ValidationError(p.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })));
  const fp = searchFiltersSchema.safeParse(filtersFromQuery(params));
  if (!fp.success) throw new ValidationError(fp.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })));
  let query: SearchQuery;
  try {
    query = parseSearchQuery(p.data.q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) throw new ValidationError([{ field: 'q', message: `${e.message} (at character ${e.position + 1})` }]);
    throw e;
  }
  const subject = await subjectOf(deps.db, actor);
  const filter = docFilter(compartmentsWhere(subject, 'record.read'), fp.data, query);
  const seal = sealerOf(deps.vault);
  const cq = compileQuery(query, seal);

  // names: every positive word of the query names the person (in any spelling)
  const nameWords = query.terms.filter((t) => !t.negated && t.kind === 'word').map((t) => (t as { text: string }).text);
  const canName = nameWords.length > 0 && deps.vault !== undefined && !deps.vault.isSealed();
  let namePersons = canName ? await personsByName(deps.db, deps.vault!, nameWords.join(' ')) : [];

  let offset = 0;
  const key = cursorKey({ q: p.data.q, sort: p.data.sort, f: fp.data });
  if (p.data.cursor) {
    const m = /^(\d{1,9})\.([0-9a-f]{16})$/.exec(p.data.cursor);
    if (!m || m[2] !== key) throw new ValidationError([{ field: 'cursor', message: 'this cursor belongs to another search: start again without it' }]);
    offset = Number(m[1]);
  }
  const facetFields = p.data.facets === 'true' ? [...FACET_FIELDS] : [];
  // a member of no compartment (an administrator who has not joined one) reads nothing
  if (filter.compartments.length === 0) return { query, total: 0, capped: false, fuzzy: false, items: [], facets: Object.fromEntries(facetFields.map((f) => [f, []])), nextCursor: null };
  const run = (fuzzy?: string[]) =>
    runSearch(deps.db, cq, { namePersons: fuzzy ? [] : namePersons, fuzzy, filter, sort: p.data.sort as SortOrder, offset, limit: p.data.limit, facetFields, facetLimit: 20, limits: deps.limits });
  let res = await run();
  // nothing at all, not even a name in any spelling: names one letter off (a typo in the query or
  // in the record). Only then: a common word one letter from some surname must not put those
  // persons above the documents that contain the word.
  if (canName && namePersons.length === 0 && res.total === 0) {
    namePersons = await personsByNameWithTypo(deps.db, deps.vault!, nameWords.join(' '));
    if (namePersons.length) res = await run();
  }
  let fuzzy = false;
  // nothing exact: near matches (one or two letters off), if the query has words to go on
  const fuzzyTerms = nameWords.filter((w) => [...w].length >= 4);
  if (res.total === 0 && fuzzyTerms.length && cq.positive.every((t) => t.kind === 'word')) {
    const near = await run(fuzzyTerms);
    near.rows = near.rows.filter((r) => fuzzyTerms.every((t) => bestWordSimilarity(t, r.content) >= 0.5));
    if (near.rows.length) {
      res = near;
      fuzzy = true;
    }
  }
  const lex = highlightLexemes(cq);
  return {
    query,
    total: res.total,
    capped: res.capped,
    fuzzy,
    items: res.rows.map((r) => hitOf(r, lex, fuzzy, fuzzyTerms)),
    facets: Object.fromEntries(facetFields.map((f) => [f, res.facets[f] ?? []])),
    nextCursor: offset + res.rows.length < res.total && res.rows.length === p.data.limit ? `${offset + res.rows.length}.${key}` : null,
  };
}

function docFilter(readable: string[], f: SearchFilters, query: SearchQuery): DocFilter {
  const compartments = f.compartment?.length ? readable.filter((c) => f.compartment!.includes(c)) : readable;
  const out: DocFilter = { compartments, types: f.type, from: f.from, to: f.to, status: f.status, languages: f.language, facets: [] };
  for (const field of FILTER_FACETS) {
    const v = f[field as keyof SearchFilters];
    if (Array.isArray(v) && v.length) out.facets.push({ field, values: v as string[], not: false });
  }
  // field:value in the query text
  const plus = new Map<string, string[]>();
  for (const qf of query.filters) {
    if (qf.field === 'from' || qf.field === 'to') {
      if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(qf.value)) throw new ValidationError([{ field: 'q', message: `${qf.field}: wants a date like 2020-08-09, not "${qf.value}"` }]);
      out[qf.field] = qf.value;
      continue;
    }
    if (qf.field === 'compartment') {
      out.compartments = qf.negated ? out.compartments.filter((c) => c !== qf.value) : out.compartments.filter((c) => c === qf.value);
      continue;
    }
    const field = qf.field;
    if (qf.negated) {
      if (field === 'type') out.facets.push({ field: '__type', values: [qf.value], not: true });
      else if (field === 'status') out.facets.push({ field: '__status', values: [qf.value], not: true });
      else if (field === 'language') out.excludeLanguages = [...(out.excludeLanguages ?? []), qf.value];
      else out.facets.push({ field, values: [qf.value], not: true });
    } else plus.set(field, [...(plus.get(field) ?? []), qf.value]);
  }
  for (const [field, values] of plus) {
    if (field === 'type') out.types = out.types ? out.types.filter((t) => values.includes(t)) : values;
    else if (field === 'status') out.status = out.status ? out.status.filter((t) => values.includes(t)) : values;
    else if (field === 'language') out.languages = out.languages ? out.languages.filter((t) => values.includes(t)) : values;
    else out.facets.push({ field, values, not: false });
  }
  // negated type/status filters are columns, not facets
  out.facets = out.facets.filter((x) => {
    if (x.field === '__type') {
      out.excludeTypes = [...(out.excludeTypes ?? []), ...x.values];
      return false;
    }
    if (x.field === '__status') {
      out.excludeStatus = [...(out.excludeStatus ?? []), ...x.values];
      return false;
    }
    return true;
  });
  return out;
}

/** The lexemes a snippet highlights: every word and key lexeme of the positive terms. */
function highlightLexemes(cq: CompiledQuery): { words: Set<string>; keys: Set<string>; prefixes: string[] } {
  const words = new Set<string>();
  const keys = new Set<string>();
  const prefixes: string[] = [];
  for (const t of cq.positive) {
    if (t.kind === 'word') {
      t.words.forEach((w) => words.add(w));
      t.keys.forEach((k) => keys.add(k));
    } else if (t.kind === 'phrase') t.positions.flat().forEach((w) => words.add(w));
    else prefixes.push(t.prefix);
  }
  return { words, keys, prefixes };
}

const SNIPPET_WORDS = 24;

/** A window of the text around the first match, with the matched words' offsets in it. */
export function makeSnippet(content: string, lex: { words: Set<string>; keys: Set<string>; prefixes: string[] }, fuzzyTerms: string[] = []): SearchHit['snippet'] {
  if (!content) return null;
  const toks = tokenize(content, { maxTokens: 20000 });
  const hits: number[] = [];
  toks.forEach((t, i) => {
    const l = langOfWord(t.norm, null);
    const w = wordLexeme(t.norm, l);
    const alt = [wordLexeme(t.norm, 'ru'), wordLexeme(t.norm, 'be'), w];
    if (alt.some((a) => lex.words.has(a)) || lex.keys.has(keyLexeme(t.text)) || lex.prefixes.some((p) => w.startsWith(p) || t.norm.startsWith(p)) || fuzzyTerms.some((f) => wordSimilarity(f, t.text) >= 0.5)) hits.push(i);
  });
  const first = hits[0] ?? 0;
  const startTok = Math.max(0, first - 8);
  const endTok = Math.min(toks.length - 1, startTok + SNIPPET_WORDS);
  if (toks.length === 0) return null;
  const from = toks[startTok]!.start;
  const to = toks[endTok]!.end;
  // line breaks as spaces (one character for one, so the offsets hold)
  const text = `${from > 0 ? '…' : ''}${content.slice(from, to).replace(/\s/g, ' ')}${to < content.length ? '…' : ''}`;
  const shift = from > 0 ? 1 - from : -from;
  const highlights = hits.filter((i) => i >= startTok && i <= endTok).map((i): [number, number] => [toks[i]!.start + shift, toks[i]!.end + shift]);
  return { text, highlights };
}

function hitOf(r: DocRow, lex: ReturnType<typeof highlightLexemes>, fuzzy: boolean, fuzzyTerms: string[]): SearchHit {
  const snippet = makeSnippet(r.content, lex, fuzzy ? fuzzyTerms : []);
  return {
    id: r.docId,
    type: r.docType,
    compartment: r.compartment,
    label: r.label,
    labelField: labelFieldOf(r.docType, r.label),
    date: r.date,
    status: r.status,
    language: r.language,
    byName: r.byName,
    fuzzy,
    sealedMatch: r.hasSealedText && !r.byName && !(snippet && snippet.highlights.length),
    snippet,
  };
}

/**
 * Which of its type's label fields a document's label is the value of (documents.ts takes the
 * first one with a value), so a client can show a code — an act's type, a proceeding's kind — in
 * its reader's language. Codes are recognised first (an enum's values; a vocabulary code's form),
 * then the first text field. Null when the type has no label field (evidence).
 */
export function labelFieldOf(docType: string, label: string): string | null {
  const def = RECORD_TYPES.get(docType as RecordTypeName);
  if (!def) return null;
  for (const name of def.labelFields) {
    const f = def.fields[name];
    if (f?.kind === 'enum' && f.values.includes(label)) return name;
    if (f?.kind === 'vocab' && /^[a-z0-9][a-z0-9_.:-]*$/.test(label)) return name;
  }
  return def.labelFields.find((name) => def.fields[name]?.kind === 'text') ?? null;
}

/** Similarity of a word to the closest word of a text (0..1), for near matches. */
function bestWordSimilarity(term: string, content: string): number {
  let best = 0;
  for (const t of tokenize(content, { maxTokens: 20000 })) best = Math.max(best, wordSimilarity(term, t.text));
  return best;
}

/** 1 for the same word (case and Latin accents aside), falling with each edit; 0 beyond two edits. */
function wordSimilarity(a: string, b: string): number {
  const x = stripLatinDiacritics(foldCase(a));
  const y = stripLatinDiacritics(foldCase(b));
  const allowed = Math.min(2, Math.floor(Math.max(x.length, y.length) / 4));
  const d = editDistance(x, y, allowed + 1);
  return d > allowed ? 0 : 1 - d / Math.max(x.length, y.length, 1);
}

