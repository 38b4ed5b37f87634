import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exifCaptureTime, isoCaptureTime } from './capture-time.js';
import { detectType } from './detect-type.js';
import { extractMetadata } from './extract-metadata.js';
import { htmlToText } from './html-text.js';
import { parseIso6709 } from './iso6709.js';
import { MediaError } from './media-error.js';
import type { ArchiveMetadata, AvMetadata, DocumentMetadata, ImageMetadata, MediaMetadata, PdfMetadata, TextMetadata } from './metadata.types.js';
import { docxBytes, jpegRotated, jpegWithGps, mp3, mp4, pictureSvg, simplePdf, tempDir, type TempDir, toolForTests, zipBytes } from './media.test-support.js';
import { pdfDate } from './pdf-metadata.js';
import { setMediaToolPaths, shippedFfprobePath, toolAvailability } from './tools.js';

let dir: string;
let file: TempDir['file'];
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, file, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function metadataOf<T extends MediaMetadata>(path: string): Promise<T> {
  const meta = await extractMetadata(path, await detectType(path));
  // stored as JSON (jsonb): it must survive the round trip unchanged
  expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
  expect(meta.schemaVersion).toBe(1);
  return meta as T;
}

describe('image metadata', () => {
  it('reads GPS, device, capture time with its offset, and dimensions', async () => {
    const p = join(dir, 'gps.jpg');
    await jpegWithGps(p);
    const m = await metadataOf<ImageMetadata>(p);
    expect(m).toMatchObject({ kind: 'image', mime: 'image/jpeg', format: 'jpeg', width: 640, height: 480, warnings: [] });
    expect(m.gps).toMatchObject({ lat: 53.9045, lon: 27.5615, alt: 220, time: '2020-08-09T20:15:00.000Z' });
    expect(m.device).toMatchObject({ make: 'Apple', model: 'iPhone 12', software: '14.7.1' });
    expect(m.captureTime).toEqual({ local: '2020-08-09T23:15:00.250', offset: '+03:00', utc: '2020-08-09T20:15:00.250Z', source: 'DateTimeOriginal' });
    expect(m.tags.gps).toBeDefined();
    expect(m.extractedWith.join(' ')).toMatch(/exifr \d/);
  });

  it('reports the orientation and works for images without EXIF', async () => {
    const p = join(dir, 'rotated.jpg');
    await jpegRotated(p);
    expect((await metadataOf<ImageMetadata>(p)).orientation).toBe(6);
    const png = await file('plain.png', await sharp(pictureSvg(3)).png().toBuffer());
    const m = await metadataOf<ImageMetadata>(png);
    expect(m).toMatchObject({ kind: 'image', format: 'png', width: 640, height: 480, gps: null, captureTime: null, device: {} });
  });
});

describe('PDF metadata', () => {
  it('reads the information dictionary, page count and the text of each page', async () => {
    const m = await metadataOf<PdfMetadata>(await file('doc.pdf', simplePdf()));
    expect(m).toMatchObject({ kind: 'pdf', pageCount: 2, title: 'Detention report', author: 'Court of the Lenin district', producer: 'Letapis tests', encrypted: false });
    expect(m.created).toEqual({ raw: "D:20200809231500+03'00'", iso: '2020-08-09T23:15:00+03:00' });
    expect(m.text.pages[0]).toContain('Protocol of detention No. 17');
    expect(m.text).toMatchObject({ pagesWithoutText: [2], complete: true });
  });

  it('caps the text per page and keeps what it read', async () => {
    const path = await file('capped.pdf', simplePdf());
    const m = (await extractMetadata(path, await detectType(path), { limits: { maxPdfPageChars: 8 } })) as PdfMetadata;
    expect(m.text.pages[0]).toBe('Protocol');
    expect(m.text.complete).toBe(false);
    expect(m.warnings.join(' ')).toMatch(/capped/);
  });

  it('parses PDF dates', () => {
    expect(pdfDate('D:20200809')).toEqual({ raw: 'D:20200809', iso: '2020-08-09T00:00:00' });
    expect(pdfDate('D:20200809231500Z')?.iso).toBe('2020-08-09T23:15:00Z');
    expect(pdfDate('yesterday')).toEqual({ raw: 'yesterday', iso: null });
  });
});

