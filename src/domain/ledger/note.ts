/**
 * C2SP signed notes (c2sp.org/signed-note), transparency-log checkpoints (c2sp.org/tlog-checkpoint)
 * and Ed25519 witness cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`).
 *
 * Pure: the only cryptography here is SHA-256 for key IDs; Ed25519 signing and verification are
 * passed in as functions (the adapter is src/adapters/keys/ed25519.ts).
 *
 * Wire formats, as the specs define them:
 *
 *     checkpoint text   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*
 *     signed note       <text ending in \n>\n— <key name> <base64(key ID ‖ signature)>\n ...
 *     verifier key      <key name>+<key ID as 8 hex digits>+<base64(signature type ‖ public key)>
 *     key ID            SHA-256(<key name> ‖ "\n" ‖ <signature type> ‖ <public key>)[:4]
 *                       signature type 0x01 = Ed25519 note signature, 0x04 = Ed25519 cosignature/v1
 *     cosignature/v1    signature = u64be(timestamp) ‖ Ed25519("cosignature/v1\ntime <t>\n" ‖ note text)
 */
import { createHash } from 'node:crypto';

/** The most signature lines `parseNote` accepts (c2sp signed-note §Format: at least 16 MUST be accepted). */
export const NOTE_MAX_SIGNATURES = 100;
/** The largest note `parseNote` accepts, in UTF-8 bytes. */
export const NOTE_MAX_BYTES = 1 << 20;

const ED25519_TYPE = 0x01;
const COSIGNATURE_TYPE = 0x04;
const EM_DASH_PREFIX = '\u2014 ';
const ROOT_HASH_BYTES = 32;
const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
const COSIGNATURE_BYTES = 8 + ED25519_SIGNATURE_BYTES;
const MAX_TIMESTAMP = (1n << 63n) - 1n;

/** ASCII control characters other than newline (signed-note §Format forbids them anywhere in a note). */
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /\p{Cs}/u;
/** Unicode spaces (Go's unicode.IsSpace: JS \s plus NEL) and '+' are not allowed in key names. */
const NAME_FORBIDDEN = /[\s\u0085+]/u;

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

export interface NoteSignature {
  name: string;
  /** 4 bytes: the big-endian uint32 key ID. */
  keyId: Buffer;
  /** The bytes after the key ID (64 for Ed25519, 72 for cosignature/v1). */
  signature: Buffer;
}

export interface SignedNote {
  /** The note text, ending in "\n" (without the blank separator line). */
  text: string;
  signatures: NoteSignature[];
}

export type VerifierAlg = 'ed25519' | 'cosignature';

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  alg: VerifierAlg;
  publicKey: Buffer;
}

export type Ed25519Sign = (message: Buffer) => Buffer;
export type Ed25519Verify = (message: Buffer, signature: Buffer, publicKey: Buffer) => boolean;

// ---- helpers -----------------------------------------------------------------------------------

/** Standard base64 (RFC 4648 §4), decoded strictly: padded, canonical, nothing else. Null if not. */
function decodeBase64(s: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : null;
}

function isValidName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && !NAME_FORBIDDEN.test(name) && !CONTROL.test(name) && !LONE_SURROGATE.test(name);
}

function checkName(name: unknown, what: string): asserts name is string {
  if (!isValidName(name)) {
    throw new Error(`${what}: a key name must be non-empty, without spaces, '+' or control characters (c2sp signed-note), got ${JSON.stringify(name)}`);
  }
}

function checkText(text: unknown, what: string): asserts text is string {
  if (typeof text !== 'string' || text.length === 0 || !text.endsWith('\n')) throw new Error(`${what}: the note text must end in a newline (c2sp signed-note)`);
  if (CONTROL.test(text)) throw new Error(`${what}: the note text contains a control character other than newline (c2sp signed-note)`);
  if (LONE_SURROGATE.test(text)) throw new Error(`${what}: the note text is not valid Unicode`);
}

