import type { Kysely } from 'kysely';
import { blindIndex, openBytes, sealBytes, type BlindIndexOptions } from './field-cipher.js';
import { combineShares, deriveRootKey, parseShare, secureKey, wipe, type ParsedShare, type SecretKey } from './root-key.js';
import { createDevKeyFile, devKeyFileExists, devKeyFilePath, readDevKeyFile } from './dev-key-file.js';
import { currentSeal, listMasterKeys, type SealRow } from './vault.repository.js';
import { dataKeyAad, indexKeyAad, initialiseVault, masterKeyAad, rootMatches } from './keyring.js';
import { MasterKeyUnavailableError, UnsealError, VaultStateError } from './vault.errors.js';
import { VaultSealedError, type Vault, type VaultMode, type VaultStatus, type WrappedKey } from './vault.port.js';

export { MasterKeyUnavailableError, UnsealError, VaultStateError } from './vault.errors.js';

/**
 * The key vault. Three levels of keys:
 *
 *   root key  ── never stored: dev key file | argon2id(passphrase) | k of n Shamir shares
 *     └ wraps master keys (versioned, rotated) and the blind-index key, stored in the database
 *         └ master key wraps data keys (one per record or blob), stored in `data_keys`
 *             └ data key encrypts fields (field-cipher.ts)
 *
 * Every process holds its own copy of the keys in sodium secure memory once unsealed; what the
 * processes share is the database. A rotation by one process is picked up by the others on
 * `refresh()` (they hold the same root key); a re-key (new shares or passphrase) seals the others.
 */

export interface VaultOptions {
  mode: VaultMode;
  db: Kysely<any>;
  /** Where the dev key file lives (`<dataDir>/keys/master.key`). */
  dataDir: string;
}

/** The vault of one process. Create it with `openVault`. */
export class KeyVault implements Vault {
  readonly mode: VaultMode;
  private readonly db: Kysely<any>;
  readonly dataDir: string;
  private seal_: SealRow | undefined;
  private root: SecretKey | null = null;
  private indexKey: SecretKey | null = null;
  private readonly masters = new Map<number, SecretKey>();
  private current: number | null = null;
  private readonly pending = new Map<number, ParsedShare>();
  private lastRefresh = 0;
  private reason: string | undefined;
  /** Serialises unsealing (concurrent share submissions over HTTP). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: VaultOptions) {
    this.mode = opts.mode;
    this.db = opts.db;
    this.dataDir = opts.dataDir;
  }

  isSealed(): boolean {
    return this.root === null;
  }

  status(): VaultStatus {
    const s = this.seal_;
    return {
      mode: this.mode,
      initialized: Boolean(s),
      method: s?.method ?? null,
      sealed: this.isSealed(),
      sealVersion: s?.version ?? null,
      masterVersion: this.current,
      threshold: s?.threshold ?? null,
      shares: s?.shares ?? null,
      received: this.pending.size,
      ...(this.reason && this.isSealed() ? { reason: this.reason } : {}),
    };
  }

  wrapDataKey(dataKey: Buffer, keyId = ''): WrappedKey {
    this.requireOpen();
    const version = this.current!;
    return { masterVersion: version, wrapped: sealBytes(this.masters.get(version)!, dataKey, dataKeyAad(version, keyId)) };
  }

  unwrapDataKey(key: WrappedKey, keyId = ''): Buffer {
    this.requireOpen();
    const master = this.masters.get(key.masterVersion);
    if (!master) throw new MasterKeyUnavailableError(key.masterVersion);
    return openBytes(master, key.wrapped, dataKeyAad(key.masterVersion, keyId));
  }

  blindIndexKey(): Buffer {
    this.requireOpen();
    return Buffer.from(this.indexKey!);
  }

  /** A blind index under the vault's index key (see field-cipher `blindIndex`). */
  blindIndex(value: string, context: string, opts?: BlindIndexOptions): string {
    this.requireOpen();
    return blindIndex(this.indexKey!, value, context, opts);
  }

  seal(): void {
    this.wipeKeys();
    this.reason = undefined;
  }

  /** Master key versions this process holds (for status and tests). */
  loadedMasterVersions(): number[] {
    return [...this.masters.keys()].sort((a, b) => a - b);
  }

  // -------------------------------------------------------------------------------------------
  // Unsealing

  /** Unseals with the passphrase (passphrase method). Throws UnsealError if it is not the one. */
  unsealWithPassphrase(passphrase: string): Promise<VaultStatus> {
    return this.serial(async () => {
      const seal = await this.loadSeal();
      if (!seal) throw new VaultStateError('the vault has not been initialised: run letapis vault init');
      if (seal.method !== 'passphrase') throw new VaultStateError(`this vault is opened by ${seal.method === 'shares' ? 'shares' : 'its key file'}, not by a passphrase`);
      if (!this.isSealed()) return this.status();
      const root = await deriveRootKey(passphrase, seal.kdfSalt!, { opslimit: seal.kdfOpslimit!, memlimit: seal.kdfMemlimit! });
      if (!rootMatches(root, seal)) {
        wipe(root);
        throw new UnsealError('that passphrase does not open the vault');
      }
      await this.adoptRoot(root, seal);
      return this.status();
    });
  }

