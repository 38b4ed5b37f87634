import type { Command } from 'commander';
import { resolve } from 'node:path';
import { reportError } from './context.js';
import { parseVerifierKey } from '../domain/ledger/index.js';
import {
  createWitnessKeyFile,
  defaultWitnessKeyPath,
  defaultWitnessStatePath,
  loadWitnessKey,
  normaliseLogUrl,
  witnessLoop,
  witnessOnce,
  type WitnessOptions,
  type WitnessResult,
} from '../modules/ledger/witness.js';

/** Exit code of `letapis witness --once` when it refused to cosign (1 is any other failure). */
export const WITNESS_REFUSED_EXIT = 2;

/** LETAPIS_DATA_DIR as `letapis serve` resolves it; the witness needs no database, so no full config. */
const dataDir = () => resolve(process.env.LETAPIS_DATA_DIR?.trim() || './data');

interface WitnessOpts {
  log?: string;
  logKey?: string;
  token?: string;
  key?: string;
  state?: string;
  once?: boolean;
  interval: string;
  json?: boolean;
}

function describe(r: WitnessResult): string {
  switch (r.outcome) {
    case 'cosigned':
      return r.firstUse
        ? `started witnessing ${r.origin} at size ${r.size} (trust on first use of its current checkpoint, root ${r.rootHash}); cosigned it`
        : `cosigned ${r.origin} at size ${r.size} (root ${r.rootHash}): consistent with size ${r.previousSize} cosigned before`;
    case 'unchanged':
      return r.resubmitted
        ? `nothing new: ${r.origin} is still at size ${r.size}; its checkpoint lacked this witness's cosignature, handed it in again`
        : `nothing new: ${r.origin} is still at size ${r.size}, already cosigned`;
    case 'refused':
      return `REFUSED to cosign ${r.origin}${r.rootHash ? ` at size ${r.size}` : ''}: ${r.reason}`;
  }
}

/**
 * `letapis witness` (be another organisation's witness of a Letapis log: check each new
 * checkpoint and cosign it) and `letapis witness keygen|key`.
 */