function checkPublicKey(publicKey: unknown, what: string): asserts publicKey is Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new TypeError(`${what}: an Ed25519 public key is ${ED25519_PUBLIC_KEY_BYTES} bytes`);
  }
}

function keyIdFor(name: string, type: number, publicKey: Uint8Array): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, type)).update(publicKey).digest().subarray(0, 4);
}

const typeOf = (alg: VerifierAlg) => (alg === 'ed25519' ? ED25519_TYPE : COSIGNATURE_TYPE);

// ---- checkpoints -------------------------------------------------------------------------------

/**
 * The checkpoint's note text (c2sp tlog-checkpoint §Note text): origin, decimal tree size, base64
 * root hash, then any extension lines, each line ending in "\n". Throws `Error` on a checkpoint
 * that `parseCheckpoint` would reject.
 */
export function formatCheckpoint(c: Checkpoint): string {
  const root: unknown = c.rootHash;
  if (!(root instanceof Uint8Array) || root.length !== ROOT_HASH_BYTES) throw new Error('formatCheckpoint: the root hash is 32 bytes');
  if (typeof c.size !== 'number' || !Number.isSafeInteger(c.size) || c.size < 0) throw new Error('formatCheckpoint: the tree size is a non-negative safe integer');
  const text = `${c.origin}\n${String(c.size)}\n${Buffer.from(root).toString('base64')}\n${(c.extensions ?? []).map((e) => `${e}\n`).join('')}`;
  const back = parseCheckpoint(text); // one set of rules for writing and reading
  if (back.origin !== c.origin || back.size !== c.size || back.extensions.length !== (c.extensions ?? []).length) {
    throw new Error('formatCheckpoint: the origin and extension lines must be single lines');
  }
  return text;
}

/**
 * Parses a checkpoint's note text strictly (c2sp tlog-checkpoint §Note text): at least three
 * lines, every line "\n"-terminated and non-empty; a non-empty origin; the tree size in decimal
 * without leading zeros (a safe integer); the root hash as canonical padded base64 of 32 bytes;
 * no control characters. Throws `Error` saying what is wrong.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string') throw new Error('parseCheckpoint: expected the note text');
  checkText(text, 'parseCheckpoint');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new Error(`parseCheckpoint: a checkpoint has at least 3 lines (origin, size, root hash), got ${lines.length}`);
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new Error('parseCheckpoint: the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new Error(`parseCheckpoint: the tree size ${JSON.stringify(sizeLine)} is not a decimal number without leading zeros`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new Error(`parseCheckpoint: the tree size ${sizeLine} is too large`);
  const rootHash = decodeBase64(rootLine);
  if (!rootHash || rootHash.length !== ROOT_HASH_BYTES) throw new Error('parseCheckpoint: the root hash line is not the canonical base64 of 32 bytes');
  if (extensions.some((e) => e.length === 0)) throw new Error('parseCheckpoint: extension lines must be non-empty');
  return { origin, size, rootHash, extensions };
}

// ---- signed notes ------------------------------------------------------------------------------

/**
 * The signed note (c2sp signed-note §Format): the text, a blank line, then one line per signature,
 * "— <name> <base64(key ID ‖ signature)>\n" (U+2014 EM DASH, space). Throws `Error` on a note
 * that `parseNote` would reject (no signatures, bad names, key IDs not 4 bytes, ...).
 */
export function formatNote(n: SignedNote): string {
  checkText(n.text, 'formatNote');
  if (!Array.isArray(n.signatures) || n.signatures.length === 0) throw new Error('formatNote: a signed note has at least one signature');
  if (n.signatures.length > NOTE_MAX_SIGNATURES) throw new Error(`formatNote: more than ${NOTE_MAX_SIGNATURES} signatures`);
  const lines = n.signatures.map((s) => {
    checkName(s.name, 'formatNote');
    if (!(s.keyId instanceof Uint8Array) || s.keyId.length !== 4) throw new Error('formatNote: a key ID is 4 bytes');
    if (!(s.signature instanceof Uint8Array) || s.signature.length === 0) throw new Error('formatNote: empty signature');
    return `${EM_DASH_PREFIX}${s.name} ${Buffer.concat([s.keyId, s.signature]).toString('base64')}\n`;
  });
  return `${n.text}\n${lines.join('')}`;
}

