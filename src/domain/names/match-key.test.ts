import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NAME_KEY_VERSION, deletionKeys, editDistance, foldWord, nameMatchKeys, nameSimilarity, nameWords } from './match-key.js';

const meet = (...spellings: string[]) => {
  const keys = spellings.map(foldWord);
  expect(new Set(keys).size, `${spellings.join(' / ')} → ${keys.join(' / ')}`).toBe(1);
};

describe('name match keys', () => {
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
    meet('Ёлкин', 'Елкин', 'Elkin', 'Yelkin', 'Yolkin');
  });

  it('brings the Belarusian and Russian forms of one name together, in either script', () => {
    meet('Шчарбакоў', 'Щербаков', 'Shcherbakov', 'Ščarbakoŭ', 'Shcharbakou', 'Shcharbakow', 'shcherbakou', 'Scherbakow', 'Shherbakov');
    meet('Карпенков', 'Карпянкоў', 'Karpenkov', 'Karpiankoŭ', 'Karpiankou', 'Karpyankow', 'Karpenkau');
    meet('Окрестина', 'Акрэсціна', 'Okrestina', 'Akrescina', 'Akrestsina', 'Akreścina');
    meet('Жодино', 'Жодзіна', 'Zhodino', 'Žodzina', 'Zhodzina');
    meet('Алексей', 'Аляксей', 'Aliaksei', 'Aleksey', 'Alexei', 'Aliaksiej');
    meet('Дмитрий', 'Дзмітрый', 'Dzmitry', 'Dmitriy', 'Dmitry', 'Dzmitryj');
    meet('Наталья', 'Наталля', 'Natalia', 'Natallia', 'Natalya');
    meet('Марыя', 'Мария', 'Maryia', 'Mariya', 'Maria', 'Marija', 'Maryja');
  });

  it('follows the folds the rules name (tsekanne, ў, gemination, adjective endings, й)', () => {
    meet('Татьяна', 'Таццяна', 'Tatsiana', 'Tatiana', 'Tatyana');
    meet('Тихановская', 'Ціханоўская', 'Tsikhanouskaya', 'Tikhanovskaya');
    meet('Козлов', 'Казлоў', 'Kazlou', 'Kozlov'); // one name in ru and be: akanne and ў
    meet('Науменко', 'Наўменка', 'Naumenka');
    meet('Толстой', 'Tolstoy', 'Tolstoi', 'Талстой');
    meet('Зайцев', 'Зайцаў', 'Zaitsev', 'Zajcau', 'Zaytsau');
    meet('Ильин', 'Ільін', 'Ilyin', 'Ilin');
    meet('Сергеев', 'Сяргееў', 'Siarhieieu', 'Sergeyev');
    meet('Ягор', 'Егор', 'Yahor', 'Jahor', 'Egor', 'Yegor');
    meet('Ivannikov', 'Ivanikov', 'Иванников');
    meet('ИВАНОВ', 'ivanov', 'Іваноў', 'Ivanou');
  });

  it('ignores case, order of words, apostrophes and initials', () => {
    expect(nameMatchKeys('Аляксандра Прыкладная').sort()).toEqual(nameMatchKeys('PRYKLADNAYA, aliaksandra').sort());
    expect(nameMatchKeys('Вераніка Дар’ева')).toEqual(nameMatchKeys("Veranika Dar'eva"));
    // v1 expected the literal key 'prykladnaia'; v2 keys are a reduced phonetic spelling, so the
    // test now says what it meant: the initial is left out and the surname's key is kept
    expect(nameMatchKeys('A. Prykladnaya')).toEqual([foldWord('Prykladnaya')]);
    expect(nameMatchKeys('Ю. Прыкладная')).toEqual([foldWord('Prykladnaya')]);
  });

  // Pairs of different names (or different forms a search must tell apart) whose keys must differ.
  const APART: [string, string][] = [
    ['Ivanov', 'Ivanova'], ['Petrov', 'Petrenko'], ['Смирнов', 'Семенов'], ['Прыкладная', 'Прыкладны'], ['Толстой', 'Толстая'],
    ['Щукин', 'Шукин'], ['Зайцев', 'Зацев'], ['Майков', 'Маков'], ['Павлов', 'Павлюк'], ['Кузнецов', 'Кузьмин'],
    ['Ковалев', 'Ковальчук'], ['Сидоров', 'Сидорук'], ['Морозов', 'Морозова'], ['Лукашенко', 'Лукашевич'], ['Алексей', 'Александр'],
    ['Наталья', 'Наташа'], ['Мельник', 'Мельников'], ['Ткач', 'Ткаченко'], ['Бондарь', 'Бондаренко'], ['Шевченко', 'Шевчук'],
    ['Яна', 'Анна'], ['Юля', 'Уля'], ['Лис', 'Лось'], ['Ким', 'Кем'], ['Жуков', 'Зуев'], ['Попов', 'Попова'], ['Гусев', 'Гуськов'],
    ['Новик', 'Новиков'], ['Козлов', 'Казаков'], ['Соколов', 'Соколовский'], ['Ivan', 'Ian'], ['Дмитрий', 'Дмитриев'],
    ['Pavel', 'Paulina'], ['Сергей', 'Сергеев'], ['Ирина', 'Арина'], ['Шаров', 'Жаров'], ['Чаров', 'Царёв'], ['Хомич', 'Комич'],
    ['Orlov', 'Orlova'], ['Мікалай', 'Мікалаеў'], ['Karpenkov', 'Karpenko'], ['Shchukin', 'Shukin'], ['Zhukau', 'Zhukava'],
  ];

  it(`keeps ${APART.length} pairs of different names apart`, () => {
    expect(APART.length).toBeGreaterThanOrEqual(30);
    for (const [a, b] of APART) expect(foldWord(a), `${a} / ${b}`).not.toBe(foldWord(b));
  });

  /*
   * Collision rate. Invented surnames: 45 roots × 8 suffixes = 360 names, each written in Russian
   * Cyrillic, Belarusian Cyrillic and a Belarusian passport romanisation. Measured with version 2:
   * every name meets its other two forms, and no two of the 360 names share a key (0 collisions,
   * 0 %). Random pseudo-surnames (seeded, 400 per script, any letters): 2 of 400 Cyrillic names
   * collide (Нёпов / Нэпов: ё and э in one class), 6 of 400 Latin ones (Khidou / Hidou, Sachou /
   * Sochou, Siakiou / Sekov: the folds at work), i.e. 0.5 % and 1.5 %.
   */
  const ROOTS: [string, string, string][] = [
    ['Петр', 'Пятр', 'Piatr'], ['Иван', 'Іван', 'Ivan'], ['Сидор', 'Сідар', 'Sidar'], ['Ковал', 'Кавал', 'Kaval'], ['Бондар', 'Бондар', 'Bondar'],
    ['Ткач', 'Ткач', 'Tkach'], ['Кузьм', 'Кузьм', 'Kuzm'], ['Гончар', 'Ганчар', 'Hanchar'], ['Сокол', 'Сакал', 'Sakal'], ['Ворон', 'Варон', 'Varon'],
    ['Бел', 'Бел', 'Biel'], ['Медвед', 'Мядзведз', 'Miadzviedz'], ['Лис', 'Ліс', 'Lis'], ['Чёрн', 'Чорн', 'Chorn'], ['Серг', 'Сярг', 'Siarh'],
    ['Крас', 'Крас', 'Kras'], ['Новик', 'Навік', 'Navik'], ['Стар', 'Стар', 'Star'], ['Богдан', 'Багдан', 'Bahdan'], ['Павл', 'Паўл', 'Paul'],
    ['Михал', 'Міхал', 'Mikhal'], ['Федор', 'Федар', 'Fiedar'], ['Степан', 'Сцяпан', 'Sciapan'], ['Макар', 'Макар', 'Makar'], ['Тарас', 'Тарас', 'Taras'],
    ['Юрк', 'Юрк', 'Yurk'], ['Ярош', 'Ярош', 'Yarosh'], ['Лукаш', 'Лукаш', 'Lukash'], ['Мартын', 'Мартын', 'Martyn'], ['Гаврил', 'Гаўрыл', 'Hauryl'],
    ['Прохор', 'Прохар', 'Prokhar'], ['Клим', 'Клім', 'Klim'], ['Сем', 'Сям', 'Siam'], ['Зайц', 'Зайц', 'Zaits'], ['Жук', 'Жук', 'Zhuk'],
    ['Шевч', 'Шаўч', 'Shauch'], ['Щерб', 'Шчарб', 'Shcharb'], ['Дуб', 'Дуб', 'Dub'], ['Горб', 'Гарб', 'Harb'], ['Мороз', 'Мароз', 'Maroz'],
    ['Гус', 'Гус', 'Hus'], ['Кот', 'Кот', 'Kot'], ['Козл', 'Казл', 'Kazl'], ['Рыб', 'Рыб', 'Ryb'], ['Голуб', 'Галуб', 'Halub'],
  ];
  const SUFFIXES: [string, string, string][] = [
    ['ов', 'оў', 'ou'], ['ович', 'овіч', 'ovich'], ['енко', 'енка', 'enka'], ['ук', 'ук', 'uk'],
    ['ский', 'скі', 'ski'], ['ин', 'ін', 'in'], ['ёнок', 'ёнак', 'ionak'], ['ич', 'іч', 'ich'],
  ];

  it('brings each of 360 invented surnames together across ru, be and Latin, and no two of them', () => {
    const names = ROOTS.flatMap((r) => SUFFIXES.map((s) => r.map((root, i) => root + s[i]!)));
    expect(names.length).toBe(360);
    const owner = new Map<string, number>();
    const colliding = new Set<number>();
    names.forEach((forms, n) => {
      meet(...forms);
      const k = foldWord(forms[0]!);
      const other = owner.get(k);
      if (other !== undefined) colliding.add(n).add(other);
      owner.set(k, n);
    });
    expect([...colliding].map((n) => names[n]![0])).toEqual([]);
  });

  const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
  const invent = (cons: string[], vowels: string[], suffixes: string[], n: number, seed: number): string[] => {
    const r = rng(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    const out = new Set<string>();
    while (out.size < n) {
      let w = '';
      for (let i = 0, syl = 2 + Math.floor(r() * 2); i < syl; i++) w += pick(cons) + pick(vowels);
      out.add(w.slice(0, -1) + pick(suffixes));
    }
    return [...out];
  };
  const collisions = (names: string[]): number => {
    const byKey = new Map<string, number>();
    for (const w of names) byKey.set(foldWord(w), (byKey.get(foldWord(w)) ?? 0) + 1);
    return [...byKey.values()].filter((c) => c > 1).reduce((a, c) => a + c, 0);
  };

  it('lets few random pseudo-surnames collide (≤ 2 % in each script)', () => {
    const cyr = invent('б в г д ж з к л м н п р с т ф х ц ч ш щ'.split(' '), 'а о е и у ы я ю э ё'.split(' '),
      ['ов', 'ев', 'ин', 'ская', 'ский', 'енко', 'ук', 'ич', 'оў', 'ава', 'ына', 'і'], 400, 7);
    const lat = invent('b v h d zh z k l m n p r s t f kh ts ch sh shch'.split(' '), 'a o e i u y ia iu'.split(' '),
      ['ov', 'ou', 'in', 'skaya', 'ski', 'enka', 'uk', 'ich', 'ava', 'yna', 'y', 'ei'], 400, 11);
    expect(collisions(cyr)).toBeLessThanOrEqual(8);
    expect(collisions(lat)).toBeLessThanOrEqual(8);
  });

  it('never throws and yields only [a-z0-9] keys, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        for (const k of nameMatchKeys(s)) expect(k).toMatch(/^[a-z0-9]{2,}$/);
        expect(foldWord(s)).toMatch(/^[a-z0-9]*$/);
      }),
    );
  });

  const nameLike = fc.array(
    fc.string({ unit: fc.constantFrom(...'абвгдеёжзійклмнопрстуўфхцчшщыьэюяиъabcdefghijklmnopqrstuvwxyzžščŭ’'.split('')), minLength: 1, maxLength: 12 }),
    { minLength: 1, maxLength: 4 },
  );

  it('is deterministic and ignores the order of words', () => {
    fc.assert(
      fc.property(nameLike, fc.integer(), (words, seed) => {
        const name = words.join(' ');
        expect(nameMatchKeys(name)).toEqual(nameMatchKeys(name));
        const shuffled = words.map((w, i) => [w, (i * 7919 + seed) % 13] as const).sort((a, b) => a[1] - b[1]).map(([w]) => w);
        expect(nameMatchKeys(shuffled.join(' ')).sort()).toEqual(nameMatchKeys(name).sort());
      }),
    );
  });

  it('splits names into words on spaces and punctuation', () => {
    expect(nameWords('  Прыкладная,  Аляксандра (Саша) ')).toEqual(['Прыкладная', 'Аляксандра', 'Саша']);
    expect(NAME_KEY_VERSION).toBe(2);
  });
});

