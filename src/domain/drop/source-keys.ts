/**
 * The anonymous drop's key scheme for sources (docs/DROP.md, "Keys"), written once for both sides:
 * the source's browser runs it with libsodium-wrappers-sumo, the server (tests, tools) with
 * sodium-native through an adapter of the same shape (src/modules/drop/sodium.ts). Pure: no I/O.
 *
 * From the canonical codename (see normalizeCodename) and the instance's public drop salt:
 *   keySalt    = BLAKE2b-128(message "letapis/drop/v1/source-key",  key = instance salt)
 *   lookupSalt = BLAKE2b-128(message "letapis/drop/v1/lookup",      key = instance salt)
 *   seed       = Argon2id13(codename, keySalt,    ops 3, mem 64 MiB, 32 bytes)
 *   keypair    = crypto_box_seed_keypair(seed)             (X25519; replies are sealed boxes to it)
 *   token      = Argon2id13(codename, lookupSalt, ops 3, mem 64 MiB, 32 bytes)   (sent to come back)
 *   lookup     = BLAKE2b-256(message token, key = "letapis/drop/v1/lookup-hash")   (stored by the server)
 *
 * The codename never leaves the browser. The server holds `lookup` (a slow hash of the codename: one
 * Argon2id per guess, then BLAKE2b) and the public key; neither gives the seed, and the token that
 * opens the replies is not on its disk (BLAKE2b is one-way).
 */

/** The functions of libsodium the scheme needs, in libsodium-wrappers' calling convention. */
export interface DropSodium {
  crypto_pwhash(keyLength: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimit: number, algorithm: number): Uint8Array;
  crypto_generichash(hashLength: number, message: Uint8Array, key?: Uint8Array | null): Uint8Array;
  crypto_box_seed_keypair(seed: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array };
  readonly crypto_pwhash_ALG_ARGON2ID13: number;
}

/** Argon2id cost: three passes over 64 MiB, a second or two in a phone's browser. */
export const DROP_PWHASH_OPSLIMIT = 3;
export const DROP_PWHASH_MEMLIMIT = 64 * 1024 * 1024;
/** Bytes of the instance's public drop salt (a BLAKE2b key: 16 to 64). */
export const DROP_SALT_BYTES = 32;

const utf8 = (s: string) => new TextEncoder().encode(s);

function salt(sodium: DropSodium, instanceSalt: Uint8Array, context: string): Uint8Array {
  if (instanceSalt.byteLength !== DROP_SALT_BYTES) throw new TypeError(`the drop salt must be ${DROP_SALT_BYTES} bytes`);
  return sodium.crypto_generichash(16, utf8(`letapis/drop/v1/${context}`), instanceSalt);
}

function argon(sodium: DropSodium, codename: string, s: Uint8Array): Uint8Array {
  return sodium.crypto_pwhash(32, utf8(codename), s, DROP_PWHASH_OPSLIMIT, DROP_PWHASH_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

/** The source's X25519 key pair (replies are sealed to the public key; the page opens them). */
export function sourceKeyPair(sodium: DropSodium, codename: string, instanceSalt: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const seed = argon(sodium, codename, salt(sodium, instanceSalt, 'source-key'));
  try {
    const kp = sodium.crypto_box_seed_keypair(seed);
    return { publicKey: kp.publicKey, privateKey: kp.privateKey };
  } finally {
    seed.fill(0);
  }
}

/** The token the page sends to come back (never stored by the server). */
export function sourceToken(sodium: DropSodium, codename: string, instanceSalt: Uint8Array): Uint8Array {
  return argon(sodium, codename, salt(sodium, instanceSalt, 'lookup'));
}

/** What the server stores and looks a source up by: BLAKE2b-256 of the token under a fixed context key. */
export function sourceLookup(sodium: DropSodium, token: Uint8Array): Uint8Array {
  if (token.byteLength !== 32) throw new TypeError('a drop token is 32 bytes');
  return sodium.crypto_generichash(32, token, utf8('letapis/drop/v1/lookup-hash'));
}
