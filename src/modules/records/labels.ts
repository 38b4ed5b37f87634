import type { RecordTypeName } from '../../domain/records/fields.js';

/**
 * Names of the record types, their fields and their fixed values (enums) in the UI's languages,
 * served with the catalog by GET /api/v1/record-types, so a client builds labelled forms for every
 * type without a message key per field. Labels are [en, be, ru]. labels.test.ts checks that every
 * type, field and enum value of the catalog has all three.
 */
export type Labels = { en: string; be: string; ru: string };
type Triple = readonly [en: string, be: string, ru: string];

export const asLabels = ([en, be, ru]: Triple): Labels => ({ en, be, ru });

/** Each type's name: singular and plural. */
export const TYPE_LABELS: Record<RecordTypeName, { one: Triple; many: Triple }> = {
  events: { one: ['Event', 'Падзея', 'Событие'], many: ['Events', 'Падзеі', 'События'] },
  persons: { one: ['Person', 'Асоба', 'Лицо'], many: ['Persons', 'Асобы', 'Лица'] },
  'person-names': { one: ['Person name', 'Імя асобы', 'Имя лица'], many: ['Person names', 'Імёны асоб', 'Имена лиц'] },
  units: { one: ['Unit', 'Падраздзяленне', 'Подразделение'], many: ['Units', 'Падраздзяленні', 'Подразделения'] },
  positions: { one: ['Position', 'Пасада', 'Должность'], many: ['Positions', 'Пасады', 'Должности'] },
  places: { one: ['Place', 'Месца', 'Место'], many: ['Places', 'Месцы', 'Места'] },
  facilities: { one: ['Facility', 'Установа ўтрымання', 'Место содержания'], many: ['Facilities', 'Установы ўтрымання', 'Места содержания'] },
  acts: { one: ['Act', 'Дзеянне', 'Действие'], many: ['Acts', 'Дзеянні', 'Действия'] },
  detentions: { one: ['Detention', 'Затрыманне', 'Задержание'], many: ['Detentions', 'Затрыманні', 'Задержания'] },
  'custody-stays': { one: ['Custody stay', 'Знаходжанне пад вартай', 'Пребывание под стражей'], many: ['Custody stays', 'Знаходжанні пад вартай', 'Пребывания под стражей'] },
  proceedings: { one: ['Proceeding', 'Справа', 'Дело'], many: ['Proceedings', 'Справы', 'Дела'] },
  charges: { one: ['Charge', 'Абвінавачванне', 'Обвинение'], many: ['Charges', 'Абвінавачванні', 'Обвинения'] },
  sentences: { one: ['Sentence', 'Пакаранне', 'Наказание'], many: ['Sentences', 'Пакаранні', 'Наказания'] },
  involvements: { one: ['Involvement', 'Удзел', 'Участие'], many: ['Involvements', 'Удзелы', 'Участия'] },
  information: { one: ['Information', 'Звесткі', 'Сведения'], many: ['Information', 'Звесткі', 'Сведения'] },
  consents: { one: ['Consent', 'Згода', 'Согласие'], many: ['Consents', 'Згоды', 'Согласия'] },
  testimonies: { one: ['Testimony', 'Сведчанне', 'Свидетельство'], many: ['Testimonies', 'Сведчанні', 'Свидетельства'] },
  'medical-findings': { one: ['Medical finding', 'Медыцынскае заключэнне', 'Медицинское заключение'], many: ['Medical findings', 'Медыцынскія заключэнні', 'Медицинские заключения'] },
  cases: { one: ['Case', 'Матэрыялы справы', 'Материалы дела'], many: ['Cases', 'Матэрыялы спраў', 'Материалы дел'] },
  qualifications: { one: ['Qualification', 'Кваліфікацыя', 'Квалификация'], many: ['Qualifications', 'Кваліфікацыі', 'Квалификации'] },
  'qualification-elements': { one: ['Element of a crime', 'Элемент злачынства', 'Элемент преступления'], many: ['Elements of crimes', 'Элементы злачынстваў', 'Элементы преступлений'] },
  messages: { one: ['Message', 'Паведамленне', 'Сообщение'], many: ['Messages', 'Паведамленні', 'Сообщения'] },
};

