import { constants, gunzipSync } from 'node:zlib';
import type { DetectedType } from './detect-type.js';
import { DEFAULT_LIMITS } from './limits.js';
import { readZipDirectory } from './zip-directory.js';

/**
 * Recognises web captures by content: a WARC (ISO 28500) starts `WARC/1.0` or `WARC/1.1`, plain
 * or in gzip members (one a record, as wget and most crawlers write them); a WACZ is a zip holding
 * `datapackage.json` and WARC files under `archive/`.
 */

export const WARC_MIME = 'application/warc';
export const WACZ_MIME = 'application/wacz';

const WARC_MAGIC = /^WARC\/1\.[01]\r?\n/;
/** A WARC file inside a WACZ (the only place its WARCs are read from). */
export const WACZ_WARC_ENTRY = /^archive\/[^/\\]+\.warc(\.gz)?$/;

/** `warc` for a plain WARC, `warc.gz` for a gzipped one, null otherwise (from the file's first bytes). */
export function warcFormatOf(head: Buffer): 'warc' | 'warc.gz' | null {
  if (WARC_MAGIC.test(head.subarray(0, 16).toString('latin1'))) return 'warc';
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // the start of the first member is enough (1 KiB inflates to at most about 1 MiB)
      const out = gunzipSync(head.subarray(0, 1024), { finishFlush: constants.Z_SYNC_FLUSH });
      if (WARC_MAGIC.test(out.subarray(0, 16).toString('latin1'))) return 'warc.gz';
    } catch {
      /* not gzip after all */
    }
  }
  return null;
}

/** The web-capture type of a file, or null when it is not one. `foundMime` is what file-type said. */
export async function webCaptureType(path: string, head: Buffer, foundMime: string | undefined): Promise<DetectedType | null> {
  const warc = warcFormatOf(head);
  if (warc) return { mime: WARC_MIME, ext: warc, category: 'web-capture' };
  if (foundMime === 'application/zip') {
    try {
      const dir = await readZipDirectory(path, { maxEntries: DEFAULT_LIMITS.maxZipEntries });
      const names = new Set(dir.entries.map((e) => e.name));
      if (names.has('datapackage.json') && dir.entries.some((e) => WACZ_WARC_ENTRY.test(e.name))) return { mime: WACZ_MIME, ext: 'wacz', category: 'web-capture' };
    } catch {
      /* an unreadable zip stays a zip: the archive reader reports why */
    }
  }
  return null;
}
