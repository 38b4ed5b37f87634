import { DomainError } from '../../domain/errors.js';

/** Errors of the key vault. Each carries the HTTP status the API answers with. */

/** Any failure to unseal: wrong passphrase, wrong or mixed shares, a share of another root. */
export class UnsealError extends DomainError {
  readonly title = 'Vault not unsealed';
  constructor(
    message: string,
    readonly status: number = 403,
  ) {
    super(message);
    this.name = 'UnsealError';
  }
}

/** A vault command that does not fit the vault's state (not initialised, other method, …). */
export class VaultStateError extends DomainError {
  readonly status = 409;
  readonly title = 'Vault not in the right state';
  constructor(message: string) {
    super(message);
    this.name = 'VaultStateError';
  }
}

/** A data key is wrapped under a master key version this process does not hold. */
export class MasterKeyUnavailableError extends DomainError {
  readonly status = 503;
  readonly title = 'Key not available';
  constructor(readonly version: number) {
    super(`master key version ${version} is not available in this process: it was destroyed, or was made by a rotation in another process that this one has not loaded yet (vault.refresh())`);
    this.name = 'MasterKeyUnavailableError';
  }
}
