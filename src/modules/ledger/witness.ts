import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from '../../adapters/keys/ed25519.js';
import {
  EMPTY_ROOT,
  NOTE_MAX_BYTES,
  cosignNoteText,
  formatNote,
  formatVerifierKey,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyConsistency,
  verifyNoteSignature,
  type Checkpoint,
  type Ed25519Sign,
  type SignedNote,
  type VerifierKey,
} from '../../domain/ledger/index.js';

/**
 * Witnessing another organisation's Letapis log (C2SP tlog-cosignature/v1, pull model).
 *
 * Each round the witness fetches the log's latest checkpoint, checks that it is signed by the
 * log's key and that it extends the last checkpoint this witness cosigned (an RFC 9162
 * consistency proof), then cosigns it and hands the cosignature to the log. It never cosigns a
 * smaller tree (rollback), a different tree of the same size (fork), or a tree that does not
 * contain the one it cosigned before (history rewritten): those are refusals, and the state is
 * left as it was, so every later round refuses too until a person looks.
 *
 * Files (both under LETAPIS_DATA_DIR by default):
 *
 *     key file    <data>/keys/witness.key, mode 0600, one line of JSON:
 *                 {"name":"witness.example.org","seed":"<base64 of the 32-byte Ed25519 seed>","verifierKey":"<cosignature vkey>"}
 *     state file  <data>/witness/<first 16 hex digits of SHA-256(origin)>.json, one per log:
 *                 {"origin":…,"size":N,"rootHash":"<hex>","cosignedAt":"<ISO time>","checkpoint":"<the log's signed note>"}
 *                 replaced atomically (temporary file, fsync, rename) only after the log accepted the cosignature.
 */

// ---- key file ----------------------------------------------------------------------------------

export interface WitnessKey {
  name: string;
  publicKey: Buffer;
  /** The cosignature verifier key (c2sp tlog-cosignature, type 0x04) the log operator puts in LETAPIS_WITNESSES. */
  verifierKey: string;
  sign: Ed25519Sign;
}

interface WitnessKeyFile {
  name: string;
  seed: string;
  verifierKey?: string;
}

/** `<dataDir>/keys/witness.key` */
export const defaultWitnessKeyPath = (dataDir: string): string => join(dataDir, 'keys', 'witness.key');

/** `<dataDir>/witness/<first 16 hex digits of SHA-256(origin)>.json`: one state file per witnessed log. */
export const defaultWitnessStatePath = (dataDir: string, origin: string): string =>
  join(dataDir, 'witness', `${createHash('sha256').update(origin, 'utf8').digest('hex').slice(0, 16)}.json`);

/**
 * Makes a new Ed25519 witness key named `name` and writes it to `path` (mode 0600, its folder 0700
 * when created). Refuses to overwrite an existing file. Returns the cosignature verifier key.
 */
