/**
 * Name match keys: a folded form of a name under which its common spellings meet, so that a person
 * can be found by any of them (and, hashed, through a blind index without the name in clear).
 *
 * Version 2 brings the Russian and Belarusian forms of one name together (Щербаков ~ Шчарбакоў ~
 * Shcharbakou, Окрестина ~ Акрэсціна, Дмитрий ~ Дзмітрый), besides their romanisations. A key is a
 * reduced phonetic spelling in [a-z0-9]: consonants folded into one code each, vowels into three
 * classes. The rules, in the order they apply:
 *
 * 1. **Letters → sounds.** Cyrillic (be, ru, uk letters) is read letter by letter; Latin spellings
 *    are read with their digraphs (zh/ž/ż, sh/sz/š, ch/cz/č, kh/h/g, ph, th, x → ks, q → k, ISO 9
 *    letters â û ê ë ŝ ǔ …). The consonant codes of the key:
 *
 *    | code | from                                   | code | from                              |
 *    |------|----------------------------------------|------|-----------------------------------|
 *    | h    | г ґ х, h g kh gh                       | c    | ц, c ts tz, Cyrillic тс           |
 *    | v    | в ў, v w ŭ; у/u after a vowel and not  | t    | т, and ц before і и ь ю я ё, ci,  |
 *    |      | before one (Каўчук, Karpiankou, Наумен-|      | tsia … (Belarusian tsekanne:      |
 *    |      | ко: the Belarusian ў)                  |      | Акрэсціна ~ Окрестина; not це)    |
 *    | d    | д, and дз/dz (Belarusian dzekanne,     | j    | ж, zh ž ż                         |
 *    |      | Жодзіна ~ Жодино, Дзмітрый ~ Дмитрий)  | w    | ш, sh sz š                        |
 *    | x    | ч, ch cz č                             | q    | щ = шч = сч = shch = sch = shh =  |
 *    | y    | й before a consonant (Зайцев, Zajcau)  |      | szcz = šč = ŝ                     |
 *
 *    the other consonants (b f k l m n p r s z) and digits stand for themselves.
 * 2. **i, y and j** in Latin (and и/і/й in Cyrillic) are read by position: before a vowel they are
 *    iotation or softness (ia = ya = ja = я, ie = ye = е), after a vowel and before a consonant or
 *    at the end they are й (ei = ey = ej = ей), else they are the vowel (y = ы, i = и/і).
 * 3. **Doubled consonants once** (Наталля ~ Наталья, Таццяна ~ Татьяна, Ivannikov ~ Ivanikov).
 * 4. **Vowels in three classes** instead of letters, a repeated class in a run of vowels once:
 *    `a` for а о е ё э я (Belarusian akanne and yakanne turn unstressed о and е into а and я, and
 *    Russian ё is written е), `i` for и і ы, `u` for у ю. Softness and iotation vanish inside a
 *    word. Belarusian and Russian forms of a name differ within a class, hardly ever across
 *    classes, so the classes are kept rather than dropped: a bare consonant skeleton would merge
 *    Лис and Лось, Ким and Кем, Юля and Уля. The vowel a word ends in tells Ivanov from Ivanova.
 * 5. **The first vowel of a word** is kept with its iotation: я е ё є э and Latin ya/ia/ja, ye/ie/je,
 *    yo/io/jo and a bare e give `ya` (Ёлкин = Елкин = Elkin = Yelkin, Ягор = Егор), ю/yu gives
 *    `yu`; а/о give `a` (Окрестина ~ Акрэсціна), и/і/ы give `i`, у gives `u`.
 * 6. **The end of a word:** a final й after a vowel is dropped (Алексей ~ Aliaksei ~ Aleksey,
 *    Дмитрий ~ Dmitry ~ Dzmitryj), and the masculine adjective endings -ой, -ый, -ий, -ы, -і all give
 *    `i` (Толстой ~ Talstoi, but not Толстая).
 *
 * Known gaps: Belarusian prosthetic and epenthetic letters (Вольга ~ Ольга, Навуменка ~ Науменко,
 * Ганна ~ Анна), Belarusian Алена ~ Russian Елена, Церашкоў ~ Терешков (ц before е is left hard
 * for Russian -цев), л/ў alternation (Воўк ~ Волк), Russian ци where Belarusian writes цы
 * (Ельцин ~ Ельцын), and German sch for ш (Lukaschenko, read as щ).
 *
 * Keys are hashed into blind indexes: any change to this file that changes a key must bump
 * NAME_KEY_VERSION so that the stored indexes are rebuilt.
 */

