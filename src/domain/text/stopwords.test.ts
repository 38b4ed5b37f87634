import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldCase } from './normalize.js';
import { isStopWord, STOP_WORDS } from './stopwords.js';

const LANGS = ['be', 'ru', 'en'] as const;

describe('stop words', () => {
  it('knows the function words of each language, whatever their case or ё', () => {
    for (const w of ['і', 'ў', 'у', 'на', 'з', 'што', 'гэта', 'ён', 'Ён', 'яе', 'ці', 'усё', 'ўсё']) {
      expect(isStopWord(w, 'be'), w).toBe(true);
    }
    for (const w of ['и', 'в', 'на', 'что', 'это', 'он', 'её', 'ЕЁ', 'не', 'который', 'для']) {
      expect(isStopWord(w, 'ru'), w).toBe(true);
    }
    for (const w of ['the', 'The', 'of', 'and', 'it', 'they', 'was', 'with']) {
      expect(isStopWord(w, 'en'), w).toBe(true);
    }
  });

  it('never lists names or content words of this domain', () => {
    const content = [
      'акрэсціна', 'окрестина', 'жодзіна', 'жодино', 'омон', 'суд', 'суда', 'міліцыя', 'милиция',
      'затрыманне', 'задержание', 'арышт', 'арест', 'штраф', 'том', 'справа', 'дело', 'ивс', 'цып',
      'court', 'police', 'us', 'may', 'will', 'can', 'detention', 'torture', 'minsk', 'belarus',
    ];
    for (const lang of LANGS) for (const w of content) expect(isStopWord(w, lang), `${lang} ${w}`).toBe(false);
  });

  it('keeps the lists short and folded', () => {
    for (const lang of LANGS) {
      expect(STOP_WORDS[lang].size).toBeGreaterThan(50);
      expect(STOP_WORDS[lang].size).toBeLessThan(250);
      for (const w of STOP_WORDS[lang]) expect(foldCase(w)).toBe(w);
    }
  });

  it('keeps each language to its own list', () => {
    expect(isStopWord('што', 'ru')).toBe(false);
    expect(isStopWord('что', 'be')).toBe(false);
    expect(isStopWord('the', 'ru')).toBe(false);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('be', 'ru', 'en', 'xx', '__proto__'), (s, lang) => {
        expect(typeof isStopWord(s, lang as 'be')).toBe('boolean');
      }),
    );
  });
});
