import { execFile } from 'node:child_process';
import { readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIsolatedNode } from './child-process.js';
import { detectType, type DetectedType } from './detect-type.js';
import { extractMetadata } from './extract-metadata.js';
import { htmlToText } from './html-text.js';
import { makeImagePreview, makeImageThumbnail } from './image-derivatives.js';
import { MediaError } from './media-error.js';
import { docxBytes, ffmpeg, jpegWithGps, loopingPdfs, mp4, pngBomb, tempDir, type TempDir, toolForTests, zipBytes } from './media.test-support.js';
import type { ImageMetadata, PdfMetadata } from './metadata.types.js';
import { ocrImage } from './ocr.js';
import { imagePHash, videoKeyframeHashes } from './perceptual-hash.js';
import { renderPdfPage } from './pdf-render.js';
import { packageDir } from './versions.js';
import { videoPoster, videoPreview } from './video-derivatives.js';

/**
 * Hostile files (SECURITY.md, "Hostile input"): each gives a clear MediaError or partial data,
 * within its time limit, and crashes nothing.
 */

let dir: string;
let file: TempDir['file'];
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, file, cleanup } = await tempDir()));
afterAll(() => cleanup());

const IMAGE: DetectedType = { mime: 'image/jpeg', ext: 'jpg', category: 'image' };
const PDF: DetectedType = { mime: 'application/pdf', ext: 'pdf', category: 'pdf' };
const VIDEO: DetectedType = { mime: 'video/mp4', ext: 'mp4', category: 'video' };

/** Settles within `ms` with the value or the MediaError; any other error fails the test. */
async function settle<T>(work: Promise<T>, ms: number): Promise<T | MediaError> {
  const t0 = Date.now();
  const r = await work.then(
    (v) => v,
    (e: unknown) => {
      if (!(e instanceof MediaError)) throw new Error(`threw something other than a MediaError: ${String(e)}`);
      return e;
    },
  );
  expect(Date.now() - t0).toBeLessThan(ms);
  return r;
}

describe('a zero-byte file', () => {
  it('is typed empty, and every reader says so with a MediaError', async () => {
    const p = await file('empty', Buffer.alloc(0));
    expect(await detectType(p)).toMatchObject({ mime: 'application/x-empty' });
    for (const type of [IMAGE, PDF, VIDEO, await detectType(p)]) {
      expect(await settle(extractMetadata(p, type), 5000)).toMatchObject({ kind: 'malformed', message: 'the file is empty (0 bytes)' });
    }
    expect(await settle(makeImageThumbnail(p, join(dir, 'e.jpg')), 5000)).toBeInstanceOf(MediaError);
    expect(await settle(imagePHash(p), 5000)).toBeInstanceOf(MediaError);
  });
});

describe('random bytes', () => {
  it('are typed unknown; readers forced on them fail cleanly or return what little they found', async () => {
    const bytes = Buffer.alloc(256 * 1024);
    let s = 42;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    bytes[0] = 0x00;
    const p = await file('random', bytes);
    expect(await detectType(p)).toEqual({ mime: 'application/octet-stream', ext: 'bin', category: 'other' });
    expect(await settle(extractMetadata(p, await detectType(p)), 5000)).toMatchObject({ kind: 'unsupported' });
    const asImage = (await settle(extractMetadata(p, IMAGE), 10_000)) as ImageMetadata;
    expect(asImage.kind).toBe('image');
    expect(asImage.width).toBeUndefined();
    expect(asImage.warnings.join(' ')).toMatch(/header could not be read/);
    expect(await settle(extractMetadata(p, PDF), 30_000)).toMatchObject({ kind: 'malformed' });
    expect(await settle(makeImageThumbnail(p, join(dir, 'r.jpg')), 10_000)).toMatchObject({ kind: 'unsupported' });
  });
});

