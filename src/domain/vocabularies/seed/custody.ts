import type { VocabularySeed } from '../vocabulary.js';

/**
 * Vocabularies about custody: conditions of detention, how people leave custody, and the kinds of
 * facility in which they are held.
 */
export const CUSTODY_VOCABULARIES: VocabularySeed[] = [
  // Follows the UN Standard Minimum Rules for the Treatment of Prisoners (Nelson Mandela Rules) and
  // the conditions Viasna records from people released from Akrestsin Street and other facilities.
  {
    name: 'detention-conditions',
    labels: { be: 'Умовы ўтрымання', ru: 'Условия содержания', en: 'Detention conditions' },
    description: 'Conditions of detention that fall short of the Nelson Mandela Rules, as reported by people held in Belarusian facilities.',
    terms: [
      { code: 'overcrowding', labels: { be: 'Перапоўненасць камеры', ru: 'Переполненность камеры', en: 'Overcrowding' } },
      {
        code: 'no-beds',
        labels: {
          be: 'Адсутнасць спальных месцаў (сон на падлозе)',
          ru: 'Отсутствие спальных мест (сон на полу)',
          en: 'No beds (sleeping on the floor)',
        },
      },
      {
        code: 'no-bedding',
        labels: {
          be: 'Без матраца і пасцельнай бялізны',
          ru: 'Без матраса и постельного белья',
          en: 'No mattress or bedding',
        },
      },
      { code: 'cold', labels: { be: 'Холад у камеры', ru: 'Холод в камере', en: 'Cold' } },
      { code: 'heat', labels: { be: 'Спёка і духата', ru: 'Жара и духота', en: 'Heat and stuffiness' } },
      {
        code: 'no-ventilation',
        labels: { be: 'Адсутнасць вентыляцыі', ru: 'Отсутствие вентиляции', en: 'No ventilation' },
      },
      {
        code: 'lights-at-night',
        labels: { be: 'Асвятленне ўначы', ru: 'Освещение ночью', en: 'Lights on at night' },
      },
      {
        code: 'sleep-prevention',
        labels: {
          be: 'Начныя пабудкі (перашкаджанне сну)',
          ru: 'Ночные побудки (лишение сна)',
          en: 'Sleep prevention (night-time wake-ups)',
        },
      },
      {
        code: 'no-food',
        labels: { be: 'Адсутнасць або недахоп ежы', ru: 'Отсутствие или нехватка еды', en: 'No or insufficient food' },
      },
      {
        code: 'no-water',
        labels: { be: 'Адсутнасць пітной вады', ru: 'Отсутствие питьевой воды', en: 'No drinking water' },
      },
      {
        code: 'no-toilet',
        labels: {
          be: 'Адсутнасць туалета або адкрыты туалет',
          ru: 'Отсутствие туалета или открытый туалет',
          en: 'No toilet or open toilet',
        },
      },
      {
        code: 'no-hygiene-products',
        labels: { be: 'Адсутнасць сродкаў гігіены', ru: 'Отсутствие средств гигиены', en: 'No hygiene products' },
      },
      {
        code: 'bleach-on-floor',
        labels: { be: 'Хлорка на падлозе', ru: 'Хлорка на полу', en: 'Bleach poured on the floor' },
      },
      {
        code: 'no-medical-care',
        labels: { be: 'Адсутнасць медыцынскай дапамогі', ru: 'Отсутствие медицинской помощи', en: 'No medical care' },
      },
      { code: 'no-walks', labels: { be: 'Адсутнасць прагулак', ru: 'Отсутствие прогулок', en: 'No outdoor exercise' } },
      {
        code: 'no-family-contact',
        labels: { be: 'Адсутнасць сувязі з сям’ёй', ru: 'Отсутствие связи с семьёй', en: 'No contact with family' },
      },
      {
        code: 'no-parcels',
        labels: { be: 'Адмова ў перадачах', ru: 'Отказ в передачах', en: 'Parcels refused' },
      },
      {
        code: 'no-lawyer',
        labels: { be: 'Адсутнасць доступу да адваката', ru: 'Отсутствие доступа к адвокату', en: 'No access to a lawyer' },
      },
      {
        code: 'no-correspondence',
        labels: {
          be: 'Забарона або блакаванне перапіскі',
          ru: 'Запрет или блокирование переписки',
          en: 'No correspondence',
        },
      },
      {
        code: 'solitary-confinement',
        labels: { be: 'Адзіночнае ўтрыманне', ru: 'Одиночное содержание', en: 'Solitary confinement' },
      },
      {
        code: 'punishment-cell',
        labels: {
          be: 'Штрафны ізалятар (ШІЗА) або ПКТ',
          ru: 'Штрафной изолятор (ШИЗО) или ПКТ',
          en: 'Punishment cell (SHIZO or PKT)',
        },
      },
    ],
  },
  // Follows the grounds for release in the Belarusian Criminal Procedure Code, Criminal Code and
  // Code of Administrative Offences, as Viasna records them for political prisoners.
  {
    name: 'release-reasons',
    labels: { be: 'Падставы вызвалення', ru: 'Основания освобождения', en: 'Release reasons' },
    description: 'Why a person left custody, after the grounds for release in Belarusian criminal and administrative law.',
    terms: [
      {
        code: 'end-of-term',
        labels: {
          be: 'Заканчэнне тэрміну адміністрацыйнага арышту',
          ru: 'Окончание срока административного ареста',
          en: 'End of administrative arrest term',
        },
      },
      {
        code: 'fine-paid',
        labels: {
          be: 'Вызваленне пасля выплаты штрафу',
          ru: 'Освобождение после уплаты штрафа',
          en: 'Fine paid',
        },
      },
      {
        code: 'released-under-obligation',
        labels: {
          be: 'Вызваленне пад абавязацельства аб яўцы',
          ru: 'Освобождение под обязательство о явке',
          en: 'Released under obligation to appear',
        },
      },
      {
        code: 'change-of-preventive-measure',
        labels: {
          be: 'Змяненне меры стрымання (хатні арышт)',
          ru: 'Изменение меры пресечения (домашний арест)',
          en: 'Change of preventive measure (house arrest)',
        },
      },
      {
        code: 'charges-dropped',
        labels: {
          be: 'Спыненне пераследу (справы)',
          ru: 'Прекращение преследования (дела)',
          en: 'Charges dropped',
        },
      },
      { code: 'acquittal', labels: { be: 'Апраўдальны прысуд', ru: 'Оправдательный приговор', en: 'Acquittal' } },
      {
        code: 'sentence-served',
        labels: { be: 'Поўнае адбыццё пакарання', ru: 'Полное отбытие наказания', en: 'Sentence served' },
      },
      {
        code: 'parole',
        labels: {
          be: 'Умоўна-датэрміновае вызваленне',
          ru: 'Условно-досрочное освобождение',
          en: 'Parole (early conditional release)',
        },
      },
      { code: 'pardon', labels: { be: 'Памілаванне', ru: 'Помилование', en: 'Pardon' } },
      { code: 'amnesty', labels: { be: 'Амністыя', ru: 'Амнистия', en: 'Amnesty' } },
      {
        code: 'release-with-expulsion',
        labels: {
          be: 'Вызваленне з высылкай з краіны',
          ru: 'Освобождение с высылкой из страны',
          en: 'Release with expulsion from the country',
        },
      },
      {
        code: 'medical-reasons',
        labels: { be: 'Па стане здароўя', ru: 'По состоянию здоровья', en: 'Medical reasons' },
      },
      {
        code: 'transfer',
        labels: {
          be: 'Этапаванне ў іншую ўстанову',
          ru: 'Этапирование в другое учреждение',
          en: 'Transfer to another facility',
        },
      },
      { code: 'unknown', labels: { be: 'Невядома', ru: 'Неизвестно', en: 'Unknown' } },
    ],
  },
  // Follows the system of places of detention of the Belarusian Ministry of Internal Affairs and KGB
  // (Penal Enforcement Code; Law on the procedure and conditions of detention), with the ad hoc
  // sites documented by Viasna in August 2020.
  {
    name: 'facility-kinds',
    labels: { be: 'Тыпы месцаў зняволення', ru: 'Типы мест заключения', en: 'Facility kinds' },
    description: 'Kinds of facility in which people are held, after the Belarusian system of places of detention and imprisonment.',
    terms: [
      {
        code: 'police-department',
        labels: {
          be: 'Раённае ўпраўленне ўнутраных спраў (РУУС)',
          ru: 'Районное управление внутренних дел (РУВД)',
          en: 'District police department (RUVD)',
        },
      },
      {
        code: 'offender-isolation-centre',
        labels: {
          be: 'Цэнтр ізаляцыі правапарушальнікаў (ЦІП)',
          ru: 'Центр изоляции правонарушителей (ЦИП)',
          en: 'Offender isolation centre (TsIP)',
        },
      },
      {
        code: 'temporary-detention-centre',
        labels: {
          be: 'Ізалятар часовага ўтрымання (ІЧУ)',
          ru: 'Изолятор временного содержания (ИВС)',
          en: 'Temporary detention centre (IVS)',
        },
      },
      {
        code: 'remand-prison',
        labels: { be: 'Следчы ізалятар (СІЗА)', ru: 'Следственный изолятор (СИЗО)', en: 'Remand prison (SIZO)' },
      },
      {
        code: 'kgb-remand-prison',
        parent: 'remand-prison',
        labels: {
          be: 'СІЗА КДБ («амерыканка»)',
          ru: 'СИЗО КГБ («американка»)',
          en: 'KGB remand prison ("Amerikanka")',
        },
      },
      { code: 'penal-colony', labels: { be: 'Папраўчая калонія', ru: 'Исправительная колония', en: 'Penal colony' } },
      {
        code: 'juvenile-colony',
        parent: 'penal-colony',
        labels: { be: 'Выхаваўчая калонія', ru: 'Воспитательная колония', en: 'Juvenile correctional colony' },
      },
      { code: 'prison', labels: { be: 'Турма', ru: 'Тюрьма', en: 'Prison' } },
      {
        code: 'open-type-correctional-facility',
        labels: {
          be: 'Папраўчая ўстанова адкрытага тыпу («хімія»)',
          ru: 'Исправительное учреждение открытого типа («химия»)',
          en: 'Open-type correctional facility ("khimiya")',
        },
      },
      {
        code: 'treatment-labour-centre',
        labels: {
          be: 'Лячэбна-працоўны прафілакторый (ЛПП)',
          ru: 'Лечебно-трудовой профилакторий (ЛТП)',
          en: 'Treatment and labour centre (LTP)',
        },
      },
      {
        code: 'psychiatric-hospital',
        labels: { be: 'Псіхіятрычная бальніца', ru: 'Психиатрическая больница', en: 'Psychiatric hospital' },
      },
      {
        code: 'ad-hoc-holding-site',
        labels: {
          be: 'Імправізаванае месца ўтрымання (двор, спартзала, аўтазак)',
          ru: 'Импровизированное место содержания (двор, спортзал, автозак)',
          en: 'Ad hoc holding site (yard, gym, prison van)',
        },
      },
    ],
  },
];