/**
 * Parses a signed note strictly (c2sp signed-note §Format): valid UTF-8 (when given bytes), no
 * control characters but newline, at most NOTE_MAX_BYTES bytes; the text is everything up to the
 * last blank line; then 1..NOTE_MAX_SIGNATURES lines "— <name> <base64>\n" with a valid key name
 * and canonical base64 of more than 4 bytes; nothing after the last signature line. Throws `Error`.
 */
export function parseNote(s: string | Uint8Array): SignedNote {
  let note: string;
  if (typeof s === 'string') {
    if (Buffer.byteLength(s, 'utf8') > NOTE_MAX_BYTES) throw new Error(`parseNote: larger than ${NOTE_MAX_BYTES} bytes`);
    if (LONE_SURROGATE.test(s)) throw new Error('parseNote: not valid Unicode');
    note = s;
  } else if (s instanceof Uint8Array) {
    if (s.length > NOTE_MAX_BYTES) throw new Error(`parseNote: larger than ${NOTE_MAX_BYTES} bytes`);
    try {
      note = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(s);
    } catch {
      throw new Error('parseNote: not valid UTF-8 (c2sp signed-note)');
    }
  } else {
    throw new Error('parseNote: expected a string or bytes');
  }
  if (CONTROL.test(note)) throw new Error('parseNote: contains a control character other than newline (c2sp signed-note)');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('parseNote: no blank line between the text and the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) throw new Error('parseNote: a signed note has at least one signature line');
  if (!block.endsWith('\n')) throw new Error('parseNote: the last signature line does not end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > NOTE_MAX_SIGNATURES) throw new Error(`parseNote: more than ${NOTE_MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line, i) => {
    if (!line.startsWith(EM_DASH_PREFIX)) throw new Error(`parseNote: signature line ${i + 1} does not start with "— "`);
    const fields = line.slice(EM_DASH_PREFIX.length).split(' ');
    if (fields.length !== 2) throw new Error(`parseNote: signature line ${i + 1} is not "— <name> <base64>"`);
    const [name, b64] = fields as [string, string];
    if (!isValidName(name)) throw new Error(`parseNote: signature line ${i + 1} has an invalid key name`);
    const bytes = decodeBase64(b64);
    if (!bytes) throw new Error(`parseNote: signature line ${i + 1} is not canonical base64`);
    if (bytes.length <= 4) throw new Error(`parseNote: signature line ${i + 1} is too short for a key ID and a signature`);
    return { name, keyId: Buffer.from(bytes.subarray(0, 4)), signature: Buffer.from(bytes.subarray(4)) };
  });
  return { text, signatures };
}

// ---- keys --------------------------------------------------------------------------------------

/** c2sp signed-note §Ed25519 signatures: SHA-256(name ‖ "\n" ‖ 0x01 ‖ 32-byte public key)[:4]. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): Buffer {
  checkName(name, 'ed25519KeyId');
  checkPublicKey(publicKey, 'ed25519KeyId');
  return keyIdFor(name, ED25519_TYPE, publicKey);
}

/** c2sp tlog-cosignature §Format: SHA-256(name ‖ "\n" ‖ 0x04 ‖ 32-byte public key)[:4]. */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): Buffer {
  checkName(name, 'cosignatureKeyId');
  checkPublicKey(publicKey, 'cosignatureKeyId');
  return keyIdFor(name, COSIGNATURE_TYPE, publicKey);
}

/**
 * A verifier key (c2sp signed-note "vkey", as golang.org/x/mod/sumdb/note writes it):
 * "<name>+<key ID, 8 lowercase hex digits>+<base64(signature type ‖ public key)>", signature type
 * 0x01 for 'ed25519' (the default) and 0x04 for 'cosignature' (c2sp tlog-cosignature §Format).
 */
