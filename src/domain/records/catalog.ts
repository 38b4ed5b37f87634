import type { FieldDef, RecordTypeDef, RecordTypeName, RecordRule } from './fields.js';

/**
 * Every record type of the domain (DOMAIN.md, after the HURIDOCS Events Standard Formats),
 * declared once. Identity fields of persons (legal names, birth date, contacts, documents) are
 * deliberately absent until field-level encryption exists: nothing identifying is stored in clear.
 */

const text = (description: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ kind: 'text', maxLength: 500, description, ...extra }) as FieldDef;
const prose = (description: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ kind: 'text', maxLength: 100_000, multiline: true, description, ...extra }) as FieldDef;
const when = (description: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ kind: 'fuzzyDate', description, ...extra }) as FieldDef;
const ref = (target: RecordTypeName, description: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ kind: 'ref', target, description, ...extra }) as FieldDef;

export const LANGUAGES = ['be', 'ru', 'en', 'other'] as const;
export const EVENT_STATUSES = ['alleged', 'corroborated', 'verified'] as const;
export const RELIABILITY_GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const CREDIBILITY_GRADES = ['1', '2', '3', '4', '5', '6'] as const;
export const NAME_SYSTEMS = [
  'original',
  'be-2007-un',
  'be-2023',
  'icao-9303',
  'bgn-pcgn',
  'iso-9',
  'observed',
] as const;
export const CONSISTENCY_LEVELS = [
  'not-consistent',
  'consistent',
  'highly-consistent',
  'typical',
  'diagnostic',
] as const;

/** Kinds of Telegram chat, as Telegram Desktop's export names them (`public_channel` → `public-channel`). */
export const TELEGRAM_CHAT_TYPES = [
  'public-channel',
  'private-channel',
  'public-supergroup',
  'private-supergroup',
  'private-group',
  'personal-chat',
  'bot-chat',
  'saved-messages',
] as const;
export const MESSAGE_PLATFORMS = ['telegram'] as const;

const exactlyOne =
  (fields: string[], what: string): RecordRule =>
  (r) => {
    const set = fields.filter((f) => r[f] !== undefined && r[f] !== null);
    if (set.length === 1) return [];
    return [{ field: fields[0]!, message: `give exactly one of ${fields.join(', ')} (${what})` }];
  };
const atLeastOne =
  (fields: string[], what: string): RecordRule =>
  (r) =>
    fields.some((f) => r[f] !== undefined && r[f] !== null)
      ? []
      : [{ field: fields[0]!, message: `give at least one of ${fields.join(', ')} (${what})` }];
const notBefore =
  (startField: string, endField: string): RecordRule =>
  (r) => {
    const a = r[startField] as { value?: string | null } | null | undefined;
    const b = r[endField] as { value?: string | null } | null | undefined;
    if (!a?.value || !b?.value) return [];
    const len = Math.min(a.value.length, b.value.length, 10);
    return b.value.slice(0, len) < a.value.slice(0, len)
      ? [{ field: endField, message: `${endField} is before ${startField}` }]
      : [];
  };

