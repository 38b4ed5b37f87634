import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { formatBytes } from './input-file.js';
import { MediaError } from './media-error.js';

/**
 * Reads a zip file's central directory (names and declared sizes, nothing unpacked) and single
 * small entries with a hard cap on their unpacked size. Used to list archives, to refuse zip
 * bombs before a library unpacks a DOCX, and to read DOCX properties.
 */

export interface ZipEntryInfo {
  name: string;
  size: number;
  compressedSize: number;
  method: number;
  localHeaderOffset: number;
  /** Local time as stored (zip keeps no zone), `2020-08-09T23:15:00`. */
  modified?: string;
  directory: boolean;
  symlink: boolean;
  encrypted: boolean;
  /** Absolute, with `..`, a drive letter or a NUL: would leave the folder it is unpacked into. */
  unsafePath: boolean;
}

export interface ZipDirectory {
  entryCount: number;
  entries: ZipEntryInfo[];
  /** More entries than `maxEntries`: `entries` holds the first ones. */
  truncated: boolean;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

export async function readZipDirectory(path: string, opts: { maxEntries: number }): Promise<ZipDirectory> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 22 + 65535);
    const tail = await readAt(fh, size - tailLen, tailLen);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new MediaError('malformed', 'not a readable zip file: no end of central directory');
    let entryCount = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locAt = at - 20;
      if (locAt < 0 || tail.readUInt32LE(locAt) !== ZIP64_LOCATOR) throw new MediaError('malformed', 'zip64 archive without its locator');
      const z64Offset = Number(tail.readBigUInt64LE(locAt + 8));
      const z64 = await readAt(fh, z64Offset, 56);
      if (z64.length < 56 || z64.readUInt32LE(0) !== ZIP64_EOCD) throw new MediaError('malformed', 'zip64 end of central directory not found');
      entryCount = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    if (cdSize > MAX_CENTRAL_DIRECTORY) throw new MediaError('limit', `the zip directory is ${formatBytes(cdSize)}, over the limit of ${formatBytes(MAX_CENTRAL_DIRECTORY)}`);
    if (cdOffset + cdSize > size) throw new MediaError('malformed', 'the zip directory lies past the end of the file (truncated?)');
    const cd = await readAt(fh, cdOffset, cdSize);
    const entries: ZipEntryInfo[] = [];
    let p = 0;
    let seen = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL) {
      seen++;
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const time = cd.readUInt16LE(p + 12);
      const date = cd.readUInt16LE(p + 14);
      let compressedSize = cd.readUInt32LE(p + 20);
      let sizeU = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const externalAttrs = cd.readUInt32LE(p + 38);
      let localHeaderOffset = cd.readUInt32LE(p + 42);
      const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
      const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
      // zip64 extended information: the 64-bit values of the fields that were 0xFFFFFFFF, in order
      for (let e = 0; e + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(e);
        const len = extra.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (): number => {
            const v = q + 8 <= e + 4 + len && q + 8 <= extra.length ? Number(extra.readBigUInt64LE(q)) : 0;
            q += 8;
            return v;
          };
          if (sizeU === 0xffffffff) sizeU = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
        }
        e += 4 + len;
      }
      if (entries.length < opts.maxEntries) {
        const name = decodeName(nameBytes, (flags & 0x0800) !== 0);
        const mode = (externalAttrs >>> 16) & 0o170000;
        const symlink = mode === 0o120000;
        entries.push({
          name,
          size: sizeU,
          compressedSize,
          method,
          localHeaderOffset,
          modified: dosTime(date, time),
          directory: name.endsWith('/'),
          symlink,
          encrypted: (flags & 0x0001) !== 0,
          unsafePath: symlink || nameBytes.includes(0) || isUnsafePath(name),
        });
      }
      p += 46 + nameLen + extraLen + commentLen;
    }
    return { entryCount: Math.max(entryCount, seen), entries, truncated: Math.max(entryCount, seen) > entries.length };
  } finally {
    await fh.close();
  }
}

function decodeName(bytes: Buffer, utf8Flag: boolean): string {
  const clean = (s: string): string => s.replace(/\u0000/g, '\uFFFD');
  if (utf8Flag) return clean(bytes.toString('utf8'));
  try {
    return clean(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // zips made on Windows with Russian or Belarusian settings store names in code page 866
    return clean(new TextDecoder('ibm866').decode(bytes));
  }
}

export function isUnsafePath(name: string): boolean {
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[/\\]/).some((seg) => seg === '..');
}

function dosTime(date: number, time: number): string | undefined {
  if (date === 0) return undefined;
  const y = 1980 + (date >> 9);
  const mo = (date >> 5) & 0xf;
  const d = date & 0x1f;
  const h = time >> 11;
  const mi = (time >> 5) & 0x3f;
  const s = (time & 0x1f) * 2;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/**
 * Sum of declared sizes, entry count and compression ratio within limits, or a `limit` error.
 * A zip can lie about sizes; whatever then unpacks it does so in a memory-capped child.
 */
export function checkZipBomb(dir: ZipDirectory, limits: { maxZipEntries: number; maxZipUncompressedBytes: number; maxZipRatio: number }): void {
  if (dir.entryCount > limits.maxZipEntries) throw new MediaError('limit', `the archive holds ${dir.entryCount} entries, over the limit of ${limits.maxZipEntries}`);
  let total = 0;
  for (const e of dir.entries) {
    total += e.size;
    if (e.size > 1024 * 1024 && e.size / Math.max(1, e.compressedSize) > limits.maxZipRatio) {
      throw new MediaError('limit', `an entry unpacks ${Math.round(e.size / Math.max(1, e.compressedSize))} times larger than it is packed, over the limit of ${limits.maxZipRatio} (a zip bomb?)`);
    }
  }
  if (total > limits.maxZipUncompressedBytes) throw new MediaError('limit', `the archive unpacks to ${formatBytes(total)}, over the limit of ${formatBytes(limits.maxZipUncompressedBytes)}`);
}

/** One entry's bytes, unpacked, refusing more than `maxBytes` whatever the entry claims. */
export async function readZipEntry(path: string, entry: ZipEntryInfo, maxBytes: number): Promise<Buffer> {
  if (entry.encrypted) throw new MediaError('unsupported', `zip entry ${entry.name} is encrypted`);
  if (entry.compressedSize > maxBytes * 10 + 1024) throw new MediaError('limit', `zip entry ${entry.name} is too large to read`);
  const fh = await open(path, 'r');
  try {
    const head = await readAt(fh, entry.localHeaderOffset, 30);
    if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw new MediaError('malformed', `zip entry ${entry.name}: local header not found`);
    const start = entry.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
    const packed = await readAt(fh, start, entry.compressedSize);
    if (entry.method === 0) {
      if (packed.length > maxBytes) throw new MediaError('limit', `zip entry ${entry.name} is larger than ${formatBytes(maxBytes)}`);
      return packed;
    }
    if (entry.method !== 8) throw new MediaError('unsupported', `zip entry ${entry.name} uses compression method ${entry.method}`);
    try {
      return inflateRawSync(packed, { maxOutputLength: maxBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new MediaError('limit', `zip entry ${entry.name} unpacks to more than ${formatBytes(maxBytes)}`);
      }
      throw new MediaError('malformed', `zip entry ${entry.name} cannot be unpacked`);
    }
  } finally {
    await fh.close();
  }
}
