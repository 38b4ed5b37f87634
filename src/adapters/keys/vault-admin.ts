import type { Kysely } from 'kysely';
import { openBytes, sealBytes } from './field-cipher.js';
import { DEFAULT_KDF, checkPassphrase, checkShareCounts, deriveRootKey, newSalt, secureKey, splitRootKey, wipe, type KdfParams, type SecretKey } from './root-key.js';
import { destroyDevKeyFile, devKeyFileExists, devKeyFilePath, readDevKeyFile } from './dev-key-file.js';
import {
  countDataKeysByMasterVersion,
  currentSeal,
  dataKeysNotUnder,
  destroyMasterKey,
  insertMasterKey,
  insertSeal,
  listMasterKeys,
  maxSealVersion,
  retireMasterKeysBefore,
  retireSealsBefore,
  rewrapDataKey,
  updateMasterKeyWrapping,
} from './vault.repository.js';
import { KeyVault, VaultStateError } from './vault.js';
import { indexKeyAad, initialiseVault, masterKeyAad, newSealRow, type SealSpec } from './keyring.js';

/**
 * Vault administration: the first `init` (or leaving dev mode), re-keying (new passphrase or new
 * shares), and master key rotation with re-wrapping of every data key.
 */

/** How the new root key is to be obtained. */
export type RootSpec = { method: 'passphrase'; passphrase: string; kdf?: KdfParams } | { method: 'shares'; shares: number; threshold: number };

export interface SealResult {
  sealVersion: number;
  method: 'passphrase' | 'shares';
  /** The shares, to be printed once and never stored (shares method). */
  shares?: string[];
  threshold?: number;
}

/** Makes a root key as `spec` says, with the seal spec to store and the shares to hand out. */
async function makeRoot(spec: RootSpec, sealVersion: number): Promise<{ root: SecretKey; seal: SealSpec; shares?: string[] }> {
  if (spec.method === 'passphrase') {
    checkPassphrase(spec.passphrase);
    const kdf = spec.kdf ?? DEFAULT_KDF;
    const salt = newSalt();
    const root = await deriveRootKey(spec.passphrase, salt, kdf);
    return { root, seal: { method: 'passphrase', salt, opslimit: kdf.opslimit, memlimit: kdf.memlimit } };
  }
  checkShareCounts(spec.shares, spec.threshold);
  const root = secureKey();
  const shares = await splitRootKey(root, sealVersion, spec.shares, spec.threshold);
  return { root, seal: { method: 'shares', shares: spec.shares, threshold: spec.threshold }, shares };
}

/**
 * `letapis vault init`: seals a new vault with a passphrase or shares. On a database whose vault is
 * still in dev mode, it re-keys that vault (opening it with the dev key file, which is then wiped and
 * removed), so what was entered while trying Letapis stays readable. Afterwards `vault` is unsealed.
 */
export async function initVault(db: Kysely<any>, vault: KeyVault, spec: RootSpec): Promise<SealResult> {
  const existing = await currentSeal(db);
  if (existing && existing.method !== 'dev')
    throw new VaultStateError(`the vault is already initialised (opened by ${existing.method}); to replace the ${existing.method}, use: letapis vault rotate`);
  if (existing) {
    if (!devKeyFileExists(vault.dataDir))
      throw new VaultStateError(`this database's vault is in dev mode, and its key file ${devKeyFilePath(vault.dataDir)} is needed to seal it: restore the key file first`);
    if (vault.isSealed()) {
      const root = readDevKeyFile(vault.dataDir);
      await vault.adoptRoot(root, existing).catch((e) => {
        wipe(root);
        throw e;
      });
    }
    const result = await rekeyVault(db, vault, spec);
    destroyDevKeyFile(vault.dataDir);
    return result;
  }
  const { root, seal, shares } = await makeRoot(spec, 1);
  try {
    const row = await initialiseVault(db, root, seal);
    await vault.adoptRoot(root, row);
  } catch (e) {
    wipe(root);
    throw e;
  }
  return { sealVersion: 1, method: spec.method, shares, threshold: spec.method === 'shares' ? spec.threshold : undefined };
}

/**
 * Replaces the root key (new passphrase or new shares): a new seal, and every master key and the
 * blind-index key re-wrapped under it, in one transaction. The old shares or passphrase no longer
 * open this database. Other processes seal themselves at their next refresh and must be unsealed
 * with the new ones. `vault` must be unsealed.
 */
