import { constants as fsc } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { assertBlobName } from '../blob-name.js';
import { BlobExistsError, BlobNotFoundError, resolveRange, type BlobStore, type ByteRange, type PutResult, type BlobBody } from '../blob-store.port.js';
import { StagingPool, isCode, writeNewFile, type DiskIo } from './file-writer.js';

/** Folder of unfinished writes, beside the fan-out folders (same file system, so link works). */
const TEMP_DIR = '.tmp';

/**
 * Blobs as files under one folder (by default `<dataDir>/blobs`), fanned out by the first two
 * pairs of hex digits of the name: `ab/cd/abcd…`. Only names of the blob-name format are accepted
 * (32 hex digits), so no name can reach outside the folder.
 *
 * A put writes `.tmp/<name>.<random>.part` (with direct I/O where the file system takes it; see
 * file-writer.ts), fsyncs it, hard-links it to its final path (link fails
 * if the name exists, so a blob is never replaced, even by a concurrent put), fsyncs the folder and
 * removes the temporary name. A crash leaves at most a `.part` file, removed by
 * `sweepTemporaryFiles`. Reads open with O_NOFOLLOW: a symlink planted in the folder is not followed.
 *
 * @example const store = new DiskBlobStore(join(config.dataDir, 'blobs'))
 */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk' as const;
  readonly describe: string;

  private readonly io: DiskIo;

  /** `directIo: false` keeps writes in the page cache (default: direct where the file system takes it). */
  constructor(
    readonly root: string,
    opts: { directIo?: boolean } = {},
  ) {
    this.describe = `disk at ${root}`;
    this.io = { direct: opts.directIo === false ? 'off' : 'try', pool: new StagingPool() };
  }

  /** Whether puts write with direct I/O: unknown until the first put. */
  get directIo(): 'try' | 'on' | 'off' {
    return this.io.direct;
  }

  /** Where a blob's file lives (the name is checked first). */
  pathOf(name: string): string {
    assertBlobName(name);
    return join(this.root, name.slice(0, 2), name.slice(2, 4), name);
  }

  async put(name: string, body: BlobBody): Promise<PutResult> {
    const path = this.pathOf(name);
    if (await this.stat(name)) throw new BlobExistsError(name); // fail before reading a large body; link() below is the real guard
    const tempDir = join(this.root, TEMP_DIR);
    await mkdirDurably(tempDir);
    const temp = join(tempDir, `${name}.${randomBytes(6).toString('hex')}.part`);
    try {
      const size = await writeNewFile(temp, body, this.io);
      const dir = join(this.root, name.slice(0, 2), name.slice(2, 4));
      await mkdirDurably(dir);
      await linkNoReplace(temp, path, name);
      await fsyncDir(dir);
      return { size };
    } finally {
      await unlink(temp).catch(() => {});
    }
  }

  async get(name: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(name);
    let fh: FileHandle;
    try {
      fh = await open(path, fsc.O_RDONLY | fsc.O_NOFOLLOW);
    } catch (e) {
      if (isCode(e, 'ENOENT')) throw new BlobNotFoundError(name);
      throw e;
    }
    try {
      const { size } = await fh.stat();
      const { start, end } = range ? resolveRange(name, range, size) : { start: 0, end: size - 1 };
      if (end < start) {
        await fh.close(); // an empty blob read whole: an empty stream
        return Readable.from([]);
      }
      return fh.createReadStream({ start, end, highWaterMark: 256 * 1024 }); // closes fh when done or destroyed
    } catch (e) {
      await fh.close().catch(() => {});
      throw e;
    }
  }

  async stat(name: string): Promise<{ size: number } | null> {
    const path = this.pathOf(name);
    try {
      const s = await lstat(path);
      return s.isFile() ? { size: s.size } : null;
    } catch (e) {
      if (isCode(e, 'ENOENT')) return null;
      throw e;
    }
  }

  async delete(name: string): Promise<void> {
    const path = this.pathOf(name);
    try {
      await unlink(path);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return;
      throw e;
    }
    await fsyncDir(join(this.root, name.slice(0, 2), name.slice(2, 4)));
  }

  /**
   * Removes unfinished writes older than `olderThanMs` (default a day: a put in progress in another
   * process is younger than that), left by a crash. Returns how many it removed.
   */
  async sweepTemporaryFiles(olderThanMs = 24 * 3600_000): Promise<number> {
    const dir = join(this.root, TEMP_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return 0;
      throw e;
    }
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const n of names) {
      if (!n.endsWith('.part')) continue;
      const p = join(dir, n);
      const s = await lstat(p).catch(() => null);
      if (s && s.mtimeMs < cutoff) {
        await unlink(p).catch(() => {});
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}
}

/**
 * Gives the temporary file its final name unless that name exists. link() refuses an existing
 * target atomically; on file systems without hard links (FAT, some network mounts) a check and a
 * rename stand in, which a concurrent put of the same name could race (names are 128 random bits,
 * so only a bug would make two puts share one).
 */
async function linkNoReplace(temp: string, path: string, name: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (e) {
    if (isCode(e, 'EEXIST')) throw new BlobExistsError(name);
    if (!isCode(e, 'EPERM') && !isCode(e, 'ENOTSUP') && !isCode(e, 'EOPNOTSUPP') && !isCode(e, 'ENOSYS')) throw e;
    const exists = await lstat(path).then(
      () => true,
      (err) => (isCode(err, 'ENOENT') ? false : Promise.reject(err)),
    );
    if (exists) throw new BlobExistsError(name);
    await rename(temp, path);
  }
}

/** mkdir -p, then fsync the parent of each folder it made, so the new path survives a crash. */
async function mkdirDurably(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  for (let d = dir; d.length >= first.length; d = dirname(d)) await fsyncDir(dirname(d));
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, fsc.O_RDONLY | fsc.O_DIRECTORY);
  try {
    await fh.sync();
  } catch (e) {
    if (!isCode(e, 'EINVAL') && !isCode(e, 'EPERM')) throw e; // some file systems cannot fsync a folder
  } finally {
    await fh.close();
  }
}
