import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import { can, type Actor, type Subject } from '../../domain/policies.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { canonicalJson } from '../../domain/ledger/canonical-json.js';
import { recordType, RECORD_TYPES } from '../../domain/records/catalog.js';
import { columnName, type RecordTypeName } from '../../domain/records/fields.js';
import { DEFAULT_MARK, redactText, suggestSpans, TextSpanError, type PersonClues, type SuggestedSpan, type TextSpan } from '../../domain/redaction/text.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import * as repo from '../evidence/evidence.repository.js';
import type { EvidenceDeps } from '../evidence/evidence.usecases.js';
import { findRow, fromRow, loadLists } from '../records/records.repository.js';
import { attachSecrets, auditingIntegrity } from '../records/secrets.js';

/**
 * Redaction (issue 9): derivatives of an evidence item with regions of pictures, stretches of
 * sound and spans of text hidden and every piece of metadata removed — made by a job, stored
 * encrypted as `redacted` derivatives of the item, the original never touched; each one a custody
 * event of the item (`evidence.redact`, with the hash of the spec and of the bytes made). Text
 * redaction is helped by suggestions of where the people the record links to are named, computed
 * on the server; real names and contacts are used only for an editor allowed to reveal identities.
 */

declare module '../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    /** Make a redacted derivative of an item as `spec` says. */
    'evidence.redact': { itemId: string; spec: RedactionSpec; specSha256: string; requestedBy: string };
  }
}

/** The derivative kind of every redacted output. */
export const REDACTED_KIND = 'redacted';
/** Largest text redacted (characters), as the media adapters cap text. */
export const MAX_TEXT_CHARS = 5_000_000;

const range = z
  .object({ from: z.number().min(0).max(1e6).describe('Seconds from the start'), to: z.number().min(0).max(1e6) })
  .strict()
  .refine((r) => r.to > r.from, 'to must be after from');
const regionShape = {
  x: z.number().min(0).max(1e6),
  y: z.number().min(0).max(1e6),
  width: z.number().positive().max(1e6),
  height: z.number().positive().max(1e6),
  unit: z.enum(['px', 'relative']).default('px').describe('px: pixels of the upright picture; relative: fractions of its width and height (0–1)'),
  style: z.enum(['box', 'blur']).optional().describe("Default: the spec's style"),
};
const relativeFits = (r: { x: number; y: number; width: number; height: number; unit: string }) => r.unit !== 'relative' || (r.x <= 1 && r.y <= 1 && r.width <= 1 && r.height <= 1);
const imageRegion = z.object(regionShape).strict().refine(relativeFits, 'relative coordinates lie between 0 and 1');
const videoRegion = z
  .object({ ...regionShape, ranges: z.array(range).max(100).optional().describe('When the region is hidden; absent: throughout') })
  .strict()
  .refine(relativeFits, 'relative coordinates lie between 0 and 1');
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb').default('#000000');
const audioPart = z
  .object({
    ranges: z.array(range).max(500).default([]),
    cover: z.enum(['silence', 'tone']).default('silence').describe('silence, or a 1 kHz tone so that a listener hears the cut'),
    pitchSemitones: z.number().min(-12).max(12).default(0).describe('Voice disguise: semitones up (+) or down (−); 0: none'),
  })
  .strict();

export const redactionSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), regions: z.array(imageRegion).min(1).max(200), style: z.enum(['box', 'blur']).default('box'), colour, format: z.enum(['jpeg', 'png', 'webp']).optional() }).strict(),
  z
    .object({ kind: z.literal('audio'), ...audioPart.shape })
    .strict()
    .refine((s) => s.ranges.length > 0 || s.pitchSemitones !== 0, 'give ranges to hide or a pitch shift'),
  z
    .object({ kind: z.literal('video'), regions: z.array(videoRegion).max(200).default([]), style: z.enum(['box', 'blur']).default('box'), colour, audio: audioPart.optional() })
    .strict()
    .refine((s) => s.regions.length > 0 || (s.audio && (s.audio.ranges.length > 0 || s.audio.pitchSemitones !== 0)), 'give regions or audio ranges or a pitch shift'),
  z
    .object({
      kind: z.literal('text'),
      spans: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(1) }).strict()).min(1).max(10_000).describe('Offsets in the text (JavaScript string indices), end excluded'),
      mark: z.string().min(1).max(40).default(DEFAULT_MARK).describe('What replaces each span'),
    })
    .strict(),
]);
export type RedactionSpec = z.output<typeof redactionSpecSchema>;

