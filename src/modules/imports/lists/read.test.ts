import { describe, expect, it } from 'vitest';
import { cp1251, zipOf } from './lists.test-support.js';
import { checkXlsxZip, detectDelimiter, detectEncoding, ListReadError, openList } from './read.js';

async function rowsOf(bytes: Uint8Array, opts: Parameters<typeof openList>[1] = {}) {
  const list = await openList(bytes, opts);
  const rows: string[][] = [];
  for await (const r of list.rows) rows.push(r.cells);
  return { ...list, rows };
}

describe('encoding detection', () => {
  const text = 'Прозвішча;Імя\nКавалёва;Алена\nЎладзімірава;Ірына\n';
  it('takes a byte order mark first: UTF-8, UTF-16 LE and BE', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe('utf-8-bom');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x04, 0x1f]))).toBe('utf-16be');
  });
  it('valid UTF-8 without a mark is UTF-8; anything else Windows-1251', () => {
    expect(detectEncoding(Buffer.from(text))).toBe('utf-8');
    expect(detectEncoding(cp1251(text))).toBe('windows-1251');
    expect(detectEncoding(Buffer.from('plain ascii,only\n'))).toBe('utf-8');
  });
  it('reads each encoding back to the same text', async () => {
    const want = [['Прозвішча', 'Імя'], ['Кавалёва', 'Алена'], ['Ўладзімірава', 'Ірына']];
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    for (const bytes of [Buffer.from(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), cp1251(text), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])]) {
      const r = await rowsOf(bytes);
      expect([r.header, ...r.rows]).toEqual(want);
    }
  });
  it('a forced encoding wins, and a wrong forced UTF-8 is refused clearly', async () => {
    const r = await rowsOf(cp1251(text), { encoding: 'windows-1251' });
    expect(r.form.encoding).toBe('windows-1251');
    await expect(rowsOf(cp1251(text), { encoding: 'utf-8' })).rejects.toThrow(/not valid UTF-8 text/);
  });
});

describe('delimiter detection', () => {
  it('finds comma, semicolon, tab and pipe, ignoring ones inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('Імя;Дата\n"Алена, Мінск";10.08.2020\nІрына;11.08.2020\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3\n')).toBe('|');
    // numbers with decimal commas in a semicolon list: the semicolon is the consistent one
    expect(detectDelimiter('a;b\n1,5;2\n3;4,25\n')).toBe(';');
  });
  it('a forced delimiter wins', async () => {
    const r = await rowsOf(Buffer.from('a;b,c\n1;2,3\n'), { delimiter: ',' });
    expect(r.header).toEqual(['a;b', 'c']);
  });
});

describe('limits', () => {
  it('refuses a 50 MB field quickly, before reading it all', async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const bytes = Buffer.concat([Buffer.from('name,notes\nx,"'), huge, Buffer.from('"\n')]);
    const t = Date.now();
    const err = await rowsOf(bytes).catch((e) => e);
    expect(err).toBeInstanceOf(ListReadError);
    expect(err.message).toMatch(/longer than 1,000,000 characters: the list is refused/);
    expect(Date.now() - t).toBeLessThan(3000);
  });
  it('refuses more rows or columns than allowed', async () => {
    await expect(rowsOf(Buffer.from('a\n1\n2\n3\n'), { limits: { maxRows: 2 } })).rejects.toThrow(/more than 2 rows/);
    await expect(rowsOf(Buffer.from('a,b,c\n1,2,3\n'), { limits: { maxColumns: 2 } })).rejects.toThrow(/3 columns; at most 2/);
  });
  it('an empty file says the first row must name the columns', async () => {
    await expect(rowsOf(Buffer.from(''))).rejects.toThrow(/first row must name the columns/);
  });
});

describe('XLSX guards', () => {
  it('refuses a zip bomb (measured inflated, whatever the ZIP declares)', async () => {
    const bomb = await zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(30 * 1024 * 1024, 0x20) }]);
    expect(bomb.length).toBeLessThan(100_000);
    await expect(checkXlsxZip(bomb, { maxFieldChars: 1e6, maxRows: 1e5, maxColumns: 100, maxXlsxUncompressed: 10 * 1024 * 1024, maxXlsxEntries: 100 })).rejects.toThrow(/inflates to more than 10 MB: refused/);
    await expect(rowsOf(bomb, { limits: { maxXlsxUncompressed: 10 * 1024 * 1024 } })).rejects.toThrow(/ZIP bomb/);
  });
  it('refuses ".." and absolute paths and symbolic links', async () => {
    // yazl refuses such names: they are written by patching a stored name of the same length
    const up = await zipOf([{ name: 'xl/ab/cd/evil.xml', data: Buffer.from('x') }]);
    await expect(rowsOf(Buffer.from(up.toString('latin1').replaceAll('xl/ab/cd/', 'xl/../../'), 'latin1'))).rejects.toThrow(/leaves the archive/);
    const abs = await zipOf([{ name: 'ok.xml', data: Buffer.from('x') }]);
    const patched = Buffer.from(abs.toString('latin1').replaceAll('ok.xml', '/k.xml'), 'latin1');
    await expect(rowsOf(patched)).rejects.toThrow(/leaves the archive/);
    const link = await zipOf([{ name: 'xl/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]);
    await expect(rowsOf(link)).rejects.toThrow(/symbolic link/);
  });
});
