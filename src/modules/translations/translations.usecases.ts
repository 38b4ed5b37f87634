import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { inTransaction } from '../../adapters/db/transaction.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField, FieldDecryptionError } from '../../adapters/keys/field-cipher.js';
import { VaultSealedError } from '../../adapters/keys/vault.port.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, ValidationError } from '../../domain/errors.js';
import { can, compartmentsWhere, type Actor, type Subject } from '../../domain/policies.js';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { columnName, type RecordTypeDef, type RecordTypeName } from '../../domain/records/fields.js';
import { canonicalLanguageTag, DEFAULT_TRANSLATION_LANGUAGES } from '../../domain/languages.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { findRow, fromRow, labelsOf } from '../records/records.repository.js';
import { attachSecrets, auditingIntegrity, IntegrityError, type SecretsDeps } from '../records/secrets.js';
import { recordDataKeyId } from '../records/secrets.repository.js';

/**
 * Translations of prose fields (issue 9, docs/TRANSLATIONS.md): any multi-line text field of any
 * record — a testimony's transcript among them — may have one translation per language, with a
 * status (draft, machine, reviewed), the translator who saved the text last and the reviewer. The
 * translation of a field stored encrypted is stored encrypted too, under a data key of the vault,
 * with "translation/<type>/<id>/<field>/<language>" bound in. Each translation remembers a hash of
 * the source text it was made from, so a changed source shows it as outdated. Every save and review
 * is an audit event on the record (and so a leaf of the custody ledger, chained with the record's
 * other events), in the transaction of the change.
 */

export type TranslationStatus = 'draft' | 'machine' | 'reviewed';
export type TranslationsDeps = SecretsDeps & {
  db: Kysely<any>;
  now?: () => Date;
  /** The organisation's languages, offered first and queued by default (LETAPIS_TRANSLATION_LANGUAGES; default be, ru, en). Any other valid tag is accepted too. */
  languages?: readonly string[];
};

/** Prose fields: multi-line text (never identities). */
export function proseFields(def: RecordTypeDef): string[] {
  return Object.entries(def.fields)
    .filter(([, f]) => f.kind === 'text' && f.multiline && f.sensitive !== 'identity')
    .map(([n]) => n);
}

/** Record types with at least one prose field. */
export function translatableTypes(): RecordTypeDef[] {
  return [...RECORD_TYPES.values()].filter((d) => proseFields(d).length > 0);
}

/** A language tag in its canonical form (`BE-latn` → `be-Latn`), or a ValidationError naming `field`. */
export function languageTag(input: string, field = 'language'): string {
  const tag = canonicalLanguageTag(input);
  if (!tag) throw new ValidationError([{ field, message: `"${input.slice(0, 40)}" is not a language tag such as be, ru, en, uk, pl or be-Latn (BCP 47)` }]);
  return tag;
}

const clock = (deps: TranslationsDeps) => (deps.now ?? (() => new Date()))().toISOString();
const aad = (type: string, id: string, field: string, lang: string) => `translation/${type}/${id}/${field}/${lang}`;

function typeDef(type: string): RecordTypeDef {
  const def = RECORD_TYPES.get(type as RecordTypeName);
  if (!def) throw new NotFoundError(`there is no record type "${type}"`);
  return def;
}

function proseField(def: RecordTypeDef, field: string): void {
  if (!proseFields(def).includes(field))
    throw new NotFoundError(`${def.name} have no prose field "${field}"; translatable: ${proseFields(def).join(', ') || 'none'}`);
}

function requireVault(deps: SecretsDeps) {
  if (!deps.vault) throw new VaultSealedError('no key vault is configured for this operation');
  if (deps.vault.isSealed()) throw new VaultSealedError();
  return deps.vault;
}

interface Source {
  def: RecordTypeDef;
  record: Record<string, unknown> & { id: string; compartment: string; version: number };
}

