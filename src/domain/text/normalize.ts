/**
 * Character-level normalisation for search: case folding, Latin diacritics and
 * apostrophes. Pure functions; none of them throws, whatever the string (lone
 * surrogates included: they pass through unchanged).
 *
 * The order a search index applies them in is
 * `foldCase(normalizeApostrophes(word))` (see `tokenize`), and
 * `stripLatinDiacritics` only where accent-insensitive Latin matching is wanted.
 * `normalizeApostrophes` goes first because NFKC (inside `foldCase`) turns the
 * acute accent sign ´ into a space and a combining accent.
 */

/** Combining acute (U+0301) and grave (U+0300): the stress marks of Cyrillic text. */
const CYRILLIC_STRESS = /(\p{Script=Cyrillic}\p{M}*?)[\u0300\u0301]+/gu;

/**
 * Letters that lower-casing leaves different from what a search should match:
 * ß and ẞ fold to "ss" (Unicode full case folding), final sigma ς to σ (so that
 * a word matches whether or not it stood at the end), ё to е (the two are
 * interchangeable in Russian and Belarusian spelling), and the precomposed
 * Cyrillic letters with a grave accent (ѐ, ѝ), which are only е and и with a
 * stress mark.
 */
const FOLD_SPECIALS: Readonly<Record<string, string>> = {
  'ß': 'ss',
  'ẞ': 'ss',
  'ς': 'σ',
  'ё': 'е',
  'ѐ': 'е',
  'ѝ': 'и',
};
const FOLD_SPECIALS_RE = /[ßẞςёѐѝ]/g;

/**
 * Folds case the way search needs it, so that two spellings of a word that
 * differ only in case, compatibility form or stress marks become one string.
 *
 * Steps: Unicode NFKC (ligatures ﬁ → fi, full-width Ａ → A, composed й stays й),
 * lower case (language-neutral: the Turkish dotless ı is left alone, and İ
 * becomes i + U+0307 as in the Unicode default folding), ß/ẞ → ss, final ς → σ,
 * ё → е, and stress marks (U+0301, U+0300) removed after Cyrillic letters.
 * Belarusian and Ukrainian і, ў, ї are letters and stay as they are; й stays й.
 * Latin accents are kept: use {@link stripLatinDiacritics} for those.
 *
 * @example
 * foldCase('ЗАТРЫМА́ННЕ') // 'затрыманне'
 * foldCase('Ёлкин')       // 'елкин'
 * foldCase('Straße')      // 'strasse'
 * foldCase('ΟΔΥΣΣΕΥΣ')    // 'οδυσσευσ'
 */
export function foldCase(s: string): string {
  let out = s.normalize('NFKC').toLowerCase();
  out = out.replace(FOLD_SPECIALS_RE, (c) => FOLD_SPECIALS[c] ?? c);
  // Stress marks: NFKC cannot compose them with Cyrillic vowels (there are no
  // precomposed forms apart from ѐ/ѝ handled above), so they stay separate.
  if (out.includes('\u0301') || out.includes('\u0300')) out = out.replace(CYRILLIC_STRESS, '$1');
  return out;
}

/** Latin letters whose accent-free form is not reachable by Unicode decomposition. */
const LATIN_EXTRA: Readonly<Record<string, string>> = {
  'ł': 'l',
  'Ł': 'L',
  'ø': 'o',
  'Ø': 'O',
  'đ': 'd',
  'Đ': 'D',
  'ħ': 'h',
  'Ħ': 'H',
  'ŧ': 't',
  'Ŧ': 'T',
};
const LATIN_EXTRA_RE = /[łŁøØđĐħĦŧŦ]/g;
const LATIN_LETTER = /\p{Script=Latin}/u;
const MARK = /\p{M}/u;

/**
 * Removes diacritics from Latin letters only: é → e, ŭ → u, š → s, ł → l,
 * ø → o. Cyrillic letters that carry a diacritic in their shape (й, ё, ў, ї)
 * are separate letters and are left untouched, as is every other script.
 * Case is kept. Combining marks that follow a Latin letter are dropped,
 * marks on other letters are kept, and the result is recomposed (NFC).
 *
 * @example
 * stripLatinDiacritics('Łacinka: Žodzina, Akreścina, čaŭ') // 'Lacinka: Zodzina, Akrescina, cau'
 * stripLatinDiacritics('й ё ў')                            // 'й ё ў'
 */
export function stripLatinDiacritics(s: string): string {
  const decomposed = s.normalize('NFD');
  let out = '';
  let afterLatin = false;
  for (const ch of decomposed) {
    if (MARK.test(ch)) {
      if (!afterLatin) out += ch;
      continue;
    }
    afterLatin = LATIN_LETTER.test(ch);
    out += ch;
  }
  return out.normalize('NFC').replace(LATIN_EXTRA_RE, (c) => LATIN_EXTRA[c] ?? c);
}

/** The characters typed for an apostrophe: ’ ‘ ʼ ' ` ´ ′ ‛ ʹ (U+2019, U+2018, U+02BC, U+0027, U+0060, U+00B4, U+2032, U+201B, U+02B9). */
export const APOSTROPHE_CHARS = '\u2019\u2018\u02BC\u0027\u0060\u00B4\u2032\u201B\u02B9';
const APOSTROPHES_RE = new RegExp(`[${APOSTROPHE_CHARS}]`, 'g');

/**
 * Replaces every character people type for an apostrophe (’ ‘ ʼ ' ` ´ ′ ‛ ʹ)
 * by the ASCII apostrophe U+0027, so that Belarusian words with the
 * separating apostrophe (сям’я, Дар’я, п’ецца) match however they were typed.
 *
 * @example
 * normalizeApostrophes('сям’я, Дарʼя, аб`ём') // "сям'я, Дар'я, аб'ём"
 */
export function normalizeApostrophes(s: string): string {
  return s.replace(APOSTROPHES_RE, "'");
}
