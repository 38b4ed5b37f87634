import { constants as fsc } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import sodium from 'sodium-native';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { DomainError } from '../../../domain/errors.js';
import type { KeyVault } from '../../../adapters/keys/vault.js';
import { createDataKey, loadDataKey } from '../../../adapters/keys/data-keys.js';
import { openBytes, sealBytes } from '../../../adapters/keys/field-cipher.js';

/**
 * Where resumable uploads (tus) wait until they are complete: encrypted, never in clear on disk.
 *
 * Each upload has, in `<dir>`:
 * - `<id>.json` (mode 0600), its sidecar: owner, compartment, declared size, creation time, the id of
 *   its data key (a row of `data_keys`, wrapped by the vault's master key; never the key itself), and
 *   its metadata (file name, source, note) sealed under that key;
 * - `<id>.part` (mode 0600): the 8-byte header `LTPUPLD1`, then the bytes received as a sequence of
 *   frames, each at most 1 MiB of plaintext:
 *
 *       length (u32 LE, plaintext bytes) ‖ nonce (24 random bytes) ‖ ciphertext ‖ tag (16 bytes)
 *
 *   encrypted with XChaCha20-Poly1305-IETF under the upload's data key, with associated data
 *   `id ‖ frame index (u64 BE) ‖ plaintext offset (u64 BE)`, so frames cannot be reordered, dropped
 *   from the middle, or moved to another upload without failing authentication.
 *
 * The tus offset is the count of plaintext bytes in whole frames. Each PATCH body is read as a stream
 * (constant memory: one frame buffer), cut into frames, appended, and fsync'd before the new offset
 * is answered. Whatever arrived before a client went away is kept (its last frame is shorter).
 * After a crash the first look at an upload (HEAD or PATCH) authenticates every frame and cuts the
 * file after the last good one, so the client resumes from there.
 *
 * A finished upload is read back with `openPlaintext` (decrypting frame by frame) and removed with
 * `remove`, which also deletes its data key: what may linger of the file on the disk is then
 * undecipherable. Uploads left unfinished expire after `expirationMs` (7 days by default).
 *
 * Writes to one upload are serialised by @tus/server's in-process lock: one server process serves
 * a given uploads folder at a time (behind a load balancer, route an upload's requests to one server).
 */

export const FRAME_PLAINTEXT_BYTES = 1024 * 1024;
export const UPLOAD_EXPIRATION_MS = 7 * 24 * 3600 * 1000;
const MAGIC = Buffer.from('LTPUPLD1', 'ascii');
const LEN_BYTES = 4;
const NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES; // 24
const TAG_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES; // 16
const FRAME_HEAD = LEN_BYTES + NONCE_BYTES;
/** Start a background flush (datasync) every this many bytes written, so the final fsync is short. */
const FLUSH_EVERY = 64 * 1024 * 1024;
/** Upload ids as the API makes them: 32 lowercase hex digits (nothing else ever names a file). */
const ID_RE = /^[0-9a-f]{32}$/;
/** Leftovers with no sidecar (a crash during creation) are removed once this old. */
const ORPHAN_AGE_MS = 3600 * 1000;

export class UploadIntegrityError extends DomainError {
  readonly status = 500;
  readonly title = 'Upload damaged';
  constructor(id: string, why: string) {
    super(`the stored upload ${id} failed its integrity check (${why}): start the upload again`);
    this.name = 'UploadIntegrityError';
  }
}

/** Who may continue an upload, and where its evidence goes. */
export interface UploadOwner {
  userId: string;
  compartment: string;
}

/** What the sidecar says about an upload, without decrypting anything. */
export interface UploadInfo extends UploadOwner {
  id: string;
  size: number;
  createdAt: string;
}

interface Sidecar extends UploadInfo {
  v: 1;
  dataKeyId: string;
  /** The metadata (JSON), sealed under the data key; base64. */
  metadata: string;
}

/** Where the .part file stands: its length on disk, the plaintext bytes and the frames it holds. */
interface PartState {
  bytes: number;
  offset: number;
  frames: number;
}

