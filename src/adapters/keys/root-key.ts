import sodium from 'sodium-native';
import { combine, split } from 'shamir-secret-sharing';
import { KEY_BYTES } from './field-cipher.js';

/**
 * The root key opens the vault: it unwraps the master keys and the blind-index key stored in the
 * database. It is never stored: it comes from the dev key file, from a passphrase (argon2id), or
 * from k of n Shamir shares. Everything here returns it in sodium secure memory.
 */

/** Root key in guarded, locked memory (sodium_malloc); wipe with `wipe` when done. */
export type SecretKey = Buffer;

/** A 32-byte buffer in sodium secure memory (guard pages, mlock'd, not swapped). */
export function secureKey(from?: Uint8Array): SecretKey {
  const k = sodium.sodium_malloc(KEY_BYTES);
  if (from) {
    if (from.byteLength !== KEY_BYTES) throw new TypeError(`a key must be ${KEY_BYTES} bytes`);
    k.set(from);
  } else sodium.randombytes_buf(k);
  return k;
}

/** Overwrites a buffer with zeros (sodium_memzero, which the compiler may not optimise away). */
export function wipe(b: Uint8Array | null | undefined): void {
  if (b && b.byteLength) sodium.sodium_memzero(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

// ---------------------------------------------------------------------------------------------
// Passphrase → root key (argon2id)

export interface KdfParams {
  opslimit: number;
  /** bytes */
  memlimit: number;
}

/**
 * Default argon2id cost for the vault passphrase: 4 passes over 512 MiB. Measured on the 2-core
 * development machine (libsodium argon2id, one lane): 1.5–1.8 s, median 1.6 s, per unseal. Unsealing happens once
 * per server start, so the cost is spent where it hurts an attacker who has a copy of the database
 * (salt + check value) and tries passphrases offline: each guess costs the same 512 MiB and ~1.6 s.
 */
export const DEFAULT_KDF: KdfParams = { opslimit: 4, memlimit: 512 * 1024 * 1024 };
/** The least an operator may choose (`--kdf-memory-mib`, `--kdf-ops`) for a small server. */
export const MIN_KDF: KdfParams = { opslimit: 3, memlimit: 64 * 1024 * 1024 };
export const KDF_NAME = 'argon2id13';
export const MIN_PASSPHRASE_CHARS = 16;

/** A fresh random argon2id salt. */
export function newSalt(): Buffer {
  const s = Buffer.alloc(sodium.crypto_pwhash_SALTBYTES);
  sodium.randombytes_buf(s);
  return s;
}

/** Refuses passphrases that are too short, or that a line-based reader would cut. */
export function checkPassphrase(passphrase: string): void {
  if (/[\r\n]/.test(passphrase)) throw new Error('the vault passphrase must be one line (no line breaks)');
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS)
    throw new Error(`the vault passphrase must have at least ${MIN_PASSPHRASE_CHARS} characters; use a phrase of six or more random words`);
}

/**
 * Derives the root key from a passphrase with argon2id (libsodium crypto_pwhash), off the main
 * thread. The passphrase is NFC-normalised so the same words typed on different keyboards match.
 *
 * @example const root = await deriveRootKey('six random words …', salt, DEFAULT_KDF)
 */
export async function deriveRootKey(passphrase: string, salt: Buffer, params: KdfParams): Promise<SecretKey> {
  const out = sodium.sodium_malloc(KEY_BYTES);
  const pw = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  try {
    await new Promise<void>((resolve, reject) =>
      sodium.crypto_pwhash_async(out, pw, salt, params.opslimit, params.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13, (err) => (err ? reject(err) : resolve())),
    );
    return out;
  } catch (e) {
    wipe(out);
    throw e;
  } finally {
    wipe(pw);
  }
}

// ---------------------------------------------------------------------------------------------
// Shamir shares of the root key

/**
 * A share as printed for a custodian: `LS1-<seal>-<i>of<n>-<hex>-<check>`.
 * - `seal`: which root key (seal version) it belongs to; a share of a replaced root is refused.
 * - `i`, `n`: the custodian's label ("share 2 of 5"); the share's own x-coordinate is in its bytes.
 * - `hex`: the share (33 bytes for a 32-byte root key, from `shamir-secret-sharing`).
 * - `check`: 4 bytes of BLAKE2b over the rest, to catch a mistyped share before it is combined.
 *   It is computed from the share alone and says nothing about the other shares or the key.
 * Spaces inside a share are ignored, so custodians may write it in groups.
 */
export interface ParsedShare {
  sealVersion: number;
  index: number;
  count: number;
  bytes: Buffer;
}

export class ShareFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareFormatError';
  }
}

