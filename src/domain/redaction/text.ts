import { foldWord, nameWords } from '../names/match-key.js';

/**
 * Text redaction, pure: spans of a text replaced by a mark, and suggestions of spans where the
 * people a record links to are named. Offsets are JavaScript string indices (UTF-16 code units),
 * `start` included, `end` excluded, as `text.slice(start, end)`.
 */

export interface TextSpan {
  start: number;
  end: number;
}

/** The default mark: the same whatever it hides, so its length tells nothing of the name. */
export const DEFAULT_MARK = '█████';

export class TextSpanError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'TextSpanError';
  }
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The spans checked, widened so as not to cut a character in two (a surrogate pair), sorted, and
 * overlapping or touching spans merged. A span outside the text or empty is a `TextSpanError`
 * naming its index.
 */
export function normaliseSpans(text: string, spans: readonly TextSpan[]): TextSpan[] {
  const out: TextSpan[] = [];
  spans.forEach((s, i) => {
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end <= s.start)
      throw new TextSpanError(i, `span ${i + 1} (${s.start}–${s.end}) is not a span: start must be a whole number ≥ 0 and end after it`);
    if (s.end > text.length) throw new TextSpanError(i, `span ${i + 1} (${s.start}–${s.end}) ends past the text's ${text.length} characters`);
    let { start, end } = s;
    if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
    if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end++;
    out.push({ start, end });
  });
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextSpan[] = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * The text with every span replaced by `mark`.
 *
 * @example redactText('Аляксандра was held', [{ start: 0, end: 10 }]) // '█████ was held'
 */
export function redactText(text: string, spans: readonly TextSpan[], mark: string = DEFAULT_MARK): { text: string; spans: TextSpan[] } {
  const merged = normaliseSpans(text, spans);
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + mark;
    at = s.end;
  }
  return { text: out + text.slice(at), spans: merged };
}

/** What is known of one person, to find them in a text. Names and contacts never leave the server. */
export interface PersonClues {
  personId: string;
  pseudonym: string;
  /** Spellings of names (full names, given names, spellings from person-names), in any script. */
  names: readonly string[];
  /** Phone numbers, e-mail addresses, handles. */
  contacts: readonly string[];
}

export interface SuggestedSpan extends TextSpan {
  personId: string;
  /** What matched: the pseudonym, a name (in any spelling or inflection), or a contact. */
  matched: 'pseudonym' | 'name' | 'contact';
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Length of the common beginning of two strings. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Whether a word of the text (as its match key) is a form of a name's word: the same key, or, for
 * longer names, the same key but for an ending (Belarusian and Russian names decline:
 * Прыкладная, Прыкладной, Прыкладную).
 */
export function sameNameWord(textKey: string, nameKey: string): boolean {
  if (textKey === nameKey) return true;
  if (nameKey.length < 4) return false;
  // an ending changes the last sound or two, and may add up to three (Шчарбаковым)
  const extra = textKey.length - nameKey.length;
  return extra >= -1 && extra <= 3 && commonPrefix(textKey, nameKey) >= nameKey.length - 1;
}

/** The words of a text with their offsets: letters, marks and inner apostrophes or hyphens. */
function wordsOf(text: string): { start: number; end: number; key: string }[] {
  const out: { start: number; end: number; key: string }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}]+(?:['’ʼ-][\p{L}\p{M}]+)*/gu)) {
    const word = m[0];
    if (word.length < 2) continue;
    const key = foldWord(word);
    if (key.length >= 2) out.push({ start: m.index, end: m.index + word.length, key });
  }
  return out;
}

/**
 * Where the text names the given people: pseudonyms (as written, any case), names (any spelling
 * in either script, declined forms, neighbouring name words joined into one span), contacts
 * (as written; phone numbers by their digits). The editor chooses among these; nothing is applied.
 */
export function suggestSpans(text: string, people: readonly PersonClues[]): SuggestedSpan[] {
  const found: SuggestedSpan[] = [];
  for (const p of people) {
    if (p.pseudonym.trim().length >= 2)
      for (const m of text.matchAll(new RegExp(escapeRegExp(p.pseudonym.trim()), 'giu'))) found.push({ start: m.index, end: m.index + m[0].length, personId: p.personId, matched: 'pseudonym' });
    for (const c of p.contacts) {
      const value = c.trim();
      if (value.length < 3) continue;
      for (const m of text.matchAll(new RegExp(escapeRegExp(value), 'giu'))) found.push({ start: m.index, end: m.index + m[0].length, personId: p.personId, matched: 'contact' });
      const digits = value.replace(/\D/g, '');
      if (digits.length >= 7) {
        // the same number written with other spaces, dashes or brackets, or without its country code
        const tail = digits.slice(-9);
        const pattern = tail.split('').map(escapeRegExp).join('[\\s().-]*');
        for (const m of text.matchAll(new RegExp(pattern, 'g'))) found.push({ start: m.index, end: m.index + m[0].length, personId: p.personId, matched: 'contact' });
      }
    }
  }
  // names: word by word, so declined forms and either script are found
  const words = wordsOf(text);
  const keysOf = people.map((p) => new Set(p.names.flatMap((n) => nameWords(n).map(foldWord)).filter((k) => k.length >= 2)));
  let run: SuggestedSpan | undefined;
  for (const w of words) {
    const who = people.findIndex((_, i) => [...keysOf[i]!].some((k) => sameNameWord(w.key, k)));
    if (who < 0) {
      run = undefined;
      continue;
    }
    const personId = people[who]!.personId;
    // "Аляксандра Прыкладная": two words of one name with only spaces between make one span
    if (run && run.personId === personId && /^[\s\u00a0]+$/u.test(text.slice(run.end, w.start))) {
      run.end = w.end;
      continue;
    }
    run = { start: w.start, end: w.end, personId, matched: 'name' };
    found.push(run);
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  // one suggestion per stretch of text: the first (longest) wins where they overlap
  const out: SuggestedSpan[] = [];
  for (const s of found) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end && s.personId === last.personId) last.end = s.end;
      continue;
    }
    out.push({ ...s });
  }
  return out;
}
