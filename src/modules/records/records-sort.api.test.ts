import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { buildServer } from '../../app/server.js';
import type { Container } from '../../app/container.js';
import { addUser, createToken } from '../users/users.usecases.js';
import { joinCompartment } from '../../test-support/actors.js';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { isSortable } from '../../domain/records/fields.js';

/**
 * Lists ordered by a field, on SQLite and PostgreSQL: text by code point on both engines (so
 * Cyrillic and Latin titles come in the same order everywhere), approximate dates by their earliest
 * day, numbers as numbers, records without a value last in either direction, and keyset pages that
 * neither skip nor repeat a record when many share a value.
 */
describeEachDialect('records API: ordering by fields', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c, { logger: false });
    const doc = await addUser(c.db, { username: 'doc', role: 'documenter', password: 'a long enough password' });
    await joinCompartment(c.db, doc.id, 'default', 'documenter');
    token = (await createToken(c.db, 'doc')).token;
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  const call = (method: string, url: string, body?: unknown) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const create = async (type: string, body: unknown) => {
    const res = await call('POST', `/api/v1/${type}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string } & Record<string, any>;
  };
  /** Every record of a listing, read page by page following nextCursor. */
  const all = async (type: string, query: string, pageSize: number) => {
    const out: Record<string, any>[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res = await call('GET', `/api/v1/${type}?${query}&limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: Record<string, any>[]; nextCursor: string | null };
      out.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return out;
    }
    throw new Error('more than 100 pages');
  };
  /** Code-point order (what both engines are asked for), ties by id; no value last either way. */
  const expected = (items: { id: string; key: string | number | null }[], desc: boolean) =>
    [...items]
      .sort((a, b) => {
        if (a.key === null || b.key === null) return a.key === b.key ? (a.id < b.id ? -1 : 1) * (desc ? -1 : 1) : a.key === null ? 1 : -1;
        const cmp = a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1;
        return desc ? -cmp : cmp;
      })
      .map((x) => x.id);

  const titles = ['Акрэсціна', 'Okrestina', 'акрэсціна', 'Жодзіна', 'okrestina', 'Ёлка', 'Іўе', 'Zhodino', 'Мінск', 'Минск', 'Ўздзен', 'Баранавічы'];
  const starts: ({ value: string | null; precision: string } | null)[] = [
    { value: '2020-08', precision: 'month' },
    { value: '2020-08-01', precision: 'day' },
    null,
    { value: null, precision: 'unknown' },
    { value: '2020', precision: 'year' },
    { value: '2020-08-10T23:15:00+03:00', precision: 'exact' },
    { value: '2021-03-01', precision: 'estimate' },
  ];
  const events: { id: string; title: string; startFrom: string | null }[] = [];

  it('orders events by title in the same code-point order on both engines, ties and all, page by page', async () => {
    // 48 events: every title four times, so pages of 5 cut through runs of equal titles
    for (let i = 0; i < 48; i++) {
      const title = titles[i % titles.length]!;
      const start = starts[i % starts.length]!;
      const e = await create('events', { title, status: 'alleged', ...(start ? { start } : {}) });
      const from = start?.value ? (start.value.length === 4 ? `${start.value}-01-01` : start.value.length === 7 ? `${start.value}-01` : start.value.slice(0, 10)) : null;
      events.push({ id: e.id, title, startFrom: from });
    }
    const byTitle = events.map((e) => ({ id: e.id, key: e.title }));
    for (const size of [5, 7, 500]) {
      expect((await all('events', 'sort=title', size)).map((r) => r.id)).toEqual(expected(byTitle, false));
      expect((await all('events', 'sort=-title', size)).map((r) => r.id)).toEqual(expected(byTitle, true));
    }
    // the rule, spelled out: capitals before small letters, Latin before Cyrillic, Ё before А, І and Ў after я
    const firsts = [...new Set((await all('events', 'sort=title', 500)).map((r) => r.title))];
    expect(firsts).toEqual(['Okrestina', 'Zhodino', 'okrestina', 'Ёлка', 'Іўе', 'Ўздзен', 'Акрэсціна', 'Баранавічы', 'Жодзіна', 'Минск', 'Мінск', 'акрэсціна']);
  });

  it('orders events by their start’s earliest day, those without a known start last in both directions', async () => {
    const byStart = events.map((e) => ({ id: e.id, key: e.startFrom }));
    const nulls = byStart.filter((e) => e.key === null).length;
    expect(nulls).toBeGreaterThan(10);
    for (const size of [3, 8]) {
      const asc = await all('events', 'sort=start', size);
      expect(asc.map((r) => r.id)).toEqual(expected(byStart, false));
      const desc = await all('events', 'sort=-start', size);
      expect(desc.map((r) => r.id)).toEqual(expected(byStart, true));
      // unknown and absent dates at the end either way
      expect(desc.slice(-nulls).every((r) => r.start === null || r.start.precision === 'unknown')).toBe(true);
      expect(asc.slice(-nulls).every((r) => r.start === null || r.start.precision === 'unknown')).toBe(true);
    }
    // "2020" (a year) means from 1 January: before August 2020
    const asc = await all('events', 'sort=start', 500);
    expect(asc[0]!.start).toEqual({ value: '2020', precision: 'year' });
  });

  it('filters and orders together', async () => {
    const got = await all('events', 'sort=-start&startFrom=2020-08-01&startTo=2020-12-31', 2);
    const want = expected(
      events.filter((e) => e.startFrom && e.startFrom >= '2020-08-01' && e.startFrom <= '2020-12-31').map((e) => ({ id: e.id, key: e.startFrom })),
      true,
    );
    expect(got.map((r) => r.id)).toEqual(want);
  });

  it('orders numbers as numbers, not as text, with empty values last', async () => {
    const sizes = [9, 10, null, 100, 9, 2, null, 1000, 10];
    const made: { id: string; key: number | null }[] = [];
    for (const [i, n] of sizes.entries()) {
      const p = await create('persons', { pseudonym: `Група ${i}`, isGroup: true, ...(n === null ? {} : { groupSize: n }) });
      made.push({ id: p.id, key: n });
    }
    expect((await all('persons', 'sort=groupSize', 2)).map((r) => r.id)).toEqual(expected(made, false));
    expect((await all('persons', 'sort=-groupSize', 2)).map((r) => r.id)).toEqual(expected(made, true));
    expect((await all('persons', 'sort=groupSize', 500)).map((r) => r.groupSize)).toEqual([2, 9, 9, 10, 10, 100, 1000, null, null]);
  });

  it('refuses an order the type does not offer, naming those it does', async () => {
    for (const bad of ['place', 'status', 'description', '-types', 'nonsense']) {
      const res = await call('GET', `/api/v1/events?sort=${bad}`);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().detail).toContain('one of: createdAt, -createdAt, updatedAt, -updatedAt, title, -title, start, -start, end, -end');
    }
    // encrypted fields never: a person's notes, a name's spelling
    expect((await call('GET', '/api/v1/persons?sort=notes')).statusCode).toBe(422);
    expect((await call('GET', '/api/v1/person-names?sort=text')).statusCode).toBe(422);
    // a cursor of one order is not accepted for another
    const first = (await call('GET', '/api/v1/events?sort=title&limit=2')).json();
    const res = await call('GET', `/api/v1/events?sort=start&limit=2&cursor=${first.nextCursor}`);
    expect(res.statusCode).toBe(422);
  });

  it('says in the catalog which fields order a list', async () => {
    const types = (await call('GET', '/api/v1/record-types')).json().items as { name: string; fields: { name: string; sortable: boolean }[] }[];
    const sortable = (t: string) => types.find((x) => x.name === t)!.fields.filter((f) => f.sortable).map((f) => f.name);
    expect(sortable('events')).toEqual(['title', 'start', 'end']);
    expect(sortable('persons')).toEqual(['pseudonym', 'groupSize']);
    expect(sortable('person-names')).toEqual(['source']);
  });
});

describe('sortable fields of the catalog', () => {
  it('are never encrypted, long prose, codes or references', () => {
    for (const def of RECORD_TYPES.values())
      for (const [name, f] of Object.entries(def.fields)) {
        if (!isSortable(f)) continue;
        expect(f.sensitive, `${def.name}.${name}`).toBeUndefined();
        expect(['text', 'int', 'number', 'fuzzyDate', 'date', 'datetime'], `${def.name}.${name}`).toContain(f.kind);
        expect('multiline' in f && f.multiline, `${def.name}.${name}`).toBeFalsy();
      }
  });
});
