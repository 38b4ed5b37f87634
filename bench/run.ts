/**
 * Letapis benchmark, on SQLite and on PostgreSQL, through the use-case layer:
 *
 *   acts             creating acts and listing them with filters;
 *   fieldEncryption  the cost of field encryption on the write path: persons without and with an
 *                    encrypted identity, person-names (encrypted + blind index), and listing
 *                    persons by name through the blind index.
 *   ingest           evidence ingest: a 1 GiB file through hash + encrypt + store as a ratio to
 *                    `openssl dgst -sha256` on the same file, with peak RSS, and through
 *                    ingestEvidence; 10,000 small JPEGs through ingestEvidence (bench/ingest.ts).
 *   ledger           the custody ledger: appends/s (single, batched 1,000 per transaction, and 8
 *                    concurrent appenders on PostgreSQL), inclusion proofs at 1,000,000 leaves,
 *                    and `verify` of a 1 GiB, 10,000-event case bundle as a ratio to
 *                    `openssl dgst -sha256` (bench/ledger.ts).
 *   search           search latency at 1,000,000 records: a synthetic data set of invented people
 *                    (generateDataSet: records/s), the search index built (seconds), then a fixed
 *                    mix of 200 queries (names, words, phrases, prefixes, filters) through search():
 *                    p50/p95/p99 overall and per kind (bench/search.ts).
 *   imports          import rates (issue 8): a generated 50,000-message Telegram Desktop export
 *                    (messages/s, first import and again: bench/imports.ts) and a 100,000-row CSV
 *                    of detainees (dry run and all-or-nothing import, rows/s: bench/imports-lists.ts).
 *                    PostgreSQL imports BENCH_IMPORT_PG_SHARE of those sizes (default 0.2: at the
 *                    rates measured, the full sizes take over half an hour there).
 *   redaction        the time to redact one region of a 5-minute 1080p video (issue 9), through
 *                    redactAv; the input is generated once and cached (bench/redaction.ts). Runs once,
 *                    not per engine (no database is involved).
 *
 *   npm run -s bench                              # both sections, both engines
 *   npm run -s bench -- --acts 20000              # or BENCH_ACTS=20000
 *   npm run -s bench -- --only sqlite             # or --only postgres
 *   npm run -s bench -- --only-section fieldEncryption   # or acts, ingest, ledger, search, imports, redaction; BENCH_ONLY_SECTION
 *
 * Prints ONE JSON document on stdout; progress goes to stderr (-s keeps npm's own banner out of
 * stdout). Each section runs on a fresh database. See docs/BENCHMARKS.md.
 *
 * Environment:
 *   BENCH_ACTS            acts to create per engine (default 100000; --acts N)
 *   BENCH_PERSONS         persons per variant in fieldEncryption (default 20000; --persons N)
 *   BENCH_LIST_ITERATIONS timed runs per list shape (default 200; --list-iterations N)
 *   BENCH_PG_CONCURRENCY  creates in flight on PostgreSQL (default 8; --pg-concurrency N)
 *   BENCH_SEED            seed of the pseudo-random generator (default 1; --seed N)
 *   BENCH_INGEST_BYTES    size of the large file in ingest (default 1073741824 = 1 GiB; --ingest-bytes N)
 *   BENCH_INGEST_RUNS     timed ingestBlob runs of the large file, best reported (default 3; --ingest-runs N)
 *   BENCH_JPEGS           small JPEGs ingested per engine in ingest (default 10000; --jpegs N)
 *   BENCH_LEDGER_APPENDS  ledger: appends per engine, single, batched and concurrent (default 20000; --ledger-appends N)
 *   BENCH_LEDGER_LEAVES   ledger: leaves of the ledger the proofs are taken in (default 1000000; --ledger-leaves N)
 *   BENCH_LEDGER_PG_BUILD_SECONDS  ledger: on PostgreSQL, stop building that ledger after this long
 *                         and take the proofs at the size reached (default 300; --ledger-pg-build-seconds N)
 *   BENCH_BUNDLE_BYTES    ledger: evidence bytes in the bundle (default 1073741824 = 1 GiB; --bundle-bytes N)
 *   BENCH_BUNDLE_FILES    ledger: files they are split into (default 16; --bundle-files N)
 *   BENCH_BUNDLE_EVENTS   ledger: custody events of the bundle's items (default 10000; --bundle-events N)
 *   BENCH_SEARCH_RECORDS  search: records generated on SQLite (default 1000000; --search-records N)
 *   BENCH_SEARCH_PG_RECORDS  search: records generated on PostgreSQL (default 250000, as generating
 *                         a million there takes longer than the run's budget; --search-pg-records N)
 *   BENCH_SEARCH_QUERIES  search: queries in the fixed mix (default 200; --search-queries N)
 *   BENCH_SEARCH_KEEP     search: keep each engine's data set in this folder and reuse it on the
 *                         next run instead of generating it again (--search-keep DIR)
 *   BENCH_ONLY_SECTION    acts, fieldEncryption, ingest, ledger, search, imports or redaction (default all; --only-section S)
 *   BENCH_REDACTION_SECONDS, BENCH_REDACTION_STYLE, BENCH_REDACTION_CACHE  redaction: the video's length
 *                         (default 300), blur or box (default blur), where the input is kept (bench/redaction.ts)
 *   BENCH_IMPORT_PG_SHARE share of the import sizes PostgreSQL runs (default 0.2)
 *   LETAPIS_BENCH_PG      PostgreSQL URL (default postgres://postgres@127.0.0.1:5432/test); the
 *                         run works in fresh schemas and drops them afterwards
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, platform, arch, release, loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/app/config.js';
import { createContainer, type Container } from '../src/app/container.js';
import { dropSchema } from '../src/adapters/db/dialects/postgres/postgres.dialect.js';
import { createRecord, listRecords, type RecordsDeps } from '../src/modules/records/records.usecases.js';
import { appendAuditEvent } from '../src/modules/audit/audit.repository.js';
import { encryptField, generateDataKey } from '../src/adapters/keys/field-cipher.js';
import { nameMatchKeys } from '../src/domain/names/match-key.js';
import { VOCABULARY_SEED } from '../src/domain/vocabularies/seed.js';
import { makeActor } from '../src/test-support/actors.js';
import type { Actor } from '../src/domain/policies.js';
import type { FuzzyDate } from '../src/domain/records/fields.js';
import { benchLargeFile, benchSmallJpegs, makeIngestInputs, type IngestInputs } from './ingest.js';
import { benchLedgerAppends, benchLedgerBundle, benchLedgerProofs, type LedgerOptions } from './ledger.js';
import { benchSearch } from './search.js';
import { benchTelegramImport } from './imports.js';
import { benchListImport } from './imports-lists.js';
import { benchRedaction } from './redaction.js';

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  acts: number;
  events: number;
  victims: number;
  listIterations: number;
  pgConcurrency: number;
  seed: number;
  pgUrl: string;
  only: 'sqlite' | 'postgres' | undefined;
  /** fieldEncryption: persons created per variant (without / with identity), and person-names. */
  persons: number;
  /** ingest: bytes of the large file, timed ingestBlob runs of it, small JPEGs per engine. */
  ingestBytes: number;
  ingestRuns: number;
  jpegs: number;
  /** ledger: appends, proof ledger size, PostgreSQL build budget, the bundle's bytes, files and events. */
  ledger: Omit<LedgerOptions, 'seed'>;
  /** search: records generated on SQLite and on PostgreSQL, queries in the mix. */
  search: { records: number; pgRecords: number; queries: number; keep?: string };
  sections: Section[];
}

