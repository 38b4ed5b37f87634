import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectLanguage, stemFor } from './language.js';

describe('detectLanguage', () => {
  it('tells Belarusian by і, ў and the apostrophe', () => {
    expect(detectLanguage('Затрыманы на Акрэсціна')).toBe('be');
    expect(detectLanguage('Яго вывезлі ў Жодзіна')).toBe('be');
    expect(detectLanguage('сям’я')).toBe('be');
  });

  it('tells Russian by и, щ, ъ', () => {
    expect(detectLanguage('Задержан и помещён в ИВС')).toBe('ru');
    expect(detectLanguage('объявление')).toBe('ru');
    expect(detectLanguage('ещё')).toBe('ru');
  });

  it('uses common words when letters do not tell', () => {
    expect(detectLanguage('что это')).toBe('ru');
    expect(detectLanguage('гэта што')).toBe('be');
  });

  it('takes Latin text as English', () => {
    expect(detectLanguage('Detained in Minsk on 9 August')).toBe('en');
  });

  it('goes by the majority in mixed texts', () => {
    expect(detectLanguage('Ён сказаў: «что?», і пайшоў да дома, яго сям’я чакала')).toBe('be');
    expect(detectLanguage('Он сказал «дзякуй» и ушёл, его ждали в изоляторе')).toBe('ru');
    expect(detectLanguage('Ivanov was held in the Akrestsina detention centre (ЦИП)')).toBe('en');
    expect(detectLanguage('Суд над Ivanov прошёл в Минске')).toBe('ru');
  });

  it('returns null when there is nothing to go on', () => {
    expect(detectLanguage('')).toBeNull();
    expect(detectLanguage('2020 — 342, 23.34')).toBeNull();
    expect(detectLanguage('суд')).toBeNull(); // the same word in both languages
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect([null, 'be', 'ru', 'en']).toContain(detectLanguage(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('stemFor', () => {
  it('dispatches Cyrillic words by lang, or by their letters when lang is null', () => {
    expect(stemFor('ізалятарах', 'be')).toBe('ізалятар');
    expect(stemFor('изоляторах', 'ru')).toBe('изолятор');
    expect(stemFor('ізалятарах', null)).toBe('ізалятар');
    expect(stemFor('изоляторах', null)).toBe('изолятор');
    expect(stemFor('затрымання', 'be')).toBe('затрыман');
    expect(stemFor('окрестина', null)).toBe('окрестин'); // no і/ў: Russian
    expect(stemFor('жодзіна', null)).toBe('жодзін');
  });

  it("lets a word's own letters win over a contradicting lang", () => {
    expect(stemFor('изоляторах', 'be')).toBe('изолятор');
    expect(stemFor('ізалятарах', 'ru')).toBe('ізалятар');
  });

  it('stems Latin words as English only when lang is en or null', () => {
    expect(stemFor('detentions', 'en')).toBe('detent');
    expect(stemFor('detentions', null)).toBe('detent');
    expect(stemFor('detentions', 'be')).toBe('detentions');
    expect(stemFor('akrescina', 'ru')).toBe('akrescina');
  });

  it('leaves numbers and other scripts alone', () => {
    expect(stemFor('23.34', null)).toBe('23.34');
    expect(stemFor('342', 'ru')).toBe('342');
    expect(stemFor('σπίτια', 'en')).toBe('σπίτια');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('be', 'ru', 'en', null), (s, lang) => {
        expect(typeof stemFor(s, lang as 'be' | null)).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});
