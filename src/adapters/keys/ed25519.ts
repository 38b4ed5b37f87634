/**
 * Ed25519 (RFC 8032) through libsodium (sodium-native). This is the only place that holds the
 * instance's signing key material; the ledger domain code receives `sign`/`verify` as functions.
 *
 * Never node:crypto for Ed25519 here: one implementation, libsodium's, for signing and verifying.
 */
import sodium from 'sodium-native';

const PUBLIC_KEY_BYTES = sodium.crypto_sign_PUBLICKEYBYTES; // 32
const SECRET_KEY_BYTES = sodium.crypto_sign_SECRETKEYBYTES; // 64 (seed ‖ public key)
const SEED_BYTES = sodium.crypto_sign_SEEDBYTES; // 32
const SIGNATURE_BYTES = sodium.crypto_sign_BYTES; // 64

export interface Ed25519KeyPair {
  publicKey: Buffer;
  /** The 64-byte libsodium secret key (32-byte RFC 8032 seed followed by the public key). */
  secretKey: Buffer;
}

/** A fresh random key pair (RFC 8032 §5.1.5 key generation, libsodium `crypto_sign_keypair`). */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  const publicKey = Buffer.alloc(PUBLIC_KEY_BYTES);
  const secretKey = sodium.sodium_malloc(SECRET_KEY_BYTES);
  sodium.crypto_sign_keypair(publicKey, secretKey);
  return { publicKey, secretKey };
}

/**
 * The key pair of a 32-byte RFC 8032 private key ("seed", RFC 8032 §5.1.5), libsodium
 * `crypto_sign_seed_keypair`. Throws `TypeError` when the seed is not 32 bytes.
 */
export function ed25519KeyPairFromSeed(seed: Buffer): Ed25519KeyPair {
  if (!Buffer.isBuffer(seed) || seed.length !== SEED_BYTES) {
    throw new TypeError(`an Ed25519 seed is ${SEED_BYTES} bytes, got ${Buffer.isBuffer(seed) ? seed.length : typeof seed}`);
  }
  const publicKey = Buffer.alloc(PUBLIC_KEY_BYTES);
  const secretKey = sodium.sodium_malloc(SECRET_KEY_BYTES);
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
  return { publicKey, secretKey };
}

/**
 * The 64-byte Ed25519 signature of `message` (RFC 8032 §5.1.6, deterministic), libsodium
 * `crypto_sign_detached`. Throws `TypeError` when the secret key is not 64 bytes.
 */
export function ed25519Sign(message: Buffer, secretKey: Buffer): Buffer {
  if (!Buffer.isBuffer(secretKey) || secretKey.length !== SECRET_KEY_BYTES) {
    throw new TypeError(`an Ed25519 secret key is ${SECRET_KEY_BYTES} bytes (libsodium format)`);
  }
  const signature = Buffer.alloc(SIGNATURE_BYTES);
  sodium.crypto_sign_detached(signature, message, secretKey);
  return signature;
}

/**
 * Whether `signature` is a valid Ed25519 signature of `message` by `publicKey` (RFC 8032 §5.1.7,
 * libsodium `crypto_sign_verify_detached`, which also rejects small-order keys and non-canonical
 * encodings). False on wrong lengths or wrong types; never throws.
 */
export function ed25519Verify(message: Buffer, signature: Buffer, publicKey: Buffer): boolean {
  if (!Buffer.isBuffer(message) || !Buffer.isBuffer(signature) || !Buffer.isBuffer(publicKey)) return false;
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}
