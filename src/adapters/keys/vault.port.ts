import { DomainError } from '../../domain/errors.js';

/**
 * The key vault port: holds the master key (never on disk in clear in sealed mode) and wraps the
 * per-record data keys that encrypt identities. Implementations live beside this file.
 */

/** A data key wrapped (encrypted) under one version of the master key. */
export interface WrappedKey {
  /** Version of the master key it is wrapped under (rotation bumps it). */
  masterVersion: number;
  /** format byte (0x01) ‖ 24-byte nonce ‖ XChaCha20-Poly1305 ciphertext of the data key ‖ tag. */
  wrapped: Buffer;
}

export type VaultMode = 'dev' | 'sealed';

/** Raised by anything that needs the master key while the vault is sealed (HTTP 503). */
export class VaultSealedError extends DomainError {
  readonly status = 503;
  readonly title = 'Vault sealed';
  constructor(message = 'the vault is sealed: an operator must unseal it (letapis vault unseal) before identities can be read or written') {
    super(message);
  }
}

/** Where the vault stands, as `letapis vault status` and the HTTP status route show it. */
export interface VaultStatus {
  /** How this process was configured (LETAPIS_VAULT). */
  mode: VaultMode;
  /** False until `letapis vault init` (sealed mode); dev mode initialises itself. */
  initialized: boolean;
  /** How the root key is obtained: key file (dev), passphrase, or Shamir shares. */
  method: 'dev' | 'passphrase' | 'shares' | null;
  sealed: boolean;
  /** Version of the root key in force (changes when shares or passphrase are replaced). */
  sealVersion: number | null;
  /** The master key version new data keys are wrapped under, as this process knows it. */
  masterVersion: number | null;
  /** Shares needed to unseal (shares method). */
  threshold: number | null;
  /** Shares handed out (shares method). */
  shares: number | null;
  /** Shares submitted to this process so far (they are kept in memory only, until unsealed). */
  received: number;
  /** Why this process sealed itself, if it did (e.g. the vault was re-keyed by another process). */
  reason?: string;
}

export interface Vault {
  readonly mode: VaultMode;
  isSealed(): boolean;
  /**
   * Wraps a data key under the current master key. Throws VaultSealedError when sealed.
   * `keyId` (the data key's row id) is bound in as associated data: pass the same to unwrap.
   */
  wrapDataKey(dataKey: Buffer, keyId?: string): WrappedKey;
  /** Unwraps a data key. Throws VaultSealedError when sealed; throws on tampering or another keyId. */
  unwrapDataKey(key: WrappedKey, keyId?: string): Buffer;
  /**
   * A 32-byte key for blind indexes, kept wrapped beside the master keys (stable across rotations
   * and re-keys, so indexes stay valid). A copy: do not keep it beyond the computation at hand.
   */
  blindIndexKey(): Buffer;
  /** Wipes the master key from memory. */
  seal(): void;
}
