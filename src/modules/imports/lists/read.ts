import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';
import readXlsx from 'read-excel-file/node';
import { ValidationError } from '../../../domain/errors.js';

/**
 * Reading a list (CSV or XLSX) into rows of text cells, within limits. Pure but for the parsers:
 * the caller hands in the bytes (decrypted in memory from the evidence store, never written to disk).
 *
 * Encoding rule: a byte order mark decides (UTF-8, UTF-16 LE/BE); without one, bytes that are valid
 * UTF-8 throughout are UTF-8; anything else is Windows-1251 (Excel's "CSV" in Belarusian and Russian
 * locales). The caller may force an encoding instead.
 *
 * Delimiter rule: of comma, semicolon, tab and pipe, the one found (outside quotes) the same number
 * of times, at least once, on most of the first 20 lines; ties go to the one found more often, then
 * in that order. The caller may force one.
 */

export const ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1251'] as const;
export type ListEncoding = (typeof ENCODINGS)[number];
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export type ListFormat = 'csv' | 'xlsx';

export interface ListLimits {
  /** Longest field (characters). */
  maxFieldChars: number;
  /** Most data rows (the header not counted). */
  maxRows: number;
  maxColumns: number;
  /** An XLSX's entries, inflated, all together (bytes). */
  maxXlsxUncompressed: number;
  maxXlsxEntries: number;
}

export const DEFAULT_LIMITS: ListLimits = {
  maxFieldChars: 1_000_000,
  maxRows: 200_000,
  maxColumns: 500,
  maxXlsxUncompressed: 200 * 1024 * 1024,
  maxXlsxEntries: 10_000,
};

/** A list that cannot be read as asked: the message says why and what to do. */
export class ListReadError extends ValidationError {
  constructor(message: string) {
    super([{ field: 'file', message }], message);
  }
}

const BOMS: [ListEncoding, number[]][] = [
  ['utf-8-bom', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/**
 * The encoding of a text file's bytes, by the rule above.
 *
 * @example detectEncoding(Buffer.from([0xcf, 0xe5, 0xf2, 0xf0])) // → 'windows-1251' ("Петр")
 */
export function detectEncoding(bytes: Uint8Array): ListEncoding {
  for (const [name, bom] of BOMS) if (bom.every((b, i) => bytes[i] === b)) return name;
  return isUtf8(bytes) ? 'utf-8' : 'windows-1251';
}

const BOM_LENGTH: Record<ListEncoding, number> = { 'utf-8': 0, 'utf-8-bom': 3, 'utf-16le': 2, 'utf-16be': 2, 'windows-1251': 0 };
const DECODER_LABEL: Record<ListEncoding, string> = { 'utf-8': 'utf-8', 'utf-8-bom': 'utf-8', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be', 'windows-1251': 'windows-1251' };

/** A decoder for the encoding; UTF-8 and UTF-16 refuse malformed bytes rather than guess. */
function decoderOf(encoding: ListEncoding): InstanceType<typeof TextDecoder> {
  return new TextDecoder(DECODER_LABEL[encoding], { fatal: encoding !== 'windows-1251', ignoreBOM: true });
}

/** The file's text in chunks of about `chunk` bytes, decoded, without its byte order mark. */
function* decodedChunks(bytes: Uint8Array, encoding: ListEncoding, chunk = 256 * 1024): Generator<string> {
  const decoder = decoderOf(encoding);
  // a forced encoding may still meet its own byte order mark
  let start = BOM_LENGTH[encoding];
  if (start === 0 && encoding === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  try {
    for (let i = start; i < bytes.length; i += chunk) yield decoder.decode(bytes.subarray(i, Math.min(i + chunk, bytes.length)), { stream: true });
    yield decoder.decode();
  } catch {
    throw new ListReadError(`the file is not valid ${encoding.toUpperCase()} text: choose another encoding (${ENCODINGS.join(', ')}) or leave it to detection`);
  }
}

/** Counts of `ch` per line outside double quotes, for the first `lines` lines of `text`. */
function countsPerLine(text: string, ch: string, lines: number): number[] {
  const counts: number[] = [];
  let n = 0;
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < lines; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) n++;
    else if (!quoted && c === '\n') {
      counts.push(n);
      n = 0;
    }
  }
  if (counts.length < lines && n > 0) counts.push(n);
  return counts;
}

/**
 * The delimiter of a CSV, by the rule above, from the start of its text.
 *
 * @example detectDelimiter('Прозвішча;Імя\nКавалёва;Алена\n') // → ';'
 */
export function detectDelimiter(text: string): Delimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: { d: Delimiter; consistent: number; total: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = countsPerLine(sample, d, 20);
    if (!counts.length || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length;
    const total = counts.reduce((a, b) => a + b, 0);
    if (!best || consistent > best.consistent || (consistent === best.consistent && total > best.total)) best = { d, consistent, total };
  }
  return best?.d ?? ',';
}

/** What was decided about a list's form. */
export interface ListForm {
  format: ListFormat;
  encoding: ListEncoding | null;
  delimiter: Delimiter | null;
  sheet: string | null;
  sheets: string[];
}

export interface ReadOptions {
  encoding?: ListEncoding;
  delimiter?: Delimiter;
  /** XLSX: the sheet by name (default: the first). */
  sheet?: string;
  limits?: Partial<ListLimits>;
  /** Stop after this many data rows (a preview). */
  stopAfter?: number;
}

/** A list as rows: the header and the data rows, each a row number (the header is row 1) and its cells. */
export interface ListRows {
  form: ListForm;
  header: string[];
  /** Data rows; `row` counts rows as a spreadsheet program does (header = 1). */
  rows: AsyncIterable<{ row: number; cells: string[] }>;
}

/** Whether the bytes are a ZIP (an XLSX) rather than text. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

/**
 * Opens a list: XLSX when the bytes are a ZIP, CSV otherwise. Reads the header at once (so the
 * form can be reported) and the data rows as they are asked for.
 */
export async function openList(bytes: Uint8Array, opts: ReadOptions = {}): Promise<ListRows> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (looksLikeZip(bytes)) return openXlsx(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), opts, limits);
  return openCsv(bytes, opts, limits);
}

