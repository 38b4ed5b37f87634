import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, type DialectName } from '../adapters/db/database.js';
import { seedVocabularies } from '../modules/vocabularies/vocabularies.usecases.js';
import { VOCABULARY_SEED } from '../domain/vocabularies/seed.js';
import { openVault, type KeyVault } from '../adapters/keys/vault.js';

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
  close(): Promise<void>;
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
  return {
    config,
    db: database.db,
    dialect: database.dialect,
    vault,
    describe: {
      database: database.describe,
      storage: config.blobs ? `blobs at ${config.blobs.replace(/\?.*$/, '')}` : `blobs on disk under ${config.dataDir}/blobs`,
    },
    close: () => (vault.seal(), database.close()),
  };
}
