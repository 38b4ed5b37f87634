/**
 * The Porter2 ("English Snowball") stemmer, written from the published
 * description of the algorithm (https://snowballstem.org/algorithms/english/stemmer.html,
 * by Martin Porter).
 */

/** Words the algorithm stems by list rather than by rule. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  skis: 'ski',
  skies: 'sky',
  dying: 'die',
  lying: 'lie',
  tying: 'tie',
  idly: 'idl',
  gently: 'gentl',
  ugly: 'ugli',
  early: 'earli',
  only: 'onli',
  singly: 'singl',
  sky: 'sky',
  news: 'news',
  howe: 'howe',
  atlas: 'atlas',
  cosmos: 'cosmos',
  bias: 'bias',
  andes: 'andes',
};

/** Words left as they are once step 1a has run. */
const AFTER_1A = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed']);

/**
 * Prefixes after which R1 starts, whatever the letters: the three of the
 * published description. (Later Snowball releases add a few more, such as
 * "past" and "univers"; words with those prefixes may stem differently here.)
 */
const R1_PREFIXES = ['gener', 'commun', 'arsen'];

const DOUBLES = ['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt'];
const LI_ENDINGS = 'cdeghkmnrt';

function isVowel(c: string | undefined): boolean {
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y';
}

/** A short syllable ends at index `end` (exclusive). */
function endsShortSyllable(w: string, end: number): boolean {
  if (end === 2) return isVowel(w[0]) && !isVowel(w[1]);
  if (end < 3) return false;
  const a = w[end - 3];
  const b = w[end - 2];
  const c = w[end - 1];
  return !isVowel(a) && isVowel(b) && !isVowel(c) && c !== 'w' && c !== 'x' && c !== 'Y';
}

function regionsOf(w: string): { r1: number; r2: number } {
  const n = w.length;
  const past = (from: number): number => {
    let i = from;
    while (i < n && !isVowel(w[i])) i++; // find a vowel
    while (i < n && isVowel(w[i])) i++; // then the non-vowel after it
    return i < n ? i + 1 : n;
  };
  const prefix = R1_PREFIXES.find((p) => w.startsWith(p));
  const r1 = prefix !== undefined ? prefix.length : past(0);
  return { r1, r2: past(r1) };
}

/** Longest suffix of the list that `w` ends with. */
function longestSuffix(w: string, list: readonly string[]): string | null {
  let best: string | null = null;
  for (const s of list) if (w.endsWith(s) && (best === null || s.length > best.length)) best = s;
  return best;
}

const STEP2: Readonly<Record<string, string>> = {
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  abli: 'able',
  entli: 'ent',
  izer: 'ize',
  ization: 'ize',
  ational: 'ate',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  aliti: 'al',
  alli: 'al',
  fulness: 'ful',
  ousli: 'ous',
  ousness: 'ous',
  iveness: 'ive',
  iviti: 'ive',
  biliti: 'ble',
  bli: 'ble',
  ogi: 'og',
  fulli: 'ful',
  lessli: 'less',
  li: '',
};
const STEP2_KEYS = Object.keys(STEP2);

const STEP3: Readonly<Record<string, string>> = {
  tional: 'tion',
  ational: 'ate',
  alize: 'al',
  icate: 'ic',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
  ative: '',
};
const STEP3_KEYS = Object.keys(STEP3);

const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate',
  'iti', 'ous', 'ive', 'ize', 'ion',
];

/**
 * Stems an English word with the Porter2 (English Snowball) algorithm.
 *
 * Input is one word; it is lower-cased first, and the typographic apostrophe
 * ’ is read as '. Words of one or two letters, and words with characters
 * outside a–z and the apostrophe (digits, accented letters, other scripts),
 * are returned lower-cased but otherwise unchanged. Never throws.
 *
 * Steps: possessive 's; plurals (-sses, -ies, -s); -eed, -ed, -ing, -ly
 * (restoring an e or undoubling a consonant after them); y → i; then the
 * derivational suffixes of steps 2–4 (-ational, -ness, -ment, -ion …) within
 * R1/R2; and a final -e or -ll.
 *
 * @example
 * stemEnglish('detentions') // 'detent'
 * stemEnglish('tortured')   // 'tortur'
 * stemEnglish('beatings')   // 'beat'
 */
