import sodium from 'sodium-native';
import type { DropSodium } from '../../domain/drop/source-keys.js';

/**
 * sodium-native in the shape the drop's key scheme (src/domain/drop/source-keys.ts) is written for,
 * so the server computes exactly what the source's browser computes with libsodium-wrappers-sumo.
 */
export const nativeDropSodium: DropSodium = {
  crypto_pwhash_ALG_ARGON2ID13: sodium.crypto_pwhash_ALG_ARGON2ID13,
  crypto_pwhash(keyLength, password, salt, opsLimit, memLimit, algorithm) {
    const out = Buffer.alloc(keyLength);
    sodium.crypto_pwhash(out, buf(password), buf(salt), opsLimit, memLimit, algorithm);
    return out;
  },
  crypto_generichash(hashLength, message, key) {
    const out = Buffer.alloc(hashLength);
    if (key) sodium.crypto_generichash(out, buf(message), buf(key));
    else sodium.crypto_generichash(out, buf(message));
    return out;
  },
  crypto_box_seed_keypair(seed) {
    const publicKey = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES);
    const privateKey = Buffer.alloc(sodium.crypto_box_SECRETKEYBYTES);
    sodium.crypto_box_seed_keypair(publicKey, privateKey, buf(seed));
    return { publicKey, privateKey };
  },
};

function buf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

export const SEAL_OVERHEAD = sodium.crypto_box_SEALBYTES; // 48

/** A libsodium sealed box of `message` to `publicKey` (X25519): anonymous sender, only the key's owner opens it. */
export function sealTo(publicKey: Uint8Array, message: Uint8Array): Buffer {
  const out = Buffer.alloc(message.byteLength + SEAL_OVERHEAD);
  sodium.crypto_box_seal(out, buf(message), buf(publicKey));
  return out;
}

/** Opens a sealed box; null when it is not one for this key pair (damaged, altered, or for another key). */
export function openSealed(box: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Buffer | null {
  if (box.byteLength < SEAL_OVERHEAD) return null;
  const out = Buffer.alloc(box.byteLength - SEAL_OVERHEAD);
  return sodium.crypto_box_seal_open(out, buf(box), buf(publicKey), buf(secretKey)) ? out : null;
}