async function openCsv(bytes: Uint8Array, opts: ReadOptions, limits: ListLimits): Promise<ListRows> {
  const encoding = opts.encoding ?? detectEncoding(bytes);
  let delimiter = opts.delimiter;
  if (!delimiter) {
    const head = decodedChunks(bytes.subarray(0, BOM_LENGTH[encoding] + 64 * 1024), encoding, 64 * 1024 + 3).next().value ?? '';
    delimiter = detectDelimiter(head);
  }
  const parser = parse({
    delimiter,
    bom: false,
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: true,
    max_record_size: limits.maxFieldChars,
  });
  // decoding is fed in chunks as the parser takes them, so a huge field is refused after about
  // `maxFieldChars` characters, not after the whole file became one string
  const source = Readable.from(decodedChunks(bytes, encoding));
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const next = async (): Promise<string[] | undefined> => {
    try {
      const r = await it.next();
      return r.done ? undefined : r.value;
    } catch (e) {
      source.destroy();
      throw csvError(e, limits);
    }
  };
  const header = (await next())?.map((h) => h.trim()) ?? [];
  if (!header.length) throw new ListReadError('the file is empty: the first row must name the columns');
  if (header.length > limits.maxColumns) throw new ListReadError(`the list has ${header.length} columns; at most ${limits.maxColumns} are taken`);
  const form: ListForm = { format: 'csv', encoding, delimiter, sheet: null, sheets: [] };
  async function* rows() {
    let n = 0;
    try {
      for (;;) {
        const cells = await next();
        if (!cells) return;
        n++;
        if (n > limits.maxRows) throw new ListReadError(`the list has more than ${limits.maxRows} rows: split it into smaller files`);
        if (cells.length > limits.maxColumns) throw new ListReadError(`row ${n + 1} has ${cells.length} cells; at most ${limits.maxColumns} are taken`);
        yield { row: n + 1, cells };
        if (opts.stopAfter !== undefined && n >= opts.stopAfter) return;
      }
    } finally {
      source.destroy();
      parser.destroy();
    }
  }
  return { form, header, rows: rows() };
}

function csvError(e: unknown, limits: ListLimits): Error {
  if (e instanceof ListReadError) return e;
  const err = e as { code?: string; lines?: number; message?: string };
  if (err.code === 'CSV_MAX_RECORD_SIZE')
    return new ListReadError(`a field near line ${err.lines ?? '?'} is longer than ${limits.maxFieldChars.toLocaleString('en')} characters: the list is refused (is it a CSV at all, or is a quote left open?)`);
  if (err.code?.startsWith('CSV_'))
    return new ListReadError(`the CSV cannot be read near line ${err.lines ?? '?'}: ${String(err.message).replace(/\s+/g, ' ').slice(0, 200)}. Check the delimiter and the quotes.`);
  return e as Error;
}

/**
 * Checks an XLSX's ZIP before a spreadsheet library sees it: no entry leaving the archive (".."
 * or absolute paths), no symbolic links, not too many entries, and no more than the limit of bytes
 * once inflated — measured by inflating every entry, since the sizes a ZIP declares may lie.
 */
