import type { Kysely } from 'kysely';
import sodium from 'sodium-native';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { VaultSealedError } from '../../adapters/keys/vault.port.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField } from '../../adapters/keys/field-cipher.js';
import { DROP_PWHASH_MEMLIMIT, DROP_PWHASH_OPSLIMIT, DROP_SALT_BYTES } from '../../domain/drop/source-keys.js';
import { utcDay } from './day.js';

/**
 * The organisation's drop key pair (X25519) and the instance's public drop salt, made once. Files
 * and messages are sealed to the public key in the source's browser; the secret key is kept
 * encrypted under a data key wrapped by the vault's master key, so only an unsealed server opens
 * submissions. The public part needs no vault.
 */

const KEY_ID = 'drop-key-1';
const aad = (id: string) => `drop/organisation-key/${id}`;

export interface DropPublicInfo {
  /** The organisation's X25519 public key (base64). */
  publicKey: string;
  /** The instance's public drop salt (base64), input of the source key scheme. */
  salt: string;
  /** Argon2id cost the page must use (fixed by the scheme; served so the page can check). */
  pwhash: { opslimit: number; memlimit: number };
}

/** The public key and salt, or undefined before the drop was set up (ensureDropKeys). */
export async function readDropPublicInfo(db: Kysely<any>): Promise<DropPublicInfo | undefined> {
  const row = await db.selectFrom('drop_keys').select(['public_key', 'salt']).where('id', '=', KEY_ID).executeTakeFirst();
  if (!row) return undefined;
  return { publicKey: row.public_key as string, salt: row.salt as string, pwhash: { opslimit: DROP_PWHASH_OPSLIMIT, memlimit: DROP_PWHASH_MEMLIMIT } };
}

/**
 * Makes the key pair and salt when there are none (needs an unsealed vault) and returns the public
 * part. Two processes doing it at once agree: the row has a fixed id and the loser reads the winner's.
 */
export async function ensureDropKeys(db: Kysely<any>, vault: KeyVault): Promise<DropPublicInfo> {
  const existing = await readDropPublicInfo(db);
  if (existing) return existing;
  if (vault.isSealed()) throw new VaultSealedError('the vault is sealed: the drop key pair can be made only once key custodians unseal it');
  const publicKey = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES);
  const secretKey = sodium.sodium_malloc(sodium.crypto_box_SECRETKEYBYTES) as unknown as Buffer;
  const salt = Buffer.alloc(DROP_SALT_BYTES);
  sodium.crypto_box_keypair(publicKey, secretKey);
  sodium.randombytes_buf(salt);
  try {
    await db.transaction().execute(async (trx) => {
      const { id, key } = await createDataKey(trx, vault);
      try {
        const secret = `v1.${id}.${encryptField(key, secretKey.toString('base64'), aad(KEY_ID)).toString('base64')}`;
        await trx
          .insertInto('drop_keys')
          .values({ id: KEY_ID, public_key: publicKey.toString('base64'), secret, salt: salt.toString('base64'), created_day: utcDay() })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      } finally {
        key.fill(0);
      }
    });
  } finally {
    sodium.sodium_memzero(secretKey);
  }
  return (await readDropPublicInfo(db))!;
}

/** The key pair, to open submissions. Throws VaultSealedError when sealed. The caller wipes `secretKey`. */
export async function loadDropKeyPair(db: Kysely<any>, vault: KeyVault): Promise<{ publicKey: Buffer; secretKey: Buffer }> {
  if (vault.isSealed()) throw new VaultSealedError('the vault is sealed: submissions can be opened only once key custodians unseal it');
  const row = await db.selectFrom('drop_keys').select(['id', 'public_key', 'secret']).where('id', '=', KEY_ID).executeTakeFirst();
  if (!row) throw new Error('the drop has no key pair yet');
  const m = /^v1\.([0-9a-f-]{36})\.([A-Za-z0-9+/=]+)$/.exec(row.secret as string);
  if (!m) throw new Error('the drop key is not stored in a known format');
  const dataKey = await loadDataKey(db, vault, m[1]!);
  try {
    const secretKey = Buffer.from(decryptField(dataKey, Buffer.from(m[2]!, 'base64'), aad(row.id as string)), 'base64');
    const publicKey = Buffer.from(row.public_key as string, 'base64');
    const check = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES);
    sodium.crypto_scalarmult_base(check, secretKey);
    if (!check.equals(publicKey)) throw new Error('the drop secret key does not match its stored public key');
    return { publicKey, secretKey };
  } finally {
    dataKey.fill(0);
  }
}
