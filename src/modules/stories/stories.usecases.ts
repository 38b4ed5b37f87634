import { type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { inTransaction } from '../../adapters/db/transaction.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField } from '../../adapters/keys/field-cipher.js';
import { VaultSealedError } from '../../adapters/keys/vault.port.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../domain/errors.js';
import { can, type Actor } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { REDACTED_KIND } from '../redaction/redaction.usecases.js';
import { getRecord, listRecords, type RecordsDeps } from '../records/records.usecases.js';
import { languageTag, listTranslations } from '../translations/translations.usecases.js';

/**
 * Stories for publication (issue 9, docs/PUBLICATION.md): a testimony told for the public, per
 * language its title and redacted text (stored encrypted until published: it comes from a
 * sensitive transcript), the redacted media derivatives chosen for it, and the approvals of its
 * editors. A story is publishable only with the witness's consent for a publication scope, a
 * reviewed translation of the transcript for every language it is told in (other than the
 * testimony's own), and the approvals of two different editors; any change clears the approvals.
 */

export type StoriesDeps = RecordsDeps & { db: Kysely<any> };

/** Consent scopes that allow publication (vocabulary consent-scopes). */
export const PUBLICATION_SCOPES = ['publish-anonymously', 'publish-with-name'] as const;
/** Approvals of different editors a story needs. */
export const APPROVALS_NEEDED = 2;

const storySchema = z.object({
  testimony: z.uuid(),
  texts: z
    .array(z.object({ language: z.string().min(1).max(40), title: z.string().trim().min(1).max(300), text: z.string().trim().min(1).max(200_000) }))
    .min(1)
    .max(20),
  media: z.array(z.uuid()).max(50).default([]),
});
export type StoryInput = z.input<typeof storySchema>;

export interface StoryView {
  id: string;
  testimony: string;
  compartment: string;
  state: 'draft' | 'published' | 'withdrawn';
  version: number;
  texts: { language: string; title: string; text: string }[];
  media: string[];
  approvals: { editor: string; approvedAt: string }[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

const clock = (deps: StoriesDeps) => (deps.now ?? (() => new Date()))().toISOString();
const aad = (id: string, lang: string, part: 'title' | 'text') => `story/${id}/${lang}/${part}`;

function requireVault(deps: StoriesDeps) {
  if (!deps.vault) throw new VaultSealedError('no key vault is configured for this operation');
  if (deps.vault.isSealed()) throw new VaultSealedError();
  return deps.vault;
}

function parse(input: unknown) {
  const r = storySchema.safeParse(input);
  if (!r.success) throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || 'story', message: i.message })));
  const langs = r.data.texts.map((t, i) => languageTag(t.language, `texts.${i}.language`));
  if (new Set(langs).size !== langs.length) throw new ValidationError([{ field: 'texts', message: 'one text per language' }]);
  return { ...r.data, texts: r.data.texts.map((t, i) => ({ ...t, language: langs[i]! })) };
}

