import { sql, type Kysely, type RawBuilder } from 'kysely';
import { isPostgres } from '../../adapters/db/dialect-of.js';
import { foldCase, stripLatinDiacritics } from '../../domain/text/normalize.js';
import type { SearchDoc } from './documents.js';

/**
 * The search index in the database, for both engines: writing documents (in the caller's
 * transaction, so the index moves with the records) and running compiled queries. The SQL differs
 * (FTS5 MATCH vs tsvector @@ tsquery) but the lexemes, the candidates, the filters and the counting
 * are the same, and one contract test file runs on both.
 */

/** One query word or phrase, compiled to lexemes (see lexemes.ts). */
export type CompiledTerm =
  | { kind: 'word'; words: string[]; keys: string[] }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'phrase'; positions: string[][] };

export interface CompiledQuery {
  positive: CompiledTerm[];
  negative: CompiledTerm[];
}

export interface DocFilter {
  compartments: string[];
  types?: string[];
  from?: string;
  to?: string;
  status?: string[];
  excludeTypes?: string[];
  excludeStatus?: string[];
  /** The document's language (a column, not a facet row: one language covers a third of the index). */
  languages?: string[];
  excludeLanguages?: string[];
  /** Facet field → values (any of them); `not` → values excluded. */
  facets: Array<{ field: string; values: string[]; not: boolean }>;
}

const folded = (s: string) => stripLatinDiacritics(foldCase(s));

export async function upsertSearchDoc(db: Kysely<any>, doc: SearchDoc): Promise<void> {
  const pg = isPostgres(db);
  const row = {
    doc_type: doc.docType,
    compartment_id: doc.compartment,
    label: doc.label,
    language: doc.language,
    date: doc.date,
    status: doc.status,
    words: doc.words.join(' '),
    keys: doc.keys.join(' '),
    content: doc.content,
    has_sealed_text: doc.hasSealedText ? 1 : 0,
    indexed_at: new Date().toISOString(),
  };
  const existing = await db.selectFrom('search_docs').select('seq').where('doc_id', '=', doc.docId).executeTakeFirst();
  let seq: number;
  if (existing) {
    seq = Number(existing.seq);
    await db.updateTable('search_docs').set(row).where('seq', '=', seq).execute();
    await db.deleteFrom('search_facets').where('seq', '=', seq).execute();
    if (!pg) {
      await sql`delete from search_fts where rowid = ${seq}`.execute(db);
      await sql`delete from search_trgm where rowid = ${seq}`.execute(db);
    }
  } else {
    const ins = await db.insertInto('search_docs').values({ doc_id: doc.docId, ...row }).returning('seq').executeTakeFirstOrThrow();
    seq = Number(ins.seq);
  }
  if (pg) {
    await sql`update search_docs set tsv = setweight(to_tsvector('simple', ${row.words}), 'A') || setweight(to_tsvector('simple', ${row.keys}), 'C') where seq = ${seq}`.execute(db);
  } else {
    await sql`insert into search_fts(rowid, words, keys) values (${seq}, ${row.words}, ${row.keys})`.execute(db);
    await sql`insert into search_trgm(rowid, content) values (${seq}, ${folded(doc.content)})`.execute(db);
  }
  if (doc.facets.length) await db.insertInto('search_facets').values(doc.facets.map((f) => ({ seq, field: f.field, value: f.value }))).execute();
}

export async function deleteSearchDoc(db: Kysely<any>, docId: string): Promise<void> {
  const existing = await db.selectFrom('search_docs').select('seq').where('doc_id', '=', docId).executeTakeFirst();
  if (!existing) return;
  const seq = Number(existing.seq);
  await db.deleteFrom('search_facets').where('seq', '=', seq).execute();
  if (!isPostgres(db)) {
    await sql`delete from search_fts where rowid = ${seq}`.execute(db);
    await sql`delete from search_trgm where rowid = ${seq}`.execute(db);
  }
  await db.deleteFrom('search_docs').where('seq', '=', seq).execute();
}

// ── compiling to each engine's query language ──

const q = (lexeme: string) => `"${lexeme.replace(/"/g, '')}"`;
const MAX_PHRASE_VARIANTS = 16;

function phraseVariants(positions: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const alts of positions) {
    const next: string[][] = [];
    for (const prefix of out) for (const a of alts) if (next.length < MAX_PHRASE_VARIANTS) next.push([...prefix, a]);
    out = next;
  }
  return out;
}

