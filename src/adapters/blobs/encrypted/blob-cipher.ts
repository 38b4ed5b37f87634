import sodium from 'sodium-native';
import { BlobIntegrityError } from '../blob-store.port.js';

/**
 * The encrypted blob format (version 1): libsodium secretstream (XChaCha20-Poly1305) in segments.
 *
 *   file header (64 bytes)  "LtpB" ‖ 0x01 ‖ log2 message size (16) ‖ log2 messages per segment (4)
 *                           ‖ key id length ‖ data key id (ASCII, zero-padded to 56 bytes)
 *   segment 0               secretstream header (24) ‖ 16 messages of 64 KiB + 17 bytes each
 *   segment 1 …             the same; the last segment holds 1 to 16 messages, the last of them
 *                           1 to 64 KiB (0 bytes only for an empty blob)
 *
 * Every segment is its own secretstream under the blob's data key, with a fresh random header.
 * Every message carries as associated data the file header, the blob's name and the segment's
 * index, so segments cannot be reordered, dropped, or moved between blobs or names, and the header
 * cannot be edited. The last message of the blob is tagged FINAL and no other is: a blob cut at a
 * message or segment boundary fails as truncated, and one cut inside a message fails its MAC.
 *
 * Why segments: a range read (video seeking) decrypts from the start of the segment holding the
 * range's first byte, so its cost is at most one segment (1 MiB) of extra reading and decryption
 * wherever the range lies, instead of everything before it. Segments are independent, so large
 * puts encrypt them on a worker thread (segment-worker.ts) while the caller hashes. The layout is
 * fixed by the plaintext size, so sizes convert both ways without reading the blob.
 */

const ss = sodium as unknown as {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_init_push(state: Buffer, header: Buffer, key: Buffer): void;
  crypto_secretstream_xchacha20poly1305_init_pull(state: Buffer, header: Buffer, key: Buffer): void;
  crypto_secretstream_xchacha20poly1305_push(state: Buffer, c: Buffer, m: Buffer, ad: Buffer | null, tag: number): number;
  crypto_secretstream_xchacha20poly1305_pull(state: Buffer, m: Buffer, tag: Buffer, c: Buffer, ad: Buffer | null): number;
  crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
  crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;
};

