import { resolve } from 'node:path';
import { canonicalLanguageTag, DEFAULT_TRANSLATION_LANGUAGES } from '../domain/languages.js';

/** Configuration from the environment; every variable is optional with an embedded default. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** undefined: SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** LETAPIS_BLOBS as given (undefined: encrypted blobs on disk in the data dir). */
  blobs: string | undefined;
  /** Where blobs are stored, parsed from LETAPIS_BLOBS (see `parseBlobsConfig`). */
  blobStore: BlobsConfig;
  vault: 'dev' | 'sealed';
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
  /** Largest evidence file taken in (CLI, resumable uploads), in bytes. */
  maxUploadBytes: number;
  /** Largest file in a plain multipart upload, in bytes (larger: use the resumable upload). */
  multipartMaxBytes: number;
  logLevel: string;
  /** Jobs the in-process worker of `letapis serve` runs at once; 0: no in-process worker (LETAPIS_WORKERS). */
  workers: number;
  /** The custody ledger: checkpoints, witnesses, timestamps (see `parseLedgerConfig`). */
  ledger: LedgerConfig;
  /** The languages translations are offered in and queued for (LETAPIS_TRANSLATION_LANGUAGES, comma-separated BCP 47 tags; default be,ru,en). */
  translationLanguages: string[];
}

export interface LedgerConfig {
  /** Checkpoint origin (the log's name) for a new ledger; once a signing key exists its name wins. */
  origin: string | undefined;
  /** Sign a checkpoint once this many events follow the last one (LETAPIS_CHECKPOINT_EVENTS). */
  checkpointEvents: number;
  /** …or once this many minutes passed since it, if anything was appended (LETAPIS_CHECKPOINT_MINUTES). */
  checkpointMinutes: number;
  /** Witnesses' cosignature verifier keys (LETAPIS_WITNESSES, comma-separated). */
  witnesses: string[];
  /** How many of them must cosign for a checkpoint to count as witnessed (LETAPIS_WITNESS_QUORUM; default all). */
  witnessQuorum: number;
  /** RFC 3161 time-stamping authorities asked to timestamp each checkpoint (LETAPIS_TSA_URLS). */
  tsaUrls: string[];
}

export class ConfigError extends Error {}

/**
 * Reads the configuration from environment variables.
 *
 * @example loadConfig({ PORT: '9090' }).port // → 9090
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`);
  const vault = (env.LETAPIS_VAULT ?? 'dev') as Config['vault'];
  if (vault !== 'dev' && vault !== 'sealed') throw new ConfigError(`LETAPIS_VAULT must be "dev" or "sealed", not "${env.LETAPIS_VAULT}"`);
  const bodyLimit = env.LETAPIS_BODY_LIMIT ? Number(env.LETAPIS_BODY_LIMIT) : 1024 * 1024;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('LETAPIS_BODY_LIMIT must be a byte count of at least 1024');
  const workers = env.LETAPIS_WORKERS?.trim() ? Number(env.LETAPIS_WORKERS) : 2;
  if (!Number.isInteger(workers) || workers < 0 || workers > 64)
    throw new ConfigError(`LETAPIS_WORKERS must be a whole number from 0 (no in-process worker) to 64, not "${env.LETAPIS_WORKERS}"`);
  const bytes = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`${name} must be a byte count, not "${raw}"`);
    return n;
  };
  const maxUploadBytes = bytes('LETAPIS_MAX_UPLOAD_BYTES', 16 * 1024 ** 3);
  const multipartMaxBytes = bytes('LETAPIS_MULTIPART_MAX_BYTES', 100 * 1024 ** 2);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^(postgres(ql)?:\/\/|sqlite:)/.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (SQLite file)');
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: resolve(env.LETAPIS_DATA_DIR?.trim() || './data'),
    databaseUrl,
    blobs: env.LETAPIS_BLOBS?.trim() || undefined,
    blobStore: parseBlobsConfig(env.LETAPIS_BLOBS, env, resolve(env.LETAPIS_DATA_DIR?.trim() || './data')),
    vault,
    bodyLimit,
    maxUploadBytes,
    multipartMaxBytes,
    logLevel: env.LOG_LEVEL ?? 'info',
    workers,
    ledger: parseLedgerConfig(env),
    translationLanguages: parseTranslationLanguages(env.LETAPIS_TRANSLATION_LANGUAGES),
  };
}

/**
 * Reads LETAPIS_TRANSLATION_LANGUAGES: comma-separated BCP 47 language tags, canonicalised, in the
 * order given (unset or empty: be, ru, en).
 *
 * @example parseTranslationLanguages('be,ru,en,UK') // ['be', 'ru', 'en', 'uk']
 */
export function parseTranslationLanguages(value: string | undefined): string[] {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return [...DEFAULT_TRANSLATION_LANGUAGES];
  const out: string[] = [];
  for (const item of items) {
    const tag = canonicalLanguageTag(item);
    if (!tag) throw new ConfigError(`LETAPIS_TRANSLATION_LANGUAGES: "${item}" is not a language tag such as be, ru, en, uk or pl (BCP 47)`);
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > 50) throw new ConfigError('LETAPIS_TRANSLATION_LANGUAGES: at most 50 languages');
  return out;
}

