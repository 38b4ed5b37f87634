/**
 * The `ledger` section of the benchmark (see bench/run.ts and docs/BENCHMARKS.md): the custody
 * ledger's write rate, its inclusion proofs at a million leaves, and the offline check of a case
 * bundle against `openssl dgst -sha256`.
 *
 *   appends  (both engines, one fresh database)
 *            single: N `appendAuditEvent` calls one after the other, each its own transaction
 *            (an audit row + a leaf), as every action writes them;
 *            batched: N events through `appendLedgerEvents`, 1,000 per transaction;
 *            concurrent (PostgreSQL only): N `appendAuditEvent` calls from 8 appenders at once,
 *            which the head row lock serialises.
 *   proofs   (both engines, a fresh database) a ledger of 1,000,000 leaves built with batched
 *            appends (on PostgreSQL, stopped at a batch boundary once a time budget is spent),
 *            a signed checkpoint, then `inclusionProof(db, index, size)` for 1,000 random
 *            indexes (p50/p95/max), and `verifyInclusion` of each proof against the checkpoint's
 *            root (µs per proof): every proof must verify.
 *   bundle   (SQLite only, a fresh database) a case with one act, 16 random files of 64 MiB
 *            ingested and linked to it, custody events added up to 10,000, the case exported
 *            with `exportCaseToFile`, then `verifyBundle` (best of 3) against
 *            `openssl dgst -sha256` over the same evidence files, extracted from the ZIP with
 *            `unzip` (best of 3).
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Container } from '../src/app/container.js';
import { appendAuditEvent } from '../src/modules/audit/audit.repository.js';
import { appendLedgerEvents, leafAt, readLedgerHead, type LedgerEventInput } from '../src/modules/ledger/ledger.repository.js';
import { inclusionProof, makeCheckpoint } from '../src/modules/ledger/checkpoints.js';
import { readLedgerPublicKey } from '../src/modules/ledger/signing-key.js';
import { canonicalJson, leafHash, parseCheckpoint, parseNote, parseVerifierKey, verifyInclusion, verifyNoteSignature } from '../src/domain/ledger/index.js';
import { ed25519Verify } from '../src/adapters/keys/ed25519.js';
import { exportCaseToFile } from '../src/modules/bundles/case-export.js';
import { verifyBundle } from '../src/modules/bundles/verify-bundle.js';
import { ingestEvidence, linkEvidence, type EvidenceDeps } from '../src/modules/evidence/evidence.usecases.js';
import { createRecord } from '../src/modules/records/records.usecases.js';
import { fileChunks } from '../src/adapters/blobs/ingest/file-chunks.js';
import { writeRandomFile } from '../src/adapters/blobs/ingest/ingest.bench-support.js';
import { VOCABULARY_SEED } from '../src/domain/vocabularies/seed.js';
import { makeActor } from '../src/test-support/actors.js';

type Log = (msg: string) => void;

export interface LedgerOptions {
  /** appends: single (and concurrent) appendAuditEvent calls, and events appended in batches. */
  appends: number;
  /** proofs: leaves of the ledger the proofs are taken in. */
  leaves: number;
  /** proofs: on PostgreSQL, stop building (at a batch boundary) after this many seconds. */
  pgBuildSeconds: number;
  /** bundle: total bytes of evidence, split into `bundleFiles` files. */
  bundleBytes: number;
  bundleFiles: number;
  /** bundle: custody events of the items in the bundle. */
  bundleEvents: number;
  seed: number;
}

/** Events per appendLedgerEvents transaction. */
export const BATCH = 1000;
/** Concurrent appenders on PostgreSQL. */
export const CONCURRENT_APPENDERS = 8;
/** Random indexes proven, and untimed warm-up proofs before them. */
export const PROOFS = 1000;
const PROOF_WARMUP = 20;
/** Distinct targets the synthetic events are spread over (each event's `prev` lookup is one per distinct target in a batch). */
export const TARGET_POOL = 10_000;

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const load = () => loadavg().map((x) => round(x, 2));
const MiB = 1024 * 1024;