describe('a JPEG with a corrupt EXIF block', () => {
  async function corrupted(name: string, damage: (jpeg: Buffer, tiff: number) => void): Promise<string> {
    const src = join(dir, `${name}-src.jpg`);
    await jpegWithGps(src);
    const jpeg = await readFile(src);
    const tiff = jpeg.indexOf(Buffer.from('Exif\0\0', 'latin1')) + 6;
    expect(tiff).toBeGreaterThan(6);
    damage(jpeg, tiff);
    return file(`${name}.jpg`, jpeg);
  }
  const damages: Record<string, (jpeg: Buffer, tiff: number) => void> = {
    'IFD0 offset past the end': (j, t) => j.writeUInt32LE(0x7ffffff0, t + 4),
    'IFD0 claims 65535 entries': (j, t) => j.writeUInt16LE(0xffff, t + j.readUInt32LE(t + 4)),
    'garbage through the tag table': (j, t) => {
      for (let i = t + 8; i < t + 200 && i < j.length; i++) j[i] = (i * 37) & 0xff;
    },
    'byte order mark destroyed': (j, t) => j.write('XX', t, 'latin1'),
  };
  for (const [name, damage] of Object.entries(damages)) {
    it(`${name}: dimensions still read, no crash, thumbnail still made`, async () => {
      const p = await corrupted(name.replace(/\W+/g, '-'), damage);
      const meta = await settle(extractMetadata(p, await detectType(p)), 10_000);
      expect(meta).not.toBeInstanceOf(MediaError);
      expect(meta).toMatchObject({ kind: 'image', width: 640, height: 480 });
      expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
      const thumb = await settle(makeImageThumbnail(p, join(dir, `${name.replace(/\W+/g, '-')}-t.jpg`)), 10_000);
      expect(thumb).toMatchObject({ width: 320, height: 240 });
    });
  }
});

describe('EXIF blocks damaged at random', () => {
  it('always give image metadata (JSON, with the dimensions) and a thumbnail or a MediaError', async () => {
    const src = join(dir, 'fuzz-src.jpg');
    await jpegWithGps(src);
    const base = await readFile(src);
    const tiff = base.indexOf(Buffer.from('Exif\0\0', 'latin1')) + 6;
    const end = tiff + base.readUInt16BE(tiff - 8) - 8; // the APP1 segment's own length stays intact
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: tiff, max: end - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }), async (flips) => {
        const bytes = Buffer.from(base);
        for (const [at, value] of flips) bytes[at] = value;
        const p = await file(`fuzz-${n++}.jpg`, bytes);
        const meta = await settle(extractMetadata(p, IMAGE), 10_000);
        expect(meta).toMatchObject({ kind: 'image', width: 640, height: 480 });
        expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
        await settle(makeImageThumbnail(p, join(dir, `fuzz-${n}-t.jpg`)), 10_000);
      }),
      { numRuns: 60, seed: 20200809 },
    );
  });
});

describe('zip archives and HTML damaged at random', () => {
  it('list or fail with a MediaError, never anything else', async () => {
    const base = zipBytes([{ name: 'a/доказ.txt', data: 'x'.repeat(500) }, { name: 'b.txt', data: 'y', store: true }]);
    const type = { mime: 'application/zip', ext: 'zip', category: 'archive' } as const;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
        const bytes = Buffer.from(base);
        for (const [at, value] of flips) bytes[at] = value;
        const r = await settle(extractMetadata(await file(`zfuzz-${n++}.zip`, bytes), type), 5000);
        if (!(r instanceof MediaError)) expect(JSON.parse(JSON.stringify(r))).toEqual(r);
      }),
      { numRuns: 100, seed: 20200810 },
    );
  });

  it('HTML text extraction takes any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '/', '!', '-', '"', "'", '=', '&', '#', ';', 'a', 'script', 'title', 'meta', ' ', 'x', '\n') , maxLength: 400 }), (html) => {
        const r = htmlToText(html, 1000);
        expect(typeof r.text).toBe('string');
      }),
      { numRuns: 500, seed: 20200811 },
    );
  });
});

describe('a decompression-bomb PNG (20000 × 20000 of one colour)', () => {
  it('is refused from its header: metadata with a warning, derivatives a limit error, quickly', async () => {
    const p = join(dir, 'bomb.png');
    await pngBomb(p, 20_000, 20_000);
    expect((await readFile(p)).length).toBeLessThan(200_000);
    expect(await detectType(p)).toMatchObject({ mime: 'image/png' });
    const meta = (await settle(extractMetadata(p, await detectType(p)), 5000)) as ImageMetadata;
    expect(meta).toMatchObject({ width: 20_000, height: 20_000 });
    expect(meta.warnings.join(' ')).toMatch(/over the limit of 200000000/);
    expect(await settle(makeImageThumbnail(p, join(dir, 'bomb-t.jpg')), 5000)).toMatchObject({ kind: 'limit' });
    expect(await settle(makeImagePreview(p, join(dir, 'bomb-p.jpg')), 5000)).toMatchObject({ kind: 'limit' });
    expect(await settle(imagePHash(p), 5000)).toMatchObject({ kind: 'limit' });
    expect(await settle(ocrImage(p), 5000)).toBeInstanceOf(MediaError); // limit, or tool-missing without tesseract
    expect((await readdir(dir)).filter((n) => n.startsWith('bomb-') || n.includes('partial'))).toEqual([]);
  });
});