export function formatVerifierKey(name: string, publicKey: Uint8Array, alg: VerifierAlg = 'ed25519'): string {
  if (alg !== 'ed25519' && alg !== 'cosignature') throw new Error(`formatVerifierKey: unknown algorithm ${String(alg)}`);
  checkName(name, 'formatVerifierKey');
  checkPublicKey(publicKey, 'formatVerifierKey');
  const type = typeOf(alg);
  return `${name}+${keyIdFor(name, type, publicKey).toString('hex')}+${Buffer.concat([Uint8Array.of(type), publicKey]).toString('base64')}`;
}

/**
 * Parses a verifier key (see `formatVerifierKey`) strictly: valid name, 8 lowercase hex digits,
 * canonical base64 of a known type byte (0x01, 0x04) and a 32-byte Ed25519 key, and the key ID
 * must be the one computed from name, type and key. Throws `Error` saying what is wrong.
 */
export function parseVerifierKey(s: string): VerifierKey {
  if (typeof s !== 'string') throw new Error('parseVerifierKey: expected a string');
  const plus = s.indexOf('+');
  if (plus < 0) throw new Error('parseVerifierKey: expected <name>+<key id>+<key>');
  const name = s.slice(0, plus);
  const rest = s.slice(plus + 1);
  const plus2 = rest.indexOf('+');
  if (plus2 < 0) throw new Error('parseVerifierKey: expected <name>+<key id>+<key>');
  const idHex = rest.slice(0, plus2);
  const keyB64 = rest.slice(plus2 + 1);
  if (!isValidName(name)) throw new Error('parseVerifierKey: invalid key name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error('parseVerifierKey: the key ID is not 8 lowercase hex digits');
  const material = decodeBase64(keyB64);
  if (!material) throw new Error('parseVerifierKey: the key is not canonical base64');
  const type = material[0];
  let alg: VerifierAlg;
  if (type === ED25519_TYPE) alg = 'ed25519';
  else if (type === COSIGNATURE_TYPE) alg = 'cosignature';
  else throw new Error(`parseVerifierKey: unsupported signature type ${type === undefined ? '(none)' : `0x${type.toString(16).padStart(2, '0')}`}`);
  const publicKey = Buffer.from(material.subarray(1));
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new Error(`parseVerifierKey: an Ed25519 public key is 32 bytes, got ${publicKey.length}`);
  const keyId = keyIdFor(name, type, publicKey);
  if (keyId.toString('hex') !== idHex) throw new Error(`parseVerifierKey: key ID mismatch (${idHex} given, ${keyId.toString('hex')} computed)`);
  return { name, keyId, alg, publicKey };
}

// ---- signing and verifying ---------------------------------------------------------------------

/**
 * An Ed25519 note signature over the UTF-8 of `text` (c2sp signed-note §Ed25519 signatures), key ID
 * type 0x01. `sign` is the signer's Ed25519 over the given message.
 */
export function signNoteText(text: string, name: string, publicKey: Buffer, sign: Ed25519Sign): NoteSignature {
  checkText(text, 'signNoteText');
  const keyId = ed25519KeyId(name, publicKey);
  const signature = sign(Buffer.from(text, 'utf8'));
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) throw new Error('signNoteText: an Ed25519 signature is 64 bytes');
  return { name, keyId, signature: Buffer.from(signature) };
}

function checkTimestamp(timestamp: bigint): void {
  if (timestamp < 0n || timestamp > MAX_TIMESTAMP) throw new RangeError('cosignature timestamp out of range (0 ≤ t ≤ 2^63 − 1)');
}

function cosignatureMessageBig(checkpointText: string, timestamp: bigint): Buffer {
  checkTimestamp(timestamp);
  parseCheckpoint(checkpointText); // a cosignature is over a checkpoint
  return Buffer.from(`cosignature/v1\ntime ${timestamp.toString()}\n${checkpointText}`, 'utf8');
}

