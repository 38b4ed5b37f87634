import type { VocabularySeed } from '../vocabulary.js';

/**
 * Vocabularies for legal qualification: the frameworks applied, the crimes, their elements and the
 * modes of individual liability.
 */
export const LAW_VOCABULARIES: VocabularySeed[] = [
  // Reference: the instruments themselves (Rome Statute 1998, UNCAT 1984, ICCPR 1966, ECHR 1950),
  // the Criminal Code of Belarus and national universal-jurisdiction statutes (e.g. Lithuania, Poland).
  {
    name: 'legal-frameworks',
    labels: { be: 'Прававыя рамкі', ru: 'Правовые рамки', en: 'Legal frameworks' },
    description: 'The body of law under which facts are qualified, international or national.',
    terms: [
      {
        code: 'rome-statute',
        labels: {
          be: 'Рымскі статут Міжнароднага крымінальнага суда',
          ru: 'Римский статут Международного уголовного суда',
          en: 'Rome Statute of the International Criminal Court',
        },
      },
      {
        code: 'uncat',
        labels: {
          be: 'Канвенцыя ААН супраць катаванняў',
          ru: 'Конвенция ООН против пыток',
          en: 'UN Convention against Torture',
        },
      },
      {
        code: 'iccpr',
        labels: {
          be: 'Міжнародны пакт аб грамадзянскіх і палітычных правах',
          ru: 'Международный пакт о гражданских и политических правах',
          en: 'International Covenant on Civil and Political Rights',
        },
      },
      {
        code: 'echr',
        labels: {
          be: 'Еўрапейская канвенцыя аб правах чалавека',
          ru: 'Европейская конвенция о защите прав человека',
          en: 'European Convention on Human Rights',
        },
      },
      {
        code: 'belarus-criminal-code',
        labels: {
          be: 'Крымінальны кодэкс Рэспублікі Беларусь',
          ru: 'Уголовный кодекс Республики Беларусь',
          en: 'Criminal Code of the Republic of Belarus',
        },
      },
      {
        code: 'universal-jurisdiction-national-law',
        labels: {
          be: 'Нацыянальнае права аб універсальнай юрысдыкцыі',
          ru: 'Национальное право об универсальной юрисдикции',
          en: 'National law on universal jurisdiction',
        },
      },
    ],
  },
  // Reference: Rome Statute art. 7(1) (official Russian text for ru) and UNCAT arts. 1 and 16.
  {
    name: 'crimes',
    labels: { be: 'Злачынствы', ru: 'Преступления', en: 'Crimes' },
    description: 'International crimes and violations that facts may amount to, under the Rome Statute and the Convention against Torture.',
    terms: [
      {
        code: 'crimes-against-humanity',
        labels: {
          be: 'Злачынствы супраць чалавечнасці (арт. 7 Рымскага статута)',
          ru: 'Преступления против человечности (ст. 7 Римского статута)',
          en: 'Crimes against humanity (Rome Statute art. 7)',
        },
      },
      {
        code: 'rs-7-1-a',
        parent: 'crimes-against-humanity',
        labels: { be: 'Забойства', ru: 'Убийство', en: 'Murder (art. 7(1)(a))' },
      },
      {
        code: 'rs-7-1-b',
        parent: 'crimes-against-humanity',
        labels: { be: 'Вынішчэнне', ru: 'Истребление', en: 'Extermination (art. 7(1)(b))' },
      },
      {
        code: 'rs-7-1-c',
        parent: 'crimes-against-humanity',
        labels: { be: 'Паняволенне', ru: 'Порабощение', en: 'Enslavement (art. 7(1)(c))' },
      },
      {
        code: 'rs-7-1-d',
        parent: 'crimes-against-humanity',
        labels: {
          be: 'Дэпартацыя або прымусовае перамяшчэнне насельніцтва',
          ru: 'Депортация или насильственное перемещение населения',
          en: 'Deportation or forcible transfer of population (art. 7(1)(d))',
        },
      },
      {
        code: 'rs-7-1-e',
        parent: 'crimes-against-humanity',
        labels: {
          be: 'Зняволенне або іншае жорсткае пазбаўленне фізічнай свабоды',
          ru: 'Заключение в тюрьму или другое жестокое лишение физической свободы',
          en: 'Imprisonment or other severe deprivation of physical liberty (art. 7(1)(e))',
        },
      },
      {
        code: 'rs-7-1-f',
        parent: 'crimes-against-humanity',
        labels: { be: 'Катаванні', ru: 'Пытки', en: 'Torture (art. 7(1)(f))' },
      },
      {
        code: 'rs-7-1-g',
        parent: 'crimes-against-humanity',
        labels: {
          be: 'Згвалтаванне і іншыя формы сэксуальнага гвалту супастаўнай цяжкасці',
          ru: 'Изнасилование и другие формы сексуального насилия сопоставимой тяжести',
          en: 'Rape and other forms of sexual violence of comparable gravity (art. 7(1)(g))',
        },
      },
      {
        code: 'rs-7-1-h',
        parent: 'crimes-against-humanity',
        labels: {
          be: 'Пераслед ідэнтыфікаванай групы або супольнасці (у тым ліку па палітычных матывах)',
          ru: 'Преследование идентифицируемой группы или общности (в том числе по политическим мотивам)',
          en: 'Persecution of an identifiable group or collectivity, including on political grounds (art. 7(1)(h))',
        },
      },
      {
        code: 'rs-7-1-i',
        parent: 'crimes-against-humanity',
        labels: {
          be: 'Гвалтоўнае знікненне людзей',
          ru: 'Насильственное исчезновение людей',
          en: 'Enforced disappearance of persons (art. 7(1)(i))',
        },
      },
      {
        code: 'rs-7-1-j',
        parent: 'crimes-against-humanity',
        labels: { be: 'Апартэід', ru: 'Апартеид', en: 'Apartheid (art. 7(1)(j))' },
      },
      {
        code: 'rs-7-1-k',
        parent: 'crimes-against-humanity',
        labels: {
          be: 'Іншыя бесчалавечныя дзеянні аналагічнага характару',
          ru: 'Другие бесчеловечные деяния аналогичного характера',
          en: 'Other inhumane acts of a similar character (art. 7(1)(k))',
        },
      },
      {
        code: 'cat-art-1-torture',
        labels: {
          be: 'Катаванне (арт. 1 Канвенцыі супраць катаванняў)',
          ru: 'Пытка (ст. 1 Конвенции против пыток)',
          en: 'Torture (CAT art. 1)',
        },
      },
      {
        code: 'cat-art-16-cidt',
        labels: {
          be: 'Жорсткае, бесчалавечнае або зневажальнае абыходжанне (арт. 16 Канвенцыі супраць катаванняў)',
          ru: 'Жестокое, бесчеловечное или унижающее достоинство обращение (ст. 16 Конвенции против пыток)',
          en: 'Cruel, inhuman or degrading treatment or punishment (CAT art. 16)',
        },
      },
    ],
  },
  // Reference: ICC Elements of Crimes (2011 edition), art. 7 introduction and the elements of
  // art. 7(1)(e), (f), (h), (i) and (k); UNCAT art. 1 for the torture definition outside the Statute.
  // Each element of art. 7 crimes is paired with the contextual elements under rs-7-context.
  {
    name: 'crime-elements',
    labels: { be: 'Элементы злачынстваў', ru: 'Элементы преступлений', en: 'Crime elements' },
    description: 'The elements that must be proven for each crime, paraphrased from the ICC Elements of Crimes and UNCAT art. 1.',
    terms: [
      {
        code: 'rs-7-context',
        labels: {
          be: 'Кантэкстуальныя элементы злачынстваў супраць чалавечнасці (арт. 7)',
          ru: 'Контекстуальные элементы преступлений против человечности (ст. 7)',
          en: 'Contextual elements of crimes against humanity (art. 7)',
        },
      },
      {
        code: 'rs-7-context-attack',
        parent: 'rs-7-context',
        labels: {
          be: 'Дзеянне ўчынена ў рамках шырокамаштабнага або сістэматычнага нападу, накіраванага супраць грамадзянскага насельніцтва',
          ru: 'Деяние совершено в рамках широкомасштабного или систематического нападения, направленного против гражданского населения',
          en: 'Art. 7 context: the conduct was committed as part of a widespread or systematic attack directed against a civilian population',
        },
      },
      {
        code: 'rs-7-context-knowledge',
        parent: 'rs-7-context',
        labels: {
          be: 'Выканаўца ведаў, што дзеянне з’яўляецца часткай такога нападу, або меў намер, каб яно было яго часткай',
          ru: 'Исполнитель знал, что деяние является частью такого нападения, или намеревался сделать его частью такого нападения',
          en: 'Art. 7 context: the perpetrator knew that the conduct was part of, or intended it to be part of, such an attack',
        },
      },
      {
        code: 'rs-7-context-policy',
        parent: 'rs-7-context',
        labels: {
          be: 'Напад ажыццяўляўся ў мэтах правядзення палітыкі дзяржавы або арганізацыі ці ў падтрымку такой палітыкі',
          ru: 'Нападение осуществлялось в целях проведения политики государства или организации либо в поддержку такой политики',
          en: 'Art. 7(2)(a) context: the attack was pursuant to or in furtherance of a State or organisational policy',
        },
      },
      {
        code: 'rs-7-1-e',
        labels: {
          be: 'Зняволенне або іншае жорсткае пазбаўленне фізічнай свабоды (арт. 7(1)(e)): элементы',
          ru: 'Заключение в тюрьму или другое жестокое лишение физической свободы (ст. 7(1)(e)): элементы',
          en: 'Imprisonment or other severe deprivation of physical liberty (art. 7(1)(e)): elements',
        },
      },
      {
        code: 'rs-7-1-e-1',
        parent: 'rs-7-1-e',
        labels: {
          be: 'Выканаўца зняволіў адну або некалькі асоб ці іншым чынам жорстка пазбавіў іх фізічнай свабоды',
          ru: 'Исполнитель заключил в тюрьму одно или несколько лиц или иным образом жестоко лишил их физической свободы',
          en: 'Art. 7(1)(e), element 1: the perpetrator imprisoned one or more persons or otherwise severely deprived them of physical liberty',
        },
      },
      {
        code: 'rs-7-1-e-2',
        parent: 'rs-7-1-e',
        labels: {
          be: 'Цяжкасць дзеяння была такой, што яно парушала асноватворныя нормы міжнароднага права',
          ru: 'Тяжесть деяния была такова, что оно нарушало основополагающие нормы международного права',
          en: 'Art. 7(1)(e), element 2: the gravity of the conduct was such that it violated fundamental rules of international law',
        },
      },
      {
        code: 'rs-7-1-e-3',
        parent: 'rs-7-1-e',
        labels: {
          be: 'Выканаўца ведаў пра фактычныя абставіны, якія вызначаюць цяжкасць дзеяння',
          ru: 'Исполнитель знал о фактических обстоятельствах, определяющих тяжесть деяния',
          en: 'Art. 7(1)(e), element 3: the perpetrator was aware of the factual circumstances that established the gravity of the conduct',
        },
      },
      {
        code: 'rs-7-1-f',
        labels: {
          be: 'Катаванні (арт. 7(1)(f)): элементы',
          ru: 'Пытки (ст. 7(1)(f)): элементы',
          en: 'Torture (art. 7(1)(f)): elements',
        },
      },
      {
        code: 'rs-7-1-f-1',
        parent: 'rs-7-1-f',
        labels: {
          be: 'Выканаўца прычыніў моцны фізічны або псіхічны боль ці пакуты адной або некалькім асобам',
          ru: 'Исполнитель причинил сильную физическую или психическую боль или страдания одному или нескольким лицам',
          en: 'Art. 7(1)(f), element 1: the perpetrator inflicted severe physical or mental pain or suffering upon one or more persons',
        },
      },
      {
        code: 'rs-7-1-f-2',
        parent: 'rs-7-1-f',
        labels: {
          be: 'Гэтыя асобы знаходзіліся пад вартай або пад кантролем выканаўцы',
          ru: 'Эти лица находились под стражей или под контролем исполнителя',
          en: 'Art. 7(1)(f), element 2: such person or persons were in the custody or under the control of the perpetrator',
        },
      },
      {
        code: 'rs-7-1-f-3',
        parent: 'rs-7-1-f',
        labels: {
          be: 'Боль або пакуты не вынікалі толькі з законных санкцый і не былі іх неад’емнай або выпадковай часткай',
          ru: 'Боль или страдания не были вызваны только законными санкциями и не являлись их неотъемлемой или случайной частью',
          en: 'Art. 7(1)(f), element 3: the pain or suffering did not arise only from, and was not inherent in or incidental to, lawful sanctions',
        },
      },
      {
        code: 'rs-7-1-h',
        labels: {
          be: 'Пераслед (арт. 7(1)(h)): элементы',
          ru: 'Преследование (ст. 7(1)(h)): элементы',
          en: 'Persecution (art. 7(1)(h)): elements',
        },
      },
      {
        code: 'rs-7-1-h-1',
        parent: 'rs-7-1-h',
        labels: {
          be: 'Выканаўца ў парушэнне міжнароднага права жорстка пазбавіў адну або некалькі асоб асноўных правоў',
          ru: 'Исполнитель в нарушение международного права жестоко лишил одно или несколько лиц основных прав',
          en: 'Art. 7(1)(h), element 1: the perpetrator severely deprived one or more persons of fundamental rights, contrary to international law',
        },
      },
      {
        code: 'rs-7-1-h-2',
        parent: 'rs-7-1-h',
        labels: {
          be: 'Выканаўца абраў гэтых асоб мэтай з прычыны іх прыналежнасці да групы або супольнасці ці абраў мэтай саму групу або супольнасць',
          ru: 'Исполнитель избрал этих лиц целью по признаку принадлежности к группе или общности либо избрал целью группу или общность как таковую',
          en: 'Art. 7(1)(h), element 2: the perpetrator targeted such persons by reason of the identity of a group or collectivity, or targeted the group or collectivity as such',
        },
      },
      {
        code: 'rs-7-1-h-3',
        parent: 'rs-7-1-h',
        labels: {
          be: 'Выбар мэты грунтаваўся на палітычных, расавых, нацыянальных, этнічных, культурных, рэлігійных, гендарных або іншых падставах, паўсюдна прызнаных недапушчальнымі паводле міжнароднага права',
          ru: 'Выбор цели основывался на политических, расовых, национальных, этнических, культурных, религиозных, гендерных или иных мотивах, повсеместно признанных недопустимыми согласно международному праву',
          en: 'Art. 7(1)(h), element 3: the targeting was based on political, racial, national, ethnic, cultural, religious, gender or other grounds universally recognised as impermissible under international law',
        },
      },
      {
        code: 'rs-7-1-h-4',
        parent: 'rs-7-1-h',
        labels: {
          be: 'Дзеянне ўчынена ў сувязі з любым дзеяннем, указаным у арт. 7(1), або любым злачынствам, на якое распаўсюджваецца юрысдыкцыя Суда',
          ru: 'Деяние совершено в связи с любым деянием, указанным в ст. 7(1), или любым преступлением, подпадающим под юрисдикцию Суда',
          en: 'Art. 7(1)(h), element 4: the conduct was committed in connection with any act referred to in art. 7(1) or any crime within the jurisdiction of the Court',
        },
      },
      {
        code: 'rs-7-1-i',
        labels: {
          be: 'Гвалтоўнае знікненне людзей (арт. 7(1)(i)): элементы',
          ru: 'Насильственное исчезновение людей (ст. 7(1)(i)): элементы',
          en: 'Enforced disappearance of persons (art. 7(1)(i)): elements',
        },
      },
      {
        code: 'rs-7-1-i-1',
        parent: 'rs-7-1-i',
        labels: {
          be: 'Выканаўца арыштаваў, затрымаў або выкраў адну або некалькі асоб альбо адмовіўся прызнаць такое пазбаўленне волі ці паведаміць пра іх лёс або месцазнаходжанне',
          ru: 'Исполнитель арестовал, задержал или похитил одно или несколько лиц либо отказался признать такое лишение свободы или сообщить об их судьбе или местонахождении',
          en: 'Art. 7(1)(i), element 1: the perpetrator arrested, detained or abducted one or more persons, or refused to acknowledge the deprivation of freedom or to give information on their fate or whereabouts',
        },
      },
      {
        code: 'rs-7-1-i-2',
        parent: 'rs-7-1-i',
        labels: {
          be: 'За пазбаўленнем волі рушыла або яго суправаджала адмова прызнаць яго ці паведаміць пра лёс або месцазнаходжанне асоб, альбо такой адмове папярэднічала або яе суправаджала пазбаўленне волі',
          ru: 'За лишением свободы последовал или его сопровождал отказ признать его или сообщить о судьбе или местонахождении лиц, либо такому отказу предшествовало или его сопровождало лишение свободы',
          en: 'Art. 7(1)(i), element 2: the deprivation of freedom was followed or accompanied by a refusal to acknowledge it or to give information on the fate or whereabouts of the persons, or the refusal was preceded or accompanied by it',
        },
      },
      {
        code: 'rs-7-1-i-3',
        parent: 'rs-7-1-i',
        labels: {
          be: 'Выканаўца ведаў, што за пазбаўленнем волі пры звычайным ходзе падзей рушыць такая адмова, або што адмове папярэднічала ці яе суправаджала пазбаўленне волі',
          ru: 'Исполнитель знал, что за лишением свободы при обычном ходе событий последует такой отказ, либо что отказу предшествовало или его сопровождало лишение свободы',
          en: 'Art. 7(1)(i), element 3: the perpetrator was aware that the deprivation of freedom would in the ordinary course of events be followed by such a refusal, or that the refusal was preceded or accompanied by it',
        },
      },
      {
        code: 'rs-7-1-i-4',
        parent: 'rs-7-1-i',
        labels: {
          be: 'Арышт, затрыманне або выкраданне ажыццяўляліся дзяржавай або палітычнай арганізацыяй ці з іх дазволу, пры іх падтрымцы або з іх згоды',
          ru: 'Арест, задержание или похищение осуществлялись государством или политической организацией либо с их разрешения, при их поддержке или с их согласия',
          en: 'Art. 7(1)(i), element 4: the arrest, detention or abduction was carried out by, or with the authorisation, support or acquiescence of, a State or political organisation',
        },
      },
      {
        code: 'rs-7-1-i-5',
        parent: 'rs-7-1-i',
        labels: {
          be: 'Адмова прызнаць пазбаўленне волі ці паведаміць пра лёс або месцазнаходжанне асоб ажыццяўлялася гэтай дзяржавай або палітычнай арганізацыяй ці з іх дазволу або пры іх падтрымцы',
          ru: 'Отказ признать лишение свободы или сообщить о судьбе или местонахождении лиц исходил от этого государства или политической организации либо осуществлялся с их разрешения или при их поддержке',
          en: 'Art. 7(1)(i), element 5: the refusal to acknowledge the deprivation of freedom or to give information was carried out by, or with the authorisation or support of, that State or political organisation',
        },
      },
      {
        code: 'rs-7-1-i-6',
        parent: 'rs-7-1-i',
        labels: {
          be: 'Выканаўца меў намер пазбавіць гэтых асоб абароны закона на працяглы перыяд часу',
          ru: 'Исполнитель намеревался лишить этих лиц защиты закона на длительный период времени',
          en: 'Art. 7(1)(i), element 6: the perpetrator intended to remove such persons from the protection of the law for a prolonged period of time',
        },
      },
      {
        code: 'rs-7-1-k',
        labels: {
          be: 'Іншыя бесчалавечныя дзеянні (арт. 7(1)(k)): элементы',
          ru: 'Другие бесчеловечные деяния (ст. 7(1)(k)): элементы',
          en: 'Other inhumane acts (art. 7(1)(k)): elements',
        },
      },
      {
        code: 'rs-7-1-k-1',
        parent: 'rs-7-1-k',
        labels: {
          be: 'Выканаўца бесчалавечным дзеяннем прычыніў вялікія пакуты або сур’ёзныя цялесныя пашкоджанні ці сур’ёзную шкоду псіхічнаму або фізічнаму здароўю',
          ru: 'Исполнитель бесчеловечным деянием причинил сильные страдания или серьёзные телесные повреждения либо серьёзный ущерб психическому или физическому здоровью',
          en: 'Art. 7(1)(k), element 1: the perpetrator inflicted great suffering, or serious injury to body or to mental or physical health, by means of an inhumane act',
        },
      },
      {
        code: 'rs-7-1-k-2',
        parent: 'rs-7-1-k',
        labels: {
          be: 'Дзеянне па сваім характары было падобнае да іншых дзеянняў, указаных у арт. 7(1)',
          ru: 'Деяние по своему характеру было аналогично иным деяниям, указанным в ст. 7(1)',
          en: 'Art. 7(1)(k), element 2: the act was of a character similar to any other act referred to in art. 7(1)',
        },
      },
      {
        code: 'rs-7-1-k-3',
        parent: 'rs-7-1-k',
        labels: {
          be: 'Выканаўца ведаў пра фактычныя абставіны, якія вызначаюць характар дзеяння',
          ru: 'Исполнитель знал о фактических обстоятельствах, определяющих характер деяния',
          en: 'Art. 7(1)(k), element 3: the perpetrator was aware of the factual circumstances that established the character of the act',
        },
      },
      {
        code: 'cat-1',
        labels: {
          be: 'Катаванне паводле арт. 1 Канвенцыі супраць катаванняў: элементы',
          ru: 'Пытка по ст. 1 Конвенции против пыток: элементы',
          en: 'Torture under CAT art. 1: elements',
        },
      },
      {
        code: 'cat-1-1',
        parent: 'cat-1',
        labels: {
          be: 'Прычынены моцны боль або пакуты, фізічныя або псіхічныя',
          ru: 'Причинены сильная боль или страдание, физическое или нравственное',
          en: 'CAT art. 1, element 1: severe pain or suffering, whether physical or mental, was inflicted',
        },
      },
      {
        code: 'cat-1-2',
        parent: 'cat-1',
        labels: {
          be: 'Боль або пакуты прычынены наўмысна',
          ru: 'Боль или страдание причинены умышленно',
          en: 'CAT art. 1, element 2: the pain or suffering was intentionally inflicted',
        },
      },
      {
        code: 'cat-1-3',
        parent: 'cat-1',
        labels: {
          be: 'З мэтай атрымаць звесткі або прызнанне, пакараць, запалохаць або прымусіць, альбо па прычыне, заснаванай на дыскрымінацыі любога характару',
          ru: 'С целью получить сведения или признание, наказать, запугать или принудить либо по любой причине, основанной на дискриминации любого характера',
          en: 'CAT art. 1, element 3: for a purpose such as obtaining information or a confession, punishment, intimidation or coercion, or for any reason based on discrimination',
        },
      },
      {
        code: 'cat-1-4',
        parent: 'cat-1',
        labels: {
          be: 'Прычынены дзяржаўнай службовай асобай або іншай асобай, якая выступае ў афіцыйнай якасці, ці па іх падбухторванні, з іх ведама або маўклівай згоды',
          ru: 'Причинены государственным должностным лицом или иным лицом, выступающим в официальном качестве, либо по их подстрекательству, с их ведома или молчаливого согласия',
          en: 'CAT art. 1, element 4: inflicted by or at the instigation of or with the consent or acquiescence of a public official or other person acting in an official capacity',
        },
      },
    ],
  },
  // Reference: Rome Statute art. 25(3)(a)-(d) (individual criminal responsibility) and art. 28
  // (responsibility of commanders and other superiors).
  {
    name: 'liability-modes',
    labels: { be: 'Формы адказнасці', ru: 'Формы ответственности', en: 'Liability modes' },
    description: 'How a person is linked to a crime for individual criminal responsibility, after Rome Statute arts. 25(3) and 28.',
    terms: [
      {
        code: 'committing',
        labels: {
          be: 'Непасрэднае ўчыненне',
          ru: 'Совершение лично',
          en: 'Committing individually (Rome Statute art. 25(3)(a))',
        },
      },
      {
        code: 'jointly-committing',
        labels: {
          be: 'Сумеснае ўчыненне або ўчыненне праз іншую асобу',
          ru: 'Совершение совместно с другим лицом или через другое лицо',
          en: 'Committing jointly or through another person (Rome Statute art. 25(3)(a))',
        },
      },
      {
        code: 'ordering',
        labels: { be: 'Аддача загаду', ru: 'Отдание приказа', en: 'Ordering (Rome Statute art. 25(3)(b))' },
      },
      {
        code: 'soliciting-inducing',
        labels: {
          be: 'Падбухторванне або схіленне',
          ru: 'Подстрекательство или побуждение',
          en: 'Soliciting or inducing (Rome Statute art. 25(3)(b))',
        },
      },
      {
        code: 'aiding-abetting',
        labels: {
          be: 'Пасобніцтва або іншае садзейнічанне',
          ru: 'Пособничество или иное содействие',
          en: 'Aiding, abetting or otherwise assisting (Rome Statute art. 25(3)(c))',
        },
      },
      {
        code: 'common-purpose',
        labels: {
          be: 'Садзейнічанне групе асоб, якія дзейнічаюць з агульнай мэтай',
          ru: 'Содействие группе лиц, действующих с общей целью',
          en: 'Contributing to a crime by a group acting with a common purpose (Rome Statute art. 25(3)(d))',
        },
      },
      {
        code: 'superior-responsibility',
        labels: {
          be: 'Адказнасць камандзіраў і іншых начальнікаў',
          ru: 'Ответственность командиров и других начальников',
          en: 'Command and superior responsibility (Rome Statute art. 28)',
        },
      },
    ],
  },
];
