import { loadConfig } from '../app/config.js';
import { createContainer } from '../app/container.js';
import { buildServer } from '../app/server.js';
import { ensureFirstAdministrator, listUsers } from '../modules/users/users.usecases.js';
import { ensureDefaultMembership } from '../modules/compartments/compartments.usecases.js';
import { VERSION } from '../app/version.js';
import { DiskBlobStore } from '../adapters/blobs/disk/disk.store.js';
import { DEV_VAULT_WARNING } from '../adapters/keys/dev-key-file.js';
import { createJobWorker } from '../modules/jobs/jobs.worker.js';
import { Checkpointer } from '../modules/ledger/checkpointer.js';
import { analyzeSearchTables, indexOutdated } from '../modules/search/indexer.js';
import { enqueue } from '../adapters/queue/enqueue.js';
import { buildDropServer } from '../app/drop-server.js';
import { ensureDropKeys } from '../modules/drop/drop-keys.js';

/** `letapis serve`: migrates, creates the first administrator if none, and serves the API. */
export async function serve(opts: { dropPort?: number } = {}): Promise<void> {
  const config = loadConfig();
  const container = await createContainer(config);
  const admin = await ensureFirstAdministrator(container.db);
  // temporary files a crash left in the disk store
  if (container.blobs instanceof DiskBlobStore) await container.blobs.sweepTemporaryFiles().catch(() => 0);
  // the first administrator coordinates the "default" compartment, so the quick start can record at once
  if (admin) {
    const created = (await listUsers(container.db)).find((u) => u.username === admin.username);
    if (created) await ensureDefaultMembership(container.db, created.id);
  }
  // LETAPIS_WEB_DIR serves a web application built elsewhere (tests build private copies); default dist/web
  const app = await buildServer(container, { logger: { level: config.logLevel }, webDir: process.env.LETAPIS_WEB_DIR || undefined });
  // notice master-key rotations and re-keys made by other processes (the CLI, other servers)
  const stopWatching = container.vault.watch(10_000, (e) => app.log.warn({ err: e }, 'vault refresh failed'));
  const address = await app.listen({ port: config.port, host: config.host });
  // the anonymous drop on a listener of its own (docs/DROP.md): its key pair is made once the vault is unsealed
  const dropApp = opts.dropPort === undefined ? undefined : await buildDropServer(container, { logger: { level: config.logLevel }, webDir: process.env.LETAPIS_DROP_WEB_DIR || undefined });
  if (dropApp && !container.vault.isSealed()) await ensureDropKeys(container.db, container.vault);
  const dropAddress = dropApp ? await dropApp.listen({ port: opts.dropPort!, host: config.host }) : undefined;
  // background jobs in this process too, unless LETAPIS_WORKERS=0 (then run `letapis worker`)
  const worker = config.workers > 0 ? createJobWorker(container, { concurrency: config.workers, log: app.log }) : null;
  worker?.start();
  // signed checkpoints of the custody ledger, every N events or T minutes
  // an index built by an older version of the indexer (or never): rebuild it in the background
  if (await indexOutdated(container.db)) {
    const job = await enqueue(container.db, 'search.reindex', {}, { dedupeKey: 'search.reindex', maxAttempts: 3 });
    if (job.created) app.log.info({ jobId: job.id }, 'the search index is out of date: rebuilding it (job search.reindex)');
  }
  // the planner's statistics of the search tables, refreshed as the index grows (SQLite has no autoanalyze)
  const analyzer = container.dialect === 'sqlite' ? setInterval(() => void analyzeSearchTables(container.db).catch((e) => app.log.warn({ err: e }, 'analyze failed')), 6 * 3600_000) : undefined;
  analyzer?.unref();
  const checkpointer = new Checkpointer({ db: container.db, vault: container.vault, ledger: config.ledger }, app.log);
  checkpointer.start();
  const lines = [
    `Letapis ${VERSION} listening on ${address.replace('127.0.0.1', '127.0.0.1')}`,
    `  database: ${container.describe.database}`,
    `  storage:  ${container.describe.storage}`,
    `  API docs: ${address}/api/docs`,
    `  jobs:     ${worker ? `in-process worker, ${config.workers} at a time` : 'no in-process worker (LETAPIS_WORKERS=0): run letapis worker'}`,
    ...(dropAddress ? [`  drop:     the anonymous drop for sources at ${dropAddress}/drop/ (no addresses logged)`] : []),
    `  ledger:   a signed checkpoint every ${config.ledger.checkpointEvents} events${config.ledger.checkpointMinutes ? ` or ${config.ledger.checkpointMinutes} min` : ''}; ${config.ledger.witnesses.length} witness(es), quorum ${config.ledger.witnessQuorum}`,
  ];
  if (container.vault.mode === 'dev') lines.push('', DEV_VAULT_WARNING);
  else if (container.vault.isSealed())
    lines.push('', '  The vault is SEALED: nothing sensitive is served until key custodians unseal it (letapis vault unseal --url …).');
  if (admin) {
    lines.push(
      '',
      '  First start: an administrator account was created. This password is shown only now:',
      `    user:     ${admin.username}`,
      `    password: ${admin.password}`,
      '  Sign in with it (POST /api/v1/session), or make an API token for scripts:',
      `    npx letapis token create ${admin.username}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
  const stop = async (signal: string) => {
    app.log.info(`received ${signal}, shutting down`);
    stopWatching();
    await app.close();
    await dropApp?.close();
    await checkpointer.stop();
    if (analyzer) clearInterval(analyzer);
    await worker?.stop();
    await container.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