export async function createWitnessKeyFile(path: string, name: string): Promise<{ name: string; verifierKey: string; path: string }> {
  const pair = generateEd25519KeyPair();
  const verifierKey = formatVerifierKey(name, pair.publicKey, 'cosignature'); // checks the name
  const seed = Buffer.from(pair.secretKey.subarray(0, 32));
  const line = `${JSON.stringify({ name, seed: seed.toString('base64'), verifierKey } satisfies WitnessKeyFile)}\n`;
  seed.fill(0);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let fh;
  try {
    fh = await open(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${path} exists already: a witness key is never overwritten (move it away first, or give --out)`);
    throw e;
  }
  try {
    await fh.writeFile(line, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { name, verifierKey, path };
}

/**
 * Reads a witness key file (see `createWitnessKeyFile`). Throws `Error` saying what is wrong.
 * `looseMode` is true when group or others may read the file.
 */
export async function loadWitnessKey(path: string): Promise<WitnessKey & { looseMode: boolean }> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`there is no witness key at ${path}: make one with letapis witness keygen --name NAME (or give --key)`);
    throw e;
  }
  const looseMode = ((await stat(path)).mode & 0o077) !== 0;
  let j: Partial<WitnessKeyFile>;
  try {
    j = JSON.parse(raw) as Partial<WitnessKeyFile>;
  } catch {
    throw new Error(`${path} is not a witness key file (one line of JSON {"name","seed"})`);
  }
  const seed = typeof j.seed === 'string' ? Buffer.from(j.seed, 'base64') : Buffer.alloc(0);
  if (typeof j.name !== 'string' || seed.length !== 32 || seed.toString('base64') !== j.seed) {
    throw new Error(`${path} is not a witness key file: expected {"name": …, "seed": <base64 of 32 bytes>}`);
  }
  const pair = ed25519KeyPairFromSeed(seed);
  seed.fill(0);
  const verifierKey = formatVerifierKey(j.name, pair.publicKey, 'cosignature');
  if (j.verifierKey !== undefined && j.verifierKey !== verifierKey) throw new Error(`${path} is damaged: its seed does not give its verifier key`);
  return { name: j.name, publicKey: pair.publicKey, verifierKey, sign: (m) => ed25519Sign(m, pair.secretKey), looseMode };
}

// ---- state file --------------------------------------------------------------------------------

export interface WitnessState {
  origin: string;
  size: number;
  /** Lower-case hex. */
  rootHash: string;
  cosignedAt: string;
  /** The log's signed note this witness cosigned (its own signature lines), kept as evidence. */
  checkpoint?: string;
}

/** The state of one witnessed log, or null when there is none yet. Throws on a damaged file. */
export async function readWitnessState(path: string): Promise<WitnessState | null> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let j: Partial<WitnessState>;
  try {
    j = JSON.parse(raw) as Partial<WitnessState>;
  } catch {
    throw new Error(`the witness state ${path} is damaged (not JSON): restore it from a backup; never delete it to get past a refusal`);
  }
  if (
    typeof j?.origin !== 'string' ||
    typeof j.size !== 'number' ||
    !Number.isSafeInteger(j.size) ||
    j.size < 0 ||
    typeof j.rootHash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(j.rootHash) ||
    typeof j.cosignedAt !== 'string'
  ) {
    throw new Error(`the witness state ${path} is damaged (expected {origin, size, rootHash, cosignedAt}): restore it from a backup`);
  }
  return { origin: j.origin, size: j.size, rootHash: j.rootHash, cosignedAt: j.cosignedAt, ...(typeof j.checkpoint === 'string' ? { checkpoint: j.checkpoint } : {}) };
}

/** Replaces the state file atomically: a temporary file next to it, fsync, rename, fsync of the folder. */
export async function writeWitnessState(path: string, state: WitnessState): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // not every platform can fsync a folder; the rename itself is atomic
  }
}

// ---- one round ---------------------------------------------------------------------------------

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface WitnessOptions {
  /** The log's base URL, e.g. https://letapis.example.org (its API is under /api/ledger/…). */
  logUrl: string;
  /** The log's Ed25519 verifier key (`letapis ledger key` on the log); its name is the checkpoint origin. */
  logKey: string;
  /** An API token of an account on the log (a viewer is enough), scope write. */
  token: string;
  key: WitnessKey;
  /** The state file of this log (see `defaultWitnessStatePath`). */
  statePath: string;
  fetch?: FetchLike;
  /** Milliseconds since the epoch (the cosignature's timestamp is its whole seconds). */
  now?: () => number;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export interface WitnessResult {
  outcome: 'cosigned' | 'unchanged' | 'refused';
  /** The size of the checkpoint the log served (when it could not be read: the size last cosigned, 0 if none). */
  size: number;
  /** Why the witness refused to cosign. */
  reason?: string;
  origin: string;
  /** Root hash (hex) of the checkpoint the log served, when it could be read. */
  rootHash?: string;
  /** The size this witness had cosigned before the round; null on first use. */
  previousSize: number | null;
  /** No state yet: the current checkpoint was trusted on first use. */
  firstUse: boolean;
  /** With 'unchanged': the log's note lacked this witness's cosignature, so it was handed in again. */
  resubmitted?: boolean;
  /** The cosignature line handed to the log. */
  cosignature?: string;
  /** With 'refused': the signed note the log served, as evidence (when it was one). */
  served?: string;
}

/** Errors other than refusals (network, the log answering an error, bad options, files). */
export class WitnessError extends Error {}

const MAX_JSON_BYTES = 1 << 20;

async function readCapped(res: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new WitnessError(`${what}: the answer is larger than ${max} bytes`);
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel().catch(() => undefined);
      throw new WitnessError(`${what}: the answer is larger than ${max} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function problemText(body: Buffer): string {
  try {
    const p = JSON.parse(body.toString('utf8')) as { detail?: unknown; title?: unknown; errors?: Array<{ field?: unknown; message?: unknown }> };
    const parts = [typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : ''];
    for (const e of Array.isArray(p.errors) ? p.errors : []) if (typeof e?.message === 'string') parts.push(`${String(e.field)}: ${e.message}`);
    const text = [...new Set(parts.filter(Boolean))].join('; ');
    if (text) return text;
  } catch {
    // not problem JSON
  }
  return body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}

export function normaliseLogUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new WitnessError(`--log must be the log's URL, e.g. https://letapis.example.org, not "${url}"`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new WitnessError(`--log must be an http(s) URL, not "${url}"`);
  if (u.username || u.password) throw new WitnessError('--log must not carry credentials: give the API token with --token or LETAPIS_WITNESS_TOKEN');
  if (u.search || u.hash) throw new WitnessError('--log is the base URL of the log, without a query');
  return u.toString().replace(/\/+$/, '');
}

/**
 * One round of witnessing: fetch the log's latest checkpoint, check it, cosign it and hand the
 * cosignature in (see the module comment). Refusals are results (`outcome: 'refused'`, state
 * unchanged); anything else that goes wrong (network, the log answering an error, a damaged
 * state file) throws `Error`, also with the state unchanged.
 */
export async function witnessOnce(opts: WitnessOptions): Promise<WitnessResult> {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const base = normaliseLogUrl(opts.logUrl);
  let logKey: VerifierKey;
  try {
    logKey = parseVerifierKey(opts.logKey.trim());
  } catch (e) {
    throw new WitnessError(`--log-key is not a verifier key: ${(e as Error).message}`);
  }
  if (logKey.alg !== 'ed25519') throw new WitnessError('--log-key must be the log’s Ed25519 signing key (letapis ledger key on the log), not a cosignature key');
  if (!opts.token) throw new WitnessError('an API token for the log is needed (--token, or LETAPIS_WITNESS_TOKEN)');
  const origin = logKey.name;

  const state = await readWitnessState(opts.statePath);
  if (state && state.origin !== origin) {
    throw new WitnessError(`the state file ${opts.statePath} is of the log "${state.origin}", not "${origin}": give each log its own --state`);
  }
  const previousSize = state ? state.size : null;
  const firstUse = !state;
  const auth = { authorization: `Bearer ${opts.token}` };

  const call = async (method: 'GET' | 'POST', path: string, what: string, max: number, body?: unknown): Promise<Buffer> => {
    const url = `${base}${path}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { ...auth, accept: method === 'GET' && path.startsWith('/api/ledger/checkpoint') ? 'text/plain' : 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      throw new WitnessError(`${what}: could not reach ${url}: ${cause}`);
    }
    const bytes = await readCapped(res, max, what);
    if (res.status < 200 || res.status > 299) throw new WitnessError(`${what}: the log answered ${res.status}: ${problemText(bytes) || res.statusText}`);
    return bytes;
  };

  const result = (r: Omit<WitnessResult, 'origin' | 'previousSize' | 'firstUse'>): WitnessResult => ({ ...r, origin, previousSize, firstUse });
  const lastSize = state?.size ?? 0;

  // 1. the latest checkpoint, signed by the log's key
  const raw = await call('GET', '/api/ledger/checkpoint', 'fetching the checkpoint', NOTE_MAX_BYTES);
  let note: SignedNote;
  let cp: Checkpoint;
  try {
    note = parseNote(new Uint8Array(raw));
    cp = parseCheckpoint(note.text);
  } catch (e) {
    return result({ outcome: 'refused', size: lastSize, reason: `the log served something that is not a signed checkpoint: ${(e as Error).message}` });
  }
  const served = raw.toString('utf8');
  const rootHash = cp.rootHash.toString('hex');
  const refuse = (reason: string) => result({ outcome: 'refused', size: cp.size, rootHash, reason, served });
  if (cp.origin !== origin) return refuse(`the checkpoint's origin "${cp.origin}" is not the log key's name "${origin}"`);
  const logSig = verifyNoteSignature(note, logKey, ed25519Verify);
  if (logSig === 'absent') return refuse(`the checkpoint of size ${cp.size} carries no signature by the log key ${opts.logKey.trim()}`);
  if (logSig !== 'valid') return refuse(`the log's signature on the checkpoint of size ${cp.size} does not verify with the log key`);

  // 2. it extends what this witness cosigned before
  let resubmit = false;
  if (state) {
    if (cp.size < state.size) return refuse(`rollback: the log's checkpoint has size ${cp.size}, smaller than the checkpoint of size ${state.size} this witness cosigned on ${state.cosignedAt}`);
    if (cp.size === state.size) {
      if (rootHash !== state.rootHash) return refuse(`fork: the log's checkpoint of size ${cp.size} has root ${rootHash}, but this witness cosigned root ${state.rootHash} for that size on ${state.cosignedAt}`);
      const mine = parseVerifierKey(opts.key.verifierKey);
      if (verifyNoteSignature(note, mine, ed25519Verify) === 'valid') return result({ outcome: 'unchanged', size: cp.size, rootHash });
      resubmit = true; // same tree, but the log does not show our cosignature: hand it in again
    } else {
      const inconsistent = `history rewritten: not consistent with the checkpoint of size ${state.size} this witness cosigned on ${state.cosignedAt} (root ${state.rootHash})`;
      if (state.size === 0) {
        if (state.rootHash !== EMPTY_ROOT.toString('hex')) return refuse(inconsistent);
      } else {
        const proofRaw = await call('GET', `/api/ledger/proof/consistency?from=${state.size}&to=${cp.size}`, 'fetching the consistency proof', MAX_JSON_BYTES);
        let proof: Buffer[];
        try {
          const j = JSON.parse(proofRaw.toString('utf8')) as { from?: unknown; to?: unknown; proof?: unknown };
          if (j.from !== state.size || j.to !== cp.size) throw new Error(`it is for sizes ${String(j.from)} → ${String(j.to)}`);
          if (!Array.isArray(j.proof) || !j.proof.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) throw new Error('"proof" is not a list of hex hashes');
          proof = (j.proof as string[]).map((h) => Buffer.from(h, 'hex'));
        } catch (e) {
          return refuse(`the log's consistency proof from size ${state.size} to ${cp.size} is malformed: ${(e as Error).message}`);
        }
        if (!verifyConsistency(state.size, cp.size, proof, Buffer.from(state.rootHash, 'hex'), cp.rootHash)) return refuse(inconsistent);
      }
    }
  }

  // 3. cosign, hand it in, and only then remember it
  const seconds = Math.floor(now() / 1000);
  const sig = cosignNoteText(note.text, opts.key.name, opts.key.publicKey, seconds, opts.key.sign);
  const line = formatNote({ text: note.text, signatures: [sig] }).slice(note.text.length + 1);
  await call('POST', '/api/ledger/cosignatures', 'handing in the cosignature', MAX_JSON_BYTES, { size: cp.size, cosignature: line });
  const logLines = note.signatures.filter((s) => s.name === logKey.name && s.keyId.equals(logKey.keyId));
  await writeWitnessState(opts.statePath, {
    origin,
    size: cp.size,
    rootHash,
    cosignedAt: new Date(seconds * 1000).toISOString(),
    checkpoint: formatNote({ text: note.text, signatures: logLines }),
  });
  if (resubmit) return result({ outcome: 'unchanged', size: cp.size, rootHash, resubmitted: true, cosignature: line });
  return result({ outcome: 'cosigned', size: cp.size, rootHash, cosignature: line });
}

// ---- rounds ------------------------------------------------------------------------------------

/**
 * Runs `witnessOnce` every `intervalMs` until `signal` aborts. Refusals go to `onResult` like any
 * result and the rounds go on (the state is unchanged, so the next round checks against the same
 * cosigned checkpoint); errors (network, …) go to `onError` and the next round tries again.
 */
export async function witnessLoop(
  opts: WitnessOptions,
  loop: { intervalMs: number; signal?: AbortSignal; onResult: (r: WitnessResult) => void; onError: (e: Error) => void },
): Promise<void> {
  const { signal } = loop;
  while (!signal?.aborted) {
    try {
      loop.onResult(await witnessOnce(opts));
    } catch (e) {
      loop.onError(e as Error);
    }
    if (signal?.aborted) break;
    await new Promise<void>((ok) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        ok();
      };
      const timer = setTimeout(done, loop.intervalMs);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
