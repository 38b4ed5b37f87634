import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../../domain/errors.js';
import { generateDataKey } from './field-cipher.js';
import { getDataKey, insertDataKey } from './vault.repository.js';
import { MasterKeyUnavailableError, type KeyVault } from './vault.js';

/**
 * Data keys as the field-encryption and blob code use them: a fresh key per record (or blob), kept
 * in `data_keys` wrapped under the current master key with its id bound in as associated data.
 */

export class DataKeyNotFoundError extends DomainError {
  readonly status = 500;
  readonly title = 'Encryption key missing';
  constructor(readonly id: string) {
    super(`data key ${id} is missing: the record's encrypted fields cannot be read (restore data_keys from a backup)`);
    this.name = 'DataKeyNotFoundError';
  }
}

/**
 * Makes a data key and stores it wrapped. Pass the transaction the record is written in, so the
 * key and the record commit together. The caller wipes `key` (sodium_memzero) when done.
 *
 * @example const { id, key } = await createDataKey(trx, vault); row.data_key_id = id
 */
export async function createDataKey(db: Kysely<any>, vault: KeyVault): Promise<{ id: string; key: Buffer }> {
  await vault.ensureFresh(db);
  const id = uuidv7();
  const key = generateDataKey();
  const w = vault.wrapDataKey(key, id);
  await insertDataKey(db, { id, masterVersion: w.masterVersion, wrapped: w.wrapped, createdAt: new Date().toISOString() });
  return { id, key };
}

/**
 * Reads and unwraps a data key. Throws VaultSealedError when sealed, FieldDecryptionError if the
 * stored key was tampered with, DataKeyNotFoundError if it is gone.
 */
export async function loadDataKey(db: Kysely<any>, vault: KeyVault, id: string): Promise<Buffer> {
  const row = await getDataKey(db, id);
  if (!row) throw new DataKeyNotFoundError(id);
  try {
    return vault.unwrapDataKey({ masterVersion: row.masterVersion, wrapped: row.wrapped }, id);
  } catch (e) {
    if (!(e instanceof MasterKeyUnavailableError)) throw e;
    await vault.refresh(db); // a rotation in another process made a version this one has not loaded
    const again = await getDataKey(db, id);
    if (!again) throw new DataKeyNotFoundError(id);
    return vault.unwrapDataKey({ masterVersion: again.masterVersion, wrapped: again.wrapped }, id);
  }
}
