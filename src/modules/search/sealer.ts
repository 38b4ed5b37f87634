import type { KeyVault } from '../../adapters/keys/vault.js';
import type { Sealer } from './lexemes.js';

/**
 * The sealer of a vault: a keyed hash of a lexeme (the vault's blind-index key, context
 * `search-term`), as the index stores the words of encrypted text. Undefined while sealed.
 */
export function sealerOf(vault: KeyVault | undefined): Sealer | undefined {
  if (!vault || vault.isSealed()) return undefined;
  return (lexeme: string) => `h${vault.blindIndex(lexeme, 'search-term').slice(0, 16)}`;
}
