/**
 * The testimony intake's state and the pure logic around it: approximate dates as the witness gives
 * them, the transcript assembled from the topics, the topics covered, and what is to be created from
 * the interview (acts with their victim and the described perpetrators' involvements).
 */

export interface FuzzyDate {
  value: string | null;
  precision: 'exact' | 'day' | 'month' | 'year' | 'estimate' | 'unknown';
}

export interface ConsentRow {
  key: string;
  /** Empty: anyone the scopes allow (internal use, publication…). */
  recipient: string;
  scopes: string[];
}

export interface Incident {
  key: string;
  type: string | null;
  start: string;
  startApprox: boolean;
  end: string;
  endApprox: boolean;
  place: string | null;
  placeNote: string;
  methods: string[];
  /** Create an act from it (the documenter may leave one out at review). */
  include: boolean;
}

export interface Perpetrator {
  key: string;
  kind: 'person' | 'unit';
  label: string;
  appearance: string;
  unit: string | null;
  degree: string | null;
  basis: string | null;
  /** Keys of the incidents they took part in. */
  incidents: string[];
}

export interface IntakeState {
  compartment: string | null;
  witness: { pseudonym: string; sex: string | null; fullName: string; birthDate: string; phone: string };
  consent: { rows: ConsentRow[]; method: string | null; obtainedBy: string; obtainedAt: string; notes: string };
  interview: { title: string; interviewer: string; date: string; mode: string | null; language: string | null };
  before: string;
  incidents: Incident[];
  perpetrators: Perpetrator[];
  said: string;
  routine: { transport: string; facility: string; cell: string; food: string; sleep: string; access: string };
  methodsNote: string;
  injuries: string;
  medical: string;
  witnesses: string;
  event: { mode: 'new' | 'existing'; id: string | null; title: string };
}

let counter = 0;
export const newKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const newIncident = (): Incident => ({
  key: newKey('incident'),
  type: null,
  start: '',
  startApprox: false,
  end: '',
  endApprox: false,
  place: null,
  placeNote: '',
  methods: [],
  include: true,
});

export const newPerpetrator = (incidents: string[]): Perpetrator => ({
  key: newKey('perpetrator'),
  kind: 'person',
  label: '',
  appearance: '',
  unit: null,
  degree: 'carried-out',
  basis: null,
  incidents,
});

/** `datetime-local` value of a moment in the browser's zone. */
export function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function initialState(obtainedBy: string, now = new Date()): IntakeState {
  const first = newIncident();
  return {
    compartment: null,
    witness: { pseudonym: '', sex: null, fullName: '', birthDate: '', phone: '' },
    consent: { rows: [{ key: newKey('consent'), recipient: '', scopes: ['internal-use'] }], method: 'oral-recorded', obtainedBy, obtainedAt: localDateTime(now), notes: '' },
    interview: { title: '', interviewer: obtainedBy, date: localDateTime(now).slice(0, 10), mode: 'in-person', language: null },
    before: '',
    incidents: [first],
    perpetrators: [],
    said: '',
    routine: { transport: '', facility: '', cell: '', food: '', sleep: '', access: '' },
    methodsNote: '',
    injuries: '',
    medical: '',
    witnesses: '',
    event: { mode: 'new', id: null, title: '' },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The zone offset (+03:00) the browser applies at a local date and time. */
function offsetAt(date: string, time: string): string {
  const d = new Date(`${date}T${time}:00`);
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/**
 * A date as a witness gives it, to the API's approximate date: "2020", "2020-08", "08.2020",
 * "2020-08-10", "10.08.2020", "2020-08-10 23:15" (browser's zone); `approx` marks it an estimate.
 * Empty gives null; anything else 'invalid'.
 */
export function parseApproxDate(text: string, approx = false, offset: (date: string, time: string) => string = offsetAt): FuzzyDate | null | 'invalid' {
  const s = text.trim();
  if (!s) return null;
  let m: RegExpExecArray | null;
  let out: FuzzyDate | null = null;
  if ((m = /^(\d{4})$/.exec(s))) out = { value: m[1]!, precision: 'year' };
  else if ((m = /^(\d{4})-(\d{1,2})$/.exec(s)) || (m = /^(\d{1,2})\.(\d{4})$/.exec(s))) {
    const [y, mo] = s.includes('.') ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
    if (mo >= 1 && mo <= 12) out = { value: `${y}-${pad(mo)}`, precision: 'month' };
  } else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(s)) || (m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/.exec(s))) {
    const dotted = !s.slice(0, 4).match(/^\d{4}$/);
    const [y, mo, d] = dotted ? [Number(m[3]), Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!realDate(y, mo, d)) return 'invalid';
    const date = `${y}-${pad(mo)}-${pad(d)}`;
    if (m[4] !== undefined) {
      const h = Number(m[4]);
      const min = Number(m[5]);
      if (h > 23 || min > 59) return 'invalid';
      const time = `${pad(h)}:${pad(min)}`;
      out = { value: `${date}T${time}:00${offset(date, time)}`, precision: 'exact' };
    } else out = { value: date, precision: 'day' };
  }
  if (!out) return 'invalid';
  return approx ? { value: out.value, precision: 'estimate' } : out;
}

export interface TopicText {
  topic: string;
  heading: string;
  text: string;
}

/** The transcript: every topic with something said, under its heading. */
export function buildTranscript(parts: TopicText[]): string {
  return parts
    .filter((p) => p.text.trim())
    .map((p) => `## ${p.heading}\n\n${p.text.trim()}`)
    .join('\n\n');
}

/** The testimony-topics codes the interview covered, each once, in the order given. */
export function topicsCovered(parts: TopicText[]): string[] {
  return [...new Set(parts.filter((p) => p.text.trim()).map((p) => p.topic))];
}

export interface ProposedAct {
  incident: Incident;
  perpetrators: Perpetrator[];
}

/** The acts to be created: one per included incident, with the perpetrators described in it. */
export function proposedActs(s: IntakeState): ProposedAct[] {
  return s.incidents
    .filter((i) => i.include)
    .map((incident) => ({ incident, perpetrators: s.perpetrators.filter((p) => p.incidents.includes(incident.key) && (p.kind === 'unit' ? p.unit : p.label.trim())) }));
}

/** A perpetrator's description as it goes into the involvement's basis note (500 characters). */
export function basisNote(p: Perpetrator): string | null {
  const text = [p.label.trim(), p.appearance.trim()].filter(Boolean).join(': ');
  return text ? text.slice(0, 500) : null;
}

/** What is missing before the review can be saved, as [field key, problem] pairs. */
export function reviewProblems(s: IntakeState): [string, 'required' | 'date'][] {
  const out: [string, 'required' | 'date'][] = [];
  const acts = proposedActs(s);
  if (acts.length && s.event.mode === 'existing' && !s.event.id) out.push(['event.id', 'required']);
  if (acts.length && s.event.mode === 'new' && !s.event.title.trim()) out.push(['event.title', 'required']);
  for (const { incident, perpetrators } of acts) {
    if (!incident.type) out.push([`${incident.key}.type`, 'required']);
    if (parseApproxDate(incident.start, incident.startApprox) === 'invalid') out.push([`${incident.key}.start`, 'date']);
    if (parseApproxDate(incident.end, incident.endApprox) === 'invalid') out.push([`${incident.key}.end`, 'date']);
    for (const p of perpetrators) if (!p.degree) out.push([`${p.key}.degree`, 'required']);
  }
  return out;
}
