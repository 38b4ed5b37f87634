/**
 * Import rate of a list (issue 8): a CSV of 100,000 detainees (persons: pseudonym, family and given
 * name and patronymic into the encrypted identity, birth date, sex, roles by Belarusian label) taken
 * in as evidence and imported through runListImport, the same code the `imports.list` job and
 * `letapis import list` run: rows/s of the dry run (every row checked as createRecord checks it),
 * of the import (all-or-nothing: one transaction; each row a person with its encrypted identity,
 * blind name index, history and search document), and of importing it again (every row skipped as
 * already imported).
 *
 * From bench/run.ts: `await benchListImport(container, { rows: 100_000 }, log)`.
 * Alone, on a fresh SQLite database in a temporary folder:
 *
 *   npx tsx bench/imports-lists.ts [ROWS] [all-or-nothing|valid-only]
 *   LETAPIS_BENCH_PG=postgres://postgres@127.0.0.1:5432/test npx tsx bench/imports-lists.ts [ROWS]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/app/config.js';
import { createContainer, type Container } from '../src/app/container.js';
import { appendAuditEvent } from '../src/modules/audit/audit.repository.js';
import { findCompartment } from '../src/modules/compartments/compartments.repository.js';
import { ingestEvidence } from '../src/modules/evidence/evidence.usecases.js';
import { runListImport, type ImportMode, type ListImportDeps } from '../src/modules/imports/lists/lists.usecases.js';
import { makeActor } from '../src/test-support/actors.js';
import { dropSchema } from '../src/adapters/db/dialects/postgres/postgres.dialect.js';

type Log = (msg: string) => void;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export interface ListBenchOptions {
  /** Rows of the list (default 100,000). */
  rows?: number;
  mode?: ImportMode;
}

const FAMILY = ['Кавалёў', 'Ўсціновіч', 'Мацкевіч', 'Шчарбакоў', 'Пятровіч', 'Лукашэвіч', 'Бабарыка', 'Гайдукевіч', 'Зянькевіч', 'Латушка'];
const GIVEN = ['Алесь', 'Ігнат', 'Янка', 'Мікола', 'Зміцер', 'Сцяпан', 'Уладзімір', 'Андрэй', 'Павел', 'Віктар'];
const PATRONYMIC = ['Алесевіч', 'Ігнатавіч', 'Янкавіч', 'Міколавіч', 'Зміцеравіч'];
const ROLES = ['Пацярпелы', 'Сведка', 'Пацярпелы|Сведка', 'Журналіст'];

/** A list of invented detainees as a UTF-8 CSV with semicolons (as Excel saves one in Belarus). */
export function detaineesCsv(rows: number): Buffer {
  const lines = ['Псеўданім;Прозвішча;Імя;Імя па бацьку;Дата нараджэння;Пол;Ролі'];
  for (let i = 1; i <= rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    lines.push([`Z-${i}`, FAMILY[i % 10], GIVEN[(i * 7) % 10], PATRONYMIC[i % 5], `${day}.${month}.${1950 + (i % 50)}`, 'мужчынскі', ROLES[i % 4]].join(';'));
  }
  return Buffer.from(lines.join('\r\n'));
}

/** Generates the list, takes it in, dry-runs, imports and imports it again into `c`; returns the rates. */
export async function benchListImport(c: Container, opts: ListBenchOptions, log: Log): Promise<Record<string, unknown>> {
  const n = opts.rows ?? 100_000;
  const mode = opts.mode ?? 'all-or-nothing';
  const deps: ListImportDeps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
  const actor = await makeActor(c.db, 'documenter', `bench-lists-${Date.now().toString(36)}`);
  const compartment = (await findCompartment(c.db, 'default'))!.id;
  const csv = detaineesCsv(n);
  const itemId = (await ingestEvidence(deps, actor, Readable.from([csv]), { compartment, filename: 'detainees.csv', method: 'cli-ingest' })).item.id;
  log(`${c.dialect} lists: ${n} rows, ${round(csv.length / 1e6)} MB, taken in as evidence`);
  const request = {
    itemId,
    type: 'persons',
    compartment,
    mapping: {
      Псеўданім: 'pseudonym',
      Прозвішча: 'identity.familyName',
      Імя: 'identity.givenName',
      'Імя па бацьку': 'identity.patronymic',
      'Дата нараджэння': 'identity.birthDate',
      Пол: 'sex',
      Ролі: 'roles',
    },
    mode,
  };
  let t = 0;
  let lastLog = 0;
  const onProgress = (phase: string, done: number, total: number) => {
    const now = performance.now();
    if (now - lastLog > 10_000) {
      lastLog = now;
      log(`${c.dialect} lists: ${phase} ${done}/${total}`);
    }
  };
  const timed = async (dryRun: boolean) => {
    t = performance.now();
    const report = await runListImport(deps, actor, { ...request, dryRun }, { onProgress });
    return { report, seconds: (performance.now() - t) / 1000 };
  };
  const dry = await timed(true);
  log(`${c.dialect} lists: dry run ${round(dry.seconds)} s`);
  const first = await timed(false);
  log(`${c.dialect} lists: import ${round(first.seconds)} s`);
  const again = await timed(false);
  return {
    rows: n,
    csvBytes: csv.length,
    mode,
    dryRun: { seconds: round(dry.seconds), rowsPerSecond: round(n / dry.seconds), valid: dry.report.valid, invalid: dry.report.invalid },
    import: { seconds: round(first.seconds), rowsPerSecond: round(n / first.seconds), written: first.report.written, invalid: first.report.invalid },
    reimport: { seconds: round(again.seconds), rowsPerSecond: round(n / again.seconds), written: again.report.written, alreadyImported: again.report.alreadyImported },
    note: 'the import validates every row first (the dry run\'s work), then writes: its time includes both',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 100_000);
  const mode = (process.argv[3] as ImportMode | undefined) ?? 'all-or-nothing';
  const dir = await mkdtemp(join(tmpdir(), 'letapis-bench-lists-'));
  // LETAPIS_BENCH_PG=postgres://… runs it on PostgreSQL, in a fresh schema dropped afterwards
  const pgUrl = process.env.LETAPIS_BENCH_PG;
  const schema = pgUrl ? `bench_lists_${Date.now().toString(36)}` : undefined;
  const c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dir, ...(pgUrl ? { DATABASE_URL: pgUrl } : {}) }), schema ? { schema } : undefined);
  try {
    const out = await benchListImport(c, { rows, mode }, (m) => process.stderr.write(`${m}\n`));
    console.log(JSON.stringify({ engine: c.dialect, ...out }, null, 2));
  } finally {
    await c.close();
    if (pgUrl && schema) await dropSchema(pgUrl, schema);
    await rm(dir, { recursive: true, force: true });
  }
}
