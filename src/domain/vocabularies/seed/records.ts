import type { VocabularySeed } from '../vocabulary.js';

/**
 * Vocabularies for the record types themselves: events, people's roles, places and the units that
 * state agents belong to.
 */
export const RECORDS_VOCABULARIES: VocabularySeed[] = [
  // Follows the HURIDOCS Events micro-thesaurus "Types of events", narrowed to the patterns Viasna
  // documents in Belarus since 2020.
  {
    name: 'event-types',
    labels: { be: 'Тыпы падзей', ru: 'Типы событий', en: 'Event types' },
    description: 'Kinds of event under which acts are grouped, after the HURIDOCS event types and Viasna monitoring practice.',
    terms: [
      {
        code: 'dispersal-of-peaceful-assembly',
        labels: { be: 'Разгон мірнага сходу', ru: 'Разгон мирного собрания', en: 'Dispersal of a peaceful assembly' },
      },
      { code: 'mass-detention', labels: { be: 'Масавыя затрыманні', ru: 'Массовые задержания', en: 'Mass detention' } },
      {
        code: 'post-election-protest',
        labels: { be: 'Паслявыбарчы пратэст', ru: 'Поствыборный протест', en: 'Post-election protest' },
      },
      { code: 'strike', labels: { be: 'Забастоўка', ru: 'Забастовка', en: 'Strike' } },
      { code: 'raid-search', labels: { be: 'Ператрус, рэйд', ru: 'Обыск, рейд', en: 'Raid or search' } },
      { code: 'court-hearing', labels: { be: 'Судовае пасяджэнне', ru: 'Судебное заседание', en: 'Court hearing' } },
      {
        code: 'criminal-prosecution',
        labels: { be: 'Крымінальны пераслед', ru: 'Уголовное преследование', en: 'Criminal prosecution' },
      },
      {
        code: 'administrative-prosecution',
        labels: { be: 'Адміністрацыйны пераслед', ru: 'Административное преследование', en: 'Administrative prosecution' },
      },
      {
        code: 'abuse-in-detention-facility',
        labels: {
          be: 'Жорсткае абыходжанне ў месцы ўтрымання пад вартай',
          ru: 'Жестокое обращение в месте содержания под стражей',
          en: 'Abuse in a detention facility',
        },
      },
      { code: 'killing', labels: { be: 'Забойства', ru: 'Убийство', en: 'Killing' } },
      {
        code: 'death-in-custody',
        parent: 'killing',
        labels: { be: 'Смерць пад вартай', ru: 'Смерть под стражей', en: 'Death in custody' },
      },
      {
        code: 'enforced-disappearance',
        labels: { be: 'Гвалтоўнае знікненне', ru: 'Насильственное исчезновение', en: 'Enforced disappearance' },
      },
      {
        code: 'persecution-of-journalists',
        labels: { be: 'Пераслед журналістаў', ru: 'Преследование журналистов', en: 'Persecution of journalists' },
      },
      {
        code: 'persecution-of-lawyers',
        labels: { be: 'Пераслед адвакатаў', ru: 'Преследование адвокатов', en: 'Persecution of lawyers' },
      },
      {
        code: 'forced-exile',
        labels: { be: 'Вымушаны выезд з краіны', ru: 'Вынужденный выезд из страны', en: 'Forced exile' },
      },
    ],
  },
  // Follows the HURIDOCS Events format roles (victim, source, perpetrator, intervening party), with
  // the procedural roles of the Belarusian Criminal Procedure Code.
  {
    name: 'person-roles',
    labels: { be: 'Ролі асоб', ru: 'Роли лиц', en: 'Person roles' },
    description: 'Roles a person plays in an event or record, after the HURIDOCS Events format roles and Belarusian procedural roles.',
    terms: [
      { code: 'victim', labels: { be: 'Пацярпелы', ru: 'Пострадавший', en: 'Victim' } },
      { code: 'witness', labels: { be: 'Сведка', ru: 'Свидетель', en: 'Witness' } },
      { code: 'source', labels: { be: 'Крыніца інфармацыі', ru: 'Источник информации', en: 'Source' } },
      {
        code: 'alleged-perpetrator',
        labels: { be: 'Меркаваны парушальнік', ru: 'Предполагаемый нарушитель', en: 'Alleged perpetrator' },
      },
      { code: 'official', labels: { be: 'Службовая асоба', ru: 'Должностное лицо', en: 'Official' } },
      { code: 'lawyer', labels: { be: 'Адвакат', ru: 'Адвокат', en: 'Lawyer' } },
      { code: 'relative', labels: { be: 'Сваяк', ru: 'Родственник', en: 'Relative' } },
      { code: 'judge', labels: { be: 'Суддзя', ru: 'Судья', en: 'Judge' } },
      { code: 'prosecutor', labels: { be: 'Пракурор', ru: 'Прокурор', en: 'Prosecutor' } },
      { code: 'investigator', labels: { be: 'Следчы', ru: 'Следователь', en: 'Investigator' } },
      { code: 'journalist', labels: { be: 'Журналіст', ru: 'Журналист', en: 'Journalist' } },
      {
        code: 'medical-examiner',
        labels: { be: 'Судова-медыцынскі эксперт', ru: 'Судебно-медицинский эксперт', en: 'Medical examiner' },
      },
    ],
  },
  // Follows the HURIDOCS Events place fields and the Belarusian administrative-territorial division
  // (voblasts, districts, cities), with the kinds of site named in Viasna reports.
  {
    name: 'place-kinds',
    labels: { be: 'Тыпы месцаў', ru: 'Типы мест', en: 'Place kinds' },
    description: 'Kinds of place where events happen, from country down to a single building, after the Belarusian administrative division.',
    terms: [
      { code: 'country', labels: { be: 'Краіна', ru: 'Страна', en: 'Country' } },
      { code: 'region', labels: { be: 'Вобласць', ru: 'Область', en: 'Region (oblast)' } },
      { code: 'city', labels: { be: 'Горад', ru: 'Город', en: 'City or town' } },
      { code: 'district', labels: { be: 'Раён', ru: 'Район', en: 'District' } },
      { code: 'village', labels: { be: 'Вёска', ru: 'Деревня', en: 'Village' } },
      { code: 'street', labels: { be: 'Вуліца', ru: 'Улица', en: 'Street' } },
      { code: 'square', labels: { be: 'Плошча', ru: 'Площадь', en: 'Square' } },
      { code: 'courtyard', labels: { be: 'Двор', ru: 'Двор', en: 'Courtyard' } },
      { code: 'metro-station', labels: { be: 'Станцыя метро', ru: 'Станция метро', en: 'Metro station' } },
      { code: 'building', labels: { be: 'Будынак', ru: 'Здание', en: 'Building' } },
      {
        code: 'detention-facility',
        parent: 'building',
        labels: { be: 'Месца ўтрымання пад вартай', ru: 'Место содержания под стражей', en: 'Detention facility' },
      },
      {
        code: 'court-building',
        parent: 'building',
        labels: { be: 'Будынак суда', ru: 'Здание суда', en: 'Court building' },
      },
      { code: 'hospital', parent: 'building', labels: { be: 'Бальніца', ru: 'Больница', en: 'Hospital' } },
      {
        code: 'border-crossing',
        labels: { be: 'Пункт пропуску праз мяжу', ru: 'Пункт пропуска через границу', en: 'Border crossing' },
      },
    ],
  },
  // Follows the structure of the Belarusian security bodies (MVD, KGB, Investigative Committee,
  // prosecution, courts) as named in Viasna reports and the UN OHCHR examination of the situation in
  // Belarus (A/HRC/52/68).
  {
    name: 'unit-kinds',
    labels: { be: 'Тыпы падраздзяленняў', ru: 'Типы подразделений', en: 'Unit kinds' },
    description: 'Kinds of state body or security unit an alleged perpetrator belongs to, after the structure of the Belarusian security bodies.',
    terms: [
      {
        code: 'riot-police',
        labels: {
          be: 'АМАП (атрад міліцыі асаблівага прызначэння)',
          ru: 'ОМОН (отряд милиции особого назначения)',
          en: 'Riot police (OMON)',
        },
      },
      {
        code: 'counter-terrorism-unit',
        labels: {
          be: 'Спецпадраздзяленне па барацьбе з тэрарызмам «Алмаз»',
          ru: 'Спецподразделение по борьбе с терроризмом «Алмаз»',
          en: 'Counter-terrorism unit (Almaz)',
        },
      },
      {
        code: 'rapid-response-unit',
        labels: {
          be: 'САБР (спецыяльны атрад хуткага рэагавання)',
          ru: 'СОБР (специальный отряд быстрого реагирования)',
          en: 'Special rapid response unit (SOBR)',
        },
      },
      {
        code: 'gubopik',
        labels: {
          be: 'ГУБАЗіК (Галоўнае ўпраўленне па барацьбе з арганізаванай злачыннасцю і карупцыяй МУС)',
          ru: 'ГУБОПиК (Главное управление по борьбе с организованной преступностью и коррупцией МВД)',
          en: 'Main Directorate for Combating Organised Crime and Corruption (GUBOPiK)',
        },
      },
      {
        code: 'patrol-police',
        labels: {
          be: 'Патрульна-паставая служба міліцыі (ППС)',
          ru: 'Патрульно-постовая служба милиции (ППС)',
          en: 'Patrol police (PPS)',
        },
      },
      {
        code: 'district-police-department',
        labels: {
          be: 'Раённае ўпраўленне (аддзел) унутраных спраў (РУУС, РАУС)',
          ru: 'Районное управление (отдел) внутренних дел (РУВД, РОВД)',
          en: 'District police department (RUVD, ROVD)',
        },
      },
      {
        code: 'traffic-police',
        labels: { be: 'ДАІ (Дзяржаўтаінспекцыя)', ru: 'ГАИ (Госавтоинспекция)', en: 'Traffic police (GAI)' },
      },
      {
        code: 'internal-troops',
        labels: { be: 'Унутраныя войскі МУС', ru: 'Внутренние войска МВД', en: 'Internal troops' },
      },
      {
        code: 'kgb',
        labels: {
          be: 'КДБ (Камітэт дзяржаўнай бяспекі)',
          ru: 'КГБ (Комитет государственной безопасности)',
          en: 'State Security Committee (KGB)',
        },
      },
      {
        code: 'kgb-special-forces',
        parent: 'kgb',
        labels: { be: 'Група «Альфа» КДБ', ru: 'Группа «Альфа» КГБ', en: 'KGB special forces (Alpha)' },
      },
      {
        code: 'border-guard',
        labels: { be: 'Памежная служба', ru: 'Пограничная служба', en: 'Border guard' },
      },
      {
        code: 'plain-clothes-unit',
        labels: {
          be: 'Супрацоўнікі ў цывільным («ціхары»)',
          ru: 'Сотрудники в штатском («тихари»)',
          en: 'Plain-clothes officers',
        },
      },
      {
        code: 'detention-facility-staff',
        labels: {
          be: 'Персанал месца ўтрымання пад вартай',
          ru: 'Персонал места содержания под стражей',
          en: 'Detention facility staff',
        },
      },
      { code: 'army-unit', labels: { be: 'Вайсковая частка', ru: 'Воинская часть', en: 'Army unit' } },
      {
        code: 'investigative-committee',
        labels: { be: 'Следчы камітэт', ru: 'Следственный комитет', en: 'Investigative Committee' },
      },
      { code: 'prosecutors-office', labels: { be: 'Пракуратура', ru: 'Прокуратура', en: "Prosecutor's office" } },
      { code: 'court', labels: { be: 'Суд', ru: 'Суд', en: 'Court' } },
      { code: 'ministry', labels: { be: 'Міністэрства', ru: 'Министерство', en: 'Ministry' } },
      {
        code: 'executive-committee',
        labels: {
          be: 'Выканаўчы камітэт (выканкам)',
          ru: 'Исполнительный комитет (исполком)',
          en: 'Executive committee',
        },
      },
    ],
  },
];
