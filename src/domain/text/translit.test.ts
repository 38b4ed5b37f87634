import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BELARUSIAN_SYSTEMS,
  RUSSIAN_SYSTEMS,
  guessCyrillicLanguage,
  romanizations,
  romanizeBelarusian,
  romanizeRussian,
  type BelarusianSystem,
  type RussianSystem,
} from './translit.js';
import { BELARUSIAN_VECTORS, RUSSIAN_VECTORS, type VectorTable } from './translit-vectors.js';

const BE_IDS = BELARUSIAN_SYSTEMS.map((s) => s.id);
const RU_IDS = RUSSIAN_SYSTEMS.map((s) => s.id);
const CYRILLIC = /\p{Script=Cyrillic}/u;

function romanize(t: VectorTable, text: string): string {
  return t.lang === 'be'
    ? romanizeBelarusian(text, t.system as BelarusianSystem)
    : romanizeRussian(text, t.system as RussianSystem);
}

describe('test vector tables', () => {
  for (const table of [...BELARUSIAN_VECTORS, ...RUSSIAN_VECTORS]) {
    describe(`${table.lang} ${table.system} — ${table.source}`, () => {
      it.each(table.vectors.map(([c, l]) => ({ c, l })))('$c → $l', ({ c, l }) => {
        expect(romanize(table, c)).toBe(l);
      });
    });
  }

  it('has at least 50 vectors per system, 20 of them whole words, each table with a source', () => {
    const systems = [...BE_IDS.map((id) => ['be', id] as const), ...RU_IDS.map((id) => ['ru', id] as const)];
    for (const [lang, id] of systems) {
      const tables = [...BELARUSIAN_VECTORS, ...RUSSIAN_VECTORS].filter((t) => t.lang === lang && t.system === id);
      const all = tables.flatMap((t) => t.vectors);
      const words = tables.filter((t) => !t.source.includes('table rows')).flatMap((t) => t.vectors);
      expect(all.length, `${lang} ${id}`).toBeGreaterThanOrEqual(50);
      expect(words.length, `${lang} ${id}`).toBeGreaterThanOrEqual(20);
      for (const t of tables) expect(t.source.length).toBeGreaterThan(10);
    }
  });
});

describe('systems metadata', () => {
  it('lists every system with a label and a source', () => {
    expect(BE_IDS).toEqual(['by-2007', 'by-2023', 'icao-9303', 'bgn-pcgn']);
    expect(RU_IDS).toEqual(['bgn-pcgn', 'icao-9303', 'iso-9', 'gost-7.79-b']);
    for (const s of [...BELARUSIAN_SYSTEMS, ...RUSSIAN_SYSTEMS]) {
      expect(s.label.length).toBeGreaterThan(3);
      expect(s.source).toMatch(/\d{4}/);
    }
  });

  it('rejects an unknown system', () => {
    expect(() => romanizeBelarusian('Мінск', 'nope' as BelarusianSystem)).toThrow(/unknown/);
    expect(() => romanizeRussian('Москва', 'nope' as RussianSystem)).toThrow(/unknown/);
  });
});

describe('DOMAIN.md: one official across scripts', () => {
  it('Карпянкоў → Karpiankoŭ / Karpiankow / Karpiankou / Karpyankow', () => {
    expect(romanizeBelarusian('Карпянкоў', 'by-2007')).toBe('Karpiankoŭ');
    expect(romanizeBelarusian('Карпянкоў', 'by-2023')).toBe('Karpiankow');
    expect(romanizeBelarusian('Карпянкоў', 'icao-9303')).toBe('Karpiankou');
    expect(romanizeBelarusian('Карпянкоў', 'bgn-pcgn')).toBe('Karpyankow');
  });

  it('Карпенков (Russian) → Karpenkov by every Russian system', () => {
    for (const s of RU_IDS) expect(romanizeRussian('Карпенков', s)).toBe('Karpenkov');
  });

  it('Щербаков → Shcherbakov / Ŝerbakov / Shherbakov', () => {
    expect(romanizeRussian('Щербаков', 'bgn-pcgn')).toBe('Shcherbakov');
    expect(romanizeRussian('Щербаков', 'icao-9303')).toBe('Shcherbakov');
    expect(romanizeRussian('Щербаков', 'iso-9')).toBe('Ŝerbakov');
    expect(romanizeRussian('Щербаков', 'gost-7.79-b')).toBe('Shherbakov');
  });
});