/** FTS5 MATCH text; undefined when the query has no positive term. */
export function fts5Match(cq: CompiledQuery): string | undefined {
  const one = (t: CompiledTerm): string => {
    if (t.kind === 'prefix') return `{words} : ${q(t.prefix)}*`;
    if (t.kind === 'phrase') return `{words} : (${phraseVariants(t.positions).map((v) => q(v.join(' '))).join(' OR ')})`;
    const parts = [];
    if (t.words.length) parts.push(`{words} : (${t.words.map(q).join(' OR ')})`);
    if (t.keys.length) parts.push(`{keys} : (${t.keys.map(q).join(' OR ')})`);
    return `(${parts.join(' OR ')})`;
  };
  const pos = cq.positive.filter((t) => t.kind !== 'word' || t.words.length + t.keys.length > 0);
  if (pos.length === 0) return undefined;
  let s = pos.map(one).join(' AND ');
  for (const n of cq.negative) if (n.kind !== 'word' || n.words.length + n.keys.length > 0) s = `(${s}) NOT ${one(n)}`;
  return s;
}

/** PostgreSQL tsquery text (for to_tsquery('simple', …)); undefined when no positive term. */
export function tsQuery(cq: CompiledQuery): string | undefined {
  const lx = (l: string, w: string) => `'${l.replace(/'/g, '')}':${w}`;
  const one = (t: CompiledTerm): string => {
    if (t.kind === 'prefix') return `'${t.prefix.replace(/'/g, '')}':*A`;
    if (t.kind === 'phrase') return `(${t.positions.map((alts) => `(${alts.map((a) => lx(a, 'A')).join(' | ')})`).join(' <-> ')})`;
    return `(${[...t.words.map((w) => lx(w, 'A')), ...t.keys.map((k) => lx(k, 'C'))].join(' | ')})`;
  };
  const pos = cq.positive.filter((t) => t.kind !== 'word' || t.words.length + t.keys.length > 0);
  if (pos.length === 0) return undefined;
  let s = pos.map(one).join(' & ');
  for (const n of cq.negative) if (n.kind !== 'word' || n.words.length + n.keys.length > 0) s = `${s} & !${one(n)}`;
  return s;
}

// ── running a query ──

export interface Candidate {
  seq: number;
  /** Lower is better (engine scores are turned so). */
  rank: number;
  /** Found through the person-name index (not the text). */
  byName: boolean;
}

export interface DocRow {
  seq: number;
  docId: string;
  docType: string;
  compartment: string;
  label: string;
  language: string | null;
  date: string | null;
  status: string | null;
  content: string;
  hasSealedText: boolean;
  rank: number;
  byName: boolean;
}

/**
 * The SQL of the filters over search_docs under the alias `a`. Facet filters are an IN list by
 * default (the engine may start from the list: right when nothing else narrows the rows) or, with
 * `facets: 'probe'`, a lookup per row by the facet table's primary key (right when the rows come
 * from the text index: a broad facet such as `actType:detention` lists 100,000 documents, and
 * building that list cost more than the whole rest of the search).
 */
function whereOf(f: DocFilter, a = 'd', facets: 'list' | 'probe' = 'list'): RawBuilder<unknown> {
  const col = (name: string) => sql.ref(`${a}.${name}`);
  const parts: RawBuilder<unknown>[] = [sql`${col('compartment_id')} in (${sql.join(f.compartments.length ? f.compartments : ['(none)'])})`];
  if (f.types?.length) parts.push(sql`${col('doc_type')} in (${sql.join(f.types)})`);
  if (f.from) parts.push(sql`${col('date')} >= ${f.from}`);
  if (f.to) parts.push(sql`${col('date')} < ${f.to}`);
  if (f.status?.length) parts.push(sql`${col('status')} in (${sql.join(f.status)})`);
  if (f.excludeTypes?.length) parts.push(sql`${col('doc_type')} not in (${sql.join(f.excludeTypes)})`);
  if (f.languages?.length) parts.push(sql`${col('language')} in (${sql.join(f.languages)})`);
  if (f.excludeLanguages?.length) parts.push(sql`(${col('language')} is null or ${col('language')} not in (${sql.join(f.excludeLanguages)}))`);
  if (f.excludeStatus?.length) parts.push(sql`(${col('status')} is null or ${col('status')} not in (${sql.join(f.excludeStatus)}))`);
  for (const fc of f.facets) {
    if (facets === 'probe') {
      const probe = sql`exists (select 1 from search_facets sf where sf.seq = ${col('seq')} and sf.field = ${fc.field} and sf.value in (${sql.join(fc.values)}))`;
      parts.push(fc.not ? sql`not ${probe}` : probe);
      continue;
    }
    const sub = sql`select sf.seq from search_facets sf where sf.field = ${fc.field} and sf.value in (${sql.join(fc.values)})`;
    parts.push(fc.not ? sql`${col('seq')} not in (${sub})` : sql`${col('seq')} in (${sub})`);
  }
  return sql.join(parts, sql` and `);
}

