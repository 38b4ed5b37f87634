import { createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../../adapters/media/input-file.js';
import { isMediaError } from '../../adapters/media/media-error.js';
import { DEFAULT_LIMITS } from '../../adapters/media/limits.js';
import { checkZipBomb, readZipDirectory, readZipEntry, type ZipDirectory, type ZipEntryInfo } from '../../adapters/media/zip-directory.js';
import { zipEntryStream } from '../../adapters/media/warc-wacz.js';
import { DomainError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { can, type Actor } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { findItem, type ItemRow } from '../evidence/evidence.repository.js';
import { openEvidenceContent, type EvidenceDeps } from '../evidence/evidence.usecases.js';

/**
 * An uploaded ZIP (an evidence item) opened for an importer (docs/IMPORTS.md, "Exports uploaded as
 * a ZIP"): the item is decrypted to a private temporary file inside the data dir (opening it is
 * audited as a download), its central directory checked before anything is inflated — entry count,
 * declared total and ratio (`checkZipBomb`), no name that is absolute, climbs with `..`, holds a
 * backslash or a drive letter, no symbolic link, no encrypted entry — then the entries needed are
 * streamed to files (0600) in folders (0700) of a fresh temporary folder, each entry cut off at the
 * size it declared (so the total inflated never passes the checked total). The temporary folder,
 * the decrypted ZIP with it, is removed when the work is done, failed or stopped (and, should the
 * process be killed, by the next import a day later).
 */

const TEMP_PREFIX = 'import-';
/** A temporary folder of an import older than this was left by a process that died (jobs end within 12 hours). */
export const STALE_TEMP_MS = 24 * 3600_000;

/**
 * Removes what imports left in the temporary folder when their process was killed outright (the
 * decrypted export must not stay on the disk): every `import-…` folder untouched for a day.
 */
async function sweepStale(tmpDir: string): Promise<void> {
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const p = join(tmpDir, name);
    const st = await lstat(p).catch(() => null);
    if (st?.isDirectory() && Date.now() - st.mtimeMs > STALE_TEMP_MS) await rm(p, { recursive: true, force: true }).catch(() => {});
  }
}

/** What an uploaded export may hold. Telegram exports of years of a channel reach tens of GB. */
export interface ZipImportLimits {
  maxZipEntries: number;
  maxZipUncompressedBytes: number;
  maxZipRatio: number;
}

export const ZIP_IMPORT_LIMITS: ZipImportLimits = {
  maxZipEntries: 200_000,
  maxZipUncompressedBytes: 64 * 1024 ** 3,
  maxZipRatio: DEFAULT_LIMITS.maxZipRatio,
};

export interface ZipImportDeps extends EvidenceDeps {
  /** Private folder for temporary files, inside the data dir (`<dataDir>/tmp`). */
  tmpDir: string;
  zipLimits?: Partial<ZipImportLimits>;
}

/** The uploaded archive cannot be taken: nothing was written (but the audit of opening it). */
export class ZipImportRefused extends DomainError {
  readonly status = 422;
  readonly title = 'Archive refused';
}

/** Entries macOS adds to ZIPs it makes (resource forks): never part of an export; not unpacked. */
const isJunk = (name: string) => name.startsWith('__MACOSX/') || /(^|\/)\.DS_Store$/.test(name);

/** A ZIP item opened: its decrypted copy on disk, its checked entries, and where the export starts. */
export interface OpenedZip {
  item: ItemRow;
  /** The decrypted ZIP (inside `work`): read it with `readZipText` or `unpackZip`. */
  path: string;
  /** The private temporary folder (removed after the work). */
  work: string;
  /** File entries (no folders, no macOS junk), names checked. */
  files: ZipEntryInfo[];
}

/**
 * Checks the actor may open the item's bytes, without opening them (404 for an item they cannot
 * see, as for none; 403 for a role that may not download evidence).
 */
export async function downloadableItem(deps: EvidenceDeps, actor: Actor, itemId: string): Promise<ItemRow> {
  const subject = await subjectOf(deps.db, actor);
  const item = await findItem(deps.db, itemId);
  if (!item || !can(subject, 'evidence.read', { compartmentId: item.compartment })) throw new NotFoundError(`no evidence item has id ${itemId}`);
  if (!can(subject, 'evidence.download', { compartmentId: item.compartment })) throw new ForbiddenError('your role in this compartment does not let you download evidence: an import reads the uploaded file');
  return item;
}

/**
 * Runs `work` on the ZIP item `itemId`, decrypted to a private temporary file and checked; removes
 * it (and whatever `work` unpacked into `opened.work`) afterwards, whatever happens.
 *
 * @example await withZipItem(deps, actor, itemId, async (zip) => readZipText(zip, 'result.json', 1e6))
 */
export async function withZipItem<T>(deps: ZipImportDeps, actor: Actor, itemId: string, work: (zip: OpenedZip) => Promise<T>, signal?: AbortSignal): Promise<T> {
  await downloadableItem(deps, actor, itemId);
  const limits = { ...ZIP_IMPORT_LIMITS, ...deps.zipLimits };
  await mkdir(deps.tmpDir, { recursive: true, mode: 0o700 });
  await sweepStale(deps.tmpDir);
  const dir = await mkdtemp(join(deps.tmpDir, TEMP_PREFIX));
  try {
    const { item, stream } = await openEvidenceContent(deps, actor, itemId);
    await spaceFor(dir, item.size, 'the uploaded ZIP, decrypted');
    const path = join(dir, 'upload.zip');
    await pipeline(stream, createWriteStream(path, { flags: 'wx', mode: 0o600 }), ...(signal ? [{ signal }] : []));
    const directory = await refusing(
      () => readZipDirectory(path, { maxEntries: limits.maxZipEntries + 1 }),
      (why) => `the item is not a readable ZIP (${why}): upload the export compressed into one .zip file`,
    );
    const files = checkEntries(directory, limits);
    return await work({ item, path, work: dir, files });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The directory's file entries once every guard passed, or `ZipImportRefused` saying which failed. */
function checkEntries(directory: ZipDirectory, limits: ZipImportLimits): ZipEntryInfo[] {
  if (directory.truncated || directory.entryCount > limits.maxZipEntries)
    throw new ZipImportRefused(`the ZIP holds ${directory.entryCount} entries, more than the ${limits.maxZipEntries} an import takes: split the export`);
  try {
    checkZipBomb(directory, limits);
  } catch (e) {
    throw isMediaError(e) ? new ZipImportRefused(`${e.message}: refused, nothing was unpacked`) : e;
  }
  const files: ZipEntryInfo[] = [];
  for (const e of directory.entries) {
    const shown = e.name.slice(0, 200);
    if (e.symlink) throw new ZipImportRefused(`the ZIP holds a symbolic link ("${shown}"): an export has none; refused, nothing was unpacked`);
    if (e.unsafePath || e.name.includes('\\'))
      throw new ZipImportRefused(`the ZIP holds an entry whose name would leave the folder it is unpacked into ("${shown}": absolute, "..", a backslash or a drive letter); refused, nothing was unpacked`);
    if (e.encrypted) throw new ZipImportRefused(`the ZIP's entry "${shown}" is encrypted (password-protected ZIPs are not taken): zip the export again without a password`);
    if (e.directory || isJunk(e.name)) continue;
    if (e.method !== 0 && e.method !== 8) throw new ZipImportRefused(`the ZIP's entry "${shown}" uses compression method ${e.method}; only stored and deflated entries are read: zip it again`);
    if (!segmentsOf(e.name).length) throw new ZipImportRefused(`the ZIP holds an entry with an empty name: refused`);
    files.push(e);
  }
  return files;
}

/** A checked entry name as folder segments (no empty or "." ones). */
const segmentsOf = (name: string) => name.split('/').filter((s) => s && s !== '.');

/**
 * Where the export starts inside the ZIP: `''` when `marker` (or, without one, some file) lies at
 * its root, else the one top folder every file is in (Telegram Desktop writes `ChatExport_2020-08-10/`;
 * zipping a folder puts it at the top). Returns the prefix with its slash, e.g. `ChatExport_2020-08-10/`.
 *
 * @example exportRoot(['ChatExport_2020-08-10/result.json', 'ChatExport_2020-08-10/photos/a.jpg'], 'result.json') // → 'ChatExport_2020-08-10/'
 */
export function exportRoot(names: string[], marker?: string): string {
  const paths = names.map(segmentsOf).filter((s) => s.length);
  if (marker && paths.some((s) => s.length === 1 && s[0] === marker)) return '';
  const tops = new Set(paths.map((s) => s[0]));
  if (tops.size === 1 && paths.every((s) => s.length > 1)) return `${[...tops][0]}/`;
  return '';
}

/** The checked file entry `name` (a path relative to the ZIP's root), or undefined. */
export function entryNamed(zip: OpenedZip, name: string): ZipEntryInfo | undefined {
  const want = segmentsOf(name).join('/');
  return zip.files.find((e) => segmentsOf(e.name).join('/') === want);
}

/** One small entry's bytes, at most `maxBytes` whatever it declares. */
export async function readZipBytes(zip: OpenedZip, entry: ZipEntryInfo, maxBytes: number): Promise<Buffer> {
  return refusing(() => readZipEntry(zip.path, entry, maxBytes), (why) => `the ZIP's entry "${entry.name.slice(0, 200)}" cannot be read: ${why}`);
}

export interface UnpackOptions {
  /** Only the entries under this prefix (`exportRoot`), written relative to it. */
  root?: string;
  /** Which of those to unpack (by their path below `root`); default all. */
  take?: (rel: string, entry: ZipEntryInfo) => boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/**
 * Streams the checked entries under `root` into a new folder inside the temporary one and returns
 * it. Nothing is written outside it: names were checked, folders are made here (no link is ever
 * made, none followed), files are created exclusively; an entry that inflates past the size it
 * declared, or two entries with one name, refuse the archive.
 */
export async function unpackZip(zip: OpenedZip, opts: UnpackOptions = {}): Promise<string> {
  const dest = await mkdtemp(join(zip.work, 'export-'));
  const root = opts.root ?? '';
  const chosen = zip.files
    .filter((e) => e.name.startsWith(root))
    .map((e) => ({ e, rel: segmentsOf(e.name.slice(root.length)).join('/') }))
    .filter(({ e, rel }) => rel && (!opts.take || opts.take(rel, e)));
  const declared = chosen.reduce((n, { e }) => n + e.size, 0);
  await spaceFor(zip.work, declared, 'the export, unpacked');
  let done = 0;
  for (const { e, rel } of chosen) {
    opts.signal?.throwIfAborted();
    const target = join(dest, ...rel.split('/'));
    if (!target.startsWith(dest + sep)) throw new ZipImportRefused(`the ZIP's entry "${e.name.slice(0, 200)}" would leave the folder: refused`);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      throw new ZipImportRefused(`the ZIP's entry "${e.name.slice(0, 200)}" cannot be unpacked (${err.code ?? err.message}: a file and a folder with one name?)`);
    });
    try {
      let n = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, next) {
          n += chunk.length;
          next(n > e.size ? new ZipImportRefused(`the ZIP's entry "${e.name.slice(0, 200)}" inflates to more than the ${formatBytes(e.size)} it declares (a zip bomb?): refused`) : null, chunk);
        },
      });
      await pipeline(await zipEntryStream(zip.path, e), count, createWriteStream(target, { flags: 'wx', mode: 0o600 }), ...(opts.signal ? [{ signal: opts.signal }] : []));
    } catch (err) {
      if (err instanceof ZipImportRefused || (err as Error).name === 'AbortError') throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ZipImportRefused(`the ZIP holds two entries named "${e.name.slice(0, 200)}": refused`);
      if (code === 'ENOSPC') throw new ZipImportRefused('the disk of the data folder is full: the export could not be unpacked');
      throw new ZipImportRefused(`the ZIP's entry "${e.name.slice(0, 200)}" cannot be unpacked: ${isMediaError(err) ? err.message : code ?? (err as Error).message}`);
    }
    done++;
    await opts.onProgress?.(done, chosen.length);
  }
  return dest;
}

/** Refuses at once when the data dir's disk has not `bytes` free (a clear word instead of a full disk). */
async function spaceFor(dir: string, bytes: number, what: string): Promise<void> {
  const fs = await statfs(dir).catch(() => null);
  if (!fs) return;
  const free = fs.bavail * fs.bsize;
  if (bytes > free) throw new ZipImportRefused(`${what} needs ${formatBytes(bytes)} and the data folder's disk has ${formatBytes(free)} free: refused`);
}

/** `work`, its MediaError turned into a refusal worded by `say`. */
async function refusing<T>(work: () => Promise<T>, say: (why: string) => string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isMediaError(e)) throw new ZipImportRefused(say(e.message));
    throw e;
  }
}
