import { describe, expect, it } from 'vitest';
import { recordType } from '../../../domain/records/catalog.js';
import { VOCABULARY_SEED } from '../../../domain/vocabularies/seed.js';
import { convertRow, convertValue, parseFuzzyDate, resolveMapping, VocabIndex } from './convert.js';

const seedTerms = (name: string) => new VocabIndex(VOCABULARY_SEED.find((v) => v.name === name)!.terms);

describe('dates as lists write them', () => {
  it('reads day-first dates (Belarus, Russia), ISO dates, months and years', () => {
    expect(parseFuzzyDate('10.08.2020')).toEqual({ value: '2020-08-10', precision: 'day' });
    expect(parseFuzzyDate('1/8/2020')).toEqual({ value: '2020-08-01', precision: 'day' });
    expect(parseFuzzyDate('2020-08-10')).toEqual({ value: '2020-08-10', precision: 'day' });
    expect(parseFuzzyDate('08.2020')).toEqual({ value: '2020-08', precision: 'month' });
    expect(parseFuzzyDate('2020-08')).toEqual({ value: '2020-08', precision: 'month' });
    expect(parseFuzzyDate(' 2020 ')).toEqual({ value: '2020', precision: 'year' });
    expect(parseFuzzyDate('каля 2020')).toEqual({ value: '2020', precision: 'estimate' });
    expect(parseFuzzyDate('10.08.2020 23:15')).toEqual({ value: '2020-08-10T23:15:00+03:00', precision: 'exact' });
    expect(parseFuzzyDate('2020-08-10T20:15:00Z')).toEqual({ value: '2020-08-10T20:15:00Z', precision: 'exact' });
  });
  it('refuses what is no date, or no real one, without quoting the cell', () => {
    expect(parseFuzzyDate('31.02.2020')).toBe('the value is not a real calendar date');
    expect(parseFuzzyDate('13.13.2020')).toBe('the value is not a real calendar date');
    expect(parseFuzzyDate('учора')).toMatch(/^the value is not a date: write 2020-08-10, 10.08.2020 \(day first\)/);
    expect(parseFuzzyDate('10.08.20')).toMatch(/is not a date/);
  });
});

describe('vocabulary values', () => {
  const kinds = seedTerms('proceeding-kinds');
  it('match a term by code or by any of its labels, ignoring case and spaces', () => {
    expect(kinds.match('criminal')).toBe('criminal');
    expect(kinds.match('  Крымінальны   працэс ')).toBe('criminal');
    expect(kinds.match('уголовный процесс')).toBe('criminal');
    expect(kinds.match('Criminal Proceedings')).toBe('criminal');
    expect(kinds.match('crim')).toBeUndefined();
  });
  it('an unknown value is a problem with the closest terms, and no term is made', () => {
    const r = convertValue(recordType('proceedings').fields.kind!, 'Адміністрацыйны працес', kinds);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/is not a term of the "proceeding-kinds" vocabulary/);
    expect(r.suggestions?.[0]).toEqual({ code: 'administrative', label: 'Адміністрацыйны працэс' });
  });
  it('a list cell takes several terms separated by | or ;', () => {
    const roles = seedTerms('person-roles');
    expect(convertValue(recordType('persons').fields.roles!, 'Сведка; journalist | Пострадавший', roles)).toEqual({ ok: true, value: ['witness', 'journalist', 'victim'] });
  });
});

describe('other kinds', () => {
  const f = recordType('sentences').fields;
  it('numbers with spaces and decimal commas, yes/no in three languages, enums by label', () => {
    expect(convertValue(f.days!, '1 095')).toEqual({ ok: true, value: 1095 });
    expect(convertValue(f.fineBaseUnits!, '12,5')).toEqual({ ok: true, value: 12.5 });
    expect(convertValue(f.suspended!, 'Так')).toEqual({ ok: true, value: true });
    expect(convertValue(f.suspended!, 'нет')).toEqual({ ok: true, value: false });
    expect(convertValue(recordType('persons').fields.sex!, 'female')).toEqual({ ok: true, value: 'female' });
    expect(convertValue(f.days!, 'пятнаццаць').ok).toBe(false);
  });
  it('a reference must be a record id', () => {
    expect(convertValue(recordType('proceedings').fields.defendant!, 'Іваноў').ok).toBe(false);
  });
});

