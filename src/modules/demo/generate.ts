import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { recordType } from '../../domain/records/catalog.js';
import { RECORD_TYPE_NAMES, isSecretField, type FuzzyDate, type RecordTypeDef, type RecordTypeName } from '../../domain/records/fields.js';
import { can, compartmentsWhere, type Actor } from '../../domain/policies.js';
import { ForbiddenError, ValidationError } from '../../domain/errors.js';
import { romanizeBelarusian, romanizeRussian } from '../../domain/text/translit.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { findCompartment } from '../compartments/compartments.repository.js';
import * as repo from '../records/records.repository.js';
import { PROTECTED, writeSecrets } from '../records/secrets.js';
import { rebuildIndex } from '../search/indexer.js';
import { DEMO_RECORDS, isRef } from './demo.data.js';
import { dependencyOrder } from './demo.usecases.js';

/**
 * `letapis demo generate`: a large SYNTHETIC data set for load tests and benchmarks, made from a
 * seed (the same seed and size give the same records, ids apart). EVERY PERSON IS INVENTED: given
 * names and surnames are put together from syllables (in Belarusian and Russian Cyrillic at once)
 * and romanised with src/domain/text/translit.ts; any likeness to a real person is chance. The
 * places, facilities and units are the real ones of the small demo (demo.data.ts), created first.
 *
 * What it makes, per invented victim (a "story"), on average (counts are of records):
 *
 * | record            | per story | share of 1,000,000 |
 * |-------------------|-----------|--------------------|
 * | persons           | 1         | ~14 %              |
 * | person-names      | ~2.6      | ~37 %  (be + ru Cyrillic; 65 % also 1–2 Latin romanisations; 35 % Cyrillic only) |
 * | acts              | ~1.4      | ~20 %  (detention/arrest, beating, torture…, methods from the seeded vocabulary) |
 * | detentions        | ~0.75     | ~11 %  (for arrest and detention acts, with detaining units) |
 * | custody-stays     | ~0.45     | ~6 %   (facility, cell, occupants over capacity, conditions) |
 * | information       | ~0.4      | ~6 %   (a plain summary in be, ru or en) |
 * | testimonies       | ~0.3      | ~4 %   (a short transcript in be, ru or en, stored encrypted) |
 * | medical-findings  | ~0.15     | ~2 %   (description stored encrypted) |
 * | events            | 1 per 40 stories | ~0.4 % |
 *
 * plus the demo's places, units and facilities (about 45 records). 40 % of the persons also carry
 * an encrypted identity (full name in Belarusian Cyrillic), which feeds the blind name index.
 *
 * Speed: records are written in batches of `batchSize` per transaction with the repository
 * functions (insertRow, replaceList, writeSecrets, insertVersion), not through createRecord (which
 * validates, reloads and indexes each record on its own). The data is valid by construction (codes
 * read from the database's vocabularies, references only to records already written). The search
 * index is built once at the end with `rebuildIndex` and timed on its own (`indexSeconds`).
 */

export interface GenerateProgress {
  phase: 'records' | 'index';
  done: number;
  total: number;
}

export interface GenerateOptions {
  /** Records to create (at least 100). */
  records: number;
  seed: number;
  /** Compartment id or name (default: the actor's only compartment where it may create records). */
  compartment?: string;
  onProgress?: (p: GenerateProgress) => void;
  /** Records per transaction (default 1000). */
  batchSize?: number;
  /** Build the search index at the end (default true). */
  index?: boolean;
  /** Persons whose spellings are kept in `sample` (default 1000). */
  samplePersons?: number;
}

/** A person of the data set with the spellings recorded for them (for tests and benchmark queries). */
export interface SamplePerson {
  id: string;
  /** Full name in Belarusian and Russian Cyrillic (given name + surname). */
  be: string;
  ru: string;
  surnameBe: string;
  surnameRu: string;
  /** The names recorded for the person, as [text, script, language, system]. */
  recorded: Array<[text: string, script: 'Cyrl' | 'Latn', language: 'be' | 'ru', system: string]>;
  /** Only Cyrillic spellings were recorded (a romanised query must still find them). */
  cyrillicOnly: boolean;
}