export interface EncryptedUploadStoreOptions {
  /** The folder for .part files and sidecars (made with mode 0700). */
  dir: string;
  db: Kysely<any>;
  vault: KeyVault;
  /** Unfinished uploads older than this are removed by `deleteExpired` (default 7 days). */
  expirationMs?: number;
  /** Plaintext bytes per frame, at most 1 MiB (default); smaller in tests. */
  frameBytes?: number;
}

export const isUploadId = (id: string): boolean => ID_RE.test(id);
/** A new upload id: 128 random bits in hex. */
export const newUploadId = (): string => randomBytes(16).toString('hex');

function frameAad(id: string, index: number, offset: number): Buffer {
  const b = Buffer.alloc(id.length + 16);
  b.write(id, 0, 'ascii');
  b.writeBigUInt64BE(BigInt(index), id.length);
  b.writeBigUInt64BE(BigInt(offset), id.length + 8);
  return b;
}
const metadataAad = (id: string) => `uploads/${id}/metadata`;

function isCode(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === code;
}

async function writeFully(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await fh.write(buf, done, length - done, position + done);
    done += bytesWritten;
  }
}

async function readFully(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, fsc.O_RDONLY | fsc.O_DIRECTORY);
  try {
    await fh.sync();
  } catch (e) {
    if (!isCode(e, 'EINVAL') && !isCode(e, 'EPERM')) throw e;
  } finally {
    await fh.close();
  }
}

export class EncryptedUploadStore extends DataStore {
  override extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  readonly dir: string;
  private readonly expirationMs: number;
  private readonly frameBytes: number;
  /** Verified state of each .part this process has looked at (so HEAD and PATCH need not rescan). */
  private readonly states = new Map<string, PartState>();
  /** Owners announced by the API for uploads about to be created (see `expectOwner`). */
  private readonly pendingOwners = new Map<string, UploadOwner>();
  /** Uploads just taken in and removed (see `removeFinished`): tus looks at them once more. */
  private readonly justFinished = new Map<string, { size: number; createdAt: string; at: number }>();
  private dirReady: Promise<void> | undefined;
  /** PATCH bodies being written now. */
  private readonly writing = new Set<Promise<number>>();

  constructor(private readonly opts: EncryptedUploadStoreOptions) {
    super();
    this.dir = opts.dir;
    this.expirationMs = opts.expirationMs ?? UPLOAD_EXPIRATION_MS;
    this.frameBytes = opts.frameBytes ?? FRAME_PLAINTEXT_BYTES;
    if (!Number.isInteger(this.frameBytes) || this.frameBytes < 1 || this.frameBytes > FRAME_PLAINTEXT_BYTES)
      throw new RangeError(`frameBytes must be 1 to ${FRAME_PLAINTEXT_BYTES}`);
  }

  private partPath(id: string): string {
    return join(this.dir, `${id}.part`);
  }
  private sidecarPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private ensureDir(): Promise<void> {
    this.dirReady ??= (async () => {
      const made = await mkdir(this.dir, { recursive: true, mode: 0o700 });
      if (made !== undefined) await fsyncDir(join(this.dir, '..'));
    })().catch((e) => {
      this.dirReady = undefined;
      throw e;
    });
    return this.dirReady;
  }

  /**
   * The API names the owner of the upload it is about to create (tus creates uploads from the
   * request alone); `create` refuses an upload with no owner.
   */
  expectOwner(id: string, owner: UploadOwner): void {
    this.pendingOwners.set(id, owner);
  }

  override getExpiration(): number {
    return this.expirationMs;
  }

  /** The sidecar of an upload, or undefined for an id that is malformed or names nothing. */
  async describe(id: string): Promise<UploadInfo | undefined> {
    const sc = await this.readSidecar(id).catch((e) => {
      if (e === ERRORS.FILE_NOT_FOUND) return undefined;
      throw e;
    });
    if (!sc) return undefined;
    return { id: sc.id, userId: sc.userId, compartment: sc.compartment, size: sc.size, createdAt: sc.createdAt };
  }

