/**
 * Recognises text that `file-type` (magic numbers only) does not: plain text in UTF-8, UTF-16 or
 * Windows-1251 (still common for Cyrillic documents), HTML, XML, SVG, JSON, CSV/TSV.
 */

export interface SniffedText {
  mime: string;
  ext: string;
  charset: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251';
  /** Bytes of a byte order mark at the start. */
  bomLength: number;
}

/** Bytes read from the start of a file to decide whether it is text. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * `head` is the start of the file; `complete` says it is the whole file (a multi-byte character
 * cut at the end of a partial head is not an error). Returns null for binary data.
 */
export function sniffText(head: Buffer, complete: boolean): SniffedText | null {
  if (head.length === 0) return null;
  let charset: SniffedText['charset'] | null = null;
  let bomLength = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) [charset, bomLength] = ['utf-8', 3];
  else if (head[0] === 0xff && head[1] === 0xfe) [charset, bomLength] = ['utf-16le', 2];
  else if (head[0] === 0xfe && head[1] === 0xff) [charset, bomLength] = ['utf-16be', 2];

  let text: string | null = null;
  if (charset) {
    text = decode(head.subarray(bomLength), charset, complete);
  } else if (!head.includes(0)) {
    text = decode(head, 'utf-8', complete);
    if (text !== null) charset = 'utf-8';
    else if (looksLikeWindows1251(head)) {
      charset = 'windows-1251';
      text = new TextDecoder('windows-1251').decode(head);
    }
  }
  if (text === null || charset === null || !mostlyPrintable(text)) return null;
  return { ...classifyText(text, complete), charset, bomLength };
}

function decode(bytes: Buffer, charset: string, complete: boolean): string | null {
  try {
    // `stream: true` tolerates a character cut at the end of a partial head
    return new TextDecoder(charset, { fatal: true }).decode(bytes, { stream: !complete });
  } catch {
    return null;
  }
}

function mostlyPrintable(text: string): boolean {
  if (text.length === 0) return false;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    // tab, newline, vertical tab, form feed, carriage return and escape occur in real text files
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13 && c !== 27) || c === 0x7f || (c >= 0x80 && c < 0xa0)) control++;
  }
  return control / text.length < 0.01;
}

/** Windows-1251: its high bytes are mostly Cyrillic letters (0xC0–0xFF, Ёё Іі Ўў Єє Її) and punctuation. */
function looksLikeWindows1251(bytes: Buffer): boolean {
  let high = 0;
  let cyrillic = 0;
  for (const b of bytes) {
    if (b < 0x80) continue;
    high++;
    if (b >= 0xc0 || [0xa8, 0xb8, 0xb2, 0xb3, 0xa1, 0xa2, 0xaa, 0xba, 0xaf, 0xbf, 0xab, 0xbb, 0x96, 0x97, 0x85, 0x93, 0x94, 0xb9, 0xa0].includes(b)) cyrillic++;
  }
  return high > 0 && cyrillic / high >= 0.9;
}

function classifyText(text: string, complete: boolean): { mime: string; ext: string } {
  const start = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  const lower = start.slice(0, 2048).toLowerCase();
  if (lower.startsWith('<?xml')) {
    if (/<svg[\s>]/.test(lower)) return { mime: 'image/svg+xml', ext: 'svg' };
    if (/<html[\s>]/.test(lower)) return { mime: 'application/xhtml+xml', ext: 'xhtml' };
    return { mime: 'application/xml', ext: 'xml' };
  }
  if (/^<svg[\s>]/.test(lower)) return { mime: 'image/svg+xml', ext: 'svg' };
  if (/^<!doctype html/.test(lower) || /^<html[\s>]/.test(lower) || /^(<!--[\s\S]*?-->\s*)?<(html|head|body|meta|title)[\s>]/.test(lower)) {
    return { mime: 'text/html', ext: 'html' };
  }
  if ((start.startsWith('{') || start.startsWith('[')) && looksLikeJson(text, complete)) return { mime: 'application/json', ext: 'json' };
  const csv = csvDelimiter(text);
  if (csv === '\t') return { mime: 'text/tab-separated-values', ext: 'tsv' };
  if (csv) return { mime: 'text/csv', ext: 'csv' };
  return { mime: 'text/plain', ext: 'txt' };
}

function looksLikeJson(text: string, complete: boolean): boolean {
  if (complete && text.length <= 1024 * 1024) {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }
  // a partial head: an object with a quoted key or an array of values
  return /^\s*(\{\s*"|\[\s*[[{"\d\-tfn\]])/.test(text);
}

/**
 * The delimiter if the first lines read as a table: at least two lines, each with the same
 * number (≥ 1) of one delimiter outside double quotes.
 */
export function csvDelimiter(text: string): ',' | ';' | '\t' | null {
  const lines = text.split(/\r?\n/);
  // the last line of a partial head may be cut
  const sample = lines.slice(0, Math.min(lines.length - 1, 20)).filter((l) => l.length > 0);
  if (lines.length === 2 && lines[1] === '') sample.splice(0, sample.length, lines[0]!);
  if (sample.length < 2) return null;
  for (const d of ['\t', ';', ','] as const) {
    const counts = sample.map((l) => countOutsideQuotes(l, d));
    const first = counts[0]!;
    if (first >= 1 && counts.every((c) => c === first)) return d;
  }
  return null;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}
