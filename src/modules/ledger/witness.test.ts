import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ed25519Sign, ed25519Verify, generateEd25519KeyPair } from '../../adapters/keys/ed25519.js';
import {
  consistencyProofRanges,
  formatCheckpoint,
  formatNote,
  formatVerifierKey,
  hashRanges,
  leafHash,
  parseNote,
  parseVerifierKey,
  rootFromLeaves,
  signNoteText,
  verifyNoteSignature,
  type NoteSignature,
} from '../../domain/ledger/index.js';
import {
  createWitnessKeyFile,
  defaultWitnessKeyPath,
  defaultWitnessStatePath,
  loadWitnessKey,
  readWitnessState,
  witnessLoop,
  witnessOnce,
  type WitnessKey,
  type WitnessOptions,
  type WitnessResult,
} from './witness.js';
import { runLetapis } from '../../test-support/cli.js';

/**
 * A fake Letapis log on 127.0.0.1: an in-memory RFC 9162 tree, checkpoints signed with its own
 * Ed25519 key, and the three routes a witness uses. Tests make it misbehave by replacing its
 * leaves (rewritten history), serving an older checkpoint (rollback) or another tree of the same
 * size (fork).
 */
class FakeLog {
  readonly name = 'log.example.org/letapis';
  readonly pair = generateEd25519KeyPair();
  readonly vkey = formatVerifierKey(this.name, this.pair.publicKey);
  readonly token = 'lt_witness_token';
  leaves: Buffer[] = [];
  /** Signed checkpoints by size: body and the log's signature. */
  checkpoints = new Map<number, { body: string; sig: NoteSignature }>();
  cosigs = new Map<number, NoteSignature[]>();
  latest = 0;
  witnesses: string[] = [];
  requests: string[] = [];
  /** When set, GET /api/ledger/checkpoint answers this instead. */
  override: { status: number; body: string } | null = null;
  rejectCosignatures = false;
  server!: Server;
  url = '';

  append(n: number, tag = 'e'): void {
    for (let i = 0; i < n; i++) this.leaves.push(leafHash(Buffer.from(`${tag}-${this.leaves.length}`)));
  }

  /** Signs a checkpoint of the tree as it is now (with `key`, default the log's own). */
  checkpoint(opts: { pair?: ReturnType<typeof generateEd25519KeyPair>; origin?: string } = {}): number {
    const pair = opts.pair ?? this.pair;
    const size = this.leaves.length;
    const body = formatCheckpoint({ origin: opts.origin ?? this.name, size, rootHash: rootFromLeaves(this.leaves), extensions: [] });
    const sig = signNoteText(body, this.name, pair.publicKey, (m) => ed25519Sign(m, pair.secretKey));
    this.checkpoints.set(size, { body, sig });
    this.cosigs.delete(size);
    this.latest = size;
    return size;
  }

