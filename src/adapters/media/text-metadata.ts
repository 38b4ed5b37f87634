import { htmlToText } from './html-text.js';
import type { DetectedType } from './detect-type.js';
import { formatBytes, inspectInput, readHead } from './input-file.js';
import { cleanText } from './json-value.js';
import { limitsOf, type LimitOptions } from './limits.js';
import { METADATA_SCHEMA_VERSION, type TextMetadata } from './metadata.types.js';
import { csvDelimiter, sniffText, SNIFF_BYTES } from './text-sniff.js';

const MARKUP = new Set(['text/html', 'application/xhtml+xml', 'application/xml', 'image/svg+xml']);

/** Text of a plain text, CSV, JSON, HTML, XML or SVG file, in its detected encoding, within caps. */
export async function extractTextMetadata(path: string, type: DetectedType, opts: LimitOptions = {}): Promise<TextMetadata> {
  const limits = limitsOf(opts);
  const { size } = await inspectInput(path, 'text');
  const warnings: string[] = [];
  const bytes = await readHead(path, Math.min(size, limits.maxTextBytes));
  const partial = size > bytes.length;
  if (partial) warnings.push(`only the first ${formatBytes(bytes.length)} of ${formatBytes(size)} were read`);
  const sniffed = sniffText(bytes.subarray(0, SNIFF_BYTES), bytes.length === size && size <= SNIFF_BYTES);
  const charset = type.charset ?? sniffed?.charset ?? 'utf-8';
  const bom = sniffed?.bomLength ?? 0;
  let decoded: string;
  try {
    decoded = new TextDecoder(charset, { fatal: false }).decode(bytes.subarray(bom), { stream: partial });
  } catch {
    decoded = new TextDecoder('utf-8').decode(bytes.subarray(bom), { stream: partial });
    warnings.push(`encoding ${charset} is not known here: read as UTF-8`);
  }
  if (decoded.includes('\uFFFD')) warnings.push(`some bytes are not valid ${charset}`);
  const out: TextMetadata = {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'text',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: ['letapis text reader'],
    warnings,
    charset,
    text: '',
    textTruncated: partial,
    lines: 0,
  };
  let text: string;
  if (MARKUP.has(type.mime)) {
    const html = htmlToText(decoded, limits.maxTextChars);
    text = html.text;
    if (type.mime !== 'application/xml') out.html = { meta: html.meta, links: html.links, ...(html.title ? { title: cleanText(html.title, 1000) } : {}) };
  } else {
    text = decoded.replace(/\r\n?/g, '\n'); // plain text is kept as written
  }
  if (text.length > limits.maxTextChars) {
    text = text.slice(0, limits.maxTextChars);
    out.textTruncated = true;
    warnings.push(`text capped at ${limits.maxTextChars} characters`);
  }
  out.text = cleanText(text, limits.maxTextChars);
  out.lines = countLines(out.text);
  if (type.mime === 'text/csv' || type.mime === 'text/tab-separated-values') {
    const delimiter = csvDelimiter(decoded.slice(0, 65536)) ?? (type.mime === 'text/csv' ? ',' : '\t');
    const firstLine = decoded.split(/\r?\n/, 1)[0] ?? '';
    out.csv = { delimiter, columns: splitCsvLine(firstLine, delimiter).slice(0, 500).map((c) => cleanText(c, 200)), rows: Math.max(0, countLines(decoded.trimEnd())) };
  }
  return out;
}

function countLines(s: string): number {
  if (!s) return 0;
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Fields of one CSV line; doubled quotes inside quoted fields are one quote. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}
