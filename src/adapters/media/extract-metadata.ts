import { extractAvMetadata } from './av-metadata.js';
import type { DetectedType } from './detect-type.js';
import { DOCX_MIME, extractDocxMetadata } from './document-metadata.js';
import { extractImageMetadata } from './image-metadata.js';
import { inspectInput } from './input-file.js';
import type { LimitOptions } from './limits.js';
import { limitsOf } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { METADATA_SCHEMA_VERSION, type ArchiveMetadata, type MediaMetadata } from './metadata.types.js';
import { extractPdfMetadata } from './pdf-metadata.js';
import { extractTextMetadata } from './text-metadata.js';
import { readZipDirectory } from './zip-directory.js';
import { extractWebCaptureMetadata } from './warc-capture.js';

/**
 * Metadata of one file, by the type `detectType` found: EXIF/GPS/device/capture time for images;
 * container, streams, codecs, creation time and location for video and audio; information, XMP
 * and page text for PDF; properties and text for DOCX; text for text, CSV and HTML; the entry
 * list of a zip. Nothing embedded in the file is ever run. Throws only `MediaError`:
 * `unsupported` when no reader fits the type.
 *
 * @example
 * const type = await detectType(tmp);
 * const meta = await extractMetadata(tmp, type); // { schemaVersion: 1, kind: 'image', gps: { lat, lon }, … }
 */
export async function extractMetadata(path: string, type: DetectedType, opts: LimitOptions = {}): Promise<MediaMetadata> {
  return asMediaError('metadata could not be read', [path], async () => {
    const { size } = await inspectInput(path, 'metadata');
    if (size === 0) throw new MediaError('malformed', 'the file is empty (0 bytes)');
    switch (type.category) {
      case 'image':
        return extractImageMetadata(path, type, opts);
      case 'video':
      case 'audio':
        return extractAvMetadata(path, type, opts);
      case 'pdf':
        return extractPdfMetadata(path, type, opts);
      case 'text':
        return extractTextMetadata(path, type, opts);
      case 'document':
        if (type.mime === DOCX_MIME) return extractDocxMetadata(path, type, opts);
        break;
      case 'web-capture':
        return extractWebCaptureMetadata(path, type, opts);
      case 'archive':
        if (type.mime === 'application/zip') return extractZipListing(path, type, size, opts);
        break;
      default:
        break;
    }
    throw new MediaError('unsupported', `no metadata reader for ${type.mime}`);
  });
}

async function extractZipListing(path: string, type: DetectedType, size: number, opts: LimitOptions): Promise<ArchiveMetadata> {
  const limits = limitsOf(opts);
  const dir = await readZipDirectory(path, { maxEntries: limits.maxZipEntries });
  const warnings: string[] = [];
  const unsafe = dir.entries.filter((e) => e.unsafePath).length;
  if (unsafe) warnings.push(`${unsafe} entries have paths that would leave the folder they are unpacked into (absolute, "..", or symlinks)`);
  if (dir.truncated) warnings.push(`only the first ${dir.entries.length} of ${dir.entryCount} entries are listed`);
  return {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'archive',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: ['letapis zip directory reader'],
    warnings,
    format: 'zip',
    entryCount: dir.entryCount,
    totalSize: dir.entries.reduce((n, e) => n + e.size, 0),
    entriesTruncated: dir.truncated,
    entries: dir.entries.map((e) => ({
      name: e.name.slice(0, 1024),
      size: e.size,
      compressedSize: e.compressedSize,
      ...(e.modified ? { modified: e.modified } : {}),
      directory: e.directory,
      unsafe: e.unsafePath,
      encrypted: e.encrypted,
    })),
  };
}
