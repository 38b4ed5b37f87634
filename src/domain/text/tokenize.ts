/**
 * Splitting text into words for search and highlighting.
 */
import { APOSTROPHE_CHARS, foldCase, normalizeApostrophes } from './normalize.js';

/** One word of a text. */
export interface Token {
  /** The word as it stands in the text. */
  text: string;
  /** The word folded for matching: `foldCase(normalizeApostrophes(text))`. */
  norm: string;
  /** UTF-16 offset of the first code unit of the word in the text. */
  start: number;
  /** UTF-16 offset just past the word: `text.slice(start, end) === token.text`. */
  end: number;
  /** 0-based index of the token among the tokens of the text. */
  position: number;
}

/** Default cap on the number of tokens returned. */
export const DEFAULT_MAX_TOKENS = 200_000;

const LETTER = /[\p{L}\p{M}]/u;
const NUMBER = /\p{N}/u;

const Kind = { Other: 0, Letter: 1, Digit: 2, Apostrophe: 3, Dot: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isApostrophe(code: number): boolean {
  return APOSTROPHE_CHARS.includes(String.fromCharCode(code));
}

/** Kind of the code point starting at `i`, and its length in code units. */
function classify(text: string, i: number): [Kind, number] {
  const code = text.charCodeAt(i);
  if (code < 0x80) {
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return [Kind.Letter, 1];
    if (isAsciiDigit(code)) return [Kind.Digit, 1];
    if (code === 0x2e) return [Kind.Dot, 1];
    if (code === 0x27 || code === 0x60) return [Kind.Apostrophe, 1];
    return [Kind.Other, 1];
  }
  // Cyrillic block: every code point in it but U+0482 (҂) is a letter or a combining mark.
  if (code >= 0x0400 && code <= 0x04ff && code !== 0x0482) return [Kind.Letter, 1];
  if (isApostrophe(code)) return [Kind.Apostrophe, 1];
  const cp = text.codePointAt(i) ?? code;
  const len = cp > 0xffff ? 2 : 1;
  const ch = text.slice(i, i + len);
  if (LETTER.test(ch)) return [Kind.Letter, len];
  if (NUMBER.test(ch)) return [Kind.Digit, len];
  return [Kind.Other, len];
}

/**
 * Splits a text into word tokens, in any script.
 *
 * - A word is a run of letters (with their combining marks) and digits, in any
 *   script: Cyrillic, Latin with diacritics, Greek, and so on.
 * - An apostrophe (any of ’ ʼ ' ` ´ …) between two letters keeps the word
 *   whole: сям’я, Дар’я, don't are one token each. Elsewhere it separates.
 * - A hyphen separates: hyphenated compounds are indexed as their parts
 *   ("Alpha-2" → "Alpha", "2"; "тэлеграм-канал" → "тэлеграм", "канал"), so a
 *   search for either part finds the compound.
 * - A dot between two ASCII digits keeps a number whole, because legal article
 *   numbers are written that way: "23.34" is one token (and "342" another).
 *   A dot after a word or at the end of a sentence separates.
 * - `norm` is `foldCase(normalizeApostrophes(text))`; `start`/`end` are UTF-16
 *   offsets into the original text, for highlighting; `position` counts tokens
 *   from 0.
 *
 * Runs in time linear in the length of the text, returns at most
 * `opts.maxTokens` tokens (default 200 000; a negative or fractional value is
 * clamped to a whole number ≥ 0, a non-number means the default) and never
 * throws.
 *
 * @example
 * tokenize('Сям’я з Жодзіна, арт. 23.34').map((t) => t.norm)
 * // ["сям'я", 'з', 'жодзіна', 'арт', '23.34']
 */
export function tokenize(text: string, opts?: { maxTokens?: number }): Token[] {
  const tokens: Token[] = [];
  if (typeof text !== 'string') return tokens;
  const requested = opts?.maxTokens;
  const max =
    typeof requested === 'number' && !Number.isNaN(requested)
      ? Math.max(0, Math.floor(requested))
      : DEFAULT_MAX_TOKENS;
  const n = text.length;
  let i = 0;
  while (i < n && tokens.length < max) {
    const [kind, len] = classify(text, i);
    if (kind !== Kind.Letter && kind !== Kind.Digit) {
      i += len;
      continue;
    }
    const start = i;
    let last: Kind = kind;
    let lastAsciiDigit = isAsciiDigit(text.charCodeAt(i));
    i += len;
    while (i < n) {
      const [k, l] = classify(text, i);
      if (k === Kind.Letter || k === Kind.Digit) {
        last = k;
        lastAsciiDigit = isAsciiDigit(text.charCodeAt(i));
        i += l;
        continue;
      }
      if (i + l < n && (k === Kind.Apostrophe || k === Kind.Dot)) {
        const [next, nl] = classify(text, i + l);
        const joins =
          k === Kind.Apostrophe
            ? last === Kind.Letter && next === Kind.Letter
            : lastAsciiDigit && isAsciiDigit(text.charCodeAt(i + l));
        if (joins) {
          i += l + nl;
          last = next;
          lastAsciiDigit = k === Kind.Dot;
          continue;
        }
      }
      break;
    }
    const word = text.slice(start, i);
    tokens.push({ text: word, norm: foldCase(normalizeApostrophes(word)), start, end: i, position: tokens.length });
  }
  return tokens;
}