/** The SHA-256 of a spec's canonical JSON (RFC 8785): what the custody event names. */
export function specHash(spec: RedactionSpec): string {
  return createHash('sha256').update(canonicalJson(spec), 'utf8').digest('hex');
}

const problems = (e: z.ZodError, prefix: string) => e.issues.map((i) => ({ field: [prefix, ...i.path].filter((p) => p !== '').join('.') || '(body)', message: i.message }));

/** An item the subject can see, or 404 (the same answer as for no item). */
async function visibleItem(db: Kysely<any>, subject: Subject, id: string): Promise<repo.ItemRow> {
  const item = await repo.findItem(db, id);
  if (!item || !can(subject, 'evidence.read', { compartmentId: item.compartment })) throw new NotFoundError(`no evidence item has id ${id}`);
  return item;
}

/** The item whose text a text redaction reads: the item itself if it is text, else its document or OCR text. */
export async function textSourceOf(db: Kysely<any>, item: repo.ItemRow): Promise<repo.ItemRow | undefined> {
  if (item.category === 'text') return item;
  const derived = await repo.listItems(db, { compartments: [item.compartment], parentId: item.id, limit: 100 });
  return derived.find((d) => d.derivativeKind === 'text') ?? derived.find((d) => d.derivativeKind === 'ocr-text');
}

/** Checks that the kind of redaction fits the item; returns what is wrong, if anything. */
async function unfit(db: Kysely<any>, item: repo.ItemRow, spec: RedactionSpec): Promise<string | undefined> {
  if (item.parentId) return 'redact the original item: its derivatives are made from it';
  if (!item.category) return 'the item has not been processed yet: its type is not known';
  switch (spec.kind) {
    case 'image':
      return item.category === 'image' ? undefined : `an image redaction needs a picture; this item is ${item.category}`;
    case 'audio':
      return item.category === 'audio' ? undefined : `an audio redaction needs a sound recording; this item is ${item.category}${item.category === 'video' ? ' (hide its sound with a video redaction’s audio part)' : ''}`;
    case 'video':
      return item.category === 'video' ? undefined : `a video redaction needs a video; this item is ${item.category}`;
    case 'text':
      return (await textSourceOf(db, item)) ? undefined : 'the item has no text: neither is it text nor has processing taken text from it';
  }
}

export interface RedactionRequest {
  jobId: string;
  created: boolean;
  specSha256: string;
}

/**
 * Asks for a redacted derivative of an item: checked now (the right to redact in the item's
 * compartment, the spec, the kind fits the item), made by the `evidence.redact` job. The same
 * spec for the same item while its job is unfinished gives that job.
 */
export async function requestRedaction(deps: EvidenceDeps, actor: Actor, itemId: string, input: unknown): Promise<RedactionRequest> {
  const subject = await subjectOf(deps.db, actor);
  const item = await visibleItem(deps.db, subject, itemId);
  if (!can(subject, 'evidence.redact', { compartmentId: item.compartment })) throw new ForbiddenError('your role in this compartment does not let you redact evidence');
  const parsed = redactionSpecSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(problems(parsed.error, ''));
  const spec = parsed.data;
  const wrong = await unfit(deps.db, item, spec);
  if (wrong) throw new ValidationError([{ field: 'kind', message: wrong }]);
  const sha = specHash(spec);
  return inTransaction(deps.db, async (trx) => {
    const job = await enqueue(trx, 'evidence.redact', { itemId, spec, specSha256: sha, requestedBy: actor.userId }, { compartmentId: item.compartment, dedupeKey: `evidence.redact:${itemId}:${sha}`, maxAttempts: 2 });
    return { jobId: job.id, created: job.created, specSha256: sha };
  });
}

// ── suggestions ────────────────────────────────────────────────────────────────────────────────

/** Persons a record names: its own person references, and those of the records it references (one step). */
async function personsOfRecord(db: Kysely<any>, type: RecordTypeName, id: string, compartments: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const visit = async (t: RecordTypeName, rid: string, depth: number): Promise<void> => {
    const def = recordType(t);
    const row = await findRow(db, def, rid);
    if (!row || !compartments.includes(row.compartment_id)) return;
    if (t === 'persons') {
      out.add(rid);
      return;
    }
    const lists = (await loadLists(db, def, [rid])).get(rid) ?? new Map<string, string[]>();
    for (const [name, f] of Object.entries(def.fields)) {
      if (f.kind !== 'ref' && f.kind !== 'refList') continue;
      const targets = f.kind === 'ref' ? [row[`${columnName(name)}_id`]].filter(Boolean) : (lists.get(name) ?? []);
      for (const target of targets as string[]) {
        if (f.target === 'persons') out.add(target);
        else if (depth === 0 && RECORD_TYPES.has(f.target)) await visit(f.target, target, depth + 1);
      }
    }
  };
  await visit(type, id, 0);
  return out;
}