async function storyRow(db: Kysely<any>, id: string) {
  if (!z.uuid().safeParse(id).success) return undefined;
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The story, if the actor may read its testimony (else 404 as for one that does not exist). */
async function readableStory(deps: StoriesDeps, actor: Actor, id: string) {
  const row = await storyRow(deps.db, id);
  const subject = await subjectOf(deps.db, actor);
  if (!row || !can(subject, 'record.read', { compartmentId: row.compartment_id })) throw new NotFoundError(`no story has id ${id}`);
  return { row, subject };
}

/** Checks the media: redacted derivatives (never originals) in the testimony's compartment. */
async function checkMedia(db: Kysely<any>, compartment: string, media: string[]): Promise<void> {
  if (!media.length) return;
  const rows = await db.selectFrom('evidence_items').select(['id', 'derivative_kind', 'compartment_id']).where('id', 'in', media).execute();
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  const bad = media.map((m, i) => ({ m, i, r: byId.get(m) })).filter(({ r }) => !r || r.derivative_kind !== REDACTED_KIND || r.compartment_id !== compartment);
  if (bad.length)
    throw new ValidationError(bad.map(({ m, i }) => ({ field: `media.${i}`, message: `${m} is not a redacted copy in this testimony's compartment: only redacted derivatives may be published` })));
}

async function writeContent(trx: Kysely<any>, deps: StoriesDeps, id: string, body: ReturnType<typeof parse>, keyId: string | undefined): Promise<void> {
  const vault = requireVault(deps);
  let key: Buffer | undefined;
  try {
    let kid = keyId;
    if (kid) key = await loadDataKey(trx, vault, kid);
    else ({ id: kid, key } = await createDataKey(trx, vault));
    await trx.deleteFrom('story_texts').where('story_id', '=', id).execute();
    await trx.deleteFrom('story_media').where('story_id', '=', id).execute();
    for (const t of body.texts)
      await trx
        .insertInto('story_texts')
        .values({
          story_id: id,
          language: t.language,
          data_key_id: kid!,
          title_ciphertext: encryptField(key, t.title, aad(id, t.language, 'title')).toString('base64'),
          ciphertext: encryptField(key, t.text, aad(id, t.language, 'text')).toString('base64'),
        })
        .execute();
    for (const [position, derivative_id] of body.media.entries()) await trx.insertInto('story_media').values({ story_id: id, derivative_id, position }).execute();
  } finally {
    key?.fill(0);
  }
}

/** Creates a story from a testimony the actor may read, in its compartment (story.edit there). */
export async function createStory(deps: StoriesDeps, actor: Actor, input: unknown): Promise<StoryView> {
  const body = parse(input);
  const testimony = await getRecord(deps, actor, 'testimonies', body.testimony);
  const compartment = (testimony as unknown as { compartment: string }).compartment;
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'story.edit', { compartmentId: compartment })) throw new ForbiddenError('you may not prepare stories for publication in this compartment');
  await checkMedia(deps.db, compartment, body.media);
  const id = uuidv7();
  const at = clock(deps);
  await inTransaction(deps.db, async (trx) => {
    await trx
      .insertInto('stories')
      .values({ id, testimony_id: body.testimony, compartment_id: compartment, state: 'draft', version: 1, created_by: actor.userId, created_at: at, updated_at: at, published_at: null })
      .execute();
    await writeContent(trx, deps, id, body, undefined);
    await deps.audit?.(trx, { action: 'story.create', actorId: actor.userId, targetType: 'testimonies', targetId: body.testimony, details: { story: id, languages: body.texts.map((t) => t.language), media: body.media } });
  });
  return getStory(deps, actor, id);
}

/** Replaces a story's texts and media (If-Match: the version read). Clears its approvals. */
export async function updateStory(deps: StoriesDeps, actor: Actor, id: string, expectedVersion: number, input: unknown): Promise<StoryView> {
  const { row, subject } = await readableStory(deps, actor, id);
  if (!can(subject, 'story.edit', { compartmentId: row.compartment_id })) throw new ForbiddenError('you may not change stories in this compartment');
  const body = parse(input);
  if (body.testimony !== row.testimony_id) throw new ValidationError([{ field: 'testimony', message: 'a story stays with its testimony' }]);
  await checkMedia(deps.db, row.compartment_id, body.media);
  await inTransaction(deps.db, async (trx) => {
    const keyId = (await trx.selectFrom('story_texts').select('data_key_id').where('story_id', '=', id).executeTakeFirst())?.data_key_id as string | undefined;
    const res = await trx
      .updateTable('stories')
      .set({ version: Number(row.version) + 1, updated_at: clock(deps) })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new PreconditionFailedError('the story changed since you read it: reload it', Number(row.version));
    await writeContent(trx, deps, id, body, keyId);
    const cleared = await trx.deleteFrom('story_approvals').where('story_id', '=', id).executeTakeFirst();
    await deps.audit?.(trx, {
      action: 'story.update',
      actorId: actor.userId,
      targetType: 'testimonies',
      targetId: row.testimony_id,
      details: { story: id, version: Number(row.version) + 1, languages: body.texts.map((t) => t.language), media: body.media, approvalsCleared: Number(cleared.numDeletedRows) },
    });
  });
  return getStory(deps, actor, id);
}

/** Approves the story as it is now, as an editor (story.approve); each editor approves once. */
export async function approveStory(deps: StoriesDeps, actor: Actor, id: string, expectedVersion: number): Promise<StoryView> {
  const { row, subject } = await readableStory(deps, actor, id);
  if (!can(subject, 'story.approve', { compartmentId: row.compartment_id })) throw new ForbiddenError('only an editor (a coordinator of the compartment) may approve a story');
  if (Number(row.version) !== expectedVersion) throw new PreconditionFailedError('the story changed since you read it: read it again before approving', Number(row.version));
  await inTransaction(deps.db, async (trx) => {
    const already = await trx.selectFrom('story_approvals').select('editor_id').where('story_id', '=', id).where('editor_id', '=', actor.userId).executeTakeFirst();
    if (already) throw new ConflictError('you have approved this story already: another editor must approve it too');
    await trx.insertInto('story_approvals').values({ story_id: id, editor_id: actor.userId, story_version: expectedVersion, approved_at: clock(deps) }).execute();
    await deps.audit?.(trx, { action: 'story.approve', actorId: actor.userId, targetType: 'testimonies', targetId: row.testimony_id, details: { story: id, version: expectedVersion } });
  });
  return getStory(deps, actor, id);
}

