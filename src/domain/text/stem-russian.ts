/**
 * The Snowball Russian stemmer, written from the published description of the
 * algorithm (https://snowballstem.org/algorithms/russian/stemmer.html, by
 * Martin Porter): endings are removed from the end of the word, within the
 * region RV (and R2 for the derivational ending), in four steps.
 */

const VOWELS = 'аеиоуыэюя';

function isVowel(c: string | undefined): boolean {
  return c !== undefined && c.length === 1 && VOWELS.includes(c);
}

/**
 * An ending, with the group it belongs to: group 1 endings must follow а or я
 * (which stays), group 2 endings may follow anything.
 */
type Ending = readonly [suffix: string, group: 1 | 2];

function byLengthDesc<T extends string | Ending>(list: readonly T[]): readonly T[] {
  const len = (x: T) => (typeof x === 'string' ? x.length : x[0].length);
  return [...list].sort((a, b) => len(b) - len(a));
}

function grouped(g1: readonly string[], g2: readonly string[]): readonly Ending[] {
  return byLengthDesc([...g1.map((s): Ending => [s, 1]), ...g2.map((s): Ending => [s, 2])]);
}

const PERFECTIVE_GERUND = grouped(['в', 'вши', 'вшись'], ['ив', 'ивши', 'ившись', 'ыв', 'ывши', 'ывшись']);

const ADJECTIVE = byLengthDesc([
  'ее', 'ие', 'ые', 'ое', 'ими', 'ыми', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым', 'ом',
  'его', 'ого', 'ему', 'ому', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею',
]);

const PARTICIPLE = grouped(['ем', 'нн', 'вш', 'ющ', 'щ'], ['ивш', 'ывш', 'ующ']);

const REFLEXIVE = byLengthDesc(['ся', 'сь']);

const VERB = grouped(
  ['ла', 'на', 'ете', 'йте', 'ли', 'й', 'л', 'ем', 'н', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'ешь', 'нно'],
  [
    'ила', 'ыла', 'ена', 'ейте', 'уйте', 'ите', 'или', 'ыли', 'ей', 'уй', 'ил', 'ыл', 'им', 'ым', 'ен',
    'ило', 'ыло', 'ено', 'ят', 'ует', 'уют', 'ит', 'ыт', 'ены', 'ить', 'ыть', 'ишь', 'ую', 'ю',
  ],
);

const NOUN = byLengthDesc([
  'а', 'ев', 'ов', 'ие', 'ье', 'е', 'иями', 'ями', 'ами', 'еи', 'ии', 'и', 'ией', 'ей', 'ой', 'ий', 'й',
  'иям', 'ям', 'ием', 'ем', 'ам', 'ом', 'о', 'у', 'ах', 'иях', 'ях', 'ы', 'ь', 'ию', 'ью', 'ю', 'ия',
  'ья', 'я',
]);

const SUPERLATIVE = byLengthDesc(['ейш', 'ейше']);
const DERIVATIONAL = byLengthDesc(['ост', 'ость']);

/** Longest ending of the list that `w` ends with and that lies within `[limit, end)`. */
function longest(w: string, limit: number, list: readonly string[]): string | null {
  for (const s of list) if (w.length - s.length >= limit && w.endsWith(s)) return s;
  return null;
}

/**
 * Removes the longest grouped ending within the region; a group 1 ending is
 * removed only when а or я (also within the region) precedes it. As in
 * Snowball, when the longest ending fails its condition no shorter one is
 * tried. Returns the shortened word, or null when nothing was removed.
 */
function removeGrouped(w: string, limit: number, list: readonly Ending[]): string | null {
  for (const [s, group] of list) {
    const at = w.length - s.length;
    if (at < limit || !w.endsWith(s)) continue;
    if (group === 2) return w.slice(0, at);
    const before = w[at - 1];
    return at - 1 >= limit && (before === 'а' || before === 'я') ? w.slice(0, at) : null;
  }
  return null;
}

function removePlain(w: string, limit: number, list: readonly string[]): string | null {
  const s = longest(w, limit, list);
  return s === null ? null : w.slice(0, w.length - s.length);
}

/** ADJECTIVAL: an adjective ending, optionally preceded by a participle ending. */
function removeAdjectival(w: string, rv: number): string | null {
  const base = removePlain(w, rv, ADJECTIVE);
  if (base === null) return null;
  return removeGrouped(base, rv, PARTICIPLE) ?? base;
}

/**
 * RV: after the first vowel. R2: after the first non-vowel that follows a
 * vowel, twice over (R1 is the region after the first such non-vowel).
 */
function regions(w: string): { rv: number; r2: number } {
  const n = w.length;
  /** Index just past the first position at or after `from` whose letter is (or is not) a vowel. */
  const past = (from: number, vowel: boolean): number => {
    let i = from;
    while (i < n && isVowel(w[i]) !== vowel) i++;
    return i < n ? i + 1 : n;
  };
  const rv = past(0, true);
  const r1 = past(rv, false);
  const r2 = past(past(r1, true), false);
  return { rv, r2 };
}

/**
 * Stems a Russian word with the Snowball Russian algorithm.
 *
 * Input is a single word; it is lower-cased and ё is read as е. Steps, all
 * within RV (the part after the first vowel):
 * 1. remove a perfective gerund ending; failing that, remove a reflexive
 *    ending (-ся, -сь) and then the first of an adjectival, verb or noun
 *    ending;
 * 2. remove a final -и;
 * 3. remove a derivational -ост/-ость lying in R2;
 * 4. undouble -нн, or remove a superlative -ейш(е) (then undouble -нн), or
 *    remove a final -ь.
 * Words outside Russian spelling pass through, lower-cased, with at most
 * some Cyrillic-looking ending removed. Never throws.
 *
 * @example
 * stemRussian('изоляторов')  // 'изолятор'
 * stemRussian('задержания')  // 'задержан'
 * stemRussian('Окрестине')   // 'окрестин'
 */
export function stemRussian(word: string): string {
  let w = String(word).toLowerCase().replace(/ё/g, 'е');
  const { rv, r2 } = regions(w);

  // Step 1.
  const gerund = removeGrouped(w, rv, PERFECTIVE_GERUND);
  if (gerund !== null) {
    w = gerund;
  } else {
    w = removePlain(w, rv, REFLEXIVE) ?? w;
    w = removeAdjectival(w, rv) ?? removeGrouped(w, rv, VERB) ?? removePlain(w, rv, NOUN) ?? w;
  }

  // Step 2.
  if (w.length - 1 >= rv && w.endsWith('и')) w = w.slice(0, -1);

  // Step 3.
  const derivational = longest(w, rv, DERIVATIONAL);
  if (derivational !== null && w.length - derivational.length >= r2) w = w.slice(0, -derivational.length);

  // Step 4: the longest of -ейш(е), -н, -ь decides which rule applies.
  const superlative = longest(w, rv, SUPERLATIVE);
  if (superlative !== null) {
    w = w.slice(0, -superlative.length);
    if (w.length - 2 >= rv && w.endsWith('нн')) w = w.slice(0, -1);
  } else if (w.length - 2 >= rv && w.endsWith('нн')) {
    w = w.slice(0, -1);
  } else if (w.length - 1 >= rv && w.endsWith('ь')) {
    w = w.slice(0, -1);
  }
  return w;
}