/** Field names shared by many types, unless a type names its own. */
const COMMON: Record<string, Triple> = {
  title: ['Title', 'Назва', 'Название'],
  description: ['Description', 'Апісанне', 'Описание'],
  start: ['Began', 'Пачатак', 'Начало'],
  end: ['Ended', 'Канец', 'Конец'],
  place: ['Place', 'Месца', 'Место'],
  status: ['Status', 'Статус', 'Статус'],
  person: ['Person', 'Асоба', 'Лицо'],
  unit: ['Unit', 'Падраздзяленне', 'Подразделение'],
  nameBe: ['Name in Belarusian', 'Назва па-беларуску', 'Название по-белорусски'],
  nameRu: ['Name in Russian', 'Назва па-руску', 'Название по-русски'],
  nameEn: ['Name in English', 'Назва па-англійску', 'Название по-английски'],
  kind: ['Kind', 'Від', 'Вид'],
  parent: ['Part of', 'Уваходзіць у', 'Входит в'],
  notes: ['Notes', 'Нататкі', 'Заметки'],
  from: ['From', 'З', 'С'],
  to: ['Until', 'Па', 'По'],
  source: ['Source', 'Крыніца', 'Источник'],
  date: ['Date', 'Дата', 'Дата'],
  act: ['Act', 'Дзеянне', 'Действие'],
  event: ['Event', 'Падзея', 'Событие'],
  language: ['Language', 'Мова', 'Язык'],
  proceeding: ['Proceeding', 'Справа', 'Дело'],
  detention: ['Detention', 'Затрыманне', 'Задержание'],
  summary: ['Summary', 'Змест', 'Содержание'],
  acts: ['Acts', 'Дзеянні', 'Действия'],
  events: ['Events', 'Падзеі', 'События'],
};

