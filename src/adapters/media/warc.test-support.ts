import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { WARCRecord, WARCSerializer } from 'warcio';

/**
 * Web captures for the tests, made by code: WARC records written with warcio, WACZ packages
 * (datapackage.json, datapackage-digest.json signed with an ECDSA P-256 key as "WACZ Signing and
 * Verification" describes, pages/pages.jsonl, archive/data.warc.gz) and hostile zips written by hand.
 */

export interface CaptureResponse {
  url: string;
  date?: string;
  contentType: string;
  body: Buffer | string;
  status?: number;
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

/** A WARC (gzip per record when `gzip`) with a warcinfo record and one response record for each of `responses`. */
export async function warcBytes(responses: CaptureResponse[], opts: { gzip?: boolean; software?: string } = {}): Promise<Buffer> {
  const warcVersion = 'WARC/1.1';
  const out: Uint8Array[] = [];
  const info = await WARCRecord.createWARCInfo({ filename: 'data.warc.gz', warcVersion }, { software: opts.software ?? 'letapis tests', format: 'WARC File Format 1.1' });
  out.push(await WARCSerializer.serialize(info, { gzip: opts.gzip ?? true }));
  for (const r of responses) {
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
    const record = await WARCRecord.create(
      {
        url: r.url,
        date: r.date ?? '2020-08-10T21:14:05Z',
        type: 'response',
        warcVersion,
        statusline: `HTTP/1.1 ${r.status ?? 200} ${(r.status ?? 200) === 200 ? 'OK' : 'Other'}`,
        httpHeaders: { 'Content-Type': r.contentType, 'Content-Length': String(body.length) },
      },
      once(new Uint8Array(body)),
    );
    out.push(await WARCSerializer.serialize(record, { gzip: opts.gzip ?? true }));
  }
  return Buffer.concat(out.map((u) => Buffer.from(u)));
}

export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  store?: boolean;
  /** Lie about the unpacked size in both headers. */
  declaredSize?: number;
  /** A Unix symbolic link entry (its data is the link target). */
  symlink?: boolean;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip written by hand: any name (even `../x` or `/etc/x`), symlink entries, lying sizes. */
export function zipOf(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const packed = e.store ? data : deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const common = Buffer.alloc(22);
    common.writeUInt16LE(20, 0);
    common.writeUInt16LE(0x0800, 2);
    common.writeUInt16LE(e.store ? 0 : 8, 4);
    common.writeUInt16LE(((2024 - 1980) << 9) | (3 << 5) | 9, 8);
    common.writeUInt32LE(crc32(data), 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(e.declaredSize ?? data.length, 18);
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

export function testSigningKey(): { privateKey: KeyObject; publicKeyB64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKeyB64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A WACZ 1.1.1 around `warc`: every file listed with its size and `sha256:` hash, the digest of
 * datapackage.json, signed anonymously with `key` (ECDSA P-256 over the hash string, as
 * ArchiveWeb.page does) when given. `extra` entries are added after the listed ones, unlisted.
 */
export function waczBytes(warc: Buffer, opts: { key?: ReturnType<typeof testSigningKey>; signedData?: (hash: string) => Record<string, unknown>; pages?: { url: string; ts: string; title?: string }[]; extra?: ZipEntrySpec[]; title?: string } = {}): Buffer {
  const pages = Buffer.from(
    [JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' }), ...(opts.pages ?? []).map((p) => JSON.stringify({ id: sha(Buffer.from(p.url)).slice(0, 8), ...p }))].join('\n') + '\n',
  );
  const files: ZipEntrySpec[] = [
    { name: 'archive/data.warc.gz', data: warc, store: true },
    { name: 'pages/pages.jsonl', data: pages },
  ];
  const datapackage = Buffer.from(
    JSON.stringify(
      {
        profile: 'data-package',
        wacz_version: '1.1.1',
        title: opts.title ?? 'Акцыя ў Мінску',
        created: '2020-08-10T21:20:00Z',
        software: 'letapis tests 1.0',
        mainPageURL: opts.pages?.[0]?.url,
        resources: files.map((f) => {
          const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data);
          return { name: f.name.split('/').pop(), path: f.name, hash: `sha256:${sha(data)}`, bytes: data.length };
        }),
      },
      null,
      2,
    ),
  );
  const hash = `sha256:${sha(datapackage)}`;
  const digest: Record<string, unknown> = { path: 'datapackage.json', hash };
  if (opts.signedData) digest.signedData = opts.signedData(hash);
  else if (opts.key) {
    digest.signedData = {
      hash,
      created: '2020-08-10T21:20:01Z',
      software: 'letapis tests 1.0',
      signature: sign('sha256', Buffer.from(hash, 'utf8'), { key: opts.key.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'),
      publicKey: opts.key.publicKeyB64,
    };
  }
  return zipOf([...files, { name: 'datapackage.json', data: datapackage, store: true }, { name: 'datapackage-digest.json', data: JSON.stringify(digest) }, ...(opts.extra ?? [])]);
}

/** A copy of `bytes` with one byte changed inside the first occurrence of `inside` (a stored entry's data). */
export function tamper(bytes: Buffer, inside: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf(inside);
  if (at < 0) throw new Error('tamper: the data was not found');
  const i = at + Math.floor(inside.length / 2);
  copy[i] = copy[i]! ^ 0x01;
  return copy;
}

/**
 * A domain certificate (P-256, `CN` and `subjectAltName` = `domain`) issued by a test CA, made with
 * the openssl command line; null when openssl is missing. The PEM chain is leaf first, then the CA.
 */
export async function domainCertificate(dir: string, domain: string): Promise<{ privateKey: KeyObject; chain: string } | null> {
  const run = promisify(execFile);
  try {
    await run('openssl', ['version']);
  } catch {
    return null;
  }
  const p = (n: string) => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-subj', '/CN=Letapis Test CA', '-days', '30']);
  await run('openssl', ['req', '-new', ...ec, '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', `/CN=${domain}`]);
  await writeFile(p('ext.cnf'), `subjectAltName=DNS:${domain}\n`);
  await run('openssl', ['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '30', '-out', p('leaf.pem'), '-extfile', p('ext.cnf')]);
  const privateKey = createPrivateKey(await readFile(p('leaf.key')));
  return { privateKey, chain: `${(await readFile(p('leaf.pem'), 'utf8')).trim()}\n\n${(await readFile(p('ca.pem'), 'utf8')).trim()}\n` };
}
