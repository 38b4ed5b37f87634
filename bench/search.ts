/**
 * The `search` section of the benchmark (see bench/run.ts and docs/BENCHMARKS.md): search latency
 * at a million records.
 *
 *   1. `generateDataSet` (src/modules/demo/generate.ts) writes N synthetic records of invented
 *      people (1,000,000 on SQLite by default) in batches of 1,000 per transaction: records/s;
 *   2. `rebuildIndex` builds the search index over all of them: seconds (the "index build time");
 *   3. a FIXED mix of queries (200 by default) built deterministically from the generated data and
 *      the seed: ~30 % person names in various scripts and spellings (found through the blind name
 *      index), ~30 % single words in be/ru/en, ~15 % "phrases", ~10 % prefix*, ~15 % with
 *      field:value filters (type:, method:, facility:, place:, actType:, from:/to:, language:) and
 *      some -exclusions — each through `search()` as a coordinator of the compartment, with the
 *      API's defaults (relevance, 20 per page, facets on). One untimed warm-up pass, then one timed
 *      pass: p50/p95/p99/max overall and per kind, and how many gave no result;
 *   4. on SQLite, the slowest queries are run again through a logging connection: the statement
 *      that took longest and its EXPLAIN QUERY PLAN are reported.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, Kysely, type LogEvent } from 'kysely';
import type { Container } from '../src/app/container.js';
import { createSqliteDialect } from '../src/adapters/db/dialects/sqlite/sqlite.dialect.js';
import { isPostgres } from '../src/adapters/db/dialect-of.js';
import { romanizeBelarusian, romanizeRussian } from '../src/domain/text/translit.js';
import { VOCABULARY_SEED } from '../src/domain/vocabularies/seed.js';
import { makeActor } from '../src/test-support/actors.js';
import type { Actor } from '../src/domain/policies.js';
import { generateDataSet, PROSE_PHRASES, PROSE_PREFIXES, PROSE_WORDS, rng, type GenerateResult, type Lang3 } from '../src/modules/demo/generate.js';
import { search } from '../src/modules/search/search.usecases.js';

type Log = (msg: string) => void;

export interface SearchBenchOptions {
  records: number;
  queries: number;
  seed: number;
  /**
   * With --search-keep: where the generated data set's summary is kept beside its database. When
   * the file exists the data set is reused (no generation, no index build: their figures are the
   * ones measured when it was made); otherwise it is generated and the file written.
   */
  keptSummary?: string;
}

export type QueryKind = 'name' | 'word' | 'phrase' | 'prefix' | 'facet';
export interface BenchQuery {
  kind: QueryKind;
  q: string;
  /** What it is meant to exercise. */
  note: string;
}

const SHARES: Array<[QueryKind, number]> = [
  ['name', 0.3],
  ['word', 0.3],
  ['phrase', 0.15],
  ['prefix', 0.1],
  ['facet', 0.15],
];

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function labelsOf(vocabulary: string, codes: string[]): string[] {
  const v = VOCABULARY_SEED.find((s) => s.name === vocabulary)!;
  return v.terms.filter((t) => codes.includes(t.code)).flatMap((t) => Object.values(t.labels as unknown as Record<string, string>).filter(Boolean));
}

/**
 * The fixed query mix: the same generated data and seed give the same queries, in the same order.
 */
