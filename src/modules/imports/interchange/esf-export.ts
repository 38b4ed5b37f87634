import type { FuzzyDate } from '../../../domain/records/fields.js';
import type { Actor } from '../../../domain/policies.js';
import type { RecordsDeps } from '../../records/records.usecases.js';
import type { StoredRecord } from '../../records/records.repository.js';
import { assertReadable, CompartmentRecords } from './store.js';

/**
 * The HURIDOCS Events Standard Formats ("who did what to whom") as JSON: events, the acts done to
 * victims within them, the persons (by pseudonym only: ESF's "name" field holds the pseudonym; no
 * identity is ever written) and the involvements tying an alleged perpetrator to an act with its
 * degree. Units named as perpetrators are persons of the ESF kind "organisation", as ESF counts a
 * perpetrator that is a body. Field names follow ESF's (snake case); vocabulary values are
 * `{ code, label }` with the English label. Deterministic: every list ordered by record number,
 * no time of export, so two exports of the same records are the same bytes.
 */

export const ESF_FORMAT = 'HURIDOCS Events Standard Formats (JSON, Letapis)';

type Term = { code: string; label: string } | null;

export interface EsfDocument {
  format: string;
  events: Record<string, unknown>[];
  acts: Record<string, unknown>[];
  persons: Record<string, unknown>[];
  involvements: Record<string, unknown>[];
}

const byId = (a: StoredRecord, b: StoredRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** An approximate date as ESF writes one: the date and its type (exact, day, month, year, estimate, unknown). */
function esfDate(d: unknown): { date: string | null; type: string | null } {
  if (!d) return { date: null, type: null };
  const f = d as FuzzyDate;
  return { date: f.value ?? null, type: f.precision };
}

/**
 * The ESF document of a compartment's events, acts, involvements and the persons they name.
 *
 * @example const json = esfJson(await exportEsf(deps, actor, compartment))
 */
export async function exportEsf(deps: RecordsDeps, actor: Actor, compartment: string): Promise<EsfDocument> {
  await assertReadable(deps, actor, compartment);
  const store = new CompartmentRecords(deps, actor, compartment);
  const term = async (vocabulary: string, code: unknown): Promise<Term> =>
    typeof code === 'string' && code ? { code, label: (await store.vocabulary(vocabulary)).labelOf(code) } : null;
  const terms = async (vocabulary: string, codes: unknown): Promise<Term[]> => Promise.all(((codes as string[] | null) ?? []).slice().sort().map((c) => term(vocabulary, c)));
  const place = async (id: unknown) => (typeof id === 'string' ? store.titleOf('places', id) : null);

  const events = [...(await store.all('events'))].sort(byId);
  const eventIds = new Set(events.map((e) => e.id));
  const acts = [...(await store.all('acts'))].filter((a) => eventIds.has(String(a.event))).sort(byId);
  const actIds = new Set(acts.map((a) => a.id));
  const persons = new Map((await store.all('persons')).map((p) => [p.id, p]));
  const units = new Map((await store.all('units')).map((u) => [u.id, u]));
  const involvements = [...(await store.all('involvements'))]
    .filter((i) => actIds.has(String(i.act)) && ((i.person && persons.has(String(i.person))) || (i.unit && units.has(String(i.unit)))))
    .sort(byId);

  const out: EsfDocument = { format: ESF_FORMAT, events: [], acts: [], persons: [], involvements: [] };
  for (const e of events) {
    const start = esfDate(e.start);
    const end = esfDate(e.end);
    out.events.push({
      event_record_number: e.id,
      event_title: e.title,
      initial_date: start.date,
      initial_date_type: start.type,
      final_date: end.date,
      final_date_type: end.type,
      geographical_term: await place(e.place),
      event_description: e.description ?? null,
      violation_status: e.status,
      type_of_event: await terms('event-types', e.types),
    });
  }
  const named = new Set<string>();
  for (const a of acts) {
    const start = esfDate(a.start);
    const end = esfDate(a.end);
    if (persons.has(String(a.victim))) named.add(String(a.victim));
    out.acts.push({
      act_record_number: a.id,
      event_record_number: a.event,
      victim_record_number: persons.has(String(a.victim)) ? a.victim : null,
      type_of_act: await term('act-types', a.type),
      method_of_violence: await terms('methods', a.methods),
      initial_date: start.date,
      initial_date_type: start.type,
      final_date: end.date,
      final_date_type: end.type,
      exact_location: await place(a.place),
      stated_reason: a.statedReason ?? null,
      physical_consequences: a.consequences ?? null,
      latest_status_as_victim: await term('victim-statuses', a.victimStatus),
    });
  }
  const eventOfAct = new Map(acts.map((a) => [a.id, a.event]));
  const bodies = new Set<string>();
  for (const i of involvements) {
    const perpetrator = String(i.person ?? i.unit);
    if (i.person) named.add(perpetrator);
    else bodies.add(perpetrator);
    out.involvements.push({
      involvement_record_number: i.id,
      act_record_number: i.act,
      event_record_number: eventOfAct.get(String(i.act)) ?? null,
      perpetrator_record_number: perpetrator,
      type_of_perpetrator: i.person ? 'individual' : 'organisation',
      degree_of_involvement: await term('involvement-degrees', i.degree),
      basis_of_identification: await term('identification-bases', i.basis),
      confidence: i.confidence ?? null,
    });
  }
  for (const id of [...named].sort()) {
    const p = persons.get(id)!;
    out.persons.push({
      person_record_number: p.id,
      name: p.pseudonym,
      counted: p.isGroup ? 'group' : 'individual',
      number_of_persons_in_group: p.groupSize ?? null,
      sex: p.sex ?? null,
      deceased: p.deceased ?? null,
      roles: await terms('person-roles', p.roles),
    });
  }
  for (const id of [...bodies].sort()) {
    out.persons.push({
      person_record_number: id,
      name: await store.titleOf('units', id),
      counted: 'organisation',
      number_of_persons_in_group: null,
      sex: null,
      deceased: null,
      roles: [],
    });
  }
  out.persons.sort((a, b) => (String(a.person_record_number) < String(b.person_record_number) ? -1 : 1));
  await deps.audit?.(deps.db, {
    action: 'interchange.export-esf',
    actorId: actor.userId,
    targetType: 'compartment',
    targetId: compartment,
    details: { events: out.events.length, acts: out.acts.length, persons: out.persons.length, involvements: out.involvements.length },
  });
  return out;
}

/** The document as written to a file: two-space indented JSON and a final line break. */
export function esfJson(doc: EsfDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
