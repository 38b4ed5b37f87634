import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { nameQueryHashes, personsWithAllHashes } from '../records/secrets.js';

/**
 * Persons whose recorded names (identity or person-name spellings, encrypted) match every word of
 * the query in any spelling or script, through the blind name index: the names are never decrypted
 * to search them.
 */
export async function personsByName(db: Kysely<any>, vault: KeyVault, query: string): Promise<string[]> {
  let hashes: string[];
  try {
    hashes = nameQueryHashes({ vault }, query);
  } catch {
    return [];
  }
  if (hashes.length === 0) return [];
  return personsWithAllHashes(db, hashes);
}