export function buildQueries(gen: GenerateResult, n: number, seed: number): BenchQuery[] {
  const r = rng(seed + 7_000_001);
  const LANGS: Lang3[] = ['be', 'ru', 'en'];
  const want = new Map<QueryKind, number>(SHARES.map(([k, s]) => [k, Math.round(n * s)]));
  want.set('facet', n - [...want.entries()].filter(([k]) => k !== 'facet').reduce((a, [, v]) => a + v, 0));
  const out: BenchQuery[] = [];
  const persons = gen.sample.persons;
  if (persons.length === 0) throw new Error('the generated data set has no sample persons to search for');
  const words = (l: Lang3) => [...PROSE_WORDS[l]];
  const vocabWords = labelsOf('act-types', ['beating', 'torture', 'detention', 'arrest']).concat(labelsOf('methods', ['batons', 'kicking', 'fists']));
  const conditionWords = labelsOf('detention-conditions', ['overcrowding', 'cold', 'no-beds', 'no-water']);
  const methodCodes = VOCABULARY_SEED.find((s) => s.name === 'methods')!.terms.map((t) => t.code);

  // names: each spelling form in turn
  const nameForms: Array<[string, (p: (typeof persons)[number]) => string]> = [
    ['full name, Belarusian Cyrillic', (p) => p.be],
    ['full name, Russian Cyrillic', (p) => p.ru],
    ['a recorded Latin spelling (or ICAO of the Belarusian)', (p) => p.recorded.find((x) => x[1] === 'Latn')?.[0] ?? romanizeBelarusian(p.be, 'icao-9303')],
    ['BY-2007 romanisation of the Belarusian form, possibly never recorded', (p) => romanizeBelarusian(p.be, 'by-2007')],
    ['surname only, Cyrillic', (p) => (r.chance(0.5) ? p.surnameBe : p.surnameRu)],
    ['ICAO romanisation of the Russian form', (p) => romanizeRussian(p.ru, 'icao-9303')],
    ['surname only, Latin (BGN/PCGN of the Belarusian)', (p) => romanizeBelarusian(p.surnameBe, 'bgn-pcgn')],
  ];
  for (let i = 0; i < want.get('name')!; i++) {
    const [note, f] = nameForms[i % nameForms.length]!;
    // cyrillic-only persons for the romanisation forms, so that a Latin query must cross scripts
    const pool = /romanisation|ICAO|Latin/.test(note) && i % 2 === 0 ? persons.filter((p) => p.cyrillicOnly) : persons;
    const p = r.pick(pool.length ? pool : persons);
    out.push({ kind: 'name', q: f(p), note: `${note}${p.cyrillicOnly ? ' (recorded in Cyrillic only)' : ''}` });
  }
  for (let i = 0; i < want.get('word')!; i++) {
    if (i % 6 === 5) {
      out.push({ kind: 'word', q: r.pick(vocabWords), note: 'a vocabulary label (act type or method), in any of the three languages' });
      continue;
    }
    const l = LANGS[i % 3]!;
    out.push({ kind: 'word', q: r.pick(words(l)), note: `a word of the prose (${l})` });
  }
  for (let i = 0; i < want.get('phrase')!; i++) {
    const l = LANGS[i % 3]!;
    out.push({ kind: 'phrase', q: `"${r.pick(PROSE_PHRASES[l])}"`, note: `a phrase (${l})` });
  }
  for (let i = 0; i < want.get('prefix')!; i++) {
    const l = LANGS[i % 3]!;
    out.push({ kind: 'prefix', q: `${r.pick(PROSE_PREFIXES[l])}*`, note: `a prefix (${l})` });
  }
  const facetForms: Array<[string, () => string]> = [
    ['type:acts and a method', () => `type:acts method:${r.pick(methodCodes)}`],
    ['a word of the (encrypted) transcripts within testimonies', () => `${r.pick(words(r.pick(LANGS)).slice(0, 13))} type:testimonies`],
    ['a word, excluding a place word', () => `${r.pick(['дубинками', 'дубінкамі', 'batons', 'камере', 'cell'])} -${r.pick(['Жодино', 'Жодзіна', 'Zhodino'])}`],
    ['detentions in a date range (filters only)', () => `type:detentions from:2020-08-${String(r.int(9, 20)).padStart(2, '0')} to:2020-09`],
    ['a detention condition in one facility', () => `${r.pick(conditionWords)} facility:${r.pick(gen.sample.facilities)}`],
    ['a word, excluding a status', () => `${r.pick(words(r.pick(LANGS)))} -status:alleged`],
    ['acts at a place (filters only)', () => `type:acts place:${r.pick(gen.sample.places)}`],
    ['an act type and a word', () => `actType:${r.pick(['beating', 'torture', 'detention'])} ${r.pick(words('ru'))}`],
    ['a word in one language', () => `${r.pick(words('be'))} language:be`],
    ['a name among persons only', () => `${r.pick(persons).surnameRu} type:persons`],
  ];
  for (let i = 0; i < want.get('facet')!; i++) {
    const [note, f] = facetForms[i % facetForms.length]!;
    out.push({ kind: 'facet', q: f(), note });
  }
  return out;
}

