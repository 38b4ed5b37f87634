import exifr from 'exifr';
import sharp from 'sharp';
import { exifCaptureTime } from './capture-time.js';
import type { DetectedType } from './detect-type.js';
import { inspectInput, withTimeout } from './input-file.js';
import { optNumber, optString, toJsonValue } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { describeError } from './media-error.js';
import { METADATA_SCHEMA_VERSION, type CaptureTime, type DeviceInfo, type GeoPoint, type ImageMetadata, type JsonValue } from './metadata.types.js';
import { packageVersion } from './versions.js';

// `silentErrors` (collect damage in `errors` and go on) is an exifr option its types lack
const EXIFR_OPTIONS: NonNullable<Parameters<typeof exifr.parse>[1]> & { silentErrors: boolean } = {
  tiff: true,
  ifd1: false, // the embedded thumbnail's tags
  exif: true,
  gps: true,
  interop: false,
  makerNote: false,
  userComment: true,
  xmp: true,
  iptc: true,
  icc: false,
  jfif: false,
  ihdr: true,
  reviveValues: false, // keep EXIF dates as written: a JS Date would invent a time zone
  translateKeys: true,
  translateValues: false,
  sanitize: true,
  mergeOutput: false,
  silentErrors: true,
};

type Tags = Record<string, Record<string, unknown> | undefined>;

/**
 * Image metadata: dimensions and format from the image header (sharp, nothing decoded), EXIF,
 * GPS, IPTC and XMP (exifr). A damaged EXIF block gives a warning and whatever could be read.
 */
export async function extractImageMetadata(path: string, type: DetectedType, opts: LimitOptions = {}): Promise<ImageMetadata> {
  const limits = limitsOf(opts);
  const { size } = await inspectInput(path, 'image metadata', limits.maxImageBytes);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.imageMetadata;
  const warnings: string[] = [];
  const out: ImageMetadata = {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'image',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: [`sharp ${sharp.versions.sharp ?? '?'} (libvips ${sharp.versions.vips})`, `exifr ${packageVersion('exifr')}`],
    warnings,
    captureTime: null,
    gps: null,
    device: {},
    tags: {},
  };

  let embeddedExif: Buffer | undefined;
  try {
    const meta = await withTimeout(sharp(path, { limitInputPixels: false, failOn: 'none' }).metadata(), timeoutMs, 'image header');
    out.format = meta.format;
    out.width = meta.width;
    out.height = meta.height;
    out.orientation = meta.orientation;
    out.pages = meta.pages;
    out.hasAlpha = meta.hasAlpha;
    out.colourSpace = meta.space;
    embeddedExif = meta.exif;
    if (meta.width && meta.height && meta.width * meta.height > limits.maxImagePixels) {
      warnings.push(`the image is ${meta.width} × ${meta.height} pixels, over the limit of ${limits.maxImagePixels}: it will not be decoded (no thumbnail, preview or hash)`);
    }
  } catch (e) {
    warnings.push(`the image header could not be read: ${describeError(e, [path])}`);
  }

  let tags: Tags | undefined;
  try {
    tags = (await withTimeout(exifr.parse(path, EXIFR_OPTIONS), timeoutMs, 'EXIF')) as Tags | undefined;
  } catch (e) {
    // formats exifr does not read (WebP, GIF …) may still carry an EXIF block sharp found
    if (embeddedExif && embeddedExif.length > 6) {
      try {
        const tiff = embeddedExif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? embeddedExif.subarray(6) : embeddedExif;
        tags = (await withTimeout(exifr.parse(tiff, EXIFR_OPTIONS), timeoutMs, 'EXIF')) as Tags | undefined;
      } catch (e2) {
        warnings.push(`EXIF could not be read: ${describeError(e2, [path])}`);
      }
    } else if (!/unknown file format/i.test(describeError(e))) {
      warnings.push(`EXIF could not be read: ${describeError(e, [path])}`);
    }
  }
  if (tags) {
    const errors = (tags as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const err of errors.slice(0, 5)) warnings.push(`EXIF is damaged: ${describeError(err, [path])}`);
    }
    try {
      applyTags(out, tags, warnings);
    } catch (e) {
      warnings.push(`EXIF values could not be interpreted: ${describeError(e, [path])}`);
    }
  }
  return out;
}

