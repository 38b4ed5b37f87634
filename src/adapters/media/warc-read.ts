import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { WARCParser } from 'warcio';
import { collapse, htmlToText } from './html-text.js';
import { formatBytes } from './input-file.js';
import { cleanText } from './json-value.js';
import type { MediaLimits } from './limits.js';
import { MediaError } from './media-error.js';
import type { CapturedPage } from './metadata.types.js';

/**
 * One pass over the records of a WARC (ISO 28500), from a stream: the HTML pages' text (charset
 * from the HTTP header or the page's meta, else UTF-8, else Windows-1251), the first warcinfo,
 * and, when asked, the embedded pictures, video and audio written to a private folder. Nothing
 * in a record is run or fetched. Every read is capped (bytes a page, pages, media and their size,
 * characters of text, time); what was read before a cap, a cut-off file or the time limit is
 * kept, with a warning saying what was left.
 */

export interface EmbeddedMedia {
  /** The file written, in `mediaDir`. */
  path: string;
  url: string;
  date: string | null;
  /** The Content-Type the server sent (the stored derivative's type is detected from its bytes). */
  declaredMime: string;
  size: number;
}

export interface WarcReadOptions {
  limits: MediaLimits;
  /** Date.now() after which reading stops (what was read is kept). */
  deadline: number;
  /** Collect the pages' text (the metadata pass); without it pages are only counted. */
  text: boolean;
  /** Write embedded media here (the derivatives pass). */
  mediaDir?: string;
}

/** What the passes over one or more WARCs gathered; shared so a WACZ's WARCs add up under one set of caps. */
export interface WarcReading {
  warcInfo: Record<string, string>;
  records: number;
  pageCount: number;
  pages: CapturedPage[];
  texts: string[];
  textChars: number;
  textTruncated: boolean;
  mediaCount: number;
  /** The first media records' URL, date and declared type (for the item's metadata). */
  mediaListed: { url: string; date: string | null; mime: string }[];
  media: EmbeddedMedia[];
  mediaSkipped: string[];
  firstDate: string | null;
  lastDate: string | null;
  warnings: string[];
  stopped: boolean;
}

export const MAX_PAGES_LISTED = 200;
export const MAX_MEDIA_LISTED = 50;
const MEDIA_TYPE = /^(image|video|audio)\//;

export function newWarcReading(): WarcReading {
  return {
    warcInfo: {},
    records: 0,
    pageCount: 0,
    pages: [],
    texts: [],
    textChars: 0,
    textTruncated: false,
    mediaCount: 0,
    mediaListed: [],
    media: [],
    mediaSkipped: [],
    firstDate: null,
    lastDate: null,
    warnings: [],
    stopped: false,
  };
}

/** The source, gunzipped when it starts with a gzip header (multi-member gzip, as WARCs are written). */
async function decompressed(source: Readable): Promise<AsyncIterable<Uint8Array>> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return Readable.from([]);
  const head = first.value as Buffer;
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value as Buffer;
      }
    })(),
  );
  const plain = head[0] === 0x1f && head[1] === 0x8b ? pipeline(rest, createGunzip(), () => {}) : rest;
  return pipeline(plain, lineGuard(), () => {});
}

/** Longest run of bytes without a newline let through: the WARC reader buffers a header line whole. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Stops a stream that goes on for MAX_LINE_BYTES without a line feed: a header line that long
 * would be held in memory whole (no real record has one; binary bodies have line feeds every few
 * hundred bytes on average).
 */
function lineGuard(): Transform {
  let run = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const last = chunk.lastIndexOf(10);
      run = last < 0 ? run + chunk.length : chunk.length - last - 1;
      if (run > MAX_LINE_BYTES) done(new MediaError('limit', `a line of more than ${formatBytes(MAX_LINE_BYTES)} without a line break: reading stopped (not a WARC a tool wrote?)`));
      else done(null, chunk);
    },
  });
}

function charsetOf(contentType: string | null | undefined, head: Buffer): string {
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  const fromMeta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head.subarray(0, 4096).toString('latin1'))?.[1];
  if (fromMeta) return fromMeta.toLowerCase();
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head);
    return 'utf-8';
  } catch {
    return 'windows-1251'; // the usual other encoding of Belarusian and Russian pages
  }
}

function decodeHtml(bytes: Buffer, charset: string): { text: string; charset: string } {
  try {
    return { text: new TextDecoder(charset).decode(bytes), charset };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8' };
  }
}

function stopped(reading: WarcReading, opts: WarcReadOptions): boolean {
  if (reading.stopped) return true;
  if (Date.now() > opts.deadline) {
    reading.stopped = true;
    reading.warnings.push(`reading stopped at the time limit after ${reading.records} records: the rest of the capture was not read`);
  }
  return reading.stopped;
}

/** Reads at most `max` bytes of a record's (decoded) payload; `more` says bytes were left. */
async function readCapped(record: AsyncIterable<Uint8Array>, max: number, opts: WarcReadOptions, reading: WarcReading): Promise<{ bytes: Buffer; more: boolean }> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of record) {
    if (n + c.length > max) {
      chunks.push(Buffer.from(c.subarray(0, max - n)));
      return { bytes: Buffer.concat(chunks), more: true };
    }
    chunks.push(Buffer.from(c));
    n += c.length;
    if (stopped(reading, opts)) break;
  }
  return { bytes: Buffer.concat(chunks), more: false };
}

