/**
 * Stop words: short lists of function words (prepositions, conjunctions,
 * particles, pronouns, and in English the forms of "be" and the articles)
 * that search may skip. Written for this project; never names, never content
 * words. Words that are function words but also content words here are left
 * out on purpose: Russian "том" (a volume of a case file), English "us"
 * (the US), "may" (the month), "will" (a testament), "can".
 *
 * Every entry is already folded with `foldCase` (ё is written е, so её is
 * "ее", ёй is "ей", усё is "усе").
 */
import { foldCase, normalizeApostrophes } from './normalize.js';

export type StopWordLanguage = 'be' | 'ru' | 'en';

const BE = `
  у ў ва на з са к да ад па пра за пад над пры для без праз перад паміж сярод
  каля ля пасля акрамя замест дзеля аб аба праз скрозь
  і й а але ці або альбо што каб калі як бо таму хоць хаця таксама ні то
  не ж жа б бы вось толькі ўжо ужо нават яшчэ хіба няўжо ну ды дык
  я ты ён яна яно мы вы яны мяне мне мной мною цябе табе табой яго яму ім
  ёй яе ёю іх імі нас нам намі вас вам вамі сябе сабе сабой
  свой свая сваё свае свайго сваёй сваім сваіх мой мая маё мае майго маёй маіх
  твой твая тваё твае твайго тваёй наш наша нашае нашы нашага нашай ваш ваша вашы вашага
  гэты гэта гэтая гэтае гэтыя гэтага гэтай гэтым гэтых той тая тое тыя таго тым тых
  увесь уся усё усе ўвесь ўся ўсё ўсе усяго ўсяго усіх ўсіх усім ўсім
  хто што які якая якое якія якога якой якім якіх каго чаго чаму чый сам сама само самі
  тут там дзе куды адкуль калі тады
`;

const RU = `
  в во на с со к ко у о об обо от ото из изо до за по под подо над при про для
  без через перед между среди около возле после кроме вместо сквозь ради
  и а но или либо да что чтобы чтоб если когда как то ни ли хотя хоть будто
  также тоже зато однако потому поэтому пока так
  не же ж бы б ведь вот вон уж уже даже лишь только ещё разве неужели пусть ну
  я ты он она оно мы вы они меня мне мной мною тебя тебе тобой его него ему нему
  им ним её неё ей ней ею нею их них ими ними нас нам нами вас вам вами себя себе собой
  свой своя своё свои своего своей своих своим мой моя моё мои моего моей моих
  твой твоя твоё твои наш наша наше наши нашего нашей ваш ваша ваше ваши
  этот эта это эти этого этой этих этим тот та те того той тех тем
  весь вся всё все всего всех всем кто что какой какая какое какие какого
  который которая которое которые которого которой которых которым чей сам сама само сами
  тут там где куда откуда тогда
`;

const EN = `
  a an the
  about above across after against along among around at before behind below beneath
  beside between beyond by down during except for from in inside into near of off on
  onto out outside over past since through throughout till to toward towards under
  until up upon via with within without
  and or but nor so yet if then than as because although though while whether unless
  not no
  i me my mine myself you your yours yourself yourselves he him his himself she her
  hers herself it its itself we our ours ourselves they them their theirs themselves
  this that these those who whom whose which what
  be am is are was were been being
  there here
`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(
    list
      .split(/\s+/)
      .filter((w) => w.length > 0)
      .map((w) => foldCase(w)),
  );
}

/** The stop word lists, folded with `foldCase`. */
export const STOP_WORDS: Record<StopWordLanguage, ReadonlySet<string>> = {
  be: toSet(BE),
  ru: toSet(RU),
  en: toSet(EN),
};

/**
 * Whether a word is a stop word (a function word) in the given language. The
 * word is folded (`foldCase`, apostrophes normalised) before the lookup, so
 * "Ён", "ён" and "ен" all count. An unknown language gives false. Never throws.
 *
 * @example
 * isStopWord('Ён', 'be')     // true
 * isStopWord('омон', 'ru')   // false
 * isStopWord('police', 'en') // false
 */
export function isStopWord(word: string, lang: StopWordLanguage): boolean {
  const set = Object.prototype.hasOwnProperty.call(STOP_WORDS, lang) ? STOP_WORDS[lang] : undefined;
  if (set === undefined) return false;
  return set.has(foldCase(normalizeApostrophes(String(word))));
}
