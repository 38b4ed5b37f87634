import { createReadStream } from 'node:fs';
import type { DetectedType } from './detect-type.js';
import { inspectInput } from './input-file.js';
import { cleanText } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { MediaError } from './media-error.js';
import { METADATA_SCHEMA_VERSION, type WebCaptureMetadata } from './metadata.types.js';
import { packageVersion } from './versions.js';
import { WACZ_MIME, WACZ_WARC_ENTRY } from './warc-detect.js';
import { newWarcReading, readWarc, type EmbeddedMedia, type WarcReading } from './warc-read.js';
import { verifyWacz, zipEntryStream } from './warc-wacz.js';
import { checkZipBomb, readZipDirectory, type ZipDirectory } from './zip-directory.js';

/**
 * Web captures as evidence: the WARC or WACZ is kept whole (it is the evidentiary copy); this reads
 * it for its metadata (pages, capture dates, warcinfo, a WACZ's package and verification) and the
 * text of every captured page, and — in a second pass — takes its embedded pictures, video and
 * audio out to a private folder for the caller to store as derivatives.
 */

const MAX_WARNINGS = 50;

function line(s: unknown, max = 500): string | undefined {
  return typeof s === 'string' && s.trim() ? cleanText(s.trim(), max) : undefined;
}

/** The WARCs of a WACZ, in archive order, read one after another into one reading. */
async function readWaczWarcs(path: string, dir: ZipDirectory, reading: WarcReading, opts: Parameters<typeof readWarc>[2]): Promise<string[]> {
  const warcs = dir.entries.filter((e) => !e.unsafePath && !e.directory && WACZ_WARC_ENTRY.test(e.name));
  for (const e of warcs) {
    if (reading.stopped) break;
    try {
      await readWarc(await zipEntryStream(path, e), reading, opts, e.name);
    } catch (err) {
      reading.warnings.push(`${e.name}: ${err instanceof MediaError ? err.message : 'could not be read'}`);
    }
  }
  return warcs.map((e) => cleanText(e.name, 300));
}

async function openZip(path: string, opts: LimitOptions): Promise<ZipDirectory> {
  const limits = limitsOf(opts);
  const dir = await readZipDirectory(path, { maxEntries: limits.maxZipEntries });
  checkZipBomb(dir, limits); // sizes and ratios from the central directory, before anything is unpacked
  return dir;
}

async function countPagesListed(path: string, dir: ZipDirectory): Promise<number> {
  const entry = dir.entries.find((e) => e.name === 'pages/pages.jsonl' && !e.unsafePath);
  if (!entry) return 0;
  let n = 0;
  let first = true;
  let partial = '';
  for await (const c of await zipEntryStream(path, entry)) {
    const lines = (partial + (c as Buffer).toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      if (!l.trim()) continue;
      // the first line is the header ({"format": "json-pages-1.0", …}), not a page
      if (first && /"format"\s*:/.test(l)) {
        first = false;
        continue;
      }
      first = false;
      n++;
    }
  }
  if (partial.trim() && !/"format"\s*:/.test(partial)) n++;
  return n;
}

/**
 * Metadata and page text of a WARC or WACZ. A WACZ's failed checks are in
 * `wacz.verification.failures` (the caller flags the item with them); what could not be read is in
 * `warnings`. Throws `MediaError('limit')` for a zip bomb (from its declared sizes).
 *
 * @example
 * const meta = await extractWebCaptureMetadata(tmp, { mime: 'application/wacz', ext: 'wacz', category: 'web-capture' });
 * meta.wacz?.verification.signature // 'ok'
 */
export async function extractWebCaptureMetadata(path: string, type: DetectedType, opts: LimitOptions = {}): Promise<WebCaptureMetadata> {
  const limits = limitsOf(opts);
  const { size } = await inspectInput(path, 'web capture');
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUTS.webCapture);
  const reading = newWarcReading();
  const readOpts = { limits, deadline, text: true };
  let wacz: WebCaptureMetadata['wacz'];
  let format: WebCaptureMetadata['format'];
  if (type.mime === WACZ_MIME) {
    format = 'wacz';
    const dir = await openZip(path, opts);
    const pkg = await verifyWacz(path, dir, deadline);
    const warcFiles = await readWaczWarcs(path, dir, reading, readOpts);
    const dp = pkg.datapackage ?? {};
    wacz = {
      pagesListed: await countPagesListed(path, dir).catch(() => 0),
      warcFiles,
      verification: pkg.verification,
    };
    const fields: [keyof NonNullable<WebCaptureMetadata['wacz']>, unknown][] = [
      ['title', dp.title],
      ['created', dp.created],
      ['software', dp.software],
      ['waczVersion', dp.wacz_version],
      ['mainPageUrl', dp.mainPageURL ?? dp.mainPageUrl],
    ];
    for (const [k, v] of fields) {
      const s = line(v, 2000);
      if (s) (wacz as Record<string, unknown>)[k] = s;
    }
  } else {
    format = type.ext === 'warc.gz' ? 'warc.gz' : 'warc';
    await readWarc(createReadStream(path), reading, readOpts);
  }
  const warnings = reading.warnings.slice(0, MAX_WARNINGS);
  if (reading.warnings.length > MAX_WARNINGS) warnings.push(`${reading.warnings.length - MAX_WARNINGS} more warnings`);
  if (reading.records === 0) warnings.push('no WARC record could be read');
  const meta: WebCaptureMetadata = {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'web-capture',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: [`warcio ${packageVersion('warcio')}`, 'letapis web capture reader'],
    warnings,
    format,
    warcInfo: reading.warcInfo,
    records: reading.records,
    pageCount: reading.pageCount,
    pages: reading.pages,
    captureDates: { first: reading.firstDate, last: reading.lastDate },
    mediaCount: reading.mediaCount,
    media: reading.mediaListed,
    text: reading.texts.join('\n\n'),
    textTruncated: reading.textTruncated,
  };
  if (wacz) meta.wacz = wacz;
  return meta;
}

/**
 * The pictures, video and audio captured in a WARC or WACZ, written to `mediaDir` (a private
 * folder), at most `maxEmbeddedMedia` of at most `maxEmbeddedMediaBytes` each; `skipped` says
 * which were left out and why.
 */
export async function extractWebCaptureMedia(
  path: string,
  type: DetectedType,
  mediaDir: string,
  opts: LimitOptions = {},
): Promise<{ media: EmbeddedMedia[]; skipped: string[]; warnings: string[] }> {
  const limits = limitsOf(opts);
  await inspectInput(path, 'web capture');
  const reading = newWarcReading();
  const readOpts = { limits, deadline: Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUTS.webCapture), text: false, mediaDir };
  if (type.mime === WACZ_MIME) await readWaczWarcs(path, await openZip(path, opts), reading, readOpts);
  else await readWarc(createReadStream(path), reading, readOpts);
  return { media: reading.media, skipped: reading.mediaSkipped, warnings: reading.warnings.slice(0, MAX_WARNINGS) };
}
