import type { Kysely } from 'kysely';

/** The vault's rows (tables of migration 0003). Dialect-neutral Kysely queries only. */

export type SealMethod = 'dev' | 'passphrase' | 'shares';

export interface SealRow {
  version: number;
  method: SealMethod;
  kdf: string | null;
  kdfSalt: Buffer | null;
  kdfOpslimit: number | null;
  kdfMemlimit: number | null;
  shares: number | null;
  threshold: number | null;
  checkValue: Buffer;
  indexKey: Buffer;
  createdAt: string;
  retiredAt: string | null;
}

export interface MasterKeyRow {
  version: number;
  sealVersion: number;
  /** null once destroyed. */
  wrapped: Buffer | null;
  createdAt: string;
  retiredAt: string | null;
  destroyedAt: string | null;
}

export interface DataKeyRow {
  id: string;
  masterVersion: number;
  wrapped: Buffer;
  createdAt: string;
}

const b64 = (b: Buffer | null): string | null => (b ? b.toString('base64') : null);
const unb64 = (s: unknown): Buffer | null => (s == null ? null : Buffer.from(String(s), 'base64'));
const num = (v: unknown): number | null => (v == null ? null : Number(v));

function toSeal(r: any): SealRow {
  return {
    version: Number(r.version),
    method: r.method,
    kdf: r.kdf ?? null,
    kdfSalt: unb64(r.kdf_salt),
    kdfOpslimit: num(r.kdf_opslimit),
    kdfMemlimit: num(r.kdf_memlimit),
    shares: num(r.shares),
    threshold: num(r.threshold),
    checkValue: unb64(r.check_value)!,
    indexKey: unb64(r.index_key)!,
    createdAt: r.created_at,
    retiredAt: r.retired_at ?? null,
  };
}

function toMaster(r: any): MasterKeyRow {
  return {
    version: Number(r.version),
    sealVersion: Number(r.seal_version),
    wrapped: unb64(r.wrapped),
    createdAt: r.created_at,
    retiredAt: r.retired_at ?? null,
    destroyedAt: r.destroyed_at ?? null,
  };
}

/** The seal in force (the newest not retired), or undefined before `vault init`. */
export async function currentSeal(db: Kysely<any>): Promise<SealRow | undefined> {
  const r = await db.selectFrom('vault_seals').selectAll().where('retired_at', 'is', null).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return r ? toSeal(r) : undefined;
}

export async function maxSealVersion(db: Kysely<any>): Promise<number> {
  const r = await db.selectFrom('vault_seals').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function insertSeal(db: Kysely<any>, s: SealRow): Promise<void> {
  await db
    .insertInto('vault_seals')
    .values({
      version: s.version,
      method: s.method,
      kdf: s.kdf,
      kdf_salt: b64(s.kdfSalt),
      kdf_opslimit: s.kdfOpslimit,
      kdf_memlimit: s.kdfMemlimit,
      shares: s.shares,
      threshold: s.threshold,
      check_value: b64(s.checkValue),
      index_key: b64(s.indexKey),
      created_at: s.createdAt,
      retired_at: s.retiredAt,
    })
    .execute();
}

export async function retireSealsBefore(db: Kysely<any>, version: number, at: string): Promise<void> {
  await db.updateTable('vault_seals').set({ retired_at: at }).where('version', '<', version).where('retired_at', 'is', null).execute();
}

export async function listMasterKeys(db: Kysely<any>): Promise<MasterKeyRow[]> {
  const rows = await db.selectFrom('vault_master_keys').selectAll().orderBy('version').execute();
  return rows.map(toMaster);
}

export async function insertMasterKey(db: Kysely<any>, m: { version: number; sealVersion: number; wrapped: Buffer; createdAt: string }): Promise<void> {
  await db.insertInto('vault_master_keys').values({ version: m.version, seal_version: m.sealVersion, wrapped: b64(m.wrapped), created_at: m.createdAt }).execute();
}

/** Re-wraps a master key under a new seal (rekey). */
export async function updateMasterKeyWrapping(db: Kysely<any>, version: number, sealVersion: number, wrapped: Buffer): Promise<void> {
  await db.updateTable('vault_master_keys').set({ seal_version: sealVersion, wrapped: b64(wrapped) }).where('version', '=', version).execute();
}

export async function retireMasterKeysBefore(db: Kysely<any>, version: number, at: string): Promise<number[]> {
  const rows = await db.selectFrom('vault_master_keys').select('version').where('version', '<', version).where('retired_at', 'is', null).execute();
  if (rows.length) await db.updateTable('vault_master_keys').set({ retired_at: at }).where('version', '<', version).where('retired_at', 'is', null).execute();
  return rows.map((r) => Number(r.version));
}

/** Destroys the material of a retired master key (the row stays, as a record of it). */
export async function destroyMasterKey(db: Kysely<any>, version: number, at: string): Promise<void> {
  await db.updateTable('vault_master_keys').set({ wrapped: null, destroyed_at: at }).where('version', '=', version).where('retired_at', 'is not', null).execute();
}

export async function countDataKeysByMasterVersion(db: Kysely<any>): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('data_keys')
    .select(['master_version', (eb) => eb.fn.countAll().as('n')])
    .groupBy('master_version')
    .execute();
  return new Map(rows.map((r) => [Number(r.master_version), Number(r.n)]));
}

export async function insertDataKey(db: Kysely<any>, k: DataKeyRow): Promise<void> {
  await db.insertInto('data_keys').values({ id: k.id, master_version: k.masterVersion, wrapped: b64(k.wrapped), created_at: k.createdAt }).execute();
}

export async function getDataKey(db: Kysely<any>, id: string): Promise<DataKeyRow | undefined> {
  const r = await db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, masterVersion: Number(r.master_version), wrapped: unb64(r.wrapped)!, createdAt: r.created_at } : undefined;
}

/** A batch of data keys not yet under `version`, in id order. */
export async function dataKeysNotUnder(db: Kysely<any>, version: number, limit: number): Promise<DataKeyRow[]> {
  const rows = await db.selectFrom('data_keys').selectAll().where('master_version', '<>', version).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, masterVersion: Number(r.master_version), wrapped: unb64(r.wrapped)!, createdAt: r.created_at }));
}

/** Replaces a data key's wrapping, only if nobody re-wrapped it meanwhile. Returns whether it did. */
export async function rewrapDataKey(db: Kysely<any>, id: string, fromVersion: number, toVersion: number, wrapped: Buffer): Promise<boolean> {
  const r = await db
    .updateTable('data_keys')
    .set({ master_version: toVersion, wrapped: b64(wrapped) })
    .where('id', '=', id)
    .where('master_version', '=', fromVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
