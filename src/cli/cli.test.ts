import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runLetapis } from '../test-support/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { depsOf, describeEachDialect } from '../test-support/dialects.js';
import { dropSchema, ensureSchema } from '../adapters/db/dialects/postgres/postgres.dialect.js';
import { loadConfig } from '../app/config.js';
import { createContainer } from '../app/container.js';
import { actorFromToken } from '../modules/users/users.usecases.js';
import { createRecord } from '../modules/records/records.usecases.js';
import { joinCompartment } from '../test-support/actors.js';

/**
 * The `letapis` commands in-process, on both engines: the configuration comes from the
 * environment exactly as for a person at a shell.
 */
describeEachDialect('letapis CLI', (dialect) => {
  let dataDir: string;
  let schema: string | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'letapis-cli-'));
    env = { LETAPIS_DATA_DIR: dataDir };
    if (dialect === 'postgres') {
      schema = `cli_${randomBytes(5).toString('hex')}`;
      await ensureSchema(inject('pgUrl'), schema);
      env.DATABASE_URL = `${inject('pgUrl')}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
  });
  afterAll(async () => {
    if (schema) await dropSchema(inject('pgUrl'), schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs one command; returns what it printed and the exit code it set. */
  async function letapis(args: string[], stdin?: string): Promise<{ out: string; err: string; code: number }> {
    return runLetapis(env, args, { stdin });
  }

  it('migrates, then says the database is up to date', async () => {
    const first = await letapis(['migrate']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/applied 0001-core|up to date/);
    const again = await letapis(['migrate']);
    expect(again.out).toMatch(/is up to date/);
  });

  it('adds users with the password on standard input, refuses bad roles and short passwords, lists them', async () => {
    const ok = await letapis(['user', 'add', 'olena', '--role', 'documenter', '--password-stdin', '--json'], 'a very long password\n');
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ username: 'olena', role: 'documenter' });
    const badRole = await letapis(['user', 'add', 'x1', '--role', 'emperor', '--password-stdin'], 'a very long password');
    expect(badRole.code).toBe(1);
    expect(badRole.err).toMatch(/role: must be one of administrator/);
    const short = await letapis(['user', 'add', 'x2', '--role', 'viewer', '--password-stdin'], 'short');
    expect(short.err).toMatch(/password: must be at least 12/);
    const noStdin = await letapis(['user', 'add', 'x3', '--role', 'viewer']);
    expect(noStdin.err).toMatch(/--password-stdin/);
    const dup = await letapis(['user', 'add', 'olena', '--role', 'viewer', '--password-stdin'], 'a very long password');
    expect(dup.err).toMatch(/already exists/);
    await letapis(['user', 'add', 'boss', '--role', 'administrator', '--password-stdin'], 'another long password');
    const list = await letapis(['user', 'list', '--json']);
    expect(JSON.parse(list.out).map((u: any) => u.username)).toEqual(['boss', 'olena']);
  });

  it('creates a token that authenticates as its user; refuses unknown users', async () => {
    const t = await letapis(['token', 'create', 'olena']);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^ltp_[A-Za-z0-9_-]{40,}$/);
    const c = await createContainer(loadConfig(env), { migrate: false });
    try {
      const actor = await actorFromToken(c.db, t.out.trim());
      expect(actor).toMatchObject({ username: 'olena', role: 'documenter' });
      // the token is kept only as a hash
      const stored = await c.db.selectFrom('api_tokens').select('token_hash').execute();
      expect(stored.every((r) => !String(r.token_hash).includes(t.out.trim()))).toBe(true);
    } finally {
      await c.close();
    }
    const bad = await letapis(['token', 'create', 'nobody']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no user is named "nobody"/);
  });

  it('lists and shows records as text and JSON, with filters and links', async () => {
    const c = await createContainer(loadConfig(env), { migrate: false });
    let eventId: string;
    try {
      const actor = (await actorFromToken(c.db, (await letapis(['token', 'create', 'olena'])).out.trim()))!;
      await joinCompartment(c.db, actor.userId, 'default', 'documenter');
      const ev = await createRecord(depsOf(c), actor, 'events', { title: 'Mass detention on Independence Avenue', status: 'corroborated' });
      await createRecord(depsOf(c), actor, 'events', { title: 'Raid in Hrodna', status: 'alleged' });
      eventId = ev.id;
      const v = await createRecord(depsOf(c), actor, 'persons', { pseudonym: 'Witness B-3' });
      await createRecord(depsOf(c), actor, 'acts', { event: ev.id, victim: v.id, type: 'arrest' });
    } finally {
      await c.close();
    }
    const list = await letapis(['records', 'list', 'events', '--as', 'olena', '--json', '--filter', 'status=corroborated']);
    expect(list.code, list.err).toBe(0);
    const page = JSON.parse(list.out);
    expect(page.items.map((e: any) => e.title)).toEqual(['Mass detention on Independence Avenue']);
    const text = await letapis(['records', 'list', 'events', '--as', 'olena']);
    expect(text.out).toMatch(/Raid in Hrodna/);
    expect(text.out).toMatch(/Mass detention/);
    const got = await letapis(['records', 'get', 'events', eventId!, '--as', 'olena', '--json']);
    const rec = JSON.parse(got.out);
    expect(rec.links.incoming).toEqual([expect.objectContaining({ type: 'acts', field: 'event' })]);
    const shown = await letapis(['records', 'get', 'events', eventId!, '--as', 'olena']);
    expect(shown.out).toMatch(/linked from:\n {2}acts\.event/);
    const unknown = await letapis(['records', 'list', 'rumours']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown record type "rumours"/);
    const badFilter = await letapis(['records', 'list', 'events', '--as', 'olena', '--filter', 'status=rumoured']);
    expect(badFilter.err).toMatch(/status: unknown value/);
  });
});