/** A record the subject can read (prose secrets decrypted), or 404 as for one that does not exist. */
async function readable(db: Kysely<any>, deps: SecretsDeps, subject: Subject, type: string, id: string): Promise<Source> {
  const def = typeDef(type);
  const row = z.uuid().safeParse(id).success ? await findRow(db, def, id) : undefined;
  if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) throw new NotFoundError(`no ${def.singular} has id ${id}`);
  const [record] = await attachSecrets(db, deps, def, [fromRow(def, row)]);
  return { def, record: record as Source['record'] };
}

/**
 * The hash of a source text a translation is made from: SHA-256 for text kept in clear, a keyed
 * hash under the vault for encrypted text (a plain hash of a short secret could be guessed).
 */
function sourceHash(deps: SecretsDeps, def: RecordTypeDef, field: string, text: string): string {
  if (def.fields[field]!.sensitive === 'prose') return `k:${requireVault(deps).blindIndex(text, 'translation-source', { bytes: 32 })}`;
  return `s:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

interface Row {
  id: string;
  record_type: string;
  record_id: string;
  field: string;
  language: string;
  text: string | null;
  data_key_id: string | null;
  ciphertext: string | null;
  status: TranslationStatus;
  translator_id: string | null;
  reviewer_id: string | null;
  reviewed_at: string | null;
  source_hash: string;
  source_version: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Opens the text of a stored translation. */
async function textOf(db: Kysely<any>, deps: SecretsDeps, r: Row): Promise<string> {
  if (r.text !== null) return r.text;
  const vault = requireVault(deps);
  let key: Buffer | undefined;
  try {
    key = await loadDataKey(db, vault, r.data_key_id!);
    return decryptField(key, Buffer.from(r.ciphertext!, 'base64'), aad(r.record_type, r.record_id, r.field, r.language));
  } catch (e) {
    if (e instanceof FieldDecryptionError) throw new IntegrityError(r.record_type, r.record_id, `translation of ${r.field} into ${r.language}`, typeDef(r.record_type).singular);
    throw e;
  } finally {
    key?.fill(0);
  }
}

export interface TranslationView {
  field: string;
  language: string;
  text: string;
  status: TranslationStatus;
  translator: { id: string; username: string } | null;
  reviewer: { id: string; username: string } | null;
  reviewedAt: string | null;
  /** The record's version when the text was last saved. */
  sourceVersion: number;
  /** The source field has changed (or been emptied) since the translation was made from it. */
  outdated: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

async function usernames(db: Kysely<any>, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'username']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id as string, r.username as string]));
}

async function view(db: Kysely<any>, deps: SecretsDeps, src: Source, rows: Row[]): Promise<TranslationView[]> {
  const names = await usernames(db, rows.flatMap((r) => [r.translator_id, r.reviewer_id]));
  const who = (id: string | null) => (id ? { id, username: names.get(id) ?? '(deleted user)' } : null);
  const out: TranslationView[] = [];
  for (const r of rows) {
    const current = src.record[r.field];
    out.push({
      field: r.field,
      language: r.language,
      text: await textOf(db, deps, r),
      status: r.status,
      translator: who(r.translator_id),
      reviewer: who(r.reviewer_id),
      reviewedAt: r.reviewed_at,
      sourceVersion: Number(r.source_version),
      outdated: typeof current !== 'string' || current === '' || sourceHash(deps, src.def, r.field, current) !== r.source_hash,
      version: Number(r.version),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    });
  }
  return out;
}

const rowsOf = (db: Kysely<any>, type: string, id: string) =>
  db.selectFrom('translations').selectAll().where('record_type', '=', type).where('record_id', '=', id).orderBy('field').orderBy('language').execute() as Promise<Row[]>;

export interface RecordTranslations {
  type: string;
  id: string;
  compartment: string;
  recordVersion: number;
  /** The prose fields: whether each has text to translate and whether it is stored encrypted. */
  fields: { field: string; hasText: boolean; encrypted: boolean }[];
  /** Languages to offer: the organisation's (default be, ru, en), then any other this record is translated into. */
  languages: string[];
  translations: TranslationView[];
  permissions: { write: boolean; review: boolean };
}

/** A record's translations, with what may be translated; reading follows the record's. */
export async function listTranslations(deps: TranslationsDeps, actor: Actor, type: string, id: string): Promise<RecordTranslations> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const subject = await subjectOf(deps.db, actor);
    const src = await readable(deps.db, deps, subject, type, id);
    const translations = await view(deps.db, deps, src, await rowsOf(deps.db, src.def.name, id));
    const resource = { compartmentId: src.record.compartment };
    return {
      type: src.def.name,
      id,
      compartment: src.record.compartment,
      recordVersion: src.record.version,
      fields: proseFields(src.def).map((f) => ({ field: f, hasText: typeof src.record[f] === 'string' && src.record[f] !== '', encrypted: src.def.fields[f]!.sensitive === 'prose' })),
      // the organisation's languages, then any other this record is already translated into
      languages: [...new Set([...(deps.languages ?? DEFAULT_TRANSLATION_LANGUAGES), ...translations.map((x) => x.language).sort()])],
      translations,
      permissions: { write: can(subject, 'translation.write', resource), review: can(subject, 'translation.review', resource) },
    };
  });
}

/**
 * Runs a change of one translation: the record readable (else 404), the field a prose field, the
 * language a valid tag, the action allowed in the record's compartment (else 403), all in one
 * transaction; a ciphertext failing its integrity check is audited.
 */
function onTranslation<T>(
  deps: TranslationsDeps,
  actor: Actor,
  target: { type: string; id: string; field: string; language: string },
  action: 'translation.write' | 'translation.review',
  fn: (trx: Kysely<any>, src: Source, lang: string) => Promise<T>,
): Promise<T> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const subject = await subjectOf(deps.db, actor);
    const lang = languageTag(target.language);
    return inTransaction(deps.db, async (trx) => {
      const src = await readable(trx, deps, subject, target.type, target.id);
      proseField(src.def, target.field);
      if (!can(subject, action, { compartmentId: src.record.compartment }))
        throw new ForbiddenError(`your role in this ${src.def.singular}'s compartment does not let you ${action === 'translation.write' ? 'translate it' : 'review its translations'}`);
      return fn(trx, src, lang);
    });
  });
}