describe('PDFs that loop', () => {
  for (const [name, bytes] of Object.entries(loopingPdfs())) {
    it(`${name}: a MediaError or partial data within the time limit`, async () => {
      const p = await file(`${name.replace(/\W+/g, '-')}.pdf`, bytes);
      // pdf.js notices both cycles: a page tree cycle loses the page (partial data with a warning),
      // a form drawing itself is skipped
      const m = (await settle(extractMetadata(p, await detectType(p), { timeoutMs: 15_000 }), 20_000)) as PdfMetadata;
      expect(m).not.toBeInstanceOf(MediaError);
      expect(m.kind).toBe('pdf');
      if (name.startsWith('page tree')) expect(m).toMatchObject({ text: { complete: false }, warnings: [expect.stringMatching(/page 1: .*circular/i)] });
      const drawn = await settle(renderPdfPage(p, join(dir, `${name.replace(/\W+/g, '-')}.png`), { page: 1, timeoutMs: 15_000 }), 20_000);
      if (name.startsWith('page tree')) expect(drawn).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/circular/i) });
      else expect(drawn).toMatchObject({ mime: 'image/png' });
    });
  }
});

describe('zip bombs in documents', () => {
  it('refuses a DOCX whose entry unpacks 1000 times larger, and one that lies about its size', async () => {
    const zeros = Buffer.alloc(32 * 1024 * 1024);
    expect(deflateRawSync(zeros).length).toBeLessThan(64 * 1024);
    const bomb = await file('bomb.docx', Buffer.concat([docxBytes(['x']).subarray(0, 0), zipBytes([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: zeros }])]));
    const type = { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', category: 'document' } as const;
    expect(await settle(extractMetadata(bomb, type), 10_000)).toMatchObject({ kind: 'limit', message: expect.stringMatching(/zip bomb/) });
    const liar = await file('liar.docx', zipBytes([{ name: 'word/document.xml', data: 'x', declaredSize: 0xfffffff0 }]));
    expect(await settle(extractMetadata(liar, type), 10_000)).toMatchObject({ kind: 'limit' });
  });
});

describe('special files', () => {
  it('a FIFO is refused at once instead of blocking a reader', async () => {
    const fifo = join(dir, 'fifo');
    await promisify(execFile)('mkfifo', [fifo]);
    expect(await settle(detectType(fifo), 2000)).toMatchObject({ kind: 'unsupported', message: 'type detection: not a regular file' });
    expect(await settle(extractMetadata(fifo, IMAGE), 2000)).toMatchObject({ kind: 'unsupported' });
  });
});

