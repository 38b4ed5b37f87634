import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, leafHash, MerkleFrontier, parseNote, parseVerifierKey, verifyNoteSignature } from '../src/domain/ledger/index.js';
import { ed25519Verify } from '../src/adapters/keys/ed25519.js';

/**
 * Two organisations as they would run it, with the built `letapis`: B keeps a witness key and
 * runs `letapis witness --once`; A runs `letapis serve` with B as its witness. B cosigns A's
 * checkpoints while A's history only grows; once A's operator rewrites an early event (and
 * recomputes the whole tree and signs a new checkpoint with A's own key), B refuses.
 */
const BIN = resolve('bin/letapis.js');
const WITNESS = 'witness.example.org';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function letapis(env: NodeJS.ProcessEnv, args: string[], input?: string): Promise<Run> {
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('error', fail);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, out: out.trim(), err: err.trim() });
    });
    proc.stdin.end(input ?? '');
  });
}

describe('letapis witness: another organisation cosigns a log and catches a rewritten history', () => {
  let aDir: string;
  let bDir: string;
  let aEnv: NodeJS.ProcessEnv;
  let bEnv: NodeJS.ProcessEnv;
  let server: { proc: ChildProcess; url: string; out: () => string } | undefined;
  let witnessKey: string;
  let witnessToken: string;
  let adminToken: string;
  let logKey: string;
  let firstSize: number;
  let secondSize: number;

  beforeAll(() => {
    if (!existsSync(resolve('dist/src/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    aDir = mkdtempSync(join(tmpdir(), 'letapis-log-'));
    bDir = mkdtempSync(join(tmpdir(), 'letapis-witness-'));
    bEnv = { LETAPIS_DATA_DIR: bDir };
  });
  afterAll(async () => {
    await stop();
    rmSync(aDir, { recursive: true, force: true });
    rmSync(bDir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    const proc = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...aEnv, HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the log did not start within 30 s:\n${out}`)), 30_000);
      proc.stdout!.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m && /API docs:/.test(out)) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the log exited with ${code}:\n${out}`));
      });
    });
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

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${server!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // text/plain
    }
    return { status: res.status, text, body: json };
  };

  /** Audited events on the log: failed sign-ins (each one a ledger leaf). */
  async function events(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${server!.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `nobody${i}`, password: 'not the password' }),
      });
      expect(res.status).toBe(401);
    }
  }

  async function checkpoint(): Promise<number> {
    const r = await api('POST', '/api/ledger/checkpoints', adminToken, {});
    expect(r.status, r.text).toBe(200);
    return r.body.size as number;
  }

  const witness = () => letapis({ ...bEnv, LETAPIS_WITNESS_TOKEN: witnessToken }, ['witness', '--once', '--log', server!.url, '--log-key', logKey]);

  it('B makes a witness key; A starts with it as its witness and makes B an account', async () => {
    const made = await letapis(bEnv, ['witness', 'keygen', '--name', WITNESS]);
    expect(made.code, made.err).toBe(0);
    witnessKey = made.out;
    expect(parseVerifierKey(witnessKey)).toMatchObject({ name: WITNESS, alg: 'cosignature' });

    aEnv = { LETAPIS_DATA_DIR: aDir, LETAPIS_WITNESSES: witnessKey, LETAPIS_WITNESS_QUORUM: '1', LETAPIS_CHECKPOINT_MINUTES: '0' };
    await start();
    expect(server!.out()).toMatch(/1 witness\(es\), quorum 1/);
    const user = await letapis(aEnv, ['user', 'add', 'witness-b', '--role', 'viewer', '--password-stdin'], 'a long password for the witness account');
    expect(user.code, user.err).toBe(0);
    const [t1, t2] = await Promise.all([letapis(aEnv, ['token', 'create', 'witness-b', '--scope', 'write', '--name', 'witness']), letapis(aEnv, ['token', 'create', 'admin', '--scope', 'admin'])]);
    expect(t1.code, t1.err).toBe(0);
    expect(t2.code, t2.err).toBe(0);
    witnessToken = t1.out;
    adminToken = t2.out;
    await events(3);
    firstSize = await checkpoint();
    logKey = (await api('GET', '/api/ledger/keys', adminToken)).body.log;
    expect(parseVerifierKey(logKey).alg).toBe('ed25519');
  });

  it('B cosigns A’s checkpoint (trust on first use); A shows it witnessed', async () => {
    const r = await witness();
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`started witnessing \\S+ at size ${firstSize} \\(trust on first use`));

    const list = await api('GET', '/api/ledger/checkpoints', adminToken);
    expect(list.body.items[0]).toMatchObject({ size: firstSize, witnessed: true, cosignatures: [{ witness: WITNESS, trusted: true }] });
    const note = await api('GET', '/api/ledger/checkpoint', witnessToken);
    expect(note.text).toContain(`\n— ${WITNESS} `);
    const parsed = parseNote(note.text);
    expect(verifyNoteSignature(parsed, parseVerifierKey(witnessKey), ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(parsed, parseVerifierKey(logKey), ed25519Verify)).toBe('valid');

    const again = await witness();
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/nothing new/);
  });

  it('B cosigns the next checkpoint after checking it is consistent with the first', async () => {
    await events(3);
    secondSize = await checkpoint();
    expect(secondSize).toBeGreaterThan(firstSize);
    const r = await witness();
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`cosigned \\S+ at size ${secondSize} .*consistent with size ${firstSize}`));
    const list = await api('GET', '/api/ledger/checkpoints', adminToken);
    expect(list.body.items[0]).toMatchObject({ size: secondSize, witnessed: true, cosignatures: [{ witness: WITNESS, trusted: true }] });
  });

  it('B refuses once A rewrote an early event, however carefully A recomputed its tree', async () => {
    await stop();
    const db = new Database(join(aDir, 'letapis.db'));
    try {
      const leaves = db.prepare('SELECT idx, body, leaf_hash FROM ledger_leaves ORDER BY idx').all() as Array<{ idx: number; body: string; leaf_hash: string }>;
      expect(leaves.length).toBeGreaterThanOrEqual(secondSize);
      const event = JSON.parse(leaves[1]!.body);
      event.details = { ...(event.details ?? {}), note: 'this never happened' };
      const body = canonicalJson(event);
      leaves[1] = { idx: 1, body, leaf_hash: leafHash(Buffer.from(body, 'utf8')).toString('hex') };
      const frontier = MerkleFrontier.empty();
      const nodes: Array<{ level: number; idx: number; hash: string }> = [];
      for (const l of leaves) for (const n of frontier.push(Buffer.from(l.leaf_hash, 'hex'))) nodes.push({ level: n.coord.level, idx: n.coord.index, hash: n.hash.toString('hex') });
      db.transaction(() => {
        db.prepare('UPDATE ledger_leaves SET body = ?, leaf_hash = ? WHERE idx = 1').run(body, leaves[1]!.leaf_hash);
        db.prepare('DELETE FROM ledger_nodes').run();
        const insert = db.prepare('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)');
        for (const n of nodes) insert.run(n.level, n.idx, n.hash);
        db.prepare('UPDATE ledger_head SET size = ?, frontier = ? WHERE id = 1').run(frontier.size, JSON.stringify(frontier.toJSON()));
      })();
    } finally {
      db.close();
    }

    await start();
    await events(3);
    const thirdSize = await checkpoint();
    const note = await api('GET', '/api/ledger/checkpoint', witnessToken);
    expect(verifyNoteSignature(parseNote(note.text), parseVerifierKey(logKey), ed25519Verify)).toBe('valid'); // A's key signed the lie

    const stateFile = join(bDir, 'witness', readdirSync(join(bDir, 'witness'))[0]!);
    const before = readFileSync(stateFile, 'utf8');
    expect(JSON.parse(before)).toMatchObject({ size: secondSize });
    const r = await witness();
    expect(r.code, `${r.out}\n${r.err}`).toBe(2);
    expect(r.err).toMatch(new RegExp(`REFUSED .* at size ${thirdSize}: history rewritten: not consistent with the checkpoint of size ${secondSize} this witness cosigned`));
    expect(readFileSync(stateFile, 'utf8')).toBe(before);

    const list = await api('GET', '/api/ledger/checkpoints', adminToken);
    expect(list.body.items[0]).toMatchObject({ size: thirdSize, witnessed: false, cosignatures: [] });
    expect((await api('GET', '/api/ledger/checkpoint', witnessToken)).text).not.toContain(`— ${WITNESS} `);
  });
});
