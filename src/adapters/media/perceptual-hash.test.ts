import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mp4, pictureSvg, reencode, tempDir, toolForTests } from './media.test-support.js';
import { hammingDistance, imagePHash, pHashOfGrey32, videoHashDistance, videoKeyframeHashes } from './perceptual-hash.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('image pHash', () => {
  it('finds a re-encoded, resized copy near and a different picture far', async () => {
    const original = join(dir, 'original.jpg');
    const repost = join(dir, 'repost.jpg');
    const webp = join(dir, 'repost.webp');
    const other = join(dir, 'other.jpg');
    await sharp(pictureSvg(1, 1600, 1200)).jpeg({ quality: 95 }).toFile(original);
    await sharp(original).resize(480).jpeg({ quality: 40 }).toFile(repost);
    await sharp(original).resize(800).webp({ quality: 50 }).toFile(webp);
    await sharp(pictureSvg(2, 1600, 1200)).jpeg({ quality: 95 }).toFile(other);
    const [h0, h1, h2, h3] = await Promise.all([original, repost, webp, other].map((p) => imagePHash(p)));
    expect(h0).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(h0!, h1!)).toBeLessThanOrEqual(6);
    expect(hammingDistance(h0!, h2!)).toBeLessThanOrEqual(6);
    expect(hammingDistance(h0!, h3!)).toBeGreaterThanOrEqual(20);
  });

  it('is the same for the same pixels, whatever the orientation tag says once upright', async () => {
    const upright = join(dir, 'upright.png');
    const sideways = join(dir, 'sideways.jpg');
    await sharp(pictureSvg(7)).png().toFile(upright);
    // stored turned 90° clockwise back, tagged to be shown turned: displays as the upright picture
    await sharp(pictureSvg(7)).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(sideways);
    expect(hammingDistance(await imagePHash(upright), await imagePHash(sideways))).toBeLessThanOrEqual(4);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => hammingDistance('00', '000')).toThrow(/one length/);
    expect(() => pHashOfGrey32(new Uint8Array(10))).toThrow(/32 × 32/);
  });
});

const ff = await toolForTests('ffmpeg');

describe.skipIf(!ff.run)('video keyframe hashes (ffmpeg)', () => {
  it('has ffmpeg', () => expect(ff.missing).toBeUndefined());

  it('match a re-encode at another bitrate and size, and not another video', async () => {
    const original = join(dir, 'v.mp4');
    const repost = join(dir, 'v-repost.mp4');
    const other = join(dir, 'other.mp4');
    await mp4(original, { seconds: 6, source: 'testsrc2=duration=6:size=640x360:rate=25', bitrate: '1500k' });
    await reencode(original, repost, '150k', '426:240');
    await mp4(other, { seconds: 6, source: 'mandelbrot=size=640x360:rate=25' });
    const [a, b, c] = await Promise.all([original, repost, other].map((p) => videoKeyframeHashes(p, { count: 6 })));
    expect(a!.frames).toHaveLength(6);
    expect(a!.durationSeconds).toBeCloseTo(6, 0);
    expect(a!.frames[0]!.atSeconds).toBeCloseTo(0.5, 1);
    const same = videoHashDistance(a!.hashes, b!.hashes);
    const different = videoHashDistance(a!.hashes, c!.hashes);
    expect(same).toBeLessThanOrEqual(6);
    expect(different).toBeGreaterThanOrEqual(18);
  });

  it('marks blank frames and leaves them out of the comparison', async () => {
    const black = join(dir, 'black.mp4');
    await mp4(black, { seconds: 2, source: 'color=c=black:size=320x240:rate=25:duration=2' });
    const h = await videoKeyframeHashes(black, { count: 3 });
    expect(h.frames.every((f) => f.blank)).toBe(true);
    expect(h.hashes).toEqual([]);
    expect(videoHashDistance(h.hashes, ['0000000000000000'])).toBe(64);
  });
});
