import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { makeActor } from '../../test-support/actors.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { createToken } from '../users/users.usecases.js';
import { parseTranslationLanguages } from '../../app/config.js';
import { languageTag, listTranslations, translationQueue } from './translations.usecases.js';

/**
 * Translations over the API (issue 9), on both engines: a testimony's transcript translated and
 * stored encrypted (its plaintext nowhere in the database), outdated when the transcript changes,
 * reviewed only by someone other than the translator, If-Match on every change, the queue of what
 * awaits translation and review, who may do what, and each save and review in the audit log and the
 * custody ledger on the record.
 */

const TRANSCRIPT = 'Сведка В-9 расказала: нас вывезлі ў Акрэсціна ўначы.';
const ENGLISH = 'Witness W-9 said: they drove us to Akrestsina at night, the unforgettable yellow van.';
const ENGLISH2 = 'Witness W-9 said: we were taken to Akrestsina during the night in a yellow van.';

describeEachDialect('translations API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  const token = {} as Record<'coordinator' | 'documenter' | 'analyst' | 'translator' | 'translator2' | 'viewer', string>;
  let testimony: string;
  let event: string;
  let ids: Record<string, string>;

  const call = (who: keyof typeof token, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${token[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const put = (who: keyof typeof token, url: string, body: unknown, version?: number) => call(who, 'PUT', url, body, version === undefined ? {} : { 'if-match': `"${version}"` });
  const review = (who: keyof typeof token, url: string, version?: number) => call(who, 'POST', `${url}/review`, undefined, version === undefined ? {} : { 'if-match': `"${version}"` });

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    ids = {};
    for (const [k, role] of [
      ['coordinator', 'coordinator'],
      ['documenter', 'documenter'],
      ['analyst', 'analyst'],
      ['translator', 'translator'],
      ['translator2', 'translator'],
      ['viewer', 'viewer'],
    ] as const) {
      const a = await makeActor(c.db, role, `tr-${k}`);
      ids[k] = a.userId;
      token[k] = (await createToken(c.db, a.username)).token;
    }
    const p = await call('coordinator', 'POST', '/api/v1/persons', { pseudonym: 'Witness W-9' });
    expect(p.statusCode, p.body).toBe(201);
    const t = await call('coordinator', 'POST', '/api/v1/testimonies', { title: 'Interview 9', interviewee: p.json().id, language: 'be', transcript: TRANSCRIPT });
    expect(t.statusCode, t.body).toBe(201);
    testimony = t.json().id;
    const e = await call('coordinator', 'POST', '/api/v1/events', { title: 'Dispersal at Pushkinskaya', status: 'alleged', description: 'Riot police dispersed a peaceful march.' });
    expect(e.statusCode, e.body).toBe(201);
    event = e.json().id;
  });

  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const tUrl = () => `/api/v1/testimonies/${testimony}/translations/transcript/en`;

  it('saves a translation of an encrypted transcript that only readers of the record see, stored encrypted', async () => {
    const res = await put('translator', tUrl(), { text: ENGLISH });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({ field: 'transcript', language: 'en', text: ENGLISH, status: 'draft', translator: { username: 'tr-translator' }, reviewer: null, outdated: false, version: 1 });

    const list = await call('viewer', 'GET', `/api/v1/testimonies/${testimony}/translations`);
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json();
    expect(body.fields).toEqual([{ field: 'transcript', hasText: true, encrypted: true }]);
    expect(body.translations.map((x: any) => [x.language, x.text])).toEqual([['en', ENGLISH]]);
    expect(body.permissions).toEqual({ write: false, review: false });
    expect(body.languages.slice(0, 3)).toEqual(['be', 'ru', 'en']);
    expect((await call('translator', 'GET', `/api/v1/testimonies/${testimony}/translations`)).json().permissions).toEqual({ write: true, review: true });

    // nowhere in clear: not in the database's bytes (SQLite) nor in any row (PostgreSQL)
    const needles = ['unforgettable', 'Akrestsina at night'];
    if (dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(c.db).catch(() => {});
      const file = join(c.config.dataDir, 'letapis.db');
      const haystack = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f))).toString('latin1');
      expect(haystack).toContain('Dispersal at Pushkinskaya'); // the bytes are real
      for (const n of needles) expect(haystack.includes(n), n).toBe(false);
    } else {
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(c.db);
      const dumps: string[] = [];
      for (const { table_name } of tables.rows) dumps.push(...(await sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(table_name)} t`.execute(c.db)).rows.map((r) => r.j));
      const haystack = dumps.join('\n');
      expect(haystack).toContain('Dispersal at Pushkinskaya');
      for (const n of needles) expect(haystack.includes(n), n).toBe(false);
    }
    const row = await c.db.selectFrom('translations').selectAll().where('record_id', '=', testimony).executeTakeFirstOrThrow();
    expect(row.text).toBeNull();
    expect(row.ciphertext).toBeTruthy();
    // bound to its record, field and language: moved to another language it no longer opens
    await c.db.updateTable('translations').set({ language: 'ru' }).where('id', '=', row.id).execute();
    const moved = await call('viewer', 'GET', `/api/v1/testimonies/${testimony}/translations`);
    expect(moved.statusCode).toBe(500);
    expect(moved.json().detail).toMatch(/integrity/);
    await c.db.updateTable('translations').set({ language: 'en' }).where('id', '=', row.id).execute();
  });

  it('needs If-Match to change a translation and refuses a stale one', async () => {
    expect((await put('translator', tUrl(), { text: ENGLISH2 })).statusCode).toBe(428);
    const stale = await put('translator', tUrl(), { text: ENGLISH2 }, 7);
    expect(stale.statusCode).toBe(412);
    // a new one named with a version: it does not exist, so the version is stale
    expect((await put('translator', `/api/v1/testimonies/${testimony}/translations/transcript/ru`, { text: 'x' }, 1)).statusCode).toBe(412);
    const noMatch = await review('translator2', tUrl());
    expect(noMatch.statusCode).toBe(428);
    expect((await review('translator2', tUrl(), 5)).statusCode).toBe(412);
    // unchanged
    expect((await call('viewer', 'GET', `/api/v1/testimonies/${testimony}/translations`)).json().translations[0]).toMatchObject({ text: ENGLISH, version: 1 });
  });

  it('is reviewed only by someone other than its last translator; changed text is a draft again', async () => {
    const own = await review('translator', tUrl(), 1);
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().detail).toMatch(/someone else must review/);
    expect((await review('documenter', tUrl(), 1)).statusCode).toBe(403); // documenters translate, not review
    const ok = await review('translator2', tUrl(), 1);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'reviewed', reviewer: { username: 'tr-translator2' }, translator: { username: 'tr-translator' }, version: 2 });
    expect((await review('coordinator', tUrl(), 2)).statusCode).toBe(409); // already reviewed

    // the same text again changes nothing
    const same = await put('translator', tUrl(), { text: ENGLISH }, 2);
    expect(same.json()).toMatchObject({ status: 'reviewed', version: 2 });
    // changed text by the reviewer: a draft again, and now the first translator may review it
    const changed = await put('translator2', tUrl(), { text: ENGLISH2, status: 'machine' }, 2);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ status: 'machine', reviewer: null, reviewedAt: null, translator: { username: 'tr-translator2' }, version: 3 });
    expect((await review('translator2', tUrl(), 3)).statusCode).toBe(403);
    expect((await review('translator', tUrl(), 3)).json()).toMatchObject({ status: 'reviewed', reviewer: { username: 'tr-translator' } });

    // each save and review an audit event on the testimony, a leaf of the custody ledger, no text in it
    const events = await c.db.selectFrom('audit_events').select(['action', 'actor_id', 'details']).where('target_type', '=', 'testimonies').where('target_id', '=', testimony).where('action', 'like', 'translation.%').orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['translation.save', 'translation.review', 'translation.save', 'translation.review']);
    expect(events.map((e) => e.actor_id)).toEqual([ids.translator, ids.translator2, ids.translator2, ids.translator]);
    expect(JSON.parse(events[2]!.details)).toMatchObject({ field: 'transcript', language: 'en', status: 'machine', version: 3, reviewWithdrawn: true });
    expect(events.map((e) => e.details).join('')).not.toMatch(/Akrestsina|textSha256/);
    const leaves = await c.db.selectFrom('ledger_leaves').select('body').execute();
    expect(leaves.filter((l) => String(l.body).includes('"translation.') && String(l.body).includes(testimony)).length).toBe(4);
  });

  it('shows a translation as outdated when its source changes, and refuses to review it until saved again', async () => {
    const before = (await call('viewer', 'GET', `/api/v1/testimonies/${testimony}/translations`)).json();
    expect(before.translations[0].outdated).toBe(false);
    const patched = await call('coordinator', 'PATCH', `/api/v1/testimonies/${testimony}`, { transcript: `${TRANSCRIPT} Потым суд.` }, { 'if-match': `"${before.recordVersion}"` });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = (await call('viewer', 'GET', `/api/v1/testimonies/${testimony}/translations`)).json();
    expect(after.translations[0]).toMatchObject({ outdated: true, status: 'reviewed' });
    const q = (await call('translator', 'GET', '/api/v1/translations/queue?language=en&status=outdated')).json();
    expect(q.items.map((i: any) => [i.type, i.id, i.field, i.state])).toEqual([['testimonies', testimony, 'transcript', 'outdated']]);
    expect(q.items[0].label).toBe('Interview 9');

    const saved = await put('documenter', tUrl(), { text: `${ENGLISH2} Then the court.` }, 4);
    expect(saved.json()).toMatchObject({ status: 'draft', outdated: false, sourceVersion: before.recordVersion + 1 });
    const again = await call('translator', 'GET', '/api/v1/translations/queue?language=en&status=outdated');
    expect(again.json().items).toEqual([]);
  });

  it('queues prose fields with text but no translation, and translations awaiting review', async () => {
    const all = (await call('viewer', 'GET', '/api/v1/translations/queue')).json();
    const key = (i: any) => `${i.type}/${i.field}/${i.language}/${i.state}`;
    // the testimony is in Belarusian: not queued for be; its en translation is a draft (documenter's save)
    expect(all.items.filter((i: any) => i.id === testimony).map(key).sort()).toEqual(['testimonies/transcript/en/draft', 'testimonies/transcript/ru/untranslated']);
    expect(all.items.filter((i: any) => i.id === event).map(key).sort()).toEqual(['events/description/be/untranslated', 'events/description/en/untranslated', 'events/description/ru/untranslated']);
    expect(all.truncated).toBe(false);

    expect((await put('translator', `/api/v1/events/${event}/translations/description/ru`, { text: 'ОМОН разогнал мирный марш.', status: 'machine' })).statusCode).toBe(200);
    const ru = (await call('viewer', 'GET', `/api/v1/translations/queue?language=ru&type=events`)).json();
    expect(ru.items.map(key)).toEqual(['events/description/ru/machine']);
    expect(ru.items[0].translation).toMatchObject({ status: 'machine', version: 1, translator: { username: 'tr-translator' } });
    expect((await call('viewer', 'GET', `/api/v1/translations/queue?language=ru&status=untranslated&type=events`)).json().items).toEqual([]);
    // another language an organisation works in: any BCP 47 tag
    const uk = (await call('viewer', 'GET', `/api/v1/translations/queue?language=UK&type=events`)).json();
    expect(uk.items.map(key)).toEqual(['events/description/uk/untranslated']);
    expect((await call('viewer', 'GET', '/api/v1/translations/queue?limit=1')).json()).toMatchObject({ truncated: true });
    expect((await call('viewer', 'GET', '/api/v1/translations/queue?status=done')).statusCode).toBe(422);
    expect((await call('viewer', 'GET', '/api/v1/translations/queue?language=english!')).statusCode).toBe(422);
    // a translation in clear text for a field kept in clear
    const row = await c.db.selectFrom('translations').selectAll().where('record_id', '=', event).executeTakeFirstOrThrow();
    expect(row.text).toBe('ОМОН разогнал мирный марш.');
  });

  it('refuses what cannot be translated, and those who may not translate', async () => {
    const body = { text: 'Some text' };
    expect((await put('viewer', `/api/v1/events/${event}/translations/description/en`, body)).statusCode).toBe(403);
    expect((await put('analyst', `/api/v1/events/${event}/translations/description/en`, body)).statusCode).toBe(403);
    const title = await put('translator', `/api/v1/events/${event}/translations/title/en`, body);
    expect(title.statusCode).toBe(404);
    expect(title.json().detail).toMatch(/translatable: description/);
    expect((await put('translator', `/api/v1/places/${event}/translations/notes/en`, body)).statusCode).toBe(404);
    expect((await put('translator', `/api/v1/nothing/${event}/translations/notes/en`, body)).statusCode).toBe(404);
    expect((await put('translator', `/api/v1/events/${event}/translations/description/!!`, body)).statusCode).toBe(422);
    expect((await put('translator', `/api/v1/events/${event}/translations/description/en`, { text: '' })).statusCode).toBe(422);
    expect((await put('translator', `/api/v1/events/${event}/translations/description/en`, { text: 'x', status: 'reviewed' })).statusCode).toBe(422);
    expect((await put('translator', `/api/v1/testimonies/${testimony}/translations/transcript/be`, body)).statusCode).toBe(422); // it is in be
    const en = await put('documenter', `/api/v1/events/${event}/translations/description/EN`, body);
    expect(en.statusCode, en.body).toBe(200);
    expect(en.json().language).toBe('en');
  });

  it('deletes the translations of a record with it, keeping their audit events', async () => {
    expect(await c.db.selectFrom('translations').select('id').where('record_id', '=', event).execute()).toHaveLength(2);
    const v = (await call('coordinator', 'GET', `/api/v1/events/${event}`)).json().version;
    const del = await call('coordinator', 'DELETE', `/api/v1/events/${event}`, undefined, { 'if-match': `"${v}"` });
    expect(del.statusCode, del.body).toBe(204);
    expect(await c.db.selectFrom('translations').select('id').where('record_id', '=', event).execute()).toEqual([]);
    expect((await call('translator', 'GET', `/api/v1/events/${event}/translations`)).statusCode).toBe(404);
    const saves = await c.db.selectFrom('audit_events').select('id').where('target_id', '=', event).where('action', '=', 'translation.save').execute();
    expect(saves).toHaveLength(2);
  });

  it("offers and queues the organisation's configured languages", async () => {
    const deps = { db: c.db, vault: c.vault, languages: parseTranslationLanguages(' be, UK ,be') };
    expect(deps.languages).toEqual(['be', 'uk']);
    const viewer = { userId: ids.viewer!, username: 'tr-viewer', role: 'viewer' as const };
    // the configured languages first, then those this testimony is already translated into
    expect((await listTranslations(deps, viewer, 'testimonies', testimony)).languages).toEqual(['be', 'uk', 'en']);
    const queued = await translationQueue(deps, viewer, { type: 'testimonies' });
    expect(queued.items.map((i) => `${i.language}/${i.state}`)).toEqual(['uk/untranslated']); // not be: the testimony is in be
    expect(queued.languages).toEqual(['be', 'uk']);
    expect(parseTranslationLanguages(undefined)).toEqual(['be', 'ru', 'en']);
    expect(() => parseTranslationLanguages('be,english')).toThrow(/LETAPIS_TRANSLATION_LANGUAGES: "english"/);
  });

  it('canonicalises language tags', () => {
    expect(languageTag('BE-latn')).toBe('be-Latn');
    expect(languageTag('uk')).toBe('uk');
    for (const bad of ['', 'english', '12', 'be_BY', 'und', 'x-private']) expect(() => languageTag(bad), bad).toThrow(/not a language tag/);
  });
});
