import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runLetapis } from '../test-support/cli.js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeEachDialect } from '../test-support/dialects.js';
import { dropSchema, ensureSchema } from '../adapters/db/dialects/postgres/postgres.dialect.js';
import type { DialectName } from '../adapters/db/database.js';
import { loadConfig } from '../app/config.js';
import { createContainer } from '../app/container.js';
import { createDataKey, loadDataKey } from '../adapters/keys/data-keys.js';
import { devKeyFilePath } from '../adapters/keys/dev-key-file.js';

/** The cheapest argon2id the CLI accepts, so the tests stay quick. */
const CHEAP_KDF = ['--kdf-ops', '3', '--kdf-memory-mib', '64'];
const PASSPHRASE = 'seven random words make a good vault passphrase';

/** A fresh database and data directory for one block, and a way to run `letapis` against them. */
function cliOn(dialect: DialectName, vault: 'dev' | 'sealed') {
  const ctx = { env: {} as NodeJS.ProcessEnv, dataDir: '', schema: undefined as string | undefined };
  beforeAll(async () => {
    ctx.dataDir = mkdtempSync(join(tmpdir(), 'letapis-vault-cli-'));
    ctx.env = { LETAPIS_DATA_DIR: ctx.dataDir, LETAPIS_VAULT: vault };
    if (dialect === 'postgres') {
      ctx.schema = `vcli_${randomBytes(5).toString('hex')}`;
      await ensureSchema(inject('pgUrl'), ctx.schema);
      ctx.env.DATABASE_URL = `${inject('pgUrl')}?options=${encodeURIComponent(`-c search_path=${ctx.schema}`)}`;
    }
  });
  afterAll(async () => {
    if (ctx.schema) await dropSchema(inject('pgUrl'), ctx.schema);
    rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  async function letapis(args: string[], stdin?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ out: string; err: string; code: number }> {
    return runLetapis({ ...ctx.env, ...extraEnv }, args, { stdin, emptyStdin: true });
  }

  /** Runs `fn` on a container of this block's database, with the vault as configured. */
  async function withDb<T>(fn: (c: Awaited<ReturnType<typeof createContainer>>) => Promise<T>): Promise<T> {
    const c = await createContainer(loadConfig(ctx.env));
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  }
  return { letapis, withDb, ctx };
}

const sharesIn = (out: string): string[] => [...out.matchAll(/^share \d+: (LS1-\S+)$/gm)].map((m) => m[1]!);

describeEachDialect('letapis vault, shares', (dialect) => {
  const { letapis, withDb } = cliOn(dialect, 'sealed');
  let shares: string[] = [];
  let dataKey: { id: string; key: Buffer };

  it('status says not initialised; init refuses a missing or ambiguous choice', async () => {
    const s = await letapis(['vault', 'status', '--json']);
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ mode: 'sealed', initialized: false, sealed: true });
    expect((await letapis(['vault', 'init'])).err).toMatch(/choose one/);
    expect((await letapis(['vault', 'init', '--shares', '5'])).err).toMatch(/both --shares N and --threshold K/);
    expect((await letapis(['vault', 'init', '--shares', '5', '--threshold', '1'])).err).toMatch(/at least 2/);
    expect((await letapis(['vault', 'init', '--shares', '5', '--threshold', '3'], undefined, { LETAPIS_VAULT: 'dev' })).err).toMatch(/LETAPIS_VAULT=sealed/);
  });

  it('init --shares 5 --threshold 3 prints five shares once', async () => {
    const r = await letapis(['vault', 'init', '--shares', '5', '--threshold', '3']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/shown ONLY NOW/);
    shares = sharesIn(r.out);
    expect(shares).toHaveLength(5);
    const again = await letapis(['vault', 'init', '--shares', '5', '--threshold', '3']);
    expect(again.err).toMatch(/already initialised/);
    const s = JSON.parse((await letapis(['vault', 'status', '--json'])).out);
    expect(s).toMatchObject({ initialized: true, method: 'shares', threshold: 3, shares: 5, sealVersion: 1, masterVersion: 1 });
    // a data key, written by a process unsealed with three of the shares
    dataKey = await withDb(async (c) => {
      for (const sh of shares.slice(2, 5)) await c.vault.submitShare(sh);
      return createDataKey(c.db, c.vault);
    });
  });

  it('unseal without --url checks shares against the database: 2 are not enough, 3 are', async () => {
    const two = await letapis(['vault', 'unseal'], `${shares[0]}\n${shares[1]}\n`);
    expect(two.code).toBe(1);
    expect(two.err).toMatch(/needs 3 shares/);
    const three = await letapis(['vault', 'unseal'], `# custodians 1, 2 and 4\n${shares[0]}\n\n${shares[1]}\n${shares[3]}\n`);
    expect(three.code, three.err).toBe(0);
    expect(three.out).toMatch(/checked: these open the vault/);
    const typo = await letapis(['vault', 'unseal'], `${shares[0]}\n${shares[1]!.slice(0, -1)}${shares[1]!.endsWith('0') ? '1' : '0'}\n${shares[3]}\n`);
    expect(typo.err).toMatch(/mistyped or damaged/);
  });

  it('rotate: reads three shares, re-wraps the data keys, prints new shares; the old ones stop working', async () => {
    const r = await letapis(['vault', 'rotate'], shares.slice(1, 4).join('\n'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/master key version 2 is in use; 1 data key\(s\) re-wrapped/);
    expect(r.out).toMatch(/retired version\(s\) 1/);
    const fresh = sharesIn(r.out);
    expect(fresh).toHaveLength(5);
    expect(fresh[0]).toMatch(/^LS1-2-1of5-/);
    expect((await letapis(['vault', 'unseal'], shares.slice(0, 3).join('\n'))).err).toMatch(/earlier set of shares/);
    expect((await letapis(['vault', 'unseal'], fresh.slice(2, 5).join('\n'))).code).toBe(0);
    const key = await withDb(async (c) => {
      for (const sh of fresh.slice(0, 3)) await c.vault.submitShare(sh);
      return loadDataKey(c.db, c.vault, dataKey.id);
    });
    expect(key.equals(dataKey.key)).toBe(true);
    const status = JSON.parse((await letapis(['vault', 'status', '--json'])).out);
    expect(status).toMatchObject({ sealVersion: 2, masterVersion: 2 });
    expect(status.masterKeys.map((m: any) => [m.version, Boolean(m.retiredAt), m.dataKeys])).toEqual([
      [1, true, 0],
      [2, false, 1],
    ]);
    shares = fresh;
  });

  it('rotate --keep-shares keeps the shares', async () => {
    const r = await letapis(['vault', 'rotate', '--keep-shares', '--json'], shares.slice(0, 3).join('\n'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ version: 3, retired: [2], destroyed: [1], rewrapped: 1 });
    expect(JSON.parse(r.out).shares).toBeUndefined();
    expect((await letapis(['vault', 'unseal'], shares.slice(0, 3).join('\n'))).code).toBe(0);
  });
});

describeEachDialect('letapis vault, passphrase', (dialect) => {
  const { letapis } = cliOn(dialect, 'sealed');

  it('init --passphrase-stdin, unseal check, rotate --new-passphrase', async () => {
    expect((await letapis(['vault', 'init', '--passphrase-stdin'], 'short\n')).err).toMatch(/at least 16 characters/);
    expect((await letapis(['vault', 'init', '--passphrase-stdin', '--kdf-memory-mib', '8'], `${PASSPHRASE}\n`)).err).toMatch(/--kdf-memory-mib must be/);
    const init = await letapis(['vault', 'init', '--passphrase-stdin', ...CHEAP_KDF], `${PASSPHRASE}\n`);
    expect(init.code, init.err).toBe(0);
    expect(init.out).toMatch(/opened by the passphrase/);
    expect((await letapis(['vault', 'unseal', '--passphrase-stdin'], 'not the passphrase at all, sorry\n')).err).toMatch(/does not open the vault/);
    expect((await letapis(['vault', 'unseal', '--passphrase-stdin'], `${PASSPHRASE}\n`)).code).toBe(0);

    const next = 'another passphrase of several random words';
    const r = await letapis(['vault', 'rotate', '--new-passphrase', ...CHEAP_KDF], `${PASSPHRASE}\n${next}\n`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/old passphrase no longer open/);
    expect((await letapis(['vault', 'unseal'], `${PASSPHRASE}\n`)).err).toMatch(/does not open the vault/);
    expect((await letapis(['vault', 'unseal'], `${next}\n`)).code).toBe(0);
    const status = JSON.parse((await letapis(['vault', 'status', '--json'])).out);
    expect(status).toMatchObject({ method: 'passphrase', sealVersion: 2, masterVersion: 2 });
  });
});

describeEachDialect('letapis vault, dev mode', (dialect) => {
  const { letapis, ctx } = cliOn(dialect, 'dev');

  it('status shows the dev key file; rotate works without input; unseal and new shares are refused', async () => {
    const s = await letapis(['vault', 'status']);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/dev key file \(NOT SAFE/);
    expect(statSync(devKeyFilePath(ctx.dataDir)).mode & 0o777).toBe(0o600);
    const r = await letapis(['vault', 'rotate']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/master key version 2 is in use/);
    expect((await letapis(['vault', 'unseal'], 'whatever passphrase it may be\n')).err).toMatch(/needs no unsealing/);
    expect((await letapis(['vault', 'rotate', '--shares', '3', '--threshold', '2'])).err).toMatch(/vault init/);
  });
});

/** The HTTP client part, against a stand-in server (the real vault routes live with the server). */
describe('letapis vault against a server', () => {
  const calls: { method: string; url: string; auth?: string; body: any }[] = [];
  let server: Server;
  let url: string;
  let received = 0;
  const { letapis } = cliOn('sqlite', 'sealed');

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const parsed = body ? JSON.parse(body) : undefined;
        calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: parsed });
        res.setHeader('content-type', 'application/json');
        if (parsed?.share === 'LS1-bad') {
          res.statusCode = 422;
          res.end(JSON.stringify({ title: 'Invalid share', status: 422, detail: 'this share is mistyped or damaged' }));
          return;
        }
        if (req.url === '/api/v1/vault/unseal' && parsed?.share) received++;
        const sealed = req.url === '/api/v1/vault/seal' || (received < 3 && !parsed?.passphrase);
        res.end(JSON.stringify({ mode: 'sealed', initialized: true, method: 'shares', sealed, threshold: 3, shares: 5, received: sealed ? received : 0, sealVersion: 1, masterVersion: 1 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('unseal --url posts one share per request until the server is unsealed, with the token', async () => {
    const r = await letapis(['vault', 'unseal', '--url', url], 'LS1-1-1of5-aa-00000000\nLS1-1-2of5-bb-00000000\nLS1-1-3of5-cc-00000000\nLS1-1-4of5-dd-00000000\n', { LETAPIS_TOKEN: 'ltp_test' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 of 3 received/);
    expect(r.out).toMatch(/is unsealed/);
    expect(calls.map((c) => [c.method, c.url, c.body.share.slice(0, 10), c.auth])).toEqual([
      ['POST', '/api/v1/vault/unseal', 'LS1-1-1of5', 'Bearer ltp_test'],
      ['POST', '/api/v1/vault/unseal', 'LS1-1-2of5', 'Bearer ltp_test'],
      ['POST', '/api/v1/vault/unseal', 'LS1-1-3of5', 'Bearer ltp_test'],
    ]);
  });

  it('unseal --url sends a passphrase as { passphrase }; reports the server’s refusal', async () => {
    calls.length = 0;
    const r = await letapis(['vault', 'unseal', '--url', url, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect(r.code, r.err).toBe(0);
    expect(calls[0]!.body).toEqual({ passphrase: PASSPHRASE });
    const bad = await letapis(['vault', 'unseal', '--url', url], 'LS1-bad\n');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/answered 422: this share is mistyped or damaged/);
  });

  it('seal needs --url and posts to the server; status --url asks it', async () => {
    expect((await letapis(['vault', 'seal'])).err).toMatch(/--url/);
    const r = await letapis(['vault', 'seal', '--url', url]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/is sealed/);
    const s = await letapis(['vault', 'status', '--url', url]);
    expect(s.out).toMatch(/unsealed|SEALED/);
    expect((await letapis(['vault', 'status', '--url', 'http://127.0.0.1:1'])).err).toMatch(/cannot reach/);
  });
});
