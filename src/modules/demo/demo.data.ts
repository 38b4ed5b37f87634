import type { FuzzyDate, RecordTypeName } from '../../domain/records/fields.js';

/**
 * The demo data set behind `letapis demo`: Minsk, Brest and Hrodna in August 2020 and after.
 *
 * EVERY PERSON IN IT IS INVENTED: victims, witnesses, sources, officers, officials and judges alike.
 * Any likeness of a pseudonym or a name to a real person is chance. The institutions, units and
 * places are real (the Okrestina centres, Zhodino prison No. 8, penal colony No. 22, the KGB remand
 * prison; OMON, "Almaz", GUBOPiK, KGB "Alpha", the Internal Troops; district courts of Minsk and
 * Brest), as are the articles of law; what these invented people did and suffered there is made up
 * after the pattern of published testimonies, so that the data reads like real documentation work.
 *
 * Victims and witnesses appear only under pseudonyms and carry no names, as in real work, where
 * identities sit encrypted apart from the records. Names in several scripts are given only to
 * invented officials, whom documenters must recognise under every spelling.
 *
 * The records are plain data: each has a symbolic key (`person:hanna`), and references are written
 * `ref('person:hanna')`. The loader (demo.usecases.ts) creates them in dependency order and replaces
 * every reference with the id of the record created for it.
 */

/** A symbolic reference to another record of the data set, by key. */
export interface Ref {
  readonly $ref: string;
}

/** Refers to the record of the data set with this key. */
export const ref = (key: string): Ref => ({ $ref: key });

export function isRef(v: unknown): v is Ref {
  return typeof v === 'object' && v !== null && typeof (v as Ref).$ref === 'string' && Object.keys(v).length === 1;
}

/** One record of the data set: its key, its type, and its fields as the API takes them (refs by key). */
export interface DemoRecord {
  key: string;
  type: RecordTypeName;
  data: Record<string, unknown>;
}

/** The title of the demo's first event: its presence in a database means the demo is loaded. */
export const DEMO_MARKER_TITLE = 'Dispersal of a peaceful gathering near Pushkinskaya metro station, Minsk (Letapis demo)';

// ---------------------------------------------------------------------------------------------
// Small helpers so that the data below reads like a story.

const exact = (value: string): FuzzyDate => ({ value, precision: 'exact' });
const day = (value: string): FuzzyDate => ({ value, precision: 'day' });
const month = (value: string): FuzzyDate => ({ value, precision: 'month' });
const year = (value: string): FuzzyDate => ({ value, precision: 'year' });
const estimate = (value: string): FuzzyDate => ({ value, precision: 'estimate' });

const records: DemoRecord[] = [];
const define =
  (type: RecordTypeName, prefix: string) =>
  (name: string, data: Record<string, unknown>): void => {
    records.push({ key: `${prefix}:${name}`, type, data });
  };

const place = define('places', 'place');
const unit = define('units', 'unit');
const facility = define('facilities', 'facility');
const person = define('persons', 'person');
const personName = define('person-names', 'name');
const position = define('positions', 'position');
const event = define('events', 'event');
const act = define('acts', 'act');
const detention = define('detentions', 'detention');
const stay = define('custody-stays', 'stay');
const proceeding = define('proceedings', 'proceeding');
const charge = define('charges', 'charge');
const sentence = define('sentences', 'sentence');
const involvement = define('involvements', 'involvement');
const information = define('information', 'info');
const consent = define('consents', 'consent');
const testimony = define('testimonies', 'testimony');
const finding = define('medical-findings', 'finding');
const caseFile = define('cases', 'case');
const qualification = define('qualifications', 'qualification');
const element = define('qualification-elements', 'element');
const message = define('messages', 'message');

