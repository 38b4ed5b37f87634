import sharp, { type OverlayOptions } from 'sharp';
import { imageError, openImage } from './image-derivatives.js';
import { inspectInput } from './input-file.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { MediaError } from './media-error.js';
import { writeBufferAtomically } from './output-file.js';

/**
 * Redacting regions of a picture: each region covered by a solid box or by a blur that cannot be
 * undone (the region is first reduced to a few large blocks, which throws its detail away, then
 * blurred), burned into the pixels of the upright image. The output is a new file with no
 * metadata at all: no EXIF (device, GPS, times), XMP, IPTC or ICC profile (sharp without
 * `withMetadata`, colours converted to sRGB).
 */

/** How a region is hidden. */
export type RegionStyle = 'box' | 'blur';

/**
 * A rectangle on the upright picture (after the EXIF orientation is applied). `unit: 'px'` (the
 * default): pixels; `unit: 'relative'`: fractions of the width and height, 0 to 1.
 */
export interface RedactionRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  unit?: 'px' | 'relative';
  /** Default: the spec's style, else `box`. */
  style?: RegionStyle;
}

export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A region as whole pixels inside a `width × height` frame, grown outwards to whole pixels and
 * clipped to the frame. A region wholly outside the frame is refused (the editor meant something).
 */
export function regionToPixels(r: RedactionRegion, width: number, height: number): PixelRect {
  const rel = r.unit === 'relative';
  const x0 = rel ? r.x * width : r.x;
  const y0 = rel ? r.y * height : r.y;
  const x1 = x0 + (rel ? r.width * width : r.width);
  const y1 = y0 + (rel ? r.height * height : r.height);
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const right = Math.min(width, Math.ceil(x1));
  const bottom = Math.min(height, Math.ceil(y1));
  if (!(right > left && bottom > top))
    throw new MediaError('unsupported', `the region ${describeRegion(r)} lies outside the ${width} × ${height} picture`);
  return { left, top, width: right - left, height: bottom - top };
}

function describeRegion(r: RedactionRegion): string {
  return r.unit === 'relative' ? `(${r.x}, ${r.y}, ${r.width} × ${r.height} of the picture)` : `(${r.x}, ${r.y}, ${r.width} × ${r.height} px)`;
}

/**
 * The side of the blocks a blurred region is reduced to: at most 5 blocks across its shorter
 * side and never under 12 px, so that a face or a line of text keeps no recognisable detail.
 */
export function blurBlock(rect: { width: number; height: number }): number {
  return Math.max(12, Math.ceil(Math.min(rect.width, rect.height) / 5));
}

export interface ImageRedactionOptions extends LimitOptions {
  regions: readonly RedactionRegion[];
  style?: RegionStyle;
  /** Colour of boxes, `#rrggbb`. Default black. */
  colour?: string;
  /** Default: PNG for a PNG or GIF original (screenshots keep crisp text), JPEG otherwise. */
  format?: 'jpeg' | 'png' | 'webp';
  quality?: number;
}

export interface RedactedImage {
  path: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  /** The regions as they were applied, in pixels of the upright picture. */
  regions: (PixelRect & { style: RegionStyle })[];
}

/**
 * Writes `dest`: the upright picture with every region hidden, burned in, and no metadata.
 *
 * @example
 * await redactImage('/tmp/x/photo', '/tmp/x/redacted.jpg', { regions: [{ x: 0.4, y: 0.1, width: 0.2, height: 0.3, unit: 'relative', style: 'blur' }] })
 */
export async function redactImage(src: string, dest: string, opts: ImageRedactionOptions): Promise<RedactedImage> {
  const limits = limitsOf(opts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.image;
  if (opts.regions.length === 0) throw new MediaError('unsupported', 'redaction: no region was given');
  const colour = parseColour(opts.colour ?? '#000000');
  try {
    await inspectInput(src, 'redaction', limits.maxImageBytes);
    const source = openImage(src, limits, timeoutMs);
    const meta = await source.metadata();
    // the upright pixels, as 3 or 4 channels of 8 bits
    const { data, info } = await openImage(src, limits, timeoutMs).rotate().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    const applied: RedactedImage['regions'] = [];
    const overlays: OverlayOptions[] = [];
    for (const region of opts.regions) {
      const rect = regionToPixels(region, width, height);
      const style = region.style ?? opts.style ?? 'box';
      applied.push({ ...rect, style });
      if (style === 'box') {
        const fill = Buffer.alloc(rect.width * rect.height * channels);
        for (let i = 0; i < rect.width * rect.height; i++) {
          fill[i * channels] = colour[0];
          fill[i * channels + 1] = colour[1];
          fill[i * channels + 2] = colour[2];
          if (channels === 4) fill[i * channels + 3] = 255;
        }
        overlays.push({ input: fill, raw: { width: rect.width, height: rect.height, channels }, left: rect.left, top: rect.top });
      } else {
        const block = blurBlock(rect);
        const raw = { width, height, channels } as const;
        const small = await sharp(data, { raw })
          .extract(rect)
          .resize(Math.max(1, Math.ceil(rect.width / block)), Math.max(1, Math.ceil(rect.height / block)), { fit: 'fill', kernel: 'cubic' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        const patch = await sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: small.info.channels } })
          .resize(rect.width, rect.height, { fit: 'fill', kernel: 'nearest' })
          .blur(Math.max(0.3, block / 3))
          .raw()
          .toBuffer();
        overlays.push({ input: patch, raw: { width: rect.width, height: rect.height, channels }, left: rect.left, top: rect.top });
      }
    }
    const format = opts.format ?? (meta.format === 'png' || meta.format === 'gif' ? 'png' : 'jpeg');
    // no withMetadata(): nothing of the original's EXIF, XMP, IPTC or ICC profile is written
    let out = sharp(data, { raw: { width, height, channels } }).composite(overlays);
    if (format === 'png') out = out.png({ compressionLevel: 9 });
    else if (format === 'webp') out = out.webp({ quality: opts.quality ?? 90 });
    else out = out.flatten({ background: '#ffffff' }).jpeg({ quality: opts.quality ?? 90 });
    const encoded = await out.toBuffer({ resolveWithObject: true });
    await writeBufferAtomically(dest, encoded.data);
    return { path: dest, mime: `image/${format}`, width: encoded.info.width, height: encoded.info.height, bytes: encoded.data.length, regions: applied };
  } catch (e) {
    throw imageError(e, 'redaction', [src, dest]);
  }
}

function parseColour(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new MediaError('unsupported', `redaction: the colour ${hex.slice(0, 20)} is not #rrggbb`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}
