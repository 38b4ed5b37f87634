import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { toolAvailability, type ToolName } from './tools.js';

/**
 * Fixtures for the media tests, made by code (sharp, ffmpeg, bytes written by hand): nothing
 * binary is committed.
 */

const run = promisify(execFile);

export interface TempDir {
  dir: string;
  /** Writes `data` to `name` in the folder and returns its path. */
  file: (name: string, data: Buffer | string) => Promise<string>;
  cleanup: () => Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'letapis-media-test-'));
  return {
    dir,
    file: async (name, data) => {
      const p = join(dir, name);
      await writeFile(p, data);
      return p;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

const CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether tests needing `tool` run. Missing outside CI: skipped, with one clear line. Missing
 * under CI=true: the returned reason makes the calling file fail (CI must have ffmpeg and tesseract).
 */
export async function toolForTests(tool: Exclude<ToolName, 'ffprobe'>, langs: string[] = []): Promise<{ run: boolean; missing?: string }> {
  const t = await toolAvailability();
  let missing: string | undefined;
  if (!t[tool].available) missing = `${tool} not installed`;
  else if (tool === 'tesseract') {
    const absent = langs.filter((l) => !t.tesseract.langs.includes(l));
    if (absent.length) missing = `tesseract languages missing: ${absent.join(', ')}`;
  }
  if (!missing) return { run: true };
  if (CI) return { run: true, missing };
  console.warn(`\n[letapis tests] SKIPPING media tests that need ${tool}: ${missing}. Install it to run them (CI=true makes this a failure).\n`);
  return { run: false, missing };
}

/** A picture with shapes placed by `seed`: different seeds, different pictures. */
export function pictureSvg(seed: number, width = 640, height = 480): Buffer {
  let s = seed * 7919 + 13;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const shapes: string[] = [];
  for (let i = 0; i < 12; i++) {
    const colour = `rgb(${Math.floor(rnd() * 255)},${Math.floor(rnd() * 255)},${Math.floor(rnd() * 255)})`;
    if (rnd() > 0.5) shapes.push(`<circle cx="${rnd() * width}" cy="${rnd() * height}" r="${20 + rnd() * 120}" fill="${colour}"/>`);
    else shapes.push(`<rect x="${rnd() * width}" y="${rnd() * height}" width="${30 + rnd() * 250}" height="${30 + rnd() * 200}" fill="${colour}"/>`);
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${Math.floor(rnd() * 255)},${Math.floor(rnd() * 255)},${Math.floor(rnd() * 255)})"/>${shapes.join('')}</svg>`,
  );
}

/** A JPEG with EXIF: device, capture time with offset, GPS in Minsk (53.9045 N, 27.5615 E, 220 m). */
export async function jpegWithGps(path: string, seed = 1): Promise<void> {
  await sharp(pictureSvg(seed))
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'Apple', Model: 'iPhone 12', Software: '14.7.1', DateTime: '2020:08:09 23:15:00' },
      IFD2: { DateTimeOriginal: '2020:08:09 23:15:00', OffsetTimeOriginal: '+03:00', SubSecTimeOriginal: '250' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '53/1 54/1 1620/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '27/1 33/1 4140/100',
        GPSAltitudeRef: '0',
        GPSAltitude: '220/1',
        GPSDateStamp: '2020:08:09',
        GPSTimeStamp: '20/1 15/1 0/1',
      },
    })
    .toFile(path);
}

/** A 640 × 480 picture stored sideways with EXIF orientation 6 (displays as 480 × 640). */
export async function jpegRotated(path: string): Promise<void> {
  await sharp(pictureSvg(5)).jpeg().withMetadata({ orientation: 6 }).toFile(path);
}

/** A PNG image `width × height` of one colour, 1 bit a pixel, written by hand: tiny on disk. */
export async function pngBomb(path: string, width: number, height: number): Promise<void> {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Math.ceil(width / 8) + 1; // filter byte + packed bits, all zero
  const raw = Buffer.alloc(row * height);
  const idat = deflateSync(raw, { level: 9 });
  await writeFile(path, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]));
}

