/**
 * Import rates (issue 8): a Telegram Desktop export of 50,000 messages (a few with photos) imported
 * through importTelegramExport, the same code the `imports.telegram` job and `letapis import
 * telegram` run: messages/s for the first import (each message a record with its history and search
 * document, each photo an evidence item linked to it), and for importing it again (nothing new:
 * every message recognised by its key).
 *
 * From bench/run.ts: `await benchTelegramImport(container, { messages: 50_000 }, log)`.
 * Alone, on a fresh SQLite database in a temporary folder, or (with `--postgres`) in a fresh schema
 * of LETAPIS_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards:
 *
 *   npx tsx bench/imports.ts [MESSAGES] [--postgres]
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/app/config.js';
import { createContainer, type Container } from '../src/app/container.js';
import { dropSchema } from '../src/adapters/db/dialects/postgres/postgres.dialect.js';
import { appendAuditEvent } from '../src/modules/audit/audit.repository.js';
import { findCompartment } from '../src/modules/compartments/compartments.repository.js';
import { importTelegramExport } from '../src/modules/imports/telegram/telegram.usecases.js';
import { range, writeTelegramExport } from '../src/modules/imports/telegram/telegram.test-support.js';
import { makeActor } from '../src/test-support/actors.js';

type Log = (msg: string) => void;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export interface TelegramBenchOptions {
  /** Messages in the export (default 50,000). */
  messages?: number;
  /** One message in this many carries a photo (default 500: 100 photos in 50,000). */
  photoEvery?: number;
}

/** Generates the export, imports it twice into `c`, and returns the rates. */
export async function benchTelegramImport(c: Container, opts: TelegramBenchOptions, log: Log): Promise<Record<string, unknown>> {
  const n = opts.messages ?? 50_000;
  const every = opts.photoEvery ?? 500;
  const dir = await mkdtemp(join(tmpdir(), 'letapis-bench-telegram-'));
  try {
    const exportDir = join(dir, 'ChatExport');
    await mkdir(exportDir);
    let t = performance.now();
    const ids = range(1, n);
    const { files } = await writeTelegramExport(exportDir, { ids, mediaIds: new Set(ids.filter((i) => i % every === 0)) });
    const generateSeconds = (performance.now() - t) / 1000;
    const resultJsonBytes = (await stat(join(exportDir, 'result.json'))).size;
    log(`${c.dialect} telegram: export of ${n} messages and ${files} photos written (${round(resultJsonBytes / 1e6)} MB result.json) in ${round(generateSeconds)} s`);

    const deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
    const actor = await makeActor(c.db, 'documenter', `bench-telegram-${Date.now().toString(36)}`);
    const compartment = (await findCompartment(c.db, 'default'))!.id;
    let lastLog = performance.now();
    const onProgress = (done: number, total: number) => {
      const now = performance.now();
      if (now - lastLog > 10_000 || done === total) {
        lastLog = now;
        log(`${c.dialect} telegram: ${done}/${total} (${round(done / ((now - t) / 1000))} messages/s)`);
      }
    };
    t = performance.now();
    const first = await importTelegramExport(deps, actor, { dir: exportDir, compartment, onProgress });
    const firstSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const again = await importTelegramExport(deps, actor, { dir: exportDir, compartment, onProgress });
    const againSeconds = (performance.now() - t) / 1000;
    return {
      messages: n,
      photos: files,
      resultJsonBytes,
      generateSeconds: round(generateSeconds),
      firstImport: { seconds: round(firstSeconds), messagesPerSecond: round(n / firstSeconds), created: first.messages.created, filesStored: first.media.stored, problems: first.problemsTotal },
      reimport: { seconds: round(againSeconds), messagesPerSecond: round(n / againSeconds), created: again.messages.created, alreadyThere: again.messages.alreadyThere },
      note: 'evidence.process jobs queued for the photos are not run (no worker)',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const pgUrl = args.includes('--postgres') ? process.env.LETAPIS_BENCH_PG || 'postgres://postgres@127.0.0.1:5432/test' : undefined;
  const messages = Number(args.find((a) => /^\d+$/.test(a)) ?? 50_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'letapis-bench-imports-'));
  const schema = `bench_imports_${Date.now().toString(36)}`;
  const c = await createContainer(loadConfig({ LETAPIS_DATA_DIR: dataDir, ...(pgUrl ? { DATABASE_URL: pgUrl } : {}) }), pgUrl ? { schema } : undefined);
  try {
    const out = await benchTelegramImport(c, { messages }, (m) => process.stderr.write(`${m}\n`));
    console.log(JSON.stringify({ engine: c.dialect, telegram: out }, null, 2));
  } finally {
    await c.close();
    if (pgUrl) await dropSchema(pgUrl, schema);
    await rm(dataDir, { recursive: true, force: true });
  }
}
