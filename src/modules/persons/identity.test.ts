import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { createToken } from '../users/users.usecases.js';

/**
 * Identities at rest: a seized disk or a database dump shows no name, spelling or phone number of
 * a victim; staff still find the victim by name in either script; revealing is permitted, reasoned
 * and audited; tampered or moved ciphertext fails loudly.
 */
describeEachDialect('identities at rest', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let coordinator: string;
  let documenter: string;
  let viewer: string;
  let victimId: string;
  const NAME = 'Аляксандра Прыкладная';
  const LATIN = 'Aliaksandra Prykladnaya';
  const PHONE = '+375 29 765-43-21';

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await makeActor(c.db, 'coordinator', 'kasia', 'default', 'coordinator');
    await makeActor(c.db, 'documenter', 'dzmitry', 'default', 'documenter');
    await makeActor(c.db, 'viewer', 'vika', 'default', 'viewer');
    coordinator = (await createToken(c.db, 'kasia')).token;
    documenter = (await createToken(c.db, 'dzmitry')).token;
    viewer = (await createToken(c.db, 'vika')).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const call = (token: string, method: string, url: string, body?: unknown) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  it('stores a victim’s identity and name spellings encrypted, answering only that they exist', async () => {
    const res = await call(documenter, 'POST', '/api/v1/persons', {
      pseudonym: 'Victim V-1',
      roles: ['victim'],
      identity: { fullName: NAME, birthDate: { value: '1994-03', precision: 'month' }, contacts: [{ kind: 'phone', value: PHONE }], addresses: ['вул. Прыкладная, 1, Мінск'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    victimId = res.json().id;
    expect(res.json().identity).toBeNull();
    expect(res.json().hidden).toEqual(['identity']);
    const name = await call(documenter, 'POST', '/api/v1/person-names', { person: victimId, text: LATIN, script: 'Latn', language: 'be', system: 'be-2007-un' });
    expect(name.statusCode, name.body).toBe(201);
    expect(name.json().text).toBeNull();
    expect(name.json().hidden).toEqual(['text']);
    const hist = (await call(documenter, 'GET', `/api/v1/persons/${victimId}/history`)).json();
    expect(hist.items[0].changes.identity).toEqual({ from: null, to: '[protected]' });
  });

  it('leaves no trace of the name, its Latin spelling or the phone number in the raw database', async () => {
    const needles = [NAME, 'Прыкладная', 'Аляксандра', LATIN, 'Prykladnaya', 'Aliaksandra', PHONE, '765-43-21', '7654321'];
    let haystack: string;
    if (dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(c.db).catch(() => {});
      const file = join(c.config.dataDir, 'letapis.db');
      const parts = [file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f));
      haystack = Buffer.concat(parts).toString('latin1');
      // compare as UTF-8 bytes viewed through latin1, so any stored copy would be found
      expect(haystack).toContain('Victim V-1'); // the bytes are real: the pseudonym is there in clear
      for (const n of needles) expect(haystack.includes(Buffer.from(n, 'utf8').toString('latin1')), n).toBe(false);
      return;
    }
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(c.db);
    const dumps: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(table_name)} t`.execute(c.db);
      dumps.push(...rows.rows.map((r) => r.j));
    }
    haystack = dumps.join('\n');
    expect(haystack).toContain('Victim V-1'); // the dump is real: the pseudonym is there in clear
    for (const n of needles) expect(haystack.includes(n), n).toBe(false);
  });

  it('finds the victim by name in any case and either script, and by no other name', async () => {
    for (const q of ['prykladnaya', 'ПРЫКЛАДНАЯ', 'Prykladnaja Aliaksandra', 'Аляксандра', 'aliaksandra prykladnaia']) {
      const res = await call(viewer, 'GET', `/api/v1/persons?name=${encodeURIComponent(q)}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((p: any) => p.id), q).toEqual([victimId]);
    }
    for (const q of ['Іванова', 'Prykladny', 'Aliaksandra Ivanova']) {
      expect((await call(viewer, 'GET', `/api/v1/persons?name=${encodeURIComponent(q)}`)).json().items, q).toEqual([]);
    }
  });

  it('reveals the identity only to those allowed, with a reason, and audits each reveal', async () => {
    expect((await call(viewer, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'checking a duplicate entry' })).statusCode).toBe(403);
    expect((await call(documenter, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'checking a duplicate entry' })).statusCode).toBe(403);
    const short = await call(coordinator, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'why' });
    expect(short.statusCode).toBe(422);
    const before = await c.db.selectFrom('audit_events').select('id').where('action', '=', 'identity.reveal').execute();
    const res = await call(coordinator, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'preparing the case file for the prosecutor' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.identity.fullName).toBe(NAME);
    expect(body.identity.contacts).toEqual([{ kind: 'phone', value: PHONE }]);
    expect(body.names.map((n: any) => n.text)).toEqual([LATIN]);
    const after = await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.reveal').execute();
    expect(after.length).toBe(before.length + 1);
    const ev = after[after.length - 1]!;
    expect(ev.reason).toBe('preparing the case file for the prosecutor');
    expect(ev.target_id).toBe(victimId);
    expect(JSON.stringify(ev)).not.toContain('Прыкладная');
  });

  it('fails loudly, and audits, when a ciphertext is altered by one byte or moved to another row', async () => {
    const row = await c.db
      .selectFrom('record_secrets')
      .selectAll()
      .where('record_type', '=', 'persons')
      .where('record_id', '=', victimId)
      .where('field', '=', 'identity')
      .executeTakeFirstOrThrow();
    const original = row.ciphertext as string;
    const bytes = Buffer.from(original, 'base64');
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
    await c.db.updateTable('record_secrets').set({ ciphertext: bytes.toString('base64') }).where('record_id', '=', victimId).where('field', '=', 'identity').execute();
    const tampered = await call(coordinator, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'preparing the case file for the prosecutor' });
    expect(tampered.statusCode).toBe(500);
    expect(tampered.json().title).toBe('Stored data failed its integrity check');
    expect(tampered.body).not.toContain('Прыкладная');
    await c.db.updateTable('record_secrets').set({ ciphertext: original }).where('record_id', '=', victimId).where('field', '=', 'identity').execute();

    // the same ciphertext and key under another person's row
    const other = (await call(documenter, 'POST', '/api/v1/persons', { pseudonym: 'Victim V-2', identity: { fullName: 'Інша Асоба' } })).json();
    await c.db
      .updateTable('record_secrets')
      .set({ ciphertext: original, data_key_id: row.data_key_id })
      .where('record_id', '=', other.id)
      .where('field', '=', 'identity')
      .execute();
    const moved = await call(coordinator, 'POST', `/api/v1/persons/${other.id}/reveal`, { reason: 'preparing the case file for the prosecutor' });
    expect(moved.statusCode).toBe(500);
    const failures = await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'integrity.decryption-failed').execute();
    expect(failures.map((f) => f.target_id)).toEqual(expect.arrayContaining([victimId, other.id]));
    // the genuine record still reads
    expect((await call(coordinator, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'preparing the case file for the prosecutor' })).statusCode).toBe(200);
  });

  it('serves nothing sensitive while the vault is sealed, and everything else', async () => {
    c.vault.seal();
    try {
      const reveal = await call(coordinator, 'POST', `/api/v1/persons/${victimId}/reveal`, { reason: 'preparing the case file for the prosecutor' });
      expect(reveal.statusCode).toBe(503);
      expect(reveal.json().detail).toMatch(/sealed/);
      expect((await call(viewer, 'GET', '/api/v1/persons?name=prykladnaya')).statusCode).toBe(503);
      const write = await call(documenter, 'POST', '/api/v1/persons', { pseudonym: 'Victim V-3', identity: { fullName: 'Новая Асоба' } });
      expect(write.statusCode).toBe(503);
      expect((await c.db.selectFrom('persons').select('id').where('pseudonym', '=', 'Victim V-3').execute()).length).toBe(0);
      expect((await call(viewer, 'GET', '/api/v1/events')).statusCode).toBe(200);
      expect((await call(viewer, 'GET', `/api/v1/persons/${victimId}`)).json().hidden).toEqual(['identity']);
    } finally {
      await c.vault.unsealWithKeyFile();
    }
    expect((await call(viewer, 'GET', '/api/v1/persons?name=prykladnaya')).json().items).toHaveLength(1);
  });
});
