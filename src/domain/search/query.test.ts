import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QuerySyntaxError, formatSearchQuery, parseSearchQuery, type SearchQuery } from './query.js';

const w = (text: string, negated = false) => ({ kind: 'word' as const, text, negated });
const p = (text: string, negated = false) => ({ kind: 'prefix' as const, text, negated });
const ph = (words: string[], negated = false) => ({ kind: 'phrase' as const, words, negated });
const f = (field: string, value: string, negated = false) => ({ field, value, negated });

/** The error a query raises: its message and position. */
function failure(q: string, fields?: readonly string[]): QuerySyntaxError {
  try {
    parseSearchQuery(q, fields);
  } catch (e) {
    expect(e).toBeInstanceOf(QuerySyntaxError);
    return e as QuerySyntaxError;
  }
  throw new Error(`no error for ${q}`);
}

describe('parseSearchQuery', () => {
  it('reads words in Belarusian, Russian and English, with in-word apostrophes, hyphens, dots and colons', () => {
    expect(parseSearchQuery('катаванне Акрэсціна')).toEqual({ terms: [w('катаванне'), w('Акрэсціна')], filters: [] });
    expect(parseSearchQuery('сям’я Дар\'ева Petrova-Vodkina')).toEqual({ terms: [w('сям’я'), w("Дар'ева"), w('Petrova-Vodkina')], filters: [] });
    expect(parseSearchQuery('избиение в РУВД, 10:30; ст. 23.34')).toEqual({
      terms: [w('избиение'), w('в'), w('РУВД'), w('10:30'), w('ст'), w('23.34')],
      filters: [],
    });
    expect(parseSearchQuery('Ščarbakoŭ beaten (Minsk)?!')).toEqual({ terms: [w('Ščarbakoŭ'), w('beaten'), w('Minsk')], filters: [] });
    expect(parseSearchQuery('ч.2 арт.342 12/2020')).toEqual({ terms: [w('ч.2'), w('арт.342'), w('12/2020')], filters: [] });
  });

  it('reads phrases in straight and typographic quotes', () => {
    const two = ph(['два', 'словы']);
    for (const q of ['"два словы"', '“два словы”', '«два словы»', '„два словы“', '„два словы”', '”два словы”', '"  два,  словы "']) {
      expect(parseSearchQuery(q), q).toEqual({ terms: [two], filters: [] });
    }
    expect(parseSearchQuery('затрымалі "на вуліцы Кальварыйскай" -"у двары"')).toEqual({
      terms: [w('затрымалі'), ph(['на', 'вуліцы', 'Кальварыйскай']), ph(['у', 'двары'], true)],
      filters: [],
    });
    expect(parseSearchQuery('"type:acts -word*"').terms).toEqual([ph(['type:acts', 'word'])]); // no operators inside
  });

  it('reads prefixes and negations', () => {
    expect(parseSearchQuery('Шчарб* -збіц* !затрыманне beat*')).toEqual({
      terms: [p('Шчарб'), p('збіц', true), w('затрыманне', true), p('beat')],
      filters: [],
    });
    expect(parseSearchQuery('Жодино -"ИВС"').terms).toEqual([w('Жодино'), ph(['ИВС'], true)]);
    expect(parseSearchQuery('(-excluded) word').terms).toEqual([w('excluded', true), w('word')]);
    expect(parseSearchQuery('well-known wow! "a"-b').terms).toEqual([w('well-known'), w('wow'), ph(['a']), w('b')]);
  });

  it('reads filters, bare and quoted, negated, in any case of the field name', () => {
    expect(parseSearchQuery('type:acts method:beating from:2020-08-09 -status:alleged place:"Minsk" unit:0f8fad5b-d9cb-469f-a165-70867728950e')).toEqual({
      terms: [],
      filters: [
        f('type', 'acts'),
        f('method', 'beating'),
        f('from', '2020-08-09'),
        f('status', 'alleged', true),
        f('place', 'Minsk'),
        f('unit', '0f8fad5b-d9cb-469f-a165-70867728950e'),
      ],
    });
    expect(parseSearchQuery('ACTTYPE:detention place:«Мінск, Акрэсціна» катаванне')).toEqual({
      terms: [w('катаванне')],
      filters: [f('actType', 'detention'), f('place', 'Мінск, Акрэсціна')],
    });
    expect(parseSearchQuery('who:me', ['who']).filters).toEqual([f('who', 'me')]);
    expect(parseSearchQuery('Note: language:be').terms).toEqual([w('Note')]);
  });

  it('gives an empty query for empty, blank or punctuation-only input', () => {
    for (const q of ['', '   ', '\n\t ', ', ; ...']) expect(parseSearchQuery(q)).toEqual({ terms: [], filters: [] });
  });

  it('explains every mistake with its position', () => {
    const cases: [string, RegExp, number][] = [
      ['"unclosed phrase', /quote “"” at position 0 is never closed: close it with “"”/, 0],
      ['a «не закрыта', /quote “«” at position 2 is never closed: close it with “»”/, 2],
      ['place:"Minsk', /never closed/, 6],
      ['word - other', /A lone “-” at position 5/, 5],
      ['word -', /A lone “-”/, 5],
      ['! word', /A lone “!” at position 0/, 0],
      ['--word', /“-” at position 0 must be followed directly by a word, phrase or filter to exclude, not by “-”/, 0],
      ['*', /A “\*” at position 0 must end a word of at least two letters/, 0],
      ['word *', /A “\*” at position 5 must end a word/, 5],
      ['a*', /The prefix “a\*” at position 0 is too short: give at least two letters before “\*”/, 1],
      ['ab**', /can only end a word/, 2],
      ['ab*cd', /can only end a word/, 2],
      ['"a b"*', /can only end a word, not a phrase/, 5],
      ['-word', /only excludes/, 0],
      ['-"a phrase" !other', /only excludes/, 0],
      ['-status:alleged', /only excludes/, 0],
      ['foo:bar', /Unknown filter “foo:” at position 0\. Known filters: type:, from:, to:, compartment:, place:, facility:, unit:, actType:, method:, language:, status:/, 0],
      ['word -http://example.org', /Unknown filter “http:”/, 6],
      ['type:acts who:me', /Unknown filter “who:” at position 10\. Known filters: type:/, 10],
      ['type: acts', /The filter type: at position 0 has no value/, 5],
      ['search status:', /The filter status: at position 7 has no value/, 14],
      ['place:""', /has an empty value/, 6],
      ['""', /The phrase at position 0 is empty/, 0],
      ['word " , "', /phrase at position 5 is empty/, 5],
      ['x'.repeat(2001), /too long: at most 2000 characters, this one has 2001/, 2000],
      ['x'.repeat(257), /The word at position 0 is too long: at most 256/, 0],
      [`"${'ab '.repeat(90)}"`, /The phrase at position 0 is too long/, 0],
      [`place:${'x'.repeat(257)}`, /The filter value at position 6 is too long/, 6],
      [Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '), /Too many search terms: at most 32/, Array.from({ length: 32 }, (_, i) => `w${i} `).join('').length],
      [Array.from({ length: 33 }, () => 'type:acts').join(' '), /Too many filters: at most 32/, 32 * 10],
    ];
    for (const [q, message, position] of cases) {
      const e = failure(q);
      expect(e.message, q).toMatch(message);
      expect(e.position, q).toBe(position);
    }
    expect(failure('who:me').message).toMatch(/Unknown filter “who:”/);
    expect(failure('type:acts', ['who']).message).toMatch(/Known filters: who:\./);
  });

  it('accepts exactly the limits', () => {
    expect(parseSearchQuery(Array.from({ length: 32 }, (_, i) => `w${i}`).join(' ')).terms).toHaveLength(32);
    expect(parseSearchQuery(Array.from({ length: 32 }, () => 'type:acts').join(' ')).filters).toHaveLength(32);
    expect(parseSearchQuery('x'.repeat(256)).terms).toEqual([w('x'.repeat(256))]);
    expect(parseSearchQuery(`${' '.repeat(1990)}катаванне `).terms).toEqual([w('катаванне')]); // 2000 characters
  });
});

describe('formatSearchQuery', () => {
  it('writes a query back in the language', () => {
    expect(formatSearchQuery(parseSearchQuery('катаванне  “на вуліцы”  Шчарб* !Жодино place:«Мінск, Акрэсціна» -status:alleged'))).toBe(
      'катаванне "на вуліцы" Шчарб* -Жодино place:"Мінск, Акрэсціна" -status:alleged',
    );
    expect(formatSearchQuery({ terms: [], filters: [f('place', 'a "b" c')] })).toBe('place:«a "b" c»');
    expect(formatSearchQuery({ terms: [], filters: [] })).toBe('');
  });

  const roundTrips = (s: string) => {
    let parsed: SearchQuery;
    try {
      parsed = parseSearchQuery(s);
    } catch (e) {
      expect(e).toBeInstanceOf(QuerySyntaxError);
      expect(typeof (e as QuerySyntaxError).position).toBe('number');
      return;
    }
    expect(parseSearchQuery(formatSearchQuery(parsed)), `${s} → ${formatSearchQuery(parsed)}`).toEqual(parsed);
  };

  it('round-trips the examples', () => {
    for (const s of ['a b', '"a b" -c d*', 'type:acts place:"x y" -method:beating', 'place:”a “b" »c”', 'place:„a "b" »c“', '10:30 é:x сям’я']) roundTrips(s);
  });

  const piece = fc.constantFrom(
    'катаванне', 'Акрэсціна', 'избиение', 'beaten', 'сям’я', '23.34', '10:30', 'Petrova-Vodkina', 'Шчарб*', 'ab*', 'a*', '*',
    '-', '!', '-word', '!слова', '"два словы"', '“quoted”', '«цытата', '„лапкі“', '»', '"', '”', 'type:acts', 'place:"Minsk city"',
    '-status:alleged', 'from:2020-08-09', 'foo:bar', 'type:', 'TYPE:x', 'unit:«a b»', ',', '(', ')', '?', ':', '.', '-"x y"', 'é:x', ' ', '  ',
  );

  it('never throws anything but QuerySyntaxError, and round-trips what it parses (composed queries)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(piece, fc.constantFrom('', ' ', '  ')), { maxLength: 12 }), (parts) => roundTrips(parts.map(([a, b]) => a + b).join(''))));
  });

  it('never throws anything but QuerySyntaxError, and round-trips what it parses (any text)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), roundTrips), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'ab я:-!*"“”«»„ \'’.,/'.split('')), maxLength: 40 }), roundTrips), { numRuns: 1000 });
  });
});