  note(size = this.latest): string {
    const cp = this.checkpoints.get(size)!;
    return formatNote({ text: cp.body, signatures: [cp.sig, ...(this.cosigs.get(size) ?? [])] });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url!, 'http://x');
        this.requests.push(`${req.method} ${u.pathname}${u.search}`);
        const send = (status: number, body: unknown, type = 'application/json') => {
          res.writeHead(status, { 'content-type': type });
          res.end(typeof body === 'string' ? body : JSON.stringify(body));
        };
        const problem = (status: number, detail: string) => send(status, { type: 'about:blank', title: 'error', status, detail }, 'application/problem+json');
        if (req.headers.authorization !== `Bearer ${this.token}`) return problem(401, 'sign in first');
        if (req.method === 'GET' && u.pathname === '/api/ledger/checkpoint') {
          if (this.override) return send(this.override.status, this.override.body, 'text/plain');
          if (!this.checkpoints.has(this.latest)) return problem(404, 'the ledger has no checkpoint yet');
          return send(200, this.note(), 'text/plain; charset=utf-8');
        }
        if (req.method === 'GET' && u.pathname === '/api/ledger/proof/consistency') {
          const from = Number(u.searchParams.get('from'));
          const to = Number(u.searchParams.get('to'));
          if (!(from >= 1 && from <= to && to <= this.leaves.length)) return problem(422, 'bad sizes');
          const proof = hashRanges(consistencyProofRanges(from, to), (c) =>
            rootFromLeaves(this.leaves.slice(c.index * 2 ** c.level, (c.index + 1) * 2 ** c.level)),
          );
          return send(200, { from, to, proof: proof.map((h) => h.toString('hex')) });
        }
        if (req.method === 'POST' && u.pathname === '/api/ledger/cosignatures') {
          if (this.rejectCosignatures) return problem(422, 'not a witness this log is configured to trust');
          const { size, cosignature } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { size: number; cosignature: string };
          const cp = this.checkpoints.get(size);
          if (!cp) return problem(404, `there is no checkpoint of size ${size}`);
          const sig = parseNote(`${cp.body}\n${cosignature}`).signatures[0]!;
          const key = this.witnesses.map((w) => parseVerifierKey(w)).find((k) => k.name === sig.name);
          if (!key || verifyNoteSignature({ text: cp.body, signatures: [sig] }, key, ed25519Verify) !== 'valid') return problem(422, 'does not verify');
          this.cosigs.set(size, [sig]);
          return send(200, { size, witnessed: true });
        }
        return problem(404, 'no such route');
      });
    });
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  posts(): number {
    return this.requests.filter((r) => r.startsWith('POST')).length;
  }
}

let dir: string;
let log: FakeLog;
let key: WitnessKey;
let statePath: string;
const opts = (o: Partial<WitnessOptions> = {}): WitnessOptions => ({ logUrl: log.url, logKey: log.vkey, token: log.token, key, statePath, ...o });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letapis-witness-'));
  const made = await createWitnessKeyFile(join(dir, 'keys', 'witness.key'), 'witness.example.org');
  key = await loadWitnessKey(made.path);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  log = new FakeLog();
  log.witnesses = [key.verifierKey];
  await log.start();
  statePath = join(mkdtempSync(join(dir, 'state-')), 'log.json');
});
afterEach(async () => {
  await log.stop();
});

/** Witnesses the log once at `n` leaves (trust on first use). */
async function started(n = 5): Promise<WitnessResult> {
  log.append(n);
  log.checkpoint();
  const r = await witnessOnce(opts());
  expect(r).toMatchObject({ outcome: 'cosigned', size: log.leaves.length, firstUse: true, previousSize: null });
  return r;
}

describe('witness key file', () => {
  it('is one line of JSON with the name and the base64 seed, mode 0600, never overwritten', async () => {
    const path = join(dir, 'keys', 'witness.key');
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    const j = JSON.parse(text);
    expect(j.name).toBe('witness.example.org');
    expect(Buffer.from(j.seed, 'base64')).toHaveLength(32);
    expect(j.verifierKey).toBe(key.verifierKey);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const vk = parseVerifierKey(key.verifierKey);
    expect(vk).toMatchObject({ name: 'witness.example.org', alg: 'cosignature' });
    expect(vk.publicKey.equals(key.publicKey)).toBe(true);
    await expect(createWitnessKeyFile(path, 'other')).rejects.toThrow(/exists already/);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect((await loadWitnessKey(path)).verifierKey).toBe(key.verifierKey);
  });

  it('refuses a bad name, a damaged file and a missing file', async () => {
    await expect(createWitnessKeyFile(join(dir, 'bad.key'), 'has space')).rejects.toThrow(/key name/);
    expect(existsSync(join(dir, 'bad.key'))).toBe(false);
    writeFileSync(join(dir, 'damaged.key'), '{"name":"w","seed":"AAAA"}\n', { mode: 0o600 });
    await expect(loadWitnessKey(join(dir, 'damaged.key'))).rejects.toThrow(/not a witness key file/);
    await expect(loadWitnessKey(join(dir, 'none.key'))).rejects.toThrow(/letapis witness keygen/);
  });

  it('has default paths under the data directory, the state named by the origin', () => {
    expect(defaultWitnessKeyPath('/d')).toBe('/d/keys/witness.key');
    const h = createHash('sha256').update('log.example.org/letapis').digest('hex').slice(0, 16);
    expect(defaultWitnessStatePath('/d', 'log.example.org/letapis')).toBe(`/d/witness/${h}.json`);
  });
});

