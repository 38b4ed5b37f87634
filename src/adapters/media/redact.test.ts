import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAv } from './av-metadata.js';
import { DEFAULT_LIMITS } from './limits.js';
import { ffmpeg, jpegRotated, jpegWithGps, mp4, tempDir, toolForTests } from './media.test-support.js';
import { redactAv } from './redact-av.js';
import { redactImage, regionToPixels } from './redact-image.js';
import { grabFrame } from './video-derivatives.js';

/**
 * Redacted derivatives (issue 9): the hidden regions really change, the rest hardly does, and no
 * metadata of the original survives — read back with exifr, sharp and ffprobe, and searched for
 * in the output's bytes.
 */

const run = promisify(execFile);
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

/** Mean absolute difference per channel value of two same-size RGB pictures, inside a rectangle and away from it (and from `others`). */
type Rect = { left: number; top: number; width: number; height: number };
async function difference(a: string | Buffer, b: string | Buffer, rect: Rect, others: Rect[] = []) {
  const ra = await sharp(a).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rb = await sharp(b).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([rb.info.width, rb.info.height]).toEqual([ra.info.width, ra.info.height]);
  let inSum = 0;
  let inN = 0;
  let outSum = 0;
  let outN = 0;
  const { width, height, channels } = ra.info;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height;
      // a margin around the region, where a blur's edge and JPEG blocks may bleed, counts for neither
      const near = [rect, ...others].some((r) => x >= r.left - 16 && x < r.left + r.width + 16 && y >= r.top - 16 && y < r.top + r.height + 16);
      for (let c = 0; c < channels; c++) {
        const d = Math.abs(ra.data[(y * width + x) * channels + c]! - rb.data[(y * width + x) * channels + c]!);
        if (inside) {
          inSum += d;
          inN++;
        } else if (!near) {
          outSum += d;
          outN++;
        }
      }
    }
  return { inside: inSum / inN, outside: outSum / outN };
}

describe('image redaction', () => {
  it('covers a region with a box and blurs another, burned in, with no EXIF, GPS, XMP, IPTC or ICC left', async () => {
    const src = join(dir, 'gps.jpg');
    await jpegWithGps(src, 3);
    const before = await exifr.parse(src, { gps: true, tiff: true, exif: true });
    expect(before).toMatchObject({ Make: 'Apple', Model: 'iPhone 12' });
    expect(before.latitude).toBeCloseTo(53.9045, 3);

    const out = await redactImage(src, join(dir, 'redacted.jpg'), {
      regions: [
        { x: 40, y: 40, width: 200, height: 150, style: 'box' },
        { x: 0.55, y: 0.5, width: 0.3, height: 0.35, unit: 'relative', style: 'blur' },
      ],
    });
    expect(out).toMatchObject({ mime: 'image/jpeg', width: 640, height: 480 });
    expect(out.regions).toEqual([
      { left: 40, top: 40, width: 200, height: 150, style: 'box' },
      { left: 352, top: 240, width: 192, height: 168, style: 'blur' },
    ]);

    const after = await exifr.parse(out.path, true).catch(() => undefined);
    expect(after).toBeUndefined();
    const meta = await sharp(out.path).metadata();
    expect([meta.exif, meta.xmp, meta.iptc, meta.icc]).toEqual([undefined, undefined, undefined, undefined]);
    const bytes = (await readFile(out.path)).toString('latin1');
    for (const needle of ['Apple', 'iPhone', '2020:08:09', 'Exif']) expect(bytes, needle).not.toContain(needle);

    // the box is black; the blurred region changed; the rest is the picture re-encoded
    const box = await sharp(await sharp(out.path).extract({ left: 50, top: 50, width: 180, height: 130 }).toBuffer()).stats();
    expect(box.channels.slice(0, 3).every((c) => c.max < 24)).toBe(true);
    const blurred = await difference(src, out.path, out.regions[1]!, [out.regions[0]!]);
    expect(blurred.inside).toBeGreaterThan(8);
    expect(blurred.outside).toBeLessThan(3);
    const boxed = await difference(src, out.path, out.regions[0]!);
    expect(boxed.inside).toBeGreaterThan(30);
  });

  it('leaves no detail in a blurred region: a fine pattern there becomes blocks of nearly one colour', async () => {
    // a chequerboard of 4 px squares: any detail that survives shows as a large spread of values
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><defs><pattern id="p" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#000"/><rect x="4" y="4" width="4" height="4" fill="#000"/></pattern></defs><rect width="400" height="300" fill="#fff"/><rect width="400" height="300" fill="url(#p)"/></svg>`;
    const src = join(dir, 'chequer.png');
    await sharp(Buffer.from(svg)).png().toFile(src);
    const out = await redactImage(src, join(dir, 'chequer-redacted.png'), { regions: [{ x: 100, y: 60, width: 180, height: 180 }], style: 'blur' });
    expect(out.mime).toBe('image/png');
    const inner = await sharp(await sharp(out.path).extract({ left: 130, top: 90, width: 120, height: 120 }).greyscale().toBuffer()).stats();
    expect(inner.channels[0]!.stdev).toBeLessThan(6);
    const outside = await sharp(await sharp(out.path).extract({ left: 0, top: 0, width: 80, height: 80 }).greyscale().toBuffer()).stats();
    expect(outside.channels[0]!.stdev).toBeGreaterThan(100);
  });

  it('places regions on the upright picture of a sideways photo, and refuses a region outside it', async () => {
    const src = join(dir, 'rotated.jpg');
    await jpegRotated(src);
    const out = await redactImage(src, join(dir, 'rotated-redacted.webp'), { regions: [{ x: 0, y: 0.75, width: 1, height: 0.25, unit: 'relative' }], format: 'webp' });
    expect(out).toMatchObject({ mime: 'image/webp', width: 480, height: 640, regions: [{ left: 0, top: 480, width: 480, height: 160, style: 'box' }] });
    expect((await sharp(out.path).metadata()).orientation).toBeUndefined();
    await expect(redactImage(src, join(dir, 'never.jpg'), { regions: [{ x: 500, y: 10, width: 20, height: 20 }] })).rejects.toMatchObject({
      name: 'MediaError',
      kind: 'unsupported',
      message: expect.stringMatching(/outside the 480 × 640 picture/),
    });
    expect(regionToPixels({ x: 0.1, y: 0.1, width: 2, height: 2, unit: 'relative' }, 100, 50)).toEqual({ left: 10, top: 5, width: 90, height: 45 });
  });
});