/** The version of the key rules; stored blind indexes are rebuilt when it changes. */
export const NAME_KEY_VERSION = 2;

/*
 * Tokens: consonant codes are the lower-case letters of the key; vowels are A E I O U Y (Y = ы);
 * J is iotation or softness before a vowel, G a й not before one, ' the soft sign; ?i ?y ?j are
 * Latin i/y/j (and Cyrillic и/і/й) not yet read.
 */
type Tok = string;
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U', 'Y']);
const isVowel = (t: Tok | undefined): boolean => t !== undefined && VOWELS.has(t);
const isConsonant = (t: Tok | undefined): boolean => t !== undefined && /^[a-z0-9]$/.test(t);

const CYRILLIC: Record<string, Tok[]> = {
  а: ['A'], б: ['b'], в: ['v'], г: ['h'], ґ: ['h'], д: ['d'], е: ['J', 'E'], ё: ['J', 'O'], є: ['J', 'E'], ж: ['j'],
  з: ['z'], и: ['?i'], і: ['?i'], ї: ['J', 'I'], й: ['?j'], к: ['k'], л: ['l'], м: ['m'], н: ['n'], о: ['O'],
  п: ['p'], р: ['r'], с: ['s'], т: ['t'], у: ['U'], ў: ['v'], ф: ['f'], х: ['h'], ц: ['c'], ч: ['x'], ш: ['w'],
  щ: ['q'], ъ: [], ы: ['Y'], ь: ["'"], э: ['E'], ю: ['J', 'U'], я: ['J', 'A'],
};

/** Latin digraphs, longest first. */
const LATIN_GRAPHS: [string, Tok[]][] = [
  ['zh', ['j']], ['sh', ['w']], ['sz', ['w']], ['ch', ['x']], ['cz', ['x']], ['kh', ['h']], ['gh', ['h']],
  ['ph', ['f']], ['th', ['t']],
];

/** Single Latin letters, with the diacritics of the romanisation systems (ISO 9, łacinka, Polish, Czech). */
const LATIN: Record<string, Tok[]> = {
  a: ['A'], e: ['E'], o: ['O'], u: ['U'], i: ['?i'], y: ['?y'], j: ['?j'],
  b: ['b'], c: ['c'], d: ['d'], f: ['f'], g: ['h'], h: ['h'], k: ['k'], l: ['l'], m: ['m'], n: ['n'], p: ['p'],
  q: ['k'], r: ['r'], s: ['s'], t: ['t'], v: ['v'], w: ['v'], x: ['k', 's'], z: ['z'],
  ž: ['j'], ż: ['j'], š: ['w'], č: ['x'], ŝ: ['q'], ć: ['c', "'"], ś: ['s'], ź: ['z'], ń: ['n'], ł: ['l'], ľ: ['l'],
  ŭ: ['v'], ǔ: ['v'], â: ['J', 'A'], û: ['J', 'U'], ê: ['J', 'E'], ě: ['J', 'E'], ë: ['J', 'O'], ï: ['J', 'I'],
  ì: ['?i'], è: ['E'], é: ['E'], ė: ['E'], ý: ['?y'], ĭ: ['?j'], ǵ: ['h'], ġ: ['h'],
  '\u02b9': ["'"], '\u2032': ["'"], // ʹ ′: the soft sign of BGN/PCGN and ISO 9
};

/** Letters of the word as tokens, i/y/j still unread. */
function tokenize(word: string): Tok[] {
  const s = word.normalize('NFKC').toLowerCase().replace(/[’'ʼ`´‘ʺ″·-]/g, '');
  const out: Tok[] = [];
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cyr = CYRILLIC[ch];
    if (cyr) {
      out.push(...cyr);
      continue;
    }
    const pair = ch + (chars[i + 1] ?? '');
    const graph = LATIN_GRAPHS.find(([g]) => g === pair);
    if (graph) {
      out.push(...graph[1]);
      i++;
      continue;
    }
    const lat = LATIN[ch] ?? LATIN[ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '')];
    if (lat) out.push(...lat);
    else if (/^[0-9]$/.test(ch)) out.push(ch);
    // anything else (punctuation, other scripts' marks) is left out
  }
  return out;
}

