import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, detectType } from './detect-type.js';
import { MediaError } from './media-error.js';
import { docxBytes, jpegWithGps, pdfBytes, pictureSvg, tempDir, type TempDir, zipBytes } from './media.test-support.js';
import { csvDelimiter, sniffText } from './text-sniff.js';

let dir: string;
let file: TempDir['file'];
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, file, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('detectType', () => {
  it('knows images, PDFs, DOCX and zips by their bytes, whatever their name', async () => {
    const jpeg = join(dir, 'photo.txt'); // a misleading name
    await jpegWithGps(jpeg);
    expect(await detectType(jpeg)).toEqual({ mime: 'image/jpeg', ext: 'jpg', category: 'image' });
    const png = await file('x.pdf', await sharp(pictureSvg(2)).png().toBuffer());
    expect(await detectType(png)).toMatchObject({ mime: 'image/png', category: 'image' });
    const pdf = await file('x.jpg', pdfBytes(['<< /Type /Catalog >>']));
    expect(await detectType(pdf)).toMatchObject({ mime: 'application/pdf', category: 'pdf' });
    const docx = await file('x.bin', docxBytes(['Заява']));
    expect(await detectType(docx)).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', category: 'document' });
    const zip = await file('x.docx', zipBytes([{ name: 'a.txt', data: 'hello' }]));
    expect(await detectType(zip)).toMatchObject({ mime: 'application/zip', category: 'archive' });
  });

  it('sniffs text, HTML, CSV, JSON, SVG and Windows-1251 that magic numbers miss', async () => {
    expect(await detectType(await file('a', 'Пратакол затрымання\nсведка: Ганна\n'))).toEqual({ mime: 'text/plain', ext: 'txt', category: 'text', charset: 'utf-8' });
    expect(await detectType(await file('b', '<!DOCTYPE html><html><head><title>Навіны</title></head><body><p>Тэкст</p></body></html>'))).toMatchObject({ mime: 'text/html', category: 'text' });
    expect(await detectType(await file('c', 'name;date;place\nІван;2020-08-10;Акрэсціна\nПётр;2020-08-11;Жодзіна\n'))).toMatchObject({ mime: 'text/csv', category: 'text' });
    expect(await detectType(await file('d', '{"messages":[{"id":1,"text":"Прывітанне"}]}'))).toMatchObject({ mime: 'application/json', category: 'text' });
    expect(await detectType(await file('e', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toMatchObject({ mime: 'image/svg+xml', category: 'text' });
    const cp1251 = Buffer.from(new Uint8Array([0xcf, 0xf0, 0xee, 0xf2, 0xee, 0xea, 0xee, 0xeb, 0x20, 0xe7, 0xe0, 0xe4, 0xe5, 0xf0, 0xe6, 0xe0, 0xed, 0xe8, 0xff, 0x0a]));
    expect(await detectType(await file('f', cp1251))).toMatchObject({ mime: 'text/plain', charset: 'windows-1251' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Пратакол\r\n', 'utf16le')]);
    expect(await detectType(await file('g', utf16))).toMatchObject({ mime: 'text/plain', charset: 'utf-16le' });
  });

  it('calls a zero-byte file empty and random bytes unknown', async () => {
    expect(await detectType(await file('empty', Buffer.alloc(0)))).toEqual({ mime: 'application/x-empty', ext: '', category: 'other' });
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    random[0] = 0x00;
    random[1] = 0x9f;
    expect(await detectType(await file('random', random))).toEqual({ mime: 'application/octet-stream', ext: 'bin', category: 'other' });
  });

  it('refuses symlinks and missing files with a MediaError', async () => {
    const target = await file('target', 'text');
    const link = join(dir, 'link');
    await symlink(target, link);
    await expect(detectType(link)).rejects.toMatchObject({ name: 'MediaError', kind: 'unsupported' });
    await expect(detectType(join(dir, 'nope'))).rejects.toBeInstanceOf(MediaError);
    await expect(detectType(dir)).rejects.toMatchObject({ kind: 'unsupported' });
  });
});

describe('text sniffing', () => {
  it('tolerates a multi-byte character cut at the end of a partial head', () => {
    const bytes = Buffer.from('абв', 'utf8').subarray(0, 5);
    expect(sniffText(bytes, false)?.charset).toBe('utf-8');
  });
  it('rejects binary data', () => {
    expect(sniffText(Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]), true)).toBeNull();
    expect(sniffText(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 65, 66]), true)).toBeNull();
  });
  it('finds CSV delimiters outside quotes', () => {
    expect(csvDelimiter('a,b,c\n1,"x,y",3\n')).toBe(',');
    expect(csvDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(csvDelimiter('Прывітанне, свет.\nЯк справы?\n')).toBeNull();
  });
  it('maps MIME types to categories', () => {
    expect(categoryOf('video/quicktime')).toBe('video');
    expect(categoryOf('audio/mpeg')).toBe('audio');
    expect(categoryOf('application/x-cfb')).toBe('document');
    expect(categoryOf('application/x-7z-compressed')).toBe('archive');
    expect(categoryOf('application/x-elf')).toBe('other');
  });
});