describe('typo tolerance', () => {
  it('lists a key’s deletion neighbourhood: itself and each distinct one-letter deletion', () => {
    expect(deletionKeys('abc').sort()).toEqual(['ab', 'abc', 'ac', 'bc']);
    expect(deletionKeys('aab').sort()).toEqual(['aa', 'aab', 'ab']);
    expect(deletionKeys('ab', 2).sort()).toEqual(['', 'a', 'ab', 'b']);
    expect(deletionKeys('')).toEqual(['']);
  });

  it('measures optimal-string-alignment distance, stopping above max', () => {
    expect(editDistance('karpankav', 'karpankav')).toBe(0);
    expect(editDistance('karpankav', 'karpakav')).toBe(1);
    expect(editDistance('karpankav', 'kaprankav')).toBe(1); // transposition
    expect(editDistance('ca', 'abc')).toBe(3); // OSA, not unrestricted Damerau–Levenshtein (2)
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  const key = fc.string({ unit: fc.constantFrom(...'abcdhkqvy'.split('')), maxLength: 10 });

  it('gives keys within one edit a shared deletion key', () => {
    const edit = fc.tuple(key, fc.nat(), fc.constantFrom('ins', 'del', 'sub', 'swap'), fc.constantFrom(...'abcxy'.split(''))).map(([a, i, op, ch]) => {
      const p = a.length === 0 ? 0 : i % a.length;
      const b =
        op === 'ins' ? a.slice(0, p) + ch + a.slice(p)
        : op === 'del' ? a.slice(0, p) + a.slice(p + 1)
        : op === 'sub' ? a.slice(0, p) + ch + a.slice(p + 1)
        : a.slice(0, p) + a.slice(p + 1, p + 2) + a.slice(p, p + 1) + a.slice(p + 2);
      return [a, b] as const;
    });
    fc.assert(
      fc.property(fc.oneof(edit, fc.tuple(key, key)), ([a, b]) => {
        const shared = deletionKeys(a).some((d) => deletionKeys(b).includes(d));
        if (editDistance(a, b) <= 1) expect(shared, `${a} / ${b}`).toBe(true);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b, 1)).toBe(Math.min(editDistance(a, b), 2));
      }),
    );
  });

  it('ranks spellings: the same one first, then the same key, then by edits', () => {
    expect(nameSimilarity('Karpiankou', 'KARPIANKOŬ')).toBe(1);
    expect(nameSimilarity('Карпянкоў', 'карпянкоў')).toBe(1);
    const sameKey = nameSimilarity('Karpenkov', 'Карпянкоў');
    const typo = nameSimilarity('Karpenkv', 'Карпянкоў');
    const other = nameSimilarity('Petrov', 'Карпянкоў');
    expect(sameKey).toBeGreaterThan(0.9);
    expect(sameKey).toBeLessThan(1);
    expect(typo).toBeLessThan(sameKey);
    expect(typo).toBeGreaterThan(other);
    expect(nameSimilarity('Аляксандра Прыкладная', 'Prykladnaya Aliaksandra')).toBeGreaterThan(nameSimilarity('Прыкладная', 'Prykladnaya Aliaksandra'));
    expect(nameSimilarity('', 'Karpenkov')).toBe(0);
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const v = nameSimilarity(a, b);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }),
    );
  });
});
