import { describe, expect, it } from 'vitest';
import { DEFAULT_MARK, normaliseSpans, redactText, sameNameWord, suggestSpans, TextSpanError } from './text.js';
import { foldWord } from '../names/match-key.js';

describe('redactText', () => {
  it('replaces each span by one mark of the same length whatever it hides, merging overlaps', () => {
    const text = 'Аляксандра Прыкладная was held at Akrestsina with Ivan.';
    const out = redactText(text, [{ start: 50, end: 54 }, { start: 0, end: 10 }, { start: 5, end: 21 }]);
    expect(out.text).toBe(`${DEFAULT_MARK} was held at Akrestsina with ${DEFAULT_MARK}.`);
    expect(out.spans).toEqual([{ start: 0, end: 21 }, { start: 50, end: 54 }]);
    expect(redactText('a b c', [{ start: 2, end: 3 }], '[…]').text).toBe('a […] c');
  });

  it('never cuts a character in two, and refuses spans outside the text', () => {
    const text = 'x 😀 y';
    // a span ending inside the emoji's surrogate pair takes the whole emoji
    expect(normaliseSpans(text, [{ start: 2, end: 3 }])).toEqual([{ start: 2, end: 4 }]);
    expect(redactText(text, [{ start: 3, end: 4 }]).text).toBe(`x ${DEFAULT_MARK} y`);
    expect(() => redactText(text, [{ start: 0, end: 99 }])).toThrow(TextSpanError);
    expect(() => redactText(text, [{ start: 3, end: 3 }])).toThrow(/span 1 \(3–3\) is not a span/);
    expect(() => redactText(text, [{ start: 0.5, end: 3 }])).toThrow(TextSpanError);
  });
});

describe('suggestSpans', () => {
  const people = [
    { personId: 'p1', pseudonym: 'Witness W-7', names: ['Аляксандра Прыкладная', 'Aliaksandra Prykladnaya'], contacts: ['+375 29 765-43-21'] },
    { personId: 'p2', pseudonym: 'Officer O-2', names: ['Дзмітрый Шчарбакоў'], contacts: ['dz.sh@example.org'] },
  ];

  it('finds names in either script and declined, pseudonyms, e-mails and phone numbers however written', () => {
    const text =
      'Witness W-7 (Аляксандра Прыкладная) said: Прыкладную took Dmitry Shcherbakov, called 8 029 7654321, wrote to DZ.SH@example.org; later ALIAKSANDRA told witness w-7 again.';
    const spans = suggestSpans(text, people);
    const shown = spans.map((s) => [text.slice(s.start, s.end), s.personId, s.matched]);
    expect(shown).toEqual([
      ['Witness W-7', 'p1', 'pseudonym'],
      ['Аляксандра Прыкладная', 'p1', 'name'],
      ['Прыкладную', 'p1', 'name'],
      ['Dmitry Shcherbakov', 'p2', 'name'],
      ['29 7654321', 'p1', 'contact'],
      ['DZ.SH@example.org', 'p2', 'contact'],
      ['ALIAKSANDRA', 'p1', 'name'],
      ['witness w-7', 'p1', 'pseudonym'],
    ]);
  });

  it('does not take other words for names', () => {
    const text = 'The court of the Lenin district; прыклад; Alexander; Ivanova; Шчарбак.';
    expect(suggestSpans(text, people).map((s) => text.slice(s.start, s.end))).toEqual([]);
  });

  it('compares names by their match keys, allowing only endings to differ', () => {
    expect(sameNameWord(foldWord('Прыкладной'), foldWord('Прыкладная'))).toBe(true);
    expect(sameNameWord(foldWord('Лось'), foldWord('Лис'))).toBe(false);
    expect(sameNameWord(foldWord('Прыкладны'), foldWord('Прыкладная'))).toBe(true);
    expect(sameNameWord(foldWord('Шчарбаковым'), foldWord('Шчарбакоў'))).toBe(true);
    expect(sameNameWord(foldWord('прыклад'), foldWord('Прыкладная'))).toBe(false);
  });
});
