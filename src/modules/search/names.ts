import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { nameQueryHashes, nameTypoQueryHashes, personsWithAllHashes } from '../records/secrets.js';

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

/** Persons whose names are one edit (on the match key) from every word of the query. */
export async function personsByNameWithTypo(db: Kysely<any>, vault: KeyVault, query: string): Promise<string[]> {
  let perWord: string[][];
  try {
    perWord = nameTypoQueryHashes({ vault }, query);
  } catch {
    return [];
  }
  if (perWord.length === 0) return [];
  let persons: Set<string> | undefined;
  for (const hashes of perWord) {
    const rows = await db.selectFrom('name_index').select('person_id').distinct().where('hash', 'in', hashes).execute();
    const these = new Set(rows.map((r) => r.person_id as string));
    persons = persons ? new Set([...persons].filter((p) => these.has(p))) : these;
    if (persons.size === 0) break;
  }
  return [...(persons ?? [])];
}