function shareChecksum(body: string): string {
  const h = Buffer.alloc(16);
  sodium.crypto_generichash(h, Buffer.from(`letapis share:${body}`, 'utf8'));
  return h.subarray(0, 4).toString('hex');
}

/** Formats one share for printing. */
export function formatShare(s: ParsedShare): string {
  const body = `LS1-${s.sealVersion}-${s.index}of${s.count}-${s.bytes.toString('hex')}`;
  return `${body}-${shareChecksum(body)}`;
}

/** True when a line looks like a share (and not like a passphrase). */
export function looksLikeShare(text: string): boolean {
  return /^\s*LS1-/i.test(text);
}

/** Parses and checks a share as typed by a custodian; says what is wrong with it if anything. */
export function parseShare(text: string): ParsedShare {
  const compact = text.replace(/\s+/g, '');
  const m = /^LS1-(\d{1,9})-(\d{1,3})of(\d{1,3})-([0-9a-f]+)-([0-9a-f]{8})$/i.exec(compact);
  if (!m) throw new ShareFormatError('this is not a Letapis vault share: a share looks like LS1-1-2of5-<66 hex digits>-<8 hex digits>');
  const [, seal, i, n, hex, check] = m as unknown as [string, string, string, string, string, string];
  const body = `LS1-${Number(seal)}-${Number(i)}of${Number(n)}-${hex.toLowerCase()}`;
  if (shareChecksum(body) !== check.toLowerCase()) throw new ShareFormatError(`share ${Number(i)} of ${Number(n)} is mistyped or damaged (its check digits do not match): compare it with the copy you were given`);
  if (hex.length !== (KEY_BYTES + 1) * 2) throw new ShareFormatError(`share ${Number(i)} of ${Number(n)} has the wrong length: it should have ${(KEY_BYTES + 1) * 2} hex digits in its middle part`);
  return { sealVersion: Number(seal), index: Number(i), count: Number(n), bytes: Buffer.from(hex, 'hex') };
}

/** Splits a root key into `shares` shares, any `threshold` of which rebuild it. */
export async function splitRootKey(root: SecretKey, sealVersion: number, shares: number, threshold: number): Promise<string[]> {
  checkShareCounts(shares, threshold);
  const parts = await split(new Uint8Array(root.buffer, root.byteOffset, root.byteLength), shares, threshold);
  return parts.map((p, i) => {
    const bytes = Buffer.from(p);
    try {
      return formatShare({ sealVersion, index: i + 1, count: shares, bytes });
    } finally {
      wipe(p);
      wipe(bytes);
    }
  });
}

/** Rebuilds the root key from shares (unverified: check it against the seal's check value). */
export async function combineShares(shares: ParsedShare[]): Promise<SecretKey> {
  const parts = shares.map((s) => new Uint8Array(s.bytes));
  const secret = await combine(parts);
  try {
    return secureKey(secret);
  } finally {
    wipe(secret);
    for (const p of parts) wipe(p);
  }
}

export function checkShareCounts(shares: number, threshold: number): void {
  if (!Number.isInteger(shares) || !Number.isInteger(threshold)) throw new Error('--shares and --threshold must be whole numbers');
  if (threshold < 2) throw new Error('--threshold must be at least 2: with 1, any single custodian could open the vault alone');
  if (shares < threshold) throw new Error('--shares must be at least --threshold');
  if (shares > 255) throw new Error('--shares can be at most 255');
}
