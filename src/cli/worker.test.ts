import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeEachDialect } from '../test-support/dialects.js';
import { dropSchema, ensureSchema } from '../adapters/db/dialects/postgres/postgres.dialect.js';
import { loadConfig } from '../app/config.js';
import { createContainer, type Container } from '../app/container.js';
import { enqueue } from '../adapters/queue/enqueue.js';
import { findJob } from '../adapters/queue/jobs.repository.js';

/**
 * `letapis worker` as a process of its own beside the application, on both engines: it takes jobs
 * from the shared database and stops gracefully on SIGTERM.
 */
describeEachDialect('letapis worker (a separate process)', (dialect) => {
  let dataDir: string;
  let schema: string | undefined;
  let env: NodeJS.ProcessEnv;
  let c: Container;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'letapis-worker-'));
    env = { LETAPIS_DATA_DIR: dataDir };
    if (dialect === 'postgres') {
      schema = `wk_${randomBytes(5).toString('hex')}`;
      await ensureSchema(inject('pgUrl'), schema);
      env.DATABASE_URL = `${inject('pgUrl')}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
    c = await createContainer(loadConfig(env));
  });
  afterAll(async () => {
    await c?.close();
    if (schema) await dropSchema(inject('pgUrl'), schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker(): { proc: ChildProcess; output: () => string; ready: Promise<void> } {
    const script = "const { run } = await import('./src/cli/main.ts'); await run(process.argv.slice(0, 1).concat(['letapis', ...process.argv.slice(1)]));";
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'worker', '--concurrency', '2', '--poll', '20', '--grace', '5'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const ready = new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the worker did not start within 30 s:\n${out}`)), 30_000);
      proc.stdout!.on('data', () => {
        if (/jobs: /.test(out)) (clearTimeout(timer), ok());
      });
      proc.once('exit', (code) => (clearTimeout(timer), fail(new Error(`the worker exited with ${code}:\n${out}`))));
    });
    return { proc, output: () => out, ready };
  }

  it('takes jobs from the shared database and stops on SIGTERM with exit code 0', async () => {
    const w = startWorker();
    try {
      await w.ready;
      expect(w.output()).toMatch(/worker \S+ running 2 job\(s\) at a time/);
      // no feature registers a job by this name: the worker takes it and dead-letters it, saying why
      const { id } = await enqueue(c.db, 'nobody.knows-this' as never, {} as never);
      const end = Date.now() + 15_000;
      let row = await findJob(c.db, id);
      while (row?.state !== 'dead' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 25));
        row = await findJob(c.db, id);
      }
      expect(row).toMatchObject({ state: 'dead', attempts: 1 });
      expect(row!.last_error).toMatch(/^no handler for job "nobody\.knows-this" in this worker/);
    } finally {
      const code = await new Promise<number | null>((ok) => {
        if (w.proc.exitCode !== null) return ok(w.proc.exitCode);
        w.proc.once('exit', (code) => ok(code));
        w.proc.kill('SIGTERM');
      });
      expect(code, w.output()).toBe(0);
      expect(w.output()).toMatch(/SIGTERM: stopping/);
      expect(w.output()).toMatch(/letapis worker: stopped/);
    }
  });
});