  /**
   * Takes one share (as printed by `vault init`). Shares are kept in memory until `threshold` have
   * come; then the root key is rebuilt and checked. If the combination is wrong, every share
   * received is discarded and an UnsealError says so, without telling which share was wrong (the
   * vault cannot know, and a guess would help an impostor).
   */
  submitShare(text: string): Promise<VaultStatus> {
    return this.serial(async () => {
      const seal = await this.loadSeal();
      if (!seal) throw new VaultStateError('the vault has not been initialised: run letapis vault init');
      if (seal.method !== 'shares') throw new VaultStateError(`this vault is opened by ${seal.method === 'passphrase' ? 'a passphrase' : 'its key file'}, not by shares`);
      if (!this.isSealed()) return this.status();
      let share: ParsedShare;
      try {
        share = parseShare(text);
      } catch (e) {
        throw new UnsealError((e as Error).message, 422);
      }
      if (share.sealVersion !== seal.version)
        throw new UnsealError(`this share belongs to ${share.sealVersion < seal.version ? 'an earlier' : 'another'} set of shares (set ${share.sealVersion}); the vault now needs shares of set ${seal.version}`);
      if (share.count !== seal.shares || share.index < 1 || share.index > seal.shares!) throw new UnsealError(`this share does not belong to this vault's set of ${seal.shares} shares`);
      if (this.pending.has(share.index)) {
        wipe(share.bytes);
        throw new UnsealError(`share ${share.index} of ${share.count} was already submitted; ${seal.threshold! - this.pending.size} more different share(s) needed`, 409);
      }
      this.pending.set(share.index, share);
      if (this.pending.size < seal.threshold!) return this.status();
      const shares = [...this.pending.values()];
      this.pending.clear(); // whatever the outcome, the next attempt starts afresh; wiped below
      let root: SecretKey | null = null;
      try {
        root = await combineShares(shares);
      } catch {
        root = null;
      } finally {
        for (const s of shares) wipe(s.bytes);
      }
      if (!root || !rootMatches(root, seal)) {
        wipe(root);
        throw new UnsealError(
          `the ${shares.length} shares submitted do not open the vault: at least one of them is wrong. All shares submitted so far were discarded; submit ${seal.threshold} shares again`,
        );
      }
      await this.adoptRoot(root, seal);
      return this.status();
    });
  }

  /** Dev mode: opens with the key file (creating it, and the vault, on first start). */
  async unsealWithKeyFile(): Promise<void> {
    const seal = await this.loadSeal();
    if (seal && seal.method !== 'dev')
      throw new VaultStateError(`LETAPIS_VAULT is "dev" but this database's vault is sealed (opened by ${seal.method}): set LETAPIS_VAULT=sealed`);
    if (seal) {
      if (!devKeyFileExists(this.dataDir))
        throw new VaultStateError(`this database's vault is in dev mode but its key file ${devKeyFilePath(this.dataDir)} is missing: restore it from where you keep it, or point LETAPIS_DATA_DIR at the right folder`);
      const root = readDevKeyFile(this.dataDir);
      if (!rootMatches(root, seal)) {
        wipe(root);
        throw new VaultStateError(`the key file ${devKeyFilePath(this.dataDir)} does not open this database's vault: it belongs to another installation`);
      }
      await this.adoptRoot(root, seal);
      return;
    }
    // first start: a key file (kept if one is there, e.g. a database was reset) and a new vault
    const root = devKeyFileExists(this.dataDir) ? readDevKeyFile(this.dataDir) : createDevKeyFile(this.dataDir);
    try {
      await initialiseVault(this.db, root, { method: 'dev' });
    } catch (e) {
      // another process initialised it at the same moment: use theirs if our key file opens it
      const theirs = await currentSeal(this.db).catch(() => undefined);
      if (!theirs) {
        wipe(root);
        throw e;
      }
    }
    const created = await this.loadSeal();
    if (!created || !rootMatches(root, created)) {
      wipe(root);
      throw new VaultStateError(`the key file ${devKeyFilePath(this.dataDir)} does not open this database's vault`);
    }
    await this.adoptRoot(root, created);
  }

  // -------------------------------------------------------------------------------------------
  // Keeping up with other processes

  /**
   * Reloads the vault's rows: loads master keys made by a rotation elsewhere, drops destroyed
   * ones, and seals this process if the root key was replaced elsewhere (new shares or passphrase).
   * Pass the transaction you are in, if any (SQLite has one connection).
   */
  async refresh(db: Kysely<any> = this.db): Promise<void> {
    const seal = await currentSeal(db);
    this.lastRefresh = Date.now();
    if (this.isSealed()) {
      this.seal_ = seal;
      return;
    }
    if (!seal || seal.version !== this.seal_?.version) {
      this.wipeKeys();
      this.seal_ = seal;
      this.reason = 'the vault was re-keyed (new shares or passphrase) by another process: unseal this one with the new ones';
      return;
    }
    await this.loadMasters(db);
  }

