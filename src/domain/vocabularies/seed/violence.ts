import type { VocabularySeed } from '../vocabulary.js';

/**
 * Vocabularies describing acts of violence: what was done, how, to whom, by whom with what degree
 * of involvement, how the perpetrator was identified, and the injuries it left.
 */
export const VIOLENCE_VOCABULARIES: VocabularySeed[] = [
  // Follows the HURIDOCS micro-thesaurus "Types of acts" (ITAA), adapted to the repression patterns
  // Viasna documents: CAT definitions of torture and ill-treatment, ICPPED for disappearance.
  {
    name: 'act-types',
    labels: { be: 'Тыпы дзеянняў', ru: 'Типы действий', en: 'Act types' },
    description: 'Kinds of act committed against a victim, after the HURIDOCS types of acts and the UN Convention against Torture.',
    terms: [
      { code: 'arrest', labels: { be: 'Затрыманне', ru: 'Задержание', en: 'Arrest' } },
      { code: 'detention', labels: { be: 'Утрыманне пад вартай', ru: 'Содержание под стражей', en: 'Detention' } },
      {
        code: 'incommunicado-detention',
        parent: 'detention',
        labels: {
          be: 'Утрыманне ў рэжыме інкамунікада',
          ru: 'Содержание в режиме инкоммуникадо',
          en: 'Incommunicado detention',
        },
      },
      { code: 'beating', labels: { be: 'Збіццё', ru: 'Избиение', en: 'Beating' } },
      { code: 'torture', labels: { be: 'Катаванне', ru: 'Пытка', en: 'Torture' } },
      {
        code: 'ill-treatment',
        labels: {
          be: 'Жорсткае, бесчалавечнае або зневажальнае абыходжанне',
          ru: 'Жестокое, бесчеловечное или унижающее достоинство обращение',
          en: 'Cruel, inhuman or degrading treatment',
        },
      },
      {
        code: 'use-of-weapons',
        labels: {
          be: 'Ужыванне зброі і спецсродкаў',
          ru: 'Применение оружия и спецсредств',
          en: 'Use of weapons and special means',
        },
      },
      { code: 'killing', labels: { be: 'Забойства', ru: 'Убийство', en: 'Killing' } },
      {
        code: 'death-in-custody',
        parent: 'killing',
        labels: { be: 'Смерць пад вартай', ru: 'Смерть под стражей', en: 'Death in custody' },
      },
      {
        code: 'attempted-killing',
        labels: { be: 'Замах на забойства', ru: 'Покушение на убийство', en: 'Attempted killing' },
      },
      { code: 'threat', labels: { be: 'Пагроза', ru: 'Угроза', en: 'Threat' } },
      {
        code: 'sexual-violence',
        labels: { be: 'Сэксуальны гвалт', ru: 'Сексуальное насилие', en: 'Sexual violence' },
      },
      { code: 'rape', parent: 'sexual-violence', labels: { be: 'Згвалтаванне', ru: 'Изнасилование', en: 'Rape' } },
      {
        code: 'sexual-humiliation',
        parent: 'sexual-violence',
        labels: { be: 'Сэксуальнае прыніжэнне', ru: 'Сексуальное унижение', en: 'Sexual humiliation' },
      },
      {
        code: 'forced-nudity',
        parent: 'sexual-violence',
        labels: { be: 'Прымусовае агаленне', ru: 'Принудительное обнажение', en: 'Forced nudity' },
      },
      {
        code: 'threat-of-sexual-violence',
        parent: 'sexual-violence',
        labels: {
          be: 'Пагроза сэксуальнага гвалту',
          ru: 'Угроза сексуального насилия',
          en: 'Threat of sexual violence',
        },
      },
      {
        code: 'enforced-disappearance',
        labels: { be: 'Гвалтоўнае знікненне', ru: 'Насильственное исчезновение', en: 'Enforced disappearance' },
      },
      {
        code: 'search-seizure',
        labels: { be: 'Ператрус і выманне маёмасці', ru: 'Обыск и изъятие имущества', en: 'Search and seizure' },
      },
      {
        code: 'destruction-of-property',
        labels: {
          be: 'Знішчэнне або пашкоджанне маёмасці',
          ru: 'Уничтожение или повреждение имущества',
          en: 'Destruction of property',
        },
      },
      {
        code: 'denial-of-medical-care',
        labels: { be: 'Адмова ў медыцынскай дапамозе', ru: 'Отказ в медицинской помощи', en: 'Denial of medical care' },
      },
      {
        code: 'denial-of-legal-counsel',
        labels: { be: 'Адмова ў доступе да адваката', ru: 'Отказ в доступе к адвокату', en: 'Denial of legal counsel' },
      },
      {
        code: 'fabricated-charges',
        labels: { be: 'Сфабрыкаванае абвінавачанне', ru: 'Сфабрикованное обвинение', en: 'Fabricated charges' },
      },
      {
        code: 'forced-confession-video',
        labels: {
          be: 'Прымусовае «пакаяльнае» відэа',
          ru: 'Принудительное «покаянное» видео',
          en: 'Forced confession video',
        },
      },
      {
        code: 'dismissal-from-work',
        labels: { be: 'Звальненне з працы', ru: 'Увольнение с работы', en: 'Dismissal from work' },
      },
      {
        code: 'expulsion-from-university',
        labels: { be: 'Адлічэнне з універсітэта', ru: 'Отчисление из университета', en: 'Expulsion from university' },
      },
      {
        code: 'forced-exile',
        labels: { be: 'Вымушаны выезд з краіны', ru: 'Вынужденный выезд из страны', en: 'Forced exile' },
      },
    ],
  },
  // Follows the Istanbul Protocol (2022 edition), chapter V, "Methods of torture": its categories
  // are the parent terms; the children are the methods Viasna and survivors most often describe.
  {
    name: 'methods',
    labels: { be: 'Метады гвалту', ru: 'Методы насилия', en: 'Methods' },
    description: 'Methods of torture and ill-treatment, grouped under the categories of the Istanbul Protocol (2022).',
    terms: [
      {
        code: 'blunt-trauma',
        labels: { be: 'Тупая траўма (удары)', ru: 'Тупая травма (удары)', en: 'Blunt trauma' },
      },
      { code: 'fists', parent: 'blunt-trauma', labels: { be: 'Удары кулакамі', ru: 'Удары кулаками', en: 'Punching' } },
      { code: 'slapping', parent: 'blunt-trauma', labels: { be: 'Аплявухі', ru: 'Пощёчины', en: 'Slapping' } },
      { code: 'kicking', parent: 'blunt-trauma', labels: { be: 'Удары нагамі', ru: 'Удары ногами', en: 'Kicking' } },
      {
        code: 'batons',
        parent: 'blunt-trauma',
        labels: { be: 'Удары дубінкамі', ru: 'Удары дубинками', en: 'Baton blows' },
      },
      {
        code: 'rifle-butts',
        parent: 'blunt-trauma',
        labels: { be: 'Удары прыкладамі', ru: 'Удары прикладами', en: 'Rifle-butt blows' },
      },
      {
        code: 'falanga',
        parent: 'blunt-trauma',
        labels: {
          be: 'Фаланга (удары па ступнях)',
          ru: 'Фаланга (удары по ступням)',
          en: 'Falanga (beating of the soles of the feet)',
        },
      },
      {
        code: 'positional',
        labels: { be: 'Пазіцыйныя катаванні', ru: 'Позиционные пытки', en: 'Positional torture' },
      },
      {
        code: 'stress-positions',
        parent: 'positional',
        labels: { be: 'Стрэсавыя позы', ru: 'Стрессовые позы', en: 'Stress positions' },
      },
      {
        code: 'swallow-position',
        parent: 'positional',
        labels: {
          be: 'Поза «ластаўка» (рукі ў кайданках за спінай падняты ўверх)',
          ru: 'Поза «ласточка» (руки в наручниках за спиной подняты вверх)',
          en: '"Swallow" position (hands cuffed behind the back and raised)',
        },
      },
      {
        code: 'forced-standing',
        parent: 'positional',
        labels: { be: 'Прымусовае стаянне', ru: 'Принудительное стояние', en: 'Forced standing' },
      },
      {
        code: 'forced-kneeling',
        parent: 'positional',
        labels: {
          be: 'Прымусовае стаянне на каленях',
          ru: 'Принудительное стояние на коленях',
          en: 'Forced kneeling',
        },
      },
      {
        code: 'face-down-on-ground',
        parent: 'positional',
        labels: {
          be: 'Прымусовае ляжанне тварам уніз на зямлі або падлозе',
          ru: 'Принудительное лежание лицом вниз на земле или полу',
          en: 'Forced lying face down on the ground or floor',
        },
      },
      {
        code: 'tight-restraints',
        parent: 'positional',
        labels: {
          be: 'Моцна зацягнутыя кайданкі або пластыкавыя сцяжкі',
          ru: 'Туго затянутые наручники или пластиковые стяжки',
          en: 'Overtight handcuffs or plastic ties',
        },
      },
      {
        code: 'electric-shock',
        labels: {
          be: 'Уздзеянне электрычным токам',
          ru: 'Воздействие электрическим током',
          en: 'Electric shock',
        },
      },
      {
        code: 'stun-gun',
        parent: 'electric-shock',
        labels: { be: 'Электрашокер', ru: 'Электрошокер', en: 'Stun gun' },
      },
      { code: 'asphyxiation', labels: { be: 'Асфіксія (удушэнне)', ru: 'Асфиксия (удушение)', en: 'Asphyxiation' } },
      {
        code: 'bag-over-head',
        parent: 'asphyxiation',
        labels: { be: 'Пакет на галаву', ru: 'Пакет на голову', en: 'Bag over the head' },
      },
      {
        code: 'strangulation',
        parent: 'asphyxiation',
        labels: { be: 'Здушванне горла', ru: 'Сдавливание горла', en: 'Strangulation' },
      },
      {
        code: 'weapons',
        labels: {
          be: 'Ужыванне зброі і спецсродкаў',
          ru: 'Применение оружия и спецсредств',
          en: 'Weapons and special means',
        },
      },
      {
        code: 'rubber-bullets',
        parent: 'weapons',
        labels: { be: 'Гумовыя кулі', ru: 'Резиновые пули', en: 'Rubber bullets' },
      },
      {
        code: 'stun-grenades',
        parent: 'weapons',
        labels: { be: 'Святлошумавыя гранаты', ru: 'Светошумовые гранаты', en: 'Stun grenades' },
      },
      {
        code: 'tear-gas-pepper-spray',
        parent: 'weapons',
        labels: {
          be: 'Слёзатачывы газ або перцавы спрэй',
          ru: 'Слезоточивый газ или перцовый спрей',
          en: 'Tear gas or pepper spray',
        },
      },
      { code: 'water-cannon', parent: 'weapons', labels: { be: 'Вадамёт', ru: 'Водомёт', en: 'Water cannon' } },
      {
        code: 'firearms',
        parent: 'weapons',
        labels: { be: 'Агнястрэльная зброя', ru: 'Огнестрельное оружие', en: 'Firearms' },
      },
      {
        code: 'deprivation',
        labels: {
          be: 'Пазбаўленне базавых патрэб',
          ru: 'Лишение базовых потребностей',
          en: 'Deprivation of basic needs',
        },
      },
      {
        code: 'deprivation-of-food',
        parent: 'deprivation',
        labels: { be: 'Пазбаўленне ежы', ru: 'Лишение пищи', en: 'Deprivation of food' },
      },
      {
        code: 'deprivation-of-water',
        parent: 'deprivation',
        labels: { be: 'Пазбаўленне вады', ru: 'Лишение воды', en: 'Deprivation of water' },
      },
      {
        code: 'deprivation-of-sleep',
        parent: 'deprivation',
        labels: { be: 'Пазбаўленне сну', ru: 'Лишение сна', en: 'Sleep deprivation' },
      },
      {
        code: 'deprivation-of-toilet',
        parent: 'deprivation',
        labels: {
          be: 'Пазбаўленне доступу да туалета',
          ru: 'Лишение доступа к туалету',
          en: 'Denial of toilet access',
        },
      },
      {
        code: 'deprivation-of-medical-care',
        parent: 'deprivation',
        labels: {
          be: 'Пазбаўленне медыцынскай дапамогі',
          ru: 'Лишение медицинской помощи',
          en: 'Denial of medical care',
        },
      },
      {
        code: 'environmental',
        labels: {
          be: 'Уздзеянне ўмоў утрымання',
          ru: 'Воздействие условий содержания',
          en: 'Environmental manipulation',
        },
      },
      {
        code: 'overcrowding',
        parent: 'environmental',
        labels: { be: 'Перапоўненасць камер', ru: 'Переполненность камер', en: 'Overcrowding' },
      },
      { code: 'cold', parent: 'environmental', labels: { be: 'Холад', ru: 'Холод', en: 'Exposure to cold' } },
      {
        code: 'heat',
        parent: 'environmental',
        labels: { be: 'Спёка і духата', ru: 'Жара и духота', en: 'Exposure to heat' },
      },
      {
        code: 'constant-light',
        parent: 'environmental',
        labels: { be: 'Пастаяннае асвятленне', ru: 'Постоянное освещение', en: 'Constant light' },
      },
      {
        code: 'loud-noise',
        parent: 'environmental',
        labels: { be: 'Гучны шум або музыка', ru: 'Громкий шум или музыка', en: 'Loud noise or music' },
      },
      {
        code: 'sexual',
        labels: { be: 'Сэксуальныя катаванні', ru: 'Сексуальные пытки', en: 'Sexual torture' },
      },
      {
        code: 'forced-nudity',
        parent: 'sexual',
        labels: { be: 'Прымусовае агаленне', ru: 'Принудительное обнажение', en: 'Forced nudity' },
      },
      {
        code: 'rape-threats',
        parent: 'sexual',
        labels: { be: 'Пагрозы згвалтаваннем', ru: 'Угрозы изнасилованием', en: 'Rape threats' },
      },
      {
        code: 'rape-with-objects',
        parent: 'sexual',
        labels: {
          be: 'Згвалтаванне прадметамі (дубінкай)',
          ru: 'Изнасилование предметами (дубинкой)',
          en: 'Rape with objects (baton)',
        },
      },
      {
        code: 'blows-to-genitals',
        parent: 'sexual',
        labels: { be: 'Удары па палавых органах', ru: 'Удары по половым органам', en: 'Blows to the genitals' },
      },
      {
        code: 'psychological',
        labels: { be: 'Псіхалагічныя катаванні', ru: 'Психологические пытки', en: 'Psychological methods' },
      },
      {
        code: 'threats-against-family',
        parent: 'psychological',
        labels: { be: 'Пагрозы сваякам', ru: 'Угрозы родственникам', en: 'Threats against family' },
      },
      {
        code: 'threats-to-take-children',
        parent: 'psychological',
        labels: {
          be: 'Пагрозы адабраць дзяцей',
          ru: 'Угрозы отобрать детей',
          en: 'Threats to take away children',
        },
      },
      {
        code: 'mock-execution',
        parent: 'psychological',
        labels: { be: 'Імітацыя расстрэлу', ru: 'Имитация расстрела', en: 'Mock execution' },
      },
      { code: 'humiliation', parent: 'psychological', labels: { be: 'Прыніжэнне', ru: 'Унижение', en: 'Humiliation' } },
      {
        code: 'forced-singing-or-chanting',
        parent: 'psychological',
        labels: {
          be: 'Прымус спяваць гімн або выкрыкваць лозунгі',
          ru: 'Принуждение петь гимн или выкрикивать лозунги',
          en: 'Forced singing or chanting',
        },
      },
      {
        code: 'verbal-abuse',
        parent: 'psychological',
        labels: { be: 'Абразы і лаянка', ru: 'Оскорбления и брань', en: 'Verbal abuse' },
      },
      {
        code: 'discriminatory-marking',
        parent: 'psychological',
        labels: {
          be: 'Маркіроўка палітвязняў (жоўтыя біркі, фарба)',
          ru: 'Маркировка политзаключённых (жёлтые бирки, краска)',
          en: 'Marking of political prisoners (yellow tags, paint)',
        },
      },
      {
        code: 'pharmacological',
        labels: { be: 'Фармакалагічныя катаванні', ru: 'Фармакологические пытки', en: 'Pharmacological torture' },
      },
      {
        code: 'forced-medication',
        parent: 'pharmacological',
        labels: {
          be: 'Прымусовае ўвядзенне прэпаратаў',
          ru: 'Принудительное введение препаратов',
          en: 'Forced administration of drugs',
        },
      },
    ],
  },
  // Follows the HURIDOCS micro-thesaurus "Victim characteristics / status" as used in the Events
  // format, with the statuses Viasna tracks for political prisoners.
  {
    name: 'victim-statuses',
    labels: { be: 'Статусы пацярпелых', ru: 'Статусы пострадавших', en: 'Victim statuses' },
    description: 'The current or last known status of a victim, after the HURIDOCS victim status terms and Viasna political prisoner tracking.',
    terms: [
      { code: 'released', labels: { be: 'На волі', ru: 'На свободе', en: 'Released' } },
      { code: 'detained', labels: { be: 'Пад вартай', ru: 'Под стражей', en: 'Detained' } },
      {
        code: 'serving-sentence',
        parent: 'detained',
        labels: { be: 'Адбывае пакаранне', ru: 'Отбывает наказание', en: 'Serving a sentence' },
      },
      { code: 'injured', labels: { be: 'Паранены', ru: 'Ранен', en: 'Injured' } },
      { code: 'hospitalised', labels: { be: 'Шпіталізаваны', ru: 'Госпитализирован', en: 'Hospitalised' } },
      { code: 'dead', labels: { be: 'Загінуў', ru: 'Погиб', en: 'Dead' } },
      { code: 'disappeared', labels: { be: 'Зніклы', ru: 'Пропал без вести', en: 'Disappeared' } },
      { code: 'in-exile', labels: { be: 'У выгнанні', ru: 'В изгнании', en: 'In exile' } },
      { code: 'unknown', labels: { be: 'Невядома', ru: 'Неизвестно', en: 'Unknown' } },
    ],
  },
  // Follows the HURIDOCS micro-thesaurus "Degrees of involvement", read against the modes of
  // liability of the Rome Statute (arts. 25 and 28).
  {
    name: 'involvement-degrees',
    labels: { be: 'Ступені ўдзелу', ru: 'Степени участия', en: 'Involvement degrees' },
    description: 'How a perpetrator took part in an act, after the HURIDOCS degrees of involvement and the Rome Statute modes of liability.',
    terms: [
      {
        code: 'carried-out',
        labels: { be: 'Непасрэдна выканаў', ru: 'Непосредственно совершил', en: 'Carried out' },
      },
      { code: 'ordered', labels: { be: 'Загадаў', ru: 'Приказал', en: 'Ordered' } },
      { code: 'planned', labels: { be: 'Планаваў', ru: 'Планировал', en: 'Planned' } },
      {
        code: 'present',
        labels: { be: 'Прысутнічаў на месцы', ru: 'Присутствовал на месте', en: 'Present' },
      },
      { code: 'aided', labels: { be: 'Пасобнічаў', ru: 'Пособничал', en: 'Aided or abetted' } },
      {
        code: 'failed-to-prevent',
        labels: { be: 'Не прадухіліў', ru: 'Не предотвратил', en: 'Failed to prevent' },
      },
      { code: 'covered-up', labels: { be: 'Схаваў парушэнне', ru: 'Скрыл нарушение', en: 'Covered up' } },
    ],
  },
  // Follows the Berkeley Protocol on Digital Open Source Investigations (2022) and the evidentiary
  // grounds the UN OHCHR Belarus examination relied on for attributing acts to units and people.
  {
    name: 'identification-bases',
    labels: { be: 'Падставы ідэнтыфікацыі', ru: 'Основания идентификации', en: 'Identification bases' },
    description: 'The evidence on which a perpetrator or unit was identified, after the Berkeley Protocol and UN OHCHR attribution practice.',
    terms: [
      {
        code: 'seen-by-victim',
        labels: { be: 'Апазнанне пацярпелым', ru: 'Опознание пострадавшим', en: 'Seen by the victim' },
      },
      {
        code: 'seen-by-witness',
        labels: { be: 'Апазнанне сведкам', ru: 'Опознание свидетелем', en: 'Seen by a witness' },
      },
      { code: 'badge-or-number', labels: { be: 'Жэтон або нумар', ru: 'Жетон или номер', en: 'Badge or number' } },
      {
        code: 'uniform-insignia',
        labels: { be: 'Форма і знакі адрознення', ru: 'Форма и знаки различия', en: 'Uniform insignia' },
      },
      { code: 'voice', labels: { be: 'Голас', ru: 'Голос', en: 'Voice' } },
      {
        code: 'leaked-document',
        labels: { be: 'Дакумент з уцечкі', ru: 'Документ из утечки', en: 'Leaked document' },
      },
      {
        code: 'leaked-recording',
        labels: { be: 'Запіс з уцечкі', ru: 'Запись из утечки', en: 'Leaked recording' },
      },
      { code: 'photograph', labels: { be: 'Фотаздымак', ru: 'Фотография', en: 'Photograph' } },
      { code: 'video-footage', labels: { be: 'Відэазапіс', ru: 'Видеозапись', en: 'Video footage' } },
      {
        code: 'open-source-research',
        labels: {
          be: 'Даследаванне адкрытых крыніц (OSINT)',
          ru: 'Исследование открытых источников (OSINT)',
          en: 'Open-source research',
        },
      },
      {
        code: 'official-statement',
        labels: { be: 'Афіцыйная заява', ru: 'Официальное заявление', en: 'Official statement' },
      },
      { code: 'court-record', labels: { be: 'Судовыя матэрыялы', ru: 'Судебные материалы', en: 'Court record' } },
    ],
  },
  // Follows the body diagrams of the Istanbul Protocol (2022), annex III, grouped by anatomical
  // region so that injuries can be recorded coarsely or precisely.
  {
    name: 'body-regions',
    labels: { be: 'Часткі цела', ru: 'Части тела', en: 'Body regions' },
    description: 'Regions of the body where an injury or blow was located, after the Istanbul Protocol (2022) anatomical diagrams.',
    terms: [
      { code: 'head', labels: { be: 'Галава', ru: 'Голова', en: 'Head' } },
      { code: 'face', parent: 'head', labels: { be: 'Твар', ru: 'Лицо', en: 'Face' } },
      { code: 'eyes', parent: 'head', labels: { be: 'Вочы', ru: 'Глаза', en: 'Eyes' } },
      { code: 'ears', parent: 'head', labels: { be: 'Вушы', ru: 'Уши', en: 'Ears' } },
      { code: 'mouth-teeth', parent: 'head', labels: { be: 'Рот і зубы', ru: 'Рот и зубы', en: 'Mouth and teeth' } },
      { code: 'neck', labels: { be: 'Шыя', ru: 'Шея', en: 'Neck' } },
      { code: 'trunk', labels: { be: 'Тулава', ru: 'Туловище', en: 'Trunk' } },
      { code: 'chest', parent: 'trunk', labels: { be: 'Грудзі', ru: 'Грудь', en: 'Chest' } },
      { code: 'back', parent: 'trunk', labels: { be: 'Спіна', ru: 'Спина', en: 'Back' } },
      { code: 'kidney-area', parent: 'trunk', labels: { be: 'Вобласць нырак', ru: 'Область почек', en: 'Kidney area' } },
      { code: 'abdomen', parent: 'trunk', labels: { be: 'Жывот', ru: 'Живот', en: 'Abdomen' } },
      { code: 'buttocks', parent: 'trunk', labels: { be: 'Ягадзіцы', ru: 'Ягодицы', en: 'Buttocks' } },
      { code: 'genitals', parent: 'trunk', labels: { be: 'Палавыя органы', ru: 'Половые органы', en: 'Genitals' } },
      {
        code: 'upper-limbs',
        labels: { be: 'Верхнія канечнасці', ru: 'Верхние конечности', en: 'Upper limbs' },
      },
      { code: 'arms', parent: 'upper-limbs', labels: { be: 'Рукі', ru: 'Руки', en: 'Arms' } },
      {
        code: 'hands-wrists',
        parent: 'upper-limbs',
        labels: { be: 'Кісці і запясці', ru: 'Кисти и запястья', en: 'Hands and wrists' },
      },
      {
        code: 'lower-limbs',
        labels: { be: 'Ніжнія канечнасці', ru: 'Нижние конечности', en: 'Lower limbs' },
      },
      { code: 'thighs', parent: 'lower-limbs', labels: { be: 'Бёдры', ru: 'Бёдра', en: 'Thighs' } },
      { code: 'knees', parent: 'lower-limbs', labels: { be: 'Калені', ru: 'Колени', en: 'Knees' } },
      { code: 'shins', parent: 'lower-limbs', labels: { be: 'Галёнкі', ru: 'Голени', en: 'Shins' } },
      {
        code: 'feet-soles',
        parent: 'lower-limbs',
        labels: { be: 'Ступні і падэшвы', ru: 'Ступни и подошвы', en: 'Feet and soles' },
      },
      { code: 'whole-body', labels: { be: 'Усё цела', ru: 'Всё тело', en: 'Whole body' } },
    ],
  },
  // Follows the Istanbul Protocol (2022), chapter V, "Physical evidence of torture": the lesions
  // it describes, plus the injuries characteristic of crowd-control weapons used in August 2020.
  {
    name: 'injury-kinds',
    labels: { be: 'Віды пашкоджанняў', ru: 'Виды повреждений', en: 'Injury kinds' },
    description: 'Kinds of physical and psychological injury, after the Istanbul Protocol (2022) description of physical and psychological evidence.',
    terms: [
      { code: 'bruise', labels: { be: 'Кровападцёк (сіняк)', ru: 'Кровоподтёк (синяк)', en: 'Bruise' } },
      {
        code: 'tramline-bruises',
        parent: 'bruise',
        labels: {
          be: 'Двухпалосныя кровападцёкі (ад дубінкі)',
          ru: 'Двухполосные кровоподтёки (от дубинки)',
          en: 'Tramline bruises (from a baton)',
        },
      },
      { code: 'haematoma', labels: { be: 'Гематома', ru: 'Гематома', en: 'Haematoma' } },
      { code: 'abrasion', labels: { be: 'Садна', ru: 'Ссадина', en: 'Abrasion' } },
      { code: 'laceration', labels: { be: 'Рваная рана', ru: 'Рваная рана', en: 'Laceration' } },
      {
        code: 'patterned-injury',
        labels: {
          be: 'Пашкоджанне з адбіткам прадмета',
          ru: 'Повреждение с отпечатком предмета',
          en: 'Patterned injury',
        },
      },
      { code: 'fracture', labels: { be: 'Пералом', ru: 'Перелом', en: 'Fracture' } },
      { code: 'burn', labels: { be: 'Апёк', ru: 'Ожог', en: 'Burn' } },
      {
        code: 'electrical-burn',
        parent: 'burn',
        labels: { be: 'Электрычны апёк', ru: 'Электроожог', en: 'Electrical burn' },
      },
      {
        code: 'rubber-bullet-wound',
        labels: { be: 'Раненне гумовай куляй', ru: 'Ранение резиновой пулей', en: 'Rubber-bullet wound' },
      },
      {
        code: 'blast-injury',
        labels: {
          be: 'Выбуховая траўма (ад святлошумавой гранаты)',
          ru: 'Взрывная травма (от светошумовой гранаты)',
          en: 'Blast injury (from a stun grenade)',
        },
      },
      {
        code: 'gunshot-wound',
        labels: { be: 'Агнястрэльнае раненне', ru: 'Огнестрельное ранение', en: 'Gunshot wound' },
      },
      {
        code: 'head-injury-concussion',
        labels: {
          be: 'Чэрапна-мазгавая траўма, страсенне мозгу',
          ru: 'Черепно-мозговая травма, сотрясение мозга',
          en: 'Head injury or concussion',
        },
      },
      {
        code: 'loss-of-consciousness',
        labels: { be: 'Страта прытомнасці', ru: 'Потеря сознания', en: 'Loss of consciousness' },
      },
      { code: 'dental-injury', labels: { be: 'Пашкоджанне зубоў', ru: 'Повреждение зубов', en: 'Dental injury' } },
      {
        code: 'handcuff-injury',
        labels: {
          be: 'Траўма ад кайданкоў або сцяжак',
          ru: 'Травма от наручников или стяжек',
          en: 'Handcuff or restraint injury',
        },
      },
      {
        code: 'psychological-trauma',
        labels: { be: 'Псіхалагічная траўма', ru: 'Психологическая травма', en: 'Psychological trauma' },
      },
    ],
  },
];