const ff = await toolForTests('ffmpeg');

/** Mono samples (float, 8 kHz) of a file's sound between two times. */
async function samples(path: string, from: number, to: number): Promise<Float32Array> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(from), '-t', String(to - from), '-i', path, '-vn', '-ac', '1', '-ar', '8000', '-f', 'f32le', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
}
const rms = (s: Float32Array) => Math.sqrt(s.reduce((t, v) => t + v * v, 0) / Math.max(1, s.length));
/** The frequency of a pure tone, from its upward zero crossings. */
const frequency = (s: Float32Array, rate = 8000) => {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (s[i - 1]! < 0 && s[i]! >= 0) n++;
  return n / (s.length / rate);
};

const ORIGINAL_TAGS = ['Recording at Okrestina', 'Witness K.', 'Samsung SM-G991B', '2020-08-09', '53.9045', '+027.5615', 'Lavf', 'Lavc', 'x264', 'libx264'];

/** What ffprobe shows of a file's tags, container and streams, and the needles of the original found in it or its bytes. */
async function leftovers(path: string): Promise<{ tags: string[]; found: string[] }> {
  const probe = await probeAv(path);
  const tags = [...Object.keys(probe.format?.tags ?? {}).map((k) => `format:${k}`), ...(probe.streams ?? []).flatMap((s) => Object.keys(s.tags ?? {}).map((k) => `${s.codec_type}:${k}`))];
  const text = JSON.stringify(probe) + (await readFile(path)).toString('latin1');
  return { tags, found: ORIGINAL_TAGS.filter((n) => text.includes(n)) };
}

/** The tags every MP4 carries, none of them about the recording: its brand, the track handlers and language. */
const NEUTRAL_TAGS = ['format:major_brand', 'format:minor_version', 'format:compatible_brands', 'video:language', 'video:handler_name', 'video:vendor_id', 'audio:language', 'audio:handler_name', 'audio:vendor_id'];

