import { romanizeRussian } from '../text/translit.js';
import { WORDLIST_EN } from './wordlist-en.js';
import { WORDLIST_LATIN } from './wordlist-latin.js';

/**
 * Codenames of the anonymous drop (docs/DROP.md): 7 words drawn uniformly at random from a list of
 * 7,776, the source's only credential (to come back for replies) and the seed of their key pair.
 * Pure: the random bytes come from the caller (libsodium's randombytes_buf on the server,
 * crypto.getRandomValues or libsodium in the browser).
 */

/** `en`: the EFF large list. `latin`: Russian nouns in Latin transliteration, for Belarusian and Russian speakers. */
export type CodenameList = 'en' | 'latin';
export const CODENAME_LISTS: readonly CodenameList[] = ['en', 'latin'];
export const CODENAME_WORDS = 7;

export function wordlist(list: CodenameList): readonly string[] {
  if (list === 'en') return WORDLIST_EN;
  if (list === 'latin') return WORDLIST_LATIN;
  throw new TypeError(`unknown codename word list: ${String(list)}`);
}

/** Bits of entropy of a codename: 7 × log2(7,776) ≈ 90.5. */
export function codenameEntropyBits(list: CodenameList): number {
  return CODENAME_WORDS * Math.log2(wordlist(list).length);
}

/** Fills the given array with cryptographically secure random bytes and returns it. */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * A uniformly random index in [0, n) for n ≤ 65,536, by rejection sampling on 16-bit values:
 * values at or above the largest multiple of n are drawn again, so no index is favoured (no modulo bias).
 */
export function uniformIndex(n: number, random: RandomBytes): number {
  if (!Number.isInteger(n) || n < 1 || n > 65536) throw new RangeError('uniformIndex needs 1 ≤ n ≤ 65536');
  const limit = 65536 - (65536 % n);
  for (;;) {
    const b = random(2);
    if (b.length < 2) throw new Error('the random source returned too few bytes');
    const v = (b[0]! << 8) | b[1]!;
    if (v < limit) return v % n;
  }
}

/** A fresh codename: 7 words of the chosen list, separated by single spaces. */
export function generateCodename(list: CodenameList, random: RandomBytes): string {
  const words = wordlist(list);
  const out: string[] = [];
  for (let i = 0; i < CODENAME_WORDS; i++) out.push(words[uniformIndex(words.length, random)]!);
  return out.join(' ');
}

export type CodenameCheck =
  | { ok: true; list: CodenameList; codename: string }
  | { ok: false; reason: 'word-count'; count: number }
  | { ok: false; reason: 'unknown-words'; unknown: string[] };

let indexes: Map<CodenameList, Set<string>> | undefined;
function has(list: CodenameList, word: string): boolean {
  indexes ??= new Map(CODENAME_LISTS.map((l) => [l, new Set(wordlist(l))]));
  return indexes.get(list)!.has(word);
}

/**
 * What the source typed back, made canonical: case ignored, any run of spaces, commas, dots or line
 * breaks separates words, and Cyrillic (Belarusian or Russian letters, typed instead of the Latin
 * transliteration) is romanised as the list was (ICAO Doc 9303), so "Кошка  ДОМ…" matches
 * "koshka dom …"; ь and ё may be typed or not. The list is recognised from the words (a word in
 * both lists changes nothing: keys come from the canonical string alone). Returns the canonical codename — the
 * exact string that keys and lookup hashes are derived from — or which words are not in the list.
 */
export function normalizeCodename(input: string): CodenameCheck {
  const words = input
    .normalize('NFC')
    .toLowerCase()
    .split(/[\s,.;:!?·'"«»„“”]+/u)
    .filter((w) => w !== '')
    .map((w) => (/[\u0400-\u04ff]/u.test(w) ? romanizeRussian(w, 'icao-9303').toLowerCase() : w));
  if (words.length !== CODENAME_WORDS) return { ok: false, reason: 'word-count', count: words.length };
  let best: { list: CodenameList; unknown: string[] } | undefined;
  for (const list of CODENAME_LISTS) {
    const unknown = words.filter((w) => !has(list, w));
    if (unknown.length === 0) return { ok: true, list, codename: words.join(' ') };
    if (!best || unknown.length < best.unknown.length) best = { list, unknown };
  }
  return { ok: false, reason: 'unknown-words', unknown: best!.unknown };
}