  private async readSidecar(id: string): Promise<Sidecar> {
    if (!isUploadId(id)) throw ERRORS.FILE_NOT_FOUND;
    let text: string;
    try {
      text = await readFile(this.sidecarPath(id), { encoding: 'utf8', flag: fsc.O_RDONLY | fsc.O_NOFOLLOW });
    } catch (e) {
      if (isCode(e, 'ENOENT')) throw ERRORS.FILE_NOT_FOUND;
      throw e;
    }
    const sc = JSON.parse(text) as Sidecar;
    if (sc.v !== 1 || sc.id !== id) throw new UploadIntegrityError(id, 'its sidecar is not this upload’s');
    return sc;
  }

  override async create(upload: Upload): Promise<Upload> {
    const id = upload.id;
    if (!isUploadId(id)) throw new TypeError(`an upload id is 32 hex digits, not "${id}"`);
    const owner = this.pendingOwners.get(id);
    this.pendingOwners.delete(id);
    if (!owner) throw new Error('an upload is created only through the API, which names its owner first (expectOwner)');
    if (upload.size === undefined) throw ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION;
    await this.ensureDir();
    const createdAt = upload.creation_date ?? new Date().toISOString();
    const { id: dataKeyId, key } = await createDataKey(this.opts.db, this.opts.vault);
    const part = this.partPath(id);
    const sidecar = this.sidecarPath(id);
    let madePart = false;
    try {
      const meta = Buffer.from(JSON.stringify(upload.metadata ?? {}), 'utf8');
      const sealed = sealBytes(key, meta, metadataAad(id));
      sodium.sodium_memzero(meta);
      const fh = await open(part, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
      madePart = true;
      try {
        await writeFully(fh, MAGIC, MAGIC.length, 0);
        await fh.sync();
      } finally {
        await fh.close();
      }
      const sc: Sidecar = { v: 1, id, userId: owner.userId, compartment: owner.compartment, size: upload.size, createdAt, dataKeyId, metadata: sealed.toString('base64') };
      const temp = `${sidecar}.${randomBytes(4).toString('hex')}.tmp`;
      const sh = await open(temp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
      try {
        const text = Buffer.from(JSON.stringify(sc), 'utf8');
        await writeFully(sh, text, text.length, 0);
        await sh.sync();
      } finally {
        await sh.close();
      }
      await rename(temp, sidecar);
      await fsyncDir(this.dir);
    } catch (e) {
      if (madePart) await unlink(part).catch(() => {});
      await unlink(sidecar).catch(() => {});
      await this.opts.db.deleteFrom('data_keys').where('id', '=', dataKeyId).execute().catch(() => {});
      throw e;
    } finally {
      sodium.sodium_memzero(key);
    }
    this.states.set(id, { bytes: MAGIC.length, offset: 0, frames: 0 });
    upload.creation_date = createdAt;
    upload.storage = { type: 'encrypted-upload', path: part };
    return upload;
  }

  /** The upload's metadata as given at creation (decrypted). */
  async readMetadata(id: string): Promise<Record<string, string | null>> {
    const sc = await this.readSidecar(id);
    const key = await loadDataKey(this.opts.db, this.opts.vault, sc.dataKeyId);
    try {
      const plain = openBytes(key, Buffer.from(sc.metadata, 'base64'), metadataAad(id));
      try {
        return JSON.parse(plain.toString('utf8'));
      } finally {
        sodium.sodium_memzero(plain);
      }
    } finally {
      sodium.sodium_memzero(key);
    }
  }

  override async getUpload(id: string): Promise<Upload> {
    const done = this.justFinished.get(id);
    if (done) return new Upload({ id, size: done.size, offset: done.size, creation_date: done.createdAt });
    const sc = await this.readSidecar(id);
    const state = await this.state(sc);
    return new Upload({
      id,
      size: sc.size,
      offset: state.offset,
      metadata: await this.readMetadata(id),
      creation_date: sc.createdAt,
      storage: { type: 'encrypted-upload', path: this.partPath(id) },
    });
  }

  /** The part's state: known in this process, or found by authenticating its frames (after a restart or a crash). */
  private async state(sc: Sidecar): Promise<PartState> {
    const known = this.states.get(sc.id);
    // what this process knows holds while the file is as it left it (another process may have written)
    if (known && (await stat(this.partPath(sc.id)).catch(() => undefined))?.size === known.bytes) return known;
    const found = await this.recover(sc);
    this.states.set(sc.id, found);
    return found;
  }

  /**
   * Reads every frame of a .part, authenticating each, and cuts the file after the last good one:
   * a frame half-written when the process stopped (or damaged since) is dropped, so the client
   * sends those bytes again.
   */
  private async recover(sc: Sidecar): Promise<PartState> {
    const id = sc.id;
    let fh: FileHandle;
    try {
      fh = await open(this.partPath(id), fsc.O_RDWR | fsc.O_NOFOLLOW);
    } catch (e) {
      if (isCode(e, 'ENOENT')) throw ERRORS.FILE_NOT_FOUND;
      throw e;
    }
    const key = await loadDataKey(this.opts.db, this.opts.vault, sc.dataKeyId).catch(async (e) => {
      await fh.close();
      throw e;
    });
    const buf = Buffer.allocUnsafe(FRAME_HEAD + FRAME_PLAINTEXT_BYTES + TAG_BYTES);
    const plain = Buffer.allocUnsafe(FRAME_PLAINTEXT_BYTES);
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(MAGIC.length);
      const got = await readFully(fh, head, MAGIC.length, 0);
      if (got === MAGIC.length && !head.equals(MAGIC)) throw new UploadIntegrityError(id, 'it is not a Letapis upload file');
      if (got < MAGIC.length) {
        // the header itself was not made durable: start the file again
        await fh.truncate(0);
        await writeFully(fh, MAGIC, MAGIC.length, 0);
        await fh.sync();
        return { bytes: MAGIC.length, offset: 0, frames: 0 };
      }
      let pos = MAGIC.length;
      let offset = 0;
      let frames = 0;
      while (pos + FRAME_HEAD <= size) {
        if ((await readFully(fh, buf, FRAME_HEAD, pos)) < FRAME_HEAD) break;
        const len = buf.readUInt32LE(0);
        if (len === 0 || len > FRAME_PLAINTEXT_BYTES || offset + len > sc.size) break;
        const total = FRAME_HEAD + len + TAG_BYTES;
        if (pos + total > size) break;
        const nonce = Buffer.from(buf.subarray(LEN_BYTES, FRAME_HEAD));
        if ((await readFully(fh, buf, len + TAG_BYTES, pos + FRAME_HEAD)) < len + TAG_BYTES) break;
        try {
          sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plain.subarray(0, len), null, buf.subarray(0, len + TAG_BYTES), frameAad(id, frames, offset), nonce, key);
        } catch {
          break;
        }
        pos += total;
        offset += len;
        frames++;
      }
      if (pos < size) {
        await fh.truncate(pos);
        await fh.sync();
      }
      return { bytes: pos, offset, frames };
    } finally {
      sodium.sodium_memzero(plain);
      sodium.sodium_memzero(key);
      await fh.close();
    }
  }

