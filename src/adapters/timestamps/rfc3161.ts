import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * RFC 3161 trusted timestamps: a time-stamping authority (TSA) signs "this SHA-256 digest existed
 * at genTime". The custody ledger asks for one per checkpoint (optional: a ledger without a TSA
 * still chains and verifies on its own), keeps the token's DER as received, and anyone can later
 * check it offline against the digest and the TSA's CA, with this module or with
 * `openssl ts -verify -token_in -in token.der -digest HEX -CAfile tsa-ca.pem`.
 *
 * Protocol: RFC 3161 (TimeStampReq / TimeStampResp / TSTInfo), tokens are CMS SignedData
 * (RFC 5652) with the ESS signing-certificate attribute (RFC 2634 / RFC 5035, required by
 * RFC 3161 §2.4.2 and RFC 5816).
 */

export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_SHA1 = '1.3.14.3.2.26';
const OID_SHA384 = '2.16.840.1.101.3.4.2.2';
const OID_SHA512 = '2.16.840.1.101.3.4.2.3';
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_ATTR_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const OID_ATTR_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';

const HASH_BY_OID: Record<string, string> = { [OID_SHA1]: 'sha1', [OID_SHA256]: 'sha256', [OID_SHA384]: 'sha384', [OID_SHA512]: 'sha512' };

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** A parsed TimeStampToken. `der` is the token (CMS ContentInfo) exactly as the TSA sent it. */
export interface TimestampToken {
  der: Buffer;
  /** TSTInfo genTime, ISO 8601 UTC (millisecond precision at most). */
  genTime: string;
  hashAlgorithm: 'sha256';
  hashedMessage: Buffer;
  /** TSTInfo serialNumber, lowercase hex, whole bytes, no sign byte. */
  serial: string;
  /** TSTInfo tsa, if present: a directoryName as an RFC 4514 string, other name forms as `DNS:…`, `URI:…`, `email:…`. */
  tsaName: string | null;
  /** TSA policy OID. */
  policy: string;
  /** TSTInfo nonce, lowercase hex like `serial`, or null when absent. */
  nonce: string | null;
}

export type TimestampErrorCode =
  /** The TSA answered with a PKIStatus other than granted / grantedWithMods. */
  | 'status'
  /** HTTP status not 2xx, or a Content-Type other than application/timestamp-reply. */
  | 'http'
  | 'network'
  | 'timeout'
  /** The response body is larger than `maxResponseBytes`. */
  | 'too-large'
  /** Not a DER TimeStampResp / TimeStampToken, or not one we can use (e.g. not SHA-256). */
  | 'malformed'
  /** The token is for another digest, or carries another nonce than the one we sent. */
  | 'mismatch';

/** The PKIStatus names of RFC 3161 §2.4.2 (index = value). */
const PKI_STATUS_NAMES = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
/** PKIFailureInfo bit names (RFC 3161 §2.4.2). */
const FAIL_INFO_BITS: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

