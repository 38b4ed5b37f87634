import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runLetapis } from '../test-support/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeEachDialect } from '../test-support/dialects.js';
import { dropSchema, ensureSchema } from '../adapters/db/dialects/postgres/postgres.dialect.js';
import { loadConfig } from '../app/config.js';
import { createContainer, type Container } from '../app/container.js';
import { authenticateToken, beginTotpEnrolment, confirmTotpEnrolment, signIn } from '../modules/users/users.usecases.js';
import { totpCode } from '../modules/users/users.test-support.js';

/** `letapis user …` and `letapis token …` in-process, on both engines. */
describeEachDialect('letapis user and token commands', (dialect) => {
  let dataDir: string;
  let schema: string | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'letapis-cli-users-'));
    env = { LETAPIS_DATA_DIR: dataDir };
    if (dialect === 'postgres') {
      schema = `cliu_${randomBytes(5).toString('hex')}`;
      await ensureSchema(inject('pgUrl'), schema);
      env.DATABASE_URL = `${inject('pgUrl')}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
  });
  afterAll(async () => {
    if (schema) await dropSchema(inject('pgUrl'), schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function letapis(args: string[], stdin?: string): Promise<{ out: string; err: string; code: number }> {
    return runLetapis(env, args, { stdin });
  }

  async function withDb<T>(fn: (c: Container) => Promise<T>): Promise<T> {
    const c = await createContainer(loadConfig(env), { migrate: false });
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  }
  const audit = (action: string) =>
    withDb((c) => c.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id').execute());

  it('creates tokens with a scope and expiry, lists them without secrets, revokes them; audited with no actor', async () => {
    expect((await letapis(['migrate'])).code).toBe(0);
    expect((await letapis(['user', 'add', 'olena', '--role', 'documenter', '--password-stdin'], 'a very long password\n')).code).toBe(0);
    const read = await letapis(['token', 'create', 'olena', '--scope', 'read', '--expires-days', '7', '--name', 'backup', '--json']);
    expect(read.code, read.err).toBe(0);
    const t = JSON.parse(read.out);
    expect(t).toMatchObject({ scope: 'read' });
    expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect(await withDb((c) => authenticateToken(c.db, t.token))).toMatchObject({ scope: 'read', actor: { username: 'olena' } });
    const plain = await letapis(['token', 'create', 'olena']);
    expect(await withDb((c) => authenticateToken(c.db, plain.out.trim()))).toMatchObject({ scope: 'write' });

    const bad = await letapis(['token', 'create', 'olena', '--scope', 'root']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/scope: must be one of read, write, admin/);

    const list = await letapis(['token', 'list', 'olena', '--json']);
    expect(list.code, list.err).toBe(0);
    const items = JSON.parse(list.out);
    expect(items.map((x: any) => x.name)).toEqual(['cli', 'backup']);
    expect(list.out).not.toContain(t.token);
    const text = await letapis(['token', 'list']);
    expect(text.out).toMatch(/olena\s+read\s+active\s+backup/);

    const rev = await letapis(['token', 'revoke', t.id]);
    expect(rev.code, rev.err).toBe(0);
    expect(rev.out).toBe('revoked token "backup" of "olena"');
    expect(await withDb((c) => authenticateToken(c.db, t.token))).toBeNull();
    const again = await letapis(['token', 'revoke', t.id]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already revoked/);
    expect((await letapis(['token', 'revoke', 'no-such-id'])).err).toMatch(/no API token has the id no-such-id/);

    expect((await audit('token.create')).map((r) => r.actor_id)).toEqual([null, null]);
    expect(await audit('token.revoke')).toHaveLength(1);
  });

  it('disables and enables an account', async () => {
    const dis = await letapis(['user', 'disable', 'olena']);
    expect(dis.code, dis.err).toBe(0);
    expect(dis.out).toMatch(/disabled "olena": 0 session\(s\) ended, 1 token\(s\) revoked/);
    expect((await letapis(['user', 'list'])).out).toMatch(/olena\s+documenter\s+disabled/);
    await withDb((c) => expect(signIn(c.db, 'olena', 'a very long password')).rejects.toMatchObject({ status: 401 }));
    expect((await letapis(['user', 'disable', 'olena'])).err).toMatch(/already disabled/);
    expect((await letapis(['user', 'enable', 'olena'])).out).toBe('enabled "olena"');
    expect((await withDb((c) => signIn(c.db, 'olena', 'a very long password'))).status).toBe('signed-in');
    expect((await letapis(['user', 'disable', 'nobody'])).err).toMatch(/no user is named "nobody"/);
    expect(await audit('account.disable')).toHaveLength(1);
    expect(await audit('account.enable')).toHaveLength(1);
  });

  it('resets a password from standard input only', async () => {
    const none = await letapis(['user', 'reset-password', 'olena']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/--password-stdin/);
    const short = await letapis(['user', 'reset-password', 'olena', '--password-stdin'], 'short');
    expect(short.err).toMatch(/password: must be at least 12/);
    const ok = await letapis(['user', 'reset-password', 'olena', '--password-stdin'], 'a fresh long password\n');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/new password set for "olena": 1 session\(s\) ended/);
    expect((await withDb((c) => signIn(c.db, 'olena', 'a fresh long password'))).status).toBe('signed-in');
    expect(await audit('account.password-reset')).toHaveLength(1);
  });

  it('resets a second factor', async () => {
    await letapis(['user', 'add', 'boss', '--role', 'administrator', '--password-stdin'], 'another long password');
    await withDb(async (c) => {
      const s = await signIn(c.db, 'boss', 'another long password');
      if (s.status !== 'signed-in') throw new Error('expected a session');
      const actor = { userId: s.user.id, username: 'boss', role: 'administrator' as const };
      const { secret } = await beginTotpEnrolment({ db: c.db, vault: c.vault }, actor);
      await confirmTotpEnrolment({ db: c.db, vault: c.vault }, actor, totpCode(secret));
      expect((await signIn(c.db, 'boss', 'another long password')).status).toBe('second-factor-required');
    });
    expect((await letapis(['user', 'list'])).out).toMatch(/boss\s+administrator\s+active\s+totp /);
    const r = await letapis(['user', 'totp-reset', 'boss']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/second factor of "boss" removed/);
    expect((await withDb((c) => signIn(c.db, 'boss', 'another long password'))).status).toBe('signed-in');
    expect((await letapis(['user', 'totp-reset', 'boss'])).err).toMatch(/no second factor to reset/);
    expect(await audit('totp.reset')).toHaveLength(1);
  });
});
