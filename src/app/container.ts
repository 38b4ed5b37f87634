import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, type DialectName } from '../adapters/db/database.js';
import { seedVocabularies } from '../modules/vocabularies/vocabularies.usecases.js';
import { VOCABULARY_SEED } from '../domain/vocabularies/seed.js';
import { openVault, type KeyVault } from '../adapters/keys/vault.js';
import type { BlobStore } from '../adapters/blobs/blob-store.port.js';
import { DiskBlobStore } from '../adapters/blobs/disk/disk.store.js';
import { S3BlobStore } from '../adapters/blobs/s3/s3.store.js';

/**
 * The one place that picks drivers from configuration and wires the ports the use cases need.
 */
export interface Container {
  config: Config;
  db: Kysely<any>;
  dialect: DialectName;
  describe: { database: string; storage: string };
  /** The key vault: unsealed in dev mode, sealed until unsealed in sealed mode. */
  vault: KeyVault;
  /**
   * The blob store driver (disk or S3, from LETAPIS_BLOBS). It holds ciphertext only when written
   * through `ingestBlob` or an `EncryptedBlobStore` over it: evidence never goes to it directly.
   */
  blobs: BlobStore;
  close(): Promise<void>;
}

/** The blob store driver the configuration names. */
export function createBlobStore(config: Config): BlobStore {
  const b = config.blobStore;
  if (b.driver === 'disk') return new DiskBlobStore(b.dir);
  return new S3BlobStore({
    bucket: b.bucket,
    prefix: b.prefix,
    endpoint: b.endpoint,
    region: b.region,
    forcePathStyle: b.forcePathStyle,
    credentials: b.credentials,
    checksums: b.checksums,
  });
}

export interface ContainerOptions {
  /** PostgreSQL schema to confine to (tests). */
  schema?: string;
  /** Run migrations and seed vocabularies (default true). */
  migrate?: boolean;
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: opts.schema });
  let vault: KeyVault;
  try {
    if (opts.migrate !== false) {
      await migrateToLatest(database.db, database.dialect);
      await seedVocabularies(database.db, VOCABULARY_SEED);
    }
    vault = await openVault({ mode: config.vault, db: database.db, dataDir: config.dataDir });
  } catch (e) {
    await database.close();
    throw e;
  }
  const blobs = createBlobStore(config);
  return {
    config,
    db: database.db,
    dialect: database.dialect,
    vault,
    blobs,
    describe: {
      database: database.describe,
      storage: `${config.blobStore.driver === 'disk' ? `blobs on disk under ${config.blobStore.dir}` : `blobs in ${blobs.describe}`}, encrypted per blob`,
    },
    close: async () => {
      vault.seal();
      await blobs.close();
      await database.close();
    },
  };
}
