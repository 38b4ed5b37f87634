/**
 * Telling Belarusian, Russian and English apart, and choosing the stemmer for
 * a word.
 */
import { stemBelarusian } from './stem-belarusian.js';
import { stemEnglish } from './stem-english.js';
import { stemRussian } from './stem-russian.js';
import { tokenize } from './tokenize.js';

export type Language = 'be' | 'ru' | 'en';

/** Letters only Belarusian has among the two: і, ў (and the apostrophe inside a word). */
const BE_LETTERS = /[іў']/;
/** Letters only Russian has among the two: и, щ, ъ. */
const RU_LETTERS = /[ищъ]/;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * Common words without a telling letter that still belong to one language
 * (folded: ё as е). Written for this project.
 */
const BE_WORDS = new Set([
  'гэта', 'гэты', 'гэтая', 'што', 'як', 'яго', 'яна', 'яны', 'яе', 'або', 'але', 'ад', 'пра',
  'пасля', 'каля', 'таксама', 'ен', 'дзе', 'таму', 'усе', 'ужо', 'сутак',
]);
const RU_WORDS = new Set([
  'это', 'этот', 'эта', 'что', 'как', 'его', 'она', 'они', 'ее', 'от', 'до', 'про', 'после',
  'около', 'был', 'он', 'где', 'потому', 'все', 'уже', 'суток', 'сутки',
]);

/** How many tokens of a text are looked at: enough to decide, bounded in time. */
const SAMPLE_TOKENS = 5_000;

/**
 * Guesses the language of a text: Belarusian, Russian, English, or null when
 * there is nothing to go on.
 *
 * Each word votes. A Cyrillic word votes Belarusian when it has і, ў or an
 * apostrophe (сям'я), Russian when it has и, щ or ъ, and otherwise by a short
 * list of common words (гэта, што, ад → be; это, что, от → ru); other
 * Cyrillic words do not vote for either. A Latin word votes English. When
 * Latin words outnumber Cyrillic ones the text is English; otherwise the
 * Belarusian and Russian votes decide, and a tie (including 0 : 0) is null.
 * Only the first 5 000 words are read. Never throws.
 *
 * @example
 * detectLanguage('Затрыманы на Акрэсціна')   // 'be'
 * detectLanguage('Задержан и помещён в ИВС') // 'ru'
 * detectLanguage('Detained in Minsk')        // 'en'
 * detectLanguage('2020 — 342')               // null
 */
export function detectLanguage(text: string): Language | null {
  let cyrillic = 0;
  let latin = 0;
  let be = 0;
  let ru = 0;
  for (const token of tokenize(String(text), { maxTokens: SAMPLE_TOKENS })) {
    const w = token.norm;
    if (CYRILLIC.test(w)) {
      cyrillic++;
      const isBe = BE_LETTERS.test(w);
      const isRu = RU_LETTERS.test(w);
      if (isBe && !isRu) be++;
      else if (isRu && !isBe) ru++;
      else if (!isBe && !isRu) {
        if (BE_WORDS.has(w)) be++;
        else if (RU_WORDS.has(w)) ru++;
      }
    } else if (LATIN.test(w)) {
      latin++;
    }
  }
  if (cyrillic === 0 && latin === 0) return null;
  if (latin > cyrillic) return 'en';
  if (be > ru) return 'be';
  if (ru > be) return 'ru';
  return null;
}

/**
 * Stems a word (already folded, e.g. a token's `norm`) with the stemmer of its
 * language.
 *
 * - A Cyrillic word: with `lang` 'be' the Belarusian stemmer, with 'ru' the
 *   Russian one, but the word's own letters win when they contradict `lang`
 *   (і or ў → Belarusian, и, щ or ъ → Russian), since a Russian quotation in
 *   a Belarusian text is common. With `lang` null or 'en', by its letters:
 *   і or ў → Belarusian, anything else → Russian.
 * - A Latin word: the English stemmer when `lang` is 'en' or null; otherwise
 *   (a Latin word in a Belarusian or Russian text: a name, a transliteration,
 *   Łacinka) the word unchanged.
 * - Anything else (numbers, other scripts): unchanged.
 *
 * Never throws.
 *
 * @example
 * stemFor('ізалятарах', null) // 'ізалятар'
 * stemFor('изоляторах', null) // 'изолятор'
 * stemFor('detentions', null) // 'detent'
 * stemFor('detentions', 'be') // 'detentions'
 */
export function stemFor(word: string, lang: Language | null): string {
  const w = String(word);
  if (CYRILLIC.test(w)) {
    const hasBe = /[іў]/.test(w);
    const hasRu = RU_LETTERS.test(w);
    if (lang === 'be') return hasRu && !hasBe ? stemRussian(w) : stemBelarusian(w);
    if (lang === 'ru') return hasBe && !hasRu ? stemBelarusian(w) : stemRussian(w);
    return hasBe ? stemBelarusian(w) : stemRussian(w);
  }
  if (LATIN.test(w)) return lang === 'en' || lang === null ? stemEnglish(w) : w;
  return w;
}