const defs: RecordTypeDef[] = [
  {
    name: 'events',
    singular: 'event',
    table: 'events',
    description: 'Something that happened at a time and place, possibly made of many acts.',
    labelFields: ['title'],
    fields: {
      title: text('Short title', { required: true }),
      description: prose('What happened'),
      start: when('When it began'),
      end: when('When it ended'),
      place: ref('places', 'Where it happened'),
      status: { kind: 'enum', values: EVENT_STATUSES, description: 'How far it is established', required: true },
      types: { kind: 'vocabList', vocabulary: 'event-types', description: 'Kinds of event' },
    },
    rules: [notBefore('start', 'end')],
  },
  {
    name: 'persons',
    singular: 'person',
    table: 'persons',
    description:
      'A human being or a group counted as one. Shown by pseudonym; identity fields arrive encrypted with the security layer.',
    labelFields: ['pseudonym'],
    fields: {
      pseudonym: text('Pseudonym shown on every screen by default', { required: true, maxLength: 200 }),
      sex: { kind: 'enum', values: ['female', 'male', 'other', 'unknown'], description: 'Sex' },
      isGroup: { kind: 'bool', description: 'A group counted as one person' },
      groupSize: { kind: 'int', min: 1, max: 1_000_000, description: 'How many people the group counts' },
      deceased: { kind: 'bool', description: 'Known to be dead' },
      roles: { kind: 'vocabList', vocabulary: 'person-roles', description: 'Roles the person plays' },
      identity: {
        kind: 'identity',
        sensitive: 'identity',
        description:
          'Legal names, birth date and place, contacts, addresses and identity documents. Write-only here: stored encrypted, read through POST /api/v1/persons/{id}/reveal with a reason.',
      },
      notes: prose('Notes (stored encrypted)', { sensitive: 'prose' }),
    },
  },
  {
    name: 'person-names',
    singular: 'person name',
    table: 'person_names',
    description: 'One spelling of one person’s name, in one script and system. The spelling is stored encrypted and found through a blind index.',
    labelFields: ['system', 'script'],
    fields: {
      person: ref('persons', 'Whose name', { required: true }),
      text: text('The spelling (stored encrypted; read it by revealing the person)', { required: true, maxLength: 300, sensitive: 'identity', filter: false }),
      script: { kind: 'enum', values: ['Cyrl', 'Latn', 'other'], description: 'ISO 15924 script', required: true },
      language: { kind: 'enum', values: LANGUAGES, description: 'Language of the spelling' },
      system: {
        kind: 'enum',
        values: NAME_SYSTEMS,
        description: 'Romanisation system it follows, or original / observed in a source',
      },
      preferred: { kind: 'bool', description: 'The preferred spelling in its script' },
      source: text('Where this spelling was met'),
    },
  },
  {
    name: 'units',
    singular: 'unit',
    table: 'units',
    description: 'A body that acts: a police unit, a detention centre’s staff, a court.',
    labelFields: ['nameEn', 'nameBe', 'nameRu'],
    fields: {
      nameBe: text('Name in Belarusian'),
      nameRu: text('Name in Russian'),
      nameEn: text('Name in English'),
      kind: { kind: 'vocab', vocabulary: 'unit-kinds', description: 'Kind of unit' },
      parent: ref('units', 'The unit it belongs to'),
      notes: prose('Notes'),
    },
    rules: [atLeastOne(['nameEn', 'nameBe', 'nameRu'], 'a unit needs a name')],
  },
  {
    name: 'positions',
    singular: 'position',
    table: 'positions',
    description: 'A person’s post in a unit over a period.',
    labelFields: ['title', 'rank'],
    fields: {
      person: ref('persons', 'Who held the post', { required: true }),
      unit: ref('units', 'In which unit', { required: true }),
      title: text('Title of the post'),
      rank: text('Rank'),
      from: when('Held from'),
      to: when('Held until'),
      source: text('Where this is known from'),
    },
    rules: [notBefore('from', 'to')],
  },
  {
    name: 'places',
    singular: 'place',
    table: 'places',
    description: 'A location, possibly a facility.',
    labelFields: ['nameEn', 'nameBe', 'nameRu'],
    fields: {
      nameBe: text('Name in Belarusian'),
      nameRu: text('Name in Russian'),
      nameEn: text('Name in English'),
      kind: { kind: 'vocab', vocabulary: 'place-kinds', description: 'Kind of place' },
      parent: ref('places', 'The place it lies in'),
      latitude: { kind: 'number', min: -90, max: 90, description: 'WGS 84 latitude' },
      longitude: { kind: 'number', min: -180, max: 180, description: 'WGS 84 longitude' },
    },
    rules: [
      atLeastOne(['nameEn', 'nameBe', 'nameRu'], 'a place needs a name'),
      (r) =>
        (r.latitude == null) !== (r.longitude == null)
          ? [{ field: 'latitude', message: 'give both latitude and longitude, or neither' }]
          : [],
    ],
  },
  {
    name: 'facilities',
    singular: 'facility',
    table: 'facilities',
    description: 'A place where people are held.',
    labelFields: ['nameEn', 'nameBe', 'nameRu'],
    fields: {
      nameBe: text('Name in Belarusian'),
      nameRu: text('Name in Russian'),
      nameEn: text('Name in English'),
      place: ref('places', 'Where the facility is'),
      kind: { kind: 'vocab', vocabulary: 'facility-kinds', description: 'Kind of facility', required: true },
      operator: ref('units', 'Unit that runs it'),
      capacity: { kind: 'int', min: 0, max: 1_000_000, description: 'Official capacity (persons)' },
    },
    rules: [atLeastOne(['nameEn', 'nameBe', 'nameRu'], 'a facility needs a name')],
  },
  {
    name: 'acts',
    singular: 'act',
    table: 'acts',
    description: 'One thing done to one victim within an event.',
    labelFields: ['type'],
    fields: {
      event: ref('events', 'The event it belongs to', { required: true }),
      victim: ref('persons', 'To whom it was done', { required: true }),
      type: { kind: 'vocab', vocabulary: 'act-types', description: 'Type of act', required: true },
      methods: { kind: 'vocabList', vocabulary: 'methods', description: 'Methods of violence (repeatable)' },
      start: when('When it began'),
      end: when('When it ended'),
      place: ref('places', 'Where it happened'),
      statedReason: text('Reason given by those who did it'),
      consequences: prose('Consequences for the victim'),
      victimStatus: { kind: 'vocab', vocabulary: 'victim-statuses', description: 'Victim’s status at the end' },
    },
    rules: [notBefore('start', 'end')],
  },
  {
    name: 'detentions',
    singular: 'detention',
    table: 'detentions',
    description: 'The custody side of an arrest act.',
    labelFields: ['detainedAt'],
    fields: {
      act: ref('acts', 'The arrest or detention act', { required: true }),
      detainingUnits: { kind: 'refList', target: 'units', description: 'Units that detained' },
      detainedAt: when('When the person was detained'),
      place: ref('places', 'Where the person was detained'),
      releasedAt: when('When the person was released'),
      releaseReason: { kind: 'vocab', vocabulary: 'release-reasons', description: 'Why released' },
      legalCounsel: {
        kind: 'enum',
        values: ['provided', 'denied', 'delayed', 'not-requested', 'unknown'],
        description: 'Access to a lawyer',
      },
    },
    rules: [notBefore('detainedAt', 'releasedAt')],
  },
  {
    name: 'custody-stays',
    singular: 'custody stay',
    table: 'custody_stays',
    description: 'A period in one facility within a detention.',
    labelFields: ['cell'],
    fields: {
      detention: ref('detentions', 'The detention', { required: true }),
      facility: ref('facilities', 'Where held', { required: true }),
      from: when('Held from'),
      to: when('Held until'),
      cell: text('Cell', { maxLength: 100 }),
      occupants: { kind: 'int', min: 0, max: 100_000, description: 'People held in the cell' },
      cellCapacity: { kind: 'int', min: 0, max: 100_000, description: 'Places the cell is built for' },
      conditions: { kind: 'vocabList', vocabulary: 'detention-conditions', description: 'Conditions' },
      notes: prose('Notes'),
    },
    rules: [notBefore('from', 'to')],
  },
  {
    name: 'proceedings',
    singular: 'proceeding',
    table: 'proceedings',
    description: 'An administrative or criminal case against a person.',
    labelFields: ['caseNumber', 'kind'],
    fields: {
      defendant: ref('persons', 'Against whom', { required: true }),
      kind: { kind: 'vocab', vocabulary: 'proceeding-kinds', description: 'Kind of proceeding', required: true },
      caseNumber: text('Case number', { maxLength: 100 }),
      court: ref('units', 'Court (a unit)'),
      judge: ref('persons', 'Judge'),
      hearingPlace: ref('places', 'Where the hearing sat (courts sat inside detention centres)'),
      date: when('Date of the hearing or decision'),
      inAbsentia: { kind: 'bool', description: 'Held in absentia' },
      outcome: { kind: 'vocab', vocabulary: 'proceeding-outcomes', description: 'Outcome' },
      follows: ref('proceedings', 'The proceeding this one follows (repeated consecutive terms)'),
      detention: ref('detentions', 'The detention it arose from'),
    },
  },
  {
    name: 'charges',
    singular: 'charge',
    table: 'charges',
    description: 'One article a person was charged under.',
    labelFields: ['article'],
    fields: {
      proceeding: ref('proceedings', 'The proceeding', { required: true }),
      code: { kind: 'vocab', vocabulary: 'legal-codes', description: 'Code and its version', required: true },
      article: text('Article, e.g. 24.23', { required: true, maxLength: 50 }),
      part: text('Part', { maxLength: 50 }),
      description: text('Wording of the charge'),
    },
  },
  {
    name: 'sentences',
    singular: 'sentence',
    table: 'sentences',
    description: 'The outcome of a proceeding for one person.',
    labelFields: ['kind'],
    fields: {
      proceeding: ref('proceedings', 'The proceeding', { required: true }),
      kind: { kind: 'vocab', vocabulary: 'sentence-kinds', description: 'Kind of sentence', required: true },
      days: { kind: 'int', min: 0, max: 100_000, description: 'Length in days (arrest, imprisonment)' },
      fineBaseUnits: { kind: 'number', min: 0, description: 'Fine in base units' },
      fineAmount: { kind: 'number', min: 0, description: 'Fine in currency' },
      fineCurrency: text('Currency (ISO 4217)', { maxLength: 3 }),
      baseUnitDate: { kind: 'date', description: 'Date whose base-unit value converts the fine' },
      regime: { kind: 'vocab', vocabulary: 'colony-regimes', description: 'Regime' },
      suspended: { kind: 'bool', description: 'Suspended' },
    },
  },
  {
    name: 'involvements',
    singular: 'involvement',
    table: 'involvements',
    description: 'An alleged perpetrator’s part in an act.',
    labelFields: ['degree'],
    fields: {
      act: ref('acts', 'The act', { required: true }),
      person: ref('persons', 'Alleged perpetrator (a person)'),
      unit: ref('units', 'Alleged perpetrator (a unit)'),
      degree: { kind: 'vocab', vocabulary: 'involvement-degrees', description: 'Degree of involvement', required: true },
      basis: { kind: 'vocab', vocabulary: 'identification-bases', description: 'Basis of identification' },
      basisNote: text('How the perpetrator was identified'),
      confidence: { kind: 'enum', values: ['low', 'medium', 'high'], description: 'Confidence in the identification' },
    },
    rules: [exactlyOne(['person', 'unit'], 'the alleged perpetrator')],
  },
  {
    name: 'information',
    singular: 'information',
    table: 'information',
    description: 'What a source tells about an event, act or person, with Admiralty grading.',
    labelFields: ['summary'],
    fields: {
      sourcePerson: ref('persons', 'Source, when a person'),
      sourceName: text('Source, when an organisation, medium or leak'),
      sourceKind: { kind: 'vocab', vocabulary: 'source-kinds', description: 'Kind of source', required: true },
      event: ref('events', 'Event it tells about'),
      act: ref('acts', 'Act it tells about'),
      person: ref('persons', 'Person it tells about'),
      connection: { kind: 'vocab', vocabulary: 'source-connections', description: 'Source’s connection to it' },
      date: when('When the source told it'),
      reliability: { kind: 'enum', values: RELIABILITY_GRADES, description: 'Reliability of the source (A–F)' },
      credibility: { kind: 'enum', values: CREDIBILITY_GRADES, description: 'Credibility of the information (1–6)' },
      summary: prose('What it tells'),
    },
    rules: [
      atLeastOne(['sourcePerson', 'sourceName'], 'who the source is'),
      atLeastOne(['event', 'act', 'person'], 'what it tells about'),
    ],
  },
  {
    name: 'consents',
    singular: 'consent',
    table: 'consents',
    description: 'What a person agreed to, per scope and recipient.',
    labelFields: ['recipient'],
    fields: {
      person: ref('persons', 'Who consented', { required: true }),
      scopes: { kind: 'vocabList', vocabulary: 'consent-scopes', description: 'Scopes agreed to' },
      recipient: text('Recipient the consent names (empty: any)'),
      obtainedAt: { kind: 'datetime', description: 'When it was obtained', required: true },
      obtainedBy: text('Who obtained it'),
      method: {
        kind: 'enum',
        values: ['written', 'oral-recorded', 'oral', 'electronic'],
        description: 'How it was obtained',
      },
      withdrawnAt: { kind: 'datetime', description: 'When it was withdrawn' },
      notes: prose('Notes'),
    },
  },
  {
    name: 'testimonies',
    singular: 'testimony',
    table: 'testimonies',
    description: 'An interview.',
    labelFields: ['title'],
    fields: {
      title: text('Short title'),
      interviewee: ref('persons', 'Who was interviewed', { required: true }),
      interviewer: text('Who interviewed'),
      date: when('When'),
      mode: { kind: 'enum', values: ['in-person', 'remote', 'written'], description: 'Mode' },
      language: { kind: 'enum', values: LANGUAGES, description: 'Language of the interview' },
      consent: ref('consents', 'Consent under which it was given'),
      event: ref('events', 'Event it is mainly about'),
      topics: { kind: 'vocabList', vocabulary: 'testimony-topics', description: 'Topics covered' },
      transcript: prose('Transcript (stored encrypted)', { sensitive: 'prose' }),
      acts: { kind: 'refList', target: 'acts', description: 'Acts the testimony tells of (recorded from it)' },
    },
  },
  {
    name: 'medical-findings',
    singular: 'medical finding',
    table: 'medical_findings',
    description: 'A documented injury, graded as in the Istanbul Protocol.',
    labelFields: ['kind'],
    fields: {
      person: ref('persons', 'Whose injury', { required: true }),
      act: ref('acts', 'Act that allegedly caused it'),
      examiner: text('Examiner'),
      date: when('Date of examination'),
      bodyRegion: { kind: 'vocab', vocabulary: 'body-regions', description: 'Body region' },
      kind: { kind: 'vocab', vocabulary: 'injury-kinds', description: 'Kind of injury', required: true },
      size: text('Size', { maxLength: 100 }),
      allegedCause: { kind: 'vocab', vocabulary: 'methods', description: 'Alleged cause (method)' },
      consistency: { kind: 'enum', values: CONSISTENCY_LEVELS, description: 'Consistency with the allegation' },
      description: prose('Description (stored encrypted)', { sensitive: 'prose' }),
    },
  },
  {
    name: 'cases',
    singular: 'case',
    table: 'cases',
    description: 'A file being built for a prosecutor.',
    labelFields: ['title'],
    fields: {
      title: text('Title', { required: true }),
      scope: prose('Scope'),
      status: {
        kind: 'enum',
        values: ['draft', 'in-preparation', 'submitted', 'closed'],
        description: 'Status',
        required: true,
      },
      events: { kind: 'refList', target: 'events', description: 'Events chosen' },
      acts: { kind: 'refList', target: 'acts', description: 'Acts chosen' },
    },
  },
  {
    name: 'qualifications',
    singular: 'qualification',
    table: 'qualifications',
    description: 'An act or pattern read against a crime.',
    labelFields: ['crime'],
    fields: {
      case: ref('cases', 'Case it belongs to'),
      act: ref('acts', 'Act qualified'),
      event: ref('events', 'Event (pattern) qualified'),
      framework: { kind: 'vocab', vocabulary: 'legal-frameworks', description: 'Legal framework', required: true },
      crime: { kind: 'vocab', vocabulary: 'crimes', description: 'Crime', required: true },
      liability: { kind: 'vocab', vocabulary: 'liability-modes', description: 'Mode of liability' },
      person: ref('persons', 'Alleged perpetrator (a person)'),
      unit: ref('units', 'Alleged perpetrator (a unit)'),
      reasoning: prose('Reasoning'),
    },
    rules: [atLeastOne(['case', 'act', 'event'], 'what is qualified')],
  },
  {
    name: 'qualification-elements',
    singular: 'qualification element',
    table: 'qualification_elements',
    description: 'One element of a crime and what proves it.',
    labelFields: ['element'],
    fields: {
      qualification: ref('qualifications', 'The qualification', { required: true }),
      element: { kind: 'vocab', vocabulary: 'crime-elements', description: 'Element of the crime', required: true },
      assessment: {
        kind: 'enum',
        values: ['not-assessed', 'unproven', 'partly-proven', 'proven'],
        description: 'How far it is proven',
      },
      acts: { kind: 'refList', target: 'acts', description: 'Acts that prove it' },
      information: { kind: 'refList', target: 'information', description: 'Information that proves it' },
      medicalFindings: { kind: 'refList', target: 'medical-findings', description: 'Medical findings that prove it' },
      note: prose('Note'),
    },
  },
  {
    name: 'messages',
    singular: 'message',
    table: 'messages',
    description:
      'A message or post from a messenger channel, group or chat, as exported (docs/IMPORTS.md). One per platform, chat and message id in a compartment.',
    labelFields: ['chat', 'author'],
    fields: {
      platform: { kind: 'enum', values: MESSAGE_PLATFORMS, description: 'Messenger it comes from', required: true },
      chat: text('Name of the channel, group or chat', { required: true, filter: true }),
      chatId: text('The chat’s id on the platform', { required: true, maxLength: 100, filter: true }),
      chatType: { kind: 'enum', values: TELEGRAM_CHAT_TYPES, description: 'Kind of chat, as the platform names it' },
      messageId: { kind: 'int', min: 0, max: 2_147_483_647, description: 'The message’s id within its chat', required: true },
      date: { kind: 'datetime', description: 'When it was posted (UTC)', required: true },
      dateLocal: text('The date as the export wrote it (local time of the exporting computer, no zone)', { maxLength: 40 }),
      author: text('Who posted it: the sender, or the signature under a channel post'),
      authorId: text('The sender’s id on the platform (e.g. user123, channel456)', { maxLength: 100 }),
      forwardedFrom: text('Where a forwarded message was first posted'),
      replyTo: { kind: 'int', min: 0, max: 2_147_483_647, description: 'Id of the message (same chat) it replies to' },
      edited: { kind: 'datetime', description: 'When it was last edited (UTC)' },
      mediaType: text('Kind of media attached (photo, video_file, voice_message, …)', { maxLength: 50 }),
      text: prose('The message’s text, formatting dropped'),
      urls: prose('Links in the text, one per line', { maxLength: 50_000 }),
    },
  },
];

export const RECORD_TYPES: ReadonlyMap<RecordTypeName, RecordTypeDef> = new Map(defs.map((d) => [d.name, d]));

/** The definition of a record type; throws on an unknown name (a programming error). */
export function recordType(name: RecordTypeName): RecordTypeDef {
  const def = RECORD_TYPES.get(name);
  if (!def) throw new Error(`unknown record type ${name}`);
  return def;
}

/** Every (type, field) pair whose field refers to `target`: who may point at a record of it. */
export function referrersOf(target: RecordTypeName): { type: RecordTypeDef; field: string; list: boolean }[] {
  const out: { type: RecordTypeDef; field: string; list: boolean }[] = [];
  for (const def of RECORD_TYPES.values()) {
    for (const [field, f] of Object.entries(def.fields)) {
      if ((f.kind === 'ref' || f.kind === 'refList') && f.target === target) {
        out.push({ type: def, field, list: f.kind === 'refList' });
      }
    }
  }
  return out;
}
