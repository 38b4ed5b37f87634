import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../domain/records/fields.js';
import { recordType } from '../../domain/records/catalog.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policies.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { listRecords, recordHistory } from '../records/records.usecases.js';
import { DEMO_RECORDS, ref, type DemoRecord } from './demo.data.js';
import { demoCounts, dependencyOrder, loadDataSet, loadDemo } from './demo.usecases.js';

async function countRows(c: Container): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of RECORD_TYPE_NAMES) {
    const row = await c.db
      .selectFrom(recordType(t).table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  const v = await c.db
    .selectFrom('record_versions')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  out['(history)'] = Number(v.n);
  return out;
}

async function all(c: Container, actor: Actor, type: RecordTypeName) {
  const page = await listRecords(depsOf(c), actor, type, { limit: 500 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

it('the demo data set refers only to keys it defines, without cycles', () => {
  expect(dependencyOrder(DEMO_RECORDS)).toHaveLength(DEMO_RECORDS.length);
  const counts = demoCounts();
  for (const t of RECORD_TYPE_NAMES) expect(counts[t], t).toBeGreaterThan(0);
});

describeEachDialect('demo data set', (dialect) => {
  let c: Container;
  let actor: Actor;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    actor = await makeActor(c.db, 'documenter');
  });
  afterAll(async () => {
    await c?.close();
  });

  it('a record that fails validation aborts the whole load, naming its key', async () => {
    const broken: DemoRecord[] = [
      { key: 'place:ok', type: 'places', data: { nameEn: 'Minsk' } },
      { key: 'event:ok', type: 'events', data: { title: 'Fine', status: 'alleged', place: ref('place:ok') } },
      { key: 'act:bad', type: 'acts', data: { event: ref('event:ok'), victim: ref('person:v'), type: 'no-such-act-type' } },
      { key: 'person:v', type: 'persons', data: { pseudonym: 'V' } },
    ];
    const err = await loadDataSet(depsOf(c), actor, broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain('act:bad');
    expect((err as ValidationError).problems.some((p) => p.field === 'act:bad.type')).toBe(true);
    const counts = await countRows(c);
    expect(counts.places).toBe(0);
    expect(counts.events).toBe(0);
    expect(counts.persons).toBe(0);
    expect(counts['(history)']).toBe(0);
  });

  it('loads at least one record of every type, reporting progress and counts', async () => {
    const progress: [number, number][] = [];
    const { counts } = await loadDemo(depsOf(c), actor, (done, total) => progress.push([done, total]));
    expect(counts).toEqual(demoCounts());
    for (const t of RECORD_TYPE_NAMES) {
      const items = await all(c, actor, t);
      expect(items.length, t).toBe(counts[t]);
      expect(items.length, t).toBeGreaterThan(0);
    }
    expect(progress[0]).toEqual([0, DEMO_RECORDS.length]);
    expect(progress.at(-1)).toEqual([DEMO_RECORDS.length, DEMO_RECORDS.length]);
  });

  it('gives one official names in Cyrillic and Latin script, in several systems', async () => {
    const names = await all(c, actor, 'person-names');
    const byPerson = new Map<string, typeof names>();
    for (const n of names) byPerson.set(n.person as string, [...(byPerson.get(n.person as string) ?? []), n]);
    const [, most] = [...byPerson.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const scripts = new Set(most.map((n) => n.script));
    expect(scripts).toEqual(new Set(['Cyrl', 'Latn']));
    const systems = new Set(most.map((n) => `${n.language}/${n.system}`));
    for (const s of ['ru/original', 'be/original', 'be/be-2007-un', 'be/icao-9303', 'be/bgn-pcgn']) expect(systems).toContain(s);
  });

  it('has detentions with two custody stays each, with occupants beyond capacity', async () => {
    const detentions = await all(c, actor, 'detentions');
    const stays = await all(c, actor, 'custody-stays');
    for (const d of detentions) {
      const own = stays.filter((s) => s.detention === d.id);
      expect(own.length, `detention ${d.id}`).toBeGreaterThanOrEqual(2);
    }
    expect(stays.some((s) => (s.occupants as number) > (s.cellCapacity as number) * 5)).toBe(true);
  });

  it('links a repeated consecutive term to the one it follows', async () => {
    const proceedings = await all(c, actor, 'proceedings');
    const repeated = proceedings.find((p) => p.follows);
    expect(repeated).toBeDefined();
    const first = proceedings.find((p) => p.id === repeated!.follows);
    expect(first?.defendant).toBe(repeated!.defendant);
  });

  it('refuses a second load with a ConflictError and adds nothing', async () => {
    const before = await countRows(c);
    const err = await loadDemo(depsOf(c), actor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/already loaded/);
    expect(await countRows(c)).toEqual(before);
  });

  it('gives every record a history that starts with its creation', async () => {
    for (const t of RECORD_TYPE_NAMES) {
      const items = (await listRecords(depsOf(c), actor, t, { limit: 3 })).items;
      for (const r of items) {
        const history = await recordHistory(depsOf(c), actor, t, r.id);
        expect(history[0]?.action, `${t} ${r.id}`).toBe('create');
        expect(history[0]?.actor?.id).toBe(actor.userId);
      }
    }
  });
});
