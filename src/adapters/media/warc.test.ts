import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { detectType } from './detect-type.js';
import { extractMetadata } from './extract-metadata.js';
import { isMediaError } from './media-error.js';
import type { WebCaptureMetadata } from './metadata.types.js';
import { tempDir, zipBytes, type TempDir } from './media.test-support.js';
import { extractWebCaptureMedia, extractWebCaptureMetadata } from './warc-capture.js';
import { domainCertificate, tamper, testSigningKey, waczBytes, warcBytes } from './warc.test-support.js';
import { sign } from 'node:crypto';

/**
 * Web captures (issue 8, part 2) at the adapter: detection by content, each page's text in its
 * own encoding, embedded media, a WACZ's digests and signature, and hostile archives contained.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PAGE_BE = '<html><head><meta charset="utf-8"><title>Затрыманні на плошчы</title><script>alert("never run")</script><style>p{}</style></head><body><p>Сведка бачыў аўтазак каля стэлы.</p><img src="/photo.png"></body></html>';
const PAGE_RU_1251 = Buffer.from(
  new Uint8Array([...'<html><head><title>'].map((c) => c.charCodeAt(0)).concat([0xcf, 0xf0, 0xee, 0xf2, 0xee, 0xea, 0xee, 0xeb], [...'</title></head><body><p>'].map((c) => c.charCodeAt(0)), [0xc7, 0xe0, 0xe4, 0xe5, 0xf0, 0xe6, 0xe0, 0xed, 0xe8, 0xe5], [...'</p></body></html>'].map((c) => c.charCodeAt(0)))),
); // "Протокол" / "Задержание" in Windows-1251, the charset only in the HTTP header

const responses = [
  { url: 'http://news.example.by/2020/08/10/', contentType: 'text/html; charset=utf-8', body: PAGE_BE, date: '2020-08-10T21:14:05Z' },
  { url: 'http://news.example.by/photo.png', contentType: 'image/png', body: PNG, date: '2020-08-10T21:14:06Z' },
  { url: 'http://ru.example.by/protocol', contentType: 'text/html; charset=windows-1251', body: PAGE_RU_1251, date: '2020-08-11T09:00:00Z' },
  { url: 'http://news.example.by/missing', contentType: 'text/html', body: '<p>Not found</p>', status: 404 },
];

describe('web captures (WARC, WACZ)', () => {
  let t: TempDir;
  let warcGz: Buffer;
  const key = testSigningKey();

  beforeAll(async () => {
    t = await tempDir();
    warcGz = await warcBytes(responses);
  });
  afterAll(async () => t?.cleanup());

  it('detects a WARC (gzip per record or plain) and a WACZ by content, whatever the file is called', async () => {
    expect(await detectType(await t.file('a.bin', warcGz))).toEqual({ mime: 'application/warc', ext: 'warc.gz', category: 'web-capture' });
    expect(await detectType(await t.file('b.txt', await warcBytes(responses, { gzip: false })))).toEqual({ mime: 'application/warc', ext: 'warc', category: 'web-capture' });
    expect(await detectType(await t.file('c.zip', waczBytes(warcGz)))).toEqual({ mime: 'application/wacz', ext: 'wacz', category: 'web-capture' });
    // a zip without datapackage.json, and gzip of something else, are not web captures
    expect((await detectType(await t.file('d.wacz', zipBytes([{ name: 'archive/data.warc.gz', data: warcGz }])))).mime).toBe('application/zip');
    expect((await detectType(await t.file('e.warc.gz', gzipSync(Buffer.from('WARNING: not a capture\n'.repeat(10)))))).mime).toBe('application/gzip');
  });

  it('reads each page’s URL, capture date, title and text in its encoding; scripts are dropped; the warcinfo and media are counted', async () => {
    const path = await t.file('capture.warc.gz', warcGz);
    const meta = (await extractMetadata(path, await detectType(path))) as WebCaptureMetadata;
    expect(meta.kind).toBe('web-capture');
    expect(meta.format).toBe('warc.gz');
    expect(meta.pageCount).toBe(2);
    expect(meta.pages.map((p) => [p.url, p.date, p.title, p.charset])).toEqual([
      ['http://news.example.by/2020/08/10/', '2020-08-10T21:14:05Z', 'Затрыманні на плошчы', 'utf-8'],
      ['http://ru.example.by/protocol', '2020-08-11T09:00:00Z', 'Протокол', 'windows-1251'],
    ]);
    expect(meta.text).toContain('=== http://news.example.by/2020/08/10/\n2020-08-10T21:14:05Z');
    expect(meta.text).toContain('Сведка бачыў аўтазак каля стэлы.');
    expect(meta.text).toContain('Задержание');
    expect(meta.text).not.toContain('never run');
    expect(meta.text).not.toContain('Not found'); // a 404 is not a captured page
    expect(meta.mediaCount).toBe(1);
    expect(meta.media).toEqual([{ url: 'http://news.example.by/photo.png', date: '2020-08-10T21:14:06Z', mime: 'image/png' }]);
    expect(meta.warcInfo.software).toBe('letapis tests');
    expect(meta.captureDates).toEqual({ first: '2020-08-10T21:14:05Z', last: '2020-08-11T09:00:00Z' });
    expect(meta.warnings).toEqual([]);
  });

  it('takes the embedded picture out with its URL, and caps how many and how large', async () => {
    const path = await t.file('media.warc.gz', warcGz);
    const dir = join(t.dir, 'media-out');
    await mkdir(dir);
    const out = await extractWebCaptureMedia(path, await detectType(path), dir);
    expect(out.media.map((m) => [m.url, m.declaredMime, m.size])).toEqual([['http://news.example.by/photo.png', 'image/png', PNG.length]]);
    expect(await readFile(out.media[0]!.path)).toEqual(PNG);
    const small = join(t.dir, 'media-small');
    await mkdir(small);
    const capped = await extractWebCaptureMedia(path, await detectType(path), small, { limits: { maxEmbeddedMediaBytes: 10 } });
    expect(capped.media).toEqual([]);
    expect(capped.skipped).toEqual(['http://news.example.by/photo.png: larger than 10 B']);
    expect(await readdir(small)).toEqual([]); // nothing half-written left behind
  });

  it('verifies a signed WACZ: every resource’s SHA-256, the package digest and the ECDSA P-256 signature', async () => {
    const path = await t.file('signed.wacz', waczBytes(warcGz, { key, pages: [{ url: responses[0]!.url, ts: '2020-08-10T21:14:05Z', title: 'Затрыманні' }] }));
    const meta = (await extractMetadata(path, await detectType(path))) as WebCaptureMetadata;
    expect(meta.format).toBe('wacz');
    const v = meta.wacz!.verification;
    expect(v.failures).toEqual([]);
    expect([v.resources, v.packageDigest, v.signature]).toEqual(['ok', 'ok', 'ok']);
    expect(v.signer).toMatchObject({ kind: 'anonymous' });
    expect(v.checks.filter((c) => c.check.startsWith('resource ')).map((c) => [c.check, c.result])).toEqual([
      ['resource archive/data.warc.gz', 'ok'],
      ['resource pages/pages.jsonl', 'ok'],
    ]);
    expect(meta.wacz).toMatchObject({ title: 'Акцыя ў Мінску', created: '2020-08-10T21:20:00Z', software: 'letapis tests 1.0', waczVersion: '1.1.1', pagesListed: 1, warcFiles: ['archive/data.warc.gz'] });
    expect(meta.text).toContain('Сведка бачыў аўтазак');
  });

  it('reports what is absent: an unsigned WACZ is checked but says it is not signed', async () => {
    const path = await t.file('unsigned.wacz', waczBytes(warcGz));
    const v = ((await extractMetadata(path, await detectType(path))) as WebCaptureMetadata).wacz!.verification;
    expect([v.resources, v.packageDigest, v.signature]).toEqual(['ok', 'ok', 'absent']);
    expect(v.checks.find((c) => c.check === 'signature')?.detail).toMatch(/not signed/);
  });

  it('names what failed: one changed byte of the WARC, a changed manifest, a signature by another key', async () => {
    const good = waczBytes(warcGz, { key });
    const changed = (await extractMetadata(await t.file('tampered.wacz', tamper(good, warcGz)), { mime: 'application/wacz', ext: 'wacz', category: 'web-capture' })) as WebCaptureMetadata;
    expect(changed.wacz!.verification.resources).toBe('failed');
    expect(changed.wacz!.verification.signature).toBe('ok'); // the manifest itself is intact and signed
    expect(changed.wacz!.verification.failures).toEqual([expect.stringMatching(/^resource archive\/data\.warc\.gz: SHA-256 [0-9a-f]{64} differs from [0-9a-f]{64} in datapackage\.json \(the file was changed\)$/)]);

    const manifest = good.subarray(good.indexOf(Buffer.from('{\n  "profile"')));
    const edited = (await extractMetadata(await t.file('manifest.wacz', tamper(good, manifest.subarray(0, 40))), { mime: 'application/wacz', ext: 'wacz', category: 'web-capture' })) as WebCaptureMetadata;
    expect(edited.wacz!.verification.packageDigest).toBe('failed');
    expect(edited.wacz!.verification.failures.join('\n')).toMatch(/datapackage-digest\.json: .*the manifest was changed/);

    const other = testSigningKey();
    const forged = waczBytes(warcGz, { key: { privateKey: other.privateKey, publicKeyB64: key.publicKeyB64 } });
    const f = ((await extractMetadata(await t.file('forged.wacz', forged), { mime: 'application/wacz', ext: 'wacz', category: 'web-capture' })) as WebCaptureMetadata).wacz!.verification;
    expect([f.resources, f.packageDigest, f.signature]).toEqual(['ok', 'ok', 'failed']);
    expect(f.failures).toEqual([expect.stringMatching(/^signature: the anonymous signature does not verify with the key it carries/)]);
  });

  it('verifies a signature by a domain certificate with the certificate’s key, and says the chain was not checked against a trust store', async () => {
    const cert = await domainCertificate(t.dir, 'capture.example.org');
    if (!cert) {
      expect(process.env.CI, 'openssl is needed in CI').not.toBe('true');
      return;
    }
    const signedBy = (domain: string) => (hash: string) => ({
      hash,
      created: new Date().toISOString(),
      software: 'authsign 0.5',
      signature: sign('sha256', Buffer.from(hash, 'utf8'), cert.privateKey).toString('base64'), // DER, as authsign writes it
      domain,
      domainCert: cert.chain,
    });
    const read = async (name: string, bytes: Buffer) =>
      ((await extractMetadata(await t.file(name, bytes), { mime: 'application/wacz', ext: 'wacz', category: 'web-capture' })) as WebCaptureMetadata).wacz!.verification;
    const v = await read('domain.wacz', waczBytes(warcGz, { signedData: signedBy('capture.example.org') }));
    expect([v.resources, v.packageDigest, v.signature, v.failures]).toEqual(['ok', 'ok', 'ok', []]);
    expect(v.signer).toMatchObject({ kind: 'domain', domain: 'capture.example.org', certificateSubject: 'CN=capture.example.org', certificateIssuer: 'CN=Letapis Test CA' });
    expect(v.checks.find((c) => c.check === 'certificate trust')).toMatchObject({ result: 'not-checked', detail: expect.stringMatching(/not checked against a trust store/) });
    expect(v.checks.find((c) => c.check === 'timestamp')).toMatchObject({ result: 'absent' });

    const other = await read('other-domain.wacz', waczBytes(warcGz, { signedData: signedBy('news.example.by') }));
    expect(other.signature).toBe('failed');
    expect(other.failures).toEqual([expect.stringMatching(/^signature: the certificate \(CN=capture\.example\.org\) is not for the domain news\.example\.by/)]);
  });

  it('contains hostile WACZs: "..", absolute paths and symlinks are never read, a zip bomb is refused from its directory', async () => {
    const hostile = waczBytes(warcGz, {
      extra: [
        { name: '../../outside.txt', data: 'climb' },
        { name: '/etc/letapis-owned', data: 'absolute' },
        { name: 'archive/link.warc.gz', data: '/etc/passwd', symlink: true },
      ],
    });
    const path = await t.file('hostile.wacz', hostile);
    expect((await detectType(path)).mime).toBe('application/wacz');
    const meta = (await extractMetadata(path, await detectType(path))) as WebCaptureMetadata;
    expect(meta.wacz!.verification.failures).toEqual([
      'entry ../../outside.txt: a path that would leave the archive (absolute or ".."): not read',
      'entry /etc/letapis-owned: a path that would leave the archive (absolute or ".."): not read',
      'entry archive/link.warc.gz: a symbolic link: not followed, not read',
    ]);
    expect(meta.wacz!.warcFiles).toEqual(['archive/data.warc.gz']);
    expect(meta.pageCount).toBe(2); // the honest parts are still read
    expect(existsSync(join(t.dir, '..', '..', 'outside.txt'))).toBe(false);

    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const bomb = zipBytes([
      { name: 'datapackage.json', data: '{"resources":[]}' },
      { name: 'archive/data.warc.gz', data: zeros },
    ]);
    const bombPath = await t.file('bomb.wacz', bomb);
    expect((await detectType(bombPath)).mime).toBe('application/wacz');
    const err = await extractMetadata(bombPath, await detectType(bombPath)).catch((e: unknown) => e);
    expect(isMediaError(err) && err.kind).toBe('limit');
    expect((err as Error).message).toMatch(/times larger than it is packed.*zip bomb/);

    // an entry that unpacks to more than it declares is stopped at its declared size
    const liar = zipBytes([
      { name: 'datapackage.json', data: '{"resources":[{"path":"archive/data.warc.gz","hash":"sha256:00","bytes":10}]}' },
      { name: 'archive/data.warc.gz', data: warcGz, declaredSize: 100 },
    ]);
    const liarMeta = (await extractMetadata(await t.file('liar.wacz', liar), { mime: 'application/wacz', ext: 'wacz', category: 'web-capture' })) as WebCaptureMetadata;
    expect(liarMeta.wacz!.verification.failures.join('\n')).toMatch(/unpacks to more than the 100 B it declares/);
  });

  it('keeps what a truncated WARC held before its end, and caps an enormous page', async () => {
    const cut = await t.file('cut.warc.gz', warcGz.subarray(0, warcGz.length - 200));
    const meta = (await extractMetadata(cut, await detectType(cut))) as WebCaptureMetadata;
    expect(meta.pageCount).toBeGreaterThanOrEqual(1);
    expect(meta.text).toContain('Сведка бачыў');
    expect(meta.warnings.join('\n')).toMatch(/cut off \(truncated\)/);

    const huge = `<html><body><p>${'Акрэсціна '.repeat(400_000)}</p></body></html>`;
    const big = await t.file('big.warc.gz', await warcBytes([{ url: 'http://big.example.by/', contentType: 'text/html; charset=utf-8', body: huge }]));
    const capped = await extractWebCaptureMetadata(big, { mime: 'application/warc', ext: 'warc.gz', category: 'web-capture' }, { limits: { maxWarcPageBytes: 100_000 } });
    expect(capped.pages[0]!.truncated).toBe(true);
    expect(capped.text.length).toBeLessThan(100_000);
    expect(capped.warnings).toEqual(['page http://big.example.by/: only the first 97.7 KiB were read']);

    // a header line with no end would be held in memory whole: stopped at 64 MiB
    const endless = await t.file('endless.warc', Buffer.concat([Buffer.from('WARC/1.0\r\nWARC-Type: response\r\nX-Long: '), Buffer.alloc(70 * 1024 * 1024, 0x61)]));
    const stoppedMeta = (await extractMetadata(endless, await detectType(endless))) as WebCaptureMetadata;
    expect(stoppedMeta.warnings).toEqual(['the WARC: a line of more than 64.0 MiB without a line break: reading stopped (not a WARC a tool wrote?)', 'no WARC record could be read']);
  });
});
