import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tokenize } from './tokenize.js';

const norms = (text: string) => tokenize(text).map((t) => t.norm);
const texts = (text: string) => tokenize(text).map((t) => t.text);

describe('tokenize', () => {
  it('splits words in any script and folds them', () => {
    expect(norms('Затрыманы на Акрэсціна; задержан в ИВС. Detained in Žodzina!')).toEqual([
      'затрыманы', 'на', 'акрэсціна', 'задержан', 'в', 'ивс', 'detained', 'in', 'žodzina',
    ]);
    expect(norms('Ёлкин')).toEqual(['елкин']);
  });

  it('keeps apostrophes inside a word and normalises them', () => {
    expect(norms('сям’я, Дар’я і сям\'і; Дарʼя')).toEqual(["сям'я", "дар'я", 'і', "сям'і", "дар'я"]);
    expect(texts('сям’я')).toEqual(['сям’я']);
    // an apostrophe not between two letters separates
    expect(texts("'цытата' rights' ’ 5'6")).toEqual(['цытата', 'rights', '5', '6']);
  });

  it('splits hyphenated compounds into their parts', () => {
    expect(texts('Alpha-2, тэлеграм-канал, 23-га')).toEqual(['Alpha', '2', 'тэлеграм', 'канал', '23', 'га']);
  });

  it('keeps dotted article numbers whole, and plain numbers', () => {
    expect(texts('арт. 23.34 КаАП, арт. 342 КК, 1.2.3')).toEqual(['арт', '23.34', 'КаАП', 'арт', '342', 'КК', '1.2.3']);
    expect(texts('342.')).toEqual(['342']);
    expect(texts('v.2')).toEqual(['v', '2']);
  });

  it('gives UTF-16 offsets into the original text and counts positions', () => {
    const text = 'Ў 𝔘нікод — ЗАТРЫМА́ННЕ!';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.position)).toEqual([0, 1, 2]);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(tokens[2]?.norm).toBe('затрыманне');
  });

  it('stops at maxTokens', () => {
    expect(tokenize('a b c d', { maxTokens: 2 }).map((t) => t.text)).toEqual(['a', 'b']);
    expect(tokenize('a b c d', { maxTokens: 0 })).toEqual([]);
    expect(tokenize('a b c d', { maxTokens: -5 })).toEqual([]);
    expect(tokenize('a b c d', { maxTokens: Number.NaN })).toHaveLength(4);
    expect(tokenize('a '.repeat(200_010))).toHaveLength(200_000);
  });

  it('returns nothing for text without words', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' — …, ‘’ \n\t')).toEqual([]);
  });

  it('handles 1 MB of text in linear time', () => {
    const sentence = 'Сям’я затрыманага на Акрэсціна, арт. 23.34 — detained in Minsk. ';
    const big = sentence.repeat(Math.ceil(1_000_000 / sentence.length));
    const t0 = performance.now();
    const tokens = tokenize(big);
    const elapsed = performance.now() - t0;
    expect(tokens.length).toBe(9 * Math.ceil(1_000_000 / sentence.length));
    expect(elapsed).toBeLessThan(5_000);
    // One word of 1 MB and 1 MB of separators are linear too.
    expect(tokenize('а'.repeat(1_000_000))).toHaveLength(1);
    expect(tokenize("а'".repeat(500_000))).toHaveLength(1);
    expect(tokenize('-'.repeat(1_000_000))).toHaveLength(0);
  });

  it('never throws; tokens are ordered, disjoint, non-empty slices of the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const tokens = tokenize(s);
        let prevEnd = 0;
        tokens.forEach((t, i) => {
          expect(t.position).toBe(i);
          expect(t.start).toBeGreaterThanOrEqual(prevEnd);
          expect(t.end).toBeGreaterThan(t.start);
          expect(s.slice(t.start, t.end)).toBe(t.text);
          prevEnd = t.end;
        });
      }),
      { numRuns: 500 },
    );
  });
});
