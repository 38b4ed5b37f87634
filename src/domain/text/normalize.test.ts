import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldCase, normalizeApostrophes, stripLatinDiacritics } from './normalize.js';

describe('foldCase', () => {
  it('lower-cases Cyrillic, Latin and Greek', () => {
    expect(foldCase('ЗАТРЫМАННЕ на АКРЭСЦІНА')).toBe('затрыманне на акрэсціна');
    expect(foldCase('ОМОН')).toBe('омон');
    expect(foldCase('Police')).toBe('police');
    expect(foldCase('ΟΔΥΣΣΕΥΣ')).toBe('οδυσσευσ');
  });

  it('applies full folding: ß → ss, final sigma → σ, compatibility forms (NFKC)', () => {
    expect(foldCase('Straße')).toBe('strasse');
    expect(foldCase('STRAẞE')).toBe('strasse');
    expect(foldCase('λόγος')).toBe('λόγοσ');
    expect(foldCase('ﬁle')).toBe('file');
    expect(foldCase('ＡＢＣ１２')).toBe('abc12');
  });

  it('leaves the Turkish dotless ı alone', () => {
    expect(foldCase('ı')).toBe('ı');
    expect(foldCase('I')).toBe('i');
  });

  it('folds ё to е, keeps і, ў, й and ї', () => {
    expect(foldCase('Ёлкин, сям’ёй')).toBe('елкин, сям’ей');
    expect(foldCase('ІЎЙЇ')).toBe('іўйї');
    // decomposed й (и + U+0306) is composed, not stripped
    expect(foldCase('и\u0306')).toBe('й');
  });

  it('removes stress marks from Cyrillic but not accents from Latin', () => {
    expect(foldCase('замо́к')).toBe('замок');
    expect(foldCase('за́мок')).toBe('замок');
    expect(foldCase('ѝ ѐ')).toBe('и е');
    expect(foldCase('Café')).toBe('café');
    expect(foldCase('Cafe\u0301')).toBe('café');
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = foldCase(s);
        expect(foldCase(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('stripLatinDiacritics', () => {
  it('strips Latin diacritics, Łacinka included', () => {
    expect(stripLatinDiacritics('Łacinka: Žodzina, Akreścina, čaŭ')).toBe('Lacinka: Zodzina, Akrescina, cau');
    expect(stripLatinDiacritics('é è ê ë ñ ø đ ħ Å')).toBe('e e e e n o d h A');
  });

  it('leaves Cyrillic letters with marks alone', () => {
    expect(stripLatinDiacritics('й ё ў ї Й Ё Ў')).toBe('й ё ў ї Й Ё Ў');
    expect(stripLatinDiacritics('Жодзіна, Žodzina')).toBe('Жодзіна, Zodzina');
  });

  it('never throws, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = stripLatinDiacritics(s);
        expect(stripLatinDiacritics(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalizeApostrophes', () => {
  it('maps every apostrophe to U+0027', () => {
    expect(normalizeApostrophes('сям’я Дарʼя аб`ём п´еш Дар‘я')).toBe("сям'я Дар'я аб'ём п'еш Дар'я");
  });

  it('changes nothing else and keeps the length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = normalizeApostrophes(s);
        expect(out.length).toBe(s.length);
        expect(normalizeApostrophes(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});
