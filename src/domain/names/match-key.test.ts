import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldWord, nameMatchKeys } from './match-key.js';

describe('name match keys', () => {
  const meet = (...spellings: string[]) => {
    const keys = spellings.map(foldWord);
    expect(new Set(keys).size, `${spellings.join(' / ')} → ${keys.join(' / ')}`).toBe(1);
  };

  it('folds the Belarusian spellings of a name and their romanisations into one key', () => {
    meet('Прыкладная', 'Prykladnaya', 'Prykladnaja', 'PRYKLADNAIA', 'prykladnaia');
    meet('Аляксандра', 'Aliaksandra', 'Aljaksandra', 'Alyaksandra');
    meet('Карпянкоў', 'Karpiankoŭ', 'Karpiankou', 'Karpyankow');
    meet('Жаваранкоў', 'Zhavarankou', 'Žavarankoŭ');
  });

  it('folds Russian spellings and their romanisations (ё as е, х as kh/h, ц as ts/c, ий as y/iy)', () => {
    meet('Карпенков', 'Karpenkov');
    meet('Чернышёв', 'Чернышев', 'Chernyshev');
    meet('Хмельницкий', 'Khmelnitsky', 'Khmelnitskiy', 'Hmelnitskij');
    meet('Щукин', 'Shchukin');
    meet('Ёлкин', 'Елкин', 'Elkin');
  });

  it('ignores case, order of words, apostrophes and initials', () => {
    expect(nameMatchKeys('Аляксандра Прыкладная').sort()).toEqual(nameMatchKeys('PRYKLADNAYA, aliaksandra').sort());
    expect(nameMatchKeys('Вераніка Дар’ева')).toEqual(nameMatchKeys("Veranika Dar'eva"));
    expect(nameMatchKeys('A. Prykladnaya')).toEqual(['prykladnaia']);
  });

  it('keeps different names apart', () => {
    expect(foldWord('Прыкладная')).not.toBe(foldWord('Прыкладны'));
    expect(foldWord('Ivanov')).not.toBe(foldWord('Ivanova'));
  });

  it('never throws and yields only [a-z0-9] keys, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        for (const k of nameMatchKeys(s)) expect(k).toMatch(/^[a-z0-9]{2,}$/);
      }),
    );
  });
});
