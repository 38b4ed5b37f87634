import { tokenize } from '../../domain/text/tokenize.js';
import { stemFor } from '../../domain/text/language.js';
import { isStopWord } from '../../domain/text/stopwords.js';
import { foldCase, stripLatinDiacritics } from '../../domain/text/normalize.js';
import { foldWord } from '../../domain/names/match-key.js';

/**
 * Our own lexemes, made the same way for both engines, so SQLite FTS5 and PostgreSQL tsvector
 * index exactly the same tokens:
 *
 * - a **word lexeme** per word: folded case, Latin diacritics off, stemmed by the word's language
 *   (Russian Snowball, light Belarusian, English), reduced to letters and digits;
 * - a **key lexeme** per word: the cross-script match key (src/domain/names/match-key.ts), under
 *   which Акрэсціна, Окрестина and Okrestina meet;
 * - words of encrypted text become **sealed lexemes**: `h` + 16 hex digits of a keyed hash (the
 *   vault's blind-index key), so the index never holds them in clear; a query hashes its lexemes
 *   the same way. Prefixes and fuzzy matching cannot reach sealed words.
 */

export type Lang = 'be' | 'ru' | 'en';

/** Hashes a lexeme into a sealed lexeme (the caller binds the vault). */
export type Sealer = (lexeme: string) => string;

/** Letters and digits only: what both engines' tokenizers keep as one token. */
const clean = (s: string) => s.normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '');

/** The word lexeme of one folded word. */
export function wordLexeme(norm: string, lang: Lang | null): string {
  return clean(stripLatinDiacritics(stemFor(norm, lang)));
}

/** The key lexeme of one word (empty when the word is too short to carry one). */
export function keyLexeme(word: string): string {
  const k = foldWord(word);
  return k.length >= 2 ? k : '';
}

export interface IndexedText {
  words: string[];
  keys: string[];
}

/**
 * Lexemes of a text in document order. Stop words keep their place in `words` (so phrases stay
 * whole) but get no key.
 */
export function textLexemes(text: string, lang: Lang | null, seal?: Sealer): IndexedText {
  const words: string[] = [];
  const keys: string[] = [];
  for (const t of tokenize(text)) {
    // Cyrillic words by the text's language (or by their letters), Latin words as English
    const tl = langOfWord(t.norm, lang);
    const w = wordLexeme(t.norm, tl);
    if (!w) continue;
    const stop = tl ? isStopWord(t.norm, tl) : isStopWord(t.norm, 'ru') || isStopWord(t.norm, 'be');
    words.push(seal ? seal(w) : w);
    if (stop) continue;
    const k = keyLexeme(t.text);
    if (k) keys.push(seal ? seal(`k:${k}`) : k);
  }
  return { words, keys };
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** The stemming language of one word in a text of language `lang`. */
export function langOfWord(norm: string, lang: Lang | null): Lang | null {
  if (!CYRILLIC.test(norm)) return /\p{Script=Latin}/u.test(norm) ? 'en' : null;
  return lang === 'be' || lang === 'ru' ? lang : null;
}

/**
 * The lexemes one query word may match, in any language: its stems under each stemmer that could
 * apply, and its match key (sealed variants too when a sealer is given).
 */
export function queryWordLexemes(word: string, seal?: Sealer): { words: string[]; keys: string[] } {
  const norm = foldCase(word);
  const langs: (Lang | null)[] = CYRILLIC.test(norm) ? ['ru', 'be', null] : [langOfWord(norm, null)];
  const words = [...new Set(langs.map((l) => wordLexeme(norm, l)).filter(Boolean))];
  const k = keyLexeme(word);
  const keys = k ? [k] : [];
  if (!seal) return { words, keys };
  return { words: [...words, ...words.map(seal)], keys: [...keys, ...keys.map((x) => seal(`k:${x}`))] };
}

/** A prefix's lexeme: folded, no stemming (a prefix is matched against word lexemes). */
export function prefixLexeme(prefix: string): string {
  return clean(stripLatinDiacritics(foldCase(prefix)));
}