/** Reads ?i ?y ?j as iotation (J), й (G) or a vowel, by their neighbours (rule 2). */
function resolveGlides(toks: Tok[]): Tok[] {
  const out = toks.slice();
  for (let k = 0; k < out.length; k++) {
    const t = out[k]!;
    if (!t.startsWith('?')) continue;
    const next = out[k + 1];
    const beforeVowel =
      next === 'A' || next === 'E' || next === 'O' || next === 'U' || next === 'J' || (t !== '?i' && (next === '?i' || next === 'I'));
    if (beforeVowel) out[k] = 'J';
    else if (isVowel(out[k - 1])) out[k] = 'G';
    else out[k] = t === '?y' ? 'Y' : 'I';
  }
  return out;
}

/** Pairs of tokens read as one sound (rule 1). */
const PAIRS: Record<string, Tok> = { dz: 'd', ts: 'c', tz: 'c', wx: 'q', sx: 'q', wh: 'q' };

function foldPairs(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (const t of toks) {
    const prev = out[out.length - 1];
    const folded = prev !== undefined ? PAIRS[prev + t] : undefined;
    if (folded) out[out.length - 1] = folded;
    else out.push(t);
  }
  return out;
}

const collapseDoubles = (toks: Tok[]): Tok[] => toks.filter((t, k) => !(isConsonant(t) && toks[k - 1] === t));

const vowelClass = (v: Tok): string => (v === 'I' || v === 'Y' ? 'i' : v === 'U' ? 'u' : 'a');

/**
 * Folds one word (either script) into its match key.
 *
 * @example foldWord('Шчарбакоў') === foldWord('Shcherbakov') // true: both 'qarbakav'
 */
export function foldWord(word: string): string {
  let toks = foldPairs(resolveGlides(tokenize(word)));
  toks = collapseDoubles(toks);
  // ц before a soft vowel or the soft sign is the Belarusian form of a soft т (rule 1)
  // (not before е: Russian це is hard, as in Зайцев ~ Зайцаў)
  toks = toks.map((t, k) => {
    const next = toks[k + 1];
    return t === 'c' && (next === "'" || next === 'I' || (next === 'J' && toks[k + 2] !== 'E')) ? 't' : t;
  });
  // у/u after a vowel, not before one, is ў (rule 1)
  toks = toks.map((t, k) => {
    const next = toks[k + 1];
    return t === 'U' && isVowel(toks[k - 1]) && !isVowel(next) && next !== 'J' && next !== 'G' ? 'v' : t;
  });
  toks = collapseDoubles(toks.filter((t) => t !== "'"));
  // й: dropped at the end and before a vowel, a consonant elsewhere (rule 6)
  let adjectiveEnding = false;
  toks = toks.flatMap((t, k): Tok[] => {
    if (t !== 'G') return [t];
    const next = toks[k + 1];
    if (next === undefined) {
      if (toks[k - 1] === 'O') adjectiveEnding = true;
      return [];
    }
    return next === 'J' || isVowel(next) ? [] : ['y'];
  });

  let key = '';
  for (let k = 0; k < toks.length; ) {
    const t = toks[k]!;
    if (isConsonant(t)) {
      key += t;
      k++;
      continue;
    }
    // a run of vowels (iotation and softness between them vanish): one class per vowel, repeats once
    const start = k;
    const classes: string[] = [];
    while (k < toks.length && !isConsonant(toks[k])) {
      const v = toks[k]!;
      if (isVowel(v) && classes[classes.length - 1] !== vowelClass(v)) classes.push(vowelClass(v));
      k++;
    }
    // an i-class vowel before another vowel of the run is softness or iotation however it is
    // written (ыя, ия, ія, yia, iya): Марыя, Мария, Maryia, Mariya and Maria meet
    for (let j = classes.length - 2; j >= 0; j--) if (classes[j] === 'i' && classes[j + 1] !== 'i') classes.splice(j, 1);
    if (k === toks.length && adjectiveEnding && classes.length > 0) {
      classes[classes.length - 1] = 'i';
      if (classes[classes.length - 2] === 'i') classes.pop();
    }
    if (start === 0 && classes.length > 0) {
      // the first vowel of the word keeps its iotation (rule 5)
      const iotated = toks[0] === 'J' || toks.find(isVowel) === 'E';
      if (iotated && classes[0] !== 'i') classes[0] = 'y' + classes[0];
    }
    key += classes.join('');
  }
  return key;
}