export const saveTranslationSchema = z
  .object({
    // empty text is refused by the use case, after the permission check (docs: an empty translation is none)
    text: z.string().max(100_000),
    status: z.enum(['draft', 'machine']).default('draft').describe('machine: the text came from a machine translation tool and no one has checked it yet'),
  })
  .strict();

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  return r.data;
}

function stale(current: number, expected: number) {
  return new PreconditionFailedError(`this translation is at version ${current}, not ${expected}: someone changed it since you read it. Reload it and apply your change again.`, current);
}

async function findTranslation(db: Kysely<any>, type: string, id: string, field: string, lang: string): Promise<Row | undefined> {
  return (await db
    .selectFrom('translations')
    .selectAll()
    .where('record_type', '=', type)
    .where('record_id', '=', id)
    .where('field', '=', field)
    .where('language', '=', lang)
    .executeTakeFirst()) as Row | undefined;
}

/**
 * Creates or replaces the translation of one field into one language. A new one needs no
 * If-Match (one that exists meanwhile: 412); replacing needs the version read (else 428 / 412).
 * Saving changed text makes it a draft (or machine) again, whatever it was; the same text again
 * changes nothing. Audited as `translation.save` on the record.
 */
export async function saveTranslation(
  deps: TranslationsDeps,
  actor: Actor,
  type: string,
  id: string,
  field: string,
  language: string,
  expectedVersion: number | undefined,
  input: unknown,
): Promise<TranslationView> {
  return onTranslation(deps, actor, { type, id, field, language }, 'translation.write', async (trx, src, lang) => {
      const body = parse(saveTranslationSchema, input);
      if (body.text.trim() === '') throw new ValidationError([{ field: 'text', message: 'a translation needs text' }]);
      const source = src.record[field];
      if (typeof source !== 'string' || source === '')
        throw new ValidationError([{ field, message: `this ${src.def.singular}'s ${field} is empty: there is nothing to translate` }]);
      if (src.def.fields.language && src.record.language === lang)
        throw new ValidationError([{ field: 'language', message: `this ${src.def.singular} is itself in ${lang}` }]);
      const current = await findTranslation(trx, src.def.name, id, field, lang);
      if (current && expectedVersion === undefined) throw new PreconditionRequiredError('this translation exists: send If-Match with the ETag you read, so a change made meanwhile is not overwritten');
      if (!current && expectedVersion !== undefined) throw new PreconditionFailedError('this translation does not exist (any more): reload and save it as new, without If-Match', 0);
      if (current && Number(current.version) !== expectedVersion) throw stale(Number(current.version), expectedVersion!);
      const hash = sourceHash(deps, src.def, field, source);
      if (current && (await textOf(trx, deps, current)) === body.text && current.source_hash === hash && (current.status === body.status || current.status === 'reviewed'))
        return (await view(trx, deps, src, [current]))[0]!;
      const at = clock(deps);
      const encrypted = src.def.fields[field]!.sensitive === 'prose';
      let stored: { text: string | null; data_key_id: string | null; ciphertext: string | null } = { text: body.text, data_key_id: null, ciphertext: null };
      if (encrypted) {
        const vault = requireVault(deps);
        const keyId = current?.data_key_id ?? (await recordDataKeyId(trx, src.def.name, id));
        let key: Buffer | undefined;
        try {
          let kid = keyId;
          if (kid) key = await loadDataKey(trx, vault, kid);
          else ({ id: kid, key } = await createDataKey(trx, vault));
          stored = { text: null, data_key_id: kid!, ciphertext: encryptField(key, body.text, aad(src.def.name, id, field, lang)).toString('base64') };
        } finally {
          key?.fill(0);
        }
      }
      const common = { ...stored, status: body.status, translator_id: actor.userId, reviewer_id: null, reviewed_at: null, source_hash: hash, source_version: src.record.version, updated_at: at };
      let version = 1;
      if (current) {
        version = Number(current.version) + 1;
        const res = await trx
          .updateTable('translations')
          .set({ ...common, version })
          .where('id', '=', current.id)
          .where('version', '=', Number(current.version))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw stale(Number(current.version) + 1, expectedVersion!);
      } else {
        await trx.insertInto('translations').values({ id: uuidv7(), record_type: src.def.name, record_id: id, field, language: lang, ...common, version, created_at: at }).execute();
      }
      await deps.audit?.(trx, {
        action: 'translation.save',
        actorId: actor.userId,
        targetType: src.def.name,
        targetId: id,
        details: {
          field,
          language: lang,
          status: body.status,
          version,
          sourceVersion: src.record.version,
          sourceHash: hash,
          // the hash of a text kept in clear; an encrypted one's plain hash could be guessed
          ...(encrypted ? {} : { textSha256: createHash('sha256').update(body.text, 'utf8').digest('hex') }),
          ...(current?.status === 'reviewed' ? { reviewWithdrawn: true } : {}),
        },
      });
      return (await view(trx, deps, src, [(await findTranslation(trx, src.def.name, id, field, lang))!]))[0]!;
  });
}