/** Every spelling of one name: [text, script, language, system, preferred?, source?]. */
function names(
  who: string,
  spellings: [text: string, script: 'Cyrl' | 'Latn', language: 'be' | 'ru' | 'en' | 'other', system: string, preferred?: boolean, source?: string][],
): void {
  spellings.forEach(([text, script, language, system, preferred, source], i) =>
    personName(`${who}-${i + 1}`, {
      person: ref(`person:${who}`),
      text,
      script,
      language,
      system,
      preferred: preferred ?? false,
      source: source ?? null,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Places: real places, coordinates approximate (WGS 84).

place('belarus', { nameBe: 'Беларусь', nameRu: 'Беларусь', nameEn: 'Belarus', kind: 'country', latitude: 53.7098, longitude: 27.9534 });
place('minsk', { nameBe: 'Мінск', nameRu: 'Минск', nameEn: 'Minsk', kind: 'city', parent: ref('place:belarus'), latitude: 53.9023, longitude: 27.5619 });
place('brest', { nameBe: 'Брэст', nameRu: 'Брест', nameEn: 'Brest', kind: 'city', parent: ref('place:belarus'), latitude: 52.0976, longitude: 23.7341 });
place('hrodna', { nameBe: 'Гродна', nameRu: 'Гродно', nameEn: 'Hrodna', kind: 'city', parent: ref('place:belarus'), latitude: 53.6779, longitude: 23.8294 });
place('zhodzina', { nameBe: 'Жодзіна', nameRu: 'Жодино', nameEn: 'Zhodzina (Zhodino)', kind: 'city', parent: ref('place:belarus'), latitude: 54.0985, longitude: 28.3331 });
place('ivatsevichy-district', { nameBe: 'Івацэвіцкі раён', nameRu: 'Ивацевичский район', nameEn: 'Ivatsevichy district', kind: 'district', parent: ref('place:belarus'), latitude: 52.7167, longitude: 25.3333 });
place('partyzanski-district', { nameBe: 'Партызанскі раён', nameRu: 'Партизанский район', nameEn: 'Partyzanski district, Minsk', kind: 'district', parent: ref('place:minsk') });
place('pushkinskaya', { nameBe: 'Станцыя метро «Пушкінская»', nameRu: 'Станция метро «Пушкинская»', nameEn: 'Pushkinskaya metro station', kind: 'metro-station', parent: ref('place:minsk'), latitude: 53.9093, longitude: 27.4955 });
place('niamiha', { nameBe: 'Няміга', nameRu: 'Немига', nameEn: 'Niamiha', kind: 'street', parent: ref('place:minsk'), latitude: 53.9057, longitude: 27.5537 });
place('independence-avenue', { nameBe: 'Праспект Незалежнасці', nameRu: 'Проспект Независимости', nameEn: 'Independence Avenue', kind: 'street', parent: ref('place:minsk') });
place('akrestsina-36', { nameBe: 'вул. Акрэсціна, 36', nameRu: 'ул. Окрестина, 36', nameEn: '36 Akrestsina (Okrestina) Street', kind: 'detention-facility', parent: ref('place:minsk'), latitude: 53.8622, longitude: 27.4977 });
place('kgb-building', { nameBe: 'Будынак КДБ, праспект Незалежнасці', nameRu: 'Здание КГБ, проспект Независимости', nameEn: 'KGB building, Independence Avenue', kind: 'building', parent: ref('place:independence-avenue'), latitude: 53.8989, longitude: 27.5567 });
place('zhodzina-prison', { nameBe: 'Турма № 8, Жодзіна', nameRu: 'Тюрьма № 8, Жодино', nameEn: 'Prison No. 8 site, Zhodzina', kind: 'detention-facility', parent: ref('place:zhodzina') });
place('damanava', { nameBe: 'Даманава', nameRu: 'Доманово', nameEn: 'Damanava', kind: 'village', parent: ref('place:ivatsevichy-district') });
place('brest-centre', { nameBe: 'Цэнтр Брэста, вуліца Савецкая', nameRu: 'Центр Бреста, улица Советская', nameEn: 'Central Brest, Savetskaya Street', kind: 'street', parent: ref('place:brest'), latitude: 52.0939, longitude: 23.6868 });
place('hrodna-police', { nameBe: 'Будынак УУС Гродзенскага аблвыканкама', nameRu: 'Здание УВД Гродненского облисполкома', nameEn: 'Hrodna regional police headquarters', kind: 'building', parent: ref('place:hrodna') });

// ---------------------------------------------------------------------------------------------
// Units: real bodies. Parents as in the structure of the Ministry of Internal Affairs and the KGB.

unit('mvd', { nameBe: 'Міністэрства ўнутраных спраў Рэспублікі Беларусь', nameRu: 'Министерство внутренних дел Республики Беларусь', nameEn: 'Ministry of Internal Affairs of Belarus', kind: 'ministry' });
unit('guvd-minsk', { nameBe: 'ГУУС Мінгарвыканкама', nameRu: 'ГУВД Мингорисполкома', nameEn: 'Main Internal Affairs Directorate of the Minsk City Executive Committee', parent: ref('unit:mvd') });
unit('omon-minsk', { nameBe: 'АМАП ГУУС Мінгарвыканкама', nameRu: 'ОМОН ГУВД Мингорисполкома', nameEn: 'OMON (special purpose police unit), Minsk', kind: 'riot-police', parent: ref('unit:guvd-minsk') });
unit('almaz', { nameBe: 'Спецпадраздзяленне антытэрору «Алмаз»', nameRu: 'Спецподразделение антитеррора «Алмаз»', nameEn: 'Counter-terrorism special unit "Almaz"', kind: 'counter-terrorism-unit', parent: ref('unit:mvd') });
unit('gubopik', { nameBe: 'ГУБАЗіК МУС', nameRu: 'ГУБОПиК МВД', nameEn: 'GUBOPiK (Main Directorate for Combating Organised Crime and Corruption)', kind: 'gubopik', parent: ref('unit:mvd') });
unit('ubopik-hrodna', { nameBe: 'УБАЗіК УУС Гродзенскага аблвыканкама', nameRu: 'УБОПиК УВД Гродненского облисполкома', nameEn: 'Organised crime department, Hrodna regional police', kind: 'gubopik', parent: ref('unit:gubopik') });
unit('internal-troops', { nameBe: 'Унутраныя войскі МУС', nameRu: 'Внутренние войска МВД', nameEn: 'Internal Troops of the Ministry of Internal Affairs', kind: 'internal-troops', parent: ref('unit:mvd') });
unit('kgb', { nameBe: 'Камітэт дзяржаўнай бяспекі (КДБ)', nameRu: 'Комитет государственной безопасности (КГБ)', nameEn: 'State Security Committee (KGB)', kind: 'kgb' });
unit('kgb-alpha', { nameBe: 'Група «А» («Альфа») КДБ', nameRu: 'Группа «А» («Альфа») КГБ', nameEn: 'KGB "Alpha" group', kind: 'kgb-special-forces', parent: ref('unit:kgb') });
unit('kgb-sizo-staff', { nameBe: 'Следчы ізалятар КДБ', nameRu: 'Следственный изолятор КГБ', nameEn: 'Staff of the KGB remand prison', kind: 'detention-facility-staff', parent: ref('unit:kgb') });
unit('okrestina-cip-staff', { nameBe: 'ЦІП ГУУС Мінгарвыканкама', nameRu: 'ЦИП ГУВД Мингорисполкома', nameEn: 'Staff of the Okrestina offender isolation centre', kind: 'detention-facility-staff', parent: ref('unit:guvd-minsk') });
unit('okrestina-ivs-staff', { nameBe: 'ІЧУ ГУУС Мінгарвыканкама', nameRu: 'ИВС ГУВД Мингорисполкома', nameEn: 'Staff of the Okrestina temporary detention centre', kind: 'detention-facility-staff', parent: ref('unit:guvd-minsk') });
unit('corrections', { nameBe: 'Дэпартамент выканання пакаранняў МУС', nameRu: 'Департамент исполнения наказаний МВД', nameEn: 'Department of Corrections of the Ministry of Internal Affairs', parent: ref('unit:mvd') });
unit('zhodzina-staff', { nameBe: 'Турма № 8 (Жодзіна)', nameRu: 'Тюрьма № 8 (Жодино)', nameEn: 'Staff of Zhodino remand prison No. 8', kind: 'detention-facility-staff', parent: ref('unit:corrections') });
unit('colony-22-staff', { nameBe: 'Папраўчая калонія № 22', nameRu: 'Исправительная колония № 22', nameEn: 'Staff of penal colony No. 22', kind: 'detention-facility-staff', parent: ref('unit:corrections') });
unit('frunzenski-ruvd', { nameBe: 'Фрунзенскі РУУС г. Мінска', nameRu: 'Фрунзенский РУВД г. Минска', nameEn: 'Frunzienski district police department, Minsk', kind: 'district-police-department', parent: ref('unit:guvd-minsk') });
unit('brest-police', { nameBe: 'УУС Брэсцкага аблвыканкама', nameRu: 'УВД Брестского облисполкома', nameEn: 'Brest regional police directorate', parent: ref('unit:mvd') });
unit('omon-brest', { nameBe: 'АМАП УУС Брэсцкага аблвыканкама', nameRu: 'ОМОН УВД Брестского облисполкома', nameEn: 'OMON, Brest', kind: 'riot-police', parent: ref('unit:brest-police') });
unit('brest-cip-staff', { nameBe: 'ЦІП УУС Брэсцкага аблвыканкама', nameRu: 'ЦИП УВД Брестского облисполкома', nameEn: 'Staff of the Brest offender isolation centre', kind: 'detention-facility-staff', parent: ref('unit:brest-police') });
unit('court-partyzanski', { nameBe: 'Суд Партызанскага раёна г. Мінска', nameRu: 'Суд Партизанского района г. Минска', nameEn: 'Partyzanski District Court of Minsk', kind: 'court' });
unit('court-maskouski', { nameBe: 'Суд Маскоўскага раёна г. Мінска', nameRu: 'Суд Московского района г. Минска', nameEn: 'Maskouski District Court of Minsk', kind: 'court' });
unit('court-brest-leninski', { nameBe: 'Суд Ленінскага раёна г. Брэста', nameRu: 'Суд Ленинского района г. Бреста', nameEn: 'Leninski District Court of Brest', kind: 'court' });

// ---------------------------------------------------------------------------------------------
// Facilities: where people were held.

facility('okrestina-cip', { nameBe: 'Цэнтр ізаляцыі правапарушальнікаў на Акрэсціна', nameRu: 'Центр изоляции правонарушителей на Окрестина', nameEn: 'Okrestina offender isolation centre', place: ref('place:akrestsina-36'), kind: 'offender-isolation-centre', operator: ref('unit:okrestina-cip-staff'), capacity: 220 });
facility('okrestina-ivs', { nameBe: 'Ізалятар часовага ўтрымання на Акрэсціна', nameRu: 'Изолятор временного содержания на Окрестина', nameEn: 'Okrestina temporary detention centre', place: ref('place:akrestsina-36'), kind: 'temporary-detention-centre', operator: ref('unit:okrestina-ivs-staff'), capacity: 120 });
facility('zhodzina-prison', { nameBe: 'Турма № 8 (СІЗА), Жодзіна', nameRu: 'Тюрьма № 8 (СИЗО), Жодино', nameEn: 'Zhodino remand prison No. 8', place: ref('place:zhodzina-prison'), kind: 'remand-prison', operator: ref('unit:zhodzina-staff'), capacity: 800 });
facility('colony-22', { nameBe: 'Папраўчая калонія № 22 «Ваўчыя норы»', nameRu: 'Исправительная колония № 22 «Волчьи норы»', nameEn: 'Penal colony No. 22 ("Volchyi Nory"), Ivatsevichy district', place: ref('place:damanava'), kind: 'penal-colony', operator: ref('unit:colony-22-staff'), capacity: 1500 });
facility('kgb-sizo', { nameBe: 'Следчы ізалятар КДБ («Амерыканка»)', nameRu: 'Следственный изолятор КГБ («Американка»)', nameEn: 'KGB remand prison ("Amerikanka"), Minsk', place: ref('place:kgb-building'), kind: 'kgb-remand-prison', operator: ref('unit:kgb-sizo-staff'), capacity: 60 });
facility('frunzenski-ruvd', { nameBe: 'Фрунзенскі РУУС', nameRu: 'Фрунзенский РУВД', nameEn: 'Frunzienski district police department', place: ref('place:minsk'), kind: 'police-department', operator: ref('unit:frunzenski-ruvd') });
facility('brest-rovd', { nameBe: 'Ленінскі РАУС г. Брэста', nameRu: 'Ленинский РОВД г. Бреста', nameEn: 'Leninski district police department, Brest', place: ref('place:brest'), kind: 'police-department', operator: ref('unit:brest-police') });
facility('brest-cip', { nameBe: 'ЦІП у Брэсце', nameRu: 'ЦИП в Бресте', nameEn: 'Brest offender isolation centre', place: ref('place:brest'), kind: 'offender-isolation-centre', operator: ref('unit:brest-cip-staff'), capacity: 90 });

// ---------------------------------------------------------------------------------------------
// People. All invented. Victims and witnesses under pseudonyms only.

person('hanna', {
  pseudonym: 'Hanna (V-01)',
  sex: 'female',
  roles: ['victim', 'witness'],
  notes: 'Student, 22. Detained near Pushkinskaya on 10 August 2020, held at Okrestina and in Zhodino.',
});
person('ihar', {
  pseudonym: 'Ihar (V-02)',
  sex: 'male',
  roles: ['victim', 'witness', 'source'],
  notes: 'Інжынер, 34 гады. Затрыманы на Нямізе ў ноч на 10 жніўня 2020 г.; два адміністрацыйныя арышты запар.',
});
person('maksim', {
  pseudonym: 'Maksim (V-03)',
  sex: 'male',
  roles: ['victim'],
  notes: 'Рабочий, 41 год. Осуждён по ст. 342 УК, отбывает наказание в ИК-22.',
});
person('dzianis', {
  pseudonym: 'Dzianis (V-04)',
  sex: 'male',
  roles: ['victim'],
  notes: 'Detained in central Brest on 10 August 2020.',
});
person('volha', {
  pseudonym: 'Volha (V-05)',
  sex: 'female',
  roles: ['victim'],
  notes: 'Выкладчыца з Гродна. Пагрозы падчас «прафілактычнай гутаркі» ў верасні 2020 г.',
});
person('cell-okrestina', {
  pseudonym: 'Women detained in one Okrestina cell, 11–13 August 2020',
  sex: 'female',
  isGroup: true,
  groupSize: 36,
  roles: ['victim'],
  notes: 'Cell built for 4; 36 women held there at once (Hanna among them).',
});
person('journalist', {
  pseudonym: 'Foreign journalist (W-01)',
  sex: 'female',
  roles: ['witness', 'source'],
  notes: 'Accredited foreign reporter who filmed the dispersal at Pushkinskaya.',
});
person('neighbour', {
  pseudonym: 'Resident near Pushkinskaya (W-02)',
  sex: 'female',
  roles: ['witness'],
  notes: 'Наблюдала разгон из окна квартиры.',
});
person('insider', {
  pseudonym: 'Insider (S-01)',
  sex: 'unknown',
  roles: ['source'],
  notes: 'Former serviceman who handed over a staff list and an audio recording anonymously.',
});

// Invented officials. They carry names, because documenters must recognise them under every spelling.
person('zhavarankou', {
  pseudonym: 'Official O-01 (OMON deputy commander)',
  sex: 'male',
  roles: ['official', 'alleged-perpetrator'],
  notes: 'Invented official. Deputy commander of OMON Minsk in August 2020; heard giving orders on a leaked radio recording.',
});
names('zhavarankou', [
  ['Жаворонков Виктор Иванович', 'Cyrl', 'ru', 'original', true, 'Leaked staff list (S-01)'],
  ['Жаваранкоў Віктар Іванавіч', 'Cyrl', 'be', 'original', true, 'Belarusian-language media'],
  ['Žavarankoŭ Viktar Ivanavič', 'Latn', 'be', 'be-2007-un', true],
  ['Zhavarankou Viktar Ivanavich', 'Latn', 'be', 'icao-9303', false],
  ['Zhavarankow Viktar Ivanavich', 'Latn', 'be', 'bgn-pcgn', false],
  ['Zhavoronkov Viktor Ivanovich', 'Latn', 'ru', 'bgn-pcgn', false],
  ['Žavoronkov Viktor Ivanovič', 'Latn', 'ru', 'iso-9', false],
  ['Zhavarankau', 'Latn', 'other', 'observed', false, 'Caption of a video on a Telegram channel'],
]);

// Recorded under one spelling only (a Belarusian-language source): search must still find him by
// Щербаков, Shcherbakov, Ščarbakoŭ, Shcharbakou … (the match key, through the blind name index).
person('shcharbakou', {
  pseudonym: 'Official O-05 (shift supervisor)',
  sex: 'male',
  roles: ['official', 'alleged-perpetrator'],
  notes: 'Invented official. Named by two former detainees as the shift supervisor in the isolation centre.',
});
names('shcharbakou', [['Шчарбакоў', 'Cyrl', 'be', 'observed', true, 'Testimony of a former detainee']]);

person('okrestina-head', {
  pseudonym: 'Official O-02 (head of the Okrestina isolation centre)',
  sex: 'male',
  roles: ['official', 'alleged-perpetrator'],
  notes: 'Invented official.',
});
names('okrestina-head', [
  ['Бондарук Олег Станиславович', 'Cyrl', 'ru', 'original', true],
  ['Бандарук Алег Станіслававіч', 'Cyrl', 'be', 'original', true],
  ['Bandaruk Aleh', 'Latn', 'be', 'be-2007-un', true],
]);

person('grom', {
  pseudonym: 'Officer "Grom" (O-03)',
  sex: 'male',
  roles: ['alleged-perpetrator'],
  notes: 'Invented. Masked officer with an "Almaz" patch, called "Гром" by colleagues; name not known.',
});
names('grom', [['«Гром»', 'Cyrl', 'ru', 'observed', true, 'Testimony of Ihar (V-02)']]);

person('hrodna-officer', {
  pseudonym: 'Officer O-04 (Hrodna organised crime department)',
  sex: 'male',
  roles: ['official', 'alleged-perpetrator'],
  notes: 'Invented official.',
});
names('hrodna-officer', [
  ['Мельничук Денис Андреевич', 'Cyrl', 'ru', 'original', true, 'Summons shown to Volha (V-05)'],
  ['Melnichuk Denis', 'Latn', 'ru', 'icao-9303', true],
]);

person('judge-partyzanski', {
  pseudonym: 'Judge J-01 (Partyzanski district court)',
  sex: 'female',
  roles: ['official'],
  notes: 'Invented judge.',
});
names('judge-partyzanski', [
  ['Гладкевич Инна Павловна', 'Cyrl', 'ru', 'original', true, 'Court ruling'],
  ['Гладкевіч Іна Паўлаўна', 'Cyrl', 'be', 'original', true],
  ['Hladkievič Ina Paŭlaŭna', 'Latn', 'be', 'be-2007-un', true],
]);

person('judge-maskouski', {
  pseudonym: 'Judge J-02 (Maskouski district court)',
  sex: 'male',
  roles: ['official'],
  notes: 'Invented judge.',
});
names('judge-maskouski', [['Ткачёв Артём Юрьевич', 'Cyrl', 'ru', 'original', true, 'Court ruling']]);

person('judge-brest', {
  pseudonym: 'Judge J-03 (Leninski district court, Brest)',
  sex: 'female',
  roles: ['official'],
  notes: 'Invented judge.',
});

// Posts held by the invented officials, with dates of several precisions.
position('zhavarankou-omon', {
  person: ref('person:zhavarankou'),
  unit: ref('unit:omon-minsk'),
  title: 'Deputy commander',
  rank: 'Lieutenant colonel of militia',
  from: month('2018-05'),
  to: month('2020-11'),
  source: 'Leaked staff list (S-01); OMON anniversary video, 2019',
});
position('zhavarankou-guvd', {
  person: ref('person:zhavarankou'),
  unit: ref('unit:guvd-minsk'),
  title: 'Намеснік начальніка ўпраўлення аховы правапарадку',
  rank: 'Палкоўнік міліцыі',
  from: estimate('2020-12'),
  source: 'Паведамленне дзяржаўнага СМІ аб узнагароджанні',
});
position('okrestina-head', {
  person: ref('person:okrestina-head'),
  unit: ref('unit:okrestina-cip-staff'),
  title: 'Начальник ЦИП',
  rank: 'Подполковник милиции',
  from: day('2019-03-01'),
  to: month('2021-02'),
  source: 'Приказ о назначении (копия из утечки S-01)',
});
position('grom-almaz', {
  person: ref('person:grom'),
  unit: ref('unit:almaz'),
  title: 'Operative (masked)',
  from: estimate('2020-08-09'),
  to: estimate('2020-08-14'),
  source: 'Testimony of Ihar (V-02): "Almaz" patch on the sleeve',
});
position('hrodna-officer', {
  person: ref('person:hrodna-officer'),
  unit: ref('unit:ubopik-hrodna'),
  title: 'Старший оперуполномоченный',
  rank: 'Капитан милиции',
  from: year('2019'),
  source: 'Summons shown to Volha (V-05)',
});
position('judge-partyzanski', {
  person: ref('person:judge-partyzanski'),
  unit: ref('unit:court-partyzanski'),
  title: 'Judge',
  from: year('2016'),
  source: 'Court website',
});
position('judge-maskouski', {
  person: ref('person:judge-maskouski'),
  unit: ref('unit:court-maskouski'),
  title: 'Судья',
  from: year('2014'),
  source: 'Сайт суда',
});
position('judge-brest', {
  person: ref('person:judge-brest'),
  unit: ref('unit:court-brest-leninski'),
  title: 'Judge',
  from: estimate('2017'),
});

// ---------------------------------------------------------------------------------------------
// Events, 9–12 August 2020 and after.

event('pushkinskaya', {
  title: DEMO_MARKER_TITLE,
  description:
    'On the evening of 10 August 2020 several thousand people gathered peacefully near Pushkinskaya metro station. From about 22:30 OMON and Internal Troops used stun grenades and rubber bullets, and officers in black without insignia dragged people into unmarked minibuses and police vans. Dozens were detained and beaten; many were taken to Okrestina.',
  start: exact('2020-08-10T21:30:00+03:00'),
  end: exact('2020-08-11T02:00:00+03:00'),
  place: ref('place:pushkinskaya'),
  status: 'corroborated',
  types: ['dispersal-of-peaceful-assembly', 'mass-detention', 'post-election-protest'],
});
event('niamiha', {
  title: 'Разгон мірнага пратэсту на Нямізе ў ноч выбараў',
  description:
    'Увечары 9 жніўня 2020 г., пасля закрыцця ўчасткаў, людзі мірна ішлі па Нямізе да стэлы. Каля поўначы байцы ў чорнай форме з нашыўкамі «Алмаз» і АМАП акружылі натоўп; дзясяткі затрыманых, збіцці пры затрыманні.',
  start: exact('2020-08-09T22:00:00+03:00'),
  end: day('2020-08-10'),
  place: ref('place:niamiha'),
  status: 'verified',
  types: ['dispersal-of-peaceful-assembly', 'mass-detention', 'post-election-protest'],
});
event('okrestina', {
  title: 'Избиения и пытки задержанных в ЦИП и ИВС на Окрестина',
  description:
    'С 10 по 14 августа 2020 года задержанных на протестах доставляли в ЦИП и ИВС на улице Окрестина. Их прогоняли через «коридор» из сотрудников, избивали во дворе, часами держали на коленях лицом к стене; в камерах на 4–8 мест содержалось по 30–50 человек без воды, еды и медицинской помощи. В изоляторе временного содержания людей не выпускали на прогулку и не давали связаться с адвокатом.',
  start: day('2020-08-10'),
  end: day('2020-08-14'),
  place: ref('place:akrestsina-36'),
  status: 'verified',
  types: ['abuse-in-detention-facility', 'mass-detention'],
});
event('brest', {
  title: 'Dispersal of a peaceful protest in central Brest',
  description: 'Peaceful march on Savetskaya Street dispersed by OMON Brest; detainees beaten in police vans and held at the Brest isolation centre.',
  start: estimate('2020-08-10'),
  end: day('2020-08-11'),
  place: ref('place:brest-centre'),
  status: 'alleged',
  types: ['dispersal-of-peaceful-assembly', 'post-election-protest'],
});
event('hrodna', {
  title: 'Пагрозы жанчыне падчас «прафілактычнай гутаркі» ў Гродна',
  description: 'Супрацоўнік УБАЗіК выклікаў удзельніцу маршаў на «гутарку» і пагражаў ёй гвалтам і адабраннем дзіцяці.',
  start: month('2020-09'),
  place: ref('place:hrodna-police'),
  status: 'alleged',
});
event('minsk-2021', {
  title: 'Detention over a photograph in white-red-white colours, Minsk',
  description: 'A former detainee was detained again over a photograph in protest colours published on social media and charged under the new Administrative Code.',
  start: day('2021-04-14'),
  place: ref('place:minsk'),
  status: 'corroborated',
  types: ['administrative-prosecution'],
});

// ---------------------------------------------------------------------------------------------
// Acts: one thing done to one victim.

act('hanna-arrest', {
  event: ref('event:pushkinskaya'),
  victim: ref('person:hanna'),
  type: 'arrest',
  start: exact('2020-08-10T22:40:00+03:00'),
  place: ref('place:pushkinskaya'),
  statedReason: 'Participation in an unauthorised mass event',
  consequences: 'Held for 15 days; injuries to the legs and back.',
  victimStatus: 'detained',
});
act('hanna-beating', {
  event: ref('event:pushkinskaya'),
  victim: ref('person:hanna'),
  type: 'beating',
  methods: ['batons', 'kicking', 'face-down-on-ground', 'verbal-abuse'],
  start: exact('2020-08-10T22:45:00+03:00'),
  end: estimate('2020-08-10T23:30:00+03:00'),
  place: ref('place:pushkinskaya'),
  consequences: 'Tramline bruises on the back of both thighs.',
  victimStatus: 'injured',
});
act('hanna-torture', {
  event: ref('event:okrestina'),
  victim: ref('person:hanna'),
  type: 'torture',
  methods: ['stress-positions', 'forced-standing', 'deprivation-of-water', 'humiliation'],
  start: day('2020-08-11'),
  end: day('2020-08-13'),
  place: ref('place:akrestsina-36'),
  consequences: 'Стаяла некалькі гадзін тварам да сцяны з рукамі за галавой; амаль суткі без вады.',
  victimStatus: 'detained',
});
act('hanna-threat', {
  event: ref('event:okrestina'),
  victim: ref('person:hanna'),
  type: 'threat-of-sexual-violence',
  methods: ['rape-threats', 'verbal-abuse'],
  start: day('2020-08-11'),
  place: ref('place:akrestsina-36'),
  consequences: 'Sleep disorder and anxiety for months afterwards.',
});
act('cell-ill-treatment', {
  event: ref('event:okrestina'),
  victim: ref('person:cell-okrestina'),
  type: 'ill-treatment',
  methods: ['overcrowding', 'deprivation-of-water', 'deprivation-of-food', 'deprivation-of-toilet', 'deprivation-of-medical-care'],
  start: day('2020-08-11'),
  end: day('2020-08-13'),
  place: ref('place:akrestsina-36'),
  consequences: 'Several women fainted; no medical help was called.',
});
act('ihar-arrest', {
  event: ref('event:niamiha'),
  victim: ref('person:ihar'),
  type: 'arrest',
  methods: ['tight-restraints'],
  start: exact('2020-08-09T23:50:00+03:00'),
  place: ref('place:niamiha'),
  statedReason: 'Участие в несанкционированном массовом мероприятии',
  victimStatus: 'detained',
});
act('ihar-torture', {
  event: ref('event:okrestina'),
  victim: ref('person:ihar'),
  type: 'torture',
  methods: ['batons', 'kicking', 'stun-gun', 'swallow-position', 'face-down-on-ground', 'humiliation'],
  start: exact('2020-08-10T02:30:00+03:00'),
  end: day('2020-08-12'),
  place: ref('place:akrestsina-36'),
  statedReason: '«Кто вам платит?»',
  consequences: 'Fractured rib, electrical burn marks on the back, numb hands for weeks.',
  victimStatus: 'injured',
});
act('ihar-redetention', {
  event: ref('event:okrestina'),
  victim: ref('person:ihar'),
  type: 'arrest',
  start: day('2020-08-22'),
  place: ref('place:akrestsina-36'),
  statedReason: 'New report for the same protest, drawn up at the gate on release',
  victimStatus: 'detained',
});
act('maksim-arrest', {
  event: ref('event:pushkinskaya'),
  victim: ref('person:maksim'),
  type: 'arrest',
  start: exact('2020-08-10T23:05:00+03:00'),
  place: ref('place:pushkinskaya'),
  victimStatus: 'detained',
});
act('maksim-beating', {
  event: ref('event:pushkinskaya'),
  victim: ref('person:maksim'),
  type: 'beating',
  methods: ['batons', 'kicking', 'rubber-bullets', 'stun-grenades'],
  start: exact('2020-08-10T23:05:00+03:00'),
  end: estimate('2020-08-11'),
  place: ref('place:pushkinskaya'),
  consequences: 'Закрытая черепно-мозговая травма, гематомы на спине.',
  victimStatus: 'injured',
});
act('maksim-imprisonment', {
  event: ref('event:pushkinskaya'),
  victim: ref('person:maksim'),
  type: 'detention',
  start: day('2020-08-12'),
  statedReason: 'Criminal Code art. 342: active participation in actions grossly violating public order',
  consequences: 'Sentenced to two years in a general-regime colony.',
  victimStatus: 'serving-sentence',
});
act('dzianis-arrest', {
  event: ref('event:brest'),
  victim: ref('person:dzianis'),
  type: 'arrest',
  start: estimate('2020-08-10T22:00:00+03:00'),
  place: ref('place:brest-centre'),
  victimStatus: 'detained',
});
act('dzianis-beating', {
  event: ref('event:brest'),
  victim: ref('person:dzianis'),
  type: 'beating',
  methods: ['batons', 'tight-restraints'],
  start: estimate('2020-08-10T22:00:00+03:00'),
  place: ref('place:brest-centre'),
  victimStatus: 'injured',
});
act('volha-threat', {
  event: ref('event:hrodna'),
  victim: ref('person:volha'),
  type: 'threat',
  methods: ['rape-threats', 'threats-to-take-children', 'threats-against-family'],
  start: month('2020-09'),
  place: ref('place:hrodna-police'),
  statedReason: '«Прафілактычная гутарка»',
  consequences: 'Left Belarus with her child in October 2020.',
  victimStatus: 'in-exile',
});
act('ihar-arrest-2021', {
  event: ref('event:minsk-2021'),
  victim: ref('person:ihar'),
  type: 'arrest',
  start: exact('2021-04-14T07:10:00+03:00'),
  place: ref('place:minsk'),
  statedReason: 'A photograph in white-red-white colours on social media',
  victimStatus: 'detained',
});

// ---------------------------------------------------------------------------------------------
// Detentions, each with its custody stays.

detention('hanna', {
  act: ref('act:hanna-arrest'),
  detainingUnits: [ref('unit:omon-minsk'), ref('unit:internal-troops')],
  detainedAt: exact('2020-08-10T22:40:00+03:00'),
  place: ref('place:pushkinskaya'),
  releasedAt: day('2020-08-25'),
  releaseReason: 'end-of-term',
  legalCounsel: 'denied',
});
stay('hanna-okrestina', {
  detention: ref('detention:hanna'),
  facility: ref('facility:okrestina-cip'),
  from: exact('2020-08-11T01:20:00+03:00'),
  to: day('2020-08-13'),
  cell: '7',
  occupants: 36,
  cellCapacity: 4,
  conditions: ['overcrowding', 'no-beds', 'no-water', 'no-food', 'no-toilet', 'lights-at-night', 'no-medical-care'],
  notes: 'Trial held inside the centre on 11 August.',
});
stay('hanna-zhodzina', {
  detention: ref('detention:hanna'),
  facility: ref('facility:zhodzina-prison'),
  from: day('2020-08-13'),
  to: day('2020-08-25'),
  cell: '112',
  occupants: 18,
  cellCapacity: 8,
  conditions: ['overcrowding', 'cold', 'no-bedding'],
});

detention('ihar', {
  act: ref('act:ihar-arrest'),
  detainingUnits: [ref('unit:almaz'), ref('unit:omon-minsk')],
  detainedAt: exact('2020-08-09T23:50:00+03:00'),
  place: ref('place:niamiha'),
  releasedAt: day('2020-09-06'),
  releaseReason: 'end-of-term',
  legalCounsel: 'denied',
});
stay('ihar-cip', {
  detention: ref('detention:ihar'),
  facility: ref('facility:okrestina-cip'),
  from: exact('2020-08-10T01:40:00+03:00'),
  to: day('2020-08-14'),
  cell: '15',
  occupants: 52,
  cellCapacity: 8,
  conditions: ['overcrowding', 'no-beds', 'no-water', 'no-food', 'no-ventilation', 'heat', 'no-medical-care'],
  notes: 'Переполненная камера, духота; туалет — ведро.',
});
stay('ihar-ivs', {
  detention: ref('detention:ihar'),
  facility: ref('facility:okrestina-ivs'),
  from: day('2020-08-14'),
  to: day('2020-09-06'),
  cell: '3',
  occupants: 12,
  cellCapacity: 4,
  conditions: ['overcrowding', 'lights-at-night', 'no-walks', 'no-lawyer', 'no-parcels'],
  notes: 'Second, consecutive term served here (see the repeated proceeding).',
});

detention('maksim', {
  act: ref('act:maksim-arrest'),
  detainingUnits: [ref('unit:omon-minsk'), ref('unit:internal-troops')],
  detainedAt: exact('2020-08-10T23:05:00+03:00'),
  place: ref('place:pushkinskaya'),
  legalCounsel: 'delayed',
});
stay('maksim-ivs', {
  detention: ref('detention:maksim'),
  facility: ref('facility:okrestina-ivs'),
  from: day('2020-08-11'),
  to: day('2020-08-14'),
  occupants: 27,
  cellCapacity: 6,
  conditions: ['overcrowding', 'no-beds', 'no-medical-care'],
});
stay('maksim-zhodzina', {
  detention: ref('detention:maksim'),
  facility: ref('facility:zhodzina-prison'),
  from: day('2020-08-14'),
  to: month('2021-03'),
  cell: '45',
  occupants: 10,
  cellCapacity: 6,
  conditions: ['overcrowding', 'cold', 'no-family-contact', 'no-correspondence'],
});
stay('maksim-colony', {
  detention: ref('detention:maksim'),
  facility: ref('facility:colony-22'),
  from: month('2021-03'),
  conditions: ['no-correspondence', 'no-parcels', 'punishment-cell'],
  notes: 'Marked with a yellow tag as "prone to extremism".',
});

detention('dzianis', {
  act: ref('act:dzianis-arrest'),
  detainingUnits: [ref('unit:omon-brest')],
  detainedAt: estimate('2020-08-10T22:00:00+03:00'),
  place: ref('place:brest-centre'),
  releasedAt: day('2020-08-12'),
  releaseReason: 'fine-paid',
  legalCounsel: 'not-requested',
});
stay('dzianis-rovd', {
  detention: ref('detention:dzianis'),
  facility: ref('facility:brest-rovd'),
  from: estimate('2020-08-10T23:00:00+03:00'),
  to: day('2020-08-11'),
  cell: 'Assembly hall',
  occupants: 40,
  conditions: ['sleep-prevention', 'no-water', 'no-toilet'],
  notes: 'Detainees kept kneeling along the walls of the assembly hall through the night.',
});
stay('dzianis-cip', {
  detention: ref('detention:dzianis'),
  facility: ref('facility:brest-cip'),
  from: day('2020-08-11'),
  to: day('2020-08-12'),
  cell: '4',
  occupants: 20,
  cellCapacity: 6,
  conditions: ['overcrowding', 'no-beds', 'no-food'],
  notes: 'Released from the courtroom after the fine on 12 August.',
});

detention('ihar-2021', {
  act: ref('act:ihar-arrest-2021'),
  detainingUnits: [ref('unit:gubopik')],
  detainedAt: exact('2021-04-14T07:10:00+03:00'),
  place: ref('place:minsk'),
  releasedAt: day('2021-04-16'),
  releaseReason: 'fine-paid',
  legalCounsel: 'provided',
});
stay('ihar-2021-ruvd', {
  detention: ref('detention:ihar-2021'),
  facility: ref('facility:frunzenski-ruvd'),
  from: exact('2021-04-14T08:00:00+03:00'),
  to: exact('2021-04-14T19:30:00+03:00'),
  conditions: ['no-food'],
});
stay('ihar-2021-ivs', {
  detention: ref('detention:ihar-2021'),
  facility: ref('facility:okrestina-ivs'),
  from: day('2021-04-14'),
  to: day('2021-04-16'),
  cell: '8',
  occupants: 9,
  cellCapacity: 4,
  conditions: ['overcrowding', 'lights-at-night', 'no-bedding', 'bleach-on-floor'],
});

// ---------------------------------------------------------------------------------------------
// Proceedings, charges and sentences.

proceeding('hanna', {
  defendant: ref('person:hanna'),
  kind: 'administrative',
  caseNumber: '5-2741/2020',
  court: ref('unit:court-partyzanski'),
  judge: ref('person:judge-partyzanski'),
  hearingPlace: ref('place:akrestsina-36'),
  date: day('2020-08-11'),
  inAbsentia: false,
  outcome: 'convicted',
  detention: ref('detention:hanna'),
});
charge('hanna-23-34', {
  proceeding: ref('proceeding:hanna'),
  code: 'koap-2003',
  article: '23.34',
  part: '1',
  description: 'Participation in an unauthorised mass event (Pushkinskaya, 10 August 2020)',
});
sentence('hanna', { proceeding: ref('proceeding:hanna'), kind: 'administrative-arrest', days: 15 });

proceeding('ihar-1', {
  defendant: ref('person:ihar'),
  kind: 'administrative',
  caseNumber: '5-2233/2020',
  court: ref('unit:court-partyzanski'),
  judge: ref('person:judge-partyzanski'),
  hearingPlace: ref('place:akrestsina-36'),
  date: day('2020-08-10'),
  outcome: 'convicted',
  detention: ref('detention:ihar'),
});
charge('ihar-1-23-34', {
  proceeding: ref('proceeding:ihar-1'),
  code: 'koap-2003',
  article: '23.34',
  part: '1',
  description: 'Участие в несанкционированном массовом мероприятии на Немиге 9 августа 2020 г.',
});
sentence('ihar-1', { proceeding: ref('proceeding:ihar-1'), kind: 'administrative-arrest', days: 13 });

proceeding('ihar-2', {
  defendant: ref('person:ihar'),
  kind: 'administrative',
  caseNumber: '5-2980/2020',
  court: ref('unit:court-partyzanski'),
  judge: ref('person:judge-partyzanski'),
  hearingPlace: ref('place:akrestsina-36'),
  date: day('2020-08-22'),
  outcome: 'convicted',
  follows: ref('proceeding:ihar-1'),
  detention: ref('detention:ihar'),
});
charge('ihar-2-23-34', {
  proceeding: ref('proceeding:ihar-2'),
  code: 'koap-2003',
  article: '23.34',
  part: '3',
  description: 'Repeated participation within a year (a second report for the same protest, drawn up on release)',
});
sentence('ihar-2', { proceeding: ref('proceeding:ihar-2'), kind: 'administrative-arrest', days: 15 });

proceeding('ihar-2021', {
  defendant: ref('person:ihar'),
  kind: 'administrative',
  caseNumber: '5-1108/2021',
  court: ref('unit:court-partyzanski'),
  judge: ref('person:judge-partyzanski'),
  date: day('2021-04-16'),
  outcome: 'fined',
  detention: ref('detention:ihar-2021'),
});
charge('ihar-2021-24-23', {
  proceeding: ref('proceeding:ihar-2021'),
  code: 'koap-2021',
  article: '24.23',
  part: '1',
  description: 'Нарушение порядка организации или проведения массовых мероприятий (фотография в бело-красно-белой символике)',
});
sentence('ihar-2021', {
  proceeding: ref('proceeding:ihar-2021'),
  kind: 'fine',
  fineBaseUnits: 30,
  fineAmount: 870,
  fineCurrency: 'BYN',
  baseUnitDate: '2021-04-14',
});

proceeding('maksim', {
  defendant: ref('person:maksim'),
  kind: 'criminal',
  caseNumber: '1-318/2021',
  court: ref('unit:court-maskouski'),
  judge: ref('person:judge-maskouski'),
  hearingPlace: ref('place:minsk'),
  date: day('2021-02-19'),
  inAbsentia: false,
  outcome: 'convicted',
  detention: ref('detention:maksim'),
});
charge('maksim-342', {
  proceeding: ref('proceeding:maksim'),
  code: 'uk-1999',
  article: '342',
  part: '1',
  description: 'Активное участие в групповых действиях, грубо нарушающих общественный порядок',
});
sentence('maksim', { proceeding: ref('proceeding:maksim'), kind: 'imprisonment-colony', days: 730, regime: 'general' });

proceeding('dzianis', {
  defendant: ref('person:dzianis'),
  kind: 'administrative',
  caseNumber: '5-904/2020',
  court: ref('unit:court-brest-leninski'),
  judge: ref('person:judge-brest'),
  date: day('2020-08-12'),
  outcome: 'fined',
  detention: ref('detention:dzianis'),
});
charge('dzianis-23-34', {
  proceeding: ref('proceeding:dzianis'),
  code: 'koap-2003',
  article: '23.34',
  part: '1',
  description: 'Удзел у несанкцыянаваным масавым мерапрыемстве',
});
sentence('dzianis', {
  proceeding: ref('proceeding:dzianis'),
  kind: 'fine',
  fineBaseUnits: 25,
  fineAmount: 675,
  fineCurrency: 'BYN',
  baseUnitDate: '2020-08-10',
});

// ---------------------------------------------------------------------------------------------
// Involvements: who is alleged to have done what.

involvement('hanna-arrest-omon', { act: ref('act:hanna-arrest'), unit: ref('unit:omon-minsk'), degree: 'carried-out', basis: 'uniform-insignia', basisNote: 'OMON uniforms and vans; no individual numbers', confidence: 'high' });
involvement('hanna-arrest-zhavarankou', { act: ref('act:hanna-arrest'), person: ref('person:zhavarankou'), degree: 'ordered', basis: 'leaked-recording', basisNote: 'Leaked radio recording (S-01): orders to "take everyone at Pushkinskaya"', confidence: 'medium' });
involvement('hanna-beating-omon', { act: ref('act:hanna-beating'), unit: ref('unit:omon-minsk'), degree: 'carried-out', basis: 'uniform-insignia', confidence: 'high' });
involvement('hanna-torture-staff', { act: ref('act:hanna-torture'), unit: ref('unit:okrestina-cip-staff'), degree: 'carried-out', basis: 'seen-by-victim', confidence: 'high' });
involvement('hanna-torture-head', { act: ref('act:hanna-torture'), person: ref('person:okrestina-head'), degree: 'failed-to-prevent', basis: 'leaked-document', basisNote: 'Head of the centre at the time (leaked order of appointment)', confidence: 'medium' });
involvement('hanna-threat-staff', { act: ref('act:hanna-threat'), unit: ref('unit:okrestina-cip-staff'), degree: 'carried-out', basis: 'seen-by-victim', confidence: 'medium' });
involvement('cell-head', { act: ref('act:cell-ill-treatment'), person: ref('person:okrestina-head'), degree: 'failed-to-prevent', basis: 'open-source-research', basisNote: 'Named as head of the centre in state media, August 2020', confidence: 'high' });
involvement('cell-staff', { act: ref('act:cell-ill-treatment'), unit: ref('unit:okrestina-cip-staff'), degree: 'carried-out', basis: 'seen-by-victim', confidence: 'high' });
involvement('ihar-arrest-almaz', { act: ref('act:ihar-arrest'), unit: ref('unit:almaz'), degree: 'carried-out', basis: 'uniform-insignia', basisNote: '"Almaz" patches seen on sleeves', confidence: 'medium' });
involvement('ihar-torture-grom', { act: ref('act:ihar-torture'), person: ref('person:grom'), degree: 'carried-out', basis: 'seen-by-victim', basisNote: 'Call sign heard; described as tall, masked, with a taser', confidence: 'medium' });
involvement('ihar-torture-staff', { act: ref('act:ihar-torture'), unit: ref('unit:okrestina-cip-staff'), degree: 'present', basis: 'seen-by-victim', confidence: 'high' });
involvement('maksim-beating-omon', { act: ref('act:maksim-beating'), unit: ref('unit:omon-minsk'), degree: 'carried-out', basis: 'video-footage', basisNote: 'Video of the detention (journalist W-01)', confidence: 'high' });
involvement('maksim-beating-troops', { act: ref('act:maksim-beating'), unit: ref('unit:internal-troops'), degree: 'present', basis: 'video-footage', confidence: 'medium' });
involvement('maksim-beating-alpha', { act: ref('act:maksim-beating'), unit: ref('unit:kgb-alpha'), degree: 'present', basis: 'seen-by-witness', basisNote: 'One witness saw men in "Alpha" gear near the metro exit', confidence: 'low' });
involvement('dzianis-omon', { act: ref('act:dzianis-beating'), unit: ref('unit:omon-brest'), degree: 'carried-out', basis: 'seen-by-victim', confidence: 'medium' });
involvement('volha-officer', { act: ref('act:volha-threat'), person: ref('person:hrodna-officer'), degree: 'carried-out', basis: 'seen-by-victim', basisNote: 'Introduced himself; his name was on the summons he handed her', confidence: 'high' });
involvement('ihar-2021-gubopik', { act: ref('act:ihar-arrest-2021'), unit: ref('unit:gubopik'), degree: 'carried-out', basis: 'court-record', basisNote: 'Detention report signed by GUBOPiK officers, in the court file', confidence: 'high' });

// ---------------------------------------------------------------------------------------------
// Information, graded on the 6×6 "Admiralty" scale.

information('hanna-arrest', {
  sourcePerson: ref('person:hanna'),
  sourceKind: 'victim',
  act: ref('act:hanna-arrest'),
  connection: 'victim',
  date: day('2020-09-02'),
  reliability: 'B',
  credibility: '2',
  summary: 'Hanna describes her detention near Pushkinskaya, the beating in the van and the conditions at Okrestina.',
});
information('neighbour', {
  sourcePerson: ref('person:neighbour'),
  sourceKind: 'eyewitness',
  event: ref('event:pushkinskaya'),
  connection: 'eyewitness',
  date: day('2020-08-20'),
  reliability: 'C',
  credibility: '2',
  summary: 'Из окна видела, как людей в чёрном без опознавательных знаков затаскивали в микроавтобусы без номеров.',
});
information('journalist', {
  sourcePerson: ref('person:journalist'),
  sourceKind: 'media',
  event: ref('event:pushkinskaya'),
  act: ref('act:maksim-beating'),
  connection: 'eyewitness',
  date: exact('2020-08-11T10:15:00+03:00'),
  reliability: 'A',
  credibility: '1',
  summary: 'Filmed the dispersal; the video shows Maksim (V-03) being beaten by OMON officers after he had fallen.',
});
information('insider-leak', {
  sourcePerson: ref('person:insider'),
  sourceKind: 'leak-insider',
  person: ref('person:zhavarankou'),
  connection: 'insider',
  date: month('2020-11'),
  reliability: 'F',
  credibility: '3',
  summary: 'Злітая аўдыязапіс радыёперамоваў АМАП 10 жніўня і штатны спіс. Голас, падобны да голасу намесніка камандзіра, загадвае «браць усіх каля Пушкінскай». Надзейнасць крыніцы пакуль ацаніць немагчыма.',
});
information('ihar-cell', {
  sourcePerson: ref('person:ihar'),
  sourceKind: 'victim',
  act: ref('act:ihar-torture'),
  connection: 'victim',
  date: month('2020-10'),
  reliability: 'B',
  credibility: '2',
  summary: 'Ihar on the "corridor", the taser and the "swallow" position at Okrestina.',
});
information('telegram-rumour', {
  sourceName: 'Anonymous Telegram channel post',
  sourceKind: 'social-media-post',
  event: ref('event:okrestina'),
  connection: 'heard-from-others',
  date: day('2020-08-12'),
  reliability: 'E',
  credibility: '5',
  summary: 'Unverified claim that detainees were taken from Okrestina to a camp near Slutsk. Not corroborated by any other source.',
});
information('discharge-summary', {
  sourceName: 'Hospital discharge summary (copy provided by the victim)',
  sourceKind: 'medical-record',
  person: ref('person:ihar'),
  act: ref('act:ihar-torture'),
  connection: 'document',
  date: day('2020-09-08'),
  reliability: 'B',
  credibility: '1',
  summary: 'Выпіска з лякарні: пералом 9-га рабра злева, сляды апёкаў на спіне.',
});
information('dzianis', {
  sourcePerson: ref('person:dzianis'),
  sourceKind: 'victim',
  act: ref('act:dzianis-beating'),
  connection: 'victim',
  date: day('2020-08-30'),
  reliability: 'D',
  credibility: '4',
  summary: 'Short account given by phone; later withdrew consent to publication.',
});
information('volha', {
  sourcePerson: ref('person:volha'),
  sourceKind: 'victim',
  act: ref('act:volha-threat'),
  connection: 'victim',
  date: month('2020-11'),
  reliability: 'C',
  credibility: '6',
  summary: 'Account of the threats; the date of the meeting could not be confirmed and credibility cannot yet be judged.',
});

// ---------------------------------------------------------------------------------------------
// Consents and testimonies.

consent('hanna', {
  person: ref('person:hanna'),
  scopes: ['internal-use', 'judicial-use', 'publish-anonymously'],
  obtainedAt: '2020-09-02T13:40:00+03:00',
  obtainedBy: 'Documenter D-01',
  method: 'written',
  notes: 'Згода на выкарыстанне ў судовых працэсах па ўніверсальнай юрысдыкцыі і на ананімную публікацыю.',
});
consent('hanna-un', {
  person: ref('person:hanna'),
  scopes: ['share-with-un-bodies', 'advocacy-reports'],
  recipient: 'UN Office of the High Commissioner for Human Rights',
  obtainedAt: '2021-02-10T11:00:00+01:00',
  obtainedBy: 'Documenter D-01',
  method: 'electronic',
});
consent('ihar', {
  person: ref('person:ihar'),
  scopes: ['internal-use', 'judicial-use', 'share-with-named-bodies'],
  recipient: 'Prosecutors in states exercising universal jurisdiction',
  obtainedAt: '2020-10-15T18:00:00+02:00',
  obtainedBy: 'Documenter D-02',
  method: 'oral-recorded',
});
consent('journalist', {
  person: ref('person:journalist'),
  scopes: ['internal-use', 'judicial-use', 'publish-with-name'],
  obtainedAt: '2020-08-11T09:30:00+03:00',
  obtainedBy: 'Documenter D-03',
  method: 'written',
});
consent('dzianis', {
  person: ref('person:dzianis'),
  scopes: ['internal-use', 'publish-anonymously'],
  obtainedAt: '2020-08-30T20:10:00+03:00',
  obtainedBy: 'Documenter D-02',
  method: 'oral',
  withdrawnAt: '2020-12-01T09:00:00Z',
  notes: 'Withdrawn after his relatives were summoned by the police. Keep for internal use only under the earlier scope; do not publish.',
});

testimony('hanna', {
  title: 'Сведчанне Ганны пра 10–25 жніўня 2020 г.',
  interviewee: ref('person:hanna'),
  interviewer: 'Documenter D-01',
  date: day('2020-09-02'),
  mode: 'in-person',
  language: 'be',
  consent: ref('consent:hanna'),
  event: ref('event:pushkinskaya'),
  topics: ['circumstances-before', 'arrest', 'transport', 'places-of-detention', 'methods', 'what-was-said', 'detention-routine', 'legal-proceedings'],
  transcript: [
    'Дакументатарка: Раскажыце, калі ласка, што адбылося 10 жніўня.',
    'Ганна: Увечары мы з сяброўкай стаялі каля метро «Пушкінская». Людзі проста стаялі, машыны сігналілі. Каля паловы на адзінаццатую прыехалі мікрааўтобусы без нумароў, з іх выбеглі людзі ў чорным без знакаў адрознення. Мяне схапілі за валасы і пацягнулі да аўтазака. Там нас паклалі тварам у падлогу і білі дубінкамі па нагах і спіне. Адзін сказаў: «Вас тут ніхто не шукае».',
    'Дакументатарка: Куды вас павезлі?',
    'Ганна: На Акрэсціна. У двары нас паставілі тварам да сцяны, рукі за галавой; хто апускаў рукі, таго білі. У камеры на чатыры месцы нас было трыццаць шэсць. Вады амаль суткі не давалі, святло ўначы не выключалі. Суд быў проста ў ізалятары, суддзя на мяне нават не паглядзела: пятнаццаць сутак. Потым нас перавезлі ў Жодзіна.',
  ].join('\n\n'),
});
testimony('ihar', {
  title: 'Показания Игоря об Окрестина',
  interviewee: ref('person:ihar'),
  interviewer: 'Documenter D-02',
  date: month('2020-10'),
  mode: 'remote',
  language: 'ru',
  consent: ref('consent:ihar'),
  event: ref('event:okrestina'),
  topics: ['arrest', 'places-of-detention', 'methods', 'perpetrators-identity', 'what-was-said', 'injuries-symptoms', 'medical-care', 'legal-proceedings', 'release'],
  transcript: [
    '— Что произошло вечером 9 августа?',
    '— Я был на Немиге, люди шли к стеле. Около полуночи нас окружили бойцы в чёрной форме с нашивками «Алмаз». Меня повалили на асфальт и так туго затянули пластиковые стяжки, что я перестал чувствовать руки.',
    '— Что было на Окрестина?',
    '— Нас прогнали через «коридор»: с двух сторон стояли сотрудники и били дубинками и ногами. Во дворе положили лицом в бетон. Один, его называли «Гром», бил меня электрошокером по спине и спрашивал, кто нам платит. Ставили в «ласточку». Потом в камере на восемь человек нас было больше пятидесяти. Врача не вызывали, хотя у меня было сломано ребро.',
    '— Вас судили?',
    '— Суд был прямо в изоляторе, минут пять: тринадцать суток. А в день освобождения, 22 августа, меня вывели за ворота и тут же задержали снова, составили новый протокол — ещё пятнадцать суток.',
  ].join('\n\n'),
});
testimony('journalist', {
  title: 'Written statement of a foreign journalist on Pushkinskaya, 10 August 2020',
  interviewee: ref('person:journalist'),
  interviewer: 'Documenter D-03',
  date: day('2020-08-11'),
  mode: 'written',
  language: 'en',
  consent: ref('consent:journalist'),
  event: ref('event:pushkinskaya'),
  topics: ['circumstances-before', 'arrest', 'perpetrators-identity', 'witnesses', 'dates-and-times'],
  transcript:
    'I was filming from the entrance to Pushkinskaya metro station at about 22:30 on 10 August. Riot police in full gear, without visible identification numbers, advanced along the avenue and began throwing stun grenades into a crowd that was standing still and chanting. I saw at least four people dragged into an unmarked minibus. A man of about forty was hit with batons and kicked after he had already fallen; I filmed this (video handed over to the documenters with its original file). A man in plain clothes seemed to direct the officers by radio. My press vest did not stop them from taking my memory card; the video survived on a second card.',
});
testimony('dzianis', {
  title: 'Dzianis on Brest, 10 August (phone call)',
  interviewee: ref('person:dzianis'),
  interviewer: 'Documenter D-02',
  date: day('2020-08-30'),
  mode: 'remote',
  language: 'ru',
  consent: ref('consent:dzianis'),
  event: ref('event:brest'),
  topics: ['arrest', 'transport', 'methods', 'legal-proceedings', 'subsequent-harassment'],
  transcript: 'В автозаке стяжки затянули так, что кисти посинели. Били дубинкой по ногам, пока ехали. На следующий день суд — штраф 25 базовых. Больше рассказывать не хочу, боюсь за родителей.',
});

// ---------------------------------------------------------------------------------------------
// Medical findings (Istanbul Protocol grading).

finding('hanna-thighs', {
  person: ref('person:hanna'),
  act: ref('act:hanna-beating'),
  examiner: 'Independent physician (Dr. R.)',
  date: day('2020-08-26'),
  bodyRegion: 'thighs',
  kind: 'tramline-bruises',
  size: '14 × 4 cm and 12 × 3 cm',
  allegedCause: 'batons',
  consistency: 'typical',
  description: 'Two parallel linear ("tramline") bruises on the back of both thighs, yellow-green, about 16 days old: typical of blows with a cylindrical baton.',
});
finding('ihar-rib', {
  person: ref('person:ihar'),
  act: ref('act:ihar-torture'),
  examiner: 'Emergency hospital No. 2, trauma department',
  date: day('2020-09-07'),
  bodyRegion: 'chest',
  kind: 'fracture',
  size: '9th rib, left',
  allegedCause: 'kicking',
  consistency: 'highly-consistent',
  description: 'Рентгенаграфія: пералом 9-га рабра злева з пачаткам кансалідацыі, каля чатырох тыдняў.',
});
finding('ihar-burns', {
  person: ref('person:ihar'),
  act: ref('act:ihar-torture'),
  examiner: 'Independent physician (Dr. R.)',
  date: day('2020-09-08'),
  bodyRegion: 'back',
  kind: 'electrical-burn',
  size: 'Pairs of round marks, 3–5 mm, about 35 mm apart',
  allegedCause: 'stun-gun',
  consistency: 'consistent',
  description: 'Paired small scars on the upper back, consistent with the contact electrodes of a stun device; not specific.',
});
finding('ihar-wrists', {
  person: ref('person:ihar'),
  act: ref('act:ihar-arrest'),
  examiner: 'Independent physician (Dr. R.)',
  date: day('2020-09-08'),
  bodyRegion: 'hands-wrists',
  kind: 'handcuff-injury',
  size: 'Circumferential, 5 mm wide',
  allegedCause: 'tight-restraints',
  consistency: 'highly-consistent',
  description: 'Circumferential healed abrasions of both wrists with reduced sensation of the thumbs (superficial radial nerve).',
});
finding('maksim-head', {
  person: ref('person:maksim'),
  act: ref('act:maksim-beating'),
  examiner: 'Врач медчасти СИЗО-8 (по записи в медкарте)',
  date: estimate('2020-08-15'),
  bodyRegion: 'head',
  kind: 'haematoma',
  size: '6 × 5 cm',
  allegedCause: 'batons',
  consistency: 'consistent',
  description: 'Гематома теменной области; жалобы на головную боль и тошноту. Известно из медкарты со слов адвоката.',
});
finding('dzianis-wrists', {
  person: ref('person:dzianis'),
  act: ref('act:dzianis-beating'),
  examiner: 'Self-reported photographs, reviewed by Dr. R.',
  date: day('2020-08-13'),
  bodyRegion: 'hands-wrists',
  kind: 'handcuff-injury',
  allegedCause: 'tight-restraints',
  consistency: 'consistent',
});
finding('hanna-knees', {
  person: ref('person:hanna'),
  act: ref('act:hanna-torture'),
  examiner: 'Independent physician (Dr. R.)',
  date: day('2020-08-26'),
  bodyRegion: 'knees',
  kind: 'bruise',
  allegedCause: 'stress-positions',
  consistency: 'not-consistent',
  description: 'Faint bruising of the knees; too old and unspecific to support or refute the account of kneeling.',
});

// ---------------------------------------------------------------------------------------------
// Cases, qualifications and their elements.

caseFile('okrestina', {
  title: 'Arbitrary imprisonment and torture of peaceful protesters in Minsk, 9–14 August 2020',
  scope:
    'Detentions at Pushkinskaya and Niamiha and the treatment of detainees at the Okrestina centres, as crimes against humanity (Rome Statute art. 7) and torture (CAT art. 1), for submission to prosecutors exercising universal jurisdiction.',
  status: 'in-preparation',
  events: [ref('event:pushkinskaya'), ref('event:niamiha'), ref('event:okrestina')],
  acts: [
    ref('act:hanna-arrest'),
    ref('act:hanna-torture'),
    ref('act:cell-ill-treatment'),
    ref('act:ihar-arrest'),
    ref('act:ihar-torture'),
    ref('act:maksim-arrest'),
    ref('act:maksim-beating'),
  ],
});
caseFile('brest', {
  title: 'Разгон у Брэсце, 10–11 жніўня 2020 г.',
  scope: 'Затрыманні і збіцці ў цэнтры Брэста.',
  status: 'draft',
  events: [ref('event:brest')],
  acts: [ref('act:dzianis-arrest'), ref('act:dzianis-beating')],
});

qualification('imprisonment', {
  case: ref('case:okrestina'),
  event: ref('event:okrestina'),
  framework: 'rome-statute',
  crime: 'rs-7-1-e',
  liability: 'ordering',
  person: ref('person:zhavarankou'),
  reasoning:
    'Thousands were deprived of liberty for exercising freedom of assembly, without legal counsel, and sentenced in minutes inside the detention centres: severe deprivation of physical liberty in violation of fundamental rules of international law, as part of a widespread attack on the civilian population.',
});
qualification('torture-cah', {
  case: ref('case:okrestina'),
  act: ref('act:ihar-torture'),
  framework: 'rome-statute',
  crime: 'rs-7-1-f',
  liability: 'committing',
  person: ref('person:grom'),
  reasoning: 'Severe pain inflicted on a person in custody (beating, electric shocks, stress positions), not arising from lawful sanctions.',
});
qualification('torture-superior', {
  case: ref('case:okrestina'),
  act: ref('act:hanna-torture'),
  framework: 'rome-statute',
  crime: 'rs-7-1-f',
  liability: 'superior-responsibility',
  person: ref('person:okrestina-head'),
  reasoning: 'Начальник ЦИП знал или должен был знать о систематических избиениях во дворе центра и не принял мер.',
});
qualification('cat-torture', {
  case: ref('case:okrestina'),
  act: ref('act:ihar-torture'),
  framework: 'uncat',
  crime: 'cat-art-1-torture',
  liability: 'committing',
  unit: ref('unit:okrestina-cip-staff'),
  reasoning: 'Severe pain intentionally inflicted by public officials to punish and intimidate ("who pays you?").',
});

qualification('cell-cidt', {
  case: ref('case:okrestina'),
  act: ref('act:cell-ill-treatment'),
  framework: 'uncat',
  crime: 'cat-art-16-cidt',
  liability: 'committing',
  unit: ref('unit:okrestina-cip-staff'),
  reasoning: '36 жанчын у камеры на 4 месцы амаль без вады і ежы на працягу двух сутак.',
});
qualification('cell-inhumane', {
  event: ref('event:okrestina'),
  framework: 'rome-statute',
  crime: 'rs-7-1-k',
  liability: 'superior-responsibility',
  person: ref('person:okrestina-head'),
  reasoning: 'Systematic confinement of detainees in cells many times over capacity without water, food or medical care.',
});

element('imprisonment-deprivation', {
  qualification: ref('qualification:imprisonment'),
  element: 'rs-7-1-e-1',
  assessment: 'proven',
  acts: [ref('act:hanna-arrest'), ref('act:ihar-arrest'), ref('act:maksim-arrest')],
  information: [ref('info:hanna-arrest'), ref('info:journalist')],
  note: 'Detention records, court rulings and consistent testimonies.',
});
element('imprisonment-gravity', {
  qualification: ref('qualification:imprisonment'),
  element: 'rs-7-1-e-2',
  assessment: 'partly-proven',
  acts: [ref('act:ihar-redetention'), ref('act:maksim-imprisonment')],
  note: 'Trials of minutes inside the detention centres, no counsel, consecutive terms on the same facts.',
});
element('imprisonment-attack', {
  qualification: ref('qualification:imprisonment'),
  element: 'rs-7-context-attack',
  assessment: 'partly-proven',
  information: [ref('info:neighbour'), ref('info:insider-leak')],
  note: 'Same pattern on the same nights in Minsk and Brest; the leaked recording is not yet authenticated.',
});
element('torture-pain', {
  qualification: ref('qualification:torture-cah'),
  element: 'rs-7-1-f-1',
  assessment: 'proven',
  acts: [ref('act:ihar-torture')],
  information: [ref('info:ihar-cell'), ref('info:discharge-summary')],
  medicalFindings: [ref('finding:ihar-rib'), ref('finding:ihar-burns')],
});
element('torture-custody', {
  qualification: ref('qualification:torture-cah'),
  element: 'rs-7-1-f-2',
  assessment: 'proven',
  acts: [ref('act:ihar-torture')],
  note: 'Inflicted inside the Okrestina centre on a detainee.',
});
element('superior-pain', {
  qualification: ref('qualification:torture-superior'),
  element: 'rs-7-1-f-1',
  assessment: 'partly-proven',
  acts: [ref('act:hanna-torture'), ref('act:cell-ill-treatment')],
  information: [ref('info:hanna-arrest')],
  medicalFindings: [ref('finding:hanna-thighs'), ref('finding:hanna-knees')],
  note: 'The tramline bruises are typical of baton blows; the knee findings neither support nor refute the account of kneeling.',
});
element('superior-knowledge', {
  qualification: ref('qualification:torture-superior'),
  element: 'rs-7-context-knowledge',
  assessment: 'unproven',
  information: [ref('info:insider-leak')],
  note: 'Whether the head of the centre knew of the beatings in the yard rests so far on an unauthenticated leak.',
});
element('cell-suffering', {
  qualification: ref('qualification:cell-inhumane'),
  element: 'rs-7-1-k-1',
  assessment: 'partly-proven',
  acts: [ref('act:cell-ill-treatment')],
  information: [ref('info:hanna-arrest'), ref('info:telegram-rumour')],
  note: 'The Telegram post is graded E5 and is kept only as a lead, not as proof.',
});
element('cat-pain', {
  qualification: ref('qualification:cat-torture'),
  element: 'cat-1-1',
  assessment: 'proven',
  medicalFindings: [ref('finding:ihar-rib'), ref('finding:ihar-burns'), ref('finding:ihar-wrists')],
});
element('cat-intent', {
  qualification: ref('qualification:cat-torture'),
  element: 'cat-1-2',
  assessment: 'proven',
  information: [ref('info:ihar-cell')],
});
element('cat-official', {
  qualification: ref('qualification:cat-torture'),
  element: 'cat-1-4',
  assessment: 'proven',
  acts: [ref('act:ihar-torture')],
});
element('cat-purpose', {
  qualification: ref('qualification:cat-torture'),
  element: 'cat-1-3',
  assessment: 'partly-proven',
  information: [ref('info:ihar-cell')],
  note: 'Questions about who "pays" the protesters point to punishment and intimidation.',
});

// Posts of an invented channel, as the Telegram import (docs/IMPORTS.md) records them.
message('channel-dispersal', {
  platform: 'telegram',
  chat: 'Вясновы вечар (invented channel, Letapis demo)',
  chatId: '1000000001',
  chatType: 'public-channel',
  messageId: 4512,
  date: '2020-08-10T20:15:00Z',
  dateLocal: '2020-08-10T23:15:00',
  author: 'Вясновы вечар (invented channel, Letapis demo)',
  mediaType: 'video_file',
  text: 'Каля станцыі метро «Пушкінская» АМАП разганяе людзей, затрымліваюць усіх запар. Відэа ад чытача: https://example.org/demo/4512',
  urls: 'https://example.org/demo/4512',
});
message('channel-forward', {
  platform: 'telegram',
  chat: 'Вясновы вечар (invented channel, Letapis demo)',
  chatId: '1000000001',
  chatType: 'public-channel',
  messageId: 4513,
  date: '2020-08-10T20:40:00Z',
  dateLocal: '2020-08-10T23:40:00',
  forwardedFrom: 'Другі канал (invented, Letapis demo)',
  replyTo: 4512,
  text: 'У Акрэсціна прывозяць затрыманых з Пушкінскай.',
});

/** The demo data set, in an order that reads like the story (the loader sorts by dependency anyway). */
export const DEMO_RECORDS: readonly DemoRecord[] = records;
