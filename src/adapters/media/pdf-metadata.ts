import { isolatedFailure, isolatedScript, runIsolatedNode } from './child-process.js';
import type { DetectedType } from './detect-type.js';
import { inspectInput } from './input-file.js';
import { cleanText, optString, toJsonValue } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { MediaError } from './media-error.js';
import { METADATA_SCHEMA_VERSION, type JsonValue, type PdfDate, type PdfMetadata } from './metadata.types.js';
import { pdfjsError, pdfjsLocation, pdfjsOpen } from './pdfjs-child.js';
import { packageVersion } from './versions.js';

/**
 * pdf.js runs in a child Node under the permission model (reads only node_modules and the input
 * handed over as file descriptor 4; no writes, no processes, no eval), without fonts or a canvas:
 * only the document's structure and text are read, page by page, each page a message, so a hang
 * or a memory blow-up on page 40 still leaves pages 1–39.
 */
const PDF_CHILD = isolatedScript(String.raw`
  ${pdfjsOpen({ withoutCanvas: true })}
  const doc = await openPdf(readInput());
  let info = {}, xmp = null;
  try {
    const md = await doc.getMetadata();
    info = md.info || {};
    if (md.metadata && typeof md.metadata.getRaw === 'function') xmp = String(md.metadata.getRaw()).slice(0, input.maxXmpChars);
  } catch (e) { await send({ type: 'warning', message: 'the document information could not be read: ' + describe(e) }); }
  await send({ type: 'info', numPages: doc.numPages, info, xmp });
  let totalChars = 0;
  const last = Math.min(doc.numPages, input.maxPages);
  for (let i = 1; i <= last; i++) {
    if (totalChars >= input.maxTotalChars) { await send({ type: 'capped', atPage: i }); break; }
    try {
      const page = await doc.getPage(i);
      const tc = await page.getTextContent({ includeMarkedContent: false });
      let text = '';
      for (const item of tc.items) {
        if (typeof item.str !== 'string') continue;
        text += item.str + (item.hasEOL ? '\n' : '');
        if (text.length > input.maxPageChars) break;
      }
      const room = Math.min(input.maxPageChars, input.maxTotalChars - totalChars);
      const truncated = text.length > room;
      if (truncated) text = text.slice(0, room);
      totalChars += text.length;
      page.cleanup();
      await send({ type: 'page', page: i, text, truncated });
    } catch (e) {
      await send({ type: 'page', page: i, text: '', error: describe(e) });
    }
  }
  await send({ type: 'done' });
`);

type ChildMessage =
  | { type: 'info'; numPages: number; info: Record<string, unknown>; xmp: string | null }
  | { type: 'page'; page: number; text: string; truncated?: boolean; error?: string }
  | { type: 'warning'; message: string }
  | { type: 'capped'; atPage: number }
  | { type: 'error'; name: string; message: string }
  | { type: 'done' };

/**
 * PDF metadata and text: page count, document information, XMP, and the text of each page within
 * the page and character caps and the time limit. A document pdf.js cannot open is a `malformed`
 * error (a password-protected one `unsupported`); one stopped part way returns the pages read,
 * with `text.complete` false and a warning.
 */