/** Writes a media record's payload to `path`; false (and no file) when it is over `max` bytes. */
async function writeCapped(record: AsyncIterable<Uint8Array>, path: string, max: number): Promise<number | null> {
  const out = createWriteStream(path, { mode: 0o600 });
  let n = 0;
  try {
    for await (const c of record) {
      n += c.length;
      if (n > max) {
        out.destroy();
        await rm(path, { force: true });
        return null;
      }
      if (!out.write(c)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return n;
  } catch (e) {
    out.destroy();
    await rm(path, { force: true });
    throw e;
  }
}

function noteDate(reading: WarcReading, date: string | null): void {
  if (!date) return;
  if (!reading.firstDate || date < reading.firstDate) reading.firstDate = date;
  if (!reading.lastDate || date > reading.lastDate) reading.lastDate = date;
}

/**
 * Reads one WARC from `source` into `reading`. A WARC cut off in the middle of a record (a
 * truncated gzip member, a record shorter than its Content-Length) ends the pass with a warning.
 *
 * @example
 * const reading = newWarcReading();
 * await readWarc(createReadStream(path), reading, { limits, deadline: Date.now() + 60_000, text: true });
 */
export async function readWarc(source: Readable, reading: WarcReading, opts: WarcReadOptions, label = 'the WARC'): Promise<void> {
  const { limits } = opts;
  try {
    const parser = new WARCParser(await decompressed(source));
    for await (const record of parser) {
      if (stopped(reading, opts)) break;
      reading.records++;
      const type = record.warcType;
      if (type === 'warcinfo' && Object.keys(reading.warcInfo).length === 0) {
        const { bytes } = await readCapped(record, 64 * 1024, opts, reading);
        for (const line of bytes.toString('utf8').split(/\r?\n/)) {
          const m = /^([\w-]{1,100}):\s*(.*)$/.exec(line);
          if (m && Object.keys(reading.warcInfo).length < 30) reading.warcInfo[m[1]!] = cleanText(m[2]!.trim(), 1000);
        }
        continue;
      }
      if (type !== 'response') continue;
      const status = record.httpHeaders?.statusCode;
      const contentType = (record.httpHeaders?.headers.get('content-type') ?? '').toLowerCase();
      if (status !== 200) continue;
      const url = cleanText(record.warcTargetURI ?? '', 4000);
      const date = record.warcDate ?? null;
      if (/^(text\/html|application\/xhtml\+xml)/.test(contentType)) {
        if (reading.pageCount >= limits.maxWarcPages) {
          if (reading.pageCount === limits.maxWarcPages) reading.warnings.push(`more than ${limits.maxWarcPages} pages: the text of the others was not read`);
          reading.pageCount++;
          continue;
        }
        reading.pageCount++;
        noteDate(reading, date);
        if (!opts.text) continue;
        const { bytes, more } = await readCapped(record, limits.maxWarcPageBytes, opts, reading);
        const decoded = decodeHtml(bytes, charsetOf(contentType, bytes));
        const html = htmlToText(decoded.text, limits.maxTextChars);
        const page: CapturedPage = { url, date, charset: decoded.charset, chars: html.text.length, truncated: more || html.text.length >= limits.maxTextChars };
        if (html.title) page.title = cleanText(html.title, 1000);
        if (page.truncated) reading.warnings.push(`page ${url.slice(0, 200)}: only the first ${more ? formatBytes(limits.maxWarcPageBytes) : `${limits.maxTextChars} characters`} were read`);
        if (reading.pages.length < MAX_PAGES_LISTED) reading.pages.push(page);
        const body = cleanText(collapse(html.text), limits.maxTextChars);
        const headed = `=== ${url}\n${date ?? ''}${page.title ? `\n${page.title}` : ''}\n\n${body}`;
        if (reading.textChars + headed.length > limits.maxTextChars) {
          if (!reading.textTruncated) reading.warnings.push(`text capped at ${limits.maxTextChars} characters: later pages are counted but not searchable`);
          reading.textTruncated = true;
        } else {
          reading.texts.push(headed);
          reading.textChars += headed.length + 2;
        }
      } else if (MEDIA_TYPE.test(contentType)) {
        reading.mediaCount++;
        noteDate(reading, date);
        if (reading.mediaListed.length < MAX_MEDIA_LISTED) reading.mediaListed.push({ url, date, mime: contentType.split(';')[0]!.trim().slice(0, 200) });
        if (!opts.mediaDir) continue;
        if (reading.media.length >= limits.maxEmbeddedMedia) {
          if (reading.mediaSkipped.length < 20) reading.mediaSkipped.push(`${url.slice(0, 200)}: over the limit of ${limits.maxEmbeddedMedia} embedded files`);
          continue;
        }
        const path = join(opts.mediaDir, `embedded-${reading.media.length + 1}`);
        const size = await writeCapped(record, path, limits.maxEmbeddedMediaBytes);
        if (size === null) {
          if (reading.mediaSkipped.length < 20) reading.mediaSkipped.push(`${url.slice(0, 200)}: larger than ${formatBytes(limits.maxEmbeddedMediaBytes)}`);
          continue;
        }
        if (size > 0) reading.media.push({ path, url, date, declaredMime: contentType.split(';')[0]!.trim().slice(0, 200), size });
      }
    }
  } catch (e) {
    if (e instanceof MediaError) {
      reading.warnings.push(`${label}: ${e.message}`);
      return;
    }
    const code = (e as NodeJS.ErrnoException).code;
    const cut = code === 'Z_BUF_ERROR' || /unexpected end|incomplete|premature/i.test((e as Error).message ?? '');
    const damaged = code === 'Z_DATA_ERROR';
    reading.warnings.push(
      cut
        ? `${label} is cut off (truncated): ${reading.records} records were read before its end`
        : damaged
          ? `${label} is damaged (a compressed record fails its check): ${reading.records} records were read before it`
          : `${label} could not be read past record ${reading.records}: ${String((e as Error).message ?? e).slice(0, 200)}`,
    );
  }
}
