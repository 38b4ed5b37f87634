import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { columnName, fieldColumns, fuzzyDateLowerBound, fuzzyDateProblem } from './fields.js';
import { RECORD_TYPES, referrersOf } from './catalog.js';
import { VOCABULARY_NAMES } from '../vocabularies/vocabulary.js';
import { VOCABULARY_SEED } from '../vocabularies/seed.js';

describe('approximate dates', () => {
  it('accepts each precision in its own form and refuses other forms', () => {
    expect(fuzzyDateProblem({ value: '2020-08-10T23:15:00+03:00', precision: 'exact' })).toBeNull();
    expect(fuzzyDateProblem({ value: '2020-08-10', precision: 'day' })).toBeNull();
    expect(fuzzyDateProblem({ value: '2020-08', precision: 'month' })).toBeNull();
    expect(fuzzyDateProblem({ value: '2020', precision: 'year' })).toBeNull();
    expect(fuzzyDateProblem({ value: '2020-08', precision: 'estimate' })).toBeNull();
    expect(fuzzyDateProblem({ value: null, precision: 'unknown' })).toBeNull();
    expect(fuzzyDateProblem({ value: '2020-08-10', precision: 'month' })).toMatch(/expected YYYY-MM/);
    expect(fuzzyDateProblem({ value: '2020-08-10T23:15:00', precision: 'exact' })).toMatch(/with zone/);
    expect(fuzzyDateProblem({ value: null, precision: 'day' })).toMatch(/needs a value/);
    expect(fuzzyDateProblem({ value: '2020', precision: 'unknown' })).toMatch(/carries no value/);
  });

  it('refuses dates that are not on the calendar', () => {
    expect(fuzzyDateProblem({ value: '2021-02-29', precision: 'day' })).toMatch(/not a real calendar date/);
    expect(fuzzyDateProblem({ value: '2020-02-29', precision: 'day' })).toBeNull();
    expect(fuzzyDateProblem({ value: '2020-13', precision: 'month' })).toMatch(/not a real calendar date/);
  });

  it('gives every valid day its own lower bound, which sorts like the dates themselves', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (a, b) => {
        const da = a.toISOString().slice(0, 10);
        const db = b.toISOString().slice(0, 10);
        expect(fuzzyDateProblem({ value: da, precision: 'day' })).toBeNull();
        const la = fuzzyDateLowerBound({ value: da, precision: 'day' })!;
        const lb = fuzzyDateLowerBound({ value: db, precision: 'day' })!;
        const byDay = Math.sign(Date.parse(da) - Date.parse(db));
        expect(Math.sign(la < lb ? -1 : la > lb ? 1 : 0)).toBe(byDay);
      }),
    );
    expect(fuzzyDateLowerBound({ value: '2020-08', precision: 'month' })).toBe('2020-08-01');
    expect(fuzzyDateLowerBound({ value: '2020', precision: 'year' })).toBe('2020-01-01');
  });
});

describe('the record catalog', () => {
  it('names columns in snake case and gives each approximate date three columns', () => {
    expect(columnName('detainedAt')).toBe('detained_at');
    expect(fieldColumns('start', { kind: 'fuzzyDate', description: '' })).toEqual(['start_value', 'start_precision', 'start_from']);
    expect(fieldColumns('event', { kind: 'ref', target: 'events', description: '' })).toEqual(['event_id']);
    expect(fieldColumns('methods', { kind: 'vocabList', vocabulary: 'methods', description: '' })).toEqual([]);
  });

  it('refers only to record types and vocabularies that exist, and labels every type by its own fields', () => {
    const seeded = new Set(VOCABULARY_SEED.map((v) => v.name));
    for (const def of RECORD_TYPES.values()) {
      for (const [name, f] of Object.entries(def.fields)) {
        if (f.kind === 'ref' || f.kind === 'refList') expect(RECORD_TYPES.has(f.target), `${def.name}.${name}`).toBe(true);
        if (f.kind === 'vocab' || f.kind === 'vocabList') {
          expect(VOCABULARY_NAMES, `${def.name}.${name}`).toContain(f.vocabulary);
          expect(seeded.has(f.vocabulary), `${def.name}.${name} uses ${f.vocabulary}, which ships no terms`).toBe(true);
        }
      }
      for (const l of def.labelFields) expect(def.fields[l], `${def.name} label ${l}`).toBeDefined();
    }
  });

  it('knows who refers to a record type', () => {
    const toUnits = referrersOf('units').map((r) => `${r.type.name}.${r.field}`);
    expect(toUnits).toEqual(expect.arrayContaining(['units.parent', 'positions.unit', 'facilities.operator', 'detentions.detainingUnits', 'involvements.unit', 'proceedings.court']));
  });

  it('ships every vocabulary with terms', () => {
    expect(VOCABULARY_SEED.map((v) => v.name)).toEqual([...VOCABULARY_NAMES]);
    for (const v of VOCABULARY_SEED) expect(v.terms.length, v.name).toBeGreaterThan(2);
  });
});
