import type { Kysely } from 'kysely';
import sodium from 'sodium-native';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { VaultSealedError } from '../../adapters/keys/vault.port.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField } from '../../adapters/keys/field-cipher.js';
import { ed25519KeyPairFromSeed, ed25519Sign } from '../../adapters/keys/ed25519.js';
import { formatVerifierKey } from '../../domain/ledger/index.js';

/**
 * The instance's Ed25519 key that signs checkpoints. Its name is the log's origin (the first line
 * of every checkpoint). The 32-byte seed is kept encrypted under a data key of its own (wrapped by
 * the vault's master key), so signing needs an unsealed vault; the public key does not.
 */

const KEY_ID = 'ledger-key-1';
const aad = (id: string) => `ledger/signing/${id}`;

export interface LedgerPublicKey {
  id: string;
  /** The log's origin and the key's name. */
  name: string;
  publicKey: Buffer;
  /** `name+keyid+base64`, the form recipients pass to `letapis verify --trust`. */
  verifierKey: string;
}

export interface LedgerSigner extends LedgerPublicKey {
  sign(message: Buffer): Buffer;
}

/** A default origin unique to this instance, when the operator named none. */
function defaultOrigin(): string {
  const r = Buffer.alloc(6);
  sodium.randombytes_buf(r);
  return `letapis.invalid/${r.toString('hex')}`;
}

/** The active public key, or undefined before the first checkpoint. Needs no vault. */
export async function readLedgerPublicKey(db: Kysely<any>): Promise<LedgerPublicKey | undefined> {
  const row = await db.selectFrom('ledger_keys').select(['id', 'name', 'public_key']).where('active', '=', 1).orderBy('created_at').executeTakeFirst();
  if (!row) return undefined;
  const publicKey = Buffer.from(row.public_key as string, 'base64');
  return { id: row.id as string, name: row.name as string, publicKey, verifierKey: formatVerifierKey(row.name as string, publicKey) };
}

/**
 * The signer, creating the key on first use (named `origin`, or a random default). Concurrent
 * first uses by two processes agree: the key row has a fixed id and the loser reads the winner's.
 */
export async function ledgerSigner(db: Kysely<any>, vault: KeyVault, origin: string | undefined): Promise<LedgerSigner> {
  if (vault.isSealed()) throw new VaultSealedError('the vault is sealed: checkpoints cannot be signed until key custodians unseal it');
  let row = await db.selectFrom('ledger_keys').select(['id', 'name', 'public_key', 'secret']).where('active', '=', 1).orderBy('created_at').executeTakeFirst();
  if (!row) {
    const seed = sodium.sodium_malloc(32) as unknown as Buffer;
    sodium.randombytes_buf(seed);
    try {
      const pair = ed25519KeyPairFromSeed(seed);
      const name = origin ?? defaultOrigin();
      await db.transaction().execute(async (trx) => {
        const { id, key } = await createDataKey(trx, vault);
        try {
          const secret = `v1.${id}.${encryptField(key, seed.toString('base64'), aad(KEY_ID)).toString('base64')}`;
          await trx
            .insertInto('ledger_keys')
            .values({ id: KEY_ID, name, public_key: pair.publicKey.toString('base64'), secret, active: 1, created_at: new Date().toISOString() })
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        } finally {
          key.fill(0);
        }
      });
      pair.secretKey.fill(0);
    } finally {
      sodium.sodium_memzero(seed);
    }
    row = await db.selectFrom('ledger_keys').select(['id', 'name', 'public_key', 'secret']).where('active', '=', 1).orderBy('created_at').executeTakeFirstOrThrow();
  }
  const m = /^v1\.([0-9a-f-]{36})\.([A-Za-z0-9+/=]+)$/.exec(row.secret as string);
  if (!m) throw new Error('the ledger signing key is not stored in a known format');
  const dataKey = await loadDataKey(db, vault, m[1]!);
  let seed: Buffer;
  try {
    seed = Buffer.from(decryptField(dataKey, Buffer.from(m[2]!, 'base64'), aad(row.id as string)), 'base64');
  } finally {
    dataKey.fill(0);
  }
  const pair = ed25519KeyPairFromSeed(seed);
  seed.fill(0);
  const publicKey = Buffer.from(row.public_key as string, 'base64');
  if (!pair.publicKey.equals(publicKey)) throw new Error('the ledger signing key does not match its stored public key');
  return {
    id: row.id as string,
    name: row.name as string,
    publicKey,
    verifierKey: formatVerifierKey(row.name as string, publicKey),
    sign: (message) => ed25519Sign(message, pair.secretKey),
  };
}