/**
 * Reads the ledger settings. Witness keys are checked for shape here and for their key id when the
 * ledger uses them.
 *
 * @example parseLedgerConfig({ LETAPIS_WITNESSES: 'a+1234abcd+BASE64,b+…', LETAPIS_WITNESS_QUORUM: '1' }).witnessQuorum // 1
 */
export function parseLedgerConfig(env: NodeJS.ProcessEnv): LedgerConfig {
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const origin = env.LETAPIS_LEDGER_ORIGIN?.trim() || undefined;
  if (origin !== undefined && !/^[\x21-\x7e]+$/.test(origin)) throw new ConfigError('LETAPIS_LEDGER_ORIGIN must be printable ASCII without spaces, e.g. "ledger.example.org/letapis"');
  const witnesses = list('LETAPIS_WITNESSES');
  for (const w of witnesses)
    if (!/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(w)) throw new ConfigError(`LETAPIS_WITNESSES: "${w}" is not a verifier key (name+keyid+base64)`);
  const witnessQuorum = whole('LETAPIS_WITNESS_QUORUM', witnesses.length, 0, witnesses.length);
  const tsaUrls = list('LETAPIS_TSA_URLS');
  for (const u of tsaUrls) if (!/^https?:\/\/[^/]+/.test(u)) throw new ConfigError(`LETAPIS_TSA_URLS: "${u}" is not an http(s) URL`);
  return {
    origin,
    checkpointEvents: whole('LETAPIS_CHECKPOINT_EVENTS', 1000, 1, 1_000_000_000),
    checkpointMinutes: whole('LETAPIS_CHECKPOINT_MINUTES', 10, 0, 60 * 24 * 7),
    witnesses,
    witnessQuorum,
    tsaUrls,
  };
}

/** Where blobs live: a folder, or an S3 bucket. */
export type BlobsConfig =
  | { driver: 'disk'; dir: string }
  | {
      driver: 's3';
      bucket: string;
      prefix: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      /** From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; undefined: the SDK's default chain. */
      credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
      /** `when_required` for servers that do not understand the SDK's default checksums (s3rver, some others). */
      checksums: 'when_supported' | 'when_required';
    };

const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle', 'checksums']);

/**
 * Parses LETAPIS_BLOBS: unset, the folder `<dataDir>/blobs`; an absolute path or `file:///path`,
 * that folder; `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true&checksums=when_required`,
 * an S3 bucket. Credentials come from the standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
 * (and AWS_SESSION_TOKEN), never from the URL; without them the SDK's default chain (profiles,
 * instance roles) is used. The region defaults to AWS_REGION, then us-east-1; path-style
 * addressing defaults to on when an endpoint is given (MinIO, Ceph, s3rver), off for AWS.
 *
 * @example parseBlobsConfig('s3://evidence/letapis?endpoint=http://127.0.0.1:9000', {}, '/srv/data').driver // 's3'
 */
export function parseBlobsConfig(raw: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): BlobsConfig {
  const value = raw?.trim();
  if (!value) return { driver: 'disk', dir: resolve(dataDir, 'blobs') };
  if (value.startsWith('/')) return { driver: 'disk', dir: resolve(value) };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`LETAPIS_BLOBS must be an absolute folder, file:///folder or s3://bucket/prefix?endpoint=…, not "${value}"`);
  }
  if (url.protocol === 'file:') return { driver: 'disk', dir: resolve(decodeURIComponent(url.pathname)) };
  if (url.protocol !== 's3:') throw new ConfigError(`LETAPIS_BLOBS must start with s3:// (a bucket) or be a folder, not "${url.protocol}…"`);
  if (url.username || url.password) throw new ConfigError('LETAPIS_BLOBS must not carry credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead');
  const bucket = url.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`LETAPIS_BLOBS: "${bucket}" is not an S3 bucket name (3 to 63 lowercase letters, digits, dots, hyphens)`);
  for (const k of url.searchParams.keys())
    if (!S3_PARAMS.has(k)) throw new ConfigError(`LETAPIS_BLOBS: unknown parameter "${k}" (known: ${[...S3_PARAMS].join(', ')})`);
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) throw new ConfigError(`LETAPIS_BLOBS: endpoint must be an http:// or https:// URL, not "${endpoint}"`);
  const flag = (name: string, fallback: boolean): boolean => {
    const v = url.searchParams.get(name);
    if (v === null || v === '') return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw new ConfigError(`LETAPIS_BLOBS: ${name} must be true or false, not "${v}"`);
  };
  const checksums = (url.searchParams.get('checksums') ?? 'when_supported').toLowerCase().replace(/-/g, '_');
  if (checksums !== 'when_supported' && checksums !== 'when_required') throw new ConfigError('LETAPIS_BLOBS: checksums must be when_supported or when_required');
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new ConfigError('set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (to use the AWS default credential chain)');
  const sessionToken = env.AWS_SESSION_TOKEN?.trim() || undefined;
  return {
    driver: 's3',
    bucket,
    prefix: decodeURIComponent(url.pathname).replace(/^\/+/, ''),
    endpoint,
    region: url.searchParams.get('region') || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    forcePathStyle: flag('forcePathStyle', endpoint !== undefined),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined,
    checksums,
  };
}