  /** `refresh()` if the last one is older than `maxAgeMs`. Cheap to call before each batch. */
  async ensureFresh(db: Kysely<any> = this.db, maxAgeMs = 5_000): Promise<void> {
    if (Date.now() - this.lastRefresh > maxAgeMs) await this.refresh(db);
  }

  /**
   * Refreshes every `intervalMs` in the background (the timer does not keep the process alive),
   * so a server notices rotations and re-keys by other processes. Returns the function that stops it.
   *
   * @example const stop = container.vault.watch(10_000, (e) => app.log.warn(e)); app.addHook('onClose', stop)
   */
  watch(intervalMs = 10_000, onError: (e: unknown) => void = () => {}): () => void {
    const timer = setInterval(() => void this.refresh().catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  // -------------------------------------------------------------------------------------------
  // For vault administration (init, rekey, rotation) in this folder only

  /** Runs `fn` with the root key. Vault administration only. */
  withRootKey<T>(fn: (root: SecretKey, seal: SealRow) => T): T {
    this.requireOpen();
    return fn(this.root!, this.seal_!);
  }

  /** Runs `fn` with the master key of `version`. Vault administration only. */
  withMasterKey<T>(version: number, fn: (key: SecretKey) => T): T {
    this.requireOpen();
    const k = this.masters.get(version);
    if (!k) throw new MasterKeyUnavailableError(version);
    return fn(k);
  }

  /** Holds a master key just made by a rotation here, and wraps new data keys under it. */
  addMasterKey(version: number, key: SecretKey): void {
    this.requireOpen();
    this.masters.get(version)?.fill(0);
    this.masters.set(version, key);
    if (this.current === null || version > this.current) this.current = version;
  }

  /** Takes a verified root key and its seal, and loads the keys it opens. */
  async adoptRoot(root: SecretKey, seal: SealRow, db: Kysely<any> = this.db): Promise<void> {
    this.wipeKeys();
    this.root = root;
    this.seal_ = seal;
    this.reason = undefined;
    try {
      this.indexKey = secureKey(openBytes(root, seal.indexKey, indexKeyAad(seal.version)));
      await this.loadMasters(db);
      if (this.current === null) throw new VaultStateError('the vault holds no usable master key: the database is incomplete; restore it from a backup');
    } catch (e) {
      this.wipeKeys();
      throw e;
    }
    this.lastRefresh = Date.now();
  }

  /** Reads the seal in force from the database. */
  async loadSeal(db: Kysely<any> = this.db): Promise<SealRow | undefined> {
    const seal = await currentSeal(db);
    if (this.isSealed()) this.seal_ = seal;
    return seal;
  }

  private async loadMasters(db: Kysely<any>): Promise<void> {
    const root = this.root!;
    const seal = this.seal_!;
    const rows = await listMasterKeys(db);
    const live = new Set<number>();
    for (const r of rows) {
      if (!r.wrapped || r.sealVersion !== seal.version) continue;
      live.add(r.version);
      if (!this.masters.has(r.version)) this.masters.set(r.version, secureKey(openBytes(root, r.wrapped, masterKeyAad(r.version, r.sealVersion))));
    }
    for (const [v, k] of this.masters) {
      if (!live.has(v)) {
        wipe(k);
        this.masters.delete(v);
      }
    }
    const active = rows.filter((r) => live.has(r.version) && !r.retiredAt).map((r) => r.version);
    const candidates = active.length ? active : [...live];
    this.current = candidates.length ? Math.max(...candidates) : null;
  }

  private requireOpen(): void {
    if (this.isSealed()) throw new VaultSealedError(this.reason ? `the vault is sealed: ${this.reason}` : undefined);
  }

  private clearPending(): void {
    for (const s of this.pending.values()) wipe(s.bytes);
    this.pending.clear();
  }

  private wipeKeys(): void {
    wipe(this.root);
    wipe(this.indexKey);
    for (const k of this.masters.values()) wipe(k);
    this.masters.clear();
    this.root = null;
    this.indexKey = null;
    this.current = null;
    this.clearPending();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Opens the vault as configured: in dev mode, unsealed with the key file (made on first start);
 * in sealed mode, sealed, waiting for a passphrase or shares. Needs migration 0003.
 *
 * @example const vault = await openVault({ mode: config.vault, db, dataDir: config.dataDir })
 */
export async function openVault(opts: VaultOptions): Promise<KeyVault> {
  const vault = new KeyVault(opts);
  if (opts.mode === 'dev') await vault.unsealWithKeyFile();
  else await vault.loadSeal();
  return vault;
}
