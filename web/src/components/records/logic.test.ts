import { describe, expect, it } from 'vitest';
import type { RecordField, RecordTypeMeta, StoredRecord } from './types.js';
import { ariaSortOf, formatFuzzyDate, localToIso, problemKind, quickCreateFields, readLegacyViews, recordLabelValue, requestBody, sortOf, sortsOf, toggledSort, toJson, viewQueryOf } from './logic.js';

const words = { about: (d: string) => `about ${d}`, unknown: 'date unknown' };
const en = { locale: 'en-GB', numeric: false };
const L = (en: string) => ({ en, be: en, ru: en });
const field = (name: string, kind: RecordField['kind'], extra: Partial<RecordField> = {}): RecordField => ({ name, kind, required: false, description: '', label: L(name), filters: [], ...extra });
const meta: RecordTypeMeta = {
  name: 'events',
  singular: 'event',
  description: '',
  label: L('Event'),
  pluralLabel: L('Events'),
  labelFields: ['title'],
  fields: [field('title', 'text', { required: true, sortable: true }), field('start', 'fuzzyDate', { sortable: true }), field('types', 'vocabList'), field('place', 'ref'), field('size', 'int', { sortable: true }), field('secret', 'identity')],
};

describe('approximate dates as written', () => {
  it('writes each precision as a person would', () => {
    expect(formatFuzzyDate({ value: '2020', precision: 'year' }, 'en', words, en)).toBe('2020');
    expect(formatFuzzyDate({ value: '2020-08', precision: 'month' }, 'en', words, en)).toBe('August 2020');
    expect(formatFuzzyDate({ value: '2020-08-10', precision: 'day' }, 'en', words, en)).toBe('10 August 2020');
    expect(formatFuzzyDate({ value: '2020-08-10', precision: 'estimate' }, 'en', words, en)).toBe('about 10 August 2020');
    expect(formatFuzzyDate({ value: null, precision: 'unknown' }, 'en', words, en)).toBe('date unknown');
    expect(formatFuzzyDate(null, 'en', words, en)).toBe('date unknown');
  });
  it('uses digits only where the browser lacks the language', () => {
    expect(formatFuzzyDate({ value: '2020-08', precision: 'month' }, 'be', words, { locale: 'ru', numeric: true })).toBe('08.2020');
    expect(formatFuzzyDate({ value: '2020-08-10', precision: 'day' }, 'be', words, { locale: 'ru', numeric: true })).toBe('10.08.2020');
  });
  it('gives a local date-time its zone offset', () => {
    expect(localToIso('2020-08-10T23:15', 180)).toBe('2020-08-10T23:15:00+03:00');
    expect(localToIso('2020-08-10T23:15', -90)).toBe('2020-08-10T23:15:00-01:30');
  });
});

describe('form values and request bodies', () => {
  it('sends on create only what was given, without the identity', () => {
    const body = requestBody(meta, { title: 'Okrestina', start: { precision: 'month', value: '2020-08' }, types: [], place: '', size: '12', secret: 'x' }, undefined, 'c1');
    expect(body).toEqual({ title: 'Okrestina', start: { value: '2020-08', precision: 'month' }, size: 12, compartment: 'c1' });
  });
  it('sends on edit only the fields that changed, nulls for those cleared', () => {
    const original = { id: 'e1', compartment: 'c1', title: 'Okrestina', start: { value: '2020-08', precision: 'month' }, types: ['protest'], place: 'p1', size: 3 } as unknown as StoredRecord;
    const body = requestBody(meta, { title: 'Okrestina', start: { precision: 'estimate', value: '2020-08-10' }, types: ['protest'], place: '', size: '3' }, original, 'c1');
    expect(body).toEqual({ start: { value: '2020-08-10', precision: 'estimate' }, place: null });
  });
  it('passes a non-number through, for the server to say what is wrong at the field', () => {
    expect(toJson(field('n', 'number'), '12,5')).toBe(12.5);
    expect(toJson(field('n', 'number'), 'twelve')).toBe('twelve');
    expect(toJson(field('b', 'bool'), 'false')).toBe(false);
    expect(toJson(field('d', 'fuzzyDate'), { precision: 'unknown', value: '2020' })).toEqual({ value: null, precision: 'unknown' });
  });
  it('names a record by its first label field with a value', () => {
    expect(recordLabelValue(meta, { title: 'Okrestina' })?.value).toBe('Okrestina');
    expect(recordLabelValue(meta, { title: '' })).toBeNull();
  });
});