describe('the parser sandbox', () => {
  const nodeModules = packageDir('pdfjs-dist').nodeModules;
  const opts = { what: 'test', timeoutMs: 1500, maxMemoryBytes: 512 * 1024 * 1024, readableDirs: [`${nodeModules}/*`] };

  it('stops a parser that hangs', async () => {
    const t0 = Date.now();
    const r = await runIsolatedNode("process.send({ type: 'started' }); for (;;) {}", {}, opts);
    expect(r.outcome).toBe('timeout');
    expect(r.messages).toEqual([{ type: 'started' }]);
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('stops a parser that makes no progress, and one that eats memory', async () => {
    expect((await runIsolatedNode('setInterval(() => {}, 1000);', {}, { ...opts, stallMs: 500 })).outcome).toBe('stalled');
    const hog = await runIsolatedNode('const a = []; for (;;) a.push(Buffer.alloc(16 * 1024 * 1024, 1));', {}, { ...opts, maxMemoryBytes: 256 * 1024 * 1024 });
    expect(hog.outcome).toBe('memory');
  });

  it('lets a parser read nothing but node_modules and its input, write nothing, run nothing, eval nothing', async () => {
    const script = `
      const fs = await import('node:fs');
      const out = {};
      try { fs.readFileSync('/etc/hostname'); out.read = 'allowed'; } catch (e) { out.read = e.code; }
      try { fs.writeFileSync(${JSON.stringify(join(dir, 'escape'))}, 'x'); out.write = 'allowed'; } catch (e) { out.write = e.code; }
      try { (await import('node:child_process')).execFileSync('true'); out.spawn = 'allowed'; } catch (e) { out.spawn = e.code; }
      try { eval('1'); out.eval = 'allowed'; } catch (e) { out.eval = e.name; }
      try { out.env = Object.keys(process.env).filter((k) => !['PATH', 'LANG', 'LC_ALL', 'TMPDIR', 'HOME', 'TESSDATA_PREFIX'].includes(k)); } catch (e) { out.env = String(e); }
      process.send(out, () => process.exit(0));`;
    const r = await runIsolatedNode(script, {}, opts);
    expect(r.outcome).toBe('done');
    expect(r.messages).toEqual([{ read: 'ERR_ACCESS_DENIED', write: 'ERR_ACCESS_DENIED', spawn: 'ERR_ACCESS_DENIED', eval: 'EvalError', env: [] }]);
  });
});

const ff = await toolForTests('ffmpeg');

describe.skipIf(!ff.run)('a truncated MP4 (ffmpeg makes it)', () => {
  it('has ffmpeg', () => expect(ff.missing).toBeUndefined());

  it('with its index at the end cut off: every video function gives ffprobe’s reason', async () => {
    const p = join(dir, 'cut.mp4');
    await mp4(p, { seconds: 4 });
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(p));
    await truncate(p, Math.floor(size / 2));
    expect(await detectType(p)).toMatchObject({ mime: 'video/mp4' });
    const meta = await settle(extractMetadata(p, VIDEO), 10_000);
    expect(meta).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/ffprobe cannot read the file: .*moov atom not found/) });
    expect((meta as MediaError).message).not.toContain(dir);
    expect(await settle(videoPoster(p, join(dir, 'cut.jpg')), 10_000)).toMatchObject({ kind: 'malformed' });
    expect(await settle(videoPreview(p, join(dir, 'cut-preview.mp4')), 10_000)).toMatchObject({ kind: 'malformed' });
    expect(await settle(videoKeyframeHashes(p), 10_000)).toMatchObject({ kind: 'malformed' });
  });

  it('with its index first (fast start) cut in half: partial data and a poster', async () => {
    const p = join(dir, 'cut-faststart.mp4');
    await mp4(p, { seconds: 4, extra: ['-movflags', '+faststart'] });
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(p));
    await truncate(p, Math.floor(size / 2));
    const meta = await settle(extractMetadata(p, VIDEO), 10_000);
    expect(meta).toMatchObject({ kind: 'av', hasVideo: true });
    expect(await settle(videoPoster(p, join(dir, 'cut-fs.jpg'), { atSeconds: 0.2 }), 10_000)).toMatchObject({ mime: 'image/jpeg' });
    const preview = await settle(videoPreview(p, join(dir, 'cut-fs-preview.mp4')), 30_000);
    if (!(preview instanceof MediaError)) expect(preview.bytes).toBeGreaterThan(0);
  });

  it('a playlist pointing at local files is not followed', async () => {
    const secret = await file('secret.txt', 'do not leak');
    const p = await file('playlist', `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:${secret}\n#EXT-X-ENDLIST\n`);
    expect((await detectType(p)).category).toBe('text');
    expect(await settle(extractMetadata(p, VIDEO), 10_000)).toMatchObject({ kind: 'malformed' });
    expect(await settle(videoPreview(p, join(dir, 'leak.mp4')), 10_000)).toMatchObject({ kind: 'malformed' });
    await expect(readFile(join(dir, 'leak.mp4'))).rejects.toThrow();
  });

  it('ffmpeg fed garbage after a valid header stops cleanly', async () => {
    const p = join(dir, 'garbage.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=duration=1:size=160x120:rate=10', '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart', p]);
    const bytes = await readFile(p);
    const mdat = bytes.indexOf(Buffer.from('mdat', 'latin1'));
    for (let i = mdat + 8; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
    await writeFile(p, bytes);
    const poster = await settle(videoPoster(p, join(dir, 'garbage.jpg')), 20_000);
    if (poster instanceof MediaError) expect(poster.kind).toBe('malformed');
  });
});
