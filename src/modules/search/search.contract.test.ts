import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import type { Actor } from '../../domain/policies.js';
import { ValidationError } from '../../domain/errors.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createCompartment } from '../compartments/compartments.usecases.js';
import { createRecord } from '../records/records.usecases.js';
import { loadDemo } from '../demo/demo.usecases.js';
import { search, type SearchResult } from './search.usecases.js';
import { rebuildIndex } from './indexer.js';

/**
 * The contract of search: the same queries give the same hits on SQLite (FTS5) and PostgreSQL
 * (tsvector + pg_trgm), over the invented demo data set.
 */
describeEachDialect('search contract: one behaviour on both engines', (dialect) => {
  let c: Container;
  let coord: Actor;
  const find = (q: string, extra: Record<string, unknown> = {}, who?: Actor) => search({ db: c.db, vault: c.vault }, who ?? coord, { q, limit: 50, ...extra });
  const labels = (r: SearchResult) => r.items.map((i) => i.label);
  let shcharbakou: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    coord = await makeActor(c.db, 'coordinator', 'search-coord');
    await loadDemo(depsOf(c), coord);
    const p = await c.db.selectFrom('persons').select('id').where('pseudonym', 'like', 'Official O-05%').executeTakeFirstOrThrow();
    shcharbakou = p.id as string;
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  it('finds a person recorded only as Шчарбакоў by every spelling, first', async () => {
    for (const q of ['Шчарбакоў', 'Щербаков', 'Shcherbakov', 'Ščarbakoŭ', 'Shcharbakou', 'Shcharbakow', 'shcherbakou']) {
      const r = await find(q);
      expect(r.items[0]?.id, `${q}: ${JSON.stringify(labels(r))}`).toBe(shcharbakou);
      expect(r.items[0]!.byName).toBe(true);
    }
  });

  it('finds a name one letter off (a typo), through the blind index', async () => {
    for (const q of ['Shcharbakof', 'Щербакав', 'Shcherbakovv']) {
      const r = await find(q);
      expect(r.items[0]?.id, `${q}: ${JSON.stringify(labels(r))}`).toBe(shcharbakou);
    }
  });

  it('puts names one letter off after nothing: a word the documents contain is not taken for a misspelt surname', async () => {
    expect((await find('Shcharbakof')).items[0]?.id).toBe(shcharbakou); // nothing else has the word: the near name
    const ev = await createRecord(depsOf(c), coord, 'events', { title: 'Рапарт падпісаў Shcharbakof', status: 'alleged' });
    const r = await find('Shcharbakof');
    expect(r.items[0]?.id, JSON.stringify(r.items.map((i) => [i.type, i.label, i.byName]))).toBe(ev.id);
    expect(r.items.some((i) => i.byName)).toBe(false);
    // an exact name in any spelling still comes first
    expect((await find('Щербаков')).items[0]?.id).toBe(shcharbakou);
  });

  it("says which field a hit's label is, so a code (an act's type) can be shown in the reader's language", async () => {
    const acts = await find('type:acts');
    expect(acts.items.length).toBeGreaterThan(0);
    for (const h of acts.items) {
      expect(h.labelField).toBe('type');
      const act = await c.db.selectFrom('acts').select('type').where('id', '=', h.id).executeTakeFirstOrThrow();
      expect(h.label).toBe(act.type);
    }
    const events = await find('type:events');
    expect(events.items.every((h) => h.labelField === 'title')).toBe(true);
  });

  it('окрестина finds Акрэсціна and Okrestina; изолятор finds изоляторе; Жодино finds Жодзіна and Zhodino', async () => {
    const ok = await find('окрестина');
    const texts = ok.items.map((i) => `${i.label} ${i.snippet?.text ?? ''}`).join('\n');
    expect(texts).toMatch(/Акрэсціна/);
    expect(texts).toMatch(/Okrestina/);
    const iz = await find('изолятор');
    expect(iz.items.map((i) => i.snippet?.text ?? '').join('\n')).toMatch(/изоляторе/);
    const zh = await find('Жодино');
    const zt = zh.items.map((i) => `${i.label} ${i.snippet?.text ?? ''}`).join('\n');
    expect(zt).toMatch(/Жодзіна/);
    expect(zt).toMatch(/Zhodino/);
  });

  it('phrases, prefixes, exclusions and field:value filters', async () => {
    const phrase = await find('"коридор из сотрудников"');
    expect(phrase.items.some((i) => i.type === 'events')).toBe(true);
    expect((await find('"сотрудников коридор из"')).items.some((i) => i.type === 'events' && i.snippet?.text.includes('коридор'))).toBe(false);
    const prefix = await find('изолят*');
    expect(prefix.items.map((i) => i.snippet?.text ?? '').join('\n')).toMatch(/изолятор/i);
    const both = await find('Okrestina');
    const without = await find('Okrestina -Zhodino');
    expect(without.total).toBeLessThan(both.total);
    expect(without.items.every((i) => !/Zhodino|Жодино|Жодзіна/.test(`${i.label} ${i.snippet?.text ?? ''}`))).toBe(true);
    const facilities = await find('окрестина type:facilities');
    expect(facilities.items.length).toBeGreaterThan(0);
    expect(facilities.items.every((i) => i.type === 'facilities')).toBe(true);
    expect((await find('окрестина', { type: 'facilities' })).total).toBe(facilities.total);
    const en = await find('Okrestina', { language: 'en' });
    expect(en.total).toBeGreaterThan(0);
    expect(en.items.every((i) => i.language === 'en')).toBe(true);
    expect(en.facets.language).toEqual([{ value: 'en', count: en.total }]);
    const notEn = await find('Okrestina -language:en');
    expect(notEn.total).toBe(both.total - en.total);
    expect((await find('Okrestina language:ru')).items.every((i) => i.language === 'ru')).toBe(true);
  });

  it('searches encrypted transcripts through sealed words, without a snippet of them', async () => {
    const r = await find('электрошокер');
    const t = r.items.find((i) => i.type === 'testimonies');
    expect(t, JSON.stringify(labels(r))).toBeDefined();
    expect(t!.sealedMatch).toBe(true);
    // the index holds no word of the transcript in clear
    const rows = await c.db.selectFrom('search_docs').select(['words', 'content']).where('doc_type', '=', 'testimonies').execute();
    expect(rows.map((x) => `${x.words} ${x.content}`).join(' ')).not.toMatch(/электрошок/);
  });

  it('near matches when nothing matches exactly', async () => {
    const r = await find('Okresrina');
    expect(r.fuzzy).toBe(true);
    expect(r.items.length).toBeGreaterThan(0);
  });

  it('a query that cannot be parsed is a clear error', async () => {
    await expect(find('"unclosed')).rejects.toBeInstanceOf(ValidationError);
    await expect(find('nosuchfield:x')).rejects.toBeInstanceOf(ValidationError);
  });

  it('pages with a cursor through exactly the total, and facets count only what the caller may read', async () => {
    const all = await find('Okrestina', { limit: 3 });
    const seen = new Set(all.items.map((i) => i.id));
    let cursor = all.nextCursor;
    while (cursor) {
      const next = await find('Okrestina', { limit: 3, cursor });
      next.items.forEach((i) => seen.add(i.id));
      cursor = next.nextCursor;
    }
    expect(seen.size).toBe(all.total);

    const before = await find('Okrestina');
    // another compartment, with matching records the coordinator of A cannot read
    const admin = await makeActor(c.db, 'administrator', 'search-admin', null);
    const B = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'search-b' })).id;
    const other = await makeActor(c.db, 'coordinator', 'search-b-coord', B, 'coordinator');
    for (let i = 0; i < 3; i++) await createRecord(depsOf(c), other, 'events', { title: `Okrestina, another compartment ${i}`, status: 'alleged', compartment: B });
    const after = await find('Okrestina');
    expect(after.total).toBe(before.total);
    expect(after.facets).toEqual(before.facets);
    expect((await find('Okrestina', {}, other)).total).toBe(3);
  });

  it('ranks a broad query among its newest matches that the caller may read and the filters keep (the rank window)', async () => {
    const limits = { matchCap: 2, rankWindow: 3 };
    const windowed = (q: string) => search({ db: c.db, vault: c.vault, limits }, coord, { q, limit: 50 });
    // the newest matching documents are in a compartment the coordinator cannot read: they must not use up the window
    const admin = await makeActor(c.db, 'administrator', 'search-window-admin', null);
    const C = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'search-window' })).id;
    const other = await makeActor(c.db, 'coordinator', 'search-window-coord', C, 'coordinator');
    for (let i = 0; i < 4; i++) await createRecord(depsOf(c), other, 'events', { title: `Okrestina, unreadable ${i}`, status: 'alleged', compartment: C });
    const seqs = async (ids: string[]) =>
      new Map((await c.db.selectFrom('search_docs').select(['doc_id', 'seq']).where('doc_id', 'in', ids).execute()).map((r) => [r.doc_id as string, Number(r.seq)]));
    for (const q of ['Okrestina', 'окрестина type:facilities', 'Okrestina -status:alleged']) {
      const exact = await find(q); // every match ranked (far fewer than the default window)
      expect(exact.total, q).toBeGreaterThan(0);
      expect(exact.total, q).toBeLessThan(50);
      const seq = await seqs(exact.items.map((i) => i.id));
      const newest = [...exact.items].sort((a, b) => seq.get(b.id)! - seq.get(a.id)!).slice(0, limits.rankWindow).map((i) => i.id);
      const expected = exact.items.filter((i) => newest.includes(i.id)).slice(0, limits.matchCap);
      const r = await windowed(q);
      expect(r.items.map((i) => i.id), q).toEqual(expected.map((i) => i.id));
      expect(r.total, q).toBe(Math.min(exact.total, limits.matchCap));
      expect(r.capped, q).toBe(exact.total > limits.matchCap);
      // a window as large as the matches ranks exactly as without one
      const wide = await search({ db: c.db, vault: c.vault, limits: { matchCap: exact.total, rankWindow: exact.total + 1 } }, coord, { q, limit: 50 });
      expect(wide.items.map((i) => i.id), q).toEqual(exact.items.map((i) => i.id));
    }
    // the broad query really was cut by the window: it has more readable matches than the window holds
    expect((await find('Okrestina')).total).toBeGreaterThan(limits.rankWindow);
    // and other orders rank nothing: sorted by date, the window does not apply
    const byDate = await search({ db: c.db, vault: c.vault, limits }, coord, { q: 'Okrestina', sort: 'date', limit: 50 });
    const allByDate = await find('Okrestina', { sort: 'date' });
    expect(byDate.items.map((i) => i.id)).toEqual(allByDate.items.slice(0, limits.matchCap).map((i) => i.id));
    await expect(search({ db: c.db, vault: c.vault, limits: { matchCap: 5, rankWindow: 5 } }, coord, { q: 'Okrestina' })).rejects.toThrow(/must exceed/);
  });

  it('rebuilding the index changes nothing a search sees', async () => {
    const before = await find('Okrestina');
    await rebuildIndex(c.db, c.vault);
    const after = await find('Okrestina');
    expect(after.items.map((i) => i.id)).toEqual(before.items.map((i) => i.id));
    expect(after.facets).toEqual(before.facets);
  });
});
