import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAv } from './av-metadata.js';
import { makeImagePreview, makeImageThumbnail } from './image-derivatives.js';
import { jpegRotated, jpegWithGps, mp3, mp4, pdfBytes, simplePdf, tempDir, type TempDir, textImage, toolForTests } from './media.test-support.js';
import { renderPdfPage } from './pdf-render.js';
import { ocrImage } from './ocr.js';
import { setMediaToolPaths, toolAvailability } from './tools.js';
import { videoPoster, videoPreview } from './video-derivatives.js';

let dir: string;
let file: TempDir['file'];
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, file, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('image thumbnails and previews', () => {
  it('makes an upright thumbnail with no EXIF, GPS, XMP or ICC left', async () => {
    const src = join(dir, 'gps.jpg');
    await jpegWithGps(src);
    const thumb = await makeImageThumbnail(src, join(dir, 'thumb.jpg'), { size: 160 });
    expect(thumb).toMatchObject({ mime: 'image/jpeg', width: 160, height: 120 });
    const meta = await sharp(thumb.path).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect((await stat(thumb.path)).size).toBe(thumb.bytes);
  });

  it('turns a sideways photo upright (EXIF orientation 6)', async () => {
    const src = join(dir, 'rotated.jpg');
    await jpegRotated(src);
    const preview = await makeImagePreview(src, join(dir, 'preview.webp'), { format: 'webp' });
    expect(preview).toMatchObject({ mime: 'image/webp', width: 480, height: 640 });
    expect((await sharp(preview.path).metadata()).orientation).toBeUndefined();
  });

  it('never leaves a partial file behind a failure', async () => {
    const err = await makeImageThumbnail(join(dir, 'missing.jpg'), join(dir, 'never.jpg')).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MediaError', kind: 'malformed' });
    expect((await readdir(dir)).filter((n) => n.includes('never'))).toEqual([]);
  });
});