export function stemEnglish(word: string): string {
  let w = String(word).toLowerCase().replace(/\u2019/g, "'");
  if (!/^[a-z']*$/.test(w)) return w;
  if (w.startsWith("'")) w = w.slice(1);
  if (w.length <= 2) return w;
  const exception = EXCEPTIONS[w];
  if (exception !== undefined) return exception;

  // y at the start or after a vowel is a consonant: mark it Y.
  let marked = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i] as string;
    marked += c === 'y' && (i === 0 || isVowel(marked[i - 1])) ? 'Y' : c;
  }
  w = marked;
  const { r1, r2 } = regionsOf(w);

  // Step 0: possessives.
  const apos = longestSuffix(w, ["'s'", "'s", "'"]);
  if (apos !== null) w = w.slice(0, -apos.length);

  // Step 1a.
  const s1a = longestSuffix(w, ['sses', 'ied', 'ies', 's', 'us', 'ss']);
  if (s1a === 'sses') w = w.slice(0, -2);
  else if (s1a === 'ied' || s1a === 'ies') w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
  else if (s1a === 's') {
    // Delete if the part before the letter preceding s contains a vowel.
    const before = w.slice(0, -2);
    if ([...before].some(isVowel)) w = w.slice(0, -1);
  }
  if (AFTER_1A.has(w)) return w;

  // Step 1b.
  const s1b = longestSuffix(w, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
  if (s1b === 'eed' || s1b === 'eedly') {
    if (w.length - s1b.length >= r1) w = w.slice(0, -s1b.length) + 'ee';
  } else if (s1b !== null) {
    const stem = w.slice(0, -s1b.length);
    if ([...stem].some(isVowel)) {
      w = stem;
      if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
      else if (DOUBLES.some((d) => w.endsWith(d))) w = w.slice(0, -1);
      else if (r1 >= w.length && endsShortSyllable(w, w.length)) w += 'e';
    }
  }

  // Step 1c: y → i after a non-vowel that is not the first letter.
  const last = w[w.length - 1];
  if ((last === 'y' || last === 'Y') && w.length > 2 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + 'i';

  // Step 2.
  const s2 = longestSuffix(w, STEP2_KEYS);
  if (s2 !== null && w.length - s2.length >= r1) {
    const stem = w.slice(0, -s2.length);
    if (s2 === 'ogi') {
      if (stem.endsWith('l')) w = stem + 'og';
    } else if (s2 === 'li') {
      if (LI_ENDINGS.includes(stem[stem.length - 1] ?? '-')) w = stem;
    } else {
      w = stem + (STEP2[s2] ?? '');
    }
  }

  // Step 3.
  const s3 = longestSuffix(w, STEP3_KEYS);
  if (s3 !== null && w.length - s3.length >= r1) {
    if (s3 !== 'ative' || w.length - s3.length >= r2) w = w.slice(0, -s3.length) + (STEP3[s3] ?? '');
  }

  // Step 4.
  const s4 = longestSuffix(w, STEP4);
  if (s4 !== null && w.length - s4.length >= r2) {
    const stem = w.slice(0, -s4.length);
    if (s4 !== 'ion' || stem.endsWith('s') || stem.endsWith('t')) w = stem;
  }

  // Step 5.
  if (w.endsWith('e')) {
    const at = w.length - 1;
    if (at >= r2 || (at >= r1 && !endsShortSyllable(w, at))) w = w.slice(0, -1);
  } else if (w.endsWith('ll') && w.length - 1 >= r2) {
    w = w.slice(0, -1);
  }

  return w.replace(/Y/g, 'y');
}
