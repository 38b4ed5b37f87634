/**
 * A light stemmer for Belarusian (Cyrillic, official spelling), designed for
 * this project. There is no Snowball stemmer for Belarusian; this one removes
 * one inflectional ending, the longest that leaves a long enough stem, after
 * an optional reflexive postfix.
 *
 * What it does well: the case forms of nouns and adjectives, which is most of
 * what people search for (ізалятар / ізалятара / ізалятары / ізалятарамі;
 * затрыманне / затрымання / затрыманні / затрыманнем; палітычны / палітычнага
 * / палітычным; сям'я / сям'і / сям'ёй), and the present tense, infinitive and
 * masculine past of verbs (затрымаць / затрымае / затрымаюць / затрымаў).
 *
 * Its limits, honestly:
 * - Past-tense forms in -ла, -ло, -лі keep their л (затрымала → затрымал, while
 *   затрымаць → затрым): removing -ла would also cut nouns such as канала →
 *   кана, трыбунала → трыбуна, and nouns matter more to search.
 * - Consonant alternations are not undone: суд / судзе → суд / судз,
 *   рука / руцэ, Мінск / Мінску are fine but дарога / дарозе are not.
 * - Derivation is not removed: Акрэсціна → акрэсцін, but the adjective
 *   Акрэсцінскі → акрэсцінск (a different stem; search for both, or use a
 *   prefix query).
 * - Masculine nouns in -й lose a vowel with it (Мікалай → мікал, Мікалая →
 *   мікала); people's names have their own matching (src/domain/names).
 * - Nouns in -ага lose it as if it were the adjective ending (павага → пав,
 *   павагі → паваг). Adjectives with a stressed -ога/-ому (маладога) keep
 *   their г/м (маладог), because nouns in -ога (дапамога, дарога, перамога)
 *   are common.
 * - Words of three letters or fewer are left whole, and a stem always keeps at
 *   least three letters including a vowel, so short words are under-stemmed.
 * - Taraškievica spellings and Łacinka are not handled (Łacinka is Latin and
 *   never reaches this stemmer through `stemFor`).
 */

const VOWELS = 'аеёіоуыэюяи';
const MIN_STEM = 3;

/** Inflectional endings, matched longest first. ё is folded to е before matching. */
const ENDINGS: readonly string[] = [
  // nouns of the -ія/-ыя type (камісія, акцыя, рэпрэсіі)
  'ыямі', 'іямі', 'ыях', 'іях', 'ыям', 'іям', 'ыяй', 'іяй', 'ыяю', 'іяю',
  'ыя', 'ія', 'ыі', 'іі', 'ыю', 'ію', 'ый', 'ій',
  // adjectives
  'ымі', 'імі', 'ага', 'яга', 'аму', 'яму', 'ых', 'іх', 'ым', 'ім',
  'ая', 'яя', 'ае', 'яе', 'ое', 'ую', 'юю',
  // nouns
  'амі', 'ямі', 'ам', 'ям', 'ах', 'ях', 'ом', 'ем',
  'ой', 'ай', 'яй', 'ей', 'ою', 'аю', 'яю', 'ею',
  'аў', 'яў', 'оў', 'еў', 'іў', 'ыў',
  'а', 'я', 'у', 'ю', 'ы', 'і', 'е', 'о', 'ь',
  // verbs: infinitive, present tense (both conjugations), imperative plural
  'аць', 'яць', 'ець', 'іць', 'ыць', 'уць', 'юць',
  'аюць', 'яюць', 'аем', 'яем', 'аеш', 'яеш', 'аеце', 'яеце',
  'еш', 'эш', 'іш', 'еце', 'іце',
].slice().sort((a, b) => b.length - a.length);

function hasVowel(s: string): boolean {
  for (const c of s) if (VOWELS.includes(c)) return true;
  return false;
}

function stemIsLongEnough(stem: string): boolean {
  return stem.length >= MIN_STEM && hasVowel(stem);
}

/** Reflexive postfixes: -ся (затрымаўся, займаешся) and -цца (затрымацца, займаецца). */
function removeReflexive(w: string): string {
  if (w.endsWith('ся')) {
    const rest = w.slice(0, -2);
    const last = rest[rest.length - 1] ?? '';
    if (rest.length >= 5 && (VOWELS.includes(last) || 'ўшм'.includes(last))) return rest;
  } else if (w.endsWith('цца')) {
    const rest = w.slice(0, -3);
    if (rest.length >= 4 && VOWELS.includes(rest[rest.length - 1] ?? '')) return rest;
  }
  return w;
}

/**
 * Stems a Belarusian word by removing one inflectional ending (see the module
 * comment for the design and its limits).
 *
 * The word is lower-cased, ё is read as е and any apostrophe as '. Then a
 * reflexive -ся/-цца is removed where a verb form precedes it, then the
 * longest ending of the list that leaves a stem of at least three letters
 * with a vowel, and a final -нн of the stem becomes -н (затрыманне and
 * затрыманы meet at затрыман). Words with none of these endings, and words in
 * other alphabets, come back lower-cased. Never throws.
 *
 * @example
 * stemBelarusian('ізалятарах')  // 'ізалятар'
 * stemBelarusian('затрымання')  // 'затрыман'
 * stemBelarusian('Акрэсціне')   // 'акрэсцін'
 */
export function stemBelarusian(word: string): string {
  let w = String(word)
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u2019\u02BC\u2018`\u00B4]/g, "'");
  if (w.length <= MIN_STEM) return w;
  w = removeReflexive(w);
  for (const ending of ENDINGS) {
    if (!w.endsWith(ending)) continue;
    const stem = w.slice(0, -ending.length);
    if (stemIsLongEnough(stem)) {
      w = stem;
      break;
    }
  }
  if (w.endsWith('нн') && w.length > MIN_STEM + 1) w = w.slice(0, -1);
  return w;
}