describe.skipIf(!ff.run)('audio and video redaction (ffmpeg)', () => {
  it('has ffmpeg', () => expect(ff.missing).toBeUndefined());

  const tagged = ['-metadata', 'title=Recording at Okrestina', '-metadata', 'artist=Witness K.', '-metadata', 'encoder=Samsung SM-G991B', '-metadata:s:v', 'encoder=Samsung SM-G991B', '-metadata', 'comment=2020-08-09 Minsk'];

  it('blurs a region of a video over a time range, covers a sound range with a tone, and leaves no metadata', async () => {
    const src = join(dir, 'clip.mp4');
    await mp4(src, { seconds: 6, extra: tagged });
    const orig = await probeAv(src);
    expect(JSON.stringify(orig.format?.tags)).toMatch(/Okrestina.*|creation_time/);
    const out = await redactAv(src, join(dir, 'clip-redacted.mp4'), {
      regions: [{ x: 0.25, y: 0.25, width: 0.5, height: 0.5, unit: 'relative', style: 'blur', ranges: [{ from: 1, to: 4 }] }, { x: 0, y: 0, width: 100, height: 60, style: 'box' }],
      audio: { ranges: [{ from: 2, to: 3 }], cover: 'tone' },
    });
    expect(out).toMatchObject({ mime: 'video/mp4', hasVideo: true, hasAudio: true });
    const probe = await probeAv(out.path);
    expect(probe.streams?.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(probe.format?.duration)).toBeCloseTo(6, 0);
    const left = await leftovers(out.path);
    expect(left.found).toEqual([]);
    expect(left.tags.filter((t) => !NEUTRAL_TAGS.includes(t))).toEqual([]);

    const rect = { left: 160, top: 90, width: 320, height: 180 };
    const frame = async (p: string, t: number) => grabFrame(p, t, 640, DEFAULT_LIMITS, 30_000);
    const during = await difference(await frame(src, 2.5), await frame(out.path, 2.5), rect);
    expect(during.inside).toBeGreaterThan(10);
    // outside the range the region is the picture again (re-encoded)
    const later = await difference(await frame(src, 5), await frame(out.path, 5), { left: 0, top: 0, width: 100, height: 60 });
    expect(later.outside).toBeLessThan(6);
    const box = await sharp(await sharp(await frame(out.path, 5)).extract({ left: 4, top: 4, width: 90, height: 50 }).toBuffer()).stats();
    expect(box.channels.slice(0, 3).every((c) => c.max < 40)).toBe(true);

    // the sine of the original is 440 Hz; in the covered range a 1 kHz tone sounds instead
    expect(frequency(await samples(out.path, 2.2, 2.8))).toBeGreaterThan(900);
    expect(frequency(await samples(out.path, 4, 5))).toBeCloseTo(440, -1);
  });

  it('silences sound ranges and disguises the voice by a pitch shift, keeping the length', async () => {
    const src = join(dir, 'voice.m4a');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=5', '-c:a', 'aac', ...tagged, '-metadata', 'location=+53.9045+027.5615/', '-metadata', 'creation_time=2020-08-09T20:15:00Z', src]);
    const out = await redactAv(src, join(dir, 'voice-redacted.m4a'), { audio: { ranges: [{ from: 1, to: 2 }, { from: 3.5, to: 4 }], pitchSemitones: -12 } });
    expect(out).toMatchObject({ mime: 'audio/mp4', hasVideo: false, hasAudio: true });
    expect(['rubberband', 'asetrate']).toContain(out.pitchShift);
    expect(Number((await probeAv(out.path)).format?.duration)).toBeCloseTo(5, 0);
    expect(rms(await samples(out.path, 1.2, 1.8))).toBeLessThan(0.005);
    expect(rms(await samples(out.path, 3.6, 3.9))).toBeLessThan(0.005);
    expect(rms(await samples(out.path, 2.3, 3.2))).toBeGreaterThan(0.05); // the sine is at 1/8 of full scale
    // an octave down: 440 Hz becomes 220 Hz
    expect(frequency(await samples(out.path, 2.3, 3.2))).toBeGreaterThan(200);
    expect(frequency(await samples(out.path, 2.3, 3.2))).toBeLessThan(240);
    const left = await leftovers(out.path);
    expect(left.found).toEqual([]);
    expect(left.tags.filter((t) => !NEUTRAL_TAGS.includes(t))).toEqual([]);
  });

  it('places regions on the upright picture of a phone video stored sideways, and bakes the rotation in', async () => {
    const flat = join(dir, 'flat.mp4');
    const sideways = join(dir, 'sideways.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=duration=2:size=640x360:rate=25', '-c:v', 'libx264', '-preset', 'ultrafast', flat]);
    await ffmpeg(['-i', flat, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', sideways]);
    expect((await probeAv(sideways)).streams?.[0]?.side_data_list?.[0]?.rotation).toBe(90);
    const out = await redactAv(sideways, join(dir, 'sideways-redacted.mp4'), { regions: [{ x: 0, y: 0, width: 1, height: 0.25, unit: 'relative' }] });
    const video = (await probeAv(out.path)).streams?.[0];
    expect([video?.width, video?.height, video?.side_data_list]).toEqual([360, 640, undefined]);
    const frame = await grabFrame(out.path, 1, 640, DEFAULT_LIMITS, 30_000);
    const top = await sharp(await sharp(frame).extract({ left: 0, top: 0, width: 360, height: 150 }).toBuffer()).stats();
    expect(top.channels.slice(0, 3).every((ch) => ch.max < 40)).toBe(true);
    const below = await sharp(await sharp(frame).extract({ left: 0, top: 200, width: 360, height: 400 }).toBuffer()).stats();
    expect(below.channels.some((ch) => ch.max > 200)).toBe(true);
  });

  it('refuses regions for sound alone and ranges that are not ranges, writing nothing', async () => {
    const src = join(dir, 'voice.m4a');
    await expect(redactAv(src, join(dir, 'x.m4a'), { regions: [{ x: 0, y: 0, width: 10, height: 10 }] })).rejects.toMatchObject({ kind: 'unsupported', message: 'redaction: regions were given but the file has no picture' });
    await expect(redactAv(src, join(dir, 'x.m4a'), { audio: { ranges: [{ from: 3, to: 2 }] } })).rejects.toMatchObject({ kind: 'unsupported' });
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((n) => n.startsWith('x.m4a') || n.includes('.partial'))).toEqual([]);
  });
});
