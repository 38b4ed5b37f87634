import { resolve } from 'node:path';

/** Configuration from the environment; every variable is optional with an embedded default. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** undefined: SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** undefined: encrypted blobs on disk in the data dir (the evidence vault lands with issue 4). */
  blobs: string | undefined;
  vault: 'dev' | 'sealed';
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
  logLevel: string;
  /** Jobs the in-process worker of `letapis serve` runs at once; 0: no in-process worker (LETAPIS_WORKERS). */
  workers: number;
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
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^(postgres(ql)?:\/\/|sqlite:)/.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (SQLite file)');
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: resolve(env.LETAPIS_DATA_DIR?.trim() || './data'),
    databaseUrl,
    blobs: env.LETAPIS_BLOBS?.trim() || undefined,
    vault,
    bodyLimit,
    logLevel: env.LOG_LEVEL ?? 'info',
    workers,
  };
}