export async function extractPdfMetadata(path: string, type: DetectedType, opts: LimitOptions & { pageTimeoutMs?: number } = {}): Promise<PdfMetadata> {
  const limits = limitsOf(opts);
  const { size } = await inspectInput(path, 'PDF', limits.maxPdfBytes);
  const pdfjs = pdfjsLocation();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.pdf;
  const result = await runIsolatedNode(
    PDF_CHILD,
    { ...pdfjs.input, maxBytes: limits.maxPdfBytes, maxPages: limits.maxPdfPages, maxPageChars: limits.maxPdfPageChars, maxTotalChars: limits.maxPdfTotalChars, maxXmpChars: 256 * 1024 },
    {
      what: 'PDF reader',
      timeoutMs,
      stallMs: opts.pageTimeoutMs ?? DEFAULT_TIMEOUTS.pdfPage,
      maxMemoryBytes: limits.maxChildMemoryBytes,
      readableDirs: pdfjs.readableDirs,
      inputPath: path,
      hidePaths: [path],
    },
  );
  const failure = (): MediaError => isolatedFailure(result, 'PDF reader', { timeoutMs, maxMemoryBytes: limits.maxChildMemoryBytes });
  const messages = result.messages as ChildMessage[];
  const error = messages.find((m): m is Extract<ChildMessage, { type: 'error' }> => m.type === 'error');
  const info = messages.find((m): m is Extract<ChildMessage, { type: 'info' }> => m.type === 'info');
  if (!info) throw error ? pdfjsError(error, 'the PDF cannot be read') : failure();
  const warnings: string[] = messages.filter((m): m is Extract<ChildMessage, { type: 'warning' }> => m.type === 'warning').map((m) => cleanText(m.message, 300));
  const pages: string[] = [];
  const pagesWithoutText: number[] = [];
  let totalChars = 0;
  let truncated = false;
  let pageErrors = false;
  for (const m of messages) {
    if (m.type !== 'page') continue;
    const text = cleanText(m.text, limits.maxPdfPageChars);
    pages[m.page - 1] = text;
    totalChars += text.length;
    if (m.truncated) truncated = true;
    if (m.error) pageErrors = true;
    if (m.error) warnings.push(`page ${m.page}: the text could not be read (${cleanText(m.error, 200)})`);
    if (!text.trim()) pagesWithoutText.push(m.page);
  }
  for (let i = 0; i < pages.length; i++) pages[i] ??= '';
  const wanted = Math.min(info.numPages, limits.maxPdfPages);
  let complete = result.outcome === 'done' && !truncated && !pageErrors && pages.length === wanted && info.numPages <= limits.maxPdfPages;
  if (truncated) warnings.push(`text capped at ${limits.maxPdfPageChars} characters a page and ${limits.maxPdfTotalChars} in all`);
  if (messages.some((m) => m.type === 'capped')) {
    complete = false;
    warnings.push(`text stopped at ${limits.maxPdfTotalChars} characters`);
  }
  if (info.numPages > limits.maxPdfPages) warnings.push(`text read from the first ${limits.maxPdfPages} of ${info.numPages} pages`);
  if (result.outcome !== 'done') {
    complete = false;
    warnings.push(`${failure().message}; text kept for pages 1–${pages.length}`);
  }
  if (error) warnings.push(`the PDF reader stopped: ${cleanText(error.message, 300)}`);

  const raw = info.info;
  const known = new Set(['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'PDFFormatVersion', 'EncryptFilterName']);
  const rest: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!known.has(k) && v !== null && v !== undefined && v !== false) rest[cleanText(k, 100)] = toJsonValue(v);
  }
  const out: PdfMetadata = {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'pdf',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: [`pdfjs-dist ${packageVersion('pdfjs-dist')}`],
    warnings,
    pageCount: info.numPages,
    encrypted: typeof raw.EncryptFilterName === 'string',
    info: rest,
    text: { pages, pagesWithoutText, totalChars, complete },
  };
  const strings: [keyof PdfMetadata, string][] = [
    ['pdfVersion', 'PDFFormatVersion'],
    ['title', 'Title'],
    ['author', 'Author'],
    ['subject', 'Subject'],
    ['keywords', 'Keywords'],
    ['creator', 'Creator'],
    ['producer', 'Producer'],
  ];
  for (const [key, name] of strings) {
    const v = optString(raw[name], 2048);
    if (v) (out as unknown as Record<string, unknown>)[key] = v;
  }
  const created = pdfDate(raw.CreationDate);
  if (created) out.created = created;
  const modified = pdfDate(raw.ModDate);
  if (modified) out.modified = modified;
  if (info.xmp) out.xmp = cleanText(info.xmp, 256 * 1024);
  return out;
}

/** `D:20200809231500+03'00'` → `{ raw, iso: '2020-08-09T23:15:00+03:00' }`. */
export function pdfDate(raw: unknown): PdfDate | undefined {
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const s = cleanText(raw.trim(), 64);
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?(?:\d{2}'?)?)?/.exec(s);
  if (!m) return { raw: s, iso: null };
  const [y, mo = '01', d = '01', h = '00', mi = '00', sec = '00'] = [m[1]!, m[2], m[3], m[4], m[5], m[6]];
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 59) return { raw: s, iso: null };
  let zone = '';
  if (m[7]) {
    if (m[7] === 'Z') zone = 'Z';
    else {
      const z = m[7].replace(/'/g, '');
      zone = `${z.slice(0, 3)}:${z.slice(3, 5) || '00'}`;
    }
  }
  return { raw: s, iso: `${y}-${mo}-${d}T${h}:${mi}:${sec}${zone}` };
}