describe('case', () => {
  it('keeps Title Case and ALL CAPS words, digraphs included', () => {
    expect(romanizeRussian('ЩУКИН', 'bgn-pcgn')).toBe('SHCHUKIN');
    expect(romanizeRussian('Щукин', 'bgn-pcgn')).toBe('Shchukin');
    expect(romanizeRussian('ЩУКИН', 'icao-9303')).toBe('SHCHUKIN');
    expect(romanizeRussian('ЁЛКИН', 'bgn-pcgn')).toBe('YËLKIN');
    expect(romanizeRussian('ЮРЬЕВ', 'gost-7.79-b')).toBe('YUR`EV');
    expect(romanizeBelarusian('ЖЛОБІН', 'by-2007')).toBe('ŽLOBIN');
    expect(romanizeBelarusian('ЖЛОБІН', 'by-2023')).toBe('ZHLOBIN');
    expect(romanizeBelarusian('ХОЦІМСК', 'by-2007')).toBe('CHOCIMSK');
    expect(romanizeBelarusian('ГОМЕЛЬ', 'by-2007')).toBe('HOMIEĹ');
    expect(romanizeBelarusian('ЯЎГЕН', 'by-2007')).toBe('JAŬHIEN');
    expect(romanizeBelarusian('ЯЎГЕН', 'bgn-pcgn')).toBe('YAWHYEN');
    expect(romanizeBelarusian('КАРПЯНКОЎ АЛЯКСАНДР', 'icao-9303')).toBe('KARPIANKOU ALIAKSANDR');
  });

  it('capitalises a single capital (an initial) and leaves lower case alone', () => {
    expect(romanizeRussian('Щ. Ю. Щукин', 'bgn-pcgn')).toBe('Shch. Yu. Shchukin');
    expect(romanizeBelarusian('Я. Купала', 'by-2007')).toBe('Ja. Kupala');
    expect(romanizeBelarusian('шчучын', 'by-2007')).toBe('ščučyn');
  });

  it('handles capitals inside a word (МакДональд) and mixed-case words letter by letter', () => {
    expect(romanizeRussian('МакШейн', 'bgn-pcgn')).toBe('MakSheyn');
  });
});