/** mulberry32, as in run.ts: the same data for the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}
type Rng = ReturnType<typeof rng>;

function quantiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!; // nearest rank
  return { runs: s.length, p50Ms: round(q(0.5)), p95Ms: round(q(0.95)), p99Ms: round(q(0.99)), maxMs: round(s[s.length - 1]!), meanMs: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

const rate = (n: number, secs: number) => ({ n, seconds: round(secs), eventsPerSecond: round(n / secs, 1) });

/** Progress every 10 s. */
function progress(log: Log, label: string, total: number) {
  const t0 = performance.now();
  let last = t0;
  return (done: number) => {
    const now = performance.now();
    if (now - last < 10_000 && done !== total) return;
    last = now;
    const secs = (now - t0) / 1000;
    const r = done / secs;
    log(`${label}: ${done}/${total} (${r.toFixed(0)}/s, ${secs.toFixed(0)} s, ~${r > 0 ? ((total - done) / r).toFixed(0) : '?'} s left)`);
  };
}

const ACTIONS = ['evidence.view', 'evidence.download', 'record.update', 'record.read', 'evidence.link'] as const;

/** An audit event's ledger shape, with a target from the pool: what appendAuditEvent would append. */
function syntheticEvent(r: Rng, actorId: string, targets: string[], n: number): LedgerEventInput {
  const action = ACTIONS[Math.floor(r.next() * ACTIONS.length)]!;
  return {
    id: uuidv7(),
    at: new Date().toISOString(),
    action,
    actor: actorId,
    target: { type: action.startsWith('evidence.') ? 'evidence' : 'acts', id: targets[Math.floor(r.next() * targets.length)]! },
    reason: null,
    details: { bench: n, via: 'api' },
  };
}

async function count(db: Kysely<any>, table: string): Promise<number> {
  return Number(((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()) as { n: number | string }).n);
}

// ---------------------------------------------------------------------------------------------
// appends

export async function benchLedgerAppends(c: Container, opts: LedgerOptions, log: Log) {
  const engine = c.dialect;
  const r = rng(opts.seed + 7);
  const actor = await makeActor(c.db, 'documenter', `bench-ledger-${Date.now().toString(36)}`);
  const targets = Array.from({ length: TARGET_POOL }, () => uuidv7());
  const n = opts.appends;
  const auditEvent = (i: number) => ({
    action: ACTIONS[i % ACTIONS.length]!,
    actorId: actor.userId,
    targetType: 'evidence',
    targetId: targets[Math.floor(r.next() * targets.length)]!,
    details: { bench: i, via: 'api' },
  });

  // single: one transaction per event, one after the other
  log(`${engine} ledger: ${n} appendAuditEvent, one after the other`);
  let load0 = load();
  let tick = progress(log, `${engine} ledger single`, n);
  let t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await appendAuditEvent(c.db, auditEvent(i));
    tick(i + 1);
  }
  const single = { ...rate(n, (performance.now() - t0) / 1000), load: { atStart: load0, atEnd: load() } };
  log(`${engine} ledger single: ${single.eventsPerSecond}/s`);

  // batched: 1,000 events per appendLedgerEvents transaction
  log(`${engine} ledger: ${n} events through appendLedgerEvents, ${BATCH} per transaction`);
  load0 = load();
  tick = progress(log, `${engine} ledger batched`, n);
  let batchTime = 0;
  const batchMs: number[] = [];
  for (let done = 0; done < n; ) {
    const k = Math.min(BATCH, n - done);
    const events = Array.from({ length: k }, (_, j) => syntheticEvent(r, actor.userId, targets, done + j));
    const t = performance.now();
    await appendLedgerEvents(c.db, events);
    const ms = performance.now() - t;
    batchTime += ms;
    batchMs.push(ms);
    done += k;
    tick(done);
  }
  const batched = {
    ...rate(n, batchTime / 1000),
    batchSize: BATCH,
    perBatch: quantiles(batchMs),
    load: { atStart: load0, atEnd: load() },
    note: 'time inside appendLedgerEvents only (making the event objects is not counted)',
  };
  log(`${engine} ledger batched: ${batched.eventsPerSecond}/s (batch p50 ${batched.perBatch.p50Ms} ms)`);

  // concurrent (PostgreSQL): 8 appenders, each one event per transaction
  let concurrent: Record<string, unknown> | undefined;
  if (engine === 'postgres') {
    log(`${engine} ledger: ${n} appendAuditEvent from ${CONCURRENT_APPENDERS} concurrent appenders`);
    load0 = load();
    tick = progress(log, `${engine} ledger concurrent`, n);
    let next = 0;
    let done = 0;
    t0 = performance.now();
    const worker = async () => {
      while (next < n) {
        const i = next++;
        await appendAuditEvent(c.db, auditEvent(i));
        tick(++done);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_APPENDERS }, worker));
    concurrent = {
      ...rate(n, (performance.now() - t0) / 1000),
      appenders: CONCURRENT_APPENDERS,
      speedupOverSingle: 0,
      load: { atStart: load0, atEnd: load() },
      note: 'each append locks the single ledger_head row until it commits, so the appenders queue: this is the rate of the serialised log, with commits overlapping only outside the lock',
    };
    concurrent.speedupOverSingle = round((concurrent.eventsPerSecond as number) / single.eventsPerSecond, 2);
    log(`${engine} ledger concurrent: ${concurrent.eventsPerSecond}/s (${concurrent.speedupOverSingle}× single)`);
  }

  const head = await readLedgerHead(c.db);
  return {
    database: c.describe.database,
    targetPool: TARGET_POOL,
    event: 'action evidence.view | evidence.download | record.update | record.read | evidence.link, an actor, a target drawn from the pool, details { bench, via }',
    single: {
      description: 'appendAuditEvent(db, event) one after the other: per event one transaction with the audit_events row, the head row lock, the prev lookup of its target, the leaf, its completed nodes and the new head',
      ...single,
      meanMs: round((single.seconds * 1000) / n),
    },
    batched: { description: `appendLedgerEvents(db, events) with ${BATCH} events per transaction (no audit rows), ids uuidv7`, ...batched },
    ...(concurrent ? { concurrent } : {}),
    // the setup's own audit events (the actor's account) are leaves too
    ledgerSize: head.size,
    rows: { auditEvents: await count(c.db, 'audit_events'), ledgerLeaves: await count(c.db, 'ledger_leaves'), ledgerNodes: await count(c.db, 'ledger_nodes') },
  };
}

