import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dropSchema, ensureSchema } from '../src/adapters/db/dialects/postgres/postgres.dialect.js';

/**
 * The quick start as a person runs it: the built `letapis serve` as a child process, on a fresh
 * data directory, answering on a real port.
 */
const BIN = resolve('bin/letapis.js');

interface Started {
  proc: ChildProcess;
  url: string;
  output: () => string;
}

async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const proc = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && /API docs:/.test(out)) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  // give the first-start block time to be printed with the rest
  await new Promise((r) => setTimeout(r, 200));
  return { proc, url, output: () => out };
}

async function stop(s: Started): Promise<void> {
  if (s.proc.exitCode !== null) return;
  await new Promise<void>((ok) => {
    s.proc.once('exit', () => ok());
    s.proc.kill('SIGTERM');
  });
}

describe('quick start: letapis serve', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(resolve('dist/src/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    dataDir = mkdtempSync(join(tmpdir(), 'letapis-qs-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves on SQLite in the data dir, prints the first administrator once, and answers health', async () => {
    const s = await start({ LETAPIS_DATA_DIR: dataDir });
    try {
      const out = s.output();
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain(`database: SQLite at ${join(dataDir, 'letapis.db')}`);
      expect(out).toMatch(/storage: +blobs on disk under/);
      const password = /password: (\S+)/.exec(out)?.[1];
      expect(password).toBeTruthy();
      const health = await fetch(`${s.url}/api/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const signIn = await fetch(`${s.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers.get('set-cookie')).toMatch(/letapis_session=.*HttpOnly/i);
      const docs = await fetch(`${s.url}/api/docs/`);
      expect(docs.status).toBe(200);
    } finally {
      await stop(s);
    }
    const again = await start({ LETAPIS_DATA_DIR: dataDir });
    try {
      expect(again.output()).not.toMatch(/password:/);
    } finally {
      await stop(again);
    }
  });

  it('serves on PostgreSQL when DATABASE_URL says so', async (ctx) => {
    if (!inject('pgAvailable')) ctx.skip(); // global setup fails the run under CI when PostgreSQL is absent
    const schema = `qs_${randomBytes(5).toString('hex')}`;
    await ensureSchema(inject('pgUrl'), schema);
    const s = await start({
      LETAPIS_DATA_DIR: dataDir,
      DATABASE_URL: `${inject('pgUrl')}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    });
    try {
      expect(s.output()).toMatch(/database: PostgreSQL at 127\.0\.0\.1:5432\/test/);
      expect(s.output()).toMatch(/password: \S+/);
      expect(await (await fetch(`${s.url}/api/health`)).json()).toEqual({ status: 'ok' });
    } finally {
      await stop(s);
      await dropSchema(inject('pgUrl'), schema);
    }
  });

  it('refuses a bad configuration with a clear message', async () => {
    const proc = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH, PORT: 'eighty', LETAPIS_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((ok) => proc.on('exit', ok));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT must be a port number, not "eighty"/);
  });
});
