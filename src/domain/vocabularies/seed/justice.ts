import type { VocabularySeed } from '../vocabulary.js';

/**
 * Vocabularies of prosecution and punishment: kinds of proceedings, their outcomes, the Belarusian
 * codes applied, sentences and colony regimes.
 */
export const JUSTICE_VOCABULARIES: VocabularySeed[] = [
  // Reference: Belarusian KoAP/PIKoAP and UPK (incl. chapter 49-1 on special proceedings in
  // absentia, added in 2022); categories as used in Viasna's political-prisoner and persecution lists.
  {
    name: 'proceeding-kinds',
    labels: { be: 'Віды працэсаў', ru: 'Виды процессов', en: 'Proceeding kinds' },
    description: 'The kind of legal proceedings brought against a person, following the Belarusian procedural codes.',
    terms: [
      {
        code: 'administrative',
        labels: { be: 'Адміністрацыйны працэс', ru: 'Административный процесс', en: 'Administrative proceedings' },
      },
      {
        code: 'criminal',
        labels: { be: 'Крымінальны працэс', ru: 'Уголовный процесс', en: 'Criminal proceedings' },
      },
      {
        code: 'civil',
        labels: { be: 'Грамадзянскі працэс', ru: 'Гражданский процесс', en: 'Civil proceedings' },
      },
      {
        code: 'disciplinary',
        labels: {
          be: 'Дысцыплінарнае разбіральніцтва',
          ru: 'Дисциплинарное производство',
          en: 'Disciplinary proceedings',
        },
      },
      {
        code: 'in-absentia-special',
        labels: {
          be: 'Спецыяльная вытворчасць (завочны суд)',
          ru: 'Специальное производство (заочный суд)',
          en: 'Special proceedings in absentia',
        },
      },
    ],
  },
  // Reference: outcomes recorded in Viasna's monitoring of administrative and criminal trials.
  {
    name: 'proceeding-outcomes',
    labels: { be: 'Вынікі працэсаў', ru: 'Итоги процессов', en: 'Proceeding outcomes' },
    description: 'How a set of proceedings or an appeal ended, or that it has not ended yet.',
    terms: [
      {
        code: 'convicted',
        labels: { be: 'Прызнаны вінаватым', ru: 'Признан виновным', en: 'Convicted / found liable' },
      },
      {
        code: 'acquitted',
        labels: { be: 'Апраўданы', ru: 'Оправдан', en: 'Acquitted' },
      },
      {
        code: 'fined',
        labels: { be: 'Аштрафаваны', ru: 'Оштрафован', en: 'Fined' },
      },
      {
        code: 'case-dropped',
        labels: { be: 'Справа спынена', ru: 'Дело прекращено', en: 'Case dropped' },
      },
      {
        code: 'returned-for-investigation',
        labels: {
          be: 'Справа вернута на дадатковае расследаванне',
          ru: 'Дело возвращено на дополнительное расследование',
          en: 'Returned for further investigation',
        },
      },
      {
        code: 'pending',
        labels: { be: 'Разгляд не завершаны', ru: 'Рассмотрение не завершено', en: 'Pending' },
      },
      {
        code: 'convicted-in-absentia',
        labels: { be: 'Асуджаны завочна', ru: 'Осуждён заочно', en: 'Convicted in absentia' },
      },
      {
        code: 'appeal-rejected',
        labels: {
          be: 'Скарга (апеляцыя) пакінута без задавальнення',
          ru: 'Жалоба (апелляция) оставлена без удовлетворения',
          en: 'Appeal rejected',
        },
      },
      {
        code: 'appeal-granted',
        labels: {
          be: 'Скарга (апеляцыя) задаволена',
          ru: 'Жалоба (апелляция) удовлетворена',
          en: 'Appeal granted',
        },
      },
    ],
  },
  // Reference: the codes of the Republic of Belarus as published on pravo.by (KoAP of 21 April 2003
  // and of 6 January 2021, Criminal Code of 9 July 1999, UPK of 16 July 1999, PIKoAP of 2006/2021).
  {
    name: 'legal-codes',
    labels: { be: 'Кодэксы', ru: 'Кодексы', en: 'Legal codes' },
    description: 'The Belarusian code under which a charge was brought or a procedure was run, with its edition year.',
    terms: [
      {
        code: 'koap-2003',
        labels: {
          be: 'Кодэкс аб адміністрацыйных правапарушэннях 2003 г. (дзейнічаў да 28.02.2021)',
          ru: 'Кодекс об административных правонарушениях 2003 г. (действовал до 28.02.2021)',
          en: 'Code of Administrative Offences 2003 (in force until 28 Feb 2021)',
        },
      },
      {
        code: 'koap-2021',
        labels: {
          be: 'Кодэкс аб адміністрацыйных правапарушэннях 2021 г. (дзейнічае з 01.03.2021)',
          ru: 'Кодекс об административных правонарушениях 2021 г. (действует с 01.03.2021)',
          en: 'Code of Administrative Offences 2021 (in force from 1 March 2021)',
        },
      },
      {
        code: 'uk-1999',
        labels: {
          be: 'Крымінальны кодэкс 1999 г.',
          ru: 'Уголовный кодекс 1999 г.',
          en: 'Criminal Code 1999',
        },
      },
      {
        code: 'upk-1999',
        labels: {
          be: 'Крымінальна-працэсуальны кодэкс 1999 г.',
          ru: 'Уголовно-процессуальный кодекс 1999 г.',
          en: 'Code of Criminal Procedure 1999',
        },
      },
      {
        code: 'pikoap',
        labels: {
          be: 'Працэсуальна-выканаўчы кодэкс аб адміністрацыйных правапарушэннях (2006 і 2021 г.)',
          ru: 'Процессуально-исполнительный кодекс об административных правонарушениях (2006 и 2021 гг.)',
          en: 'Procedural-Executive Code of Administrative Offences (2006 and 2021)',
        },
      },
      {
        code: 'kik-2000',
        labels: {
          be: 'Крымінальна-выканаўчы кодэкс 2000 г.',
          ru: 'Уголовно-исполнительный кодекс 2000 г.',
          en: 'Penal Enforcement Code 2000',
        },
      },
    ],
  },
  // Reference: Criminal Code art. 48 (kinds of punishment), art. 77-78, chapter 14 (compulsory
  // measures), and KoAP 2021 art. 6.2 (administrative penalties); "хімія" as Viasna writes it.
  {
    name: 'sentence-kinds',
    labels: { be: 'Віды пакаранняў', ru: 'Виды наказаний', en: 'Sentence kinds' },
    description: 'The penalty or measure imposed by a court or an administrative body, as named in Belarusian law.',
    terms: [
      {
        code: 'administrative-arrest',
        labels: { be: 'Адміністрацыйны арышт', ru: 'Административный арест', en: 'Administrative arrest' },
      },
      {
        code: 'fine',
        labels: { be: 'Штраф', ru: 'Штраф', en: 'Fine' },
      },
      {
        code: 'community-work',
        labels: { be: 'Грамадскія работы', ru: 'Общественные работы', en: 'Community work' },
      },
      {
        code: 'restriction-of-freedom',
        labels: {
          be: 'Абмежаванне волі без накіравання ў папраўчую ўстанову адкрытага тыпу («хатняя хімія»)',
          ru: 'Ограничение свободы без направления в исправительное учреждение открытого типа («домашняя химия»)',
          en: 'Restriction of freedom without being sent to an open-type facility',
        },
      },
      {
        code: 'restriction-of-freedom-open-facility',
        labels: {
          be: 'Абмежаванне волі з накіраваннем у папраўчую ўстанову адкрытага тыпу («хімія»)',
          ru: 'Ограничение свободы с направлением в исправительное учреждение открытого типа («химия»)',
          en: 'Restriction of freedom in an open-type correctional facility ("khimiya")',
        },
      },
      {
        code: 'criminal-arrest',
        labels: { be: 'Арышт (крымінальнае пакаранне)', ru: 'Арест (уголовное наказание)', en: 'Arrest (criminal penalty)' },
      },
      {
        code: 'imprisonment-colony',
        labels: {
          be: 'Пазбаўленне волі ў папраўчай калоніі',
          ru: 'Лишение свободы в исправительной колонии',
          en: 'Imprisonment in a correctional colony',
        },
      },
      {
        code: 'imprisonment-prison',
        labels: { be: 'Пазбаўленне волі ў турме', ru: 'Лишение свободы в тюрьме', en: 'Imprisonment in a prison' },
      },
      {
        code: 'suspended',
        labels: {
          be: 'Умоўнае непрымяненне пакарання',
          ru: 'Условное неприменение наказания',
          en: 'Suspended sentence',
        },
      },
      {
        code: 'deferred',
        labels: {
          be: 'Адтэрміноўка выканання пакарання',
          ru: 'Отсрочка исполнения наказания',
          en: 'Deferred execution of sentence',
        },
      },
      {
        code: 'ban-on-positions',
        labels: {
          be: 'Пазбаўленне права займаць пэўныя пасады або займацца пэўнай дзейнасцю',
          ru: 'Лишение права занимать определённые должности или заниматься определённой деятельностью',
          en: 'Ban on holding certain positions or engaging in certain activities',
        },
      },
      {
        code: 'compulsory-medical-measures',
        labels: {
          be: 'Прымусовыя меры бяспекі і лячэння',
          ru: 'Принудительные меры безопасности и лечения',
          en: 'Compulsory security and medical treatment measures',
        },
      },
      {
        code: 'warning',
        labels: { be: 'Папярэджанне', ru: 'Предупреждение', en: 'Warning' },
      },
    ],
  },
  // Reference: Criminal Code art. 57 and the Penal Enforcement Code (kinds of correctional
  // institutions and their regimes).
  {
    name: 'colony-regimes',
    labels: { be: 'Рэжымы ўтрымання', ru: 'Режимы содержания', en: 'Colony regimes' },
    description: 'The regime of the institution where a prison sentence is served, as set by the court.',
    terms: [
      {
        code: 'general',
        labels: { be: 'Калонія агульнага рэжыму', ru: 'Колония общего режима', en: 'General regime colony' },
      },
      {
        code: 'enhanced',
        labels: { be: 'Калонія ўзмоцненага рэжыму', ru: 'Колония усиленного режима', en: 'Enhanced regime colony' },
      },
      {
        code: 'strict',
        labels: { be: 'Калонія строгага рэжыму', ru: 'Колония строгого режима', en: 'Strict regime colony' },
      },
      {
        code: 'special',
        labels: { be: 'Калонія асаблівага рэжыму', ru: 'Колония особого режима', en: 'Special regime colony' },
      },
      {
        code: 'prison',
        labels: {
          be: 'Турма (агульны або строгі рэжым)',
          ru: 'Тюрьма (общий или строгий режим)',
          en: 'Prison (general or strict regime)',
        },
      },
      {
        code: 'colony-settlement',
        labels: { be: 'Калонія-пасяленне', ru: 'Колония-поселение', en: 'Colony-settlement' },
      },
      {
        code: 'juvenile-educational-colony',
        labels: {
          be: 'Выхаваўчая калонія (для непаўналетніх)',
          ru: 'Воспитательная колония (для несовершеннолетних)',
          en: 'Educational colony (for juveniles)',
        },
      },
    ],
  },
];