// ---------------------------------------------------------------------------------------------
// proofs

export interface Maintained {
  start(): void;
  stop(): Promise<void>;
  report(): Record<string, unknown>;
}

export async function benchLedgerProofs(c: Container, opts: LedgerOptions, log: Log, sizeOf: () => Promise<number | null>, maintenance: Maintained) {
  const engine = c.dialect;
  const r = rng(opts.seed + 11);
  const actor = await makeActor(c.db, 'documenter', `bench-proofs-${Date.now().toString(36)}`);
  const targets = Array.from({ length: TARGET_POOL }, () => uuidv7());
  const startSize = (await readLedgerHead(c.db)).size;
  const goal = opts.leaves;
  const budget = engine === 'postgres' ? opts.pgBuildSeconds : Infinity;

  // --- build ---
  log(`${engine} ledger proofs: building a ${goal}-leaf ledger, ${BATCH} per transaction${Number.isFinite(budget) ? ` (stopping after ${budget} s)` : ''}`);
  maintenance.start();
  const load0 = load();
  const tick = progress(log, `${engine} ledger build`, goal);
  const t0 = performance.now();
  let size = startSize;
  let stoppedEarly = false;
  const rateAt: Array<{ size: number; eventsPerSecond: number }> = [];
  let windowStart = performance.now();
  let windowSize = size;
  while (size < goal) {
    if ((performance.now() - t0) / 1000 > budget) {
      stoppedEarly = true;
      break;
    }
    const k = Math.min(BATCH, goal - size);
    const events = Array.from({ length: k }, (_, j) => syntheticEvent(r, actor.userId, targets, size + j));
    const appended = await appendLedgerEvents(c.db, events);
    size = appended[appended.length - 1]!.index + 1;
    tick(size);
    if (size - windowSize >= 100_000 || size >= goal) {
      const now = performance.now();
      rateAt.push({ size, eventsPerSecond: round((size - windowSize) / ((now - windowStart) / 1000), 1) });
      windowStart = now;
      windowSize = size;
    }
  }
  const buildSeconds = (performance.now() - t0) / 1000;
  await maintenance.stop();
  const build = {
    leaves: size,
    goal,
    stoppedEarly,
    ...(stoppedEarly ? { stoppedBecause: `the build had run ${budget} s (BENCH_LEDGER_PG_BUILD_SECONDS); proofs are taken at the size reached` } : {}),
    appended: size - startSize,
    seconds: round(buildSeconds, 1),
    eventsPerSecond: round((size - startSize) / buildSeconds, 1),
    eventsPerSecondPer100k: rateAt,
    load: { atStart: load0, atEnd: load() },
  };
  log(`${engine} ledger build: ${size} leaves in ${build.seconds} s (${build.eventsPerSecond}/s)`);

  // --- checkpoint ---
  const tc = performance.now();
  const cp = await makeCheckpoint({ db: c.db, vault: c.vault, ledger: c.config.ledger }, 'manual');
  const checkpointMs = performance.now() - tc;
  if (!cp) throw new Error('makeCheckpoint returned nothing for a non-empty ledger');
  const pub = await readLedgerPublicKey(c.db);
  if (!pub) throw new Error('no ledger public key after makeCheckpoint');
  const note = parseNote(cp.note);
  const parsed = parseCheckpoint(note.text);
  const signatureValid = verifyNoteSignature(note, parseVerifierKey(pub.verifierKey), ed25519Verify) === 'valid';
  const root = parsed.rootHash;
  if (parsed.size !== size) throw new Error(`the checkpoint has size ${parsed.size}, the ledger ${size}`);

  // --- inclusion proofs ---
  log(`${engine} ledger proofs: ${PROOF_WARMUP} warm-up + ${PROOFS} inclusionProof at size ${size}`);
  for (let i = 0; i < PROOF_WARMUP; i++) await inclusionProof(c.db, r.int(0, size - 1), size);
  const indexes = Array.from({ length: PROOFS }, () => r.int(0, size - 1));
  const times: number[] = [];
  const proofs: Awaited<ReturnType<typeof inclusionProof>>[] = [];
  const loadP = load();
  for (const index of indexes) {
    const t = performance.now();
    proofs.push(await inclusionProof(c.db, index, size));
    times.push(performance.now() - t);
  }
  const proofStats = quantiles(times);
  log(`${engine} ledger proofs: p50 ${proofStats.p50Ms} ms, p95 ${proofStats.p95Ms} ms, max ${proofStats.maxMs} ms`);

  // --- verifyInclusion against the checkpoint's root ---
  const inputs = proofs.map((p) => ({ index: p.index, leaf: Buffer.from(p.leafHash, 'hex'), path: p.proof.map((h) => Buffer.from(h, 'hex')) }));
  let verified = 0;
  for (const p of inputs) if (verifyInclusion(p.index, size, p.leaf, p.path, root)) verified++;
  const passes = 20;
  const tv = performance.now();
  let ok = 0;
  for (let k = 0; k < passes; k++) for (const p of inputs) if (verifyInclusion(p.index, size, p.leaf, p.path, root)) ok++;
  const verifyMicros = ((performance.now() - tv) * 1000) / (passes * inputs.length);
  // the leaf hashes the proofs start from are those of the stored bodies
  let leafHashesMatch = 0;
  for (const p of proofs) {
    const leaf = await leafAt(c.db, p.index);
    if (leaf && leafHash(Buffer.from(canonicalJson(JSON.parse(leaf.body)), 'utf8')).toString('hex') === p.leafHash) leafHashesMatch++;
  }
  const proofLengths = proofs.map((p) => p.proof.length);
  log(`${engine} ledger proofs: ${verified}/${PROOFS} verify against the checkpoint root, ${round(verifyMicros, 2)} µs each; ${leafHashesMatch}/${PROOFS} leaf hashes match their bodies`);
  if (verified !== PROOFS || ok !== passes * PROOFS) throw new Error(`only ${verified} of ${PROOFS} inclusion proofs verify against the checkpoint root`);

  return {
    database: c.describe.database,
    targetPool: TARGET_POOL,
    build,
    checkpoint: { size: cp.size, rootHash: cp.rootHash, signMs: round(checkpointMs), signatureValid },
    inclusionProof: {
      description: `inclusionProof(db, index, ${size}) for ${PROOFS} random indexes after ${PROOF_WARMUP} untimed warm-ups: reads the head, the leaf, then the stored node hashes level by level`,
      size,
      ...proofStats,
      proofHashes: { min: Math.min(...proofLengths), max: Math.max(...proofLengths) },
      load: { atStart: loadP, atEnd: load() },
    },
    verifyInclusion: {
      description: `verifyInclusion(index, size, leafHash, proof, checkpoint root) in process, ${passes} passes over the ${PROOFS} proofs`,
      verified,
      of: PROOFS,
      microsecondsPerProof: round(verifyMicros, 2),
      leafHashesMatchBodies: leafHashesMatch,
    },
    rows: { ledgerLeaves: await count(c.db, 'ledger_leaves'), ledgerNodes: await count(c.db, 'ledger_nodes') },
    databaseSizeBytes: await sizeOf(),
    maintenance: maintenance.report(),
  };
}