export function registerWitnessCommands(program: Command): void {
  const witness = program
    .command('witness')
    .description(
      "witness another organisation's Letapis log (C2SP tlog-cosignature/v1): each round fetch its latest checkpoint, check the log's signature and that it extends the one cosigned before, cosign it and hand the cosignature in; exit 2 (with --once) when it refuses",
    )
    .option('--log <url>', 'the log’s base URL, e.g. https://letapis.example.org')
    .option('--log-key <vkey>', 'the log’s verifier key (letapis ledger key on the log), agreed out of band; its name is the checkpoint origin')
    .option('--token <token>', 'API token of the witness’s account on the log (scope write); better in the environment as LETAPIS_WITNESS_TOKEN, out of the process list')
    .option('--key <file>', 'the witness key file (default <LETAPIS_DATA_DIR>/keys/witness.key)')
    .option('--state <file>', 'the state file of this log (default <LETAPIS_DATA_DIR>/witness/<sha256(origin) first 16 hex>.json)')
    .option('--once', 'one round, then exit: 0 cosigned or nothing new, 2 refused, 1 any other error')
    .option('--interval <seconds>', 'seconds between rounds', '60')
    .option('--json', 'print each result as one line of JSON')
    .action(async (opts: WitnessOpts) => {
      try {
        if (!opts.log) throw new Error('give the log’s URL: letapis witness --log https://letapis.example.org --log-key "$LOG_KEY" (or letapis witness keygen --name NAME to make a key first)');
        if (!opts.logKey) throw new Error('give the log’s verifier key with --log-key (its operator prints it with: letapis ledger key)');
        const token = opts.token ?? process.env.LETAPIS_WITNESS_TOKEN?.trim();
        if (!token) throw new Error('give an API token for the log in LETAPIS_WITNESS_TOKEN (or --token)');
        const interval = Number(opts.interval);
        if (!Number.isFinite(interval) || interval < 1 || interval > 7 * 24 * 3600) throw new Error(`--interval must be a number of seconds from 1 to 604800, not "${opts.interval}"`);
        const logUrl = normaliseLogUrl(opts.log);
        let origin: string;
        try {
          origin = parseVerifierKey(opts.logKey.trim()).name;
        } catch (e) {
          throw new Error(`--log-key is not a verifier key: ${(e as Error).message}`);
        }
        const host = new URL(logUrl).hostname;
        if (logUrl.startsWith('http:') && !['127.0.0.1', 'localhost', '[::1]'].includes(host))
          console.error(`letapis: warning: ${logUrl} is plain http: the API token crosses the network unencrypted (the checks do not depend on it)`);
        const keyPath = resolve(opts.key ?? defaultWitnessKeyPath(dataDir()));
        const key = await loadWitnessKey(keyPath);
        if (key.looseMode) console.error(`letapis: warning: ${keyPath} may be read by other users: chmod 600 ${keyPath}`);
        const witnessOpts: WitnessOptions = {
          logUrl,
          logKey: opts.logKey,
          token,
          key,
          statePath: resolve(opts.state ?? defaultWitnessStatePath(dataDir(), origin)),
        };

        if (opts.once) {
          const r = await witnessOnce(witnessOpts);
          if (opts.json) console.log(JSON.stringify(r));
          else if (r.outcome === 'refused') console.error(`letapis: ${describe(r)}`);
          else console.log(describe(r));
          if (r.outcome === 'refused') process.exitCode = WITNESS_REFUSED_EXIT;
          return;
        }

        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const at = () => new Date().toISOString();
        if (!opts.json) console.log(`${at()} witnessing ${origin} at ${logUrl} as ${key.name}, every ${interval} s (state ${witnessOpts.statePath})`);
        try {
          await witnessLoop(witnessOpts, {
            intervalMs: interval * 1000,
            signal: stop.signal,
            onResult: (r) => {
              if (opts.json) console.log(JSON.stringify({ at: at(), ...r }));
              else if (r.outcome === 'refused') console.error(`${at()} ${describe(r)}`);
              else console.log(`${at()} ${describe(r)}`);
            },
            onError: (e) => {
              if (opts.json) console.log(JSON.stringify({ at: at(), outcome: 'error', error: e.message }));
              else console.error(`${at()} error (will try again next round): ${e.message}`);
            },
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      } catch (e) {
        reportError(e);
      }
    });

  witness
    .command('keygen')
    .requiredOption('--name <name>', 'the witness’s name, e.g. witness.example.org (no spaces or +)')
    .option('--out <file>', 'where to write the key (default <LETAPIS_DATA_DIR>/keys/witness.key); never overwritten')
    .description('make an Ed25519 witness key (file mode 0600) and print its cosignature verifier key, for the log operator’s LETAPIS_WITNESSES')
    .action(async (opts: { name: string; out?: string }, cmd: Command) => {
      try {
        const json = Boolean(cmd.optsWithGlobals().json);
        const made = await createWitnessKeyFile(resolve(opts.out ?? defaultWitnessKeyPath(dataDir())), opts.name);
        if (json) return void console.log(JSON.stringify({ name: made.name, keyFile: made.path, verifierKey: made.verifierKey }));
        console.error(`wrote the witness key "${made.name}" to ${made.path} (mode 0600): keep it secret and back it up`);
        console.error('give this cosignature verifier key to the log’s operator, for LETAPIS_WITNESSES:');
        console.log(made.verifierKey);
      } catch (e) {
        reportError(e);
      }
    });

  witness
    .command('key')
    .description('print the cosignature verifier key of the witness key (see --key)')
    .action(async (_opts: unknown, cmd: Command) => {
      try {
        const g = cmd.optsWithGlobals<{ key?: string; json?: boolean }>();
        const keyPath = resolve(g.key ?? defaultWitnessKeyPath(dataDir()));
        const key = await loadWitnessKey(keyPath);
        console.log(g.json ? JSON.stringify({ name: key.name, keyFile: keyPath, verifierKey: key.verifierKey }) : key.verifierKey);
      } catch (e) {
        reportError(e);
      }
    });
}
