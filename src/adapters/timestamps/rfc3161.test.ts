import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTsa, type LocalTsa } from '../../test-support/local-tsa.js';
import { buildTimestampRequest, parseTimestampToken, requestTimestamp, TimestampError, verifyTimestampToken, type TimestampToken } from './index.js';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest();

function openssl(args: string[], input?: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('openssl', args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input) child.stdin!.end(input);
  });
}

/** A throwaway HTTP server for misbehaving TSAs. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}

async function expectTimestampError(p: Promise<unknown>): Promise<TimestampError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TimestampError);
  return e as TimestampError;
}

let tsa: LocalTsa;
const digest = sha256('checkpoint 42: 0f3c…');
let token: TimestampToken;
let before: number;
let after: number;

beforeAll(async () => {
  tsa = await startLocalTsa();
  before = Date.now();
  token = await requestTimestamp(tsa.url, digest);
  after = Date.now();
});

afterAll(async () => {
  await tsa?.close();
});

describe('buildTimestampRequest', () => {
  it('is a DER TimeStampReq that openssl reads: v1, SHA-256 imprint, nonce, certReq', async () => {
    const req = buildTimestampRequest(digest, { nonce: 0x80n });
    const file = join(tsa.dir, 'built.tsq');
    await writeFile(file, req);
    const out = await openssl(['ts', '-query', '-in', file, '-text']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Version: 1/);
    expect(out.stdout).toMatch(/Hash Algorithm: sha256/);
    expect(out.stdout).toMatch(/Nonce: 0x80/);
    expect(out.stdout).toMatch(/Certificate required: yes/);
    // SEQUENCE { INTEGER 1, SEQUENCE { SEQUENCE { OID sha256 }, OCTET STRING[32] }, INTEGER 00 80, BOOLEAN TRUE }
    const expected = ['303b', '020101', '302f', '300b', '0609608648016503040201', '0420', digest.toString('hex'), '02020080', '0101ff'].join('');
    expect(req.toString('hex')).toBe(expected);
  });

  it('leaves out certReq when false (DER omits a DEFAULT FALSE), and the nonce when not given', async () => {
    const req = buildTimestampRequest(digest, { certReq: false });
    const parsed = asn1js.fromBER(req).result as asn1js.Sequence;
    expect(parsed.valueBlock.value).toHaveLength(2);
    const file = join(tsa.dir, 'nocert.tsq');
    await writeFile(file, req);
    const out = await openssl(['ts', '-query', '-in', file, '-text']);
    expect(out.stdout).toMatch(/Nonce: unspecified/);
    expect(out.stdout).toMatch(/Certificate required: no/);
  });

  it('encodes a Buffer nonce as a positive minimal INTEGER', () => {
    const req = buildTimestampRequest(digest, { nonce: Buffer.from('0000ff01', 'hex') });
    const seq = asn1js.fromBER(req).result as asn1js.Sequence;
    const nonce = seq.valueBlock.value[2] as asn1js.Integer;
    expect(Buffer.from(nonce.valueBlock.valueHexView).toString('hex')).toBe('00ff01');
    expect(nonce.toBigInt()).toBe(0xff01n);
  });

  it('refuses a digest that is not 32 bytes and a negative nonce', () => {
    expect(() => buildTimestampRequest(Buffer.alloc(20))).toThrow(RangeError);
    expect(() => buildTimestampRequest(digest, { nonce: -1n })).toThrow(RangeError);
  });
});

describe('requestTimestamp against a local openssl TSA', () => {
  it('returns the token for the digest with its fields', () => {
    expect(token.hashAlgorithm).toBe('sha256');
    expect(token.hashedMessage.equals(digest)).toBe(true);
    expect(token.policy).toBe('1.3.6.1.4.1.99999.3161.1');
    expect(token.tsaName).toBe('CN=Letapis Test TSA,O=Letapis tests');
    expect(token.serial).toMatch(/^(?:[0-9a-f]{2})+$/);
    expect(token.nonce).toMatch(/^(?:[0-9a-f]{2})+$/);
    const gen = Date.parse(token.genTime);
    expect(token.genTime).toBe(new Date(gen).toISOString());
    expect(gen).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(gen).toBeLessThanOrEqual(after + 1000);
    expect(token.der[0]).toBe(0x30);
  });

  it('parseTimestampToken reads the same fields offline from the DER', () => {
    const again = parseTimestampToken(token.der);
    expect(again).toEqual(token);
  });

  it('gets distinct serials and nonces for concurrent requests (the TSA serialises them)', async () => {
    const digests = [1, 2, 3, 4, 5].map((i) => sha256(`d${i}`));
    const tokens = await Promise.all(digests.map((d) => requestTimestamp(tsa.url, d)));
    tokens.forEach((t, i) => expect(t.hashedMessage.equals(digests[i]!)).toBe(true));
    expect(new Set(tokens.map((t) => t.serial)).size).toBe(5);
    expect(new Set(tokens.map((t) => t.nonce)).size).toBe(5);
  });

  it('rejects a token that does not carry our nonce (replayed or misrouted answer)', async () => {
    // A fetch that swaps the request for one with another nonce before it reaches the TSA.
    const swapNonce: typeof fetch = (url, init) => fetch(url, { ...init, body: new Uint8Array(buildTimestampRequest(digest, { nonce: 12345n })) });
    const e = await expectTimestampError(requestTimestamp(tsa.url, digest, { fetchImpl: swapNonce }));
    expect(e.code).toBe('mismatch');
    expect(e.message).toMatch(/nonce/);
  });

  it('rejects a token for another digest', async () => {
    const swapDigest: typeof fetch = (url, init) => fetch(url, { ...init, body: new Uint8Array(buildTimestampRequest(sha256('other'))) });
    const e = await expectTimestampError(requestTimestamp(tsa.url, digest, { fetchImpl: swapDigest }));
    expect(e.code).toBe('mismatch');
    expect(e.message).toMatch(/another digest/);
  });

  it('also works with an ECDSA TSA', async () => {
    const ec = await startLocalTsa({ keyType: 'ec' });
    try {
      const t = await requestTimestamp(ec.url, digest);
      const v = await verifyTimestampToken(t.der, digest, { trustedCertsPem: [ec.caCertPem] });
      expect(v).toMatchObject({ ok: true, signatureValid: true, chainTrusted: true, problems: [] });
    } finally {
      await ec.close();
    }
  });
});

describe('verifyTimestampToken', () => {
  it('accepts the token without trust anchors (chainTrusted null)', async () => {
    const v = await verifyTimestampToken(token.der, digest, {});
    expect(v).toEqual({ ok: true, imprintMatches: true, signatureValid: true, chainTrusted: null, genTime: token.genTime, problems: [] });
  });

  it('accepts the token chained to the TSA CA (chainTrusted true), or to the pinned TSA certificate', async () => {
    expect(await verifyTimestampToken(token.der, digest, { trustedCertsPem: [tsa.caCertPem] })).toMatchObject({ ok: true, chainTrusted: true, problems: [] });
    expect(await verifyTimestampToken(token.der, digest, { trustedCertsPem: [tsa.tsaCertPem] })).toMatchObject({ ok: true, chainTrusted: true, problems: [] });
  });

  it('does not trust a token from another CA', async () => {
    const other = await startLocalTsa();
    try {
      const v = await verifyTimestampToken(token.der, digest, { trustedCertsPem: [other.caCertPem] });
      expect(v).toMatchObject({ ok: false, imprintMatches: true, signatureValid: true, chainTrusted: false });
      expect(v.problems.join(' ')).toMatch(/chain/);
    } finally {
      await other.close();
    }
  });

  it('says imprintMatches false for a different digest', async () => {
    const v = await verifyTimestampToken(token.der, sha256('something else'), { trustedCertsPem: [tsa.caCertPem] });
    expect(v).toMatchObject({ ok: false, imprintMatches: false, signatureValid: true, chainTrusted: true });
    expect(v.problems.join(' ')).toMatch(/another digest/);
  });

  it('fails, without throwing, when any byte outside the extra CA certificate copy is changed', async () => {
    // The token carries the TSA certificate and (from `certs` in the openssl config) the CA's.
    // Everything but the CA copy is covered by the signature or checked for form; the CA copy
    // is an unsigned extra that only ever serves as an untrusted intermediate.
    const caDer = pemToDer(tsa.caCertPem);
    const caAt = token.der.indexOf(caDer);
    expect(caAt).toBeGreaterThan(0);
    const tsaAt = token.der.indexOf(pemToDer(tsa.tsaCertPem));
    const imprintAt = token.der.indexOf(digest);
    const named = [0, 2, 3, 25, imprintAt, imprintAt + 31, tsaAt + 200, token.der.length - 1, token.der.length - 100];
    const sweep: number[] = [];
    for (let i = 0; i < token.der.length; i += 11) if (i < caAt || i >= caAt + caDer.length) sweep.push(i);
    for (const i of [...named, ...sweep]) {
      const bad = Buffer.from(token.der);
      bad[i]! ^= 0x01;
      const v = await verifyTimestampToken(bad, digest, {});
      expect(v.ok, `byte ${i} changed`).toBe(false);
      expect(v.problems.length, `byte ${i} changed`).toBeGreaterThan(0);
    }
    for (const i of named) {
      const bad = Buffer.from(token.der);
      bad[i]! ^= 0x80;
      const v = await verifyTimestampToken(bad, digest, { trustedCertsPem: [tsa.caCertPem] });
      expect(v.ok, `byte ${i} changed`).toBe(false);
      expect(v.chainTrusted).not.toBe(null);
    }
  });

  it('fails, without throwing, on truncated, padded, empty and foreign input', async () => {
    const inputs = [
      token.der.subarray(0, token.der.length - 1),
      token.der.subarray(0, 100),
      Buffer.concat([token.der, Buffer.from([0])]),
      Buffer.alloc(0),
      Buffer.from('<html>not a token</html>'),
      pemToDer(tsa.caCertPem),
      buildTimestampRequest(digest),
    ];
    for (const der of inputs) {
      const v = await verifyTimestampToken(der, digest, { trustedCertsPem: [tsa.caCertPem] });
      expect(v).toMatchObject({ ok: false, imprintMatches: false, signatureValid: false, chainTrusted: false, genTime: '' });
      expect(v.problems.length).toBeGreaterThan(0);
    }
    expect(() => parseTimestampToken(Buffer.from('garbage'))).toThrow(TimestampError);
  });

  it('is a standard token: openssl ts -verify accepts it, and refuses another digest', async () => {
    const tok = join(tsa.dir, 'token.der');
    await writeFile(tok, token.der);
    const good = await openssl(['ts', '-verify', '-token_in', '-in', tok, '-digest', digest.toString('hex'), '-CAfile', tsa.caCertPath]);
    expect(good.stdout + good.stderr).toMatch(/Verification: OK/);
    expect(good.code).toBe(0);
    const bad = await openssl(['ts', '-verify', '-token_in', '-in', tok, '-digest', sha256('x').toString('hex'), '-CAfile', tsa.caCertPath]);
    expect(bad.code).not.toBe(0);
  });
});

describe('requestTimestamp against misbehaving servers', () => {
  it('throws TimestampError with the PKIStatus, text and failInfo when the TSA rejects', async () => {
    const rejection = Buffer.from(
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Integer({ value: 2 }),
              new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: 'algorithm not accepted' })] }),
              new asn1js.BitString({ valueHex: new Uint8Array([0x80]), unusedBits: 7 }), // bit 0: badAlg
            ],
          }),
        ],
      }).toBER(),
    );
    let seenType = '';
    const srv = await serve((req, res) => {
      seenType = req.headers['content-type'] ?? '';
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(rejection));
    });
    try {
      const e = await expectTimestampError(requestTimestamp(srv.url, digest));
      expect(seenType).toBe('application/timestamp-query');
      expect(e).toMatchObject({ code: 'status', pkiStatus: 2, statusString: 'algorithm not accepted', failInfo: ['badAlg'] });
      expect(e.message).toMatch(/rejection \(2\).*algorithm not accepted.*badAlg/);
    } finally {
      await srv.close();
    }
  });

  it('times out on a server that never answers, within timeoutMs', async () => {
    const srv = await serve(() => {
      /* never answers */
    });
    try {
      const t0 = Date.now();
      const e = await expectTimestampError(requestTimestamp(srv.url, digest, { timeoutMs: 300 }));
      expect(e.code).toBe('timeout');
      expect(e.message).toMatch(/300 ms/);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await srv.close();
    }
  });

  it('times out on a server that stops halfway through the body', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': '1000' });
      res.write(Buffer.from([0x30, 0x82, 0x03, 0xe4]));
    });
    try {
      const t0 = Date.now();
      const e = await expectTimestampError(requestTimestamp(srv.url, digest, { timeoutMs: 300 }));
      expect(e.code).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await srv.close();
    }
  });

  it('refuses oversized answers, declared or streamed', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x41);
    const declared = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': String(big.length) }).end(big));
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }); // chunked, no length
      res.end(big);
    });
    try {
      expect((await expectTimestampError(requestTimestamp(declared.url, digest))).code).toBe('too-large');
      const e = await expectTimestampError(requestTimestamp(streamed.url, digest, { maxResponseBytes: 4096 }));
      expect(e.code).toBe('too-large');
      expect(e.message).toMatch(/4096/);
    } finally {
      await declared.close();
      await streamed.close();
    }
  });

  it('says clearly when the answer is not DER, has the wrong type, or an HTTP error', async () => {
    const notDer = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end('<html>hello</html>'));
    const wrongType = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>'));
    const http500 = await serve((_req, res) => res.writeHead(500).end('oops'));
    try {
      const a = await expectTimestampError(requestTimestamp(notDer.url, digest));
      expect(a.code).toBe('malformed');
      expect(a.message).toMatch(/not DER|not a TimeStampResp/);
      const b = await expectTimestampError(requestTimestamp(wrongType.url, digest));
      expect(b.code).toBe('http');
      expect(b.message).toMatch(/text\/html/);
      const c = await expectTimestampError(requestTimestamp(http500.url, digest));
      expect(c.code).toBe('http');
      expect(c.message).toMatch(/HTTP 500/);
    } finally {
      await Promise.all([notDer.close(), wrongType.close(), http500.close()]);
    }
  });

  it('says when the TSA cannot be reached', async () => {
    const srv = await serve(() => {});
    const url = srv.url;
    await srv.close();
    expect((await expectTimestampError(requestTimestamp(url, digest, { timeoutMs: 2000 }))).code).toBe('network');
  });
});

describe('startLocalTsa', () => {
  it('removes its folder on close', async () => {
    const t = await startLocalTsa();
    expect(existsSync(join(t.dir, 'tsa.cnf'))).toBe(true);
    await t.close();
    expect(existsSync(t.dir)).toBe(false);
    await t.close(); // twice is fine
  });

  it('throws a clear error when openssl is not installed', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startLocalTsa()).rejects.toThrow(/needs the `openssl` command/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