// ---------------------------------------------------------------------------------------------
// bundle

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

function opensslVersion(): string {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function benchLedgerBundle(c: Container, opts: LedgerOptions, log: Log) {
  const engine = c.dialect;
  // under the section's data directory (in os.tmpdir()), which run.ts deletes, Ctrl-C included
  const dir = join(c.config.dataDir, 'bench-bundle');
  mkdirSync(dir, { recursive: true });
  try {
    const r = rng(opts.seed + 13);
    const actor = await makeActor(c.db, 'coordinator', `bench-bundle-${Date.now().toString(36)}`);
    const rdeps = { db: c.db, vault: c.vault, audit: appendAuditEvent };
    const evDeps: EvidenceDeps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: Math.max(c.config.maxUploadBytes, opts.bundleBytes) };
    const actType = VOCABULARY_SEED.find((v) => v.name === 'act-types')!.terms[0]!.code;

    // a minimal case: an event, a victim, an act of the event, the case naming both
    const event = await createRecord(rdeps, actor, 'events', { title: 'Bench event', status: 'alleged', start: { value: '2020-08-10', precision: 'day' } });
    const victim = await createRecord(rdeps, actor, 'persons', { pseudonym: 'Bench victim' });
    const act = await createRecord(rdeps, actor, 'acts', { event: event.id, victim: victim.id, type: actType, start: { value: '2020-08-10', precision: 'day' } });
    const theCase = await createRecord(rdeps, actor, 'cases', { title: 'Bench case', status: 'in-preparation', events: [event.id], acts: [act.id] });

    // the evidence: random files, ingested and linked to the act, each input deleted once ingested
    const files = opts.bundleFiles;
    const per = Math.floor(opts.bundleBytes / files);
    const sizes = Array.from({ length: files }, (_, i) => (i === files - 1 ? opts.bundleBytes - per * (files - 1) : per));
    log(`${engine} ledger bundle: ${files} random files of ${round(per / MiB, 1)} MiB through ingestEvidence, linked to an act of the case`);
    const itemIds: string[] = [];
    const tIngest = performance.now();
    for (let i = 0; i < files; i++) {
      const p = join(dir, `input-${i}.bin`);
      await writeRandomFile(p, sizes[i]!);
      const out = await ingestEvidence(evDeps, actor, fileChunks(p), { method: 'cli-ingest', filename: `bench-${i}.bin` });
      rmSync(p);
      await linkEvidence(evDeps, actor, out.item.id, { targetType: 'acts', targetId: act.id });
      itemIds.push(out.item.id);
    }
    const ingestSeconds = (performance.now() - tIngest) / 1000;

    // custody events up to the goal: evidence.view on the items, in batches
    const have = Number(
      ((await c.db.selectFrom('ledger_leaves').select((eb) => eb.fn.countAll().as('n')).where('target_type', '=', 'evidence').where('target_id', 'in', itemIds).executeTakeFirst()) as { n: number | string }).n,
    );
    const extra = Math.max(0, opts.bundleEvents - have);
    log(`${engine} ledger bundle: ${have} custody events from ingest and links, ${extra} evidence.view events added`);
    for (let done = 0; done < extra; ) {
      const k = Math.min(BATCH, extra - done);
      await appendLedgerEvents(
        c.db,
        Array.from({ length: k }, (_, j) => ({
          id: uuidv7(),
          at: new Date().toISOString(),
          action: 'evidence.view',
          actor: actor.userId,
          target: { type: 'evidence', id: itemIds[(done + j) % itemIds.length]! },
          reason: null,
          details: { bench: done + j, offset: r.int(0, 3600) },
        })),
      );
      done += k;
    }

    // export
    const bundle = join(dir, 'case.zip');
    log(`${engine} ledger bundle: exportCaseToFile`);
    const te = performance.now();
    const exported = await exportCaseToFile(
      { db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger, audit: appendAuditEvent },
      actor,
      theCase.id,
      bundle,
      { reason: 'benchmark' },
    );
    const exportSeconds = (performance.now() - te) / 1000;
    const bundleBytes = statSync(bundle).size;
    log(`${engine} ledger bundle: ${bundleBytes} bytes, ${exported.items} items, ${exported.events} events, in ${round(exportSeconds, 1)} s`);
    const pub = await readLedgerPublicKey(c.db);
    if (!pub) throw new Error('no ledger public key after the export');

    // verify, best of 3
    const verifyRuns: number[] = [];
    let report: Awaited<ReturnType<typeof verifyBundle>> | undefined;
    const loadV = load();
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      report = await verifyBundle(bundle, { trust: [pub.verifierKey] });
      verifyRuns.push((performance.now() - t) / 1000);
      log(`${engine} ledger bundle: verifyBundle run ${i + 1}: ${round(verifyRuns[i]!)} s, ok ${report.ok}`);
    }
    const loadVEnd = load();

    // openssl over the same file bytes, extracted from the ZIP once
    const extracted = join(dir, 'extracted');
    mkdirSync(extracted);
    execFileSync('unzip', ['-q', bundle, 'evidence/*', '-d', extracted]);
    const paths = filesUnder(extracted);
    const extractedBytes = paths.reduce((n, p) => n + statSync(p).size, 0);
    const opensslRuns: number[] = [];
    let digests = '';
    const loadO = load();
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      digests = execFileSync('openssl', ['dgst', '-sha256', '-r', ...paths], { encoding: 'utf8', maxBuffer: 16 * MiB });
      opensslRuns.push((performance.now() - t) / 1000);
    }
    const loadOEnd = load();
    // the bytes openssl hashed are the files the manifest names
    const opensslDigests = digests.trim().split('\n').map((l) => l.split(' ')[0]!);
    const itemShas = new Set((await c.db.selectFrom('evidence_items').select('sha256').where('id', 'in', itemIds).execute()).map((x) => x.sha256 as string));
    const matching = opensslDigests.filter((d) => itemShas.has(d)).length;
    const m = report!;
    const expectedFiles = m.counts.files;
    const verifySeconds = Math.min(...verifyRuns);
    const opensslSeconds = Math.min(...opensslRuns);
    const ratio = verifySeconds / opensslSeconds;
    log(`${engine} ledger bundle: verify ${round(verifySeconds)} s, openssl ${round(opensslSeconds)} s, ratio ${round(ratio)}`);

    return {
      database: c.describe.database,
      setup: {
        files,
        fileBytes: sizes,
        content: 'random bytes (crypto.randomFillSync), each file written, fsynced, ingested with ingestEvidence(fileChunks) and deleted',
        ingestSeconds: round(ingestSeconds, 1),
        custodyEventsFromIngestAndLinks: have,
        evidenceViewEventsAdded: extra,
      },
      export: {
        description: 'exportCaseToFile: gather, sign a checkpoint, proofs for every event, report.html + report.pdf + VERIFY.txt, the ZIP with the evidence decrypted and re-hashed on the way (stored, not deflated)',
        seconds: round(exportSeconds, 2),
        bundleBytes,
        bundleSha256: exported.sha256,
        checkpointSize: exported.checkpointSize,
        records: exported.records,
        items: exported.items,
        files: exported.files,
        events: exported.events,
        withheld: exported.withheld,
      },
      verify: {
        description: 'verifyBundle(bundle, { trust: [the log key] }): every ZIP entry streamed and hashed, the manifest and checkpoint signatures, every event hashed and its inclusion proof checked, the chains',
        runs: verifyRuns.map((s) => round(s)),
        seconds: round(verifySeconds),
        ok: m.ok,
        problems: m.problems.slice(0, 20),
        counts: m.counts,
        load: { atStart: loadV, atEnd: loadVEnd },
      },
      openssl: {
        version: opensslVersion(),
        command: `openssl dgst -sha256 -r <the ${paths.length} evidence files extracted from the bundle with unzip>`,
        files: paths.length,
        filesListedInManifest: expectedFiles,
        digestsMatchingItems: matching,
        bytes: extractedBytes,
        runs: opensslRuns.map((s) => round(s)),
        seconds: round(opensslSeconds),
        load: { atStart: loadO, atEnd: loadOEnd },
        paths: paths.slice(0, 2).map((p) => relative(dir, p)),
      },
      ratio: round(ratio),
      target: 1.5,
      meetsTarget: ratio <= 1.5,
      note: 'verify and openssl each best of 3; the bundle and the extracted files are in the page cache (just written)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