/** A PDF from object bodies (object i + 1 is `objects[i]`), with a correct xref table. Object 1 is the catalog. */
export function pdfBytes(objects: string[], trailerExtra = ''): Buffer {
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

/** A two-page PDF with text on page 1, none on page 2, and an information dictionary (object 7). */
export function simplePdf(): Buffer {
  return pdfBytes(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      stream('BT /F1 24 Tf 72 700 Td (Protocol of detention No. 17) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
      "<< /Title (Detention report) /Author (Court of the Lenin district) /Producer (Letapis tests) /CreationDate (D:20200809231500+03'00') >>",
    ],
    '/Info 7 0 R ',
  );
}

/** PDFs that loop: a page tree whose node is its own kid; a form XObject that draws itself. */
export function loopingPdfs(): Record<string, Buffer> {
  return {
    'page tree cycle': pdfBytes(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']),
    'page tree cycle through a page': pdfBytes([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>',
      '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1000000 >>',
    ]),
    'self-drawing form': pdfBytes([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>',
      stream('/X Do'),
      `<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >> /Length 5 >>\nstream\n/X Do\nendstream`,
    ]),
  };
}

/** A text image rendered from SVG: Belarusian, Russian and English lines. */
export async function textImage(path: string, lines: string[]): Promise<void> {
  const body = lines.map((l, i) => `<text x="40" y="${90 + i * 90}" font-family="DejaVu Sans, sans-serif" font-size="52" fill="black">${l}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="${60 + lines.length * 90}"><rect width="100%" height="100%" fill="white"/>${body}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}

export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { timeout: 60_000 });
}

/** A short H.264/AAC MP4 (testsrc or another lavfi source) with location and creation time tags. */
export async function mp4(path: string, opts: { seconds?: number; source?: string; bitrate?: string; size?: string; extra?: string[] } = {}): Promise<void> {
  const seconds = opts.seconds ?? 4;
  const size = opts.size ?? '640x360';
  const source = opts.source ?? `testsrc2=duration=${seconds}:size=${size}:rate=25`;
  await ffmpeg([
    '-f', 'lavfi', '-i', source,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast', ...(opts.bitrate ? ['-b:v', opts.bitrate] : []),
    '-c:a', 'aac', '-shortest',
    '-metadata', 'location=+53.9045+027.5615+220.000/',
    '-metadata', 'creation_time=2020-08-09T20:15:00Z',
    ...(opts.extra ?? []),
    path,
  ]);
}

export async function mp3(path: string): Promise<void> {
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'libmp3lame', '-b:a', '64k', '-metadata', 'title=Recording at Okrestina', path]);
}

/** Re-encode a video at another bitrate and size (what a Telegram repost does). */
export async function reencode(src: string, dest: string, bitrate: string, scale: string): Promise<void> {
  await ffmpeg(['-i', src, '-vf', `scale=${scale}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', bitrate, '-c:a', 'aac', '-b:a', '48k', dest]);
}

/** One entry of a zip written by hand. */
export interface ZipEntrySpec {
  /** Any name, even `../x` or `/etc/x`. */
  name: string;
  data: Buffer | string;
  /** Stored instead of deflated. */
  store?: boolean;
  /** Lie about the unpacked size in both headers. */
  declaredSize?: number;
  /** A Unix symbolic link entry (its data is the link target). */
  symlink?: boolean;
}

/** A zip archive written by hand (deflate or stored), made "on Unix": any name, symbolic link entries, lying sizes. */
export function zipBytes(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const packed = e.store ? data : deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? data.length;
    // the fields local and central headers share, from "version needed" to the name's length
    const common = Buffer.alloc(22);
    common.writeUInt16LE(20, 0);
    common.writeUInt16LE(0x0800, 2); // names in UTF-8
    common.writeUInt16LE(e.store ? 0 : 8, 4);
    common.writeUInt16LE(((2020 - 1980) << 9) | (8 << 5) | 9, 8);
    common.writeUInt32LE(crc32(data), 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(size, 18);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common.copy(local, 4);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made on Unix: the external attributes hold the mode
    common.copy(central, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG and zip use it. */
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A minimal DOCX: one paragraph per line, core and app properties. */
export function docxBytes(lines: string[], props: { creator?: string; lastModifiedBy?: string; created?: string } = {}): Buffer {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paras = lines.map((l) => `<w:p><w:r><w:t>${esc(l)}</w:t></w:r></w:p>`).join('');
  return zipBytes([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paras}</w:body></w:document>`,
    },
    {
      name: 'docProps/core.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Заява</dc:title><dc:creator>${esc(props.creator ?? 'Ганна')}</dc:creator><cp:lastModifiedBy>${esc(props.lastModifiedBy ?? 'Ганна')}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${props.created ?? '2020-08-10T09:00:00Z'}</dcterms:created></cp:coreProperties>`,
    },
  ]);
}