  /**
   * Appends a PATCH body as encrypted frames and returns the new offset (plaintext bytes held), once
   * they are on disk (fsync). Reads the body as it comes: one frame of memory whatever its size.
   * When the body ends early (the client went away), what arrived is kept all the same.
   */
  override write(stream: Readable, id: string, offset: number): Promise<number> {
    const p = this.append(stream, id, offset);
    this.writing.add(p);
    const done = () => this.writing.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves once every write in progress has ended (and made what it received durable). */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  private async append(stream: Readable, id: string, offset: number): Promise<number> {
    const sc = await this.readSidecar(id);
    const start = await this.state(sc);
    if (start.offset !== offset) throw ERRORS.INVALID_OFFSET;
    const key = await loadDataKey(this.opts.db, this.opts.vault, sc.dataKeyId);
    let fh: FileHandle;
    try {
      fh = await open(this.partPath(id), fsc.O_RDWR | fsc.O_NOFOLLOW);
    } catch (e) {
      sodium.sodium_memzero(key);
      if (isCode(e, 'ENOENT')) throw ERRORS.FILE_NOT_FOUND;
      throw e;
    }
    const frameBytes = this.frameBytes;
    const plain = Buffer.allocUnsafe(frameBytes);
    const out = Buffer.allocUnsafe(FRAME_HEAD + frameBytes + TAG_BYTES);
    let fill = 0;
    let pos = start.bytes;
    let written = start.offset;
    let frames = start.frames;
    let unflushed = 0;
    let flushing: Promise<void> | undefined;
    // the file is cut back to the last whole frame before anything goes wrong with a write
    let broken = false;

    const flush = async (): Promise<void> => {
      if (fill === 0) return;
      out.writeUInt32LE(fill, 0);
      const nonce = out.subarray(LEN_BYTES, FRAME_HEAD);
      sodium.randombytes_buf(nonce);
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out.subarray(FRAME_HEAD, FRAME_HEAD + fill + TAG_BYTES), plain.subarray(0, fill), frameAad(id, frames, written), null, nonce, key);
      const n = FRAME_HEAD + fill + TAG_BYTES;
      try {
        await writeFully(fh, out, n, pos);
      } catch (e) {
        broken = true;
        throw e;
      }
      pos += n;
      written += fill;
      frames++;
      fill = 0;
      unflushed += n;
      if (unflushed >= FLUSH_EVERY) {
        await flushing;
        flushing = fh.datasync();
        unflushed = 0;
      }
    };

    let failure: unknown;
    try {
      for await (const chunk of stream) {
        let c: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        if (written + fill + c.length > sc.size) throw ERRORS.ERR_SIZE_EXCEEDED;
        while (c.length > 0) {
          const n = Math.min(c.length, frameBytes - fill);
          c.copy(plain, fill, 0, n);
          fill += n;
          c = c.subarray(n);
          if (fill === frameBytes) await flush();
        }
      }
    } catch (e) {
      failure = e;
    }
    try {
      if (!broken) await flush();
      await flushing;
      await fh.sync();
      this.states.set(id, { bytes: pos, offset: written, frames });
    } catch (e) {
      failure ??= e;
      // forget what this process knew: the next look authenticates the frames again
      this.states.delete(id);
      await fh.truncate(pos).catch(() => {});
    } finally {
      await flushing?.catch(() => {});
      sodium.sodium_memzero(plain);
      sodium.sodium_memzero(key);
      await fh.close().catch(() => {});
    }
    if (failure !== undefined) throw failure;
    return written;
  }