/**
 * The message a cosignature/v1 signs (c2sp tlog-cosignature §Ed25519 signed message):
 * "cosignature/v1\n" ‖ "time <timestamp in decimal>\n" ‖ the whole checkpoint note text (all its
 * lines, extension lines included; no signature lines). `timestamp` is POSIX seconds, a safe
 * non-negative integer. Throws on a text that is not a checkpoint.
 */
export function cosignatureMessage(checkpointText: string, timestamp: number): Buffer {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('cosignatureMessage: the timestamp is a non-negative integer of seconds');
  return cosignatureMessageBig(checkpointText, BigInt(timestamp));
}

/**
 * A cosignature/v1 (c2sp tlog-cosignature §Format): key ID type 0x04, signature
 * u64be(timestamp) ‖ Ed25519(cosignatureMessage(text, timestamp)).
 */
export function cosignNoteText(text: string, name: string, publicKey: Buffer, timestamp: number, sign: Ed25519Sign): NoteSignature {
  const message = cosignatureMessage(text, timestamp);
  const keyId = cosignatureKeyId(name, publicKey);
  const sig = sign(message);
  if (!(sig instanceof Uint8Array) || sig.length !== ED25519_SIGNATURE_BYTES) throw new Error('cosignNoteText: an Ed25519 signature is 64 bytes');
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  return { name, keyId, signature: Buffer.concat([ts, sig]) };
}

/**
 * The timestamp (POSIX seconds) of a cosignature/v1 signature: its first 8 bytes, big-endian
 * (c2sp tlog-cosignature §Format). Throws on a signature that is not 8 + 64 bytes or a timestamp
 * beyond Number.MAX_SAFE_INTEGER.
 */
export function cosignatureTimestamp(sig: NoteSignature): number {
  if (!(sig?.signature instanceof Uint8Array) || sig.signature.length !== COSIGNATURE_BYTES) {
    throw new Error(`cosignatureTimestamp: a cosignature/v1 signature is ${COSIGNATURE_BYTES} bytes`);
  }
  const t = Buffer.from(sig.signature).readBigUInt64BE(0);
  if (t > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('cosignatureTimestamp: timestamp out of range');
  return Number(t);
}

/**
 * Checks the note's signature(s) by `key` (c2sp signed-note §Signatures): the lines whose name and
 * key ID are the key's. 'absent' when there are none (signatures of other keys are ignored, as
 * the spec requires); 'valid' when there is at least one and every one verifies; 'invalid'
 * otherwise. For an 'ed25519' key the signature is Ed25519 over the note text; for a
 * 'cosignature' key it is a cosignature/v1: u64be timestamp ‖ Ed25519 over
 * `cosignatureMessage(note.text, timestamp)` (and the text must be a checkpoint). Never throws on
 * malformed signatures: they are 'invalid'.
 */
export function verifyNoteSignature(note: SignedNote, key: VerifierKey, verify: Ed25519Verify): 'valid' | 'invalid' | 'absent' {
  const type = typeOf(key.alg);
  const keyId = keyIdFor(key.name, type, key.publicKey); // trust the key material, not a copied ID
  const mine = note.signatures.filter((s) => s.name === key.name && Buffer.from(s.keyId).equals(keyId));
  if (mine.length === 0) return 'absent';
  const check = (s: NoteSignature): boolean => {
    try {
      const sig = Buffer.from(s.signature);
      if (key.alg === 'ed25519') {
        return sig.length === ED25519_SIGNATURE_BYTES && verify(Buffer.from(note.text, 'utf8'), sig, Buffer.from(key.publicKey)) === true;
      }
      if (sig.length !== COSIGNATURE_BYTES) return false;
      const message = cosignatureMessageBig(note.text, sig.readBigUInt64BE(0));
      return verify(message, sig.subarray(8), Buffer.from(key.publicKey)) === true;
    } catch {
      return false;
    }
  };
  return mine.every(check) ? 'valid' : 'invalid';
}