export interface GenerateResult {
  compartment: string;
  seed: number;
  records: number;
  counts: Record<RecordTypeName, number>;
  generateSeconds: number;
  recordsPerSecond: number;
  /** Seconds `rebuildIndex` took (null when not built). */
  indexSeconds: number | null;
  indexedDocuments: number;
  sample: {
    persons: SamplePerson[];
    /** Ids of the demo places, facilities and units created (for facet queries). */
    places: string[];
    facilities: string[];
    units: string[];
    events: Array<{ id: string; title: string }>;
  };
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32, as the benchmark uses)

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  const some = <T>(xs: readonly T[], lo: number, hi: number): T[] => {
    const k = Math.min(xs.length, int(lo, hi));
    const out = new Set<T>();
    while (out.size < k) out.add(pick(xs));
    return [...out];
  };
  return { next, int, pick, chance, some };
}
export type Rng = ReturnType<typeof rng>;

// ---------------------------------------------------------------------------------------------
// Invented names: syllables written at once in Belarusian and Russian spelling

type Pair = readonly [be: string, ru: string];

const SYLLABLES: Pair[] = [
  ['ба', 'ба'], ['ва', 'во'], ['да', 'до'], ['зя', 'зе'], ['лі', 'ли'], ['ма', 'мо'], ['ні', 'ни'], ['ра', 'ро'],
  ['сі', 'си'], ['ту', 'ту'], ['ха', 'хо'], ['шча', 'ща'], ['дзе', 'де'], ['це', 'те'], ['кі', 'ки'], ['гу', 'гу'],
  ['пя', 'пе'], ['жо', 'жо'], ['чы', 'чи'], ['ля', 'ле'], ['мі', 'ми'], ['ру', 'ру'], ['ка', 'ко'], ['ся', 'се'],
  ['бу', 'бу'], ['вя', 'ве'], ['зо', 'зо'], ['фе', 'фе'], ['ла', 'ло'], ['ны', 'ны'], ['ца', 'ца'], ['ше', 'ше'],
];
/** Surname endings (male, female). */
const SURNAME_ENDINGS: Array<{ m: Pair; f: Pair }> = [
  { m: ['ненка', 'ненко'], f: ['ненка', 'ненко'] },
  { m: ['вічук', 'вичук'], f: ['вічук', 'вичук'] },
  { m: ['ковіч', 'кович'], f: ['ковіч', 'кович'] },
  { m: ['нкоў', 'нков'], f: ['нкова', 'нкова'] },
  { m: ['рскі', 'рский'], f: ['рская', 'рская'] },
  { m: ['лёнак', 'лёнок'], f: ['лёнак', 'лёнок'] },
  { m: ['шэвіч', 'шевич'], f: ['шэвіч', 'шевич'] },
  { m: ['доўскі', 'довский'], f: ['доўская', 'довская'] },
  { m: ['люк', 'люк'], f: ['люк', 'люк'] },
  { m: ['чэня', 'ченя'], f: ['чэня', 'ченя'] },
];
const GIVEN_ENDINGS: { m: Pair[]; f: Pair[] } = {
  m: [['ан', 'ан'], ['ор', 'ор'], ['ім', 'им'], ['ась', 'ась'], ['эй', 'ей'], ['ук', 'ук'], ['ель', 'ель']],
  f: [['ана', 'ана'], ['іна', 'ина'], ['ея', 'ея'], ['ыся', 'ися'], ['ўта', 'вта'], ['еля', 'еля']],
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
function join(parts: Pair[]): Pair {
  return [cap(parts.map((p) => p[0]).join('')), cap(parts.map((p) => p[1]).join(''))];
}

/** An invented person's name in both Cyrillic spellings. */
export function inventName(r: Rng, sex: 'male' | 'female'): { given: Pair; surname: Pair } {
  const s = sex === 'male' ? 'm' : 'f';
  const given = join([r.pick(SYLLABLES), ...(r.chance(0.4) ? [r.pick(SYLLABLES)] : []), r.pick(GIVEN_ENDINGS[s])]);
  const surname = join([r.pick(SYLLABLES), r.pick(SYLLABLES), ...(r.chance(0.3) ? [r.pick(SYLLABLES)] : []), r.pick(SURNAME_ENDINGS)[s]]);
  return { given, surname };
}

/** The romanisations a Latin spelling may be recorded in (language, system, function). */
const LATIN: Array<{ lang: 'be' | 'ru'; system: string; of: (be: string, ru: string) => string }> = [
  { lang: 'be', system: 'icao-9303', of: (be) => romanizeBelarusian(be, 'icao-9303') },
  { lang: 'be', system: 'be-2007-un', of: (be) => romanizeBelarusian(be, 'by-2007') },
  { lang: 'be', system: 'bgn-pcgn', of: (be) => romanizeBelarusian(be, 'bgn-pcgn') },
  { lang: 'be', system: 'be-2023', of: (be) => romanizeBelarusian(be, 'by-2023') },
  { lang: 'ru', system: 'icao-9303', of: (_be, ru) => romanizeRussian(ru, 'icao-9303') },
  { lang: 'ru', system: 'bgn-pcgn', of: (_be, ru) => romanizeRussian(ru, 'bgn-pcgn') },
];

// ---------------------------------------------------------------------------------------------
// Invented prose in three languages

export type Lang3 = 'be' | 'ru' | 'en';
const LANGS: Lang3[] = ['be', 'ru', 'en'];

/** Streets and sites named in the prose (real places of the demo). */
const SITES: Array<Record<Lang3, string>> = [
  { be: 'Акрэсціна', ru: 'Окрестина', en: 'Okrestina Street' },
  { be: 'Жодзіна', ru: 'Жодино', en: 'Zhodino' },
  { be: 'Пушкінскай', ru: 'Пушкинской', en: 'Pushkinskaya' },
  { be: 'Нямізе', ru: 'Немиге', en: 'Niamiha' },
  { be: 'праспекце Незалежнасці', ru: 'проспекте Независимости', en: 'Independence Avenue' },
  { be: 'Брэсце', ru: 'Бресте', en: 'Brest' },
  { be: 'Гродне', ru: 'Гродно', en: 'Hrodna' },
  { be: 'Валадарскага', ru: 'Володарского', en: 'Valadarskaha Street' },
];

/** Sentences of transcripts; {site} {date} {cap} {n} are filled in. */
const TRANSCRIPT: Record<Lang3, string[]> = {
  be: [
    'Мяне затрымалі {date} каля {site}.',
    'Нас закінулі ў аўтазак і білі дубінкамі па нагах.',
    'У ізалятары на {site} трымалі ў камеры на {cap} месцаў, а нас было {n}.',
    'Супрацоўнікі ў балаклавах без апазнавальных знакаў патрабавалі пароль ад тэлефона.',
    'Прагналі праз калідор з супрацоўнікаў, білі па спіне і галаве.',
    'Суд прайшоў па відэасувязі, адваката не пусцілі.',
    'Вады не давалі амаль суткі, уначы не выключалі святло.',
    'Пасля вызвалення звярнуўся ў бальніцу, лекар зафіксаваў гематомы.',
    'Прымусілі стаяць на каленях тварам да сцяны некалькі гадзін.',
    'Пагражалі крымінальнай справай і тым, што паведамяць на працу.',
    'Пасля суда перавезлі ў турму ў {site}.',
    'Рэчы вярнулі толькі праз тыдзень, тэлефон не вярнулі.',
  ],
  ru: [
    'Меня задержали {date} возле {site}.',
    'Нас затолкали в автозак и били дубинками по ногам.',
    'В изоляторе на {site} держали в камере на {cap} мест, а нас было {n}.',
    'Сотрудники в балаклавах без опознавательных знаков требовали пароль от телефона.',
    'Прогнали через коридор из сотрудников, били по спине и голове.',
    'Суд прошёл по видеосвязи, адвоката не пустили.',
    'Воды не давали почти сутки, ночью не выключали свет.',
    'После освобождения обратился в больницу, врач зафиксировал гематомы.',
    'Заставили стоять на коленях лицом к стене несколько часов.',
    'Угрожали уголовным делом и тем, что сообщат на работу.',
    'После суда перевезли в тюрьму в {site}.',
    'Вещи вернули только через неделю, телефон не вернули.',
  ],
  en: [
    'I was detained on {date} near {site}.',
    'They pushed us into a police van and beat us with batons on the legs.',
    'In the isolation centre on {site} we were held in a cell for {cap}, and there were {n} of us.',
    'Officers in balaclavas without insignia demanded the password of my phone.',
    'We were made to run through a corridor of officers who beat us on the back and head.',
    'The court hearing was held by video link and my lawyer was not let in.',
    'We were given no water for almost a day, and the lights stayed on all night.',
    'After my release I went to hospital, where a doctor recorded haematomas.',
    'We were forced to kneel facing the wall for several hours.',
    'They threatened me with a criminal case and with telling my employer.',
    'After the trial I was taken to the prison in {site}.',
    'My things were returned only a week later, my phone was never returned.',
  ],
};

/** Summaries of information (plain text, searchable with snippets). */
const SUMMARY: Record<Lang3, string[]> = {
  be: [
    'Крыніца паведамляе пра затрыманне {date} каля {site}; ужываліся {method}.',
    'Сведка бачыў, як затрыманых выводзілі з аўтазака каля {site} і білі.',
    'Сваякі доўга не ведалі, дзе знаходзіцца затрыманы; пазней яго знайшлі ў {site}.',
    'Паводле паведамлення, у камеры не было месцаў, людзі спалі на падлозе.',
  ],
  ru: [
    'Источник сообщает о задержании {date} возле {site}; применялись {method}.',
    'Свидетель видел, как задержанных выводили из автозака возле {site} и избивали.',
    'Родственники долго не знали, где находится задержанный; позже его нашли в {site}.',
    'По сообщению, в камере не было мест, люди спали на полу.',
  ],
  en: [
    'The source reports a detention on {date} near {site}; {method} were used.',
    'A witness saw detainees being taken out of a police van near {site} and beaten.',
    'Relatives did not know for days where the detainee was; later he was found in {site}.',
    'According to the report, the cell had no beds and people slept on the floor.',
  ],
};

const EVENT_TITLES: Record<Lang3, string[]> = {
  be: ['Разгон мірнага сходу каля {site}, {date}', 'Масавыя затрыманні ў {site}, {date}', 'Акцыя пратэсту каля {site}, {date}'],
  ru: ['Разгон мирного собрания у {site}, {date}', 'Массовые задержания в {site}, {date}', 'Акция протеста у {site}, {date}'],
  en: ['Dispersal of a peaceful gathering near {site}, {date}', 'Mass detentions in {site}, {date}', 'Protest near {site}, {date}'],
};

const STATED_REASONS: Record<Lang3, string[]> = {
  be: ['удзел у несанкцыянаваным масавым мерапрыемстве', 'непадпарадкаванне супрацоўніку міліцыі', 'дробнае хуліганства'],
  ru: ['участие в несанкционированном массовом мероприятии', 'неповиновение сотруднику милиции', 'мелкое хулиганство'],
  en: ['taking part in an unauthorised mass event', 'disobeying a police officer', 'petty hooliganism'],
};

/** Words, phrases and prefixes that occur in the generated prose, by language (for benchmark queries). */
export const PROSE_WORDS: Record<Lang3, string[]> = {
  be: ['затрымалі', 'аўтазак', 'дубінкамі', 'ізалятары', 'камеры', 'балаклавах', 'калідор', 'відэасувязі', 'адваката', 'гематомы', 'каленях', 'турму', 'тэлефон', 'Акрэсціна', 'Жодзіна', 'сведка', 'сваякі'],
  ru: ['задержали', 'автозак', 'дубинками', 'изоляторе', 'камере', 'балаклавах', 'коридор', 'видеосвязи', 'адвоката', 'гематомы', 'коленях', 'тюрьму', 'телефон', 'Окрестина', 'Жодино', 'свидетель', 'родственники'],
  en: ['detained', 'van', 'batons', 'isolation', 'cell', 'balaclavas', 'corridor', 'video', 'lawyer', 'haematomas', 'kneel', 'prison', 'phone', 'Okrestina', 'Zhodino', 'witness', 'relatives'],
};
export const PROSE_PHRASES: Record<Lang3, string[]> = {
  be: ['білі дубінкамі', 'калідор з супрацоўнікаў', 'без апазнавальных знакаў', 'спалі на падлозе', 'не было месцаў'],
  ru: ['били дубинками', 'коридор из сотрудников', 'без опознавательных знаков', 'спали на полу', 'не было мест'],
  en: ['police van', 'corridor of officers', 'without insignia', 'slept on the floor', 'no beds'],
};
export const PROSE_PREFIXES: Record<Lang3, string[]> = {
  be: ['затрым', 'ізаля', 'аўтаз', 'Акрэс', 'гемат'],
  ru: ['задерж', 'изолят', 'автоз', 'Окрест', 'гемат'],
  en: ['deta', 'isol', 'insig', 'Okres', 'haemat'],
};

const fill = (tpl: string, v: Record<string, string | number>) => tpl.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

// ---------------------------------------------------------------------------------------------
// Dates

const DAY = 86_400_000;
const START = Date.UTC(2020, 7, 9);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** A day from 9 August 2020 on, mostly in the first months (as the repression came in waves). */
function dayMs(r: Rng): number {
  const x = r.next();
  const days = x < 0.6 ? Math.floor(r.next() * 60) : x < 0.9 ? Math.floor(r.next() * 500) : Math.floor(r.next() * 1500);
  return START + days * DAY;
}
const dayOf = (ms: number): FuzzyDate => ({ value: isoDay(ms), precision: 'day' });
const humanDate = (ms: number, lang: Lang3) => {
  const d = new Date(ms);
  const m = d.getUTCMonth();
  const months: Record<Lang3, string[]> = {
    be: ['студзеня', 'лютага', 'сакавіка', 'красавіка', 'мая', 'чэрвеня', 'ліпеня', 'жніўня', 'верасня', 'кастрычніка', 'лістапада', 'снежня'],
    ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
    en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  };
  return lang === 'en' ? `${d.getUTCDate()} ${months.en[m]} ${d.getUTCFullYear()}` : `${d.getUTCDate()} ${months[lang][m]} ${d.getUTCFullYear()}`;
};

// ---------------------------------------------------------------------------------------------
// Writing

interface Pending {
  def: RecordTypeDef;
  id: string;
  data: Record<string, unknown>;
}

/** The history entry of a created record: plain fields as they are, encrypted ones as "[protected]". */
function creationChanges(def: RecordTypeDef, data: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    const v = data[name];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[name] = { from: null, to: isSecretField(f) ? PROTECTED : v };
  }
  return out;
}

