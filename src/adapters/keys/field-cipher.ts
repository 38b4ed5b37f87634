import sodium from 'sodium-native';
import { DomainError } from '../../domain/errors.js';

/**
 * Authenticated encryption of single values (record fields, wrapped keys) and keyed blind indexes,
 * all with libsodium: XChaCha20-Poly1305-IETF for encryption, BLAKE2b for blind indexes.
 *
 * Ciphertext layout (version 1): `0x01 ‖ nonce (24 random bytes) ‖ ciphertext ‖ tag (16 bytes)`.
 * The associated data (AAD) is not stored: the caller states it again to decrypt, so a ciphertext
 * copied to another row or field (whose AAD differs) does not decrypt.
 */

export const KEY_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES; // 32
const NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES; // 24
const TAG_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES; // 16
/** First byte of every ciphertext: the format, so a later format can be told apart. */
export const CIPHER_FORMAT_V1 = 0x01;
const HEADER_BYTES = 1 + NONCE_BYTES;

/** A ciphertext that is damaged, was tampered with, was moved to another row, or is under another key. */
export class FieldDecryptionError extends DomainError {
  readonly status = 500;
  readonly title = 'Encrypted data failed its integrity check';
  constructor(message = 'a ciphertext failed authentication: it was altered, moved from another record or field, or is under another key') {
    super(message);
    this.name = 'FieldDecryptionError';
  }
}

/**
 * A fresh random 32-byte data key (for one record's fields, or one blob).
 *
 * @example const key = generateDataKey(); encryptField(key, 'Аляксандра', 'persons/01J…/name')
 */
export function generateDataKey(): Buffer {
  const key = Buffer.alloc(KEY_BYTES);
  sodium.randombytes_buf(key);
  return key;
}

function assertKey(key: Uint8Array, what = 'key'): void {
  if (!(key instanceof Uint8Array) || key.byteLength !== KEY_BYTES) throw new TypeError(`${what} must be ${KEY_BYTES} bytes`);
}

/**
 * Encrypts bytes under `key`, binding `aad` (not stored; needed again to decrypt).
 *
 * @example const blob = sealBytes(masterKey, dataKey, 'letapis/data-key/1/01J…')
 */
export function sealBytes(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  assertKey(key);
  const out = Buffer.alloc(HEADER_BYTES + plaintext.byteLength + TAG_BYTES);
  out[0] = CIPHER_FORMAT_V1;
  const nonce = out.subarray(1, HEADER_BYTES);
  sodium.randombytes_buf(nonce);
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    out.subarray(HEADER_BYTES),
    Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength),
    Buffer.from(aad, 'utf8'),
    null,
    nonce,
    Buffer.from(key.buffer, key.byteOffset, key.byteLength),
  );
  return out;
}

/**
 * Decrypts what `sealBytes` made with the same key and AAD. Throws FieldDecryptionError on any
 * change to the blob, another AAD or another key; never returns unauthenticated bytes.
 */
export function openBytes(key: Uint8Array, blob: Uint8Array, aad: string): Buffer {
  assertKey(key);
  if (!(blob instanceof Uint8Array) || blob.byteLength < HEADER_BYTES + TAG_BYTES) throw new FieldDecryptionError('a ciphertext is too short to be valid: it is damaged or not a Letapis ciphertext');
  if (blob[0] !== CIPHER_FORMAT_V1) throw new FieldDecryptionError(`a ciphertext has an unknown format (${blob[0]}): it is damaged or from a newer Letapis`);
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const out = Buffer.alloc(b.byteLength - HEADER_BYTES - TAG_BYTES);
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(out, null, b.subarray(HEADER_BYTES), Buffer.from(aad, 'utf8'), b.subarray(1, HEADER_BYTES), Buffer.from(key.buffer, key.byteOffset, key.byteLength));
  } catch {
    throw new FieldDecryptionError();
  }
  return out;
}

/**
 * Encrypts a text field under a record's data key. `aad` names the record and field (e.g.
 * `persons/<id>/birth_date`) so the ciphertext cannot be moved to another row or column.
 *
 * @example decryptField(key, encryptField(key, '+375 29 000-00-00', 'persons/1/phone'), 'persons/1/phone') // '+375 29 000-00-00'
 */
export function encryptField(dataKey: Uint8Array, plaintext: string, aad: string): Buffer {
  const bytes = Buffer.from(plaintext, 'utf8');
  try {
    return sealBytes(dataKey, bytes, aad);
  } finally {
    sodium.sodium_memzero(bytes);
  }
}

/** Decrypts a text field. Throws FieldDecryptionError on tampering, a wrong AAD or a wrong key. */
export function decryptField(dataKey: Uint8Array, blob: Uint8Array, aad: string): string {
  const bytes = openBytes(dataKey, blob, aad);
  try {
    return bytes.toString('utf8');
  } finally {
    sodium.sodium_memzero(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Blind indexes

const BLIND_KDF_CONTEXT = Buffer.from('LtpBlIdx', 'ascii'); // crypto_kdf contexts are exactly 8 bytes

export interface BlindIndexOptions {
  /** Output length in bytes, 16 to 32 (default 16: 128 bits, collisions negligible). */
  bytes?: number;
  /** Output encoding (default hex). */
  encoding?: 'hex' | 'base64url';
}

/** The crypto_kdf subkey id for a context name: the first 48 bits of its BLAKE2b hash. */
function contextSubkeyId(context: string): number {
  const h = Buffer.alloc(16);
  sodium.crypto_generichash(h, Buffer.from(`letapis blind index context:${context}`, 'utf8'));
  return h.readUIntBE(0, 6);
}

/**
 * A keyed hash of `value` for finding records by an exact (normalised) value without storing it:
 * BLAKE2b keyed with a per-context subkey that crypto_kdf derives from `key` (the vault's
 * blind-index key), so the same value gives unrelated indexes in different contexts. The value is
 * hashed exactly as given (UTF-8): normalise it first with the one name normaliser.
 *
 * @example blindIndex(vault.blindIndexKey(), 'aliaksandra prykladnaja', 'person-name') // '3f9a…' (32 hex chars)
 */
export function blindIndex(key: Uint8Array, value: string, context: string, opts: BlindIndexOptions = {}): string {
  if (!(key instanceof Uint8Array) || key.byteLength !== sodium.crypto_kdf_KEYBYTES) throw new TypeError(`a blind-index key must be ${sodium.crypto_kdf_KEYBYTES} bytes`);
  if (!context) throw new TypeError('a blind index needs a context name (e.g. "person-name")');
  const bytes = opts.bytes ?? 16;
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 32) throw new RangeError('a blind index is 16 to 32 bytes long');
  // a plain buffer, wiped after use: sodium_malloc per call (a guarded mapping each) is too dear in bulk
  const subkey = Buffer.alloc(sodium.crypto_generichash_KEYBYTES);
  try {
    sodium.crypto_kdf_derive_from_key(subkey, contextSubkeyId(context), BLIND_KDF_CONTEXT, Buffer.from(key.buffer, key.byteOffset, key.byteLength));
    const out = Buffer.alloc(bytes);
    sodium.crypto_generichash(out, Buffer.from(value, 'utf8'), subkey);
    return out.toString(opts.encoding ?? 'hex');
  } finally {
    sodium.sodium_memzero(subkey);
  }
}
