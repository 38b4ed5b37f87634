import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ListReadError } from '../lists/read.js';

/**
 * Reading an interchange ZIP within limits: no entry whose name leaves the archive (`..`, absolute
 * paths, backslashes, drive letters), no symbolic links, at most `maxEntries` entries, at most
 * `maxBytes` once inflated in all and at most `maxMemoryBytes` of the entries read into memory (the
 * CSVs). Sizes are checked as declared when the archive is opened and counted again while inflating
 * (yauzl refuses an entry that inflates past its declared size: zip bombs). Folders are skipped.
 *
 * The archive is read by random access, never whole: from a buffer, a file, or ranges of a stored
 * evidence item (decrypted segment by segment), so the files an export carries (`files/…`) stream
 * through without being held in memory or written out in plain text.
 */

export interface ZipLimits {
  maxEntries: number;
  /** Bytes of every entry once inflated. */
  maxBytes: number;
  /** Bytes of the entries read whole into memory (the CSVs). */
  maxMemoryBytes: number;
}

/** 10,000 entries, 16 GiB inflated, 256 MiB of CSVs. */
export const ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxBytes: 16 * 1024 ** 3, maxMemoryBytes: 256 * 1024 ** 2 };

/** Where the ZIP's bytes are: in memory, in a file, or behind ranged reads (`end` exclusive). */
export type ZipSource = Buffer | { path: string } | { size: number; read: (start: number, end: number) => Promise<Readable> };

export interface ZipArchive {
  /** Names of the files in it, in the archive's order. */
  names: string[];
  has(name: string): boolean;
  /** Inflated size, as declared (and enforced while inflating). */
  size(name: string): number;
  /** A stream of an entry's inflated bytes. */
  open(name: string): Promise<Readable>;
  /** An entry's bytes in memory, counted against `maxMemoryBytes`. */
  read(name: string): Promise<Buffer>;
  close(): void;
}

const fail = (message: string) => new ListReadError(message);
const short = (name: string) => name.slice(0, 100);

class RangeReader extends yauzl.RandomAccessReader {
  constructor(private readonly readRange: (start: number, end: number) => Promise<Readable>) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    // yauzl wants a stream at once; the range opens asynchronously behind it
    const out = new Readable({ read() {} });
    this.readRange(start, end).then(
      (s) => {
        s.on('data', (c: Buffer) => out.push(c));
        s.on('end', () => out.push(null));
        s.on('error', (e) => out.destroy(e));
      },
      (e: Error) => out.destroy(e),
    );
    return out;
  }
}

function openRaw(source: ZipSource): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true, autoClose: false } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, z?: yauzl.ZipFile) => (err ? reject(fail(`the file is not a readable ZIP: ${err.message}`)) : resolve(z!));
    if (Buffer.isBuffer(source)) yauzl.fromBuffer(source, options, done);
    else if ('path' in source) yauzl.open(source.path, options, done);
    else yauzl.fromRandomAccessReader(new RangeReader(source.read), source.size, options, done);
  });
}

/**
 * Opens a ZIP and checks every entry (names, links, count, declared sizes) before anything is read.
 *
 * @example const zip = await openZip({ path: 'export.zip' }); const csv = await zip.read('events.csv'); zip.close()
 */
export async function openZip(source: ZipSource, given: Partial<ZipLimits> = {}): Promise<ZipArchive> {
  const limits = { ...ZIP_LIMITS, ...given };
  const zip = await openRaw(source);
  const entries = new Map<string, yauzl.Entry>();
  let declared = 0;
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(e instanceof ListReadError ? e : fail(`the ZIP is damaged or holds a name that leaves the archive: ${e.message.slice(0, 160)}`)));
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        if (++count > limits.maxEntries) return reject(fail(`the ZIP holds more than ${limits.maxEntries} files: refused`));
        const name = e.fileName;
        if (name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..'))
          return reject(fail(`the ZIP holds a file whose name leaves the archive ("${short(name)}"): refused`));
        if (((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000) return reject(fail(`the ZIP holds a symbolic link ("${short(name)}"): refused`));
        declared += e.uncompressedSize;
        if (declared > limits.maxBytes) return reject(tooLarge(limits.maxBytes));
        if (!name.endsWith('/')) entries.set(name, e);
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    throw e;
  }
  let inMemory = 0;
  const entry = (name: string) => {
    const e = entries.get(name);
    if (!e) throw fail(`the ZIP holds no file "${short(name)}"`);
    return e;
  };
  const open = (name: string) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry(name), (err, stream) => (err || !stream ? reject(fail(`the ZIP's entry "${short(name)}" cannot be read: ${err?.message}`)) : resolve(stream))),
    );
  return {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    size: (name) => entry(name).uncompressedSize,
    open: async (name) => {
      const s = await open(name);
      // a damaged entry, or one inflating past its declared size, says which entry it was
      const out = new Readable({ read() { s.resume(); } });
      s.on('data', (c: Buffer) => {
        if (!out.push(c)) s.pause();
      });
      s.on('end', () => out.push(null));
      s.on('error', (e) => out.destroy(fail(`the ZIP's entry "${short(name)}" is damaged: ${e.message}`)));
      return out;
    },
    read: async (name) => {
      inMemory += entry(name).uncompressedSize;
      if (inMemory > limits.maxMemoryBytes) throw fail(`the ZIP's CSVs inflate to more than ${Math.round(limits.maxMemoryBytes / 1024 / 1024)} MB: refused (export fewer records at a time)`);
      const s = await open(name);
      const chunks: Buffer[] = [];
      try {
        for await (const c of s) chunks.push(c as Buffer);
      } catch (e) {
        throw fail(`the ZIP's entry "${short(name)}" is damaged: ${(e as Error).message}`);
      }
      return Buffer.concat(chunks);
    },
    close: () => zip.close(),
  };
}

function tooLarge(max: number): ListReadError {
  const size = max >= 1024 ** 3 ? `${Math.round(max / 1024 ** 3)} GB` : `${Math.round(max / 1024 / 1024)} MB`;
  return fail(`the ZIP inflates to more than ${size}: refused (a zip bomb, or export fewer records at a time)`);
}

/**
 * Every file of a ZIP held in memory, within `maxBytes` (default 256 MB) and `maxEntries` (1,000).
 *
 * @example const files = await readZipFiles(bytes)
 */
export async function readZipFiles(bytes: Buffer, limits = { maxEntries: 1000, maxBytes: 256 * 1024 * 1024 }): Promise<{ name: string; bytes: Buffer }[]> {
  const zip = await openZip(bytes, { maxEntries: limits.maxEntries, maxBytes: limits.maxBytes, maxMemoryBytes: limits.maxBytes });
  try {
    const out: { name: string; bytes: Buffer }[] = [];
    for (const name of zip.names) out.push({ name, bytes: await zip.read(name) });
    return out;
  } finally {
    zip.close();
  }
}
