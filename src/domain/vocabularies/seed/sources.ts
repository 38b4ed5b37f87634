import type { VocabularySeed } from '../vocabulary.js';

/**
 * Vocabularies about where information comes from: kinds of sources, their connection to what they
 * report, the consent they gave and the topics a testimony covers.
 */
export const SOURCES_VOCABULARIES: VocabularySeed[] = [
  // Reference: HURIDOCS Events Standard Formats (source types), adapted to Viasna's monitoring practice.
  {
    name: 'source-kinds',
    labels: { be: 'Віды крыніц', ru: 'Виды источников', en: 'Source kinds' },
    description: 'Who or what a piece of information comes from, adapted from the HURIDOCS source types.',
    terms: [
      { code: 'victim', labels: { be: 'Пацярпелы', ru: 'Пострадавший', en: 'Victim' } },
      { code: 'eyewitness', labels: { be: 'Відавочца', ru: 'Очевидец', en: 'Eyewitness' } },
      { code: 'relative', labels: { be: 'Сваяк', ru: 'Родственник', en: 'Relative' } },
      { code: 'lawyer', labels: { be: 'Адвакат', ru: 'Адвокат', en: 'Lawyer' } },
      { code: 'media', labels: { be: 'СМІ', ru: 'СМИ', en: 'Media' } },
      {
        code: 'human-rights-organisation',
        labels: {
          be: 'Праваабарончая арганізацыя',
          ru: 'Правозащитная организация',
          en: 'Human rights organisation',
        },
      },
      {
        code: 'official-document',
        labels: { be: 'Афіцыйны дакумент', ru: 'Официальный документ', en: 'Official document' },
      },
      {
        code: 'leak-insider',
        labels: { be: 'Уцечка або інсайдэр', ru: 'Утечка или инсайдер', en: 'Leak or insider' },
      },
      {
        code: 'social-media-post',
        labels: { be: 'Допіс у сацыяльных сетках', ru: 'Публикация в социальных сетях', en: 'Social media post' },
      },
      {
        code: 'court-record',
        labels: { be: 'Матэрыялы судовай справы', ru: 'Материалы судебного дела', en: 'Court record' },
      },
      {
        code: 'medical-record',
        labels: { be: 'Медыцынскі дакумент', ru: 'Медицинский документ', en: 'Medical record' },
      },
      {
        code: 'anonymous',
        labels: { be: 'Ананімная крыніца', ru: 'Анонимный источник', en: 'Anonymous source' },
      },
    ],
  },
  // Reference: HURIDOCS Events Standard Formats, field "Connection to information".
  {
    name: 'source-connections',
    labels: { be: 'Сувязь крыніцы з інфармацыяй', ru: 'Связь источника с информацией', en: 'Source connections' },
    description: 'How the source came to know what they report, after the HURIDOCS "connection to information" field.',
    terms: [
      {
        code: 'victim',
        labels: { be: 'Сам пацярпелы', ru: 'Сам пострадавший', en: 'Victim (first-hand experience)' },
      },
      {
        code: 'eyewitness',
        labels: {
          be: 'Відавочца (бачыў або чуў сам)',
          ru: 'Очевидец (видел или слышал сам)',
          en: 'Eyewitness (saw or heard it directly)',
        },
      },
      {
        code: 'heard-from-others',
        labels: { be: 'Ведае са слоў іншых', ru: 'Знает со слов других', en: 'Heard from others' },
      },
      {
        code: 'document',
        labels: { be: 'Ведае з дакументаў', ru: 'Знает из документов', en: 'From documents' },
      },
      {
        code: 'media-report',
        labels: { be: 'Ведае з паведамленняў СМІ', ru: 'Знает из сообщений СМИ', en: 'From media reports' },
      },
      {
        code: 'expert',
        labels: {
          be: 'Эксперт (прафесійная ацэнка)',
          ru: 'Эксперт (профессиональная оценка)',
          en: 'Expert (professional assessment)',
        },
      },
      {
        code: 'insider',
        labels: {
          be: 'Інсайдэр (мае доступ унутры ведамства)',
          ru: 'Инсайдер (имеет доступ внутри ведомства)',
          en: 'Insider (has access inside the institution)',
        },
      },
    ],
  },
  // Reference: informed consent as described in the Istanbul Protocol (2022 edition) and the Murad
  // Code; each scope is granted separately and can be withdrawn.
  {
    name: 'consent-scopes',
    labels: { be: 'Межы згоды', ru: 'Объём согласия', en: 'Consent scopes' },
    description: 'The uses of their information a source has agreed to, each given separately under informed consent.',
    terms: [
      {
        code: 'internal-use',
        labels: {
          be: 'Толькі для ўнутранага выкарыстання',
          ru: 'Только для внутреннего использования',
          en: 'Internal use only',
        },
      },
      {
        code: 'share-with-named-bodies',
        labels: {
          be: 'Перадача названым арганізацыям',
          ru: 'Передача названным организациям',
          en: 'Sharing with named bodies',
        },
      },
      {
        code: 'judicial-use',
        labels: {
          be: 'Выкарыстанне ў следчых і судовых працэдурах',
          ru: 'Использование в следственных и судебных процедурах',
          en: 'Use in investigations and judicial proceedings',
        },
      },
      {
        code: 'share-with-un-bodies',
        labels: { be: 'Перадача органам ААН', ru: 'Передача органам ООН', en: 'Sharing with UN bodies' },
      },
      {
        code: 'advocacy-reports',
        labels: {
          be: 'Выкарыстанне ў праваабарончых справаздачах',
          ru: 'Использование в правозащитных отчётах',
          en: 'Use in advocacy reports',
        },
      },
      {
        code: 'publish-anonymously',
        labels: { be: 'Ананімная публікацыя', ru: 'Анонимная публикация', en: 'Publication without name' },
      },
      {
        code: 'publish-with-name',
        labels: { be: 'Публікацыя з імем', ru: 'Публикация с именем', en: 'Publication with name' },
      },
    ],
  },
  // Reference: Istanbul Protocol (2022 edition), chapter IV (general interview considerations:
  // documenting the history of alleged torture and ill-treatment).
  {
    name: 'testimony-topics',
    labels: { be: 'Тэмы сведчання', ru: 'Темы показаний', en: 'Testimony topics' },
    description: 'The topics an interview about detention and ill-treatment covers, following the Istanbul Protocol.',
    terms: [
      {
        code: 'circumstances-before',
        labels: {
          be: 'Абставіны да затрымання',
          ru: 'Обстоятельства до задержания',
          en: 'Circumstances before detention',
        },
      },
      { code: 'arrest', labels: { be: 'Затрыманне', ru: 'Задержание', en: 'Arrest' } },
      { code: 'transport', labels: { be: 'Перавозка', ru: 'Перевозка', en: 'Transport' } },
      {
        code: 'places-of-detention',
        labels: { be: 'Месцы ўтрымання', ru: 'Места содержания', en: 'Places of detention' },
      },
      { code: 'dates-and-times', labels: { be: 'Даты і час', ru: 'Даты и время', en: 'Dates and times' } },
      {
        code: 'perpetrators-identity',
        labels: {
          be: 'Асобы і прыкметы вінаватых',
          ru: 'Личности и приметы виновных',
          en: 'Identity and description of perpetrators',
        },
      },
      {
        code: 'what-was-said',
        labels: {
          be: 'Што казалі (пытанні, пагрозы, абразы)',
          ru: 'Что говорили (вопросы, угрозы, оскорбления)',
          en: 'What was said (questions, threats, insults)',
        },
      },
      {
        code: 'detention-routine',
        labels: {
          be: 'Умовы і распарадак утрымання',
          ru: 'Условия и распорядок содержания',
          en: 'Detention conditions and routine',
        },
      },
      {
        code: 'methods',
        labels: {
          be: 'Метады катаванняў і жорсткага абыходжання',
          ru: 'Методы пыток и жестокого обращения',
          en: 'Methods of torture and ill-treatment',
        },
      },
      {
        code: 'injuries-symptoms',
        labels: { be: 'Траўмы і сімптомы', ru: 'Травмы и симптомы', en: 'Injuries and symptoms' },
      },
      {
        code: 'medical-care',
        labels: { be: 'Медыцынская дапамога', ru: 'Медицинская помощь', en: 'Medical care' },
      },
      { code: 'witnesses', labels: { be: 'Сведкі', ru: 'Свидетели', en: 'Witnesses' } },
      {
        code: 'legal-proceedings',
        labels: {
          be: 'Адміністрацыйныя і крымінальныя працэсы',
          ru: 'Административные и уголовные процессы',
          en: 'Legal proceedings',
        },
      },
      {
        code: 'psychological-consequences',
        labels: {
          be: 'Псіхалагічныя наступствы',
          ru: 'Психологические последствия',
          en: 'Psychological consequences',
        },
      },
      { code: 'release', labels: { be: 'Вызваленне', ru: 'Освобождение', en: 'Release' } },
      {
        code: 'subsequent-harassment',
        labels: {
          be: 'Далейшы ціск і пераслед',
          ru: 'Последующее давление и преследование',
          en: 'Subsequent harassment',
        },
      },
    ],
  },
];