describe('ordering a list', () => {
  it('accepts the common orders and the fields the catalog marks sortable, else newest first', () => {
    expect(sortsOf(meta)).toEqual(['-createdAt', 'createdAt', '-updatedAt', 'updatedAt', 'title', '-title', 'start', '-start', 'size', '-size']);
    expect(sortOf(meta, '-start')).toBe('-start');
    expect(sortOf(meta, 'place')).toBe('-createdAt');
    expect(sortOf(meta, 'secret')).toBe('-createdAt');
    expect(sortOf(meta, null)).toBe('-createdAt');
  });
  it('toggles a header: ascending first, then the other way; creation and change times newest first', () => {
    expect(toggledSort('-createdAt', 'title')).toBe('title');
    expect(toggledSort('title', 'title')).toBe('-title');
    expect(toggledSort('-title', 'title')).toBe('title');
    expect(toggledSort('title', 'createdAt')).toBe('-createdAt');
    expect(toggledSort('-createdAt', 'createdAt')).toBe('createdAt');
    expect(toggledSort('-start', 'updatedAt')).toBe('-updatedAt');
  });
  it('says how each header is ordered for assistive technology', () => {
    expect(ariaSortOf('title', 'title')).toBe('ascending');
    expect(ariaSortOf('-title', 'title')).toBe('descending');
    expect(ariaSortOf('-title', 'start')).toBe('none');
    expect(ariaSortOf('-titles', 'title')).toBe('none');
  });
});

describe('saved views', () => {
  it('keep filters, columns and the order, never paging or a name searched for', () => {
    const params = new URLSearchParams('status=alleged&cols=start,place&cursor=abc&limit=10&name=Іван&startFrom=&sort=title');
    expect(viewQueryOf(params, 'title')).toEqual({ status: 'alleged', cols: 'start,place', sort: 'title' });
    // the order is kept even when it is the default and not in the address
    expect(viewQueryOf(new URLSearchParams('status=alleged'), '-createdAt')).toEqual({ status: 'alleged', sort: '-createdAt' });
  });
  it('read from this browser’s old storage only when well formed, as queries to import', () => {
    const storage = {
      getItem: () => JSON.stringify([{ name: ' b ', params: { sort: 'createdAt', name: 'Іван', types: 'protest' }, columns: ['title', 'start'] }, { nonsense: true }, { name: '', params: {}, columns: [] }]),
    };
    expect(readLegacyViews(storage, 'k')).toEqual([{ name: 'b', query: { sort: 'createdAt', types: 'protest', cols: 'title,start' } }]);
    expect(readLegacyViews({ getItem: () => '{bad json' }, 'k')).toEqual([]);
    expect(readLegacyViews({ getItem: () => null }, 'k')).toEqual([]);
  });
});

describe("the server's field messages", () => {
  it('are recognised for translation', () => {
    expect(problemKind('"2020-02-30" is not a real calendar date')).toBe('notADate');
    expect(problemKind('"2020-8" does not fit precision "month": expected YYYY-MM')).toBe('dateForm');
    expect(problemKind('end is before start')).toBe('endBeforeStart');
    expect(problemKind('is required')).toBe('required');
    expect(problemKind('Too big: expected number to be <=90')).toBe('outOfRange');
    expect(problemKind('Invalid input: expected number, received string')).toBe('notANumber');
    expect(problemKind('no person has id 0190…')).toBe('noSuchRecord');
    expect(problemKind('something new')).toBe('other');
  });
});

describe('records made on the spot from a picker', () => {
  it('ask for the required text fields, or a name in the UI language when nothing is required', () => {
    const persons = { ...meta, name: 'persons', labelFields: ['pseudonym'], fields: [field('pseudonym', 'text', { required: true }), field('sex', 'enum')] };
    expect(quickCreateFields(persons, 'be')).toEqual(['pseudonym']);
    const units = { ...meta, name: 'units', labelFields: ['nameEn', 'nameBe', 'nameRu'], fields: [field('nameBe', 'text'), field('nameRu', 'text'), field('nameEn', 'text')] };
    expect(quickCreateFields(units, 'be')).toEqual(['nameBe']);
    expect(quickCreateFields(units, 'de')).toEqual(['nameEn']);
    // an event needs a status too: not made from a picker
    expect(quickCreateFields({ ...meta, fields: [field('title', 'text', { required: true }), field('status', 'enum', { required: true })] }, 'en')).toEqual([]);
  });
});