export const TAG_MESSAGE = Number(ss.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
export const TAG_FINAL = Number(ss.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
export const STATE_BYTES = ss.crypto_secretstream_xchacha20poly1305_STATEBYTES;
/** Added to each message: 1 encrypted tag byte + 16-byte MAC. */
export const ABYTES = 17;
/** Random header at the start of each segment. */
export const STREAM_HEADER_BYTES = 24;
export const FILE_HEADER_BYTES = 64;
const MAGIC = Buffer.from('LtpB', 'ascii');
const FORMAT_V1 = 0x01;
const MAX_KEY_ID_BYTES = FILE_HEADER_BYTES - 8;

/** Message and segment sizes of a blob (fixed in version 1; recorded in the header). */
export interface Layout {
  messageBytes: number;
  messagesPerSegment: number;
}

export const LAYOUT_V1: Layout = { messageBytes: 64 * 1024, messagesPerSegment: 16 };

export const segmentPlainBytes = (l: Layout): number => l.messageBytes * l.messagesPerSegment;
export const segmentCipherBytes = (l: Layout): number => STREAM_HEADER_BYTES + l.messagesPerSegment * (l.messageBytes + ABYTES);

export interface BlobHeader {
  /** The 64 header bytes as stored (bound into every message). */
  bytes: Buffer;
  keyId: string;
  layout: Layout;
}

/** The file header for a new blob encrypted under data key `keyId`. */
export function encodeHeader(keyId: string, layout: Layout = LAYOUT_V1): BlobHeader {
  const id = Buffer.from(keyId, 'ascii');
  if (!/^[0-9A-Za-z_-]+$/.test(keyId) || id.byteLength > MAX_KEY_ID_BYTES) throw new TypeError(`a data key id must be 1 to ${MAX_KEY_ID_BYTES} letters, digits, - or _`);
  const bytes = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes[4] = FORMAT_V1;
  bytes[5] = Math.log2(layout.messageBytes);
  bytes[6] = Math.log2(layout.messagesPerSegment);
  bytes[7] = id.byteLength;
  id.copy(bytes, 8);
  return { bytes, keyId, layout };
}

/** Reads a file header. Throws BlobIntegrityError on anything but a version-1 Letapis blob header. */
export function decodeHeader(bytes: Buffer, blobName: string): BlobHeader {
  if (bytes.byteLength < FILE_HEADER_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) throw new BlobIntegrityError(blobName, 'it does not start with a Letapis encrypted-blob header');
  if (bytes[4] !== FORMAT_V1) throw new BlobIntegrityError(blobName, `its header names an unknown format (${bytes[4]})`);
  const m = bytes[5]!;
  const s = bytes[6]!;
  const n = bytes[7]!;
  if (m < 10 || m > 24 || s > 10 || n === 0 || n > MAX_KEY_ID_BYTES) throw new BlobIntegrityError(blobName, 'its header holds impossible values');
  const own = Buffer.from(bytes.subarray(0, FILE_HEADER_BYTES));
  const keyId = own.toString('latin1', 8, 8 + n);
  if (!/^[0-9A-Za-z_-]+$/.test(keyId) || own.subarray(8 + n).some((b) => b !== 0)) throw new BlobIntegrityError(blobName, 'its header holds a malformed data key id');
  return { bytes: own, keyId, layout: { messageBytes: 2 ** m, messagesPerSegment: 2 ** s } };
}

/** Messages a plaintext of `size` bytes takes (an empty blob still has its one FINAL message). */
export function messageCount(size: number, l: Layout): number {
  return Math.max(1, Math.ceil(size / l.messageBytes));
}

/** Stored bytes of a plaintext of `size` bytes. */
export function storedSizeOf(size: number, l: Layout = LAYOUT_V1): number {
  const messages = messageCount(size, l);
  return FILE_HEADER_BYTES + Math.ceil(messages / l.messagesPerSegment) * STREAM_HEADER_BYTES + messages * ABYTES + size;
}

/** Plaintext bytes of a stored blob of `stored` bytes. Throws BlobIntegrityError if no plaintext gives that length. */
export function plainSizeOf(stored: number, l: Layout, blobName: string): number {
  const body = stored - FILE_HEADER_BYTES;
  const seg = segmentCipherBytes(l);
  const fullSegments = Math.floor(body / seg);
  let rest = body - fullSegments * seg;
  let size = fullSegments * segmentPlainBytes(l);
  if (rest === 0 && fullSegments > 0) return size;
  rest -= STREAM_HEADER_BYTES;
  const messages = Math.ceil(rest / (l.messageBytes + ABYTES));
  const last = rest - (messages - 1) * (l.messageBytes + ABYTES);
  if (body < 0 || rest < ABYTES || last < ABYTES || (last === ABYTES && (fullSegments > 0 || messages > 1)))
    throw new BlobIntegrityError(blobName, `its length (${stored} bytes) is impossible for the format: it was truncated or extended`);
  size += rest - messages * ABYTES;
  return size;
}

/** Associated data of every message of segment `index`: file header ‖ blob name ‖ index (u64 BE). */
export function segmentAd(header: Buffer, blobName: string, index: number): Buffer {
  return segmentAdFrom(adPrefix(header, blobName), index);
}

/** The part of the associated data that all segments of a blob share: file header ‖ blob name. */
export function adPrefix(header: Buffer, blobName: string): Buffer {
  return Buffer.concat([header, Buffer.from(blobName, 'ascii')]);
}

export function segmentAdFrom(prefix: Buffer, index: number): Buffer {
  const ad = Buffer.alloc(prefix.byteLength + 8);
  prefix.copy(ad, 0);
  ad.writeBigUInt64BE(BigInt(index), prefix.byteLength);
  return ad;
}

/**
 * Encrypts consecutive segments from `firstIndex` (all full unless `final`, where the last may be
 * short), into `into` when it is large enough; returns the ciphertext of them all.
 */
export function encryptSegments(key: Buffer, prefix: Buffer, firstIndex: number, plain: Buffer, final: boolean, l: Layout, into?: Buffer): Buffer {
  const SEG = segmentPlainBytes(l);
  const count = final ? Math.max(1, Math.ceil(plain.byteLength / SEG)) : plain.byteLength / SEG;
  if (!Number.isInteger(count)) throw new RangeError('only the last segment may be short');
  const messages = final ? messageCount(plain.byteLength, l) : count * l.messagesPerSegment;
  const length = count * STREAM_HEADER_BYTES + messages * ABYTES + plain.byteLength;
  const out = into && into.byteLength >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let at = 0;
  for (let k = 0; k < count; k++) {
    const seg = plain.subarray(k * SEG, Math.min(plain.byteLength, (k + 1) * SEG));
    at += encryptSegment(key, segmentAdFrom(prefix, firstIndex + k), seg, final && k === count - 1, l, out.subarray(at)).byteLength;
  }
  return out;
}

/**
 * Encrypts one segment's plaintext (a full segment unless `final`), into `into` when it is large
 * enough (segmentCipherBytes), else into a new buffer; returns the ciphertext. The worker in
 * segment-worker.ts does the same in plain JavaScript: change both together.
 */
export function encryptSegment(key: Buffer, ad: Buffer, plain: Buffer, final: boolean, l: Layout, into?: Buffer): Buffer {
  const messages = final ? Math.max(1, Math.ceil(plain.byteLength / l.messageBytes)) : l.messagesPerSegment;
  if (!final && plain.byteLength !== segmentPlainBytes(l)) throw new RangeError('only the last segment may be short');
  if (messages > l.messagesPerSegment) throw new RangeError('a segment holds at most messagesPerSegment messages');
  const length = STREAM_HEADER_BYTES + messages * ABYTES + plain.byteLength;
  // reusing `into` matters: fresh memory for each segment costs as much in page faults as the cipher
  const out = into && into.byteLength >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  const state = Buffer.alloc(STATE_BYTES);
  ss.crypto_secretstream_xchacha20poly1305_init_push(state, out.subarray(0, STREAM_HEADER_BYTES), key);
  let at = STREAM_HEADER_BYTES;
  for (let i = 0; i < messages; i++) {
    const m = plain.subarray(i * l.messageBytes, Math.min(plain.byteLength, (i + 1) * l.messageBytes));
    const tag = final && i === messages - 1 ? TAG_FINAL : TAG_MESSAGE;
    ss.crypto_secretstream_xchacha20poly1305_push(state, out.subarray(at, at + m.byteLength + ABYTES), m, ad, tag);
    at += m.byteLength + ABYTES;
  }
  sodium.sodium_memzero(state);
  return out;
}

/** Pull side of one segment: authenticated messages one at a time. */
export class SegmentReader {
  private readonly state = Buffer.alloc(STATE_BYTES);
  private readonly tag = Buffer.alloc(1);

  constructor(
    key: Buffer,
    streamHeader: Buffer,
    private readonly ad: Buffer,
    private readonly blobName: string,
  ) {
    ss.crypto_secretstream_xchacha20poly1305_init_pull(this.state, streamHeader, key);
  }

  /** Decrypts the next message; `last` says whether it must be the blob's last (tagged FINAL). */
  pull(cipher: Buffer, last: boolean): Buffer {
    if (cipher.byteLength < ABYTES) throw new BlobIntegrityError(this.blobName, 'a message is shorter than its authentication tag (truncated)');
    const plain = Buffer.allocUnsafe(cipher.byteLength - ABYTES);
    try {
      ss.crypto_secretstream_xchacha20poly1305_pull(this.state, plain, this.tag, cipher, this.ad);
    } catch {
      throw new BlobIntegrityError(this.blobName, 'a message failed authentication (altered bytes, a wrong key, or a blob moved from another name)');
    }
    const tag = this.tag[0]!;
    if (last && tag !== TAG_FINAL) throw new BlobIntegrityError(this.blobName, 'it ends without its final message (truncated)');
    if (!last && tag !== TAG_MESSAGE) throw new BlobIntegrityError(this.blobName, tag === TAG_FINAL ? 'its final message is not at its end (bytes were appended or it was cut)' : `a message has an unexpected tag (${tag})`);
    return plain;
  }

  wipe(): void {
    sodium.sodium_memzero(this.state);
  }
}