/** Any failure of `requestTimestamp`. For `code: 'status'`, `pkiStatus`, `statusString` and `failInfo` say what the TSA said. */
export class TimestampError extends Error {
  /** PKIStatus from the TSA (2 rejection, 3 waiting, …), for `code: 'status'`; null otherwise. */
  readonly pkiStatus: number | null;
  /** The TSA's PKIFreeText, joined with "; ", if it sent any. */
  readonly statusString: string | null;
  /** PKIFailureInfo bit names (`badAlg`, `badRequest`, …; unknown bits as `bit<n>`). */
  readonly failInfo: string[];
  constructor(
    readonly code: TimestampErrorCode,
    message: string,
    details: { pkiStatus?: number | null; statusString?: string | null; failInfo?: string[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TimestampError';
    this.pkiStatus = details.pkiStatus ?? null;
    this.statusString = details.statusString ?? null;
    this.failInfo = details.failInfo ?? [];
  }
}

// ---------------------------------------------------------------------------------------------
// Small DER helpers

/** An unsigned big-endian magnitude as a DER INTEGER body: no superfluous leading zeros, a 0x00 sign byte when the top bit is set. */
function unsignedIntegerBytes(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.length === 0 ? new Uint8Array([0]) : magnitude.subarray(i);
  if ((trimmed[0]! & 0x80) === 0) return Uint8Array.from(trimmed);
  const out = new Uint8Array(trimmed.length + 1);
  out.set(trimmed, 1);
  return out;
}

function bigintToBytes(n: bigint): Uint8Array {
  if (n < 0n) throw new RangeError('buildTimestampRequest: the nonce must not be negative');
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** An INTEGER as lowercase hex of its value (whole bytes, no sign byte); a negative value gets a leading "-". */
function integerHex(i: asn1js.Integer): string {
  const v = i.toBigInt();
  const abs = v < 0n ? -v : v;
  let hex = abs.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return v < 0n ? `-${hex}` : hex;
}

/** Parses exactly one BER element spanning the whole buffer (no trailing bytes). */
function parseWhole(bytes: Uint8Array, what: string): asn1js.AsnType {
  if (bytes.length === 0) throw new TimestampError('malformed', `${what} is empty`);
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new TimestampError('malformed', `${what} is not DER: ${parsed.result.error || 'cannot decode'}`);
  if (parsed.offset !== bytes.length) throw new TimestampError('malformed', `${what} has ${bytes.length - parsed.offset} byte(s) after the end of its DER`);
  // asn1js does not hold a child to its parent's length (a SEQUENCE whose length is one byte
  // short still parses), and accepts BER: re-encoding must give back the same bytes.
  let again: Uint8Array;
  try {
    again = new Uint8Array(parsed.result.toBER(false));
  } catch {
    again = new Uint8Array(0);
  }
  if (!Buffer.from(again).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    throw new TimestampError('malformed', `${what} is not DER (BER, or inconsistent lengths)`);
  }
  return parsed.result;
}

function toBuffer(view: Uint8Array | ArrayBuffer): Buffer {
  return view instanceof ArrayBuffer ? Buffer.from(new Uint8Array(view)) : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function assertDigest(digest: Buffer, fn: string): void {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) {
    throw new RangeError(`${fn}: the digest must be a SHA-256 digest (32 bytes), got ${digest instanceof Uint8Array ? `${digest.length} bytes` : typeof digest}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Request

/**
 * DER TimeStampReq (RFC 3161 §2.4.1): version 1, messageImprint (SHA-256, parameters absent as
 * RFC 5754 prefers), the nonce when given, certReq TRUE unless `certReq: false` (then omitted:
 * DER leaves out a DEFAULT FALSE).
 *
 * @example buildTimestampRequest(createHash('sha256').update(data).digest(), { nonce: 42n })
 */
export function buildTimestampRequest(digest: Buffer, opts: { nonce?: bigint | Buffer; certReq?: boolean } = {}): Buffer {
  assertDigest(digest, 'buildTimestampRequest');
  const fields: asn1js.AsnType[] = [
    new asn1js.Integer({ value: 1 }),
    new asn1js.Sequence({
      value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID_SHA256 })] }), new asn1js.OctetString({ valueHex: Uint8Array.from(digest) })],
    }),
  ];
  if (opts.nonce !== undefined) {
    const magnitude = typeof opts.nonce === 'bigint' ? bigintToBytes(opts.nonce) : Uint8Array.from(opts.nonce);
    fields.push(new asn1js.Integer({ valueHex: unsignedIntegerBytes(magnitude) }));
  }
  if (opts.certReq ?? true) fields.push(new asn1js.Boolean({ value: true }));
  return Buffer.from(new asn1js.Sequence({ value: fields }).toBER(false));
}

// ---------------------------------------------------------------------------------------------
// Token parsing

interface ParsedToken {
  token: TimestampToken;
  signedDataAsn: asn1js.AsnType;
  signedData: pkijs.SignedData;
  tstInfo: pkijs.TSTInfo;
  /** The DER of each entry of SignedData.certificates, as sent (same order as signedData.certificates). */
  rawCertificates: Uint8Array[];
}

const ATTR_SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function escapeDnValue(v: string): string {
  let out = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 0) out = `${out.slice(0, -1)}\\ `;
  return out;
}

function attributeValueString(value: unknown): string {
  const v = value as { valueBlock?: { value?: unknown; valueHexView?: Uint8Array } };
  if (typeof v?.valueBlock?.value === 'string') return v.valueBlock.value;
  if (v?.valueBlock?.valueHexView) return `#${Buffer.from(v.valueBlock.valueHexView).toString('hex')}`;
  return '';
}

/** RFC 4514 string of a Name: the last RDN first, `+` between the values of a multi-valued RDN. */
export function formatDistinguishedName(name: pkijs.RelativeDistinguishedNames): string {
  // pkijs flattens the RDNs; valueBeforeDecode of each SET is not kept per value, so a multi-valued
  // RDN prints as separate components (rare in TSA names).
  return name.typesAndValues
    .map((tv) => `${ATTR_SHORT_NAMES[tv.type] ?? tv.type}=${escapeDnValue(attributeValueString(tv.value))}`)
    .reverse()
    .join(',');
}

function formatGeneralName(g: pkijs.GeneralName): string {
  switch (g.type) {
    case 1:
      return `email:${String(g.value)}`;
    case 2:
      return `DNS:${String(g.value)}`;
    case 4:
      return formatDistinguishedName(g.value as pkijs.RelativeDistinguishedNames);
    case 6:
      return `URI:${String(g.value)}`;
    case 7: {
      const hex = (g.value as asn1js.OctetString).valueBlock.valueHexView;
      return `IP:${hex.length === 4 ? Array.from(hex).join('.') : Buffer.from(hex).toString('hex')}`;
    }
    case 8:
      return `RID:${String(g.value)}`;
    default:
      return `GeneralName[${g.type}]`;
  }
}

function parseTokenInternal(der: Buffer): ParsedToken {
  const asn = parseWhole(der, 'the timestamp token');
  let contentInfo: pkijs.ContentInfo;
  try {
    contentInfo = new pkijs.ContentInfo({ schema: asn });
  } catch (e) {
    throw new TimestampError('malformed', `the timestamp token is not a CMS ContentInfo: ${(e as Error).message}`, { cause: e });
  }
  if (contentInfo.contentType !== OID_SIGNED_DATA) throw new TimestampError('malformed', `the timestamp token is CMS ${contentInfo.contentType}, not SignedData`);
  let signedData: pkijs.SignedData;
  try {
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (e) {
    throw new TimestampError('malformed', `the timestamp token's SignedData does not parse: ${(e as Error).message}`, { cause: e });
  }
  const eci = signedData.encapContentInfo;
  if (eci.eContentType !== OID_TST_INFO) throw new TimestampError('malformed', `the token signs content of type ${eci.eContentType}, not TSTInfo`);
  if (!eci.eContent) throw new TimestampError('malformed', 'the token carries no TSTInfo (detached content)');
  const tstBytes = new Uint8Array(eci.eContent.getValue());
  let tstInfo: pkijs.TSTInfo;
  try {
    tstInfo = new pkijs.TSTInfo({ schema: parseWhole(tstBytes, 'the TSTInfo') });
  } catch (e) {
    if (e instanceof TimestampError) throw e;
    throw new TimestampError('malformed', `the TSTInfo does not parse: ${(e as Error).message}`, { cause: e });
  }
  if (tstInfo.version !== 1) throw new TimestampError('malformed', `TSTInfo version ${tstInfo.version}, expected 1`);
  const alg = tstInfo.messageImprint.hashAlgorithm.algorithmId;
  if (alg !== OID_SHA256) throw new TimestampError('malformed', `the token's messageImprint uses ${HASH_BY_OID[alg] ?? alg}, not SHA-256`);
  const hashedMessage = toBuffer(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (hashedMessage.length !== 32) throw new TimestampError('malformed', `the token's SHA-256 messageImprint is ${hashedMessage.length} bytes`);
  const genTime = tstInfo.genTime;
  if (!(genTime instanceof Date) || Number.isNaN(genTime.getTime())) throw new TimestampError('malformed', 'the token has no valid genTime');

  // The certificates as sent: [0] IMPLICIT CertificateSet inside SignedData.
  const rawCertificates: Uint8Array[] = [];
  const sdFields = (contentInfo.content as asn1js.Sequence).valueBlock.value;
  for (const f of sdFields) {
    if (f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0) {
      for (const c of (f as asn1js.Constructed).valueBlock.value) rawCertificates.push(c.valueBeforeDecodeView);
    }
  }

  return {
    token: {
      der: Buffer.from(der),
      genTime: genTime.toISOString(),
      hashAlgorithm: 'sha256',
      hashedMessage,
      serial: integerHex(tstInfo.serialNumber),
      tsaName: tstInfo.tsa ? formatGeneralName(tstInfo.tsa) : null,
      policy: tstInfo.policy,
      nonce: tstInfo.nonce ? integerHex(tstInfo.nonce) : null,
    },
    signedDataAsn: contentInfo.content,
    signedData,
    tstInfo,
    rawCertificates,
  };
}

/**
 * Parses a TimeStampToken (CMS ContentInfo with SignedData over a TSTInfo) without checking its
 * signature. Throws `TimestampError` (`malformed`) for anything else, and for tokens whose
 * messageImprint is not SHA-256.
 */
export function parseTimestampToken(der: Buffer): TimestampToken {
  return parseTokenInternal(der).token;
}

// ---------------------------------------------------------------------------------------------
// HTTP

function describeStatus(status: pkijs.PKIStatusInfo): { pkiStatus: number; statusString: string | null; failInfo: string[] } {
  const strings = (status.statusStrings ?? []).map((s) => s.valueBlock.value);
  const failInfo: string[] = [];
  if (status.failInfo) {
    const bits = status.failInfo.valueBlock.valueHexView;
    const unused = status.failInfo.valueBlock.unusedBits;
    const total = bits.length * 8 - unused;
    for (let i = 0; i < total; i++) {
      if (bits[i >> 3]! & (0x80 >> (i & 7))) failInfo.push(FAIL_INFO_BITS[i] ?? `bit${i}`);
    }
  }
  return { pkiStatus: status.status, statusString: strings.length ? strings.join('; ') : null, failInfo };
}

async function readLimited(res: Response, max: number): Promise<Buffer> {
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    await res.body?.cancel().catch(() => {});
    throw new TimestampError('too-large', `the TSA's response is ${declared} bytes, more than the ${max} allowed`);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new TimestampError('too-large', `the TSA's response is larger than the ${max} bytes allowed`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Parses a DER TimeStampResp; throws `TimestampError` unless granted with a token. Returns the token DER as sent. */
export function tokenFromResponse(body: Buffer): Buffer {
  const asn = parseWhole(body, "the TSA's response");
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: asn });
  } catch (e) {
    throw new TimestampError('malformed', `the TSA's response is not a TimeStampResp: ${(e as Error).message}`, { cause: e });
  }
  const st = describeStatus(resp.status);
  if (st.pkiStatus !== 0 && st.pkiStatus !== 1) {
    const name = PKI_STATUS_NAMES[st.pkiStatus] ?? `status ${st.pkiStatus}`;
    const parts = [st.statusString, st.failInfo.length ? `failInfo ${st.failInfo.join(', ')}` : null].filter(Boolean);
    throw new TimestampError('status', `the TSA refused the request: ${name} (${st.pkiStatus})${parts.length ? `: ${parts.join('; ')}` : ''}`, st);
  }
  const fields = (asn as asn1js.Sequence).valueBlock.value;
  const tokenAsn = fields[1];
  if (!resp.timeStampToken || !tokenAsn) throw new TimestampError('malformed', "the TSA's response is granted but carries no token");
  return Buffer.from(tokenAsn.valueBeforeDecodeView);
}

/**
 * Asks the TSA at `url` to timestamp a SHA-256 digest (with a fresh 64-bit nonce and certReq), and
 * returns the token after checking that it is for this digest and this nonce. The signature is
 * not checked here: use `verifyTimestampToken` with the TSA's CA.
 *
 * Throws `TimestampError`: `status` when the TSA refuses (with its PKIStatus, text and failInfo),
 * `http`, `network`, `timeout` (the whole exchange, default 15 s), `too-large` (default 1 MiB),
 * `malformed`, `mismatch`.
 */
export async function requestTimestamp(
  url: string,
  digest: Buffer,
  opts: { timeoutMs?: number; maxResponseBytes?: number; fetchImpl?: typeof fetch } = {},
): Promise<TimestampToken> {
  assertDigest(digest, 'requestTimestamp');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const fetchImpl = opts.fetchImpl ?? fetch;
  const nonce = randomBytes(8);
  const request = buildTimestampRequest(digest, { nonce, certReq: true });

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timeoutError = () => new TimestampError('timeout', `the TSA at ${url} did not answer within ${timeoutMs} ms`);
  let body: Buffer;
  try {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
        body: new Uint8Array(request),
        signal: controller.signal,
      });
    } catch (e) {
      if (controller.signal.aborted) throw timeoutError();
      throw new TimestampError('network', `cannot reach the TSA at ${url}: ${(e as Error).message}`, { cause: e });
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => {});
      throw new TimestampError('http', `the TSA at ${url} answered HTTP ${res.status}`);
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/timestamp-reply') {
      await res.body?.cancel().catch(() => {});
      throw new TimestampError('http', `the TSA at ${url} answered Content-Type ${JSON.stringify(type || '(none)')}, not application/timestamp-reply`);
    }
    try {
      body = await readLimited(res, maxBytes);
    } catch (e) {
      if (e instanceof TimestampError) throw e;
      if (controller.signal.aborted) throw timeoutError();
      throw new TimestampError('network', `reading the TSA's answer failed: ${(e as Error).message}`, { cause: e });
    }
  } finally {
    clearTimeout(timer);
  }

  const token = parseTimestampToken(tokenFromResponse(body));
  if (!token.hashedMessage.equals(digest)) {
    throw new TimestampError('mismatch', `the TSA timestamped another digest (${token.hashedMessage.toString('hex')}) than the one sent (${digest.toString('hex')})`);
  }
  const sentNonce = BigInt(`0x${nonce.toString('hex')}`).toString(16);
  const gotNonce = token.nonce === null ? null : BigInt(`0x${token.nonce.replace(/^-/, '')}`).toString(16);
  if (gotNonce === null || token.nonce!.startsWith('-') || gotNonce !== sentNonce) {
    throw new TimestampError('mismatch', `the token's nonce (${token.nonce ?? 'none'}) is not the one sent (${sentNonce}): a replayed or misrouted answer`);
  }
  return token;
}

// ---------------------------------------------------------------------------------------------
// Offline verification

export interface TimestampVerification {
  ok: boolean;
  imprintMatches: boolean;
  signatureValid: boolean;
  /** Null when no trusted certificates were given. */
  chainTrusted: boolean | null;
  /** ISO genTime, or "" when the token cannot be parsed. */
  genTime: string;
  problems: string[];
}

function pemToDerList(pem: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  return out;
}

function findAttribute(signerInfo: pkijs.SignerInfo, oid: string): pkijs.Attribute[] {
  return (signerInfo.signedAttrs?.attributes ?? []).filter((a) => a.type === oid);
}

/**
 * The ESS signing-certificate attribute (v2, or v1 with SHA-1) must name the certificate that
 * verified the signature: otherwise another certificate with the same key could be substituted.
 * Returns a problem, or null when it matches.
 */
function checkEssCertId(signerInfo: pkijs.SignerInfo, signerCertDer: Uint8Array): string | null {
  const v2 = findAttribute(signerInfo, OID_ATTR_SIGNING_CERTIFICATE_V2);
  const v1 = findAttribute(signerInfo, OID_ATTR_SIGNING_CERTIFICATE);
  if (v2.length + v1.length === 0) return 'the signer has no ESS signing-certificate attribute (RFC 3161 §2.4.2 requires one)';
  if (v2.length + v1.length > 1) return 'the signer has more than one ESS signing-certificate attribute';
  const attr = (v2[0] ?? v1[0])!;
  const isV2 = v2.length === 1;
  try {
    if (attr.values.length !== 1) return 'the ESS signing-certificate attribute must have exactly one value';
    const signingCert = attr.values[0] as asn1js.Sequence;
    const certs = signingCert.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence | undefined;
    if (!first) return 'the ESS signing-certificate attribute lists no certificate';
    const parts = first.valueBlock.value;
    let hashName = 'sha1';
    let hashField: asn1js.AsnType | undefined = parts[0];
    if (isV2) {
      hashName = 'sha256';
      if (parts[0] instanceof asn1js.Sequence) {
        const oid = (parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
        const name = HASH_BY_OID[oid];
        if (!name) return `the ESS signing-certificate-v2 attribute uses an unknown hash ${oid}`;
        hashName = name;
        hashField = parts[1];
      }
    }
    if (!(hashField instanceof asn1js.OctetString)) return 'the ESS signing-certificate attribute does not parse';
    const expected = Buffer.from(hashField.valueBlock.valueHexView);
    const actual = createHash(hashName).update(signerCertDer).digest();
    if (!expected.equals(actual)) return 'the ESS signing-certificate attribute names another certificate than the one that signed';
    return null;
  } catch {
    return 'the ESS signing-certificate attribute does not parse';
  }
}

/** Hash (and RSA / ECDSA signature) AlgorithmIdentifiers have no parameters, or NULL (RFC 5754 §2, RFC 4055). */
function hashParamsOk(a: pkijs.AlgorithmIdentifier): boolean {
  const p = a.algorithmParams as unknown;
  if (p === undefined || p instanceof asn1js.Null) return true;
  return p instanceof asn1js.Any; // how pkijs keeps absent parameters
}

function timeStampingEkuProblem(cert: pkijs.Certificate): string | null {
  const ext = (cert.extensions ?? []).filter((e) => e.extnID === OID_EXT_KEY_USAGE);
  if (ext.length !== 1) return 'the signer certificate has no extendedKeyUsage extension (RFC 3161 §2.3 requires timeStamping)';
  const e = ext[0]!;
  if (!e.critical) return 'the signer certificate\'s extendedKeyUsage is not critical (RFC 3161 §2.3)';
  const purposes = (e.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  if (purposes.length !== 1 || purposes[0] !== OID_KP_TIME_STAMPING) return 'the signer certificate\'s extendedKeyUsage is not exactly timeStamping (RFC 3161 §2.3)';
  return null;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'resultMessage' in e) return String((e as { resultMessage: unknown }).resultMessage);
  return String(e);
}

/**
 * Checks a token offline:
 * - `imprintMatches`: the token is for this SHA-256 digest;
 * - `signatureValid`: exactly one signer, whose CMS signature over the TSTInfo (content-type and
 *   message-digest attributes included) verifies with the certificate embedded in the token, and
 *   whose ESS signing-certificate attribute names that certificate;
 * - `chainTrusted` (null without `trustedCertsPem`): the signer certificate chains, at genTime, to
 *   one of the trusted certificates (a CA, or the TSA certificate itself), and carries the
 *   critical timeStamping extendedKeyUsage.
 *
 * `ok` = imprintMatches && signatureValid && chainTrusted !== false. Never throws for a bad token:
 * `ok` is false and `problems` says why.
 */
export async function verifyTimestampToken(der: Buffer, digest: Buffer, opts: { trustedCertsPem?: string[] } = {}): Promise<TimestampVerification> {
  const problems: string[] = [];
  const wantChain = (opts.trustedCertsPem?.length ?? 0) > 0;
  const result = (imprintMatches: boolean, signatureValid: boolean, chainTrusted: boolean | null, genTime: string): TimestampVerification => ({
    ok: imprintMatches && signatureValid && chainTrusted !== false,
    imprintMatches,
    signatureValid,
    chainTrusted,
    genTime,
    problems,
  });

  let parsed: ParsedToken;
  try {
    if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new TimestampError('malformed', `the digest to check must be 32 bytes (SHA-256), got ${digest instanceof Uint8Array ? digest.length : typeof digest}`);
    parsed = parseTokenInternal(Buffer.from(der));
  } catch (e) {
    problems.push(errorMessage(e));
    return result(false, false, wantChain ? false : null, '');
  }
  const { token, signedData, tstInfo, rawCertificates } = parsed;

  const imprintMatches = token.hashedMessage.equals(digest);
  if (!imprintMatches) problems.push(`the token is for another digest (${token.hashedMessage.toString('hex')})`);

  // --- signature
  let signatureValid = false;
  let signerCert: pkijs.Certificate | null = null;
  try {
    const signerInfo = signedData.signerInfos[0];
    if (signedData.signerInfos.length !== 1 || !signerInfo) throw new Error(`the token has ${signedData.signerInfos.length} signers, RFC 3161 requires exactly one`);
    if (!signerInfo.signedAttrs) throw new Error('the signer has no signed attributes');
    const ct = findAttribute(signerInfo, OID_ATTR_CONTENT_TYPE);
    const ctValue = ct.length === 1 && ct[0]!.values.length === 1 ? ct[0]!.values[0] : undefined;
    if (!(ctValue instanceof asn1js.ObjectIdentifier) || ctValue.valueBlock.toString() !== OID_TST_INFO) {
      throw new Error('the signed content-type attribute is not id-ct-TSTInfo');
    }
    // Fields outside the signature, held to RFC 5652 so that a changed byte there is noticed too.
    if (signedData.version < 3 || signedData.version > 5) throw new Error(`SignedData version ${signedData.version}: a TSTInfo requires version 3 or more (RFC 5652 §5.1)`);
    const sidIsIssuerSerial = signerInfo.sid instanceof pkijs.IssuerAndSerialNumber;
    if (signerInfo.version !== (sidIsIssuerSerial ? 1 : 3)) throw new Error(`SignerInfo version ${signerInfo.version} does not fit its signer identifier (RFC 5652 §5.3)`);
    const digestAlgOk = signedData.digestAlgorithms.some((a) => a.algorithmId === signerInfo.digestAlgorithm.algorithmId);
    if (!digestAlgOk) throw new Error("the SignedData's digestAlgorithms do not list the signer's digest algorithm");
    for (const a of [...signedData.digestAlgorithms, signerInfo.digestAlgorithm]) {
      if (!hashParamsOk(a)) throw new Error(`digest algorithm ${a.algorithmId} has parameters (only absent or NULL are allowed)`);
    }
    if (signerInfo.signatureAlgorithm.algorithmId !== OID_RSASSA_PSS && !hashParamsOk(signerInfo.signatureAlgorithm)) {
      throw new Error(`signature algorithm ${signerInfo.signatureAlgorithm.algorithmId} has unexpected parameters`);
    }

    // pkijs quirk: for eContentType id-ct-TSTInfo, SignedData.verify insists on the original data
    // (it hashes `data` and compares with the messageImprint). We only have the digest, and check
    // the imprint ourselves above, so the signature is checked on a second parse of the same
    // SignedData whose eContentType is relabelled id-data: the bytes signed (eContent and signed
    // attributes) are unchanged, and the content-type attribute was checked against TSTInfo above.
    const sd = new pkijs.SignedData({ schema: parsed.signedDataAsn });
    sd.encapContentInfo.eContentType = OID_DATA;
    let verified: pkijs.SignedDataVerifyResult;
    try {
      verified = await sd.verify({ signer: 0, checkChain: false, extendedMode: true });
    } catch (e) {
      const err = e as pkijs.SignedDataVerifyError;
      throw new Error(`the CMS signature does not verify: ${err.message || String(e)}`);
    }
    if (verified.signatureVerified !== true) throw new Error('the CMS signature does not verify with the signer certificate');
    const idx = verified.signerCertificate ? sd.certificates?.indexOf(verified.signerCertificate) ?? -1 : -1;
    const rawSigner = idx >= 0 ? rawCertificates[idx] : undefined;
    if (!rawSigner) throw new Error('the signer certificate is not among the token\'s certificates');
    const ess = checkEssCertId(signerInfo, rawSigner);
    if (ess) throw new Error(ess);
    signerCert = verified.signerCertificate ?? null;
    signatureValid = true;
  } catch (e) {
    problems.push(errorMessage(e));
  }

  // --- chain
  let chainTrusted: boolean | null = null;
  if (wantChain) {
    chainTrusted = false;
    try {
      if (!signerCert) throw new Error('no verified signer certificate to chain');
      const trusted: pkijs.Certificate[] = [];
      for (const pem of opts.trustedCertsPem ?? []) {
        const ders = pemToDerList(pem);
        if (ders.length === 0) problems.push('a trusted certificate is not PEM ("-----BEGIN CERTIFICATE-----"): ignored');
        for (const d of ders) {
          try {
            trusted.push(pkijs.Certificate.fromBER(d));
          } catch (e) {
            problems.push(`a trusted certificate does not parse: ${errorMessage(e)}`);
          }
        }
      }
      if (trusted.length === 0) throw new Error('none of the trusted certificates could be read');
      const eku = timeStampingEkuProblem(signerCert);
      if (eku) throw new Error(eku);
      const signerTbs = Buffer.from(signerCert.tbsView);
      const pinned = trusted.find((t) => Buffer.from(t.tbsView).equals(signerTbs) && Buffer.from(t.signatureValue.valueBlock.valueHexView).equals(Buffer.from(signerCert!.signatureValue.valueBlock.valueHexView)));
      if (pinned) {
        // The TSA certificate itself is trusted (pinned): pkijs' chain engine only takes CAs as
        // anchors, so check it here: valid at genTime.
        const at = tstInfo.genTime.getTime();
        if (at < pinned.notBefore.value.getTime() || at > pinned.notAfter.value.getTime()) throw new Error('the trusted TSA certificate was not valid at genTime');
      } else {
        const intermediates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate && c !== signerCert);
        const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: trusted, certs: [...intermediates, signerCert], checkDate: tstInfo.genTime });
        let chain: pkijs.CertificateChainValidationEngineVerifyResult;
        try {
          chain = await engine.verify();
        } catch (e) {
          throw new Error(`the signer certificate does not chain to a trusted certificate: ${errorMessage(e)}`);
        }
        if (!chain.result) throw new Error(`the signer certificate does not chain to a trusted certificate: ${chain.resultMessage}`);
      }
      chainTrusted = true;
    } catch (e) {
      problems.push(errorMessage(e));
    }
  }

  return result(imprintMatches, signatureValid, chainTrusted, token.genTime);
}