describe('document and text metadata', () => {
  it('reads a DOCX: text by mammoth, properties from docProps', async () => {
    const m = await metadataOf<DocumentMetadata>(await file('statement.docx', docxBytes(['Заява аб катаваннях', 'Сведка: Ганна'], { creator: 'Ганна', lastModifiedBy: 'Юрыст' })));
    expect(m.kind).toBe('document');
    expect(m.text).toContain('Заява аб катаваннях');
    expect(m.text).toContain('Сведка: Ганна');
    expect(m.properties).toMatchObject({ title: 'Заява', creator: 'Ганна', lastModifiedBy: 'Юрыст', created: '2020-08-10T09:00:00Z' });
  });

  it('strips HTML without keeping scripts, styles or comments', async () => {
    const html = `<!DOCTYPE html><html><head><title>Навіны &amp; падзеі</title><meta name="author" content="Рэдакцыя"><style>p{color:red}</style>
      <script>document.write('<p>injected</p>')</script></head><body><!-- hidden --><h1>Затрыманні</h1><p>10&nbsp;жніўня <b>2020</b> &#1043;&#x43E;</p>
      <a href="https://example.org/x">спасылка</a><img src=x onerror="alert(1)" alt="фота"><script src="x.js"></script></body></html>`;
    const m = await metadataOf<TextMetadata>(await file('page.html', html));
    expect(m.html).toEqual({ title: 'Навіны & падзеі', meta: { author: 'Рэдакцыя' }, links: 1 });
    expect(m.text).toContain('Затрыманні');
    expect(m.text).toContain('10\u00a0жніўня 2020 Го'.replace('\u00a0', ' '));
    expect(m.text).toContain('фота');
    expect(m.text).not.toMatch(/injected|color|hidden|alert|<|x\.js/);
  });

  it('reads CSV columns, Windows-1251 text, and lists zip entries flagging unsafe paths', async () => {
    const csv = await metadataOf<TextMetadata>(await file('list.csv', 'name,date,place\n"Іван, старэйшы",2020-08-10,Акрэсціна\nПётр,2020-08-11,Жодзіна\n'));
    expect(csv.csv).toEqual({ delimiter: ',', columns: ['name', 'date', 'place'], rows: 3 });
    const cp = await metadataOf<TextMetadata>(await file('cp1251.txt', Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0a])));
    expect(cp).toMatchObject({ charset: 'windows-1251', text: 'Привет\n' });
    const zip = await metadataOf<ArchiveMetadata>(await file('a.zip', zipBytes([{ name: 'ok/доказ.txt', data: 'x' }, { name: '../../etc/evil', data: 'y' }, { name: '/abs', data: 'z', store: true }])));
    expect(zip).toMatchObject({ kind: 'archive', entryCount: 3 });
    expect(zip.entries.map((e) => [e.name, e.unsafe])).toEqual([['ok/доказ.txt', false], ['../../etc/evil', true], ['/abs', true]]);
    expect(zip.entries[0]?.modified).toBe('2020-08-09T00:00:00');
  });

  it('answers unsupported for types it has no reader for', async () => {
    const p = await file('x.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]));
    const err = await extractMetadata(p, await detectType(p)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect(err).toMatchObject({ kind: 'unsupported', message: 'no metadata reader for application/x-elf' });
  });
});

describe('capture times', () => {
  it('read EXIF and container dates, and drop what is damaged or a clock never set', () => {
    expect(exifCaptureTime('2020:08:09 23:15:00', '2\u00ff0', '+03:00', 'DateTimeOriginal')).toEqual({ local: '2020-08-09T23:15:00', offset: '+03:00', utc: '2020-08-09T20:15:00.000Z', source: 'DateTimeOriginal' });
    expect(exifCaptureTime('2020:08:09 23:15:00', undefined, '+3:0x', 'DateTimeOriginal')).toMatchObject({ offset: null, utc: null });
    expect(exifCaptureTime('0000:00:00 00:00:00', undefined, undefined, 'DateTimeOriginal')).toBeNull();
    expect(exifCaptureTime('    :  :     :  :  ', undefined, undefined, 'DateTimeOriginal')).toBeNull();
    expect(isoCaptureTime('2020-08-09T23:15:00+0300', 'com.apple.quicktime.creationdate')).toEqual({ local: '2020-08-09T23:15:00', offset: '+03:00', utc: '2020-08-09T20:15:00.000Z', source: 'com.apple.quicktime.creationdate' });
    expect(isoCaptureTime('1970-01-01T00:00:00.000000Z', 'creation_time')).toBeNull();
    expect(isoCaptureTime('1904-01-01T00:00:00Z', 'creation_time')).toBeNull();
  });
});