const SECTIONS = ['acts', 'fieldEncryption', 'ingest', 'ledger', 'search', 'imports', 'redaction'] as const;
type Section = (typeof SECTIONS)[number];

function intOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`bench: ${name} must be an integer ≥ ${min}, not "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      process.stderr.write(`bench: unexpected argument "${a}"\n`);
      process.exit(2);
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) {
      process.stderr.write(`bench: ${a} needs a value\n`);
      process.exit(2);
    }
    args.set(m[1]!, value);
  }
  const known = new Set([
    'acts',
    'persons',
    'ingest-bytes',
    'ingest-runs',
    'jpegs',
    'ledger-appends',
    'ledger-leaves',
    'ledger-pg-build-seconds',
    'bundle-bytes',
    'bundle-files',
    'bundle-events',
    'search-records',
    'search-pg-records',
    'search-queries',
    'search-keep',
    'list-iterations',
    'pg-concurrency',
    'seed',
    'only',
    'only-section',
  ]);
  for (const k of args.keys())
    if (!known.has(k)) {
      process.stderr.write(`bench: unknown option --${k} (known: ${[...known].map((x) => `--${x}`).join(', ')})\n`);
      process.exit(2);
    }
  const acts = intOption('--acts / BENCH_ACTS', args.get('acts') ?? env.BENCH_ACTS, 100_000, 1);
  const only = args.get('only');
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres') {
    process.stderr.write(`bench: --only must be sqlite or postgres\n`);
    process.exit(2);
  }
  const onlySection = args.get('only-section') ?? (env.BENCH_ONLY_SECTION?.trim() || undefined);
  if (onlySection !== undefined && !(SECTIONS as readonly string[]).includes(onlySection)) {
    process.stderr.write(`bench: --only-section / BENCH_ONLY_SECTION must be ${SECTIONS.join(', ')}\n`);
    process.exit(2);
  }
  return {
    acts,
    // ~1,000 events and ~5,000 victims at 100,000 acts; proportionally fewer for smaller runs
    events: Math.max(1, Math.min(1000, Math.round(acts / 100))),
    victims: Math.max(1, Math.min(5000, Math.round(acts / 20))),
    listIterations: intOption('--list-iterations / BENCH_LIST_ITERATIONS', args.get('list-iterations') ?? env.BENCH_LIST_ITERATIONS, 200, 1),
    pgConcurrency: intOption('--pg-concurrency / BENCH_PG_CONCURRENCY', args.get('pg-concurrency') ?? env.BENCH_PG_CONCURRENCY, 8, 1),
    seed: intOption('--seed / BENCH_SEED', args.get('seed') ?? env.BENCH_SEED, 1, 0),
    pgUrl: env.LETAPIS_BENCH_PG?.trim() || 'postgres://postgres@127.0.0.1:5432/test',
    only: only as Options['only'],
    persons: intOption('--persons / BENCH_PERSONS', args.get('persons') ?? env.BENCH_PERSONS, 20_000, 1),
    ingestBytes: intOption('--ingest-bytes / BENCH_INGEST_BYTES', args.get('ingest-bytes') ?? env.BENCH_INGEST_BYTES, 1024 ** 3, 1),
    ingestRuns: intOption('--ingest-runs / BENCH_INGEST_RUNS', args.get('ingest-runs') ?? env.BENCH_INGEST_RUNS, 3, 1),
    jpegs: intOption('--jpegs / BENCH_JPEGS', args.get('jpegs') ?? env.BENCH_JPEGS, 10_000, 1),
    ledger: {
      appends: intOption('--ledger-appends / BENCH_LEDGER_APPENDS', args.get('ledger-appends') ?? env.BENCH_LEDGER_APPENDS, 20_000, 1),
      leaves: intOption('--ledger-leaves / BENCH_LEDGER_LEAVES', args.get('ledger-leaves') ?? env.BENCH_LEDGER_LEAVES, 1_000_000, 1),
      pgBuildSeconds: intOption('--ledger-pg-build-seconds / BENCH_LEDGER_PG_BUILD_SECONDS', args.get('ledger-pg-build-seconds') ?? env.BENCH_LEDGER_PG_BUILD_SECONDS, 300, 1),
      bundleBytes: intOption('--bundle-bytes / BENCH_BUNDLE_BYTES', args.get('bundle-bytes') ?? env.BENCH_BUNDLE_BYTES, 1024 ** 3, 1),
      bundleFiles: intOption('--bundle-files / BENCH_BUNDLE_FILES', args.get('bundle-files') ?? env.BENCH_BUNDLE_FILES, 16, 1),
      bundleEvents: intOption('--bundle-events / BENCH_BUNDLE_EVENTS', args.get('bundle-events') ?? env.BENCH_BUNDLE_EVENTS, 10_000, 1),
    },
    search: {
      records: intOption('--search-records / BENCH_SEARCH_RECORDS', args.get('search-records') ?? env.BENCH_SEARCH_RECORDS, 1_000_000, 100),
      pgRecords: intOption('--search-pg-records / BENCH_SEARCH_PG_RECORDS', args.get('search-pg-records') ?? env.BENCH_SEARCH_PG_RECORDS, 250_000, 100),
      queries: intOption('--search-queries / BENCH_SEARCH_QUERIES', args.get('search-queries') ?? env.BENCH_SEARCH_QUERIES, 200, 1),
      keep: args.get('search-keep') ?? (env.BENCH_SEARCH_KEEP?.trim() || undefined),
    },
    sections: onlySection ? [onlySection as Section] : [...SECTIONS],
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

const log = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/** mulberry32: small, fast, seedable; the data set is the same for the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const sample = <T>(xs: readonly T[], k: number): T[] => {
    const copy = [...xs];
    const out: T[] = [];
    for (let i = 0; i < k && copy.length; i++) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]!);
    return out;
  };
  return { next, int, pick, sample };
}
type Rng = ReturnType<typeof rng>;

const pad = (n: number) => String(n).padStart(2, '0');
const DAY_MS = 86_400_000;
/** Aug 1 – Dec 31 2020, the window the acts' dates fall in. */
const WINDOW_START = Date.UTC(2020, 7, 1);
const WINDOW_DAYS = 153;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A fuzzy date in Aug–Dec 2020: mostly days, some months, some exact times, a few estimates. */
function fuzzyDate(r: Rng, dayMs: number): FuzzyDate {
  const x = r.next();
  const day = isoDay(dayMs);
  if (x < 0.6) return { value: day, precision: 'day' };
  if (x < 0.8) return { value: day.slice(0, 7), precision: 'month' };
  if (x < 0.95) return { value: `${day}T${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:00+03:00`, precision: 'exact' };
  return { value: day, precision: 'estimate' };
}

function codesOf(vocabulary: string): string[] {
  const v = VOCABULARY_SEED.find((s) => s.name === vocabulary);
  if (!v || v.terms.length === 0) throw new Error(`the vocabulary seed has no terms for "${vocabulary}"`);
  return v.terms.map((t) => t.code);
}

interface Stats {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  /** Mean number of records on the page(s) returned, to show the filter matched something. */
  meanItems: number;
}

function stats(samples: number[], items: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!; // nearest rank
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    runs: s.length,
    p50Ms: r3(q(0.5)),
    p95Ms: r3(q(0.95)),
    maxMs: r3(s[s.length - 1]!),
    meanMs: r3(s.reduce((a, b) => a + b, 0) / s.length),
    meanItems: Math.round((items.reduce((a, b) => a + b, 0) / items.length) * 10) / 10,
  };
}

/** Runs `total` tasks with at most `concurrency` in flight; calls `progress` now and then. */
async function runPool(total: number, concurrency: number, task: (i: number) => Promise<void>, label: string): Promise<number> {
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  let lastLog = t0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await task(i);
      done++;
      const now = performance.now();
      if (now - lastLog > 10_000 || done === total) {
        lastLog = now;
        const secs = (now - t0) / 1000;
        const rate = done / secs;
        const eta = rate > 0 ? (total - done) / rate : 0;
        log(`${label}: ${done}/${total} (${rate.toFixed(0)}/s, ${secs.toFixed(0)} s, ~${eta.toFixed(0)} s left)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return (performance.now() - t0) / 1000;
}

