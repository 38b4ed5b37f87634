import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WARCRecord, WARCSerializer } from 'warcio';
import { zipBytes, type ZipEntrySpec } from './media.test-support.js';

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
  return zipBytes([...files, { name: 'datapackage.json', data: datapackage, store: true }, { name: 'datapackage-digest.json', data: JSON.stringify(digest) }, ...(opts.extra ?? [])]);
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
