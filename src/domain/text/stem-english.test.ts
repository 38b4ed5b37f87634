import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stemEnglish } from './stem-english.js';

/**
 * Word → stem pairs from the published Snowball English (Porter2) sample
 * vocabulary and its stemmed output (https://snowballstem.org/algorithms/english/stemmer.html;
 * github.com/snowballstem/snowball-data, english/voc.txt, english/output.txt).
 * Data only, used as expected values.
 */
const SNOWBALL_SAMPLE = `
  medusae medusa
  meek meek
  meekest meekest
  meekly meek
  meekness meek
  meeting meet
  meetings meet
  meets meet
  melancholy melancholi
  melanops melanop
  mellifluousness melliflu
  mellowed mellow
  melodious melodi
  melodiously melodi
  melodramatic melodramat
  melody melodi
  melolonthidae melolonthida
  melons melon
  melted melt
  melteth melteth
  membrane membran
  membranous membran
  memorable memor
  memorial memori
  memories memori
  menace menac
  menacing menac
  mended mend
  mentally mental
  mentioned mention
  mercantile mercantil
  mercedes merced
  mercenary mercenari
  merchandise merchandis
  mercies merci
  merciful merci
  mercifully merci
  mercilessly merciless
  mere mere
  merely mere
  merged merg
  meritorious meritori
  meritoriously meritori
  merrier merrier
  merrily merrili
  merriment merriment
  merveille merveill
  mesalliance mesalli
  meshes mesh
  mesmerism mesmer
  messages messag
  messenger messeng
  messiah messiah
  metallic metal
  metalliferous metallifer
  metamorphosed metamorphos
  metaphorically metaphor
  metaphysical metaphys
  meteorological meteorolog
  methodical method
  methodically method
  methodist methodist
  metropolis metropoli
  metropolitan metropolitan
  mettle mettl
  mews mew
  micaceous micac
  michaelmas michaelma
  michell michel
  microscopical microscop
  middling middl
  midshipmen midshipmen
  midwives midwiv
  migrated migrat
  migration migrat
  migratory migratori
  mildewed mildew
  mildness mild
  milestones mileston
  military militari
  milliner millin
  millinery millineri
  millions million
  mimicking mimick
  mimosae mimosa
  minced minc
  mincingly minc
  mindedly mind
  mindedness minded
  mineral miner
  mineralogical mineralog
  mining mine
  minister minist
  ministerial ministeri
  ministration ministr
  minorities minor
  minutely minut
  minuteness minut
  minutest minutest
  miraculous miracul
  mirthfulness mirth
  miry miri
  misanthropical misanthrop
  miscalculation miscalcul
  miscalled miscal
  miscarried miscarri
  miscellaneous miscellan
  misconstrued misconstru
  misdeeds misde
  misdirections misdirect
  miserably miser
  misgivings misgiv
  misled misl
  mismanagement mismanag
  misrepresent misrepres
  misrepresentations misrepresent
  missing miss
  missionaries missionari
  missis missi
  mistakenly mistaken
  mistily mistili
  mistiness misti
  mistrustfully mistrust
  mitchell mitchel
  mitigation mitig
`;

describe('stemEnglish', () => {
  it('matches the Snowball sample vocabulary', () => {
    const list = SNOWBALL_SAMPLE.trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/) as [string, string]);
    expect(list.length).toBeGreaterThanOrEqual(60);
    for (const [word, stem] of list) expect(stemEnglish(word), word).toBe(stem);
  });

  it('brings the forms of the words of this domain together', () => {
    const same = (stem: string, ...words: string[]) => {
      for (const w of words) expect(stemEnglish(w), w).toBe(stem);
    };
    same('detent', 'detention', 'detentions', 'Detention');
    same('tortur', 'torture', 'tortured', 'torturing', 'tortures');
    same('beat', 'beat', 'beating', 'beatings', 'beats');
    same('arrest', 'arrest', 'arrested', 'arresting', 'arrests');
    same('prison', 'prison', 'prisoner', 'prisoners', 'prisons');
    same('sentenc', 'sentence', 'sentenced', 'sentences');
    same('court', 'court', 'courts');
    same('polic', 'police');
  });

  it('follows the rules of step 1 (plurals, -ed/-ing, y)', () => {
    const cases: Array<[string, string]> = [
      ['ties', 'tie'], ['cries', 'cri'], ['gas', 'gas'], ['gaps', 'gap'], ['kiwis', 'kiwi'],
      ['caresses', 'caress'], ['agreed', 'agre'], ['feed', 'feed'], ['hopping', 'hop'],
      ['hoping', 'hope'], ['filing', 'file'], ['cry', 'cri'], ['by', 'by'], ['say', 'say'],
      ["man's", 'man'], ["dogs'", 'dog'], ['man’s', 'man'], ['skies', 'sky'], ['dying', 'die'],
      ['inning', 'inning'], ['succeed', 'succeed'], ['generously', 'generous'],
    ];
    for (const [word, stem] of cases) expect(stemEnglish(word), word).toBe(stem);
  });

  it('leaves short words, numbers and words in other alphabets alone (lower-cased)', () => {
    expect(stemEnglish('')).toBe('');
    expect(stemEnglish('is')).toBe('is');
    expect(stemEnglish('KGB')).toBe('kgb');
    expect(stemEnglish('342')).toBe('342');
    expect(stemEnglish('café')).toBe('café');
    expect(stemEnglish('суд')).toBe('суд');
  });

  it('never throws and returns lower case for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-zA-Z']{0,20}$/)), (s) => {
        const stem = stemEnglish(s);
        expect(typeof stem).toBe('string');
        expect(stem).toBe(stem.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });
});