export async function checkXlsxZip(bytes: Buffer, limits: ListLimits = DEFAULT_LIMITS): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (err, z) => (err ? reject(new ListReadError(`the file is not a readable XLSX (ZIP): ${err.message}`)) : resolve(z!))),
  );
  let total = 0;
  let count = 0;
  const tooLarge = () => new ListReadError(`the XLSX inflates to more than ${Math.round(limits.maxXlsxUncompressed / 1024 / 1024)} MB: refused (a ZIP bomb, or save a smaller sheet)`);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => {
        if (e instanceof ListReadError) return reject(e);
        // yauzl itself refuses some names that leave the archive
        if (/invalid relative path|absolute path|invalid characters in fileName/.test(e.message))
          return reject(new ListReadError(`the XLSX holds a file whose name leaves the archive: refused (${e.message.slice(0, 120)})`));
        reject(new ListReadError(`the XLSX's ZIP is damaged: ${e.message}`));
      });
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        const fail = (err: Error) => reject(err);
        count++;
        if (count > limits.maxXlsxEntries) return fail(new ListReadError(`the XLSX holds more than ${limits.maxXlsxEntries} files: refused`));
        const name = e.fileName;
        if (name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..'))
          return fail(new ListReadError(`the XLSX holds a file whose name leaves the archive ("${name.slice(0, 100)}"): refused`));
        const mode = (e.externalFileAttributes >>> 16) & 0o170000;
        if (mode === 0o120000) return fail(new ListReadError(`the XLSX holds a symbolic link ("${name.slice(0, 100)}"): refused`));
        if (e.uncompressedSize > limits.maxXlsxUncompressed || total + e.uncompressedSize > limits.maxXlsxUncompressed) return fail(tooLarge());
        if (name.endsWith('/')) return zip.readEntry();
        zip.openReadStream(e, (err, stream) => {
          if (err || !stream) return fail(new ListReadError(`the XLSX's entry "${name.slice(0, 100)}" cannot be read: ${err?.message}`));
          stream.on('data', (c: Buffer) => {
            total += c.length;
            if (total > limits.maxXlsxUncompressed) {
              stream.destroy();
              fail(tooLarge());
            }
          });
          stream.on('error', (se) => fail(new ListReadError(`the XLSX's entry "${name.slice(0, 100)}" is damaged: ${se.message}`)));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** A spreadsheet cell as the text a person would type: dates as YYYY-MM-DD (with the time when there is one). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return String(v);
}

async function openXlsx(bytes: Buffer, opts: ReadOptions, limits: ListLimits): Promise<ListRows> {
  await checkXlsxZip(bytes, limits);
  let data: unknown[][];
  let sheets: string[] = [];
  try {
    // every sheet is read to learn their names: read-excel-file has no cheaper way
    const all = await readXlsx(bytes);
    sheets = all.map((s) => s.sheet);
    const chosen = opts.sheet ? all.find((s) => s.sheet === opts.sheet) : all[0];
    if (!chosen) throw new ListReadError(`the XLSX has no sheet "${opts.sheet}"; its sheets: ${sheets.join(', ')}`);
    data = chosen.data as unknown[][];
  } catch (e) {
    if (e instanceof ListReadError) throw e;
    throw new ListReadError(`the XLSX cannot be read: ${String((e as Error).message).slice(0, 200)}`);
  }
  const sheet = opts.sheet ?? sheets[0] ?? null;
  const header = (data[0] ?? []).map((c) => cellText(c).trim());
  while (header.length && header[header.length - 1] === '') header.pop();
  if (!header.length) throw new ListReadError('the sheet is empty: its first row must name the columns');
  if (header.length > limits.maxColumns) throw new ListReadError(`the sheet has ${header.length} columns; at most ${limits.maxColumns} are taken`);
  if (data.length - 1 > limits.maxRows) throw new ListReadError(`the sheet has more than ${limits.maxRows} rows: split it into smaller files`);
  const form: ListForm = { format: 'xlsx', encoding: null, delimiter: null, sheet, sheets };
  async function* rows() {
    let n = 0;
    for (let i = 1; i < data.length; i++) {
      const cells = (data[i] ?? []).map(cellText);
      if (cells.every((c) => c.trim() === '')) continue;
      for (const c of cells) if (c.length > limits.maxFieldChars) throw new ListReadError(`a cell in row ${i + 1} is longer than ${limits.maxFieldChars} characters: refused`);
      n++;
      yield { row: i + 1, cells };
      if (opts.stopAfter !== undefined && n >= opts.stopAfter) return;
    }
  }
  return { form, header, rows: rows() };
}
