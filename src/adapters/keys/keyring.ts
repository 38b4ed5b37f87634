import type { Kysely } from 'kysely';
import { FieldDecryptionError, openBytes, sealBytes } from './field-cipher.js';
import { secureKey, wipe, type SecretKey } from './root-key.js';
import { insertMasterKey, insertSeal, type SealRow } from './vault.repository.js';

/**
 * The stored forms of the vault's keys: the associated data bound into each wrapping (so no
 * wrapped key can be moved to another slot), the check value, and the first seal.
 */

const CHECK_PLAINTEXT = Buffer.from('letapis vault check value v1', 'utf8');
export const checkAad = (sealVersion: number): string => `letapis/vault/check/${sealVersion}`;
export const indexKeyAad = (sealVersion: number): string => `letapis/vault/index-key/${sealVersion}`;
export const masterKeyAad = (version: number, sealVersion: number): string => `letapis/vault/master/${version}/${sealVersion}`;
export const dataKeyAad = (masterVersion: number, keyId: string): string => `letapis/data-key/${masterVersion}/${keyId}`;

/** The check value stored with a seal: proves a candidate root key right without storing it. */
export function makeCheckValue(root: SecretKey, sealVersion: number): Buffer {
  return sealBytes(root, CHECK_PLAINTEXT, checkAad(sealVersion));
}

/** True when `root` is the root key of `seal` (its check value opens). */
export function rootMatches(root: SecretKey, seal: SealRow): boolean {
  try {
    const p = openBytes(root, seal.checkValue, checkAad(seal.version));
    return p.equals(CHECK_PLAINTEXT);
  } catch (e) {
    if (e instanceof FieldDecryptionError) return false;
    throw e;
  }
}

const now = (): string => new Date().toISOString();

export type SealSpec =
  | { method: 'dev' }
  | { method: 'passphrase'; salt: Buffer; opslimit: number; memlimit: number }
  | { method: 'shares'; shares: number; threshold: number };

/** Builds the row of a new seal for `root` (check value, blind-index key wrapped under it). */
export function newSealRow(root: SecretKey, version: number, spec: SealSpec, indexKey: Uint8Array): SealRow {
  return {
    version,
    method: spec.method,
    kdf: spec.method === 'passphrase' ? 'argon2id13' : null,
    kdfSalt: spec.method === 'passphrase' ? spec.salt : null,
    kdfOpslimit: spec.method === 'passphrase' ? spec.opslimit : null,
    kdfMemlimit: spec.method === 'passphrase' ? spec.memlimit : null,
    shares: spec.method === 'shares' ? spec.shares : null,
    threshold: spec.method === 'shares' ? spec.threshold : null,
    checkValue: makeCheckValue(root, version),
    indexKey: sealBytes(root, indexKey, indexKeyAad(version)),
    createdAt: now(),
    retiredAt: null,
  };
}

/** Writes a brand-new vault (seal 1, master key 1, a new blind-index key) in one transaction. */
export async function initialiseVault(db: Kysely<any>, root: SecretKey, spec: SealSpec): Promise<SealRow> {
  const indexKey = secureKey();
  const master = secureKey();
  try {
    const seal = newSealRow(root, 1, spec, indexKey);
    await db.transaction().execute(async (trx) => {
      await insertSeal(trx, seal);
      await insertMasterKey(trx, { version: 1, sealVersion: 1, wrapped: sealBytes(root, master, masterKeyAad(1, 1)), createdAt: seal.createdAt });
    });
    return seal;
  } finally {
    wipe(indexKey);
    wipe(master);
  }
}