interface Sample {
  q: string;
  kind: QueryKind;
  note: string;
  ms: number;
  total: number;
  byName: number;
  fuzzy: boolean;
}

function latency(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!; // nearest rank
  return {
    queries: s.length,
    p50Ms: round(q(0.5)),
    p95Ms: round(q(0.95)),
    p99Ms: round(q(0.99)),
    maxMs: round(s[s.length - 1]!),
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

async function runPass(c: Container, actor: Actor, queries: BenchQuery[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const bq of queries) {
    const t = performance.now();
    const res = await search({ db: c.db, vault: c.vault }, actor, { q: bq.q });
    const ms = performance.now() - t;
    out.push({ q: bq.q, kind: bq.kind, note: bq.note, ms, total: res.total, byName: res.items.filter((i) => i.byName).length, fuzzy: res.fuzzy });
  }
  return out;
}

/** Runs slow queries again through a logging SQLite connection: their slowest statements and plans. */
async function profileSqlite(c: Container, actor: Actor, slow: Sample[], log: Log): Promise<unknown[]> {
  const events: LogEvent[] = [];
  const db = new Kysely<any>({ dialect: createSqliteDialect(join(c.config.dataDir, 'letapis.db')), log: (e) => void events.push(e) });
  const out: unknown[] = [];
  try {
    // opening the connection runs `pragma optimize`: not part of any query
    await db.selectFrom('search_state').select('version').execute();
    for (const s of slow) {
      events.length = 0;
      const t = performance.now();
      await search({ db, vault: c.vault }, actor, { q: s.q });
      const ms = performance.now() - t;
      const stmts = events
        .filter((e) => e.level === 'query')
        .map((e) => ({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis }))
        .sort((a, b) => b.ms - a.ms);
      const statementsMs = stmts.reduce((a, b) => a + b.ms, 0);
      const top = stmts.slice(0, 3);
      const plans = [];
      for (const st of top.slice(0, 2)) {
        const rows = (await db.executeQuery(CompiledQuery.raw(`explain query plan ${st.sql}`, [...st.parameters]))).rows;
        plans.push({ ms: round(st.ms), sql: st.sql.replace(/\s+/g, ' ').slice(0, 1500), parameters: st.parameters.slice(0, 40), plan: (rows as Array<{ detail: string }>).map((x) => x.detail) });
      }
      out.push({ q: s.q, kind: s.kind, total: s.total, ms: round(ms), statements: stmts.length, statementsMs: round(statementsMs), outsideStatementsMs: round(ms - statementsMs), slowest: plans });
      log(`search: profiled ${JSON.stringify(s.q)}: ${round(ms, 1)} ms, ${stmts.length} statements; slowest ${round(top[0]?.ms ?? 0, 1)} ms`);
    }
  } finally {
    await db.destroy();
  }
  return out;
}

/** The whole section on one engine's fresh database. */
export async function benchSearch(
  c: Container,
  opts: SearchBenchOptions,
  log: Log,
  sizeOf: () => Promise<number | null>,
  maintenance: { start(): void; stop(): Promise<void>; beforeListing(): Promise<void>; report(): Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const engine = isPostgres(c.db) ? 'postgres' : 'sqlite';
  const reused = opts.keptSummary !== undefined && existsSync(opts.keptSummary);
  // a kept data set already has the first run's account: each run adds its own
  const actor = await makeActor(c.db, 'documenter', reused ? `bench-search-${Date.now().toString(36)}` : 'bench-search-coordinator', 'default', 'coordinator');
  let gen: GenerateResult;
  if (reused) {
    gen = JSON.parse(readFileSync(opts.keptSummary!, 'utf8')) as GenerateResult;
    if (gen.records !== opts.records || gen.seed !== opts.seed)
      throw new Error(`the kept data set (${opts.keptSummary}) has ${gen.records} records of seed ${gen.seed}, not ${opts.records} of seed ${opts.seed}: remove it or use another --search-keep folder`);
    log(`${engine} search: reusing the kept data set of ${gen.records} records (${opts.keptSummary}); its generation and index figures are those measured when it was made`);
  } else {
    log(`${engine} search: generating ${opts.records} records (seed ${opts.seed})`);
    let last = performance.now();
    let phaseStart = performance.now();
    let phase = '';
    maintenance.start();
    gen = await generateDataSet({ db: c.db, vault: c.vault }, actor, {
      records: opts.records,
      seed: opts.seed,
      onProgress: (p) => {
        if (p.phase !== phase) {
          phase = p.phase;
          phaseStart = performance.now();
        }
        if (performance.now() - last > 15_000) {
          last = performance.now();
          const rate = p.done / ((performance.now() - phaseStart) / 1000);
          log(`${engine} search: ${p.phase} ${p.done}/${p.total} (${Math.round(rate)}/s, ~${Math.round((p.total - p.done) / Math.max(rate, 1))} s left)`);
        }
      },
    });
    await maintenance.stop();
    if (opts.keptSummary) writeFileSync(opts.keptSummary, JSON.stringify(gen));
  }
  log(`${engine} search: ${gen.records} records in ${gen.generateSeconds} s (${gen.recordsPerSecond}/s); index of ${gen.indexedDocuments} documents in ${gen.indexSeconds} s`);
  const databaseSizeBytes = await sizeOf();
  await maintenance.beforeListing();

  const queries = buildQueries(gen, opts.queries, opts.seed);
  log(`${engine} search: ${queries.length} queries, warm-up pass`);
  const tw = performance.now();
  await runPass(c, actor, queries);
  const warmupSeconds = (performance.now() - tw) / 1000;
  log(`${engine} search: timed pass`);
  const samples = await runPass(c, actor, queries);
  const kinds = [...new Set(queries.map((q) => q.kind))];
  const byKind = Object.fromEntries(
    kinds.map((k) => {
      const these = samples.filter((s) => s.kind === k);
      return [k, { ...latency(these.map((s) => s.ms)), zeroResults: these.filter((s) => s.total === 0).length, meanTotal: Math.round(these.reduce((a, s) => a + s.total, 0) / these.length) }];
    }),
  );
  const overall = { ...latency(samples.map((s) => s.ms)), zeroResults: samples.filter((s) => s.total === 0).length };
  const slowest = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 10);
  log(`${engine} search: p50 ${overall.p50Ms} ms, p95 ${overall.p95Ms} ms, p99 ${overall.p99Ms} ms, max ${overall.maxMs} ms; ${overall.zeroResults} without result`);
  const profile = engine === 'sqlite' ? await profileSqlite(c, actor, slowest.slice(0, 5), log).catch((e) => [{ error: (e as Error).message }]) : undefined;
  return {
    records: gen.records,
    ...(reused ? { reusedDataSet: `kept in ${opts.keptSummary}: generation, index build and maintenance figures are from the run that made it` } : {}),
    counts: gen.counts,
    generate: { seconds: gen.generateSeconds, recordsPerSecond: gen.recordsPerSecond, batch: 1000 },
    indexBuild: { seconds: gen.indexSeconds, documents: gen.indexedDocuments, documentsPerSecond: gen.indexSeconds ? Math.round(gen.indexedDocuments / gen.indexSeconds) : null },
    databaseSizeBytes,
    maintenance: maintenance.report(),
    queries: {
      n: queries.length,
      as: 'a coordinator of the compartment; API defaults: sort relevance, limit 20, facets on (9 facet fields)',
      warmupSeconds: round(warmupSeconds),
      overall,
      byKind,
      slowest: slowest.map((s) => ({ ...s, ms: round(s.ms) })),
      all: samples.map((s) => ({ kind: s.kind, q: s.q, ms: round(s.ms), total: s.total, byName: s.byName, fuzzy: s.fuzzy })),
    },
    ...(profile ? { profile } : {}),
  };
}
