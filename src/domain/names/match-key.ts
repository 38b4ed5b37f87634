/**
 * Name match keys: a folded form of a name under which its common spellings meet, so that a person
 * can be found by any of them (and, hashed, through a blind index without the name in clear).
 *
 * This is the first, deliberately simple normaliser: Cyrillic (Belarusian and Russian letters) is
 * transliterated letter by letter into a reduced Latin alphabet, and Latin spellings are folded into
 * the same alphabet (ŭ/w → u, kh/h → h, ts/c → c, ya/ja/ia → ia, doubled letters once, …). The full
 * romanisation systems of DOMAIN.md and cross-language folding (Belarusian akanne, Карпенков ~
 * Карпянкоў) come with the search work; callers only use `nameMatchKeys`.
 */

/** Cyrillic letter → reduced Latin. Soft and hard signs and apostrophes vanish. */
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'ie', ё: 'ie', є: 'ie', ж: 'zh', з: 'z', и: 'i', і: 'i', ї: 'i',
  й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ф: 'f',
  х: 'h', ц: 'c', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/** Latin letters with diacritics used by the romanisation systems, folded before accents are dropped. */
const LATIN_LETTERS: Record<string, string> = {
  ž: 'zh', š: 'sh', č: 'ch', ć: 'c', ś: 's', ź: 'z', ń: 'n', ł: 'l', ŭ: 'u', ë: 'ie', ě: 'ie', ý: 'y',
};

/** Latin spellings folded into the reduced alphabet, in order. */
const LATIN_FOLDS: [RegExp, string][] = [
  [/sch/g, 'shch'],
  [/kh/g, 'h'],
  [/tz|ts/g, 'c'],
  [/w/g, 'u'],
  [/x/g, 'ks'],
  [/g/g, 'h'],
  [/[yj](?=[aeiou])/g, 'i'],
  [/(?<=[aeiou])[yj]/g, 'i'],
  [/y$/g, 'i'],
  [/e/g, 'ie'],
  [/iie/g, 'ie'],
];

/**
 * Folds one word (either script) into its match key.
 *
 * @example foldWord('Прыкладная') === foldWord('Prykladnaya') // true: both 'prykladnaia'
 */
export function foldWord(word: string): string {
  let s = word.normalize('NFKC').toLowerCase().replace(/[’'ʼ`´-]/g, '');
  s = [...s].map((ch) => CYRILLIC[ch] ?? LATIN_LETTERS[ch] ?? ch).join('');
  // other accents go (é → e); what is left is plain Latin, folded spelling by spelling
  s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  for (const [re, to] of LATIN_FOLDS) s = s.replace(re, to);
  s = s.replace(/[^a-z0-9]/g, '');
  // doubled letters once (Ivannikov / Ivanikov)
  return s.replace(/(.)\1+/g, '$1');
}

/** The words of a name, split on spaces, hyphens and punctuation. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKC')
    .split(/[\s,.;:()"«»]+/u)
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

/**
 * The match keys of a name: one per word, so that "Prykladnaya Aliaksandra" and "Аляксандра
 * Прыкладная" share them whatever the order. Empty words and single letters (initials) are left out.
 */
export function nameMatchKeys(name: string): string[] {
  const keys = new Set<string>();
  for (const w of nameWords(name)) {
    const k = foldWord(w);
    if (k.length >= 2) keys.add(k);
  }
  return [...keys];
}