// ---------------------------------------------------------------------------------------------
// The benchmark on one open container

/**
 * Upkeep of planner statistics around the run, per engine. PostgreSQL normally has autovacuum,
 * which re-analyses a table once its changes exceed 50 rows + 10% of it; a server with
 * autovacuum off (as some test servers are) leaves the planner with no statistics at all, and
 * the figures would say more about that server than about Letapis. So where it is off the
 * benchmark does autovacuum's analyse part itself, with autovacuum's default settings.
 */
interface Maintenance {
  /** Called before the first create (setup included). */
  start(): void;
  /** Called after the last create. */
  stop(): Promise<void>;
  /** Called between createActs and listActs. */
  beforeListing(): Promise<void>;
  report(): Record<string, unknown>;
}

const noMaintenance = (note: string): Maintenance => ({
  start() {},
  async stop() {},
  async beforeListing() {},
  report: () => ({ note }),
});

/** PostgreSQL: emulate autoanalyze if the server's autovacuum is off; VACUUM ANALYZE before listing. */
async function postgresMaintenance(c: Container): Promise<Maintenance> {
  const setting = async (name: string) => String(Object.values((await sql.raw(`show ${name}`).execute(c.db)).rows[0] as object)[0]);
  const autovacuum = await setting('autovacuum');
  const naptime = await setting('autovacuum_naptime');
  const emulate = autovacuum !== 'on';
  const intervalMs = 60_000; // autovacuum_naptime's default
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let runs = 0;
  let tablesAnalyzed = 0;
  const tick = async () => {
    // the tables autovacuum would pick: changed by more than 50 rows + 10% since their last analyse
    const due = await sql<{ relname: string }>`
      select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = current_schema()
        and s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`.execute(c.db);
    if (!due.rows.length) return;
    runs++;
    for (const { relname } of due.rows) {
      await sql`analyze ${sql.id(relname)}`.execute(c.db);
      tablesAnalyzed++;
    }
    log(`postgres: emulated autoanalyze of ${due.rows.map((r) => r.relname).join(', ')}`);
  };
  return {
    start() {
      if (!emulate) return;
      timer = setInterval(() => {
        if (!running) running = tick().catch((e) => log(`postgres: emulated autoanalyze failed: ${(e as Error).message}`)).finally(() => {
            running = undefined;
          });
      }, intervalMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
    async beforeListing() {
      // a settled database: what autovacuum would have done by the time anyone lists
      const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema()`.execute(c.db);
      log(`postgres: VACUUM ANALYZE of ${tables.rows.length} tables before listing`);
      for (const { tablename } of tables.rows) await sql`vacuum analyze ${sql.id(tablename)}`.execute(c.db);
    },
    report: () => ({
      serverAutovacuum: autovacuum,
      serverAutovacuumNaptime: naptime,
      emulatedAutoanalyze: emulate
        ? { intervalSeconds: intervalMs / 1000, threshold: '50 rows + 10% of the table changed since its last analyse', runs, tablesAnalyzed }
        : false,
      beforeListing: 'VACUUM ANALYZE of every table of the schema',
    }),
  };
}

/** The record use cases' dependencies, as the server builds them (database, vault, audit log). */
const depsOf = (c: Container): RecordsDeps => ({ db: c.db, vault: c.vault, audit: appendAuditEvent });

interface ActsResult {
  database: string;
  setup: { events: number; victims: number; seconds: number; recordsPerSecond: number; concurrency: number };
  createActs: { n: number; seconds: number; recordsPerSecond: number; concurrency: number; methodsLinked: number };
  listActs: {
    pageSize: number;
    iterations: number;
    warmupPerShape: number;
    shapes: Record<string, Stats & { description: string }>;
  };
  databaseSizeBytes: number | null;
  maintenance: Record<string, unknown>;
}

async function benchActs(
  c: Container,
  opts: Options,
  r: Rng,
  concurrency: number,
  sizeOf: () => Promise<number | null>,
  maintenance: Maintenance,
): Promise<ActsResult> {
  const deps = depsOf(c);
  const actor: Actor = await makeActor(c.db, 'documenter', `bench-${randomBytes(3).toString('hex')}`);
  const actTypes = codesOf('act-types');
  const methods = codesOf('methods');
  const engine = c.dialect;
  log(`${engine}: ${c.describe.database}; ${actTypes.length} act types, ${methods.length} methods`);

  // --- setup: events and victims (timed separately) ---
  maintenance.start();
  const eventIds: string[] = new Array(opts.events);
  const victimIds: string[] = new Array(opts.victims);
  const setupTotal = opts.events + opts.victims;
  const setupSeconds = await runPool(
    setupTotal,
    concurrency,
    async (i) => {
      if (i < opts.events) {
        const day = WINDOW_START + r.int(0, WINDOW_DAYS - 1) * DAY_MS;
        const rec = await createRecord(deps, actor, 'events', {
          title: `Bench event ${i + 1}`,
          status: r.pick(['alleged', 'corroborated', 'verified']),
          start: { value: isoDay(day), precision: 'day' },
        });
        eventIds[i] = rec.id;
      } else {
        const j = i - opts.events;
        const rec = await createRecord(deps, actor, 'persons', {
          pseudonym: `Victim ${j + 1}`,
          sex: r.pick(['female', 'male', 'other', 'unknown']),
        });
        victimIds[j] = rec.id;
      }
    },
    `${engine} setup (events + victims)`,
  );

  // --- createActs (timed) ---
  let methodsLinked = 0;
  const createSeconds = await runPool(
    opts.acts,
    concurrency,
    async () => {
      const startDay = WINDOW_START + r.int(0, WINDOW_DAYS - 1) * DAY_MS;
      const input: Record<string, unknown> = {
        event: r.pick(eventIds),
        victim: r.pick(victimIds),
        type: r.pick(actTypes),
        start: fuzzyDate(r, startDay),
      };
      const k = r.int(0, 3);
      if (k > 0) {
        input.methods = r.sample(methods, k);
        methodsLinked += k;
      }
      // a third of the acts also carry an end, on the same day or up to a week later (within 2020)
      if (r.next() < 1 / 3) {
        const endDay = Math.min(startDay + r.int(0, 7) * DAY_MS, WINDOW_START + (WINDOW_DAYS - 1) * DAY_MS);
        input.end = { value: isoDay(endDay), precision: 'day' };
      }
      await createRecord(deps, actor, 'acts', input);
    },
    `${engine} createActs`,
  );

  await maintenance.stop();
  await maintenance.beforeListing();

  // --- listActs ---
  const randomRange = () => {
    const from = WINDOW_START + r.int(0, WINDOW_DAYS - 1) * DAY_MS;
    const to = Math.min(from + r.int(6, 30) * DAY_MS, WINDOW_START + (WINDOW_DAYS - 1) * DAY_MS);
    return { startFrom: isoDay(from), startTo: isoDay(to) };
  };
  const sorts = ['-createdAt', 'createdAt'] as const;
  const shapes: { name: string; description: string; run: () => Promise<number> }[] = [
    {
      name: 'byType',
      description: 'type=<random act type>, page 1',
      run: async () => (await listRecords(deps, actor, 'acts', { type: r.pick(actTypes) })).items.length,
    },
    {
      name: 'byEvent',
      description: 'event=<random event id>, page 1',
      run: async () => (await listRecords(deps, actor, 'acts', { event: r.pick(eventIds) })).items.length,
    },
    {
      name: 'byMethods',
      description: 'methods=<1 or 2 random method codes, any of them>, page 1',
      run: async () => (await listRecords(deps, actor, 'acts', { methods: r.sample(methods, r.int(1, 2)).join(',') })).items.length,
    },
    {
      name: 'byTypeAndDateRange',
      description: 'type=<random act type>&startFrom=<random day>&startTo=<7–31 days later>, page 1',
      run: async () => (await listRecords(deps, actor, 'acts', { type: r.pick(actTypes), ...randomRange() })).items.length,
    },
    {
      name: 'unfilteredPage1',
      description: 'no filter, page 1, sort -createdAt or createdAt at random',
      run: async () => (await listRecords(deps, actor, 'acts', { sort: r.pick(sorts) })).items.length,
    },
    {
      name: 'pagingFiveDeep',
      description: 'no filter, pages 1 to 5 following nextCursor (one sample = all 5 requests), sort at random',
      run: async () => {
        const sort = r.pick(sorts);
        let cursor: string | null = null;
        let n = 0;
        for (let p = 0; p < 5; p++) {
          const page: Awaited<ReturnType<typeof listRecords>> = await listRecords(deps, actor, 'acts', cursor ? { sort, cursor } : { sort });
          n += page.items.length;
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        return n;
      },
    },
  ];
  const warmup = 5;
  const results: ActsResult['listActs']['shapes'] = {};
  for (const shape of shapes) {
    for (let i = 0; i < warmup; i++) await shape.run();
    const samples: number[] = [];
    const items: number[] = [];
    for (let i = 0; i < opts.listIterations; i++) {
      const t0 = performance.now();
      items.push(await shape.run());
      samples.push(performance.now() - t0);
    }
    results[shape.name] = { description: shape.description, ...stats(samples, items) };
    const s = results[shape.name]!;
    log(`${engine} listActs ${shape.name}: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, max ${s.maxMs} ms (${s.meanItems} items)`);
  }

  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    database: c.describe.database,
    setup: {
      events: opts.events,
      victims: opts.victims,
      seconds: round(setupSeconds),
      recordsPerSecond: round(setupTotal / setupSeconds, 1),
      concurrency,
    },
    createActs: {
      n: opts.acts,
      seconds: round(createSeconds),
      recordsPerSecond: round(opts.acts / createSeconds, 1),
      concurrency,
      methodsLinked,
    },
    listActs: { pageSize: 50, iterations: opts.listIterations, warmupPerShape: warmup, shapes: results },
    databaseSizeBytes: await sizeOf(),
    maintenance: maintenance.report(),
  };
}

// ---------------------------------------------------------------------------------------------
// Section fieldEncryption: persons without and with an encrypted identity, person-names, and
// listing persons by name through the blind index

/** Invented name parts (Belarusian, Cyrillic). Surnames are stems × suffixes, none a real person's. */
const GIVEN = {
  male: ['Аляксандр', 'Мікалай', 'Сяргей', 'Андрэй', 'Уладзімір', 'Павел', 'Дзмітрый', 'Віктар', 'Ігар', 'Юрый', 'Алег', 'Максім', 'Раман', 'Яўген', 'Васіль', 'Антон'],
  female: ['Алена', 'Наталля', 'Вольга', 'Святлана', 'Таццяна', 'Марыя', 'Ганна', 'Ірына', 'Юлія', 'Кацярына', 'Людміла', 'Вераніка', 'Марына', 'Алеся', 'Жанна', 'Валянціна'],
};
const PATRONYMIC = {
  male: ['Аляксандравіч', 'Мікалаевіч', 'Сяргеевіч', 'Андрэевіч', 'Уладзіміравіч', 'Паўлавіч', 'Віктаравіч', 'Ігаравіч', 'Юр’евіч', 'Алегавіч'],
  female: ['Аляксандраўна', 'Мікалаеўна', 'Сяргееўна', 'Андрэеўна', 'Уладзіміраўна', 'Паўлаўна', 'Віктараўна', 'Ігараўна', 'Юр’еўна', 'Алегаўна'],
};
const SURNAME_STEMS = [
  'Варакс', 'Дзямід', 'Крапіў', 'Лапут', 'Мацвяр', 'Пракап', 'Рагуц', 'Сцяпур', 'Цішкев', 'Шаўлюг', 'Бародз', 'Гарбач',
  'Жалудз', 'Кавалюш', 'Ляўшун', 'Міхалюд', 'Навумц', 'Пашкеў', 'Радзюк', 'Садоўск', 'Трафім', 'Хадасев', 'Чарнуш', 'Юркав',
  'Ярмолк', 'Зубрыц', 'Акулюш', 'Бурачк', 'Дрозд', 'Галоўч', 'Клімаш', 'Латыш',
];
const SURNAME_SUFFIXES = ['ёнак', 'еня', 'ук', 'енка', 'ка', 'овіч', 'эвіч', 'ік'];
const STREETS = ['Ліпавая', 'Бярозавая', 'Рачная', 'Сонечная', 'Палявая', 'Лугавая', 'Азёрная', 'Крынічная'];
const TOWNS = ['Менск', 'Берасце', 'Гародня', 'Віцебск', 'Магілёў', 'Гомель', 'Ліда', 'Пінск'];

/** The surname pool: every stem × suffix whose match key is distinct from the others' and from given names'. */
function surnamePool(): string[] {
  const taken = new Set([...GIVEN.male, ...GIVEN.female, ...PATRONYMIC.male, ...PATRONYMIC.female].flatMap((w) => nameMatchKeys(w)));
  const out: string[] = [];
  for (const stem of SURNAME_STEMS)
    for (const suffix of SURNAME_SUFFIXES) {
      const name = stem + suffix;
      const keys = nameMatchKeys(name);
      if (keys.length !== 1 || taken.has(keys[0]!)) continue;
      taken.add(keys[0]!);
      out.push(name);
    }
  return out;
}

/** A full name of two or three words: "Surname Given" or "Surname Given Patronymic". */
function fullName(r: Rng, surname: string): string {
  const sex = r.next() < 0.5 ? 'male' : 'female';
  const given = r.pick(GIVEN[sex]);
  return r.next() < 0.5 ? `${surname} ${given}` : `${surname} ${given} ${r.pick(PATRONYMIC[sex])}`;
}

const digits = (r: Rng, n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');

/** A full invented identity: a name, a birth date, two contacts, one address, one document. */
function identity(r: Rng, surname: string, i: number): Record<string, unknown> {
  const born = Date.UTC(1950, 0, 1) + r.int(0, 55 * 365) * DAY_MS;
  const issued = Date.UTC(2010, 0, 1) + r.int(0, 12 * 365) * DAY_MS;
  const second = r.pick(['email', 'telegram', 'signal'] as const);
  return {
    fullName: fullName(r, surname),
    birthDate: { value: isoDay(born), precision: 'day' },
    contacts: [
      { kind: 'phone', value: `+375 ${r.pick(['25', '29', '33', '44'])} ${digits(r, 3)}-${digits(r, 2)}-${digits(r, 2)}` },
      second === 'email'
        ? { kind: 'email', value: `bench.person.${i}@example.org` }
        : { kind: second, value: second === 'telegram' ? `@bench_person_${i}` : `+375 29 ${digits(r, 7)}`, note: 'from a relative' },
    ],
    addresses: [`${r.pick(TOWNS)}, вул. ${r.pick(STREETS)}, ${r.int(1, 120)}, кв. ${r.int(1, 200)}`],
    documents: [{ kind: 'passport', number: `${r.pick(['MP', 'MC', 'KH', 'AB'])}${digits(r, 7)}`, issuedBy: `${r.pick(TOWNS)} РУУС`, issuedOn: isoDay(issued) }],
  };
}

interface CreateFigures {
  n: number;
  seconds: number;
  recordsPerSecond: number;
}

interface FieldEncryptionResult {
  database: string;
  concurrency: number;
  /** (a) and (b) run in alternating blocks of this many, ABBA, so drift and load hit both alike. */
  blockSize: number;
  /** Untimed creates of each of (a) and (b) before the timed ones. */
  warmupPerVariant: number;
  plainPersons: CreateFigures & { description: string };
  identityPersons: CreateFigures & { description: string };
  encryptionCost: {
    /** identityPersons.recordsPerSecond / plainPersons.recordsPerSecond */
    throughputRatio: number;
    /** How much longer a create takes with the identity, in %: plain rate / identity rate − 1. */
    slowdownPercent: number;
    /** Extra wall-clock time per record: 1/identity rate − 1/plain rate. */
    extraMsPerRecord: number;
  };
  personNames: CreateFigures & { description: string };
  /** The cryptography alone, without the database, one record at a time in this process. */
  cryptoOnly: {
    iterations: number;
    identityMicrosecondsPerRecord: number;
    personNameMicrosecondsPerRecord: number;
    description: string;
  };
  listPersons: {
    pageSize: number;
    iterations: number;
    warmupPerShape: number;
    surnamesInPool: number;
    shapes: Record<string, Stats & { description: string; meanMatchingPersons?: number }>;
  };
  rows: Record<string, number>;
  databaseSizeBytes: number | null;
  maintenance: Record<string, unknown>;
}

/** Runs `total` tasks with at most `concurrency` in flight, silently; returns the seconds taken. */
async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return (performance.now() - t0) / 1000;
}

async function benchFieldEncryption(
  c: Container,
  opts: Options,
  r: Rng,
  concurrency: number,
  sizeOf: () => Promise<number | null>,
  maintenance: Maintenance,
): Promise<FieldEncryptionResult> {
  const deps = depsOf(c);
  const actor: Actor = await makeActor(c.db, 'documenter', `bench-${randomBytes(3).toString('hex')}`);
  const engine = c.dialect;
  const roles = codesOf('person-roles');
  const surnames = surnamePool();
  /** persons a surname finds, as the benchmark made them (identities and person-names) */
  const matching = new Map<string, number>();
  const used = (s: string) => matching.set(s, (matching.get(s) ?? 0) + 1);
  log(`${engine} fieldEncryption: ${c.describe.database}; ${opts.persons} persons per variant, ${surnames.length} surnames`);

  let serial = 0;
  const plainIds: string[] = [];
  const plainPerson = async () => {
    const i = ++serial;
    const rec = await createRecord(deps, actor, 'persons', { pseudonym: `Person ${i}`, roles: r.sample(roles, r.int(1, 2)) });
    plainIds.push(rec.id);
  };
  const identityPerson = async () => {
    const i = ++serial;
    const surname = r.pick(surnames);
    used(surname);
    await createRecord(deps, actor, 'persons', { pseudonym: `Person ${i}`, roles: r.sample(roles, r.int(1, 2)), identity: identity(r, surname, i) });
  };

  maintenance.start();

  // --- warm-up, untimed ---
  const warmup = Math.min(100, opts.persons);
  await pool(warmup, concurrency, plainPerson);
  await pool(warmup, concurrency, identityPerson);

  // --- (a) without and (b) with identity, in alternating blocks (A B B A A B …) ---
  const blockSize = Math.min(1000, opts.persons);
  const seconds = { plain: 0, identity: 0 };
  const t0 = performance.now();
  let lastLog = t0;
  for (let done = 0, block = 0; done < opts.persons; done += blockSize, block++) {
    const n = Math.min(blockSize, opts.persons - done);
    const order: ('plain' | 'identity')[] = block % 2 === 0 ? ['plain', 'identity'] : ['identity', 'plain'];
    for (const v of order) seconds[v] += await pool(n, concurrency, v === 'plain' ? plainPerson : identityPerson);
    const now = performance.now();
    if (now - lastLog > 10_000 || done + n === opts.persons) {
      lastLog = now;
      log(`${engine} persons: ${done + n}/${opts.persons} per variant (without identity ${((done + n) / seconds.plain).toFixed(0)}/s, with ${((done + n) / seconds.identity).toFixed(0)}/s, ${((now - t0) / 1000).toFixed(0)} s)`);
    }
  }

  // --- (c) person-names of the persons without identity ---
  const namesSeconds = await runPool(
    opts.persons,
    concurrency,
    async (i) => {
      const surname = r.pick(surnames);
      used(surname);
      await createRecord(deps, actor, 'person-names', {
        person: plainIds[i % plainIds.length],
        text: fullName(r, surname),
        script: 'Cyrl',
        language: r.pick(['be', 'ru']),
        system: 'original',
      });
    },
    `${engine} person-names`,
  );

  await maintenance.stop();

  // --- the cryptography alone: what (b) and (c) do to one record, without the database ---
  const cryptoIterations = Math.min(opts.persons, 20_000);
  const samples = Array.from({ length: 1000 }, (_, i) => identity(r, r.pick(surnames), i));
  const cryptoRecord = (plaintext: string, names: string[]) => {
    const key = generateDataKey();
    c.vault.wrapDataKey(key, 'bench-key-id');
    encryptField(key, plaintext, 'persons/bench-id/identity');
    for (const n of names) for (const k of nameMatchKeys(n)) c.vault.blindIndex(k, 'person-name');
    key.fill(0);
  };
  for (let i = 0; i < 500; i++) cryptoRecord(JSON.stringify(samples[i]), [samples[i]!.fullName as string]); // warm-up
  let tc = performance.now();
  for (let i = 0; i < cryptoIterations; i++) {
    const id = samples[i % samples.length]!;
    cryptoRecord(JSON.stringify(id), [id.fullName as string]);
  }
  const identityMicros = ((performance.now() - tc) * 1000) / cryptoIterations;
  tc = performance.now();
  for (let i = 0; i < cryptoIterations; i++) {
    const name = samples[i % samples.length]!.fullName as string;
    cryptoRecord(name, [name]);
  }
  const nameMicros = ((performance.now() - tc) * 1000) / cryptoIterations;

  await maintenance.beforeListing();

  // --- listing persons ---
  const usedSurnames = [...matching.keys()];
  const sorts = ['-createdAt', 'createdAt'] as const;
  const matchCounts: number[] = [];
  const shapes: { name: string; description: string; run: () => Promise<number> }[] = [
    {
      name: 'byName',
      description: 'name=<a random surname used>, page 1 (blind index: hashes of the match keys, then the persons having all of them)',
      run: async () => {
        const s = r.pick(usedSurnames);
        matchCounts.push(matching.get(s)!);
        return (await listRecords(deps, actor, 'persons', { name: s })).items.length;
      },
    },
    {
      name: 'unfilteredPage1',
      description: 'no filter, page 1, sort -createdAt or createdAt at random (for comparison)',
      run: async () => (await listRecords(deps, actor, 'persons', { sort: r.pick(sorts) })).items.length,
    },
  ];
  const warmupList = 5;
  const listed: FieldEncryptionResult['listPersons']['shapes'] = {};
  for (const shape of shapes) {
    for (let i = 0; i < warmupList; i++) await shape.run();
    matchCounts.length = 0;
    const times: number[] = [];
    const items: number[] = [];
    for (let i = 0; i < opts.listIterations; i++) {
      const t = performance.now();
      items.push(await shape.run());
      times.push(performance.now() - t);
    }
    listed[shape.name] = { description: shape.description, ...stats(times, items) };
    if (shape.name === 'byName') listed[shape.name]!.meanMatchingPersons = Math.round((matchCounts.reduce((a, b) => a + b, 0) / matchCounts.length) * 10) / 10;
    const s = listed[shape.name]!;
    log(`${engine} listPersons ${shape.name}: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, max ${s.maxMs} ms (${s.meanItems} items)`);
  }

  const rows: Record<string, number> = {};
  for (const table of ['persons', 'person_names', 'record_secrets', 'name_index', 'data_keys'])
    rows[table] = Number(((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(c.db)).rows[0] as { n: number | string }).n);

  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  const figures = (n: number, secs: number): CreateFigures => ({ n, seconds: round(secs), recordsPerSecond: round(n / secs, 1) });
  const plain = figures(opts.persons, seconds.plain);
  const withIdentity = figures(opts.persons, seconds.identity);
  const names = figures(opts.persons, namesSeconds);
  log(`${engine} fieldEncryption: ${plain.recordsPerSecond}/s without identity, ${withIdentity.recordsPerSecond}/s with, ${names.recordsPerSecond}/s person-names`);
  return {
    database: c.describe.database,
    concurrency,
    blockSize,
    warmupPerVariant: warmup,
    plainPersons: { description: 'persons with pseudonym and 1–2 roles: nothing encrypted', ...plain },
    identityPersons: {
      description: 'the same plus identity (full name of 2–3 words, birth date, 2 contacts, 1 address, 1 document): a new data key, the identity encrypted, name hashes in the blind index',
      ...withIdentity,
    },
    encryptionCost: {
      throughputRatio: round(withIdentity.recordsPerSecond / plain.recordsPerSecond),
      slowdownPercent: round((plain.recordsPerSecond / withIdentity.recordsPerSecond - 1) * 100, 1),
      extraMsPerRecord: round(1000 / withIdentity.recordsPerSecond - 1000 / plain.recordsPerSecond),
    },
    personNames: {
      description: 'person-names (text: a full name of 2–3 words, script Cyrl) of the persons without identity: a new data key, the text encrypted, name hashes in the blind index',
      ...names,
    },
    cryptoOnly: {
      iterations: cryptoIterations,
      identityMicrosecondsPerRecord: round(identityMicros, 2),
      personNameMicrosecondsPerRecord: round(nameMicros, 2),
      description: 'per record, in process: generate a data key, wrap it under the master key, encrypt the JSON identity (or the name), blind-index each match key of the name',
    },
    listPersons: { pageSize: 50, iterations: opts.listIterations, warmupPerShape: warmupList, surnamesInPool: surnames.length, shapes: listed },
    rows,
    databaseSizeBytes: await sizeOf(),
    maintenance: maintenance.report(),
  };
}

// ---------------------------------------------------------------------------------------------
// Engines

/** Clean-up to run if the process is interrupted (Ctrl-C) mid-section. */
let cleanup: (() => Promise<void>) | undefined;
let interrupted = false;
let failed = false;

/** A fresh, migrated database of one engine, for one section. */
interface Fresh {
  c: Container;
  version: string;
  concurrency: number;
  sizeOf: () => Promise<number | null>;
  maintenance: () => Promise<Maintenance>;
}
type WithFresh = <T>(fn: (f: Fresh) => Promise<T>) => Promise<T>;

/** What a section needs of a SQLite database in `dataDir` (fresh or kept). */
async function sqliteFresh(c: Container, dataDir: string): Promise<Fresh> {
  const db = c.db;
  const version = String(((await sql<{ v: string }>`select sqlite_version() as v`.execute(db)).rows[0] as { v: string }).v);
  const file = join(dataDir, 'letapis.db');
  const sizeOf = async () => {
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    let total = 0;
    for (const f of [file, `${file}-wal`]) if (existsSync(f)) total += statSync(f).size;
    return total;
  };
  const maintenance = async () => noMaintenance('none: Letapis never runs ANALYZE on SQLite, and SQLite has no automatic equivalent');
  return { c, version, concurrency: 1, sizeOf, maintenance };
}

/** Bytes of a PostgreSQL schema's tables (with their indexes and TOAST). */
async function postgresSize(db: Container['db'], schema: string): Promise<number> {
  const res = await sql<{ bytes: number | string }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'm')`.execute(db);
  return Number(res.rows[0]?.bytes ?? 0);
}

/** SQLite in a new temporary data directory, deleted afterwards. */
const withFreshSqlite: WithFresh = async (fn) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'letapis-bench-'));
  let c: Container | undefined;
  cleanup = async () => {
    await c?.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // an explicit environment: no DATABASE_URL from the caller's shell can redirect the run
    c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dataDir }));
    return await fn(await sqliteFresh(c, dataDir));
  } finally {
    await cleanup();
    cleanup = undefined;
  }
};

