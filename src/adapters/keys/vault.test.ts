import { afterEach, beforeEach, expect, inject, it, vi } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { describeEachDialect } from '../../test-support/dialects.js';
import { migrateToLatest, openDatabase, type Database } from '../db/database.js';
import { dropSchema } from '../db/dialects/postgres/postgres.dialect.js';
import { generateDataKey, FieldDecryptionError } from './field-cipher.js';
import { formatShare, parseShare, type KdfParams } from './root-key.js';
import { DEV_VAULT_WARNING, devKeyFilePath } from './dev-key-file.js';
import { KeyVault, UnsealError, VaultStateError, openVault } from './vault.js';
import { initVault, rekeyVault, rotateMasterKey } from './vault-admin.js';
import { createDataKey, loadDataKey } from './data-keys.js';
import { insertDataKey, listMasterKeys } from './vault.repository.js';
import { VaultSealedError } from './vault.port.js';

/** Cheap argon2id for tests (the real default costs ~1.6 s per derivation). */
const TEST_KDF: KdfParams = { opslimit: 1, memlimit: 8 * 1024 * 1024 };
const PASSPHRASE = 'correct horse battery staple of minsk';

describeEachDialect('key vault', (dialect) => {
  let database: Database;
  let db: Kysely<any>;
  let dataDir: string;
  let schema: string | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'letapis-vault-'));
    schema = dialect === 'postgres' ? `v_${randomBytes(5).toString('hex')}` : undefined;
    database = await openDatabase({ url: dialect === 'postgres' ? inject('pgUrl') : undefined, dataDir, schema });
    db = database.db;
    await migrateToLatest(db, database.dialect);
  });
  afterEach(async () => {
    await database.close();
    if (schema) await dropSchema(inject('pgUrl'), schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sealedVault = () => openVault({ mode: 'sealed', db, dataDir });

  it('dev: creates its key file (0600, in a 0700 folder) on first start and reuses it', async () => {
    const first = await openVault({ mode: 'dev', db, dataDir });
    expect(first.isSealed()).toBe(false);
    const file = devKeyFilePath(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(file).size).toBe(32);
    const bytes = readFileSync(file);
    const { id, key } = await createDataKey(db, first);

    const second = await openVault({ mode: 'dev', db, dataDir });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect((await loadDataKey(db, second, id)).equals(key)).toBe(true);
    expect(second.blindIndexKey().equals(first.blindIndexKey())).toBe(true);
    expect(DEV_VAULT_WARNING).toMatch(/DEV MODE/);
  });

  it('dev: refuses a missing, foreign or world-readable key file with a clear message', async () => {
    await openVault({ mode: 'dev', db, dataDir });
    const file = devKeyFilePath(dataDir);
    const saved = readFileSync(file);
    chmodSync(file, 0o644);
    await expect(openVault({ mode: 'dev', db, dataDir })).rejects.toThrow(/chmod 600/);
    writeFileSync(file, randomBytes(32), { mode: 0o600 });
    chmodSync(file, 0o600);
    await expect(openVault({ mode: 'dev', db, dataDir })).rejects.toThrow(/another installation/);
    rmSync(file);
    await expect(openVault({ mode: 'dev', db, dataDir })).rejects.toThrow(/is missing/);
    writeFileSync(file, saved, { mode: 0o600 });
    await expect(openVault({ mode: 'dev', db, dataDir })).resolves.toBeInstanceOf(KeyVault);
  });

  it('sealed, passphrase: starts sealed, and unseals with the right passphrase only', async () => {
    const admin = await sealedVault();
    expect(admin.status()).toMatchObject({ initialized: false, sealed: true });
    await expect(initVault(db, admin, { method: 'passphrase', passphrase: 'too short', kdf: TEST_KDF })).rejects.toThrow(/at least 16/);
    await initVault(db, admin, { method: 'passphrase', passphrase: PASSPHRASE, kdf: TEST_KDF });
    const { id, key } = await createDataKey(db, admin);
    await expect(initVault(db, admin, { method: 'passphrase', passphrase: PASSPHRASE, kdf: TEST_KDF })).rejects.toThrow(VaultStateError);

    const server = await sealedVault();
    expect(server.status()).toMatchObject({ initialized: true, method: 'passphrase', sealed: true });
    await expect(loadDataKey(db, server, id)).rejects.toThrow(VaultSealedError);
    await expect(server.unsealWithPassphrase(`${PASSPHRASE}!`)).rejects.toThrow(UnsealError);
    expect(server.isSealed()).toBe(true);
    await expect(server.submitShare('LS1-1-1of5-00-00000000')).rejects.toThrow(/not by shares/);
    await server.unsealWithPassphrase(PASSPHRASE);
    expect(server.isSealed()).toBe(false);
    expect((await loadDataKey(db, server, id)).equals(key)).toBe(true);
    // nothing secret is stored in clear: the root key derivation's salt and params, a check value
    const [row] = await db.selectFrom('vault_seals').selectAll().execute();
    expect(row).toMatchObject({ method: 'passphrase', kdf: 'argon2id13', kdf_opslimit: 1, kdf_memlimit: 8 * 1024 * 1024 });
    expect(JSON.stringify(row)).not.toContain(PASSPHRASE);
  });

  it('sealed, shares: 2 of 3 leave it sealed; any 3 of the 5 unseal it', async () => {
    const admin = await sealedVault();
    const { shares } = await initVault(db, admin, { method: 'shares', shares: 5, threshold: 3 });
    expect(shares).toHaveLength(5);
    expect(shares!.map((s) => parseShare(s).index)).toEqual([1, 2, 3, 4, 5]);
    const { id, key } = await createDataKey(db, admin);
    // the shares are printed, never stored
    const stored = JSON.stringify(await db.selectFrom('vault_seals').selectAll().execute());
    for (const s of shares!) expect(stored).not.toContain(parseShare(s).bytes.toString('hex').slice(0, 16));

    const twoOnly = await sealedVault();
    expect((await twoOnly.submitShare(shares![0]!)).received).toBe(1);
    expect(await twoOnly.submitShare(shares![3]!)).toMatchObject({ sealed: true, threshold: 3, received: 2 });
    expect(() => twoOnly.wrapDataKey(generateDataKey())).toThrow(VaultSealedError);

    const combos: number[][] = [];
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) for (let c = b + 1; c < 5; c++) combos.push([a, b, c]);
    expect(combos).toHaveLength(10);
    for (const combo of combos) {
      const v = await sealedVault();
      let st;
      for (const i of combo) st = await v.submitShare(shares![i]!);
      expect(st, `shares ${combo.map((i) => i + 1).join(',')}`).toMatchObject({ sealed: false, received: 0 });
      expect((await loadDataKey(db, v, id)).equals(key)).toBe(true);
    }
  });

  it('sealed, shares: refuses a mistyped share, a repeated one, and a wrong combination without saying which', async () => {
    const admin = await sealedVault();
    const { shares } = await initVault(db, admin, { method: 'shares', shares: 5, threshold: 3 });
    const v = await sealedVault();
    await v.submitShare(shares![0]!);

    // one hex digit changed: the check digits catch it, and nothing is counted
    const s2 = shares![1]!;
    const pos = s2.indexOf('of5-') + 10;
    const typo = s2.slice(0, pos) + (s2[pos] === '0' ? '1' : '0') + s2.slice(pos + 1);
    await expect(v.submitShare(typo)).rejects.toThrow(/mistyped or damaged/);
    await expect(v.submitShare('hello')).rejects.toThrow(/not a Letapis vault share/);
    await expect(v.submitShare(shares![0]!)).rejects.toThrow(/already submitted/);
    expect(v.status()).toMatchObject({ sealed: true, received: 1 });

    // a forged share with valid check digits: only the combination can tell, and it says no more
    const p = parseShare(shares![1]!);
    p.bytes[0]! ^= 0xff;
    await v.submitShare(formatShare(p));
    const err = await v.submitShare(shares![2]!).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnsealError);
    expect((err as Error).message).toMatch(/do not open the vault: at least one of them is wrong/);
    expect((err as Error).message).not.toMatch(/share [0-9] /);
    expect(v.status()).toMatchObject({ sealed: true, received: 0 });
    // the right ones still work afterwards
    for (const s of [shares![1]!, shares![2]!, shares![4]!]) await v.submitShare(s);
    expect(v.isSealed()).toBe(false);
  });

  it('seal wipes the keys: wrap, unwrap and the blind-index key throw VaultSealedError', async () => {
    const admin = await sealedVault();
    await initVault(db, admin, { method: 'passphrase', passphrase: PASSPHRASE, kdf: TEST_KDF });
    const w = admin.wrapDataKey(generateDataKey(), 'k1');
    const held = admin.withMasterKey(w.masterVersion, (k) => k);
    expect(held.some((b) => b !== 0)).toBe(true);
    admin.seal();
    expect(admin.isSealed()).toBe(true);
    expect(held.every((b) => b === 0)).toBe(true);
    expect(() => admin.wrapDataKey(generateDataKey())).toThrow(VaultSealedError);
    expect(() => admin.unwrapDataKey(w, 'k1')).toThrow(VaultSealedError);
    expect(() => admin.blindIndexKey()).toThrow(VaultSealedError);
    expect(() => admin.blindIndex('x', 'person-name')).toThrow(VaultSealedError);
    await admin.unsealWithPassphrase(PASSPHRASE);
    expect(admin.unwrapDataKey(w, 'k1')).toHaveLength(32);
    expect(() => admin.unwrapDataKey(w, 'k2')).toThrow(FieldDecryptionError);
  });

  it('rotation re-wraps every data key in batches; the keys stay the same; the old version is retired, then destroyed', async () => {
    const admin = await sealedVault();
    await initVault(db, admin, { method: 'passphrase', passphrase: PASSPHRASE, kdf: TEST_KDF });
    const other = await sealedVault(); // a second server process, unsealed before the rotation
    await other.unsealWithPassphrase(PASSPHRASE);
    const keys = new Map<string, Buffer>();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 230; i++) {
        const { id, key } = await createDataKey(trx, admin);
        keys.set(id, key);
      }
    });
    const indexBefore = admin.blindIndex('aliaksandra prykladnaja', 'person-name');
    const progress: number[] = [];
    const r = await rotateMasterKey(db, admin, { batchSize: 100, onProgress: (p) => progress.push(p.rewrapped) });
    expect(r).toMatchObject({ version: 2, retired: [1], destroyed: [], rewrapped: 230 });
    expect(progress).toEqual([100, 200, 230]);
    const rows = await db.selectFrom('data_keys').select('master_version').distinct().execute();
    expect(rows.map((x) => Number(x.master_version))).toEqual([2]);
    for (const [id, key] of keys) expect((await loadDataKey(db, admin, id)).equals(key)).toBe(true);
    let masters = await listMasterKeys(db);
    expect(masters.map((m) => [m.version, Boolean(m.retiredAt), Boolean(m.wrapped)])).toEqual([
      [1, true, true],
      [2, false, true],
    ]);
    expect(admin.blindIndex('aliaksandra prykladnaja', 'person-name')).toBe(indexBefore);

    // the other process loads version 2 when it meets it; meanwhile it wrote under version 1
    const stragglerKey = generateDataKey();
    const straggler = other.wrapDataKey(stragglerKey, 'straggler');
    expect(straggler.masterVersion).toBe(1);
    await insertDataKey(db, { id: 'straggler', masterVersion: 1, wrapped: straggler.wrapped, createdAt: new Date().toISOString() });
    const [someId, someKey] = [...keys][0]!;
    expect((await loadDataKey(db, other, someId)).equals(someKey)).toBe(true);
    expect(other.status().masterVersion).toBe(2);
    const late = await createDataKey(db, other);
    expect(late.id).toBeTruthy();

    // the next rotation destroys version 1 (no data key uses it any more)
    const r2 = await rotateMasterKey(db, admin);
    expect(r2).toMatchObject({ version: 3, retired: [2], destroyed: [1] });
    masters = await listMasterKeys(db);
    expect(masters.find((m) => m.version === 1)).toMatchObject({ wrapped: null });
    expect(masters.find((m) => m.version === 1)?.destroyedAt).toBeTruthy();
    await other.refresh();
    expect(other.loadedMasterVersions()).toEqual([2, 3]);
    expect((await loadDataKey(db, other, late.id)).equals(late.key)).toBe(true);
    expect((await loadDataKey(db, other, someId)).equals(someKey)).toBe(true);
    expect((await loadDataKey(db, admin, 'straggler')).equals(stragglerKey)).toBe(true); // swept up to version 3
  });

  it('rotation with new shares: the old shares stop working, the new ones open the same keys, other processes seal themselves', async () => {
    const admin = await sealedVault();
    const first = await initVault(db, admin, { method: 'shares', shares: 5, threshold: 3 });
    const other = await sealedVault();
    for (const s of first.shares!.slice(0, 3)) await other.submitShare(s);
    const { id, key } = await createDataKey(db, admin);

    const rekeyed = await rekeyVault(db, admin, { method: 'shares', shares: 4, threshold: 2 });
    await rotateMasterKey(db, admin);
    expect(rekeyed).toMatchObject({ sealVersion: 2, threshold: 2 });
    expect(rekeyed.shares).toHaveLength(4);
    expect(parseShare(rekeyed.shares![0]!).sealVersion).toBe(2);

    await other.refresh();
    expect(other.status()).toMatchObject({ sealed: true, sealVersion: 2, reason: expect.stringMatching(/re-keyed/) });
    await expect(other.submitShare(first.shares![0]!)).rejects.toThrow(/earlier set of shares/);
    await other.submitShare(rekeyed.shares![3]!);
    await other.submitShare(rekeyed.shares![1]!);
    expect(other.isSealed()).toBe(false);
    expect((await loadDataKey(db, other, id)).equals(key)).toBe(true);
  });

  it('watch(): a server process notices a rotation, then a re-key, by itself', async () => {
    const admin = await sealedVault();
    await initVault(db, admin, { method: 'passphrase', passphrase: PASSPHRASE, kdf: TEST_KDF });
    const server = await sealedVault();
    await server.unsealWithPassphrase(PASSPHRASE);
    const stop = server.watch(20);
    try {
      await rotateMasterKey(db, admin);
      await vi.waitFor(() => expect(server.status().masterVersion).toBe(2));
      await rekeyVault(db, admin, { method: 'passphrase', passphrase: `${PASSPHRASE} anew`, kdf: TEST_KDF });
      await vi.waitFor(() => expect(server.status()).toMatchObject({ sealed: true, sealVersion: 2 }));
      expect(() => server.wrapDataKey(generateDataKey())).toThrow(/re-keyed/);
    } finally {
      stop();
    }
  });

  it('init on a database still in dev mode re-keys it and wipes the key file', async () => {
    const dev = await openVault({ mode: 'dev', db, dataDir });
    const { id, key } = await createDataKey(db, dev);
    const admin = await sealedVault();
    expect(admin.status()).toMatchObject({ method: 'dev', sealed: true });
    await initVault(db, admin, { method: 'passphrase', passphrase: PASSPHRASE, kdf: TEST_KDF });
    expect(() => statSync(devKeyFilePath(dataDir))).toThrow();
    await expect(openVault({ mode: 'dev', db, dataDir })).rejects.toThrow(/set LETAPIS_VAULT=sealed/);
    const server = await sealedVault();
    await server.unsealWithPassphrase(PASSPHRASE);
    expect((await loadDataKey(db, server, id)).equals(key)).toBe(true);
  });
});
