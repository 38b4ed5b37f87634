import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import { RECORD_TYPE_NAMES } from '../../domain/records/fields.js';
import { recordType } from '../../domain/records/catalog.js';
import type { Actor } from '../../domain/policies.js';
import { romanizeBelarusian } from '../../domain/text/translit.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { getRecord, listRecords, recordHistory } from '../records/records.usecases.js';
import { search } from '../search/search.usecases.js';
import { generateDataSet, inventName, rng, type GenerateResult } from './generate.js';

it('invents the same names for the same seed, in both Cyrillic spellings', () => {
  const a = Array.from({ length: 20 }, (_, i) => inventName(rng(7), i % 2 ? 'male' : 'female'));
  const b = Array.from({ length: 20 }, (_, i) => inventName(rng(7), i % 2 ? 'male' : 'female'));
  expect(a).toEqual(b);
  for (const n of a) {
    for (const s of [...n.given, ...n.surname]) expect(s).toMatch(/^\p{Lu}\p{Ll}+$/u);
  }
});

describeEachDialect('generated data set', (dialect) => {
  let c: Container;
  let actor: Actor;
  let res: GenerateResult;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    actor = await makeActor(c.db, 'documenter', undefined, 'default', 'coordinator');
    const phases = new Set<string>();
    res = await generateDataSet({ db: c.db, vault: c.vault }, actor, { records: 2000, seed: 42, batchSize: 250, onProgress: (p) => phases.add(p.phase) });
    expect([...phases].sort()).toEqual(['index', 'records']);
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  it('creates exactly the records asked for, of every story type, and indexes them all', async () => {
    expect(res.records).toBe(2000);
    expect(Object.values(res.counts).reduce((a, b) => a + b, 0)).toBe(2000);
    let rows = 0;
    for (const t of RECORD_TYPE_NAMES) rows += Number((await c.db.selectFrom(recordType(t).table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(rows).toBe(2000);
    for (const t of ['events', 'persons', 'person-names', 'acts', 'detentions', 'custody-stays', 'information', 'testimonies', 'medical-findings', 'places', 'facilities', 'units'] as const)
      expect(res.counts[t], t).toBeGreaterThan(0);
    expect(res.indexedDocuments).toBe(2000);
    expect(res.indexSeconds).toBeGreaterThan(0);
  });

  it('reads back through the normal read path, with valid references and decrypted prose', async () => {
    for (const t of ['acts', 'testimonies', 'detentions', 'custody-stays', 'information', 'medical-findings', 'person-names'] as const) {
      const page = await listRecords(depsOf(c), actor, t, { limit: 5 });
      expect(page.items.length, t).toBeGreaterThan(0);
      for (const item of page.items) {
        const full = await getRecord(depsOf(c), actor, t, item.id);
        // every reference resolves to a readable record
        const def = recordType(t);
        for (const [name, f] of Object.entries(def.fields)) {
          if (f.kind !== 'ref' || !full[name]) continue;
          expect(full.links.outgoing.some((l) => l.field === name && l.id === full[name]), `${t}.${name}`).toBe(true);
        }
        if (t === 'testimonies') expect(String(full.transcript).length).toBeGreaterThan(40);
        if (t === 'person-names') expect(full.hidden).toContain('text');
      }
    }
    const acts = await listRecords(depsOf(c), actor, 'acts', { limit: 50 });
    expect(acts.items.some((a) => (a.methods as string[]).length > 0)).toBe(true);
    const h = await recordHistory(depsOf(c), actor, 'acts', acts.items[0]!.id);
    expect(h[0]?.action).toBe('create');
  });

  it('finds people by name in every script, and a Cyrillic-only name by its romanisation', async () => {
    const deps = { db: c.db, vault: c.vault };
    const latin = res.sample.persons.find((p) => !p.cyrillicOnly && p.recorded.some((x) => x[1] === 'Latn'))!;
    const cyr = res.sample.persons.find((p) => p.cyrillicOnly && p.recorded.every((x) => x[1] === 'Cyrl'))!;
    expect(latin).toBeDefined();
    expect(cyr).toBeDefined();
    for (const q of [latin.be, latin.ru, latin.recorded.find((x) => x[1] === 'Latn')![0]]) {
      const r = await search(deps, actor, { q });
      expect(r.items.some((i) => i.id === latin.id && i.byName), q).toBe(true);
    }
    for (const q of [romanizeBelarusian(cyr.be, 'icao-9303'), romanizeBelarusian(cyr.be, 'by-2007'), cyr.ru]) {
      const r = await search(deps, actor, { q });
      expect(r.items.some((i) => i.id === cyr.id && i.byName), q).toBe(true);
    }
    // and through the name filter of the listing
    const listed = await listRecords(depsOf(c), actor, 'persons', { name: romanizeBelarusian(cyr.be, 'bgn-pcgn') });
    expect(listed.items.map((p) => p.id)).toContain(cyr.id);
  });

  it('finds words of the prose in three languages, phrases, prefixes and facets', async () => {
    const deps = { db: c.db, vault: c.vault };
    const total = async (q: string) => (await search(deps, actor, { q, facets: 'false' })).total;
    expect(await total('дубинками')).toBeGreaterThan(0); // sealed transcripts or plain consequences
    expect(await total('Акрэсціна')).toBeGreaterThan(0);
    expect(await total('Okrestina')).toBeGreaterThan(0);
    expect(await total('"спали на полу"')).toBeGreaterThan(0);
    expect(await total('задерж*')).toBeGreaterThan(0);
    const acts = await search(deps, actor, { q: 'type:acts method:batons' });
    expect(acts.total).toBeGreaterThan(0);
    expect(acts.items.every((i) => i.type === 'acts')).toBe(true);
    const all = await total('type:testimonies камере');
    const without = await total('type:testimonies камере -Окрестина');
    expect(all).toBeGreaterThan(without);
  });
});
