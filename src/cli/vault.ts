import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../app/config.js';
import type { Container } from '../app/container.js';
import { DEFAULT_KDF, MIN_KDF, looksLikeShare, type KdfParams } from '../adapters/keys/root-key.js';
import { initVault, rekeyVault, rotateMasterKey, type RootSpec, type SealResult } from '../adapters/keys/vault-admin.js';
import { countDataKeysByMasterVersion, listMasterKeys } from '../adapters/keys/vault.repository.js';
import type { KeyVault } from '../adapters/keys/vault.js';
import type { VaultStatus } from '../adapters/keys/vault.port.js';
import { readStdin, reportError, withContainer } from './context.js';

/**
 * `letapis vault init|status|unseal|seal|rotate`.
 *
 * Secrets (passphrases, shares) are read from standard input only, never from arguments (which
 * other users of the machine can see in the process list). Commands that act on a running server
 * (`unseal`, `seal`, and `status` with `--url`) use its HTTP API:
 *
 *   GET  /api/v1/vault/status   → VaultStatus
 *   POST /api/v1/vault/unseal   body { "share": "LS1-…" } or { "passphrase": "…" } → VaultStatus
 *   POST /api/v1/vault/seal     → VaultStatus
 *
 * sending `Authorization: Bearer $LETAPIS_TOKEN` when that variable is set.
 */

const SHARES_NOTICE = (r: SealResult): string[] => [
  '',
  `The vault's root key is split into ${r.shares!.length} shares; any ${r.threshold} of them unseal it.`,
  'These shares are shown ONLY NOW and are stored nowhere. Give each one to a different custodian,',
  'on paper or an offline device, and clear this terminal. A custodian submits theirs with:',
  '  letapis vault unseal --url http://SERVER:PORT      (then types or pastes the share)',
  '',
  ...r.shares!.map((s, i) => `share ${i + 1}: ${s}`),
  '',
];

function kdfFrom(opts: { kdfOps?: string; kdfMemoryMib?: string }): KdfParams {
  const opslimit = opts.kdfOps ? Number(opts.kdfOps) : DEFAULT_KDF.opslimit;
  const memlimit = opts.kdfMemoryMib ? Number(opts.kdfMemoryMib) * 1024 * 1024 : DEFAULT_KDF.memlimit;
  if (!Number.isInteger(opslimit) || opslimit < MIN_KDF.opslimit || opslimit > 20) throw new Error(`--kdf-ops must be a whole number from ${MIN_KDF.opslimit} to 20`);
  if (!Number.isInteger(memlimit) || memlimit < MIN_KDF.memlimit || memlimit > 4096 * 1024 * 1024)
    throw new Error(`--kdf-memory-mib must be a whole number from ${MIN_KDF.memlimit / 1024 / 1024} to 4096`);
  return { opslimit, memlimit };
}

function sharesFrom(opts: { shares?: string; threshold?: string }): { shares: number; threshold: number } | undefined {
  if (opts.shares === undefined && opts.threshold === undefined) return undefined;
  if (opts.shares === undefined || opts.threshold === undefined) throw new Error('give both --shares N and --threshold K (e.g. --shares 5 --threshold 3)');
  return { shares: Number(opts.shares), threshold: Number(opts.threshold) };
}

/** The lines of standard input, without blank lines and # comments. */
async function stdinLines(): Promise<string[]> {
  return (await readStdin())
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function describeStatus(s: VaultStatus): string {
  if (!s.initialized) return 'not initialised: run letapis vault init --passphrase-stdin, or --shares N --threshold K';
  const how = s.method === 'shares' ? `${s.threshold} of ${s.shares} shares` : s.method === 'passphrase' ? 'a passphrase' : 'the dev key file (NOT SAFE for real data)';
  const state = s.sealed ? `SEALED${s.method === 'shares' ? ` (${s.received} of ${s.threshold} shares received)` : ''}` : 'unsealed';
  return `${state}; opened by ${how}; key set ${s.sealVersion}; master key version ${s.masterVersion ?? '-'}${s.reason ? `\n  ${s.reason}` : ''}`;
}

/** Calls the vault API of a running server. */
async function callServer(url: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<VaultStatus> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (process.env.LETAPIS_TOKEN) headers.authorization = `Bearer ${process.env.LETAPIS_TOKEN}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, url.endsWith('/') ? url : `${url}/`), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${json?.detail ?? json?.message ?? text.slice(0, 200)}`);
  return json as VaultStatus;
}