describe('context rules', () => {
  it('е ё ю я at the start of a word, after a vowel, after ь/ъ/’ and after a consonant', () => {
    // by-2007 / by-2023: j form initially, after a vowel, ў, ь or ’; i form after a consonant
    expect(romanizeBelarusian('Ельск Бабаедава Іўе Вераб’ёвічы Мёры Юхнаўка Лепель', 'by-2007')).toBe(
      'Jeĺsk Babajedava Iŭje Vierabjovičy Miory Juchnaŭka Liepieĺ',
    );
    expect(romanizeBelarusian('Ельск Бабаедава Іўе Вераб’ёвічы Мёры Юхнаўка', 'by-2023')).toBe(
      'Jelsk Babajedava Iwje Vierabjovichy Miory Jukhnawka',
    );
    // BGN/PCGN Belarusian: ye yo yu ya everywhere
    expect(romanizeBelarusian('Ельск Мёры Юхнаўка Няміга', 'bgn-pcgn')).toBe('Yel’sk Myory Yukhnawka Nyamiha');
    // BGN/PCGN Russian: ye / yë only initially and after vowels, й, ъ, ь
    expect(romanizeRussian('Елена Ёлкин Андреев Объезд Воробьёв Петров Фёдор', 'bgn-pcgn')).toBe(
      'Yelena Yëlkin Andreyev Ob”yezd Vorob’yëv Petrov Fëdor',
    );
    // ICAO: no context
    expect(romanizeRussian('Елена Ёлкин Андреев Объезд', 'icao-9303')).toBe('Elena Elkin Andreev Obieezd');
    expect(romanizeBelarusian('Ельск Юхнаўка Яўген', 'icao-9303')).toBe('Elsk Iukhnauka Iauhen');
  });

  it('soft sign: acute on з л н с ц (2007), dropped (2023, ICAO), ’ (BGN)', () => {
    expect(romanizeBelarusian('Зэльва Любань Смаргонь Шацьк Кузьма Дзьмітры', 'by-2007')).toBe(
      'Zeĺva Liubań Smarhoń Šaćk Kuźma Dźmitry',
    );
    expect(romanizeBelarusian('Зэльва Любань Смаргонь', 'by-2023')).toBe('Zelva Liuban Smargon');
    expect(romanizeBelarusian('Зэльва Любань Смаргонь', 'icao-9303')).toBe('Zelva Liuban Smarhon');
    expect(romanizeBelarusian('Зэльва Любань Смаргонь', 'bgn-pcgn')).toBe('Zel’va Lyuban’ Smarhon’');
    // the letter after a separating ь takes the j form
    expect(romanizeBelarusian('Васільева', 'by-2007')).toBe('Vasiĺjeva');
    expect(romanizeBelarusian('Васільева', 'by-2023')).toBe('Vasiljeva');
    expect(romanizeBelarusian('Ільля', 'by-2007')).toBe('Iĺlia');
  });

  it('apostrophe: any apostrophe character in a word, dropped or ”; quotation marks pass through', () => {
    for (const a of ["'", '’', 'ʼ']) {
      expect(romanizeBelarusian(`Вераб${a}ёвічы`, 'by-2007')).toBe('Vierabjovičy');
      expect(romanizeBelarusian(`Сям${a}я`, 'icao-9303')).toBe('Siamia');
      expect(romanizeBelarusian(`Сям${a}я`, 'bgn-pcgn')).toBe('Syam”ya');
    }
    expect(romanizeBelarusian('Мар’іна Горка', 'by-2007')).toBe('Marjina Horka');
    expect(romanizeBelarusian("'Мінск'", 'by-2007')).toBe("'Minsk'");
    expect(romanizeRussian("об'ява", 'bgn-pcgn')).toBe("ob'yava");
  });

  it('GOST 7.79 B: ц is c before i, e, y, j and cz elsewhere', () => {
    expect(romanizeRussian('цирк цепь цыган цюрих царь ц', 'gost-7.79-b')).toBe('cirk cep` cy`gan cyurix czar` cz');
  });

  it('BGN/PCGN middle dot, only when asked', () => {
    expect(romanizeRussian('Детский Мытищи', 'bgn-pcgn')).toBe('Detskiy Mytishchi');
    expect(romanizeRussian('Детский', 'bgn-pcgn', { separators: true })).toBe('Det·skiy');
    expect(romanizeRussian('веснушчатый Тыайа', 'bgn-pcgn', { separators: true })).toBe('vesnush·chatyy Ty·ay·a');
    expect(romanizeBelarusian('Збраслаў зганіць', 'bgn-pcgn', { separators: true })).toBe('Zbraslaw z·hanits’');
    expect(romanizeBelarusian('Брэст', 'bgn-pcgn', { separators: true })).toBe('Brest');
  });

  it('whole texts: spaces, punctuation, digits and Latin pass through', () => {
    expect(romanizeBelarusian('Мінск, 25.03.2020 — «Вясна»: Minsk!', 'by-2007')).toBe('Minsk, 25.03.2020 — «Viasna»: Minsk!');
    expect(romanizeRussian('Москва (ул. Тверская, д. 7)', 'iso-9')).toBe('Moskva (ul. Tverskaâ, d. 7)');
    expect(romanizeRussian('', 'bgn-pcgn')).toBe('');
  });

  it('reads decomposed й and ё as the letters (NFC first)', () => {
    expect(romanizeRussian('Ё'.normalize('NFD') + 'лкин Чайка'.normalize('NFD'), 'bgn-pcgn')).toBe('Yëlkin Chayka');
  });

  it('letters outside the language still romanise', () => {
    expect(romanizeBelarusian('Щит и ъ', 'by-2007')).toBe('Ščit i ');
    expect(romanizeRussian('Іўе', 'iso-9')).toBe('Ìǔe');
    expect(romanizeRussian('Ѐлка', 'bgn-pcgn')).toBe('Yelka');
  });
});