/** The candidate set as SQL: text matches (ranked) and name matches (ranked first). */
/** The schema pg_trgm lives in (its functions and operators are qualified with it). */
let trgmSchema: string | undefined;
async function findTrgmSchema(db: Kysely<any>): Promise<string> {
  if (!trgmSchema) {
    const r = await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
    trgmSchema = r.rows[0]?.schema ?? 'public';
  }
  return trgmSchema;
}

/**
 * The candidate set as SQL, for every order but relevance over text: text matches (unranked) or
 * near matches (`fuzzy`, the fallback when nothing matches exactly: always ranked in full, their
 * point is the closest spelling anywhere), and name matches (ranked first).
 */
function candidatesOf(
  db: Kysely<any>,
  cq: CompiledQuery,
  o: { namePersons: string[]; fuzzy: string[] | undefined },
): RawBuilder<unknown> | undefined {
  const pg = isPostgres(db);
  const parts: RawBuilder<unknown>[] = [];
  if (o.fuzzy?.length) {
    if (pg) {
      const ns = sql.id(trgmSchema ?? 'public');
      const terms = o.fuzzy.map((t) => sql`(${t} operator(${ns}.<%) d0.content)`);
      parts.push(sql`select d0.seq as seq, 100 - (${sql.join(o.fuzzy.map((t) => sql`${ns}.word_similarity(${t}, d0.content)`), sql` + `)}) as rank, 0 as by_name from search_docs d0 where ${sql.join(terms, sql` and `)}`);
    } else {
      // every trigram of every term, ranked by how many match (bm25); filtered again by similarity in the use case
      const grams = [...new Set(o.fuzzy.flatMap((t) => trigrams(t)))];
      if (grams.length) parts.push(sql`select rowid as seq, 100 + rank as rank, 0 as by_name from search_trgm where search_trgm match ${grams.map(q).join(' OR ')}`);
    }
  } else if (pg) {
    const tq = tsQuery(cq);
    if (tq) parts.push(sql`select d0.seq as seq, 0 as rank, 0 as by_name from search_docs d0 where d0.tsv @@ to_tsquery('simple', ${tq})`);
  } else {
    const m = fts5Match(cq);
    if (m) parts.push(sql`select rowid as seq, 0 as rank, 0 as by_name from search_fts where search_fts match ${m}`);
  }
  if (o.namePersons.length) parts.push(sql`select d1.seq as seq, -1000 as rank, 1 as by_name from search_docs d1 where d1.doc_id in (${sql.join(o.namePersons)})`);
  if (parts.length === 0) return undefined;
  return sql.join(parts, sql` union all `);
}

const COLUMNS = ['seq', 'doc_id', 'doc_type', 'compartment_id', 'label', 'language', 'date', 'status', 'has_sealed_text'] as const;
const columnsOf = (a: string) => sql.join(COLUMNS.map((c) => sql.ref(`${a}.${c}`)));

/**
 * Text matches for relevance, with their columns, ranked.
 *
 * Ranking every match of a broad word (70,000 documents for "Задержание" in a million) is what
 * made search slow, so the matches are read newest first (descending `seq`, the order both
 * engines keep their index in) with the filters and permissions applied as they are read, and
 * only the first `rankWindow` of them are ranked. A query with fewer matches than that is ranked
 * exactly; a broader one is ranked among its `rankWindow` most recently indexed matches.
 */