/** A story with its texts decrypted (the vault must be unsealed). */
export async function getStory(deps: StoriesDeps, actor: Actor, id: string): Promise<StoryView> {
  const { row } = await readableStory(deps, actor, id);
  const texts = await deps.db.selectFrom('story_texts').selectAll().where('story_id', '=', id).orderBy('language').execute();
  const media = await deps.db.selectFrom('story_media').select('derivative_id').where('story_id', '=', id).orderBy('position').execute();
  const approvals = await deps.db
    .selectFrom('story_approvals')
    .innerJoin('users', 'users.id', 'story_approvals.editor_id')
    .select(['users.username', 'story_approvals.approved_at'])
    .where('story_id', '=', id)
    .orderBy('approved_at')
    .execute();
  const out: StoryView['texts'] = [];
  if (texts.length) {
    const vault = requireVault(deps);
    const key = await loadDataKey(deps.db, vault, texts[0]!.data_key_id as string);
    try {
      for (const t of texts)
        out.push({
          language: t.language as string,
          title: decryptField(key, Buffer.from(t.title_ciphertext as string, 'base64'), aad(id, t.language as string, 'title')),
          text: decryptField(key, Buffer.from(t.ciphertext as string, 'base64'), aad(id, t.language as string, 'text')),
        });
    } finally {
      key.fill(0);
    }
  }
  return {
    id,
    testimony: row.testimony_id,
    compartment: row.compartment_id,
    state: row.state,
    version: Number(row.version),
    texts: out,
    media: media.map((m) => m.derivative_id as string),
    approvals: approvals.map((a) => ({ editor: a.username as string, approvedAt: a.approved_at as string })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at ?? null,
  };
}

export type Publishability = { ok: true } | { ok: false; reasons: string[]; consentWithdrawn: boolean };

/** A consent that allows publication: a publication scope, not withdrawn, naming no recipient (the public). */
function allowsPublication(c: Record<string, unknown>): boolean {
  const scopes = (c.scopes as string[] | undefined) ?? [];
  const named = typeof c.recipient === 'string' ? c.recipient.trim() : '';
  return PUBLICATION_SCOPES.some((s) => scopes.includes(s)) && !c.withdrawnAt && named === '';
}

/**
 * Whether the story may be published, or every reason it may not: the witness's consent for a
 * publication scope (the testimony's consent if it names one, else any of the interviewee's), a
 * reviewed translation of the transcript for each language other than the testimony's own, and
 * the approvals of two different editors.
 */
export async function publishable(deps: StoriesDeps, actor: Actor, id: string): Promise<Publishability> {
  const story = await getStory(deps, actor, id);
  const testimony = (await getRecord(deps, actor, 'testimonies', story.testimony)) as unknown as Record<string, unknown>;
  const reasons: string[] = [];
  let consents: Record<string, unknown>[];
  if (typeof testimony.consent === 'string' && testimony.consent) {
    consents = [(await getRecord(deps, actor, 'consents', testimony.consent).catch(() => null)) as unknown as Record<string, unknown>].filter(Boolean);
  } else {
    consents = (await listRecords(deps, actor, 'consents', { person: testimony.interviewee as string, limit: 100 })).items as unknown as Record<string, unknown>[];
  }
  const allowed = consents.some(allowsPublication);
  // the witness had consented to publication and has withdrawn it: a published story comes down
  const consentWithdrawn = !allowed && consents.some((c) => !!c.withdrawnAt && allowsPublication({ ...c, withdrawnAt: null }));
  if (!allowed)
    reasons.push(
      consentWithdrawn
        ? 'consent: the witness withdrew consent to publication'
        : `consent: the witness has not consented to publication (a consent with scope ${PUBLICATION_SCOPES.join(' or ')}, naming no recipient)`,
    );
  const translations = (await listTranslations(deps, actor, 'testimonies', story.testimony)).translations.filter((x) => x.field === 'transcript');
  for (const t of story.texts) {
    if (t.language === testimony.language) continue;
    const tr = translations.find((x) => x.language === t.language);
    if (tr?.status !== 'reviewed') reasons.push(`translation: the transcript's translation into ${t.language} is ${tr ? `${tr.status}, not reviewed` : 'missing'}`);
    else if (tr.outdated) reasons.push(`translation: the transcript changed since its translation into ${t.language} was made: it must be translated and reviewed again`);
  }
  if (story.approvals.length < APPROVALS_NEEDED)
    reasons.push(`approvals: ${story.approvals.length} of ${APPROVALS_NEEDED} different editors have approved this version`);
  return reasons.length ? { ok: false, reasons, consentWithdrawn } : { ok: true };
}