async function writeBatch(db: Kysely<any>, vault: KeyVault, actor: Actor, compartment: string, batch: Pending[]): Promise<void> {
  if (batch.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const p of batch) {
      const at = new Date().toISOString();
      await repo.insertRow(trx, p.def, { id: p.id, compartment, version: 1, createdAt: at, createdBy: actor.userId, updatedAt: at, updatedBy: actor.userId }, p.data);
      for (const [name, f] of Object.entries(p.def.fields))
        if ((f.kind === 'vocabList' || f.kind === 'refList') && Array.isArray(p.data[name]) && (p.data[name] as unknown[]).length)
          await repo.replaceList(trx, p.def, p.id, name, p.data[name] as string[], true);
      await writeSecrets(trx, { vault }, p.def, p.id, p.data, { fresh: true });
      await repo.insertVersion(trx, {
        id: uuidv7(),
        recordType: p.def.name,
        recordId: p.id,
        compartment,
        version: 1,
        action: 'create',
        actorId: actor.userId,
        at,
        changes: creationChanges(p.def, p.data),
        snapshot: undefined,
      });
    }
  });
}

/** The compartment to write into: the one named (id or name), or the actor's only writable one. */
async function targetCompartment(db: Kysely<any>, actor: Actor, requested: string | undefined): Promise<string> {
  const subject = await subjectOf(db, actor);
  const writable = compartmentsWhere(subject, 'record.create');
  if (requested) {
    const c = await findCompartment(db, requested);
    if (!c) throw new ValidationError([{ field: 'compartment', message: `no compartment is named "${requested}"` }]);
    if (!can(subject, 'record.create', { compartmentId: c.id })) throw new ForbiddenError(`${actor.username} may not create records in compartment "${requested}"`);
    return c.id;
  }
  if (writable.length === 1) return writable[0]!;
  if (writable.length === 0) throw new ForbiddenError(`${actor.username} may not create records in any compartment`);
  throw new ValidationError([{ field: 'compartment', message: `${actor.username} may create records in ${writable.length} compartments: name one` }]);
}

