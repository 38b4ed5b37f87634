import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Sealed mode as an operator runs it: `letapis vault init --shares 5 --threshold 3`, then the
 * server starts sealed; with two shares nothing sensitive is served; the third opens it; after a
 * restart it is sealed again and any three shares open it.
 */
const BIN = resolve('bin/letapis.js');

describe('a sealed vault across restarts (3 of 5 shares)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let shares: string[];
  let server: { proc: ChildProcess; url: string; out: () => string } | undefined;
  let token: string;

  beforeAll(() => {
    if (!existsSync(resolve('dist/src/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    dataDir = mkdtempSync(join(tmpdir(), 'letapis-sealed-'));
    env = { PATH: process.env.PATH, HOME: process.env.HOME, LETAPIS_DATA_DIR: dataDir, LETAPIS_VAULT: 'sealed', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function cli(args: string[], input?: string) {
    const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  async function start(): Promise<void> {
    const proc = spawn(process.execPath, [BIN, 'serve'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no start within 30 s:\n${out}`)), 30_000);
      proc.stdout!.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m && /API docs:/.test(out)) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      proc.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${out}`)));
    });
    await new Promise((r) => setTimeout(r, 200));
    server = { proc, url, out: () => out };
  }

  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s || s.proc.exitCode !== null) return;
    await new Promise<void>((ok) => {
      s.proc.once('exit', () => ok());
      s.proc.kill('SIGTERM');
    });
  }

  const api = async (method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(`${server!.url}${path}`, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };

  it('initialises the vault into five shares printed once', () => {
    const r = cli(['vault', 'init', '--shares', '5', '--threshold', '3']);
    expect(r.code, r.err).toBe(0);
    shares = [...r.out.matchAll(/^share \d+: (LS1-\S+)$/gm)].map((m) => m[1]!);
    expect(shares).toHaveLength(5);
    expect(new Set(shares).size).toBe(5);
  });

  it('starts sealed and serves nothing sensitive with two shares; the third unseals', async () => {
    await start();
    expect(server!.out()).toMatch(/vault is SEALED/);
    const t = cli(['token', 'create', 'admin']);
    expect(t.code, t.err).toBe(0);
    token = t.out.trim();
    expect((await api('GET', '/api/v1/vault/status')).body).toMatchObject({ sealed: true, threshold: 3, received: 0 });

    const person = { pseudonym: 'Witness S-1', identity: { fullName: 'Марыя Выдуманая', contacts: [{ kind: 'phone', value: '+375 33 000-11-22' }] } };
    expect((await api('POST', '/api/v1/persons', person)).status).toBe(503);
    for (const share of shares.slice(0, 2)) {
      const r = await api('POST', '/api/v1/vault/unseal', { share }, false);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.sealed).toBe(true);
    }
    expect((await api('GET', '/api/v1/vault/status')).body).toMatchObject({ sealed: true, received: 2 });
    const refused = await api('POST', '/api/v1/persons', person);
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/sealed/);
    expect((await api('GET', '/api/v1/persons?name=Выдуманая')).status).toBe(503);
    expect((await api('GET', '/api/v1/events')).status).toBe(200); // what is not sensitive is served

    const third = await api('POST', '/api/v1/vault/unseal', { share: shares[2] }, false);
    expect(third.body.sealed).toBe(false);
    const created = await api('POST', '/api/v1/persons', person);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const found = await api('GET', `/api/v1/persons?name=${encodeURIComponent('Maryia Vydumanaya')}`);
    expect(found.body.items.map((p: any) => p.id)).toEqual([created.body.id]);
    const revealed = await api('POST', `/api/v1/persons/${created.body.id}/reveal`, { reason: 'checking the sealed-mode procedure' });
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect(revealed.body.identity.fullName).toBe('Марыя Выдуманая');
  });

  it('is sealed again after a restart, and any three of the five shares open it', async () => {
    await stop();
    await start();
    const id = (await api('GET', '/api/v1/persons')).body.items[0].id;
    expect((await api('POST', `/api/v1/persons/${id}/reveal`, { reason: 'checking the sealed-mode procedure' })).status).toBe(503);
    for (const share of [shares[4], shares[1]]) await api('POST', '/api/v1/vault/unseal', { share }, false);
    expect((await api('POST', `/api/v1/persons/${id}/reveal`, { reason: 'checking the sealed-mode procedure' })).status).toBe(503);
    await api('POST', '/api/v1/vault/unseal', { share: shares[3] }, false);
    const r = await api('POST', `/api/v1/persons/${id}/reveal`, { reason: 'checking the sealed-mode procedure' });
    expect(r.status).toBe(200);
    expect(r.body.identity.contacts[0].value).toBe('+375 33 000-11-22');
  });
});