function rankedText(db: Kysely<any>, cq: CompiledQuery, filter: DocFilter, rankWindow: number): RawBuilder<unknown> | undefined {
  if (isPostgres(db)) {
    const tq = tsQuery(cq);
    if (!tq) return undefined;
    // the window: matches found through the GIN index (`seq + 0` keeps PostgreSQL from walking the
    // primary key backwards instead, testing every row's tsvector until it has enough: 500 ms for a
    // word whose matches are old), sorted without their tsvectors (which made the sort spill to
    // disk); only the window's rows are then ranked, their tsvectors read again by primary key
    return sql`select ${columnsOf('tw')}, -ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', dr.tsv, to_tsquery('simple', ${tq})) as rank, 0 as by_name
      from (select ${columnsOf('dt')} from search_docs dt where dt.tsv @@ to_tsquery('simple', ${tq}) and ${whereOf(filter, 'dt')} order by dt.seq + 0 desc limit ${rankWindow}) as tw
      join search_docs dr on dr.seq = tw.seq`;
  }
  const m = fts5Match(cq);
  if (!m) return undefined;
  // CROSS JOIN keeps FTS5 the outer loop (SQLite never reorders it): driven from a broad facet
  // filter instead, each of its rows would be a MATCH of its own. The rank column is computed for
  // the rows the LIMIT lets through only.
  return sql`select * from (select ${columnsOf('dt')}, f.rank as rank, 0 as by_name from search_fts f cross join search_docs dt on dt.seq = f.rowid
      where search_fts match ${m} and ${whereOf(filter, 'dt', 'probe')} order by f.rowid desc limit ${rankWindow}) as tw`;
}

export function trigrams(term: string): string[] {
  const t = folded(term).replace(/\s+/g, ' ');
  if (t.length < 3) return [];
  const out: string[] = [];
  for (let i = 0; i + 3 <= t.length; i++) out.push(t.slice(i, i + 3));
  return out;
}

export type SortOrder = 'relevance' | 'date' | '-date' | 'label';

/**
 * At most this many matches are ranked, paged and counted (the best ones, or the first ones in the
 * order asked for); beyond it `total` says "at least" and the caller should narrow the query. Broad
 * words in a million records match tens of thousands: counting and faceting them all on every
 * keystroke is what made search slow.
 */
export const MATCH_CAP = 1000;

/** Text matches ranked for relevance at most (see candidatesOf); larger than MATCH_CAP. */
export const RANK_WINDOW = 4000;

/** The two limits above, changeable by tests (the window must exceed the cap). */
export interface SearchLimits {
  matchCap: number;
  rankWindow: number;
}
export const DEFAULT_LIMITS: SearchLimits = { matchCap: MATCH_CAP, rankWindow: RANK_WINDOW };

const FACET_COLUMNS: Record<string, 'doc_type' | 'compartment_id' | 'status' | 'language'> = { type: 'doc_type', compartment: 'compartment_id', status: 'status', language: 'language' };

/**
 * One page of matching documents, the total, and the facet counts — all over the same filtered
 * set, so nothing outside the caller's compartments is ever counted or reachable. The matches are
 * evaluated once (filters and permissions inside), capped at MATCH_CAP in the requested order;
 * the page, the total and the facets are taken from that one set.
 */