/** PostgreSQL in a new schema, dropped afterwards. */
const freshPostgres =
  (opts: Options, version: string): WithFresh =>
  async (fn) => {
    const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'letapis-bench-'));
    let c: Container | undefined;
    let dropped = false;
    cleanup = async () => {
      await c?.close().catch(() => {});
      if (!dropped) {
        dropped = true;
        await dropSchema(opts.pgUrl, schema).catch((e) => log(`could not drop schema ${schema}: ${(e as Error).message}`));
      }
      rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dataDir, DATABASE_URL: opts.pgUrl }), { schema });
      const db = c.db;
      const container = c;
      const sizeOf = () => postgresSize(db, schema);
      return await fn({ c, version, concurrency: opts.pgConcurrency, sizeOf, maintenance: () => postgresMaintenance(container) });
    } finally {
      await cleanup();
      cleanup = undefined;
    }
  };

/**
 * search with --search-keep DIR: the engine's database kept in DIR/<engine> (a data directory; on
 * PostgreSQL also a schema, named in DIR/postgres/schema) and never deleted, so the next run can
 * reuse the data set instead of generating a million records again.
 */
const keptDatabase =
  (opts: Options, engine: 'sqlite' | 'postgres', dir: string): WithFresh =>
  async (fn) => {
    const dataDir = join(dir, engine);
    mkdirSync(dataDir, { recursive: true });
    let c: Container | undefined;
    cleanup = async () => {
      await c?.close().catch(() => {});
    };
    try {
      if (engine === 'sqlite') {
        c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dataDir }));
        return await fn(await sqliteFresh(c, dataDir));
      }
      const schemaFile = join(dataDir, 'schema');
      if (!existsSync(schemaFile)) writeFileSync(schemaFile, `bench_kept_${randomBytes(4).toString('hex')}\n`);
      const schema = readFileSync(schemaFile, 'utf8').trim();
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`${schemaFile}: not a schema name: ${schema}`);
      c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dataDir, DATABASE_URL: opts.pgUrl }), { schema });
      const db = c.db;
      const container = c;
      const version = String((await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]?.server_version);
      const sizeOf = () => postgresSize(db, schema);
      return await fn({ c, version, concurrency: opts.pgConcurrency, sizeOf, maintenance: () => postgresMaintenance(container) });
    } finally {
      await cleanup();
      cleanup = undefined;
    }
  };