function applyTags(out: ImageMetadata, tags: Tags, warnings: string[]): void {
  const ifd0 = tags.ifd0 ?? {};
  const exif = tags.exif ?? {};
  const gps = tags.gps ?? {};
  const blocks: Record<string, JsonValue> = {};
  for (const [name, block] of Object.entries(tags)) {
    if (name === 'errors' || block === undefined) continue;
    blocks[name] = toJsonValue(block);
  }
  out.tags = blocks;
  out.captureTime = captureTimeOf(exif, ifd0);
  out.device = deviceOf(ifd0, exif);
  if (out.orientation === undefined) out.orientation = optNumber(ifd0.Orientation);
  out.gps = gpsOf(gps, warnings);
}

function captureTimeOf(exif: Record<string, unknown>, ifd0: Record<string, unknown>): CaptureTime | null {
  return (
    exifCaptureTime(exif.DateTimeOriginal, exif.SubSecTimeOriginal, exif.OffsetTimeOriginal ?? exif.OffsetTime, 'DateTimeOriginal') ??
    exifCaptureTime(exif.CreateDate, exif.SubSecTimeDigitized, exif.OffsetTimeDigitized ?? exif.OffsetTime, 'CreateDate') ??
    exifCaptureTime(ifd0.ModifyDate, exif.SubSecTime, exif.OffsetTime, 'ModifyDate')
  );
}

function deviceOf(ifd0: Record<string, unknown>, exif: Record<string, unknown>): DeviceInfo {
  const d: DeviceInfo = {};
  const set = (k: keyof DeviceInfo, v: unknown): void => {
    const s = optString(v, 256);
    if (s) d[k] = s;
  };
  set('make', ifd0.Make);
  set('model', ifd0.Model);
  set('software', ifd0.Software);
  set('lens', exif.LensModel ?? exif.LensMake);
  set('serial', exif.BodySerialNumber ?? exif.SerialNumber);
  return d;
}

/** Degrees from EXIF's [degrees, minutes, seconds] (or a plain number) and its N/S/E/W reference. */
function dms(v: unknown, ref: unknown, negativeRef: string): number | undefined {
  let deg: number | undefined;
  if (Array.isArray(v) && v.length >= 1) {
    const [d, m = 0, s = 0] = v.map(Number) as [number, number?, number?];
    deg = d + m / 60 + s / 3600;
  } else deg = optNumber(v);
  if (deg === undefined || !Number.isFinite(deg)) return undefined;
  return typeof ref === 'string' && ref.trim().toUpperCase() === negativeRef ? -deg : deg;
}

function gpsOf(gps: Record<string, unknown>, warnings: string[]): GeoPoint | null {
  const lat = dms(gps.GPSLatitude, gps.GPSLatitudeRef, 'S');
  const lon = dms(gps.GPSLongitude, gps.GPSLongitudeRef, 'W');
  if (lat === undefined || lon === undefined) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    warnings.push(`GPS position out of range (${lat}, ${lon}): ignored`);
    return null;
  }
  const point: GeoPoint = { lat: round(lat, 7), lon: round(lon, 7), source: 'EXIF GPS' };
  if (lat === 0 && lon === 0) warnings.push('GPS position is exactly 0, 0: often a device without a fix');
  const alt = optNumber(gps.GPSAltitude);
  if (alt !== undefined) {
    const ref = gps.GPSAltitudeRef;
    const below = ref instanceof Uint8Array ? ref[0] === 1 : Number(ref) === 1;
    point.alt = below ? -alt : alt;
  }
  const acc = optNumber(gps.GPSHPositioningError);
  if (acc !== undefined) point.accuracyM = acc;
  const dir = optNumber(gps.GPSImgDirection);
  if (dir !== undefined) point.direction = dir;
  const time = gpsTime(gps.GPSDateStamp, gps.GPSTimeStamp);
  if (time) point.time = time;
  return point;
}

/** GPS date (`2020:08:09`) and time ([h, m, s], UTC) → ISO instant. */
function gpsTime(date: unknown, time: unknown): string | undefined {
  if (typeof date !== 'string' || !Array.isArray(time) || time.length < 3) return undefined;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})/.exec(date.trim());
  if (!m) return undefined;
  const [h, mi, s] = time.map(Number) as [number, number, number];
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, h, mi, Math.floor(s), Math.round((s % 1) * 1000));
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