/** Unseals `vault` (this process) from stdin lines: a passphrase, or shares one per line. */
async function unsealHere(vault: KeyVault, lines: string[], passphrase: boolean): Promise<{ status: VaultStatus; used: number }> {
  const s = vault.status();
  if (!s.initialized) throw new Error('the vault has not been initialised: run letapis vault init');
  if (!s.sealed) return { status: s, used: 0 };
  if (s.method === 'passphrase' || passphrase) {
    if (!lines[0]) throw new Error('give the vault passphrase on standard input, e.g.: letapis vault … < passphrase-file (or type it and press Ctrl-D)');
    return { status: await vault.unsealWithPassphrase(lines[0]), used: 1 };
  }
  let used = 0;
  for (const line of lines) {
    if (!looksLikeShare(line)) break;
    used++;
    const st = await vault.submitShare(line);
    if (!st.sealed) return { status: st, used };
  }
  throw new Error(`the vault needs ${s.threshold} shares on standard input, one per line; got ${used}`);
}

export function registerVaultCommands(program: Command): void {
  const vault = program.command('vault').description('the key vault: initialise, see status, unseal, seal, rotate keys (docs/SECURITY.md, "The vault")');

  vault
    .command('init')
    .description('create the sealed vault (LETAPIS_VAULT=sealed): from a passphrase, or split into k-of-n shares printed once')
    .option('--passphrase-stdin', 'derive the root key from a passphrase read from standard input (argon2id)')
    .option('--shares <n>', 'split a random root key into this many shares')
    .option('--threshold <k>', 'number of shares that unseal the vault')
    .option('--kdf-ops <n>', `argon2id passes (default ${DEFAULT_KDF.opslimit})`)
    .option('--kdf-memory-mib <n>', `argon2id memory in MiB (default ${DEFAULT_KDF.memlimit / 1024 / 1024})`)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { passphraseStdin?: boolean; shares?: string; threshold?: string; kdfOps?: string; kdfMemoryMib?: string; json?: boolean }) => {
      try {
        const config = loadConfig();
        if (config.vault !== 'sealed')
          throw new Error('set LETAPIS_VAULT=sealed (for this command and for every letapis process from now on) before initialising a sealed vault');
        const shares = sharesFrom(opts);
        if (Boolean(opts.passphraseStdin) === Boolean(shares)) throw new Error('choose one: --passphrase-stdin, or --shares N --threshold K');
        let spec: RootSpec;
        if (shares) spec = { method: 'shares', ...shares };
        else {
          const lines = await stdinLines();
          if (lines.length !== 1) throw new Error('give the passphrase on standard input, on one line, e.g.: letapis vault init --passphrase-stdin < passphrase-file');
          spec = { method: 'passphrase', passphrase: lines[0]!, kdf: kdfFrom(opts) };
        }
        const result = await withContainer((c) => initVault(c.db, c.vault, spec), config);
        if (opts.json) console.log(JSON.stringify(result));
        else if (result.shares) console.log([`initialised the vault (key set ${result.sealVersion}).`, ...SHARES_NOTICE(result)].join('\n'));
        else console.log(`initialised the vault (key set ${result.sealVersion}), opened by the passphrase. Start the server with LETAPIS_VAULT=sealed and unseal it with: letapis vault unseal --passphrase-stdin --url http://SERVER:PORT`);
      } catch (e) {
        reportError(e);
      }
    });

  vault
    .command('status')
    .description("the vault's state: key set, master key versions and the data keys under each (or a running server's with --url)")
    .option('--url <url>', 'ask a running server (GET /api/v1/vault/status)')
    .option('--json', 'print JSON')
    .action(async (opts: { url?: string; json?: boolean }) => {
      try {
        if (opts.url) {
          const s = await callServer(opts.url, 'GET', 'api/v1/vault/status');
          console.log(opts.json ? JSON.stringify(s, null, 2) : `${opts.url}: ${describeStatus(s)}`);
          return;
        }
        const out = await withContainer(async (c: Container) => {
          const counts = await countDataKeysByMasterVersion(c.db);
          const masters = (await listMasterKeys(c.db)).map((m) => ({
            version: m.version,
            createdAt: m.createdAt,
            retiredAt: m.retiredAt,
            destroyedAt: m.destroyedAt,
            dataKeys: counts.get(m.version) ?? 0,
          }));
          // this command's own process is sealed in sealed mode; say what the database holds
          return { ...c.vault.status(), masterVersion: masters.filter((m) => !m.retiredAt).at(-1)?.version ?? null, masterKeys: masters };
        });
        if (opts.json) {
          console.log(JSON.stringify(out, null, 2));
          return;
        }
        console.log(`vault: ${describeStatus({ ...out, sealed: out.mode === 'sealed' })}`);
        if (out.mode === 'sealed') console.log('  (a running server may be unsealed: ask it with --url)');
        for (const m of out.masterKeys)
          console.log(`  master key ${m.version}: created ${m.createdAt}${m.retiredAt ? `, retired ${m.retiredAt}` : ', in use'}${m.destroyedAt ? `, destroyed ${m.destroyedAt}` : ''}; ${m.dataKeys} data key(s)`);
      } catch (e) {
        reportError(e);
      }
    });

  vault
    .command('unseal')
    .description('unseal a running server (--url) with a passphrase or shares from standard input, one share per line; without --url, only check them')
    .option('--url <url>', 'the server to unseal (POST /api/v1/vault/unseal)')
    .option('--passphrase-stdin', 'standard input holds the passphrase (default: shares, one per line)')
    .option('--json', 'print the final status as JSON')
    .action(async (opts: { url?: string; passphraseStdin?: boolean; json?: boolean }) => {
      try {
        const lines = await stdinLines();
        const passphrase = opts.passphraseStdin || (lines.length > 0 && !looksLikeShare(lines[0]!));
        if (!lines.length) throw new Error(passphrase ? 'give the passphrase on standard input' : 'give the shares on standard input, one per line');
        if (opts.url) {
          let s: VaultStatus | undefined;
          if (passphrase) s = await callServer(opts.url, 'POST', 'api/v1/vault/unseal', { passphrase: lines[0] });
          else
            for (const share of lines) {
              s = await callServer(opts.url, 'POST', 'api/v1/vault/unseal', { share });
              if (!opts.json) console.log(s.sealed ? `share accepted: ${s.received} of ${s.threshold} received` : 'share accepted');
              if (!s.sealed) break;
            }
          if (opts.json) console.log(JSON.stringify(s));
          else console.log(s!.sealed ? `${opts.url} is still sealed: ${s!.received} of ${s!.threshold} shares received; more custodians must submit theirs` : `${opts.url} is unsealed`);
          return;
        }
        // no server: check the secret against this database, in this process only
        const result = await withContainer(async (c) => {
          if (c.vault.mode === 'dev') throw new Error('LETAPIS_VAULT is dev: the vault opens with its key file and needs no unsealing');
          const { status } = await unsealHere(c.vault, lines, passphrase);
          return status;
        });
        if (opts.json) console.log(JSON.stringify(result));
        else console.log('checked: these open the vault of this database. (This process ends now, so nothing stays unsealed; to unseal a running server, add --url.)');
      } catch (e) {
        reportError(e);
      }
    });

  vault
    .command('seal')
    .description('seal a running server: it wipes its keys from memory and serves nothing sensitive until unsealed again')
    .option('--url <url>', 'the server to seal (POST /api/v1/vault/seal)')
    .action(async (opts: { url?: string }) => {
      try {
        if (!opts.url) throw new Error('give the server to seal with --url http://SERVER:PORT (a letapis command holds no key once it ends: only a running server needs sealing)');
        const s = await callServer(opts.url, 'POST', 'api/v1/vault/seal', {});
        console.log(s.sealed ? `${opts.url} is sealed` : `${opts.url} answered, but says it is still unsealed`);
      } catch (e) {
        reportError(e);
      }
    });

  vault
    .command('rotate')
    .description(
      'new master key version; every data key re-wrapped under it in batches while the server runs; the old version retired. In sealed mode, standard input first holds the current passphrase or shares (one per line)',
    )
    .option('--keep-shares', 'shares method: keep the current shares (default: new shares, printed once; old ones stop working)')
    .option('--shares <n>', 'replace the root key by this many new shares (with --threshold)')
    .option('--threshold <k>', 'number of new shares that unseal the vault')
    .option('--new-passphrase', 'replace the root key by one from a new passphrase: the next line of standard input')
    .option('--kdf-ops <n>', `argon2id passes for a new passphrase (default ${DEFAULT_KDF.opslimit})`)
    .option('--kdf-memory-mib <n>', `argon2id memory in MiB for a new passphrase (default ${DEFAULT_KDF.memlimit / 1024 / 1024})`)
    .option('--batch-size <n>', 'data keys re-wrapped per transaction', '500')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: { keepShares?: boolean; shares?: string; threshold?: string; newPassphrase?: boolean; kdfOps?: string; kdfMemoryMib?: string; batchSize: string; json?: boolean }) => {
        try {
          const batchSize = Number(opts.batchSize);
          if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a whole number of at least 1');
          const newShares = sharesFrom(opts);
          if (newShares && opts.newPassphrase) throw new Error('choose one: new shares or a new passphrase');
          const config = loadConfig();
          const lines = config.vault === 'sealed' ? await stdinLines() : [];
          const out = await withContainer(async (c) => {
            let rekeyed: SealResult | undefined;
            if (c.vault.mode === 'sealed') {
              const { status, used } = await unsealHere(c.vault, lines, false);
              let spec: RootSpec | undefined;
              if (opts.newPassphrase) {
                const p = lines[used];
                if (!p) throw new Error('--new-passphrase: give the new passphrase on the line after the current passphrase or shares');
                spec = { method: 'passphrase', passphrase: p, kdf: kdfFrom(opts) };
              } else if (newShares) spec = { method: 'shares', ...newShares };
              else if (status.method === 'shares' && !opts.keepShares) spec = { method: 'shares', shares: status.shares!, threshold: status.threshold! };
              if (spec) rekeyed = await rekeyVault(c.db, c.vault, spec);
            } else if (opts.newPassphrase || newShares) {
              throw new Error('the vault is in dev mode: to seal it with a passphrase or shares, set LETAPIS_VAULT=sealed and run letapis vault init');
            }
            const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: 're-wrapping data keys {bar} {value}/{total}' }, cliProgress.Presets.shades_classic) : undefined;
            bar?.start(0, 0);
            try {
              const rotation = await rotateMasterKey(c.db, c.vault, {
                batchSize,
                onProgress: (p) => {
                  bar?.setTotal(p.total);
                  bar?.update(p.rewrapped);
                },
              });
              return { rotation, rekeyed };
            } finally {
              bar?.stop();
            }
          }, config);
          const { rotation: r, rekeyed } = out;
          if (opts.json) {
            console.log(JSON.stringify({ ...r, sealVersion: rekeyed?.sealVersion, shares: rekeyed?.shares, threshold: rekeyed?.threshold }));
            return;
          }
          const lines2 = [
            `master key version ${r.version} is in use; ${r.rewrapped} data key(s) re-wrapped under it.`,
            r.retired.length ? `retired version(s) ${r.retired.join(', ')} (their key material is destroyed by the next rotation, once no data key uses it).` : '',
            r.destroyed.length ? `destroyed the key material of version(s) ${r.destroyed.join(', ')}.` : '',
          ];
          if (rekeyed) {
            lines2.push(
              `the root key was replaced (key set ${rekeyed.sealVersion}): the old ${rekeyed.method === 'shares' ? 'shares' : 'passphrase'} no longer open(s) this database.`,
              'Running servers seal themselves at their next key refresh and must be unsealed with the new one(s).',
            );
            if (rekeyed.shares) lines2.push(...SHARES_NOTICE(rekeyed));
          } else if (config.vault === 'sealed') lines2.push('running servers pick up the new master key by themselves.');
          console.log(lines2.filter(Boolean).join('\n'));
        } catch (e) {
          reportError(e);
        }
      },
    );
}