describe('ISO 6709', () => {
  it('parses decimal degrees, degrees-minutes, degrees-minutes-seconds and altitude', () => {
    expect(parseIso6709('+53.9045+027.5615/')).toEqual({ lat: 53.9045, lon: 27.5615 });
    expect(parseIso6709('+53.9045+027.5615+220.000/')).toEqual({ lat: 53.9045, lon: 27.5615, alt: 220 });
    expect(parseIso6709('-3354.27+15112.5/')).toEqual({ lat: -(33 + 54.27 / 60), lon: Math.round((151 + 12.5 / 60) * 1e7) / 1e7 });
    expect(parseIso6709('+535416.2+0273341.4CRSWGS_84/')).toEqual({ lat: 53.9045, lon: 27.5615 });
    expect(parseIso6709('+91.0+000.0/')).toBeNull();
    expect(parseIso6709('Minsk')).toBeNull();
  });
});

describe('HTML to text', () => {
  it('is linear on pathological markup', () => {
    const evil = '<a '.repeat(50_000) + '<'.repeat(50_000) + '<!--'.repeat(10_000);
    const t0 = Date.now();
    htmlToText(evil, 1000);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

const ff = await toolForTests('ffmpeg');

describe.skipIf(!ff.run)('video and audio metadata (ffmpeg makes the fixtures)', () => {
  it('has ffmpeg', () => expect(ff.missing).toBeUndefined());

  it('reads duration, streams, codecs, creation time and the ISO 6709 location of an MP4', async () => {
    const p = join(dir, 'clip.mp4');
    await mp4(p, { seconds: 2, extra: ['-metadata', 'make=Xiaomi', '-metadata', 'model=Redmi Note 8'] });
    const m = await metadataOf<AvMetadata>(p);
    expect(m).toMatchObject({ kind: 'av', mime: 'video/mp4', hasVideo: true, hasAudio: true, width: 640, height: 360 });
    expect(m.durationSeconds).toBeCloseTo(2, 0);
    expect(m.location).toMatchObject({ lat: 53.9045, lon: 27.5615, alt: 220 });
    expect(m.captureTime).toEqual({ local: null, offset: null, utc: '2020-08-09T20:15:00.000Z', source: 'creation_time' });
    expect(m.streams.map((s) => [s.type, s.codec])).toEqual([['video', 'h264'], ['audio', 'aac']]);
    expect(m.streams[0]?.frameRate).toBe(25);
  });

  it('reads an MP3', async () => {
    const p = join(dir, 'rec.mp3');
    await mp3(p);
    const m = await metadataOf<AvMetadata>(p);
    expect(m).toMatchObject({ kind: 'av', mime: 'audio/mpeg', category: 'audio', hasVideo: false, hasAudio: true, container: 'mp3' });
    expect(m.tags.title).toBe('Recording at Okrestina');
    expect(m.streams[0]).toMatchObject({ codec: 'mp3', sampleRate: 44100 });
  });

  it('works with the ffprobe that ffprobe-static ships', async () => {
    const shipped = shippedFfprobePath();
    if (!shipped) return;
    setMediaToolPaths({ ffprobe: shipped });
    try {
      expect((await toolAvailability()).ffprobe.version).toMatch(/ffprobe version 4/);
      const m = await metadataOf<AvMetadata>(join(dir, 'clip.mp4'));
      expect(m.location).toMatchObject({ lat: 53.9045, lon: 27.5615 });
    } finally {
      setMediaToolPaths({ ffprobe: '' });
    }
  });
});