describe('witnessOnce', () => {
  it('trusts the first checkpoint it sees, cosigns it, and remembers it only after the log took the cosignature', async () => {
    const r = await started(5);
    expect(r.cosignature).toMatch(/^— witness\.example\.org [A-Za-z0-9+/=]+\n$/);
    const cosigned = parseNote(log.note());
    expect(verifyNoteSignature(cosigned, parseVerifierKey(key.verifierKey), ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(cosigned, parseVerifierKey(log.vkey), ed25519Verify)).toBe('valid');
    const state = await readWitnessState(statePath);
    expect(state).toMatchObject({ origin: log.name, size: 5, rootHash: rootFromLeaves(log.leaves).toString('hex') });
    expect(Date.parse(state!.cosignedAt)).toBeGreaterThan(0);
    expect(state!.checkpoint).toBe(formatNote({ text: log.checkpoints.get(5)!.body, signatures: [log.checkpoints.get(5)!.sig] }));
    expect(log.requests).toEqual(['GET /api/ledger/checkpoint', 'POST /api/ledger/cosignatures']);
    expect(readdirSync(join(statePath, '..'))).toEqual(['log.json']); // no temporary file left
  });

  it('does nothing when the log has not moved and already shows the cosignature', async () => {
    await started(5);
    const before = readFileSync(statePath, 'utf8');
    const r = await witnessOnce(opts());
    expect(r).toMatchObject({ outcome: 'unchanged', size: 5, firstUse: false, previousSize: 5 });
    expect(r.resubmitted).toBeUndefined();
    expect(log.posts()).toBe(1);
    expect(readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('hands the cosignature in again when the log lost it', async () => {
    await started(5);
    log.cosigs.clear();
    const r = await witnessOnce(opts());
    expect(r).toMatchObject({ outcome: 'unchanged', size: 5, resubmitted: true });
    expect(log.posts()).toBe(2);
    expect(verifyNoteSignature(parseNote(log.note()), parseVerifierKey(key.verifierKey), ed25519Verify)).toBe('valid');
  });

  it('cosigns a larger tree that is consistent with the one it cosigned', async () => {
    await started(5);
    for (const more of [1, 2, 9, 32, 1]) {
      const from = log.leaves.length;
      log.append(more);
      log.checkpoint();
      const r = await witnessOnce(opts({ now: () => 1_700_000_000_123 }));
      expect(r).toMatchObject({ outcome: 'cosigned', size: from + more, previousSize: from, firstUse: false });
      expect(log.requests).toContain(`GET /api/ledger/proof/consistency?from=${from}&to=${from + more}`);
      expect((await readWitnessState(statePath))!).toMatchObject({ size: from + more, cosignedAt: '2023-11-14T22:13:20.000Z' });
    }
  });

  it('refuses a rewritten history, keeping its state and cosigning nothing', async () => {
    await started(6);
    const before = readFileSync(statePath, 'utf8');
    log.leaves[1] = leafHash(Buffer.from('a different event 1'));
    log.append(4);
    log.checkpoint(); // validly signed by the log's key: the operator holds it
    const r = await witnessOnce(opts());
    expect(r.outcome).toBe('refused');
    expect(r.size).toBe(10);
    expect(r.reason).toMatch(/^history rewritten: not consistent with the checkpoint of size 6 this witness cosigned/);
    expect(r.served).toBe(log.note());
    expect(log.posts()).toBe(1);
    expect(log.cosigs.get(10)).toBeUndefined();
    expect(readFileSync(statePath, 'utf8')).toBe(before);
    // and it keeps refusing
    expect((await witnessOnce(opts())).outcome).toBe('refused');
  });

  it('refuses a rollback to a smaller tree', async () => {
    log.append(3);
    log.checkpoint();
    await started(4); // 7 leaves
    log.latest = 3;
    const r = await witnessOnce(opts());
    expect(r).toMatchObject({ outcome: 'refused', size: 3 });
    expect(r.reason).toMatch(/^rollback: .*size 3, smaller than the checkpoint of size 7/);
    expect((await readWitnessState(statePath))!.size).toBe(7);
  });

  it('refuses a fork: another tree of the same size', async () => {
    await started(5);
    log.leaves[4] = leafHash(Buffer.from('other'));
    log.checkpoint();
    const r = await witnessOnce(opts());
    expect(r).toMatchObject({ outcome: 'refused', size: 5 });
    expect(r.reason).toMatch(/^fork: the log's checkpoint of size 5 has root [0-9a-f]{64}, but this witness cosigned root/);
    expect(log.posts()).toBe(1);
  });

  it('refuses a checkpoint not signed by the log key, or of another origin, or not a checkpoint', async () => {
    log.append(3);
    log.checkpoint({ pair: generateEd25519KeyPair() }); // same name, another key: the key ID differs
    expect((await witnessOnce(opts())).reason).toMatch(/carries no signature by the log key/);
    const cp = log.checkpoints.get(3)!;
    const forged = { ...cp.sig, keyId: parseVerifierKey(log.vkey).keyId }; // right key ID, wrong signature
    log.checkpoints.set(3, { body: cp.body, sig: forged });
    expect((await witnessOnce(opts())).reason).toMatch(/does not verify with the log key/);
    log.checkpoint({ origin: 'another.example.org/log' });
    expect((await witnessOnce(opts())).reason).toMatch(/origin "another.example.org\/log" is not the log key's name "log.example.org\/letapis"/);
    log.override = { status: 200, body: '<html>hello</html>' };
    expect(await witnessOnce(opts())).toMatchObject({ outcome: 'refused', size: 0, reason: expect.stringMatching(/not a signed checkpoint/) });
    expect(log.posts()).toBe(0);
    expect(await readWitnessState(statePath)).toBeNull();
  });

  it('refuses a malformed consistency proof', async () => {
    await started(5);
    log.append(3);
    log.checkpoint();
    const f: WitnessOptions['fetch'] = async (url, init) =>
      url.includes('/proof/consistency') ? new Response(JSON.stringify({ from: 5, to: 8, proof: ['zz'] }), { status: 200 }) : fetch(url, init);
    expect((await witnessOnce(opts({ fetch: f }))).reason).toMatch(/consistency proof from size 5 to 8 is malformed/);
    const g: WitnessOptions['fetch'] = async (url, init) =>
      url.includes('/proof/consistency') ? new Response(JSON.stringify({ from: 5, to: 8, proof: ['00'.repeat(32)] }), { status: 200 }) : fetch(url, init);
    expect((await witnessOnce(opts({ fetch: g }))).reason).toMatch(/history rewritten/);
    expect((await readWitnessState(statePath))!.size).toBe(5);
  });

  it('throws (not a refusal) on network errors and error answers, keeping the state', async () => {
    await started(5);
    const before = readFileSync(statePath, 'utf8');
    log.append(2);
    log.checkpoint();
    log.rejectCosignatures = true;
    await expect(witnessOnce(opts())).rejects.toThrow(/handing in the cosignature: the log answered 422: not a witness this log is configured to trust/);
    expect(readFileSync(statePath, 'utf8')).toBe(before);
    await expect(witnessOnce(opts({ token: 'wrong' }))).rejects.toThrow(/fetching the checkpoint: the log answered 401: sign in first/);
    const down: WitnessOptions['fetch'] = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    };
    await expect(witnessOnce(opts({ fetch: down }))).rejects.toThrow(/could not reach .*ECONNREFUSED/);
    log.override = { status: 404, body: '{"detail":"the ledger has no checkpoint yet"}' };
    await expect(witnessOnce(opts())).rejects.toThrow(/answered 404: the ledger has no checkpoint yet/);
    expect(readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('checks its options and its state file', async () => {
    log.append(2);
    log.checkpoint();
    await expect(witnessOnce(opts({ logKey: key.verifierKey }))).rejects.toThrow(/Ed25519 signing key/);
    await expect(witnessOnce(opts({ logKey: 'nonsense' }))).rejects.toThrow(/not a verifier key/);
    await expect(witnessOnce(opts({ logUrl: 'ftp://x' }))).rejects.toThrow(/http\(s\) URL/);
    writeFileSync(statePath, JSON.stringify({ origin: 'other', size: 1, rootHash: '00'.repeat(32), cosignedAt: 'x' }));
    await expect(witnessOnce(opts())).rejects.toThrow(/is of the log "other"/);
    writeFileSync(statePath, '{');
    await expect(witnessOnce(opts())).rejects.toThrow(/damaged/);
  });

  it('keeps witnessing round after round until stopped, refusals and errors included', async () => {
    await started(2);
    const results: string[] = [];
    const stop = new AbortController();
    let round = 0;
    await witnessLoop(
      {
        ...opts(),
        fetch: async (url, init) => {
          if (url.endsWith('/checkpoint') && ++round === 2) throw new TypeError('fetch failed');
          return fetch(url, init);
        },
      },
      {
        intervalMs: 10,
        signal: stop.signal,
        onResult: (r) => {
          results.push(r.outcome);
          const n = results.filter((x) => x !== 'error').length;
          if (n === 1) {
            log.append(3);
            log.checkpoint();
          }
          if (n === 2) log.latest = 2;
          if (n === 3) stop.abort();
        },
        onError: () => results.push('error'),
      },
    );
    expect(results).toEqual(['unchanged', 'error', 'cosigned', 'refused']);
  });
});

describe('letapis witness (CLI)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(dir, 'cli-'));
  });

  it('keygen writes the key under the data dir, prints the verifier key, and never overwrites', async () => {
    const r = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, ['witness', 'keygen', '--name', 'witness.example.org']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^witness\.example\.org\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/);
    expect(r.err).toMatch(/LETAPIS_WITNESSES/);
    const file = join(dataDir, 'keys', 'witness.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await loadWitnessKey(file)).verifierKey).toBe(r.out);
    const again = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, ['witness', 'keygen', '--name', 'witness.example.org']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists already/);
    const key = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, ['witness', 'key']);
    expect(key.out).toBe(r.out);
    const json = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, ['witness', 'keygen', '--name', 'w2', '--out', join(dataDir, 'w2.key'), '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ name: 'w2', keyFile: join(dataDir, 'w2.key'), verifierKey: expect.stringMatching(/^w2\+/) });
  });

  it('--once: exit 0 when it cosigns or nothing is new, 2 when it refuses, 1 on other errors', async () => {
    const made = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, ['witness', 'keygen', '--name', 'cli-witness']);
    log.witnesses = [made.out];
    log.append(4);
    log.checkpoint();
    const env = { LETAPIS_DATA_DIR: dataDir, LETAPIS_WITNESS_TOKEN: log.token };
    const args = ['witness', '--once', '--log', log.url, '--log-key', log.vkey];

    const first = await runLetapis(env, args);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/started witnessing log\.example\.org\/letapis at size 4 \(trust on first use/);
    const statePath = defaultWitnessStatePath(dataDir, log.name);
    expect((await readWitnessState(statePath))!.size).toBe(4);

    const same = await runLetapis(env, args);
    expect(same).toMatchObject({ code: 0, out: expect.stringMatching(/nothing new: .* still at size 4/) });

    log.append(3);
    log.checkpoint();
    const json = await runLetapis(env, [...args, '--json']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ outcome: 'cosigned', size: 7, previousSize: 4 });

    log.leaves[0] = leafHash(Buffer.from('rewritten'));
    log.append(1);
    log.checkpoint();
    const refused = await runLetapis(env, args);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/REFUSED to cosign log\.example\.org\/letapis at size 8: history rewritten: not consistent with the checkpoint of size 7/);
    expect((await readWitnessState(statePath))!.size).toBe(7);

    const noToken = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, args);
    expect(noToken.code).toBe(1);
    expect(noToken.err).toMatch(/LETAPIS_WITNESS_TOKEN/);
    const withFlag = await runLetapis({ LETAPIS_DATA_DIR: dataDir }, [...args, '--token', 'wrong']);
    expect(withFlag.code).toBe(1);
    expect(withFlag.err).toMatch(/answered 401/);
    await log.stop();
    const down = await runLetapis(env, args);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/could not reach/);
    await log.start(); // afterEach stops it again
  });
});