/** The sections asked for, each on a fresh database of the engine. */
async function runSections(
  engine: 'sqlite' | 'postgres',
  opts: Options,
  withFresh: WithFresh,
  ingest?: { inputs: IngestInputs; largeFile: boolean },
): Promise<Record<string, unknown>> {
  const entry: Record<string, unknown> = { engine };
  const fail = (section: string, e: unknown) => {
    failed = true;
    if (!interrupted) log(`${engine} ${section} failed: ${(e as Error).stack ?? e}`);
    return (e as Error).message ?? String(e);
  };
  if (opts.sections.includes('acts')) {
    try {
      const acts = await withFresh(async (f) => {
        entry.version = f.version;
        return benchActs(f.c, opts, rng(opts.seed), f.concurrency, f.sizeOf, await f.maintenance());
      });
      Object.assign(entry, acts);
    } catch (e) {
      entry.error = fail('acts', e);
    }
  }
  if (opts.sections.includes('fieldEncryption') && !interrupted) {
    try {
      entry.fieldEncryption = await withFresh(async (f) => {
        entry.version = f.version;
        // its own generator: the acts' data is the same whether or not this section runs
        return benchFieldEncryption(f.c, opts, rng(opts.seed + 1_000_003), f.concurrency, f.sizeOf, await f.maintenance());
      });
    } catch (e) {
      entry.fieldEncryption = { error: fail('fieldEncryption', e) };
    }
  }
  if (opts.sections.includes('ingest') && ingest && !interrupted) {
    const out: Record<string, unknown> = {
      note: 'ingest only: the evidence.process jobs queued are not run (no worker), so type detection, metadata and derivatives are not in these figures',
    };
    entry.ingest = out;
    if (ingest.largeFile) {
      try {
        out.largeFile = await withFresh(async (f) => {
          entry.version = f.version;
          return benchLargeFile(f.c, ingest.inputs, opts.ingestRuns, log);
        });
      } catch (e) {
        out.largeFile = { error: fail('ingest largeFile', e) };
      }
    }
    if (!interrupted)
      try {
        out.smallJpegs = await withFresh(async (f) => {
          entry.version = f.version;
          return { ...(await benchSmallJpegs(f.c, ingest.inputs, log)), databaseSizeBytes: await f.sizeOf() };
        });
      } catch (e) {
        out.smallJpegs = { error: fail('ingest smallJpegs', e) };
      }
  }
  if (opts.sections.includes('ledger') && !interrupted) {
    const out: Record<string, unknown> = {};
    entry.ledger = out;
    const lopts: LedgerOptions = { ...opts.ledger, seed: opts.seed };
    try {
      out.appends = await withFresh(async (f) => {
        entry.version = f.version;
        return benchLedgerAppends(f.c, lopts, log);
      });
    } catch (e) {
      out.appends = { error: fail('ledger appends', e) };
    }
    if (!interrupted)
      try {
        out.proofs = await withFresh(async (f) => {
          entry.version = f.version;
          return benchLedgerProofs(f.c, lopts, log, f.sizeOf, await f.maintenance());
        });
      } catch (e) {
        out.proofs = { error: fail('ledger proofs', e) };
      }
    // the bundle on the first engine only (SQLite unless --only postgres), as the large ingest file
    const bundleHere = engine === 'sqlite' || opts.only === 'postgres';
    if (bundleHere && !interrupted)
      try {
        out.bundle = await withFresh(async (f) => {
          entry.version = f.version;
          return benchLedgerBundle(f.c, lopts, log);
        });
      } catch (e) {
        out.bundle = { error: fail('ledger bundle', e) };
      }
  }
  if (opts.sections.includes('search') && !interrupted) {
    const records = engine === 'sqlite' ? opts.search.records : Math.min(opts.search.records, opts.search.pgRecords);
    try {
      const keep = opts.search.keep;
      entry.search = await (keep ? keptDatabase(opts, engine, keep) : withFresh)(async (f) => {
        entry.version = f.version;
        const keptSummary = keep ? join(keep, engine, 'search-bench.json') : undefined;
        const out = await benchSearch(f.c, { records, queries: opts.search.queries, seed: opts.seed, keptSummary }, log, f.sizeOf, await f.maintenance());
        return engine === 'postgres' && records < opts.search.records
          ? { note: `PostgreSQL at ${records} records, not ${opts.search.records}: generating (and indexing) a million records there takes longer than this run's budget; set BENCH_SEARCH_PG_RECORDS to change it`, ...out }
          : out;
      });
    } catch (e) {
      entry.search = { error: fail('search', e) };
    }
  }
  if (opts.sections.includes('imports') && !interrupted) {
    const share = engine === 'postgres' ? Math.min(1, Math.max(0.01, Number(process.env.BENCH_IMPORT_PG_SHARE ?? '0.2') || 0.2)) : 1;
    const out: Record<string, unknown> = share < 1 ? { note: `PostgreSQL at ${share} of the sizes (BENCH_IMPORT_PG_SHARE)` } : {};
    entry.imports = out;
    try {
      out.telegram = await withFresh(async (f) => {
        entry.version = f.version;
        return benchTelegramImport(f.c, { messages: Math.round(50_000 * share) }, log);
      });
    } catch (e) {
      out.telegram = { error: fail('imports telegram', e) };
    }
    if (!interrupted)
      try {
        out.lists = await withFresh(async (f) => {
          entry.version = f.version;
          return benchListImport(f.c, { rows: Math.round(100_000 * share) }, log);
        });
      } catch (e) {
        out.lists = { error: fail('imports lists', e) };
      }
  }
  return entry;
}