  /**
   * The plaintext of a complete upload, decrypted frame by frame (each authenticated, in order, the
   * total checked against the declared size). Throws UploadIntegrityError on any mismatch.
   */
  async *openPlaintext(id: string): AsyncGenerator<Buffer> {
    const sc = await this.readSidecar(id);
    const key = await loadDataKey(this.opts.db, this.opts.vault, sc.dataKeyId);
    let fh: FileHandle | undefined;
    try {
      fh = await open(this.partPath(id), fsc.O_RDONLY | fsc.O_NOFOLLOW);
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(MAGIC.length);
      if ((await readFully(fh, head, MAGIC.length, 0)) < MAGIC.length || !head.equals(MAGIC)) throw new UploadIntegrityError(id, 'it is not a Letapis upload file');
      const buf = Buffer.allocUnsafe(FRAME_HEAD + FRAME_PLAINTEXT_BYTES + TAG_BYTES);
      let pos = MAGIC.length;
      let offset = 0;
      let index = 0;
      while (pos < size) {
        if ((await readFully(fh, buf, FRAME_HEAD, pos)) < FRAME_HEAD) throw new UploadIntegrityError(id, `frame ${index} is cut short`);
        const len = buf.readUInt32LE(0);
        if (len === 0 || len > FRAME_PLAINTEXT_BYTES) throw new UploadIntegrityError(id, `frame ${index} has an impossible length`);
        const nonce = Buffer.from(buf.subarray(LEN_BYTES, FRAME_HEAD));
        if ((await readFully(fh, buf, len + TAG_BYTES, pos + FRAME_HEAD)) < len + TAG_BYTES) throw new UploadIntegrityError(id, `frame ${index} is cut short`);
        // a fresh buffer per frame: the consumer may hold on to it (hashing, encryption on a worker)
        const plain = Buffer.allocUnsafe(len);
        try {
          sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plain, null, buf.subarray(0, len + TAG_BYTES), frameAad(id, index, offset), nonce, key);
        } catch {
          throw new UploadIntegrityError(id, `frame ${index} does not authenticate`);
        }
        pos += FRAME_HEAD + len + TAG_BYTES;
        offset += len;
        index++;
        yield plain;
      }
      if (offset !== sc.size) throw new UploadIntegrityError(id, `it holds ${offset} of ${sc.size} bytes`);
    } finally {
      sodium.sodium_memzero(key);
      await fh?.close();
    }
  }

  /** Deletes an upload: its .part, its sidecar and its data key. Unknown ids are ignored. */
  override async remove(id: string): Promise<void> {
    if (!isUploadId(id)) throw ERRORS.FILE_NOT_FOUND;
    const sc = await this.readSidecar(id).catch(() => undefined);
    this.states.delete(id);
    await unlink(this.partPath(id)).catch((e) => {
      if (!isCode(e, 'ENOENT')) throw e;
    });
    await unlink(this.sidecarPath(id)).catch((e) => {
      if (!isCode(e, 'ENOENT')) throw e;
    });
    await fsyncDir(this.dir).catch(() => {});
    // without its key, whatever of the file the disk still holds cannot be read
    if (sc) await this.opts.db.deleteFrom('data_keys').where('id', '=', sc.dataKeyId).execute();
  }

  /**
   * Removes an upload that was taken in whole (as `remove`). For a minute, `getUpload` still answers
   * it as complete: @tus/server looks at an upload again after its finish hook.
   */
  async removeFinished(id: string): Promise<void> {
    const sc = await this.readSidecar(id);
    const now = Date.now();
    for (const [k, v] of this.justFinished) if (now - v.at > 60_000) this.justFinished.delete(k);
    this.justFinished.set(id, { size: sc.size, createdAt: sc.createdAt, at: now });
    await this.remove(id);
  }

  /**
   * Removes unfinished uploads older than the expiration, and leftovers of creations cut short (a
   * .part or temporary sidecar with no sidecar, an hour old). Returns the number of uploads removed.
   */
  override async deleteExpired(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return 0;
      throw e;
    }
    let removed = 0;
    const sidecars = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const id of sidecars) {
      if (!isUploadId(id)) continue;
      const sc = await this.readSidecar(id).catch(() => undefined);
      const created = sc ? Date.parse(sc.createdAt) : NaN;
      if (sc && Number.isFinite(created) && now - created <= this.expirationMs) continue;
      if (!sc) {
        // an unreadable sidecar: judge by its age on disk
        const st = await stat(this.sidecarPath(id)).catch(() => undefined);
        if (st && now - st.mtimeMs <= this.expirationMs) continue;
      }
      await this.remove(id);
      removed++;
    }
    for (const n of names) {
      const orphanPart = n.endsWith('.part') && !sidecars.has(n.slice(0, -5));
      if (!orphanPart && !n.endsWith('.tmp')) continue;
      const st = await stat(join(this.dir, n)).catch(() => undefined);
      if (st && now - st.mtimeMs > ORPHAN_AGE_MS) await unlink(join(this.dir, n)).catch(() => {});
    }
    return removed;
  }
}