/** Codes (and labels) of every non-deprecated term, by vocabulary, as the database holds them. */
async function vocabularies(db: Kysely<any>): Promise<Map<string, Array<{ code: string; labels: Record<Lang3, string> }>>> {
  const rows = await db.selectFrom('vocabulary_terms').select(['vocabulary', 'code', 'label_be', 'label_ru', 'label_en']).where('deprecated', '=', 0).orderBy('vocabulary').orderBy('code').execute();
  const out = new Map<string, Array<{ code: string; labels: Record<Lang3, string> }>>();
  for (const r of rows) {
    let a = out.get(r.vocabulary);
    if (!a) out.set(r.vocabulary, (a = []));
    a.push({ code: r.code, labels: { be: r.label_be ?? r.label_en ?? r.code, ru: r.label_ru ?? r.label_en ?? r.code, en: r.label_en ?? r.code } });
  }
  return out;
}

/**
 * Generates the synthetic data set into a compartment; see the comment at the top of this file.
 *
 * @example const res = await generateDataSet({ db, vault }, actor, { records: 1_000_000, seed: 1 })
 */
export async function generateDataSet(deps: { db: Kysely<any>; vault: KeyVault }, actor: Actor, opts: GenerateOptions): Promise<GenerateResult> {
  const { db, vault } = deps;
  if (!Number.isInteger(opts.records) || opts.records < 100) throw new ValidationError([{ field: 'records', message: 'give a whole number of at least 100' }]);
  if (vault.isSealed()) throw new ValidationError([{ field: 'vault', message: 'the vault is sealed: names and prose are stored encrypted, unseal it first' }]);
  const compartment = await targetCompartment(db, actor, opts.compartment);
  const vocab = await vocabularies(db);
  const codes = (v: string) => {
    const a = vocab.get(v);
    if (!a?.length) throw new Error(`the vocabulary "${v}" has no terms in this database`);
    return a;
  };
  const r = rng(opts.seed);
  const batchSize = opts.batchSize ?? 1000;
  const total = opts.records;
  const counts = Object.fromEntries(RECORD_TYPE_NAMES.map((t) => [t, 0])) as Record<RecordTypeName, number>;
  let batch: Pending[] = [];
  let written = 0;
  const t0 = performance.now();
  const emit = async (type: RecordTypeName, data: Record<string, unknown>): Promise<string | undefined> => {
    if (written + batch.length >= total) return undefined;
    const id = uuidv7();
    batch.push({ def: recordType(type), id, data });
    counts[type]++;
    if (batch.length >= batchSize) await flush();
    return id;
  };
  const flush = async () => {
    await writeBatch(db, vault, actor, compartment, batch);
    written += batch.length;
    batch = [];
    opts.onProgress?.({ phase: 'records', done: written, total });
  };
  opts.onProgress?.({ phase: 'records', done: 0, total });

  // the demo's real places, units and facilities, with the references among them resolved
  const base = dependencyOrder(DEMO_RECORDS.filter((d) => d.type === 'places' || d.type === 'units' || d.type === 'facilities'));
  const ids = new Map<string, string>();
  const resolve = (v: unknown): unknown => (isRef(v) ? ids.get(v.$ref) : Array.isArray(v) ? v.map(resolve) : v);
  const places: string[] = [];
  const facilities: string[] = [];
  const units: string[] = [];
  for (const d of base) {
    const data = Object.fromEntries(Object.entries(d.data).map(([k, v]) => [k, resolve(v)]));
    const id = (await emit(d.type, data))!;
    ids.set(d.key, id);
    (d.type === 'places' ? places : d.type === 'units' ? units : facilities).push(id);
  }
  const actTypes = codes('act-types').map((t) => t.code);
  const violent = ['beating', 'torture', 'ill-treatment', 'threat'].filter((c) => actTypes.includes(c));
  const custodial = ['detention', 'arrest'].filter((c) => actTypes.includes(c));
  const methods = codes('methods');

  const sample: GenerateResult['sample'] = { persons: [], places, facilities, units, events: [] };
  const wantSample = opts.samplePersons ?? 1000;
  const stride = Math.max(1, Math.floor(total / 7 / wantSample));
  let event: { id: string; ms: number; place: string } | undefined;
  let story = 0;

  while (written + batch.length < total) {
    // a new event every 40 stories
    if (!event || story % 40 === 0) {
      const lang = r.pick(LANGS);
      const ms = dayMs(r);
      const site = r.pick(SITES);
      const title = fill(r.pick(EVENT_TITLES[lang]), { site: site[lang], date: humanDate(ms, lang) });
      const place = r.pick(places);
      const id = await emit('events', {
        title,
        description: fill(r.pick(SUMMARY[lang]), { site: site[lang], date: humanDate(ms, lang), method: r.pick(methods).labels[lang].toLowerCase() }),
        start: dayOf(ms),
        end: dayOf(ms + r.int(0, 1) * DAY),
        place,
        status: r.pick(['alleged', 'corroborated', 'verified']),
        types: r.some(codes('event-types').map((t) => t.code), 1, 2),
      });
      if (!id) break;
      event = { id, ms, place };
      if (sample.events.length < 200) sample.events.push({ id, title });
    }
    story++;
    const sex = r.chance(0.55) ? 'male' : 'female';
    const { given, surname } = inventName(r, sex);
    const be = `${given[0]} ${surname[0]}`;
    const ru = `${given[1]} ${surname[1]}`;
    const withIdentity = r.chance(0.4);
    const person = await emit('persons', {
      pseudonym: `${r.pick(['ВК', 'СМ', 'АЛ', 'ДЗ', 'PN', 'KR'])}-${String(story).padStart(6, '0')}`,
      sex,
      roles: r.chance(0.3) ? ['victim', 'witness'] : ['victim'],
      ...(withIdentity ? { identity: { fullName: be, givenName: given[0], familyName: surname[0] } } : {}),
    });
    if (!person) break;
    const cyrillicOnly = r.chance(0.35);
    const recorded: SamplePerson['recorded'] = [[be, 'Cyrl', 'be', 'original']];
    if (!cyrillicOnly || r.chance(0.5)) recorded.push([ru, 'Cyrl', 'ru', 'original']);
    if (!cyrillicOnly)
      for (const l of r.some(LATIN, 1, 2)) recorded.push([l.of(be, ru), 'Latn', l.lang, l.system]);
    for (const [i, [text, script, language, system]] of recorded.entries())
      if (!(await emit('person-names', { person, text, script, language, system, preferred: i === 0 || (script === 'Latn' && i === 2), source: r.chance(0.2) ? 'passport copy' : null }))) break;
    if (story % stride === 0 && sample.persons.length < wantSample) sample.persons.push({ id: person, be, ru, surnameBe: surname[0], surnameRu: surname[1], recorded, cyrillicOnly });

    // acts: a custodial act most of the time, and often violence on top
    const lang = r.pick(LANGS);
    const site = r.pick(SITES);
    const acts: Array<{ id: string; type: string; methods: string[] }> = [];
    const nActs = r.chance(0.4) ? 2 : 1;
    for (let a = 0; a < nActs; a++) {
      const type = a === 0 && r.chance(0.75) ? r.pick(custodial) : r.pick(violent);
      const ms = event.ms + r.int(0, 2) * DAY;
      const m = type === 'detention' || type === 'arrest' ? (r.chance(0.2) ? r.some(methods, 1, 1) : []) : r.some(methods, 1, 3);
      const id = await emit('acts', {
        event: event.id,
        victim: person,
        type,
        methods: m.map((x) => x.code),
        start: dayOf(ms),
        place: r.chance(0.8) ? event.place : r.pick(places),
        statedReason: type === 'detention' || type === 'arrest' ? r.pick(STATED_REASONS[lang]) : null,
        consequences: r.chance(0.3) ? fill(r.pick(TRANSCRIPT[lang]), { site: site[lang], date: humanDate(ms, lang), cap: 4, n: r.int(10, 40) }) : null,
        victimStatus: r.chance(0.5) ? r.pick(codes('victim-statuses')).code : null,
      });
      if (!id) break;
      acts.push({ id, type, methods: m.map((x) => x.code) });
    }
    for (const act of acts) {
      if (act.type !== 'detention' && act.type !== 'arrest') continue;
      const ms = event.ms + r.int(0, 1) * DAY;
      const detention = await emit('detentions', {
        act: act.id,
        detainingUnits: r.some(units, 1, 2),
        detainedAt: dayOf(ms),
        place: event.place,
        releasedAt: dayOf(ms + r.int(1, 15) * DAY),
        releaseReason: r.chance(0.7) ? r.pick(codes('release-reasons')).code : null,
        legalCounsel: r.pick(['provided', 'denied', 'delayed', 'not-requested', 'unknown']),
      });
      if (!detention) break;
      if (r.chance(0.6)) {
        const capacity = r.pick([2, 4, 6, 8]);
        await emit('custody-stays', {
          detention,
          facility: r.pick(facilities),
          from: dayOf(ms),
          to: dayOf(ms + r.int(1, 10) * DAY),
          cell: `${r.int(1, 40)}`,
          occupants: capacity * r.int(2, 8),
          cellCapacity: capacity,
          conditions: r.some(codes('detention-conditions').map((t) => t.code), 1, 3),
          notes: null,
        });
      }
    }
    if (r.chance(0.4)) {
      const l = r.pick(LANGS);
      const ms = event.ms + r.int(0, 30) * DAY;
      await emit('information', {
        sourcePerson: r.chance(0.5) ? person : null,
        sourceName: 'invented source',
        sourceKind: r.pick(codes('source-kinds')).code,
        event: event.id,
        act: acts[0]?.id ?? null,
        person,
        connection: r.pick(codes('source-connections')).code,
        date: dayOf(ms),
        reliability: r.pick(['A', 'B', 'C', 'D', 'E', 'F']),
        credibility: r.pick(['1', '2', '3', '4', '5', '6']),
        summary: fill(r.pick(SUMMARY[l]), { site: r.pick(SITES)[l], date: humanDate(event.ms, l), method: r.pick(methods).labels[l].toLowerCase() }),
      });
    }
    if (r.chance(0.3)) {
      const l = r.pick(LANGS);
      const ms = event.ms + r.int(5, 200) * DAY;
      const s = r.pick(SITES);
      const sentences = r.some(TRANSCRIPT[l].slice(1), 3, 6);
      const transcript = [fill(TRANSCRIPT[l][0]!, { site: s[l], date: humanDate(event.ms, l) }), ...sentences.map((x) => fill(x, { site: r.pick(SITES)[l], cap: r.pick([4, 6, 8]), n: r.int(12, 50) }))].join(' ');
      await emit('testimonies', {
        title: { be: `Сведчанне ${story}: ${s.be}`, ru: `Показания ${story}: ${s.ru}`, en: `Testimony ${story}: ${s.en}` }[l],
        interviewee: person,
        interviewer: 'documenter team',
        date: dayOf(ms),
        mode: r.pick(['in-person', 'remote', 'written']),
        language: l,
        event: event.id,
        topics: r.some(codes('testimony-topics').map((t) => t.code), 1, 4),
        transcript,
      });
    }
    const violentAct = acts.find((a) => a.methods.length && violent.includes(a.type));
    if (violentAct && r.chance(0.35)) {
      const l = r.pick(LANGS);
      await emit('medical-findings', {
        person,
        act: violentAct.id,
        examiner: 'invented examiner',
        date: dayOf(event.ms + r.int(1, 10) * DAY),
        bodyRegion: r.pick(codes('body-regions')).code,
        kind: r.pick(codes('injury-kinds')).code,
        size: `${r.int(1, 20)} × ${r.int(1, 10)} cm`,
        allegedCause: violentAct.methods[0],
        consistency: r.pick(['not-consistent', 'consistent', 'highly-consistent', 'typical', 'diagnostic']),
        description: fill(r.pick(TRANSCRIPT[l].filter((x) => !x.includes('{'))), {}),
      });
    }
  }
  await flush();
  const generateSeconds = (performance.now() - t0) / 1000;
  let indexSeconds: number | null = null;
  let indexedDocuments = 0;
  if (opts.index !== false) {
    const t1 = performance.now();
    indexedDocuments = await rebuildIndex(db, vault, (p) => opts.onProgress?.({ phase: 'index', done: p.done, total: p.total }));
    indexSeconds = (performance.now() - t1) / 1000;
  }
  return {
    compartment,
    seed: opts.seed,
    records: written,
    counts,
    generateSeconds: Math.round(generateSeconds * 1000) / 1000,
    recordsPerSecond: Math.round(written / generateSeconds),
    indexSeconds: indexSeconds === null ? null : Math.round(indexSeconds * 1000) / 1000,
    indexedDocuments,
    sample,
  };
}
