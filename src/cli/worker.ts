import type { Command } from 'commander';
import { loadConfig } from '../app/config.js';
import { createContainer } from '../app/container.js';
import { VERSION } from '../app/version.js';
import { createJobWorker } from '../modules/jobs/jobs.worker.js';
import { reportError } from './context.js';

/**
 * `letapis worker [--concurrency N]`: runs background jobs in a process of its own, beside any
 * number of servers and other workers on the same database. SIGTERM or SIGINT stops it gracefully:
 * it claims nothing more, lets running jobs finish for up to --grace seconds, and gives the rest
 * back to the queue.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run background jobs (media processing, imports) in this process until stopped (DATABASE_URL, LETAPIS_DATA_DIR)')
    .option('--concurrency <n>', 'jobs run at the same time', '2')
    .option('--poll <ms>', 'how often to look for due jobs when idle, in milliseconds', '1000')
    .option('--grace <seconds>', 'on stop, how long running jobs may finish before they are given back', '30')
    .action(async (opts: { concurrency: string; poll: string; grace: string }) => {
      try {
        const concurrency = wholeNumber('--concurrency', opts.concurrency, 1, 256);
        const pollMs = wholeNumber('--poll', opts.poll, 10, 3_600_000);
        const graceMs = wholeNumber('--grace', opts.grace, 0, 86_400) * 1000;
        const config = loadConfig();
        const container = await createContainer(config);
        const log = {
          info: () => {},
          warn: (o: object, msg?: string) => console.warn(`letapis worker: ${msg ?? ''} ${JSON.stringify(o, errorsAsText)}`),
          error: (o: object, msg?: string) => console.error(`letapis worker: ${msg ?? ''} ${JSON.stringify(o, errorsAsText)}`),
        };
        const worker = createJobWorker(container, { concurrency, pollMs, log });
        worker.start();
        const names = worker.names;
        console.log(
          [
            `Letapis ${VERSION} worker ${worker.id} running ${concurrency} job(s) at a time`,
            `  database: ${container.describe.database}`,
            `  jobs:     ${names.length ? names.join(', ') : 'none registered (jobs it takes are dead-lettered)'}`,
          ].join('\n'),
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            console.log(`letapis worker: ${signal}: stopping (running jobs have ${graceMs / 1000} s to finish)`);
            void worker
              .stop({ graceMs })
              .catch((e) => reportError(e))
              .finally(() => container.close().finally(resolve));
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
        console.log('letapis worker: stopped');
      } catch (e) {
        reportError(e);
      }
    });
}

function wholeNumber(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${option} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

function errorsAsText(_key: string, v: unknown): unknown {
  return v instanceof Error ? `${v.name}: ${v.message}` : v;
}