describe('PDF pages as images', () => {
  it('draws a page at the asked resolution, and caps the pixels of a huge page', async () => {
    const pdf = await file('doc.pdf', simplePdf());
    const img = await renderPdfPage(pdf, join(dir, 'p1.png'), { page: 1, dpi: 150 });
    expect(img).toMatchObject({ mime: 'image/png', width: 1275, height: 1650, dpi: 150 });
    const stats = await sharp(img.path).stats();
    expect(stats.channels[0]!.min).toBeLessThan(100); // some ink on the page
    await expect(renderPdfPage(pdf, join(dir, 'p9.png'), { page: 9 })).rejects.toMatchObject({ kind: 'malformed', message: 'no page 9: the PDF has 2 pages' });
    const huge = await file('huge.pdf', pdfBytes(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200000 200000] >>']));
    const big = await renderPdfPage(huge, join(dir, 'huge.png'), { page: 1, maxPixels: 1_000_000 });
    expect(big.width * big.height).toBeLessThanOrEqual(1_000_000);
  });
});

const ff = await toolForTests('ffmpeg');

describe.skipIf(!ff.run)('video posters and previews (ffmpeg)', () => {
  it('has ffmpeg', () => expect(ff.missing).toBeUndefined());

  it('makes a poster frame', async () => {
    const src = join(dir, 'clip.mp4');
    await mp4(src, { seconds: 3 });
    const poster = await videoPoster(src, join(dir, 'poster.jpg'), { size: 320 });
    expect(poster).toMatchObject({ mime: 'image/jpeg', width: 320, height: 180 });
    expect((await sharp(poster.path).metadata()).exif).toBeUndefined();
  });

  it('makes a capped, browser-playable H.264/AAC preview without the original metadata', async () => {
    const src = join(dir, 'clip.mp4');
    const dest = join(dir, 'preview.mp4');
    const preview = await videoPreview(src, dest, { limits: { maxPreviewSeconds: 2 } });
    expect(preview).toMatchObject({ mime: 'video/mp4', truncated: true, durationSeconds: 2 });
    const probe = await probeAv(dest);
    expect(probe.streams?.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(probe.format?.duration)).toBeLessThanOrEqual(2.1);
    expect(JSON.stringify(probe.format?.tags ?? {})).not.toMatch(/location|creation_time|53\.90/);
  });

  it('makes a WebM preview', async () => {
    const preview = await videoPreview(join(dir, 'clip.mp4'), join(dir, 'preview.webm'), { format: 'webm', maxSide: 320 });
    expect(preview).toMatchObject({ mime: 'video/webm', truncated: false });
    const probe = await probeAv(preview.path);
    expect(probe.streams?.map((s) => [s.codec_name, s.width])).toEqual([['vp8', 320], ['opus', undefined]]);
  });

  it('refuses a poster for audio', async () => {
    const src = join(dir, 'a.mp3');
    await mp3(src);
    await expect(videoPoster(src, join(dir, 'nope.jpg'))).rejects.toMatchObject({ kind: 'unsupported', message: 'poster: the file has no video stream' });
  });
});

const tess = await toolForTests('tesseract', ['bel', 'rus', 'eng']);

describe.skipIf(!tess.run)('OCR (tesseract)', () => {
  it('has tesseract with bel, rus and eng', () => expect(tess.missing).toBeUndefined());

  it('reads Belarusian, Russian and English text from an image', async () => {
    const src = join(dir, 'scan.png');
    await textImage(src, ['ПРАТАКОЛ затрымання', 'Протокол задержания', 'Detention report 2020']);
    const ocr = await ocrImage(src);
    expect(ocr.langs).toEqual(['bel', 'rus', 'eng']);
    expect(ocr.missingLangs).toEqual([]);
    expect(ocr.text).toMatch(/ПРАТАКОЛ затрымання/);
    expect(ocr.text).toMatch(/Протокол задержания/);
    expect(ocr.text).toMatch(/Detention report 2020/);
  });

  it('reads a PDF page drawn as an image', async () => {
    const pdf = join(dir, 'doc.pdf');
    const img = await renderPdfPage(pdf, join(dir, 'p1-ocr.png'), { page: 1, dpi: 200 });
    expect((await ocrImage(img.path, { langs: ['eng'] })).text).toMatch(/Protocol of detention No\. 17/);
  });

  it('uses the languages it has and says which are missing', async () => {
    const ocr = await ocrImage(join(dir, 'scan.png'), { langs: ['eng', 'xyz'] });
    expect(ocr).toMatchObject({ langs: ['eng'], missingLangs: ['xyz'] });
    await expect(ocrImage(join(dir, 'scan.png'), { langs: ['xyz'] })).rejects.toMatchObject({ kind: 'tool-missing' });
  });
});

describe('missing tools', () => {
  it('report once and make the functions that need them throw tool-missing', async () => {
    setMediaToolPaths({ ffmpeg: '/nonexistent/ffmpeg', tesseract: '/nonexistent/tesseract' });
    try {
      const tools = await toolAvailability();
      expect(tools.ffmpeg).toMatchObject({ available: false, reason: 'ffmpeg not installed' });
      expect(tools.tesseract).toMatchObject({ available: false, langs: [] });
      expect(tools.notices.join('\n')).toMatch(/^ffmpeg not installed: .*\ntesseract not installed: /);
      const src = join(dir, 'gps.jpg');
      await expect(videoPoster(src, join(dir, 'p.jpg'))).rejects.toMatchObject({ name: 'MediaError', kind: 'tool-missing', message: 'ffmpeg not installed' });
      await expect(videoPreview(src, join(dir, 'p.mp4'))).rejects.toMatchObject({ kind: 'tool-missing', message: 'ffmpeg not installed' });
      await expect(ocrImage(src)).rejects.toMatchObject({ kind: 'tool-missing', message: 'tesseract not installed' });
    } finally {
      setMediaToolPaths({ ffmpeg: 'ffmpeg', tesseract: 'tesseract' });
    }
  });
});
