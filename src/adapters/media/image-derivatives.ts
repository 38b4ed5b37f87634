import sharp, { type Sharp } from 'sharp';
import { inspectInput } from './input-file.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions, type MediaLimits } from './limits.js';
import { describeError, MediaError } from './media-error.js';
import { writeBufferAtomically } from './output-file.js';

export type ImageOutputFormat = 'jpeg' | 'webp';

export interface ImageDerivativeOptions extends LimitOptions {
  /** Longest side in pixels; smaller images are not enlarged. */
  size?: number;
  format?: ImageOutputFormat;
  quality?: number;
}

export interface ImageDerivative {
  path: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * A decoder for hostile images: refuses more pixels than the limit from the header alone (the
 * decompression bomb), fails on real decoding errors but tolerates warnings (a truncated photo
 * still gives what it has), and stops after `timeoutMs`.
 */
export function openImage(input: string | Buffer, limits: MediaLimits, timeoutMs: number): Sharp {
  return sharp(input, { limitInputPixels: limits.maxImagePixels, failOn: 'error', sequentialRead: true }).timeout({ seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) });
}

/** A sharp failure as a MediaError of the right kind. */
export function imageError(e: unknown, context: string, hide: readonly string[]): MediaError {
  if (e instanceof MediaError) return e;
  const msg = describeError(e, hide);
  if (/pixel limit/i.test(msg)) return new MediaError('limit', `${context}: the image has more pixels than the limit (a decompression bomb?)`, { cause: e });
  if (/unsupported image format|not a known file format|is not in a known format|no loader/i.test(msg)) return new MediaError('unsupported', `${context}: this image format cannot be decoded here`, { cause: e });
  if (/timeout/i.test(msg)) return new MediaError('timeout', `${context}: decoding took too long and was stopped`, { cause: e });
  return new MediaError('malformed', `${context}: ${msg}`, { cause: e });
}

async function render(src: string, dest: string, defaultSize: number, what: string, opts: ImageDerivativeOptions): Promise<ImageDerivative> {
  const limits = limitsOf(opts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.image;
  const size = opts.size ?? defaultSize;
  const format = opts.format ?? 'jpeg';
  try {
    await inspectInput(src, what, limits.maxImageBytes);
    // rotate() turns the pixels upright by EXIF orientation; no withMetadata(): the output
    // carries no EXIF, GPS, XMP, IPTC or ICC profile (converted to sRGB)
    let img = openImage(src, limits, timeoutMs).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true });
    img = format === 'webp' ? img.webp({ quality: opts.quality ?? 80 }) : img.flatten({ background: '#ffffff' }).jpeg({ quality: opts.quality ?? 82 });
    const { data, info } = await img.toBuffer({ resolveWithObject: true });
    await writeBufferAtomically(dest, data);
    return { path: dest, mime: format === 'webp' ? 'image/webp' : 'image/jpeg', width: info.width, height: info.height, bytes: data.length };
  } catch (e) {
    throw imageError(e, what, [src, dest]);
  }
}

/**
 * A small upright thumbnail without any metadata.
 *
 * @example
 * await makeImageThumbnail('/tmp/x/photo', '/tmp/x/thumb.jpg', { size: 320 }) // { width: 320, height: 240, … }
 */
export function makeImageThumbnail(src: string, dest: string, opts: ImageDerivativeOptions = {}): Promise<ImageDerivative> {
  return render(src, dest, 320, 'thumbnail', opts);
}

/** A larger upright preview (1600 px on the longest side by default), without any metadata. */
export function makeImagePreview(src: string, dest: string, opts: ImageDerivativeOptions = {}): Promise<ImageDerivative> {
  return render(src, dest, 1600, 'preview', opts);
}
