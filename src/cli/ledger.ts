import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { cliActor, reportError, withContainer } from './context.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { consistencyProof, getCheckpoint, inclusionProof, ledgerKeys, makeCheckpoint, timestampCheckpoint } from '../modules/ledger/checkpoints.js';
import { readLedgerHead } from '../modules/ledger/ledger.repository.js';
import { verifyStore, type StoreReport } from '../modules/ledger/verify-store.js';
import { formatBundleReport, readPemFiles, verifyBundle } from '../modules/bundles/verify-bundle.js';
import { exportCaseToFile } from '../modules/bundles/case-export.js';
import type { Container } from '../app/container.js';

const ledgerDeps = (c: Container) => ({ db: c.db, vault: c.vault, ledger: c.config.ledger });
const whole = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${v}"`);
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

/**
 * `letapis ledger …` (status, checkpoint, key, proofs), `letapis verify` (a case bundle offline, or
 * the whole store with --vault) and `letapis export case`.
 */
export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the custody ledger: checkpoints, keys and proofs');

  ledger
    .command('status')
    .option('--json', 'print JSON')
    .description('tree size and root, the latest checkpoint and whether it is witnessed, the keys')
    .action(async (opts: { json?: boolean }) => {
      try {
        const out = await withContainer(async (c) => {
          const head = await readLedgerHead(c.db);
          const cp = await getCheckpoint(ledgerDeps(c));
          return { size: head.size, rootHash: head.rootHash.toString('hex'), keys: await ledgerKeys(ledgerDeps(c)), checkpoint: cp ?? null };
        });
        if (opts.json) return void console.log(JSON.stringify(out, null, 2));
        console.log(`tree:        ${out.size} events, root ${out.rootHash}`);
        console.log(`log key:     ${out.keys.log ?? '(none yet: made with the first checkpoint)'}`);
        if (out.checkpoint) {
          const cp = out.checkpoint;
          console.log(`checkpoint:  ${cp.size} events, signed ${cp.createdAt} (${cp.reason}); ${out.size - cp.size} event(s) since`);
          console.log(`witnesses:   ${cp.cosignatures.length} cosignature(s) of ${out.keys.witnesses.length} configured, quorum ${out.keys.witnessQuorum}: ${cp.witnessed ? 'WITNESSED' : 'not witnessed yet'}`);
          for (const t of cp.timestamps) console.log(`timestamp:   ${t.tsa} at ${t.genTime}`);
        } else console.log('checkpoint:  none yet');
      } catch (e) {
        reportError(e);
      }
    });

  ledger
    .command('checkpoint')
    .option('--json', 'print JSON')
    .description('sign a checkpoint of the ledger now (and timestamp it when LETAPIS_TSA_URLS is set); prints the signed note')
    .action(async (opts: { json?: boolean }) => {
      try {
        const cp = await withContainer(async (c) => {
          const made = await makeCheckpoint(ledgerDeps(c), 'manual');
          if (!made) throw new Error('the ledger is empty: nothing to checkpoint');
          const failures = await timestampCheckpoint(ledgerDeps(c), made.size);
          for (const f of failures) console.error(`letapis: ${f.tsa} did not timestamp the checkpoint: ${f.error}`);
          return (await getCheckpoint(ledgerDeps(c), made.size))!;
        });
        console.log(opts.json ? JSON.stringify(cp, null, 2) : cp.note.trimEnd());
      } catch (e) {
        reportError(e);
      }
    });

  ledger
    .command('key')
    .description('print the log’s verifier key, to give to recipients of bundles and to witnesses')
    .action(async () => {
      try {
        const keys = await withContainer(async (c) => {
          if (!(await ledgerKeys(ledgerDeps(c))).log) await makeCheckpoint(ledgerDeps(c), 'manual');
          return ledgerKeys(ledgerDeps(c));
        });
        if (!keys.log) throw new Error('the ledger has no key yet (it is made with the first checkpoint, once anything was recorded)');
        console.log(keys.log);
      } catch (e) {
        reportError(e);
      }
    });

  const proof = ledger.command('proof').description('inclusion and consistency proofs (RFC 9162), as JSON');
  proof
    .command('inclusion')
    .argument('<index>', 'leaf index (0-based)')
    .option('--size <n>', 'tree size (default: the latest checkpoint’s)')
    .action(async (index: string, opts: { size?: string }) => {
      try {
        const out = await withContainer(async (c) => {
          const size = opts.size !== undefined ? whole('--size', opts.size) : (await getCheckpoint(ledgerDeps(c)))?.size;
          if (size === undefined) throw new Error('there is no checkpoint yet: give --size');
          return inclusionProof(c.db, whole('index', index), size);
        });
        console.log(JSON.stringify(out, null, 2));
      } catch (e) {
        reportError(e);
      }
    });
  proof
    .command('consistency')
    .argument('<from>', 'smaller tree size')
    .argument('<to>', 'larger tree size')
    .action(async (from: string, to: string) => {
      try {
        console.log(JSON.stringify(await withContainer((c) => consistencyProof(c.db, whole('from', from), whole('to', to))), null, 2));
      } catch (e) {
        reportError(e);
      }
    });

  program
    .command('verify')
    .argument('[bundle]', 'a case bundle (.zip) to check offline')
    .option('--vault', 'check the whole store instead: every blob, the ledger, every checkpoint')
    .option('--trust <key>', 'a verifier key you trust (the log’s; witnesses’); repeat for several', collect, [])
    .option('--trust-bundle-keys', 'also trust the keys inside the bundle (shows self-consistency only)')
    .option('--tsa-cert <pem>', 'CA certificate of a time-stamping authority you trust; repeat for several', collect, [])
    .option('--skip-blobs', 'with --vault: check the ledger only')
    .option('--json', 'print the report as JSON')
    .description('verify a case bundle with no database, network or server (exit 0 only if everything holds), or the whole store with --vault')
    .action(async (bundle: string | undefined, opts: { vault?: boolean; trust: string[]; trustBundleKeys?: boolean; tsaCert: string[]; skipBlobs?: boolean; json?: boolean }) => {
      try {
        if (opts.vault === Boolean(bundle)) throw new Error('give either a bundle to verify or --vault (not both)');
        const bar =
          !opts.json && process.stderr.isTTY
            ? new cliProgress.SingleBar({ format: 'verify [{bar}] {percentage}% | {phase}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
            : null;
        if (bundle) {
          bar?.start(1, 0, { phase: 'hashing files' });
          const report = await verifyBundle(bundle, {
            trust: opts.trust,
            trustBundleKeys: opts.trustBundleKeys,
            tsaCertsPem: await readPemFiles(opts.tsaCert),
            onProgress: (d, t) => {
              bar?.setTotal(Math.max(1, t));
              bar?.update(d);
            },
          });
          bar?.stop();
          console.log(opts.json ? JSON.stringify(report, null, 2) : formatBundleReport(report).trimEnd());
          if (!report.ok) process.exitCode = 1;
          return;
        }
        const report = await withContainer(async (c) => {
          if (!opts.skipBlobs && c.vault.isSealed()) throw new Error('the vault is sealed in this process, so blobs cannot be decrypted: unseal it, or pass --skip-blobs to check the ledger only');
          bar?.start(1, 0, { phase: 'ledger' });
          const r = await verifyStore(
            { db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger },
            {
              skipBlobs: opts.skipBlobs,
              onProgress: (phase, d, t) => {
                bar?.setTotal(Math.max(1, t));
                bar?.update(d, { phase });
              },
            },
          );
          bar?.stop();
          await appendAuditEvent(c.db, {
            action: 'ledger.verify',
            actorId: null,
            details: { ok: r.ok, leaves: r.leaves, checkpoints: r.checkpoints, items: r.items, problems: r.problems.length },
          });
          return r;
        });
        console.log(opts.json ? JSON.stringify(report, null, 2) : formatStoreReport(report));
        if (!report.ok) process.exitCode = 1;
      } catch (e) {
        reportError(e);
      }
    });

  const exp = program.command('export').description('export material out of Letapis');
  exp
    .command('case')
    .argument('<id>', 'the case’s id')
    .requiredOption('--out <file.zip>', 'where to write the bundle')
    .option('--reason <text>', 'why it is exported (kept in the custody record)')
    .option('--recipient <name>', 'who receives it (consents naming another recipient do not count)')
    .option('--derivatives <kinds>', 'derivative kinds to include too, comma-separated (e.g. ocr-text,preview)')
    .option('--checkpoint <size>', 'prove against this existing checkpoint (re-creates an earlier bundle byte for byte)')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print the result as JSON')
    .description('write a case bundle: evidence, manifest with custody events and proofs, signed checkpoint, report (HTML, PDF), VERIFY.txt')
    .action(async (id: string, opts: { out: string; reason?: string; recipient?: string; derivatives?: string; checkpoint?: string; as?: string; json?: boolean }) => {
      try {
        const bar =
          !opts.json && process.stderr.isTTY
            ? new cliProgress.SingleBar({ format: 'export [{bar}] {percentage}% | {file}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
            : null;
        const res = await withContainer(async (c) => {
          const actor = await cliActor(c, opts.as);
          bar?.start(1, 0, { file: '' });
          return exportCaseToFile({ db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger, audit: appendAuditEvent }, actor, id, opts.out, {
            reason: opts.reason,
            recipient: opts.recipient,
            derivatives: opts.derivatives?.split(',').map((s) => s.trim()).filter(Boolean),
            checkpointSize: opts.checkpoint !== undefined ? whole('--checkpoint', opts.checkpoint) : undefined,
            onProgress: (d, t, file) => {
              bar?.setTotal(Math.max(1, t));
              bar?.update(d, { file: file.length > 40 ? `…${file.slice(-39)}` : file });
            },
          });
        });
        bar?.stop();
        if (opts.json) console.log(JSON.stringify({ ...res, out: opts.out }, null, 2));
        else
          console.log(
            [
              `wrote ${opts.out}: ${res.bytes} bytes, SHA-256 ${res.sha256}`,
              `  ${res.records} records, ${res.items} items (${res.files} files), ${res.events} custody events proven against checkpoint ${res.checkpointSize}`,
              `  ${res.withheld} withheld (see manifest.json "withheld")`,
              `  check it: letapis verify ${opts.out} --trust "$(letapis ledger key)"`,
            ].join('\n'),
          );
      } catch (e) {
        reportError(e);
      }
    });
}

function formatStoreReport(r: StoreReport): string {
  const lines = [
    `ledger:      ${r.leaves} events, ${r.nodes} tree nodes rebuilt and compared, ${r.checkpoints} checkpoints (${r.cosignatures} cosignatures)`,
    `evidence:    ${r.items} blobs decrypted and hashed (${r.bytes} bytes)`,
    '',
  ];
  if (r.ok) lines.push('RESULT: VERIFIED — every blob, leaf, node and checkpoint holds.');
  else {
    lines.push(`RESULT: FAILED — ${r.problems.length} problem(s):`);
    for (const p of r.problems.slice(0, 200)) lines.push(`  ✗ ${p.where}: ${p.message}`);
  }
  return lines.join('\n');
}
