import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import _sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import type { Actor } from '../../domain/policies.js';
import { generateCodename, normalizeCodename } from '../../domain/drop/codename.js';
import { sourceKeyPair, sourceToken, type DropSodium } from '../../domain/drop/source-keys.js';
import { makeActor } from '../../test-support/actors.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { ACQUISITION_TYPE, readSecretTexts } from '../evidence/evidence.usecases.js';
import { ensureDropKeys, readDropPublicInfo } from './drop-keys.js';
import { comeBack, listDropQueue, openDropSubmission, replyToDropSource, submitToDrop, takeDropFileIn, type DropDeps } from './drop.usecases.js';

// What the source's page does, with the browser's library: derive keys and token, seal the parts.
const enc = (s: string) => new TextEncoder().encode(s);
const FILE_TEXT = 'Pratakol: the detention list of cell 4, Vulica Akrescina, for the lawyer Ales Prykladny';
const MESSAGE_TEXT = 'Hello, I am a guard at an invented prison; the list is attached. Marker ZX-drop-message-81';
const FILE_NAME = 'spis-kamera-4-ZX81.txt';

describeEachDialect('anonymous drop', (dialect) => {
  let c: Container;
  let deps: DropDeps;
  let coordinator: Actor;
  let documenter: Actor;
  let web: typeof _sodium;
  let codename: string;
  let salt: Uint8Array;
  let orgKey: Uint8Array;

  beforeAll(async () => {
    await _sodium.ready;
    web = _sodium;
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    coordinator = await makeActor(c.db, 'coordinator', 'drop-hanna');
    documenter = await makeActor(c.db, 'documenter', 'drop-pavel');
    const info = await ensureDropKeys(c.db, c.vault);
    expect(await ensureDropKeys(c.db, c.vault)).toEqual(info); // made once
    salt = Buffer.from(info.salt, 'base64');
    orgKey = Buffer.from(info.publicKey, 'base64');
    codename = generateCodename('latin', (n) => web.randombytes_buf(n));
  }, 60_000);

  afterAll(async () => {
    await c?.close();
  });

  const asWeb = () => web as unknown as DropSodium;

  async function submit(files: Uint8Array[], message: object) {
    const kp = sourceKeyPair(asWeb(), codename, salt);
    return submitToDrop(deps, {
      token: sourceToken(asWeb(), codename, salt),
      publicKey: kp.publicKey,
      message: web.crypto_box_seal(enc(JSON.stringify(message)), orgKey),
      files: files.map((f) => [web.crypto_box_seal(f, orgKey)]),
    });
  }

  function blobFiles(): string[] {
    const dir = c.config.blobStore.driver === 'disk' ? c.config.blobStore.dir : '';
    const out: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else out.push(p);
      }
    };
    if (existsSync(dir)) walk(dir);
    return out;
  }

  /** Every byte the server keeps: the database (file or table dump) and the blob folder. */
  async function storedBytes(): Promise<string> {
    const parts: string[] = blobFiles().map((f) => readFileSync(f).toString('latin1'));
    if (dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(c.db).catch(() => {});
      const file = join(c.config.dataDir, 'letapis.db');
      for (const f of [file, `${file}-wal`]) if (existsSync(f)) parts.push(readFileSync(f).toString('latin1'));
    } else {
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(c.db);
      for (const { table_name } of tables.rows) {
        const rows = await sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(table_name)} t`.execute(c.db);
        parts.push(...rows.rows.map((r) => r.j));
      }
    }
    return parts.join('\n');
  }

  it('stores a submission as ciphertext only: no message, file, file name or codename anywhere on the server', async () => {
    const { day } = await submit([enc(FILE_TEXT)], { v: 1, text: MESSAGE_TEXT, files: [{ name: FILE_NAME, type: 'text/plain' }] });
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const stored = await storedBytes();
    expect(stored).toContain(day); // the dump is real: the day is there
    const token = Buffer.from(sourceToken(asWeb(), codename, salt));
    for (const needle of [FILE_TEXT, 'Akrescina', MESSAGE_TEXT, 'ZX-drop-message-81', FILE_NAME, codename, codename.split(' ')[0]! + ' ' + codename.split(' ')[1]!, token.toString('hex'), token.toString('base64')]) {
      expect(stored.includes(needle), needle).toBe(false);
    }
    // no time finer than the day, no address: the rows hold exactly these columns
    const sub = await c.db.selectFrom('drop_submissions').selectAll().executeTakeFirstOrThrow();
    expect(Object.keys(sub).sort()).toEqual(['day', 'id', 'source_id', 'state']);
    const src = await c.db.selectFrom('drop_sources').selectAll().executeTakeFirstOrThrow();
    expect(Object.keys(src).sort()).toEqual(['created_day', 'id', 'lookup', 'public_key']);
  });

  it('shows the intake queue to coordinators only, with days and sizes', async () => {
    await expect(listDropQueue(deps, documenter)).rejects.toThrow(/coordinators/);
    const q = await listDropQueue(deps, coordinator);
    expect(q.counts).toEqual({ new: 1, opened: 0 });
    expect(q.submissions[0]!.files).toHaveLength(1);
    expect(q.submissions[0]!.files[0]!.size).toBe(enc(FILE_TEXT).byteLength + 48);
  });

  it('lets a coordinator open the message and take the file in as evidence, whose custody starts there', async () => {
    const [entry] = (await listDropQueue(deps, coordinator)).submissions;
    await expect(openDropSubmission(deps, documenter, entry!.id)).rejects.toThrow(/coordinators/);
    const opened = await openDropSubmission(deps, coordinator, entry!.id);
    expect(opened.message).toEqual({ v: 1, text: MESSAGE_TEXT, files: [{ name: FILE_NAME, type: 'text/plain' }] });
    expect(opened.state).toBe('opened');
    const outcome = await takeDropFileIn(deps, coordinator, entry!.files[0]!.id);
    expect(outcome.item.sha256).toBe(createHash('sha256').update(FILE_TEXT).digest('hex'));
    expect(outcome.acquisition.method).toBe('anonymous-drop');
    // the file name the source gave (inside the sealed message) is kept, encrypted, on the acquisition
    expect((await readSecretTexts(c.db, c.vault, ACQUISITION_TYPE, [outcome.acquisition.id])).get(outcome.acquisition.id)?.filename).toBe(FILE_NAME);
    const events = await c.db.selectFrom('audit_events').select(['action', 'target_id']).where('action', 'in', ['evidence.acquire', 'drop.open', 'drop.take-in']).execute();
    expect(events.map((e) => e.action).sort()).toEqual(['drop.open', 'drop.take-in', 'evidence.acquire']);
    expect(events.find((e) => e.action === 'evidence.acquire')!.target_id).toBe(outcome.item.id);
    await expect(takeDropFileIn(deps, coordinator, entry!.files[0]!.id)).rejects.toThrow(/already evidence item/);
    expect((await listDropQueue(deps, coordinator)).submissions[0]!.files[0]!.evidenceId).toBe(outcome.item.id);
  });

  it('a source who comes back with the codename, typed loosely, reads the reply; a wrong codename finds nothing', async () => {
    const [entry] = (await listDropQueue(deps, coordinator)).submissions;
    await replyToDropSource(deps, coordinator, entry!.id, 'Thank you. Marker ZX-reply-27: please write again next week.');
    const typed = normalizeCodename(`  ${codename.toUpperCase().replace(/ /g, '   ')} `);
    expect(typed.ok).toBe(true);
    const again = (typed as { codename: string }).codename;
    const view = await comeBack(deps, sourceToken(asWeb(), again, salt));
    expect(view.submissions).toEqual([{ day: entry!.day, files: 1 }]);
    expect(view.replies).toHaveLength(1);
    const kp = sourceKeyPair(asWeb(), again, salt);
    const plain = web.crypto_box_seal_open(Buffer.from(view.replies[0]!.ciphertext, 'base64'), kp.publicKey, kp.privateKey);
    expect(new TextDecoder().decode(plain)).toBe('Thank you. Marker ZX-reply-27: please write again next week.');
    expect((await storedBytes()).includes('ZX-reply-27')).toBe(false);
    const wrong = generateCodename('latin', (n) => web.randombytes_buf(n));
    await expect(comeBack(deps, sourceToken(asWeb(), wrong, salt))).rejects.toThrow(/no submission/);
  });

  it('takes submissions with the vault sealed, and opens them only once it is unsealed again', async () => {
    c.vault.seal();
    try {
      await submit([enc('sealed-vault file')], { v: 1, text: 'while sealed', files: [{ name: 'x.txt' }] });
      const q = await listDropQueue(deps, coordinator);
      const entry = q.submissions.find((s) => s.state === 'new')!;
      await expect(openDropSubmission(deps, coordinator, entry.id)).rejects.toThrow(/sealed/);
      await expect(takeDropFileIn(deps, coordinator, entry.files[0]!.id)).rejects.toThrow(/sealed/);
    } finally {
      await c.vault.unsealWithKeyFile();
    }
    const entry = (await listDropQueue(deps, coordinator)).submissions.find((s) => s.state === 'new')!;
    expect((await openDropSubmission(deps, coordinator, entry.id)).message?.text).toBe('while sealed');
  });

  it('refuses an oversized file or a part that is not a sealed box and leaves nothing behind', async () => {
    const rows = async () => Number((await c.db.selectFrom('drop_parts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = { rows: await rows(), blobs: blobFiles().length };
    const small: DropDeps = { ...deps, limits: { fileBytes: 1000 } };
    const kp = sourceKeyPair(asWeb(), codename, salt);
    const base = { token: sourceToken(asWeb(), codename, salt), publicKey: kp.publicKey, message: web.crypto_box_seal(enc('{"v":1,"text":"","files":[]}'), orgKey) };
    await expect(submitToDrop(small, { ...base, files: [[web.crypto_box_seal(randomBytes(5000), orgKey)]] })).rejects.toThrow(/larger than 1000 bytes/);
    await expect(submitToDrop(deps, { ...base, files: [[Buffer.from('short')]] })).rejects.toThrow(/not a sealed box/);
    await expect(submitToDrop(deps, { ...base, files: [], publicKey: randomBytes(32) })).rejects.toThrow(/does not belong to this codename/);
    expect({ rows: await rows(), blobs: blobFiles().length }).toEqual(before);
    expect(await readDropPublicInfo(c.db)).toBeDefined();
  });
});
