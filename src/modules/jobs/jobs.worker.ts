import { join } from 'node:path';
import type { Container } from '../../app/container.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { evidenceJobHandlers } from '../evidence/evidence.jobs.js';
import { exportJobHandlers } from '../bundles/exports.usecases.js';
import { searchJobHandlers } from '../search/jobs.js';
import { importJobHandlers } from '../imports/imports.jobs.js';
import { redactionJobHandlers } from '../redaction/redaction.jobs.js';
import type { JobHandlers } from '../../adapters/queue/queue.port.js';
import { JobWorker, type JobWorkerOptions } from '../../adapters/queue/worker.js';

/**
 * Every feature's job handlers, wired from the container: the one list the in-process worker of
 * `letapis serve` and the `letapis worker` processes share. A feature adds its line here, e.g.
 *
 *   ...evidenceJobHandlers({ db: c.db, vault: c.vault, blobs: c.blobs }),
 *
 * where `evidenceJobHandlers(deps)` (in modules/evidence/evidence.jobs.ts) returns
 * `{ 'evidence.extract-metadata': async (payload, ctx) => …, … }` typed by `JobHandlers`.
 */
export function jobHandlersOf(c: Container): JobHandlers {
  return {
    ...evidenceJobHandlers({ db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, tmpDir: join(c.config.dataDir, 'tmp') }),
    ...searchJobHandlers({ db: c.db, vault: c.vault, blobs: c.blobs }),
    ...exportJobHandlers({ db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger, audit: appendAuditEvent }),
    ...importJobHandlers({ db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes, tmpDir: join(c.config.dataDir, 'tmp') }),
    ...redactionJobHandlers({ db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, tmpDir: join(c.config.dataDir, 'tmp') }),
  };
}

export type WorkerSettings = Omit<JobWorkerOptions, 'db' | 'dialect' | 'handlers'> & { handlers?: JobHandlers };

/**
 * A worker on the container's database with every feature's handlers (or those given), not yet
 * started.
 *
 * @example const w = createJobWorker(container, { concurrency: 4, log: app.log }); w.start(); … await w.stop();
 */
export function createJobWorker(c: Container, settings: WorkerSettings = {}): JobWorker {
  const { handlers, ...rest } = settings;
  return new JobWorker({ db: c.db, dialect: c.dialect, handlers: handlers ?? jobHandlersOf(c), ...rest });
}