/** Field names per type, where the common name does not fit or is missing. */
const FIELDS: Partial<Record<RecordTypeName, Record<string, Triple>>> = {
  events: { types: ['Kinds of event', 'Віды падзеі', 'Виды события'] },
  persons: {
    pseudonym: ['Pseudonym', 'Псеўданім', 'Псевдоним'],
    sex: ['Sex', 'Пол', 'Пол'],
    isGroup: ['A group counted as one', 'Група, улічаная як адна асоба', 'Группа, учтённая как одно лицо'],
    groupSize: ['Size of the group', 'Колькасць людзей у групе', 'Численность группы'],
    deceased: ['Deceased', 'Памёр (памерла)', 'Умер (умерла)'],
    roles: ['Roles', 'Ролі', 'Роли'],
    identity: ['Identity', 'Асабовыя даныя', 'Личные данные'],
  },
  'person-names': {
    person: ['Whose name', 'Чыё імя', 'Чьё имя'],
    text: ['Spelling', 'Напісанне', 'Написание'],
    script: ['Script', 'Пісьменства', 'Письменность'],
    language: ['Language of the spelling', 'Мова напісання', 'Язык написания'],
    system: ['Romanisation system', 'Сістэма транслітарацыі', 'Система транслитерации'],
    preferred: ['Preferred in its script', 'Асноўнае ў сваім пісьменстве', 'Основное в своей письменности'],
    source: ['Where this spelling was met', 'Дзе сустрэлася гэтае напісанне', 'Где встретилось это написание'],
  },
  units: { kind: ['Kind of unit', 'Від падраздзялення', 'Вид подразделения'], parent: ['Belongs to unit', 'Уваходзіць у падраздзяленне', 'Входит в подразделение'] },
  positions: {
    person: ['Who held the post', 'Хто займаў пасаду', 'Кто занимал должность'],
    unit: ['Unit', 'Падраздзяленне', 'Подразделение'],
    title: ['Title of the post', 'Назва пасады', 'Название должности'],
    rank: ['Rank', 'Званне', 'Звание'],
    from: ['Held from', 'Займаў з', 'Занимал с'],
    to: ['Held until', 'Займаў па', 'Занимал по'],
  },
  places: {
    kind: ['Kind of place', 'Від месца', 'Вид места'],
    parent: ['Lies in', 'Знаходзіцца ў', 'Находится в'],
    latitude: ['Latitude', 'Шырата', 'Широта'],
    longitude: ['Longitude', 'Даўгата', 'Долгота'],
  },
  facilities: {
    kind: ['Kind of facility', 'Від установы', 'Вид учреждения'],
    operator: ['Run by unit', 'Падпарадкаванне (падраздзяленне)', 'Подчинение (подразделение)'],
    capacity: ['Official capacity (persons)', 'Афіцыйная ўмяшчальнасць (асоб)', 'Официальная вместимость (человек)'],
  },
  acts: {
    victim: ['Victim', 'Пацярпелы (пацярпелая)', 'Пострадавший (пострадавшая)'],
    type: ['Type of act', 'Тып дзеяння', 'Тип действия'],
    methods: ['Methods', 'Метады', 'Методы'],
    statedReason: ['Reason given by those who did it', 'Прычына, названая выканаўцамі', 'Причина, названная исполнителями'],
    consequences: ['Consequences for the victim', 'Наступствы для пацярпелага', 'Последствия для пострадавшего'],
    victimStatus: ['Victim’s status at the end', 'Стан пацярпелага пасля', 'Состояние пострадавшего после'],
  },
  detentions: {
    act: ['Arrest or detention act', 'Дзеянне (арышт або затрыманне)', 'Действие (арест или задержание)'],
    detainingUnits: ['Units that detained', 'Падраздзяленні, якія затрымалі', 'Задержавшие подразделения'],
    detainedAt: ['Detained', 'Затрыманы (затрыманая)', 'Задержан (задержана)'],
    place: ['Place of detention', 'Месца затрымання', 'Место задержания'],
    releasedAt: ['Released', 'Вызвалены (вызваленая)', 'Освобождён (освобождена)'],
    releaseReason: ['Why released', 'Падстава вызвалення', 'Основание освобождения'],
    legalCounsel: ['Access to a lawyer', 'Доступ да адваката', 'Доступ к адвокату'],
  },
  'custody-stays': {
    facility: ['Facility', 'Установа', 'Учреждение'],
    from: ['Held from', 'Утрымліваўся з', 'Содержался с'],
    to: ['Held until', 'Утрымліваўся па', 'Содержался по'],
    cell: ['Cell', 'Камера', 'Камера'],
    occupants: ['People in the cell', 'Людзей у камеры', 'Людей в камере'],
    cellCapacity: ['Places in the cell', 'Месцаў у камеры', 'Мест в камере'],
    conditions: ['Conditions', 'Умовы', 'Условия'],
  },
  proceedings: {
    defendant: ['Defendant', 'Абвінавачаны (абвінавачаная)', 'Обвиняемый (обвиняемая)'],
    kind: ['Kind of proceeding', 'Від справы', 'Вид дела'],
    caseNumber: ['Case number', 'Нумар справы', 'Номер дела'],
    court: ['Court', 'Суд', 'Суд'],
    judge: ['Judge', 'Суддзя', 'Судья'],
    hearingPlace: ['Where the hearing sat', 'Месца паседжання', 'Место заседания'],
    date: ['Date of hearing or decision', 'Дата паседжання або рашэння', 'Дата заседания или решения'],
    inAbsentia: ['In absentia', 'Завочна', 'Заочно'],
    outcome: ['Outcome', 'Вынік', 'Итог'],
    follows: ['Follows proceeding', 'Працяг справы', 'Продолжение дела'],
    detention: ['Arose from detention', 'Паводле затрымання', 'По задержанию'],
  },
  charges: {
    code: ['Code', 'Кодэкс', 'Кодекс'],
    article: ['Article', 'Артыкул', 'Статья'],
    part: ['Part', 'Частка', 'Часть'],
    description: ['Wording of the charge', 'Фармулёўка абвінавачвання', 'Формулировка обвинения'],
  },
  sentences: {
    kind: ['Kind of sentence', 'Від пакарання', 'Вид наказания'],
    days: ['Length in days', 'Тэрмін у днях', 'Срок в днях'],
    fineBaseUnits: ['Fine in base units', 'Штраф у базавых велічынях', 'Штраф в базовых величинах'],
    fineAmount: ['Fine in currency', 'Штраф у грашах', 'Штраф в деньгах'],
    fineCurrency: ['Currency', 'Валюта', 'Валюта'],
    baseUnitDate: ['Date of the base unit’s value', 'Дата базавай велічыні', 'Дата базовой величины'],
    regime: ['Regime', 'Рэжым', 'Режим'],
    suspended: ['Suspended', 'Умоўна', 'Условно'],
  },
  involvements: {
    person: ['Alleged perpetrator (a person)', 'Імаверны выканаўца (асоба)', 'Предполагаемый исполнитель (лицо)'],
    unit: ['Alleged perpetrator (a unit)', 'Імаверны выканаўца (падраздзяленне)', 'Предполагаемый исполнитель (подразделение)'],
    degree: ['Role in the act', 'Роля ў дзеянні', 'Роль в действии'],
    basis: ['Basis of identification', 'Падстава ідэнтыфікацыі', 'Основание идентификации'],
    basisNote: ['How identified', 'Як ідэнтыфікаваны', 'Как идентифицирован'],
    confidence: ['Confidence', 'Упэўненасць', 'Уверенность'],
  },
  information: {
    sourcePerson: ['Source (a person)', 'Крыніца (асоба)', 'Источник (лицо)'],
    sourceName: ['Source (organisation, medium, leak)', 'Крыніца (арганізацыя, СМІ, уцечка)', 'Источник (организация, СМИ, утечка)'],
    sourceKind: ['Kind of source', 'Від крыніцы', 'Вид источника'],
    person: ['About person', 'Пра асобу', 'О лице'],
    connection: ['Source’s connection', 'Сувязь крыніцы', 'Связь источника'],
    date: ['When told', 'Калі паведамлена', 'Когда сообщено'],
    reliability: ['Reliability of the source', 'Надзейнасць крыніцы', 'Надёжность источника'],
    credibility: ['Credibility of the information', 'Верагоднасць звестак', 'Достоверность сведений'],
  },
  consents: {
    person: ['Who consented', 'Хто даў згоду', 'Кто дал согласие'],
    scopes: ['Scopes agreed to', 'На што дадзена згода', 'На что дано согласие'],
    recipient: ['Recipient (empty: any)', 'Атрымальнік (пуста — любы)', 'Получатель (пусто — любой)'],
    obtainedAt: ['Obtained', 'Атрымана', 'Получено'],
    obtainedBy: ['Obtained by', 'Хто атрымаў', 'Кто получил'],
    method: ['How obtained', 'Як атрымана', 'Как получено'],
    withdrawnAt: ['Withdrawn', 'Адклікана', 'Отозвано'],
  },
  testimonies: {
    interviewee: ['Interviewee', 'Апытаны (апытаная)', 'Опрошенный (опрошенная)'],
    interviewer: ['Interviewer', 'Хто апытваў', 'Кто опрашивал'],
    mode: ['Mode', 'Спосаб', 'Способ'],
    language: ['Language of the interview', 'Мова інтэрв’ю', 'Язык интервью'],
    consent: ['Consent', 'Згода', 'Согласие'],
    event: ['Mainly about event', 'Пра падзею', 'О событии'],
    topics: ['Topics covered', 'Тэмы', 'Темы'],
    transcript: ['Transcript', 'Расшыфроўка', 'Расшифровка'],
  },
  'medical-findings': {
    person: ['Whose injury', 'Чыя траўма', 'Чья травма'],
    act: ['Act that allegedly caused it', 'Дзеянне, якое імаверна яе выклікала', 'Действие, предположительно её вызвавшее'],
    examiner: ['Examiner', 'Хто аглядаў', 'Кто осматривал'],
    date: ['Date of examination', 'Дата агляду', 'Дата осмотра'],
    bodyRegion: ['Body region', 'Частка цела', 'Часть тела'],
    kind: ['Kind of injury', 'Від траўмы', 'Вид травмы'],
    size: ['Size', 'Памер', 'Размер'],
    allegedCause: ['Alleged cause', 'Імаверная прычына', 'Предполагаемая причина'],
    consistency: ['Consistency with the allegation', 'Адпаведнасць заяве', 'Соответствие заявлению'],
  },
  cases: { scope: ['Scope', 'Абсяг', 'Охват'] },
  qualifications: {
    case: ['Case', 'Матэрыялы справы', 'Материалы дела'],
    event: ['Event (pattern)', 'Падзея (заканамернасць)', 'Событие (закономерность)'],
    framework: ['Legal framework', 'Прававая аснова', 'Правовая основа'],
    crime: ['Crime', 'Злачынства', 'Преступление'],
    liability: ['Mode of liability', 'Форма адказнасці', 'Форма ответственности'],
    person: ['Alleged perpetrator (a person)', 'Імаверны выканаўца (асоба)', 'Предполагаемый исполнитель (лицо)'],
    unit: ['Alleged perpetrator (a unit)', 'Імаверны выканаўца (падраздзяленне)', 'Предполагаемый исполнитель (подразделение)'],
    reasoning: ['Reasoning', 'Абгрунтаванне', 'Обоснование'],
  },
  'qualification-elements': {
    qualification: ['Qualification', 'Кваліфікацыя', 'Квалификация'],
    element: ['Element of the crime', 'Элемент злачынства', 'Элемент преступления'],
    assessment: ['How far proven', 'Ступень даказанасці', 'Степень доказанности'],
    acts: ['Acts that prove it', 'Дзеянні, якія даказваюць', 'Доказывающие действия'],
    information: ['Information that proves it', 'Звесткі, якія даказваюць', 'Доказывающие сведения'],
    medicalFindings: ['Medical findings that prove it', 'Медыцынскія заключэнні, якія даказваюць', 'Доказывающие медицинские заключения'],
    note: ['Note', 'Заўвага', 'Примечание'],
  },
  messages: {
    platform: ['Messenger', 'Мэсэнджар', 'Мессенджер'],
    chat: ['Channel, group or chat', 'Канал, група або чат', 'Канал, группа или чат'],
    chatId: ['Chat id', 'Ідэнтыфікатар чата', 'Идентификатор чата'],
    chatType: ['Kind of chat', 'Від чата', 'Вид чата'],
    messageId: ['Message id', 'Ідэнтыфікатар паведамлення', 'Идентификатор сообщения'],
    date: ['Posted (UTC)', 'Апублікавана (UTC)', 'Опубликовано (UTC)'],
    dateLocal: ['Date as exported (local time)', 'Дата ў экспарце (мясцовы час)', 'Дата в экспорте (местное время)'],
    author: ['Author or signature', 'Аўтар або подпіс', 'Автор или подпись'],
    authorId: ['Author id', 'Ідэнтыфікатар аўтара', 'Идентификатор автора'],
    forwardedFrom: ['Forwarded from', 'Перасланае з', 'Переслано из'],
    replyTo: ['Reply to message id', 'Адказ на паведамленне (ідэнтыфікатар)', 'Ответ на сообщение (идентификатор)'],
    edited: ['Edited (UTC)', 'Адрэдагавана (UTC)', 'Отредактировано (UTC)'],
    mediaType: ['Kind of media', 'Від медыяфайла', 'Вид медиафайла'],
    text: ['Text', 'Тэкст', 'Текст'],
    urls: ['Links', 'Спасылкі', 'Ссылки'],
  },
};