/** The words of a name, split on spaces and punctuation (hyphenated names stay one word). */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKC')
    .split(/[\s,.;:()"«»]+/u)
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

/** Letters (of any script) and digits in a word. */
const letterCount = (w: string): number => (w.match(/[\p{L}\p{N}]/gu) ?? []).length;

/**
 * The match keys of a name: one per word, so that "Prykladnaya Aliaksandra" and "Аляксандра
 * Прыкладная" share them whatever the order. Empty words and single letters (initials) are left out.
 */
export function nameMatchKeys(name: string): string[] {
  const keys = new Set<string>();
  for (const w of nameWords(name)) {
    if (letterCount(w) < 2) continue;
    const k = foldWord(w);
    if (k.length >= 2) keys.add(k);
  }
  return [...keys];
}

/**
 * The symmetric-deletion neighbourhood of a key: the key itself and every distinct string made by
 * removing up to `maxDeletions` characters. Two keys within `maxDeletions` edits of each other
 * (insertions, deletions, substitutions, adjacent transpositions) share at least one of these, so
 * a typo-tolerant index stores the neighbourhood of each key and looks up that of the query.
 */
export function deletionKeys(key: string, maxDeletions = 1): string[] {
  const seen = new Set<string>([key]);
  let frontier = [key];
  for (let d = 0; d < maxDeletions; d++) {
    const next: string[] = [];
    for (const k of frontier) {
      const cs = [...k];
      for (let i = 0; i < cs.length; i++) {
        const del = cs.slice(0, i).join('') + cs.slice(i + 1).join('');
        if (!seen.has(del)) {
          seen.add(del);
          next.push(del);
        }
      }
    }
    frontier = next;
  }
  return [...seen];
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein where a transposed pair is not edited
 * again) between two strings, by code point. With `max`, any distance above it is reported as
 * `max + 1`, and the computation stops as soon as that is certain.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = [...a];
  const t = [...b];
  const cap = max + 1;
  if (Math.abs(s.length - t.length) > max) return cap;
  if (s.length === 0 || t.length === 0) return Math.min(Math.max(s.length, t.length), cap);
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return cap;
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[t.length]!, cap);
}

/** A spelling as written, without case, accents, apostrophes or extra spaces. */
const plainSpelling = (s: string): string =>
  nameWords(s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[’'ʼ`´‘]/g, '')).join(' ');

/** How alike two keys are: 1 when equal, falling with the edit distance (0 from half the length). */
function keySimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const len = Math.max(a.length, b.length);
  const d = editDistance(a, b, Math.ceil(len / 2));
  return Math.max(0, 1 - (2 * d) / len) * 0.8;
}

/**
 * How well a stored spelling of a name answers a query, in [0, 1], for ranking: 1 for the same
 * spelling (ignoring case, accents, apostrophes and spacing), 0.95 when every word has the same
 * match key (another script or romanisation of the same name), less with each edit between keys
 * and for words of the spelling the query does not name.
 */
export function nameSimilarity(query: string, spelling: string): number {
  const pq = plainSpelling(query);
  if (pq.length > 0 && pq === plainSpelling(spelling)) return 1;
  const qk = nameMatchKeys(query);
  const sk = nameMatchKeys(spelling);
  if (qk.length === 0 || sk.length === 0) return 0;
  let total = 0;
  const covered = new Set<string>();
  for (const q of qk) {
    let best = 0;
    let bestKey: string | undefined;
    for (const s of sk) {
      const v = keySimilarity(q, s);
      if (v > best) {
        best = v;
        bestKey = s;
      }
    }
    total += best;
    if (bestKey !== undefined && best === 1) covered.add(bestKey);
  }
  const mean = total / qk.length;
  const coverage = covered.size / sk.length;
  return mean * (0.8 + 0.15 * coverage);
}