export async function rekeyVault(db: Kysely<any>, vault: KeyVault, spec: RootSpec): Promise<SealResult> {
  await vault.refresh();
  const { seal: oldSeal } = vault.withRootKey((_root, seal) => ({ seal }));
  const version = (await maxSealVersion(db)) + 1;
  const { root, seal: sealSpec, shares } = await makeRoot(spec, version);
  try {
    const indexKey = vault.withRootKey((oldRoot, s) => openBytes(oldRoot, s.indexKey, indexKeyAad(s.version)));
    const row = newSealRow(root, version, sealSpec, indexKey);
    wipe(indexKey);
    await db.transaction().execute(async (trx) => {
      const current = await currentSeal(trx);
      if (current?.version !== oldSeal.version) throw new VaultStateError('the vault was re-keyed by another process meanwhile: nothing was changed; check `letapis vault status`');
      await insertSeal(trx, row);
      for (const m of await listMasterKeys(trx)) {
        if (!m.wrapped) continue;
        const rewrapped = vault.withMasterKey(m.version, (key) => sealBytes(root, key, masterKeyAad(m.version, version)));
        await updateMasterKeyWrapping(trx, m.version, version, rewrapped);
      }
      await retireSealsBefore(trx, version, row.createdAt);
    });
    await vault.adoptRoot(root, row);
  } catch (e) {
    wipe(root);
    throw e;
  }
  return { sealVersion: version, method: spec.method, shares, threshold: spec.method === 'shares' ? spec.threshold : undefined };
}

export interface RotationProgress {
  rewrapped: number;
  total: number;
}

export interface RotationResult {
  /** The new master key version. */
  version: number;
  /** Versions retired now (no data key is wrapped under them any more). */
  retired: number[];
  /** Versions retired by an earlier rotation whose key material was destroyed now. */
  destroyed: number[];
  rewrapped: number;
}

export interface RotationOptions {
  /** Data keys re-wrapped per transaction (default 500). */
  batchSize?: number;
  onProgress?: (p: RotationProgress) => void;
}

/**
 * Rotates the master key without stopping anything: adds master key version N+1 (wrapped under the
 * root key), so new data keys are wrapped under it at once; re-wraps every data key in batches, one
 * transaction per batch, reading each under its old version (which stays readable until then);
 * then retires the old versions. Processes that missed the rotation keep working: they load N+1
 * on refresh, and any data key they still wrap under an old version is swept up here or by the next
 * rotation. A retired version's key material is destroyed by the next rotation, once no data key
 * uses it, so a process that has not refreshed yet never loses a key it just wrote.
 *
 * @example await rotateMasterKey(db, vault, { onProgress: (p) => bar.update(p.rewrapped) })
 */
export async function rotateMasterKey(db: Kysely<any>, vault: KeyVault, opts: RotationOptions = {}): Promise<RotationResult> {
  const batchSize = opts.batchSize ?? 500;
  await vault.refresh();
  if (vault.isSealed()) vault.withRootKey(() => undefined); // throws VaultSealedError with the reason
  const startedAt = new Date().toISOString();
  const before = await listMasterKeys(db);
  const version = Math.max(0, ...before.map((m) => m.version)) + 1;
  const master = secureKey();
  try {
    const wrapped = vault.withRootKey((root, seal) => ({ bytes: sealBytes(root, master, masterKeyAad(version, seal.version)), sealVersion: seal.version }));
    try {
      await insertMasterKey(db, { version, sealVersion: wrapped.sealVersion, wrapped: wrapped.bytes, createdAt: startedAt });
    } catch (e) {
      throw new VaultStateError(`could not add master key version ${version} (is another rotation running?): ${(e as Error).message}`);
    }
    vault.addMasterKey(version, secureKey(master));
  } finally {
    wipe(master);
  }

  const counts = await countDataKeysByMasterVersion(db);
  let total = [...counts].filter(([v]) => v !== version).reduce((a, [, n]) => a + n, 0);
  let rewrapped = 0;
  const sweep = async (): Promise<void> => {
    for (;;) {
      const batch = await dataKeysNotUnder(db, version, batchSize);
      if (!batch.length) return;
      if (batch.some((r) => !vault.loadedMasterVersions().includes(r.masterVersion))) await vault.refresh();
      await db.transaction().execute(async (trx) => {
        for (const row of batch) {
          const key = vault.unwrapDataKey({ masterVersion: row.masterVersion, wrapped: row.wrapped }, row.id);
          try {
            const w = vault.wrapDataKey(key, row.id);
            if (w.masterVersion !== version) throw new VaultStateError(`master key version ${w.masterVersion} appeared during the rotation to ${version}: another rotation is running`);
            if (await rewrapDataKey(trx, row.id, row.masterVersion, version, w.wrapped)) rewrapped++;
          } finally {
            wipe(key);
          }
        }
      });
      if (rewrapped > total) total = rewrapped;
      opts.onProgress?.({ rewrapped, total });
    }
  };
  await sweep();
  const retired = await db.transaction().execute((trx) => retireMasterKeysBefore(trx, version, new Date().toISOString()));
  await sweep(); // keys a process wrapped under an old version while the batches ran

  // destroy the material of versions retired by an earlier rotation that no data key uses
  const remaining = await countDataKeysByMasterVersion(db);
  const destroyed: number[] = [];
  for (const m of await listMasterKeys(db)) {
    if (m.wrapped && m.retiredAt && m.retiredAt < startedAt && !remaining.get(m.version)) {
      await destroyMasterKey(db, m.version, new Date().toISOString());
      destroyed.push(m.version);
    }
  }
  await vault.refresh();
  return { version, retired, destroyed, rewrapped };
}