/** A field's label, or undefined when none is written (labels.test.ts fails then). */
export function fieldLabel(type: RecordTypeName, field: string): Labels | undefined {
  const t = FIELDS[type]?.[field] ?? COMMON[field];
  return t ? asLabels(t) : undefined;
}

/** Labels of enum values, by value (a value means the same wherever it appears). */
export const ENUM_LABELS: Record<string, Triple> = {
  // event status
  alleged: ['alleged', 'сцвярджаецца', 'утверждается'],
  corroborated: ['corroborated', 'пацверджана іншымі крыніцамі', 'подтверждено другими источниками'],
  verified: ['verified', 'праверана', 'проверено'],
  // sex
  female: ['female', 'жаночы', 'женский'],
  male: ['male', 'мужчынскі', 'мужской'],
  other: ['other', 'іншае', 'другое'],
  unknown: ['unknown', 'невядома', 'неизвестно'],
  // scripts
  Cyrl: ['Cyrillic', 'кірыліца', 'кириллица'],
  Latn: ['Latin', 'лацінка', 'латиница'],
  // languages
  be: ['Belarusian', 'беларуская', 'белорусский'],
  ru: ['Russian', 'руская', 'русский'],
  en: ['English', 'англійская', 'английский'],
  // name systems
  original: ['original', 'арыгінал', 'оригинал'],
  'be-2007-un': ['Belarusian national system (2007, UN)', 'нацыянальная сістэма (2007, ААН)', 'национальная система (2007, ООН)'],
  'be-2023': ['Belarusian national system (2023)', 'нацыянальная сістэма (2023)', 'национальная система (2023)'],
  'icao-9303': ['ICAO 9303 (passports)', 'ICAO 9303 (пашпарты)', 'ICAO 9303 (паспорта)'],
  'bgn-pcgn': ['BGN/PCGN', 'BGN/PCGN (ЗША і Вялікабрытанія)', 'BGN/PCGN (США и Великобритания)'],
  'iso-9': ['ISO 9', 'ISO 9 (міжнародны стандарт)', 'ISO 9 (международный стандарт)'],
  observed: ['as seen in a source', 'як у крыніцы', 'как в источнике'],
  // legal counsel
  provided: ['provided', 'дадзены', 'предоставлен'],
  denied: ['denied', 'адмоўлена', 'отказано'],
  delayed: ['delayed', 'з затрымкай', 'с задержкой'],
  'not-requested': ['not requested', 'не запытваўся', 'не запрашивался'],
  // confidence
  low: ['low', 'нізкая', 'низкая'],
  medium: ['medium', 'сярэдняя', 'средняя'],
  high: ['high', 'высокая', 'высокая'],
  // Admiralty grades
  A: ['A: completely reliable', 'A: цалкам надзейная', 'A: полностью надёжный'],
  B: ['B: usually reliable', 'B: звычайна надзейная', 'B: обычно надёжный'],
  C: ['C: fairly reliable', 'C: дастаткова надзейная', 'C: достаточно надёжный'],
  D: ['D: not usually reliable', 'D: звычайна ненадзейная', 'D: обычно ненадёжный'],
  E: ['E: unreliable', 'E: ненадзейная', 'E: ненадёжный'],
  F: ['F: reliability cannot be judged', 'F: надзейнасць нельга ацаніць', 'F: надёжность нельзя оценить'],
  '1': ['1: confirmed by other sources', '1: пацверджана іншымі крыніцамі', '1: подтверждено другими источниками'],
  '2': ['2: probably true', '2: верагодна праўда', '2: вероятно правда'],
  '3': ['3: possibly true', '3: магчыма праўда', '3: возможно правда'],
  '4': ['4: doubtful', '4: сумнеўна', '4: сомнительно'],
  '5': ['5: improbable', '5: малаверагодна', '5: маловероятно'],
  '6': ['6: truth cannot be judged', '6: праўдзівасць нельга ацаніць', '6: достоверность нельзя оценить'],
  // consent method
  written: ['written', 'пісьмова', 'письменно'],
  'oral-recorded': ['oral, recorded', 'вусна, з запісам', 'устно, с записью'],
  oral: ['oral', 'вусна', 'устно'],
  electronic: ['electronic', 'электронна', 'электронно'],
  // testimony mode
  'in-person': ['in person', 'асабіста', 'лично'],
  remote: ['remote', 'дыстанцыйна', 'дистанционно'],
  // Istanbul Protocol consistency
  'not-consistent': ['not consistent', 'не адпавядае', 'не соответствует'],
  consistent: ['consistent', 'адпавядае', 'соответствует'],
  'highly-consistent': ['highly consistent', 'цалкам адпавядае', 'полностью соответствует'],
  typical: ['typical of', 'тыповае для', 'типично для'],
  diagnostic: ['diagnostic of', 'дыягнастычнае для', 'диагностично для'],
  // case status
  draft: ['draft', 'чарнавік', 'черновик'],
  'in-preparation': ['in preparation', 'рыхтуецца', 'готовится'],
  submitted: ['submitted', 'пададзена', 'подано'],
  closed: ['closed', 'закрыта', 'закрыто'],
  // assessment
  'not-assessed': ['not assessed', 'не ацэнена', 'не оценено'],
  unproven: ['unproven', 'не даказана', 'не доказано'],
  'partly-proven': ['partly proven', 'часткова даказана', 'частично доказано'],
  proven: ['proven', 'даказана', 'доказано'],
  // messengers and their kinds of chat
  telegram: ['Telegram', 'Тэлеграм', 'Телеграм'],
  'public-channel': ['public channel', 'публічны канал', 'публичный канал'],
  'private-channel': ['private channel', 'закрыты канал', 'закрытый канал'],
  'public-supergroup': ['public supergroup', 'публічная супергрупа', 'публичная супергруппа'],
  'private-supergroup': ['private supergroup', 'закрытая супергрупа', 'закрытая супергруппа'],
  'private-group': ['private group', 'закрытая група', 'закрытая группа'],
  'personal-chat': ['personal chat', 'асабісты чат', 'личный чат'],
  'bot-chat': ['chat with a bot', 'чат з ботам', 'чат с ботом'],
  'saved-messages': ['saved messages', 'захаваныя паведамленні', 'сохранённые сообщения'],
};

export function enumLabel(value: string): Labels | undefined {
  const t = ENUM_LABELS[value];
  return t ? asLabels(t) : undefined;
}