/** What the server knows to find each person in a text: pseudonyms always; names and contacts only with `identities`. */
async function cluesOf(deps: EvidenceDeps, subject: Subject, personIds: Iterable<string>, withIdentities: boolean): Promise<PersonClues[]> {
  const persons = recordType('persons');
  const namesDef = recordType('person-names');
  const clues: PersonClues[] = [];
  for (const id of personIds) {
    const row = await findRow(deps.db, persons, id);
    if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) continue;
    const names: string[] = [];
    const contacts: string[] = [];
    if (withIdentities && can(subject, 'identity.reveal', { compartmentId: row.compartment_id })) {
      const [p] = await attachSecrets(deps.db, deps, persons, [fromRow(persons, row)], { reveal: true });
      const identity = (p?.identity ?? null) as Record<string, unknown> | null;
      if (identity) {
        for (const k of ['fullName', 'givenName', 'familyName', 'patronymic', 'birthName'] as const) if (typeof identity[k] === 'string') names.push(identity[k] as string);
        for (const n of (identity.otherNames as string[] | undefined) ?? []) names.push(n);
        for (const c of (identity.contacts as { value: string }[] | undefined) ?? []) contacts.push(c.value);
      }
      const nameRows = await deps.db.selectFrom(namesDef.table).selectAll().where('person_id', '=', id).where('compartment_id', '=', row.compartment_id).execute();
      const spellings = await attachSecrets(deps.db, deps, namesDef, nameRows.map((r) => fromRow(namesDef, r)), { reveal: true });
      for (const s of spellings) if (typeof s.text === 'string') names.push(s.text);
    }
    clues.push({ personId: id, pseudonym: String(row.pseudonym ?? ''), names, contacts });
  }
  return clues;
}

export interface Suggestions {
  /** The text the offsets refer to (the item's text, or the testimony's transcript). */
  text: string;
  /** The item whose bytes are that text (an evidence item's text source), when it is one. */
  sourceItemId: string | null;
  spans: (SuggestedSpan & { pseudonym: string })[];
  /** Whether real names and contacts were looked for (the caller may reveal identities), or only pseudonyms. */
  identities: boolean;
  persons: number;
}

async function readText(deps: EvidenceDeps, item: repo.ItemRow): Promise<string> {
  if (item.size > MAX_TEXT_CHARS * 4) throw new ValidationError([{ field: 'kind', message: `the text is ${item.size} bytes, over the limit for redaction` }]);
  const store = new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault });
  const chunks: Buffer[] = [];
  for await (const c of await store.get(item.blobName)) chunks.push(Buffer.from(c as Uint8Array));
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** The text an item's text redaction works on (what the offsets count in). */
export async function itemText(deps: EvidenceDeps, item: repo.ItemRow): Promise<{ text: string; source: repo.ItemRow }> {
  const source = await textSourceOf(deps.db, item);
  if (!source) throw new ValidationError([{ field: 'kind', message: 'the item has no text: neither is it text nor has processing taken text from it' }]);
  return { text: await readText(deps, source), source };
}

function describeSpans(clues: PersonClues[], spans: SuggestedSpan[]): Suggestions['spans'] {
  const pseudonym = new Map(clues.map((c) => [c.personId, c.pseudonym]));
  return spans.map((s) => ({ ...s, pseudonym: pseudonym.get(s.personId) ?? '' }));
}

/**
 * Where an item's text names the people it is linked to (by its links, its records' people and
 * its acquisitions' source persons). Needs the right to redact; real names and contacts are looked
 * for only when the caller may reveal identities, which is then an audited use of them.
 */