export async function runSearch(
  db: Kysely<any>,
  cq: CompiledQuery,
  opts: { namePersons: string[]; fuzzy?: string[]; filter: DocFilter; sort: SortOrder; offset: number; limit: number; facetFields: string[]; facetLimit: number; limits?: SearchLimits },
): Promise<{ rows: DocRow[]; total: number; capped: boolean; facets: Record<string, Array<{ value: string; count: number }>> }> {
  if (opts.fuzzy && isPostgres(db)) await findTrgmSchema(db);
  const { matchCap, rankWindow } = opts.limits ?? DEFAULT_LIMITS;
  if (!(rankWindow > matchCap)) throw new Error(`search limits: the rank window (${rankWindow}) must exceed the match cap (${matchCap})`);
  const text = opts.sort === 'relevance' && !opts.fuzzy ? rankedText(db, cq, opts.filter, rankWindow) : undefined;
  let matched: { rows: Record<string, any>[] };
  if (text) {
    // the window's rows, and the persons found by name (first); a person found both ways once
    const parts = [text];
    if (opts.namePersons.length)
      parts.push(sql`select ${columnsOf('d1')}, -1000 as rank, 1 as by_name from search_docs d1 where d1.doc_id in (${sql.join(opts.namePersons)}) and ${whereOf(opts.filter, 'd1')}`);
    const got = await sql<Record<string, any>>`select * from (${sql.join(parts, sql` union all `)}) as u order by u.by_name desc, u.rank asc, u.seq desc limit ${matchCap + 1 + opts.namePersons.length}`.execute(db);
    const seen = new Set<number>();
    const once = (r: Record<string, any>) => {
      const seq = Number(r.seq);
      if (seen.has(seq)) return false;
      seen.add(seq);
      return true;
    };
    matched = { rows: got.rows.filter(once) };
  } else {
    const cand = candidatesOf(db, cq, { namePersons: opts.namePersons, fuzzy: opts.fuzzy });
    // over candidates from the text index, facets are probed per row on SQLite (see whereOf)
    const where = cand && !isPostgres(db) ? whereOf(opts.filter, 'd', 'probe') : whereOf(opts.filter);
    const order =
      opts.sort === 'date'
        ? sql`d.date is null, d.date asc, d.seq asc`
        : opts.sort === '-date'
          ? sql`d.date is null, d.date desc, d.seq desc`
          : opts.sort === 'label'
            ? sql`d.label asc, d.seq asc`
            : cand
              ? sql`cm.by_name desc, cm.rank asc, d.seq desc`
              : sql`d.seq desc`;
    const cols = columnsOf('d');
    matched = cand
      ? await sql<Record<string, any>>`with c as (${cand}), cm as (select seq, min(rank) as rank, max(by_name) as by_name from c group by seq)
          select ${cols}, cm.rank as rank, cm.by_name as by_name from cm join search_docs d on d.seq = cm.seq where ${where} order by ${order} limit ${matchCap + 1}`.execute(db)
      : await sql<Record<string, any>>`select ${cols}, 0 as rank, 0 as by_name from search_docs d where ${where} order by ${order} limit ${matchCap + 1}`.execute(db);
  }
  const capped = matched.rows.length > matchCap;
  const all = matched.rows.slice(0, matchCap);
  const pageRows = all.slice(opts.offset, opts.offset + opts.limit);
  // the text of the page only (for snippets)
  const contents = new Map<number, string>();
  if (pageRows.length) {
    const seqs = pageRows.map((r) => Number(r.seq));
    const got = await db.selectFrom('search_docs').select(['seq', 'content']).where('seq', 'in', seqs).execute();
    for (const g of got) contents.set(Number(g.seq), g.content as string);
  }
  const facets: Record<string, Array<{ value: string; count: number }>> = {};
  if (all.length > 0 && opts.facetFields.length) {
    const count = (values: (string | null)[]) => {
      const m = new Map<string, number>();
      for (const v of values) if (v !== null && v !== undefined) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
      return [...m].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, opts.facetLimit);
    };
    const joined = opts.facetFields.filter((f) => !FACET_COLUMNS[f]);
    for (const f of opts.facetFields) if (FACET_COLUMNS[f]) facets[f] = count(all.map((r) => r[FACET_COLUMNS[f]!]));
    if (joined.length) {
      const seqs = all.map((r) => Number(r.seq));
      const inSeqs = isPostgres(db) ? sql`f.seq = any(${seqs}::bigint[])` : sql`f.seq in (select value from json_each(${JSON.stringify(seqs)}))`;
      const rows = await sql<{ field: string; value: string; n: number }>`select f.field as field, f.value as value, count(*) as n from search_facets f where ${inSeqs} and f.field in (${sql.join(joined)}) group by f.field, f.value`.execute(db);
      for (const f of joined) {
        facets[f] = rows.rows
          .filter((r) => r.field === f)
          .map((r) => ({ value: String(r.value), count: Number(r.n) }))
          .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
          .slice(0, opts.facetLimit);
      }
    }
  }
  return {
    rows: pageRows.map((r) => ({
      seq: Number(r.seq),
      docId: r.doc_id,
      docType: r.doc_type,
      compartment: r.compartment_id,
      label: r.label,
      language: r.language ?? null,
      date: r.date ?? null,
      status: r.status ?? null,
      content: contents.get(Number(r.seq)) ?? '',
      hasSealedText: Boolean(Number(r.has_sealed_text)),
      rank: Number(r.rank),
      byName: Boolean(Number(r.by_name)),
    })),
    total: all.length,
    capped,
    facets,
  };
}