/**
 * Marks a translation reviewed (If-Match required). The reviewer must not be the translator who
 * saved its text last, and the translation must have been made from the source as it is now.
 * Audited as `translation.review` on the record.
 */
export async function reviewTranslation(
  deps: TranslationsDeps,
  actor: Actor,
  type: string,
  id: string,
  field: string,
  language: string,
  expectedVersion: number | undefined,
): Promise<TranslationView> {
  return onTranslation(deps, actor, { type, id, field, language }, 'translation.review', async (trx, src, lang) => {
      if (expectedVersion === undefined) throw new PreconditionRequiredError('send If-Match with the ETag of the translation you reviewed');
      const current = await findTranslation(trx, src.def.name, id, field, lang);
      if (!current) throw new NotFoundError(`this ${src.def.singular}'s ${field} has no translation into ${lang}`);
      if (Number(current.version) !== expectedVersion) throw stale(Number(current.version), expectedVersion);
      if (current.translator_id === actor.userId) throw new ForbiddenError('you saved the latest text of this translation: someone else must review it');
      if (current.status === 'reviewed') throw new ConflictError(`this translation was already reviewed at version ${current.version}`);
      const [shown] = await view(trx, deps, src, [current]);
      if (shown!.outdated) throw new ConflictError(`the ${field} changed since this translation was made from it: bring the translation up to date and save it first`);
      const at = clock(deps);
      const version = Number(current.version) + 1;
      const res = await trx
        .updateTable('translations')
        .set({ status: 'reviewed', reviewer_id: actor.userId, reviewed_at: at, updated_at: at, version })
        .where('id', '=', current.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw stale(version, expectedVersion);
      await deps.audit?.(trx, {
        action: 'translation.review',
        actorId: actor.userId,
        targetType: src.def.name,
        targetId: id,
        details: { field, language: lang, version, translator: current.translator_id, sourceVersion: Number(current.source_version), sourceHash: current.source_hash },
      });
      return (await view(trx, deps, src, [(await findTranslation(trx, src.def.name, id, field, lang))!]))[0]!;
  });
}

export const queueQuerySchema = z
  .object({
    compartment: z.uuid().optional().describe('Only this compartment (default: every compartment you can read)'),
    language: z.string().max(35).optional().describe("Target language (default: the organisation's languages, LETAPIS_TRANSLATION_LANGUAGES, by default be, ru and en)"),
    status: z
      .string()
      .regex(/^(untranslated|draft|machine|outdated)(,(untranslated|draft|machine|outdated))*$/, 'one or more of untranslated, draft, machine, outdated, comma-separated')
      .optional()
      .describe('untranslated: a prose field with text but no translation into the language (awaits translation); draft, machine: awaits review; outdated: the source changed since (awaits translation again). Default: all four'),
    type: z.string().max(50).optional().describe('Only this record type'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export type QueueState = 'untranslated' | 'draft' | 'machine' | 'outdated';

export interface QueueItem {
  type: string;
  id: string;
  compartment: string;
  label: string | null;
  field: string;
  language: string;
  state: QueueState;
  translation: { version: number; status: TranslationStatus; translator: { id: string; username: string } | null; updatedAt: string } | null;
}

/**
 * What awaits translation (prose fields with text and no translation into a language, or whose
 * translation is outdated) and what awaits review (drafts and machine translations), in the
 * compartments the actor can read. A record in the target language itself (its `language` field) is
 * left out. At most `limit` items, oldest records first; `truncated` says more wait.
 */
export async function translationQueue(deps: TranslationsDeps, actor: Actor, query: unknown): Promise<{ items: QueueItem[]; truncated: boolean; languages: string[] }> {
  return auditingIntegrity(deps.db, deps, actor.userId, async () => {
    const q = parse(queueQuerySchema, query);
    const subject = await subjectOf(deps.db, actor);
    let compartments = compartmentsWhere(subject, 'record.read');
    if (q.compartment) compartments = compartments.filter((c) => c === q.compartment);
    const languages = q.language ? [languageTag(q.language)] : [...(deps.languages ?? DEFAULT_TRANSLATION_LANGUAGES)];
    const states = new Set((q.status ?? 'untranslated,draft,machine,outdated').split(',') as QueueState[]);
    const defs = q.type ? [typeDef(q.type)] : translatableTypes();
    const items: QueueItem[] = [];
    const want = q.limit + 1;
    const db = deps.db;
    const configured = [...(deps.languages ?? DEFAULT_TRANSLATION_LANGUAGES)];
    if (compartments.length === 0) return { items: [], truncated: false, languages: configured };
    outer: for (const def of defs) {
      for (const field of proseFields(def)) {
        const secret = def.fields[field]!.sensitive === 'prose';
        const hasText = secret
          ? sql<boolean>`exists (select 1 from record_secrets s where s.record_type = ${def.name} and s.record_id = t.id and s.field = ${field})`
          : sql<boolean>`(t.${sql.ref(columnName(field))} is not null and t.${sql.ref(columnName(field))} <> '')`;
        for (const lang of languages) {
          const notItself = def.fields.language ? sql<boolean>`(t.language is null or t.language <> ${lang})` : sql<boolean>`1 = 1`;
          if (states.has('untranslated')) {
            const rows = await db
              .selectFrom(`${def.table} as t`)
              .select(['t.id', 't.compartment_id'])
              .where('t.compartment_id', 'in', compartments)
              .where(hasText)
              .where(notItself)
              .where(({ not, exists, selectFrom }) =>
                not(exists(selectFrom('translations as tr').select('tr.id').whereRef('tr.record_id', '=', 't.id').where('tr.record_type', '=', def.name).where('tr.field', '=', field).where('tr.language', '=', lang))),
              )
              .orderBy('t.created_at')
              .orderBy('t.id')
              .limit(want - items.length)
              .execute();
            for (const r of rows) items.push({ type: def.name, id: r.id as string, compartment: r.compartment_id as string, label: null, field, language: lang, state: 'untranslated', translation: null });
            if (items.length >= want) break outer;
          }
          const statuses = [...(['draft', 'machine'] as const).filter((s) => states.has(s)), ...(states.has('outdated') ? (['reviewed'] as const) : [])];
          if (statuses.length === 0) continue;
          const rows = (await db
            .selectFrom('translations as tr')
            .innerJoin(`${def.table} as t`, 't.id', 'tr.record_id')
            .selectAll('tr')
            .select(['t.compartment_id as record_compartment'])
            .where('tr.record_type', '=', def.name)
            .where('tr.field', '=', field)
            .where('tr.language', '=', lang)
            .where('t.compartment_id', 'in', compartments)
            .orderBy('tr.updated_at')
            .orderBy('tr.id')
            .execute()) as (Row & { record_compartment: string })[];
          if (rows.length === 0) continue;
          // whether each is outdated: the current source's hash against the one it was made from
          const current = await currentSources(db, deps, def, field, rows.map((r) => r.record_id));
          const names = await usernames(db, rows.map((r) => r.translator_id));
          for (const r of rows) {
            const text = current.get(r.record_id);
            const outdated = !text || sourceHash(deps, def, field, text) !== r.source_hash;
            const state: QueueState = outdated ? 'outdated' : (r.status as QueueState);
            if (!states.has(state) || state === ('reviewed' as QueueState)) continue;
            items.push({
              type: def.name,
              id: r.record_id,
              compartment: r.record_compartment,
              label: null,
              field,
              language: lang,
              state,
              translation: { version: Number(r.version), status: r.status, translator: r.translator_id ? { id: r.translator_id, username: names.get(r.translator_id) ?? '(deleted user)' } : null, updatedAt: r.updated_at },
            });
            if (items.length >= want) break outer;
          }
        }
      }
    }
    const truncated = items.length > q.limit;
    const page = items.slice(0, q.limit);
    for (const def of defs) {
      const mine = page.filter((i) => i.type === def.name);
      if (!mine.length) continue;
      const labels = await labelsOf(db, def, mine.map((i) => i.id), compartments);
      for (const i of mine) i.label = labels.get(i.id) ?? null;
    }
    return { items: page, truncated, languages: configured };
  });
}

/** The current text of one prose field of many records (decrypted when stored encrypted). */
async function currentSources(db: Kysely<any>, deps: SecretsDeps, def: RecordTypeDef, field: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    if (def.fields[field]!.sensitive === 'prose') {
      const opened = await attachSecrets(db, deps, def, chunk.map((id) => ({ id }) as { id: string } & Record<string, unknown>));
      for (const r of opened) if (typeof r[field] === 'string') out.set(r.id, r[field] as string);
    } else {
      const rows = await db.selectFrom(def.table).select(['id', columnName(field)]).where('id', 'in', chunk).execute();
      for (const r of rows) if (typeof r[columnName(field)] === 'string') out.set(r.id as string, r[columnName(field)] as string);
    }
  }
  return out;
}

/**
 * Removes a record's translations (the record is being deleted, in the caller's transaction): they
 * would otherwise stay behind, encrypted ones included, with no record to reach them by. The audit
 * events of their saves and reviews stay in the ledger.
 */
export async function deleteRecordTranslations(db: Kysely<any>, type: string, id: string): Promise<void> {
  await db.deleteFrom('translations').where('record_type', '=', type).where('record_id', '=', id).execute();
}