describe('mapping', () => {
  const persons = recordType('persons');
  it('sends identity parts into the encrypted identity, contacts and documents as lists', () => {
    const header = ['Псеўданім', 'Прозвішча', 'Імя', 'Нарадзіўся', 'Тэлефон', 'Пашпарт'];
    const m = resolveMapping(persons, header, {
      Псеўданім: 'pseudonym',
      Прозвішча: 'identity.familyName',
      Імя: 'identity.givenName',
      Нарадзіўся: 'identity.birthDate',
      Тэлефон: 'identity.phone',
      '#6': 'identity.passport',
    });
    const r = convertRow(m, 2, ['А-17', 'Кавалёва', 'Алена', '03.05.1990', '+375 29 000-00-00', 'MP0000000'], new Map());
    expect(r.problems).toEqual([]);
    expect(r.input).toEqual({
      pseudonym: 'А-17',
      identity: {
        familyName: 'Кавалёва',
        givenName: 'Алена',
        birthDate: { value: '1990-05-03', precision: 'day' },
        contacts: [{ kind: 'phone', value: '+375 29 000-00-00' }],
        documents: [{ kind: 'passport', number: 'MP0000000' }],
      },
    });
  });
  it('refuses unknown columns and fields at once, naming what exists', () => {
    expect(() => resolveMapping(persons, ['A'], { B: 'pseudonym' })).toThrow(/the list has no column "B"; its columns: A/);
    expect(() => resolveMapping(persons, ['A'], { A: 'surname' })).toThrow(/"surname" is not a field of persons; one of: pseudonym/);
    expect(() => resolveMapping(persons, ['A', 'A'], { A: 'pseudonym' })).toThrow(/two columns are headed "A"/);
  });
});

describe('problem codes (the web says them in the reader’s language)', () => {
  const codeOf = (r: ReturnType<typeof convertValue>) => (r.ok ? null : { code: r.code, params: r.params });
  const s = recordType('sentences').fields;
  it('gives each kind of wrong cell its code, and params that never quote the cell', () => {
    expect(codeOf(convertValue(s.baseUnitDate!, 'учора'))).toEqual({ code: 'not-a-date', params: undefined });
    expect(codeOf(convertValue(s.baseUnitDate!, '31.02.2020'))).toEqual({ code: 'not-a-calendar-date', params: undefined });
    expect(codeOf(convertValue(s.baseUnitDate!, '08.2020'))).toEqual({ code: 'not-a-whole-date', params: undefined });
    expect(codeOf(convertValue(recordType('consents').fields.obtainedAt!, '2020'))).toEqual({ code: 'date-without-day', params: undefined });
    expect(codeOf(convertValue(s.days!, 'пятнаццаць'))).toEqual({ code: 'not-a-whole-number', params: undefined });
    expect(codeOf(convertValue(s.fineBaseUnits!, 'шмат'))).toEqual({ code: 'not-a-number', params: undefined });
    expect(codeOf(convertValue(s.suspended!, 'магчыма'))).toEqual({ code: 'not-yes-or-no', params: undefined });
    expect(codeOf(convertValue(recordType('persons').fields.sex!, 'жанчына?'))).toEqual({ code: 'not-an-allowed-value', params: { values: 'female, male, other, unknown' } });
    expect(codeOf(convertValue(recordType('proceedings').fields.defendant!, 'Іваноў'))).toEqual({ code: 'not-a-record-id', params: undefined });
    const kinds = seedTerms('proceeding-kinds');
    expect(codeOf(convertValue(recordType('proceedings').fields.kind!, 'Адміністрацыйны працес', kinds))).toEqual({ code: 'unknown-term', params: { vocabulary: 'proceeding-kinds' } });
    const roles = seedTerms('person-roles');
    expect(codeOf(convertValue(recordType('persons').fields.roles!, 'Сведка; Сакрэтар', roles))).toEqual({ code: 'unknown-term', params: { vocabulary: 'person-roles', position: 2, count: 2 } });
  });
  it('a row’s problems carry the code, an identity date’s too', () => {
    const persons = recordType('persons');
    const m = resolveMapping(persons, ['Дата', 'Ролі'], { 'Дата': 'identity.birthDate', 'Ролі': 'roles' });
    const r = convertRow(m, 5, ['45.13.1990', 'Сведак'], new Map([['person-roles', seedTerms('person-roles')]]));
    expect(r.problems.map((p) => [p.row, p.column, p.code, p.params])).toEqual([
      [5, 'Дата', 'not-a-calendar-date', undefined],
      [5, 'Ролі', 'unknown-term', { vocabulary: 'person-roles' }],
    ]);
    expect(JSON.stringify(r.problems.map((p) => p.params))).not.toMatch(/45\.13|Сведак/);
  });
});