export async function suggestItemRedactions(deps: EvidenceDeps, actor: Actor, itemId: string): Promise<Suggestions> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const subject = await subjectOf(deps.db, actor);
    const item = await visibleItem(deps.db, subject, itemId);
    if (!can(subject, 'evidence.redact', { compartmentId: item.compartment })) throw new ForbiddenError('your role in this compartment does not let you redact evidence');
    const { text, source } = await itemText(deps, item);
    const readable = [...subject.memberships.keys()].filter((c) => can(subject, 'record.read', { compartmentId: c }));
    const personIds = new Set<string>();
    const links = await deps.db.selectFrom('evidence_links').select(['target_type', 'target_id']).where('item_id', '=', item.id).execute();
    for (const l of links) if (RECORD_TYPES.has(l.target_type)) for (const p of await personsOfRecord(deps.db, l.target_type, l.target_id, readable)) personIds.add(p);
    for (const a of await repo.listAcquisitions(deps.db, item.id)) if (a.sourcePersonId) personIds.add(a.sourcePersonId);
    const withIdentities = can(subject, 'identity.reveal', { compartmentId: item.compartment });
    const clues = await cluesOf(deps, subject, personIds, withIdentities);
    const spans = suggestSpans(text, clues);
    if (withIdentities)
      await deps.audit(deps.db, { action: 'evidence.redaction-suggestions', actorId: actor.userId, targetType: 'evidence', targetId: item.id, details: { persons: clues.length, spans: spans.length, identities: true } });
    return { text, sourceItemId: source.id, spans: describeSpans(clues, spans), identities: withIdentities, persons: clues.length };
  });
}

/** A testimony the subject may redact: readable, and the right to redact in its compartment. */
async function redactableTestimony(deps: EvidenceDeps, subject: Subject, id: string): Promise<{ row: Record<string, any>; transcript: string }> {
  const def = recordType('testimonies');
  const row = await findRow(deps.db, def, id);
  if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) throw new NotFoundError(`no testimony has id ${id}`);
  if (!can(subject, 'evidence.redact', { compartmentId: row.compartment_id })) throw new ForbiddenError('your role in this compartment does not let you redact testimonies');
  const [t] = await attachSecrets(deps.db, deps, def, [fromRow(def, row)]);
  return { row, transcript: typeof t?.transcript === 'string' ? t.transcript : '' };
}

/** Where a testimony's transcript names its interviewee and the people of its acts, consent and event. */
export async function suggestTestimonyRedactions(deps: EvidenceDeps, actor: Actor, id: string): Promise<Suggestions> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const subject = await subjectOf(deps.db, actor);
    const { row, transcript } = await redactableTestimony(deps, subject, id);
    const readable = [...subject.memberships.keys()].filter((c) => can(subject, 'record.read', { compartmentId: c }));
    const withIdentities = can(subject, 'identity.reveal', { compartmentId: row.compartment_id });
    const clues = await cluesOf(deps, subject, await personsOfRecord(deps.db, 'testimonies', id, readable), withIdentities);
    const spans = suggestSpans(transcript, clues);
    if (withIdentities)
      await deps.audit(deps.db, { action: 'testimony.redaction-suggestions', actorId: actor.userId, targetType: 'testimonies', targetId: id, details: { persons: clues.length, spans: spans.length, identities: true } });
    return { text: transcript, sourceItemId: null, spans: describeSpans(clues, spans), identities: withIdentities, persons: clues.length };
  });
}

export const textRedactionSchema = z
  .object({
    spans: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(1) }).strict()).min(1).max(10_000),
    mark: z.string().min(1).max(40).default(DEFAULT_MARK),
  })
  .strict();

/** Applies spans to a text, turning a bad span into a 422 that names it. */
export function applySpans(text: string, spans: TextSpan[], mark: string, field = 'spans'): { text: string; spans: TextSpan[] } {
  try {
    return redactText(text, spans, mark);
  } catch (e) {
    if (e instanceof TextSpanError) throw new ValidationError([{ field: `${field}.${e.index}`, message: e.message }]);
    throw e;
  }
}

/**
 * A testimony's transcript with the chosen spans hidden, for a story to be made from it. Nothing
 * is stored (the transcript stays as it is); the redaction is audited on the testimony with the
 * hash of the spans and of the text made.
 */
export async function redactTestimony(deps: EvidenceDeps, actor: Actor, id: string, input: unknown): Promise<{ text: string; spans: TextSpan[]; sha256: string }> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const subject = await subjectOf(deps.db, actor);
    const { transcript } = await redactableTestimony(deps, subject, id);
    const parsed = textRedactionSchema.safeParse(input);
    if (!parsed.success) throw new ValidationError(problems(parsed.error, ''));
    if (!transcript) throw new ValidationError([{ field: 'spans', message: 'the testimony has no transcript' }]);
    const out = applySpans(transcript, parsed.data.spans, parsed.data.mark);
    const sha256 = createHash('sha256').update(out.text, 'utf8').digest('hex');
    await deps.audit(deps.db, {
      action: 'testimony.redact',
      actorId: actor.userId,
      targetType: 'testimonies',
      targetId: id,
      details: { specSha256: createHash('sha256').update(canonicalJson({ kind: 'text', ...parsed.data }), 'utf8').digest('hex'), sha256, spans: out.spans.length },
    });
    return { ...out, sha256 };
  });
}
