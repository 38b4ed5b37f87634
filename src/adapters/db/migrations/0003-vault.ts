import type { Kysely } from 'kysely';

/**
 * 0003: the key vault's tables, shared by every process on the database. No secret is stored in
 * clear: the root key (from the key file, a passphrase or Shamir shares) is never stored; master
 * keys and the blind-index key are stored wrapped under it; data keys are wrapped under a master key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // one row per root key ("seal"): how it is obtained, and a check value to recognise it
  await db.schema
    .createTable('vault_seals')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('method', 'text', (c) => c.notNull()) // dev | passphrase | shares
    .addColumn('kdf', 'text') // argon2id13 (passphrase)
    .addColumn('kdf_salt', 'text') // base64
    .addColumn('kdf_opslimit', 'integer')
    .addColumn('kdf_memlimit', 'bigint') // bytes (may pass 2 GiB)
    .addColumn('shares', 'integer')
    .addColumn('threshold', 'integer')
    .addColumn('check_value', 'text', (c) => c.notNull()) // base64 AEAD of a constant under the root key
    .addColumn('index_key', 'text', (c) => c.notNull()) // base64: the blind-index key wrapped under the root key
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();

  // master key versions: each wraps data keys; rotation adds one and retires the one before
  await db.schema
    .createTable('vault_master_keys')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('seal_version', 'integer', (c) => c.notNull().references('vault_seals.version'))
    .addColumn('wrapped', 'text') // base64 under the root key; null once destroyed
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('destroyed_at', 'text')
    .execute();

  // per-record (or per-blob) data keys, wrapped under a master key version with their id as AAD
  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('master_version', 'integer', (c) => c.notNull().references('vault_master_keys.version'))
    .addColumn('wrapped', 'text', (c) => c.notNull()) // base64
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_keys_master_version_idx').on('data_keys').columns(['master_version', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_keys').execute();
  await db.schema.dropTable('vault_master_keys').execute();
  await db.schema.dropTable('vault_seals').execute();
}
