/**
 * Letapis benchmark: creating acts through the use-case layer and listing them with filters, on
 * SQLite and on PostgreSQL.
 *
 *   npm run bench                        # 100,000 acts per engine
 *   npm run bench -- --acts 20000        # or BENCH_ACTS=20000
 *   npm run bench -- --only sqlite       # or --only postgres
 *
 * Prints ONE JSON document on stdout; progress goes to stderr. See docs/BENCHMARKS.md.
 *
 * Environment:
 *   BENCH_ACTS            acts to create per engine (default 100000; --acts N)
 *   BENCH_LIST_ITERATIONS timed runs per list shape (default 200; --list-iterations N)
 *   BENCH_PG_CONCURRENCY  creates in flight on PostgreSQL (default 8; --pg-concurrency N)
 *   BENCH_SEED            seed of the pseudo-random generator (default 1; --seed N)
 *   LETAPIS_BENCH_PG      PostgreSQL URL (default postgres://postgres@127.0.0.1:5432/test); the
 *                         run works in a fresh schema and drops it afterwards
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem, platform, arch, release } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/app/config.js';
import { createContainer, type Container } from '../src/app/container.js';
import { dropSchema } from '../src/adapters/db/dialects/postgres/postgres.dialect.js';
import { createRecord, listRecords, type RecordsDeps } from '../src/modules/records/records.usecases.js';
import { VOCABULARY_SEED } from '../src/domain/vocabularies/seed.js';
import { makeActor } from '../src/test-support/actors.js';
import type { Actor } from '../src/domain/policies.js';
import type { FuzzyDate } from '../src/domain/records/fields.js';

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
}

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
  const known = new Set(['acts', 'list-iterations', 'pg-concurrency', 'seed', 'only']);
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

interface EngineResult {
  engine: 'sqlite' | 'postgres';
  version: string;
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

async function benchEngine(
  c: Container,
  opts: Options,
  r: Rng,
  concurrency: number,
  engineVersion: string,
  sizeOf: () => Promise<number | null>,
  maintenance: Maintenance,
): Promise<EngineResult> {
  const deps: RecordsDeps = { db: c.db };
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
  const results: EngineResult['listActs']['shapes'] = {};
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
    engine,
    version: engineVersion,
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
// Engines

/** Clean-up to run if the process is interrupted (Ctrl-C) mid-engine. */
let cleanup: (() => Promise<void>) | undefined;
let interrupted = false;

async function runSqlite(opts: Options): Promise<EngineResult | { error: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'letapis-bench-'));
  let c: Container | undefined;
  cleanup = async () => {
    await c?.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // an explicit environment: no DATABASE_URL from the caller's shell can redirect the run
    c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dataDir }));
    const version = String(((await sql<{ v: string }>`select sqlite_version() as v`.execute(c.db)).rows[0] as { v: string }).v);
    const file = join(dataDir, 'letapis.db');
    const sizeOf = async () => {
      await sql`pragma wal_checkpoint(truncate)`.execute(c!.db);
      let total = 0;
      for (const f of [file, `${file}-wal`]) if (existsSync(f)) total += statSync(f).size;
      return total;
    };
    const maintenance = noMaintenance('none: Letapis never runs ANALYZE on SQLite, and SQLite has no automatic equivalent');
    return await benchEngine(c, opts, rng(opts.seed), 1, version, sizeOf, maintenance);
  } catch (e) {
    if (!interrupted) log(`sqlite failed: ${(e as Error).stack ?? e}`);
    return { error: (e as Error).message ?? String(e) };
  } finally {
    await cleanup();
    cleanup = undefined;
  }
}

async function runPostgres(opts: Options): Promise<EngineResult | { skipped: string } | { error: string }> {
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
    const sizeOf = async () => {
      const res = await sql<{ bytes: number | string }>`
        select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'm')`.execute(c!.db);
      return Number(res.rows[0]?.bytes ?? 0);
    };
    return await benchEngine(c, opts, rng(opts.seed), opts.pgConcurrency, version, sizeOf, await postgresMaintenance(c));
  } catch (e) {
    if (!interrupted) log(`postgres failed: ${(e as Error).stack ?? e}`);
    return { error: (e as Error).message ?? String(e) };
  } finally {
    await cleanup();
    cleanup = undefined;
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      interrupted = true;
      log(`${sig}: cleaning up`);
      void (cleanup?.() ?? Promise.resolve()).finally(() => process.exit(130));
    });

  log(`acts ${opts.acts}, events ${opts.events}, victims ${opts.victims}, list iterations ${opts.listIterations}, seed ${opts.seed}`);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const engines: Record<string, unknown> = {};
  if (opts.only !== 'postgres') engines.sqlite = await runSqlite(opts);
  if (opts.only !== 'sqlite') engines.postgres = await runPostgres(opts);

  const cpu = cpus();
  const doc = {
    benchmark: 'letapis records: createActs and listActs',
    startedAt,
    totalSeconds: Math.round((performance.now() - t0) / 100) / 10,
    parameters: {
      acts: opts.acts,
      events: opts.events,
      victims: opts.victims,
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
      engineVersions: Object.fromEntries(
        Object.entries(engines).map(([k, e]) => [k, e && typeof e === 'object' && 'version' in e ? (e as EngineResult).version : null]),
      ),
    },
    engines,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  if (Object.values(engines).some((e) => typeof e === 'object' && e !== null && 'error' in e)) process.exitCode = 1;
}

main().catch((e) => {
  log(`failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
