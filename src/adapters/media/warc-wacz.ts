import { createHash, createPublicKey, verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { formatBytes } from './input-file.js';
import { cleanText } from './json-value.js';
import { MediaError } from './media-error.js';
import type { WaczCheck, WaczVerification } from './metadata.types.js';
import { readZipEntry, type ZipDirectory, type ZipEntryInfo } from './zip-directory.js';

/**
 * A WACZ (WACZ 1.1.1: a zip with datapackage.json, archive/*.warc.gz, pages/pages.jsonl) read
 * without unpacking it anywhere: entries are streamed from their offsets in the file, by the
 * directory the zip declares, so no name in the archive is ever used as a path. Verification
 * follows "WACZ Signing and Verification": each resource's size and SHA-256 against
 * datapackage.json, datapackage-digest.json's hash of datapackage.json, and its signedData —
 * an anonymous ECDSA signature with the public key it carries, or a signature by a domain
 * certificate (verified with the certificate's key; the chain is checked for being a chain, not
 * against a trust store, and the RFC 3161 timestamp is not checked offline).
 */

const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** The entry's bytes as a stream, unpacked, failing when it unpacks to more than it declared. */
export async function zipEntryStream(path: string, entry: ZipEntryInfo): Promise<Readable> {
  if (entry.encrypted) throw new MediaError('unsupported', `zip entry ${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new MediaError('unsupported', `zip entry ${entry.name} uses compression method ${entry.method}`);
  const fh = await open(path, 'r');
  let start: number;
  try {
    const head = Buffer.alloc(30);
    const { bytesRead } = await fh.read(head, 0, 30, entry.localHeaderOffset);
    if (bytesRead < 30 || head.readUInt32LE(0) !== 0x04034b50) throw new MediaError('malformed', `zip entry ${entry.name}: local header not found`);
    start = entry.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.compressedSize === 0) return Readable.from([]);
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  let n = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      if (n > entry.size) done(new MediaError('limit', `zip entry ${entry.name} unpacks to more than the ${formatBytes(entry.size)} it declares (a zip bomb?)`));
      else done(null, chunk);
    },
  });
  const inflated = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  inflated.on('error', (e: Error) => cap.destroy(e));
  raw.on('error', (e) => cap.destroy(e));
  return inflated.pipe(cap);
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const c of stream) {
    h.update(c as Buffer);
    size += (c as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

/** `sha256:hex` or bare hex (older WACZ) → lowercase hex; null for another algorithm. */
function sha256Hex(hash: unknown): string | null {
  if (typeof hash !== 'string') return null;
  const m = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(hash.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export interface WaczPackage {
  datapackage: Record<string, unknown> | null;
  verification: WaczVerification;
  unsafeEntries: string[];
}

/** Reads and verifies a WACZ's manifest, digests and signature. */
export async function verifyWacz(path: string, dir: ZipDirectory, deadline: number): Promise<WaczPackage> {
  const checks: WaczCheck[] = [];
  const failures: string[] = [];
  const fail = (check: string, detail: string) => {
    checks.push({ check, result: 'failed', detail });
    failures.push(`${check}: ${detail}`);
  };
  const byName = new Map<string, ZipEntryInfo>();
  const unsafeEntries: string[] = [];
  for (const e of dir.entries) {
    if (e.unsafePath) unsafeEntries.push(cleanText(e.name, 300));
    else if (!e.directory) byName.set(e.name, e);
  }
  for (const name of unsafeEntries.slice(0, 20)) fail(`entry ${name}`, e_unsafe(dir.entries.find((e) => cleanText(e.name, 300) === name)));
  if (unsafeEntries.length > 20) failures.push(`${unsafeEntries.length - 20} more entries with unsafe paths`);
  const verification: WaczVerification = { resources: 'absent', packageDigest: 'absent', signature: 'absent', checks, failures };

  const dpEntry = byName.get('datapackage.json');
  if (!dpEntry) {
    fail('datapackage.json', 'missing: nothing in the archive can be checked');
    return { datapackage: null, verification, unsafeEntries };
  }
  const dpBytes = await readZipEntry(path, dpEntry, MAX_JSON_BYTES);
  const dpSha = createHash('sha256').update(dpBytes).digest('hex');
  let datapackage: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(dpBytes.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) datapackage = parsed as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  if (!datapackage) {
    fail('datapackage.json', 'not a JSON object');
    return { datapackage: null, verification, unsafeEntries };
  }

  // 1. every resource against its size and hash
  const resources = Array.isArray(datapackage.resources) ? (datapackage.resources as unknown[]) : [];
  if (resources.length) {
    let bad = 0;
    for (const r of resources.slice(0, dir.entries.length + 10)) {
      const res = (r ?? {}) as Record<string, unknown>;
      const name = typeof res.path === 'string' ? res.path : '';
      const label = `resource ${cleanText(name || '(no path)', 300)}`;
      if (Date.now() > deadline) {
        checks.push({ check: label, result: 'not-checked', detail: 'the time limit was reached' });
        bad++;
        failures.push(`${label}: not checked, the time limit was reached`);
        continue;
      }
      const entry = byName.get(name);
      if (!entry) {
        fail(label, unsafeEntries.includes(name) ? 'its path is unsafe: not read' : 'listed in datapackage.json but not in the archive');
        bad++;
        continue;
      }
      const expected = sha256Hex(res.hash);
      try {
        const got = await sha256Of(await zipEntryStream(path, entry));
        const sizeOk = typeof res.bytes !== 'number' || res.bytes === got.size;
        if (!expected) {
          checks.push({ check: label, result: 'not-checked', detail: `hash ${cleanText(String(res.hash ?? 'absent'), 100)} is not SHA-256; size ${sizeOk ? 'matches' : 'differs'}` });
          if (!sizeOk) {
            bad++;
            failures.push(`${label}: size ${got.size} differs from the ${String(res.bytes)} bytes datapackage.json lists`);
          }
        } else if (expected !== got.sha256) {
          bad++;
          fail(label, `SHA-256 ${got.sha256} differs from ${expected} in datapackage.json (the file was changed)`);
        } else if (!sizeOk) {
          bad++;
          fail(label, `size ${got.size} differs from the ${String(res.bytes)} bytes datapackage.json lists`);
        } else checks.push({ check: label, result: 'ok', detail: `SHA-256 ${got.sha256}, ${got.size} bytes` });
      } catch (e) {
        bad++;
        fail(label, e instanceof MediaError ? e.message : 'could not be read');
      }
    }
    const listed = new Set(resources.map((r) => (r as Record<string, unknown>)?.path));
    const unlisted = [...byName.keys()].filter((n) => !listed.has(n) && n !== 'datapackage.json' && n !== 'datapackage-digest.json');
    if (unlisted.length) checks.push({ check: 'unlisted entries', result: 'not-checked', detail: `${unlisted.length} file(s) not in datapackage.json: ${unlisted.slice(0, 10).join(', ')}` });
    verification.resources = bad ? 'failed' : 'ok';
  } else checks.push({ check: 'resources', result: 'absent', detail: 'datapackage.json lists no resources' });

  // 2. the digest of datapackage.json, 3. its signature
  const digestEntry = byName.get('datapackage-digest.json');
  if (!digestEntry) {
    checks.push({ check: 'datapackage-digest.json', result: 'absent', detail: 'no package digest or signature in the archive' });
    return { datapackage, verification, unsafeEntries };
  }
  let digest: Record<string, unknown> = {};
  try {
    digest = JSON.parse((await readZipEntry(path, digestEntry, MAX_JSON_BYTES)).toString('utf8')) as Record<string, unknown>;
  } catch {
    fail('datapackage-digest.json', 'not readable JSON');
    verification.packageDigest = 'failed';
    return { datapackage, verification, unsafeEntries };
  }
  const digestHex = sha256Hex(digest.hash);
  if (digestHex === dpSha) {
    verification.packageDigest = 'ok';
    checks.push({ check: 'datapackage-digest.json', result: 'ok', detail: `the hash of datapackage.json matches (sha256:${dpSha})` });
  } else {
    verification.packageDigest = 'failed';
    fail('datapackage-digest.json', `its hash ${cleanText(String(digest.hash ?? 'absent'), 100)} differs from datapackage.json's sha256:${dpSha} (the manifest was changed)`);
  }
  const signed = digest.signedData;
  if (!signed || typeof signed !== 'object') {
    checks.push({ check: 'signature', result: 'absent', detail: 'datapackage-digest.json carries no signedData: the archive is not signed' });
    return { datapackage, verification, unsafeEntries };
  }
  checkSignature(signed as Record<string, unknown>, dpSha, verification, fail);
  return { datapackage, verification, unsafeEntries };
}

function e_unsafe(entry: ZipEntryInfo | undefined): string {
  return entry?.symlink ? 'a symbolic link: not followed, not read' : 'a path that would leave the archive (absolute or ".."): not read';
}

function verifyEither(key: KeyObject, message: Buffer, signature: Buffer, first: 'der' | 'ieee-p1363'): boolean {
  const second = first === 'der' ? 'ieee-p1363' : 'der';
  for (const dsaEncoding of [first, second] as const) {
    try {
      if (verifySignature('sha256', message, { key, dsaEncoding }, signature)) return true;
    } catch {
      /* wrong encoding for this signature: try the other */
    }
  }
  return false;
}

function checkSignature(sd: Record<string, unknown>, dpSha: string, v: WaczVerification, fail: (check: string, detail: string) => void): void {
  const signedHash = typeof sd.hash === 'string' ? sd.hash : '';
  const signature = typeof sd.signature === 'string' ? Buffer.from(sd.signature, 'base64') : Buffer.alloc(0);
  const about = [sd.created ? `created ${cleanText(String(sd.created), 100)}` : '', sd.software ? `by ${cleanText(String(sd.software), 200)}` : ''].filter(Boolean).join(' ');
  if (sha256Hex(signedHash) !== dpSha) {
    v.signature = 'failed';
    fail('signature', `the signed hash ${cleanText(signedHash || 'absent', 100)} is not the hash of datapackage.json`);
    return;
  }
  const message = Buffer.from(signedHash, 'utf8');
  if (typeof sd.publicKey === 'string' && sd.publicKey) {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(sd.publicKey, 'base64'), format: 'der', type: 'spki' });
    } catch {
      v.signature = 'failed';
      fail('signature', 'the public key in signedData is not a readable key');
      return;
    }
    const publicKeySha256 = createHash('sha256').update(Buffer.from(sd.publicKey, 'base64')).digest('hex');
    v.signer = { kind: 'anonymous', publicKeySha256 };
    const curve = key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyType ?? 'unknown';
    if (verifyEither(key, message, signature, 'ieee-p1363')) {
      v.signature = 'ok';
      v.checks.push({
        check: 'signature',
        result: 'ok',
        detail: `anonymous ECDSA signature (${curve}) valid for the key it carries (SHA-256 of the key ${publicKeySha256})${about ? `, ${about}` : ''}; who holds that key is not known from the archive`,
      });
    } else {
      v.signature = 'failed';
      fail('signature', `the anonymous signature does not verify with the key it carries (SHA-256 of the key ${publicKeySha256})`);
    }
    return;
  }
  if (typeof sd.domainCert === 'string' && sd.domainCert) {
    const pems = sd.domainCert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    let certs: X509Certificate[];
    try {
      certs = pems.map((p) => new X509Certificate(p));
    } catch {
      certs = [];
    }
    if (!certs.length) {
      v.signature = 'failed';
      fail('signature', 'the domain certificate in signedData is not readable');
      return;
    }
    const leaf = certs[0]!;
    const domain = typeof sd.domain === 'string' ? sd.domain : '';
    v.signer = { kind: 'domain', domain: cleanText(domain, 300), certificateSubject: cleanText(leaf.subject, 500), certificateIssuer: cleanText(leaf.issuer, 500) };
    if (!verifyEither(leaf.publicKey, message, signature, 'der')) {
      v.signature = 'failed';
      fail('signature', `the signature does not verify with the key of the certificate for ${cleanText(domain || leaf.subject, 300)}`);
      return;
    }
    const domainOk = domain !== '' && leaf.checkHost(domain) !== undefined;
    const chainOk = certs.every((c, i) => i === certs.length - 1 || (c.checkIssued(certs[i + 1]!) && c.verify(certs[i + 1]!.publicKey)));
    const created = typeof sd.created === 'string' ? Date.parse(sd.created) : NaN;
    const inValidity = Number.isNaN(created) || (created >= Date.parse(leaf.validFrom) && created <= Date.parse(leaf.validTo));
    if (!domainOk) {
      v.signature = 'failed';
      fail('signature', `the certificate (${cleanText(leaf.subject, 200)}) is not for the domain ${cleanText(domain || '(none)', 300)} named in signedData`);
      return;
    }
    if (!chainOk) {
      v.signature = 'failed';
      fail('signature', 'the certificates in domainCert do not form a chain (each issued and signed by the next)');
      return;
    }
    if (!inValidity) {
      v.signature = 'failed';
      fail('signature', `the creation time ${cleanText(String(sd.created), 100)} lies outside the certificate's validity (${leaf.validFrom} – ${leaf.validTo})`);
      return;
    }
    v.signature = 'ok';
    v.checks.push({ check: 'signature', result: 'ok', detail: `signature valid for the certificate of ${cleanText(domain, 300)} (issuer ${cleanText(leaf.issuer, 200)})${about ? `, ${about}` : ''}` });
    v.checks.push({ check: 'certificate trust', result: 'not-checked', detail: `the chain of ${certs.length} certificate(s) is consistent, but was not checked against a trust store or for revocation` });
    v.checks.push({
      check: 'timestamp',
      result: sd.timeSignature ? 'not-checked' : 'absent',
      detail: sd.timeSignature ? 'an RFC 3161 timestamp is present but is not verified offline here' : 'no RFC 3161 timestamp',
    });
    return;
  }
  v.signature = 'not-checked';
  v.checks.push({ check: 'signature', result: 'not-checked', detail: 'signedData has neither a publicKey nor a domainCert: a signature of a kind not known here' });
}
