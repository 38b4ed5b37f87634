import { fileTypeFromFile } from 'file-type';
import { asMediaError } from './media-error.js';
import { inspectInput, readHead, withTimeout } from './input-file.js';
import { DEFAULT_TIMEOUTS } from './limits.js';
import { sniffText, SNIFF_BYTES } from './text-sniff.js';
import { WACZ_MIME, WARC_MIME, webCaptureType } from './warc-detect.js';

export type MediaCategory = 'image' | 'video' | 'audio' | 'pdf' | 'document' | 'text' | 'archive' | 'web-capture' | 'other';

export interface DetectedType {
  /** e.g. `image/jpeg`, `text/csv`, `application/x-empty` (zero bytes), `application/octet-stream` (unknown). */
  mime: string;
  /** Usual extension for the content, without a dot; empty for an empty file. */
  ext: string;
  category: MediaCategory;
  /** For text: the character encoding the content was read in. */
  charset?: string;
}

const DOCUMENT_MIMES = new Set([
  'application/rtf',
  'application/x-cfb', // .doc, .xls, .ppt, .msg
  'application/vnd.ms-outlook',
  'application/epub+zip',
  'application/x-mobipocket-ebook',
  'application/postscript',
  'application/eps',
]);
const ARCHIVE_MIMES = new Set([
  'application/zip',
  'application/x-tar',
  'application/gzip',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.ms-cab-compressed',
  'application/x-lzip',
  'application/x-lz4',
  'application/x-compress',
  'application/x-cpio',
  'application/x-arj',
  'application/x-ace-compressed',
  'application/x-lzh-compressed',
  'application/x-unix-archive',
  'application/x-apple-diskimage',
]);

/** Category of a MIME type as `file-type` or the text sniffer names it. */
export function categoryOf(mime: string): MediaCategory {
  if (mime === 'application/pdf') return 'pdf';
  if (mime === WARC_MIME || mime === WACZ_MIME) return 'web-capture';
  if (mime === 'image/svg+xml') return 'text'; // active content: read as text, never rendered
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/') || mime === 'application/mxf' || mime === 'application/vnd.ms-asf' || mime === 'application/vnd.rn-realmedia') return 'video';
  if (mime.startsWith('audio/') || mime === 'application/ogg') return mime === 'audio/midi' ? 'other' : 'audio';
  if (mime.startsWith('text/') || mime === 'application/json' || mime === 'application/xml' || mime === 'application/xhtml+xml') return 'text';
  if (mime.startsWith('application/vnd.openxmlformats-officedocument.') || mime.startsWith('application/vnd.oasis.opendocument.') || mime.startsWith('application/vnd.ms-word') || mime.startsWith('application/vnd.ms-excel') || mime.startsWith('application/vnd.ms-powerpoint') || DOCUMENT_MIMES.has(mime)) {
    return 'document';
  }
  if (ARCHIVE_MIMES.has(mime)) return 'archive';
  return 'other';
}

/**
 * Type of a file by its content, never its name: magic numbers first (`file-type`), then a look
 * at whether the bytes are text, and which kind.
 *
 * @example
 * await detectType('/tmp/letapis-x/blob') // { mime: 'image/jpeg', ext: 'jpg', category: 'image' }
 */
export async function detectType(path: string, opts: { timeoutMs?: number } = {}): Promise<DetectedType> {
  return asMediaError('type detection failed', [path], async () => {
    const { size } = await inspectInput(path, 'type detection');
    if (size === 0) return { mime: 'application/x-empty', ext: '', category: 'other' };
    const found = await withTimeout(fileTypeFromFile(path), opts.timeoutMs ?? DEFAULT_TIMEOUTS.detect, 'type detection');
    const head = await readHead(path, SNIFF_BYTES);
    // a WARC (plain, or gzip per record) and a WACZ (a zip) look like text, gzip or zip to file-type
    const capture = await webCaptureType(path, head, found?.mime);
    if (capture) return capture;
    const text = sniffText(head, head.length >= size);
    // MPEG audio is recognised by a two-byte frame sync that a UTF-16 byte order mark (FF FE) also matches
    const weak = found?.mime === 'application/xml' || ((found?.mime === 'audio/mpeg' || found?.mime === 'audio/aac') && (text?.bomLength ?? 0) > 0);
    if (found && !weak) return { mime: found.mime, ext: found.ext, category: categoryOf(found.mime) };
    if (text) return { mime: text.mime, ext: text.ext, category: categoryOf(text.mime), charset: text.charset };
    if (found) return { mime: found.mime, ext: found.ext, category: categoryOf(found.mime) };
    return { mime: 'application/octet-stream', ext: 'bin', category: 'other' };
  });
}
