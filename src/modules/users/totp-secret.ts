import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { VaultSealedError } from '../../adapters/keys/vault.port.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField } from '../../adapters/keys/field-cipher.js';

/**
 * TOTP secrets at rest: encrypted under a data key of their own (wrapped by the vault's master key),
 * with the account id bound in, so a copy of the database cannot generate anyone's codes. Stored in
 * `users.totp_secret` as `v1.<data key id>.<base64 ciphertext>`.
 */

export interface TotpDeps {
  db: Kysely<any>;
  vault: KeyVault;
}

const aad = (userId: string) => `users/${userId}/totp`;

function openVault(vault: KeyVault): KeyVault {
  if (vault.isSealed()) throw new VaultSealedError('the vault is sealed: second factors cannot be checked or enrolled until key custodians unseal it');
  return vault;
}

/** Encrypts a base32 TOTP secret for storage. Pass the transaction it will be stored in. */
export async function sealTotpSecret(db: Kysely<any>, vault: KeyVault, userId: string, base32: string): Promise<string> {
  const { id, key } = await createDataKey(db, openVault(vault));
  try {
    return `v1.${id}.${encryptField(key, base32, aad(userId)).toString('base64')}`;
  } finally {
    key.fill(0);
  }
}

/** Decrypts a stored TOTP secret; throws on tampering, on another account's secret, or when sealed. */
export async function openTotpSecret(db: Kysely<any>, vault: KeyVault, userId: string, stored: string): Promise<string> {
  const m = /^v1\.([0-9a-f-]{36})\.([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) throw new Error(`the stored second factor of account ${userId} is not in a known format`);
  const key = await loadDataKey(db, openVault(vault), m[1]!);
  try {
    return decryptField(key, Buffer.from(m[2]!, 'base64'), aad(userId));
  } finally {
    key.fill(0);
  }
}