describe('guessCyrillicLanguage and romanizations', () => {
  it('decides by letters', () => {
    expect(guessCyrillicLanguage('Карпянкоў')).toBe('be');
    expect(guessCyrillicLanguage('Мінск')).toBe('be');
    expect(guessCyrillicLanguage('Сям’я')).toBe('be');
    expect(guessCyrillicLanguage('Щербаков')).toBe('ru');
    expect(guessCyrillicLanguage('Никита')).toBe('ru');
    expect(guessCyrillicLanguage('Объячево')).toBe('ru');
    expect(guessCyrillicLanguage('Карпенков')).toBe('either');
    expect(guessCyrillicLanguage('Karpiankou')).toBeNull();
    expect(guessCyrillicLanguage('')).toBeNull();
  });

  it('gives every distinct romanisation of a name', () => {
    expect(romanizations('Карпянкоў')).toEqual([
      { lang: 'be', system: 'by-2007', text: 'Karpiankoŭ' },
      { lang: 'be', system: 'by-2023', text: 'Karpiankow' },
      { lang: 'be', system: 'icao-9303', text: 'Karpiankou' },
      { lang: 'be', system: 'bgn-pcgn', text: 'Karpyankow' },
    ]);
    expect(romanizations('Щербаков').map((r) => r.text)).toEqual(['Shcherbakov', 'Ŝerbakov', 'Shherbakov']);
    expect(romanizations('Щербаков').every((r) => r.lang === 'ru')).toBe(true);
  });

  it('uses both languages when the letters do not decide, and the given language when told', () => {
    const both = romanizations('Карпенков');
    expect(both.map((r) => r.text)).toEqual(['Karpienkov', 'Karpenkov', 'Karpyenkov']);
    expect(new Set(both.map((r) => r.text)).size).toBe(both.length);
    expect(romanizations('Карпенков', 'ru').map((r) => r.text)).toEqual(['Karpenkov']);
    expect(romanizations('Алена', 'be').map((r) => r.system)).toEqual(['by-2007', 'icao-9303', 'bgn-pcgn']);
    expect(romanizations('Karpenkov')).toEqual([]);
  });
});

describe('properties', () => {
  const cyrillicChar = fc.integer({ min: 0x400, max: 0x52f }).map((n) => String.fromCodePoint(n));
  const russianLetter = fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЫЭЮЯ');
  const anyText = fc.string({
    unit: fc.oneof(cyrillicChar, fc.constantFrom(' ', '’', "'", '-', '.', 'a', 'Z', '1', '\u0301', 'ʼ')),
    maxLength: 40,
  });

  it('any Cyrillic text romanises to a text without Cyrillic, by every system', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const s of BE_IDS) expect(romanizeBelarusian(text, s)).not.toMatch(CYRILLIC);
        for (const s of RU_IDS) expect(romanizeRussian(text, s)).not.toMatch(CYRILLIC);
        for (const s of BE_IDS) expect(romanizeBelarusian(text, s, { separators: true })).not.toMatch(CYRILLIC);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary strings (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        for (const s of BE_IDS) romanizeBelarusian(text, s);
        for (const s of RU_IDS) romanizeRussian(text, s);
        guessCyrillicLanguage(text);
        romanizations(text);
      }),
      { numRuns: 300 },
    );
  });

  it('text without Cyrillic passes through unchanged (NFC)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const t = text.replace(/\p{Script=Cyrillic}/gu, '').normalize('NFC');
        for (const s of BE_IDS) expect(romanizeBelarusian(t, s)).toBe(t);
        for (const s of RU_IDS) expect(romanizeRussian(t, s)).toBe(t);
      }),
      { numRuns: 200 },
    );
  });

  it('ISO 9 is reversible letter for letter', () => {
    // the inverse, from the ISO 9 table itself: every Russian letter is one Latin code point
    const letters = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя';
    const inverse = new Map<string, string>();
    for (const c of letters) {
      const l = romanizeRussian(c, 'iso-9');
      expect([...l]).toHaveLength(1);
      expect(inverse.has(l)).toBe(false);
      inverse.set(l, c);
    }
    const back = (latin: string) =>
      [...latin]
        .map((ch) => {
          const low = inverse.get(ch.toLowerCase());
          if (low === undefined) return ch;
          return ch === ch.toLowerCase() ? low : low.toUpperCase();
        })
        .join('');
    const words = fc.array(fc.string({ unit: russianLetter, minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(words, (ws) => {
        const text = ws.join(' ');
        expect(back(romanizeRussian(text, 'iso-9'))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