async function runPostgres(opts: Options, ingest?: { inputs: IngestInputs; largeFile: boolean }): Promise<Record<string, unknown>> {
  const safeUrl = opts.pgUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  // reachable at all?
  const probe = new pg.Client({ connectionString: opts.pgUrl, connectionTimeoutMillis: 5000 });
  let version: string;
  try {
    await probe.connect();
    version = String((await probe.query('show server_version')).rows[0]?.server_version);
  } catch (e) {
    const reason = `PostgreSQL at ${safeUrl} is not reachable: ${(e as Error).message || String(e)}`;
    log(reason);
    return { skipped: reason };
  } finally {
    await probe.end().catch(() => {});
  }
  return runSections('postgres', opts, freshPostgres(opts, version), ingest);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  // the ingest section's inputs (a large file, small JPEGs), shared by the engines, removed at the end
  let inputsDir: string | undefined;
  const removeInputs = () => {
    if (inputsDir) rmSync(inputsDir, { recursive: true, force: true });
    inputsDir = undefined;
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      interrupted = true;
      log(`${sig}: cleaning up`);
      void (cleanup?.() ?? Promise.resolve()).finally(() => {
        removeInputs();
        process.exit(130);
      });
    });

  log(
    [
      `sections ${opts.sections.join(', ')}`,
      ...(opts.sections.includes('acts') ? [`acts ${opts.acts}, events ${opts.events}, victims ${opts.victims}`] : []),
      ...(opts.sections.includes('fieldEncryption') ? [`persons ${opts.persons} per variant`] : []),
      ...(opts.sections.includes('ingest') ? [`ingest ${opts.ingestBytes} bytes × ${opts.ingestRuns} runs, ${opts.jpegs} JPEGs`] : []),
      ...(opts.sections.includes('ledger')
        ? [
            `ledger ${opts.ledger.appends} appends, ${opts.ledger.leaves} leaves, bundle ${opts.ledger.bundleBytes} bytes in ${opts.ledger.bundleFiles} files with ${opts.ledger.bundleEvents} events`,
          ]
        : []),
      ...(opts.sections.includes('search') ? [`search ${opts.search.records} records (PostgreSQL ${Math.min(opts.search.records, opts.search.pgRecords)}), ${opts.search.queries} queries`] : []),
      `list iterations ${opts.listIterations}, seed ${opts.seed}`,
    ].join('; '),
  );
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const t0 = performance.now();
  const engines: Record<string, Record<string, unknown>> = {};
  let inputs: IngestInputs | undefined;
  let ingestInputs: Record<string, unknown> | undefined;
  let redaction: Record<string, unknown> | undefined;
  try {
    if (opts.sections.includes('ingest')) {
      inputsDir = mkdtempSync(join(tmpdir(), 'letapis-bench-ingest-'));
      try {
        inputs = await makeIngestInputs(inputsDir, opts.ingestBytes, opts.jpegs, log);
      } catch (e) {
        failed = true;
        log(`ingest inputs failed: ${(e as Error).stack ?? e}`);
        ingestInputs = { error: (e as Error).message ?? String(e) };
      }
    }
    // the large file goes through the first engine only (SQLite unless --only postgres)
    const ingestFor = (first: boolean) => (inputs ? { inputs, largeFile: first } : undefined);
    const onEngines = opts.sections.some((s) => s !== 'redaction');
    if (onEngines && opts.only !== 'postgres') engines.sqlite = await runSections('sqlite', opts, withFreshSqlite, ingestFor(true));
    if (onEngines && opts.only !== 'sqlite' && !interrupted) engines.postgres = await runPostgres(opts, ingestFor(opts.only === 'postgres'));
    if (opts.sections.includes('redaction') && !interrupted) {
      try {
        const seconds = intOption('BENCH_REDACTION_SECONDS', process.env.BENCH_REDACTION_SECONDS, 300, 1);
        const style = process.env.BENCH_REDACTION_STYLE === 'box' ? 'box' : 'blur';
        redaction = await benchRedaction({ seconds, style, cacheDir: process.env.BENCH_REDACTION_CACHE?.trim() || undefined }, log);
      } catch (e) {
        failed = true;
        log(`redaction failed: ${(e as Error).stack ?? e}`);
        redaction = { error: (e as Error).message ?? String(e) };
      }
    }
  } finally {
    removeInputs();
  }
  if (inputs) {
    const j = inputs.jpegSet;
    ingestInputs = {
      dir: inputs.dir,
      removed: true,
      largeFile: { bytes: inputs.largeFile.bytes, generateSeconds: inputs.largeFile.generateSeconds },
      jpegs: j
        ? {
            files: j.files.length,
            totalBytes: j.totalBytes,
            minBytes: Math.min(...j.files.map((f) => f.bytes)),
            maxBytes: Math.max(...j.files.map((f) => f.bytes)),
            distinctImages: j.distinctImages,
            variation:
              'each file is one of the distinct images (sharp, 240–640 px wide, quality 80, EXIF Make/Model) with its own JPEG comment segment (COM) after SOI: all bytes differ, all valid JPEGs',
            verifiedDecodes: j.verifiedDecodes,
            generateSeconds: j.generateSeconds,
          }
        : null,
    };
  }

  const cpu = cpus();
  const acts = opts.sections.includes('acts');
  const sectionTitle = { acts: 'createActs and listActs', fieldEncryption: 'fieldEncryption', ingest: 'evidence ingest', ledger: 'custody ledger', search: 'search latency', imports: 'import rates', redaction: 'redaction time' } as const;
  const doc = {
    benchmark: `letapis: ${opts.sections.map((s) => sectionTitle[s]).join('; ')}`,
    startedAt,
    totalSeconds: Math.round((performance.now() - t0) / 100) / 10,
    parameters: {
      sections: opts.sections,
      ...(acts ? { acts: opts.acts, events: opts.events, victims: opts.victims } : {}),
      ...(opts.sections.includes('fieldEncryption') ? { persons: opts.persons } : {}),
      ...(opts.sections.includes('ingest') ? { ingestBytes: opts.ingestBytes, ingestRuns: opts.ingestRuns, jpegs: opts.jpegs } : {}),
      ...(opts.sections.includes('ledger') ? { ledger: opts.ledger } : {}),
      ...(opts.sections.includes('search') ? { search: opts.search } : {}),
      listIterations: opts.listIterations,
      pgConcurrency: opts.pgConcurrency,
      seed: opts.seed,
    },
    machine: {
      cpuModel: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      totalMemoryBytes: totalmem(),
      totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      platform: `${platform()} ${release()} ${arch()}`,
      engineVersions: Object.fromEntries(Object.entries(engines).map(([k, e]) => [k, typeof e.version === 'string' ? e.version : null])),
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      tmpdir: tmpdir(),
    },
    ...(ingestInputs ? { ingestInputs } : {}),
    engines,
    ...(redaction ? { redaction } : {}),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  log(`failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
