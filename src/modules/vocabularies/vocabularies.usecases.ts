import type { Kysely } from 'kysely';
import { z } from 'zod';
import { TERM_CODE_PATTERN, type VocabularySeed } from '../../domain/vocabularies/vocabulary.js';
import { can, type Actor } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { forgetVocabularyLabels } from '../search/documents.js';
import * as repo from './vocabularies.repository.js';

/**
 * Adds the shipped vocabularies and any shipped terms the database lacks. Never changes or removes
 * what is there: coordinators may have edited labels, and records may use any existing code.
 * Returns how many vocabularies and terms were added.
 */
export async function seedVocabularies(db: Kysely<any>, seed: VocabularySeed[], now = new Date()): Promise<{ vocabularies: number; terms: number }> {
  const at = now.toISOString();
  let vocabularies = 0;
  let terms = 0;
  await db.transaction().execute(async (trx) => {
    const existing = new Set((await trx.selectFrom('vocabularies').select('name').execute()).map((r) => r.name));
    for (const v of seed) {
      if (!existing.has(v.name)) {
        await trx
          .insertInto('vocabularies')
          .values({ name: v.name, label_be: v.labels.be, label_ru: v.labels.ru, label_en: v.labels.en, description: v.description, version: 1, updated_at: at })
          .execute();
        vocabularies++;
      }
      const have = new Set(
        (await trx.selectFrom('vocabulary_terms').select('code').where('vocabulary', '=', v.name).execute()).map((r) => r.code),
      );
      const missing = v.terms
        .map((t, position) => ({ t, position }))
        .filter(({ t }) => !have.has(t.code));
      if (missing.length) {
        await trx
          .insertInto('vocabulary_terms')
          .values(
            missing.map(({ t, position }) => ({
              vocabulary: v.name,
              code: t.code,
              parent_code: t.parent ?? null,
              label_be: t.labels.be,
              label_ru: t.labels.ru,
              label_en: t.labels.en,
              position,
              deprecated: 0,
              updated_at: at,
            })),
          )
          .execute();
        terms += missing.length;
        if (existing.has(v.name))
          await trx.updateTable('vocabularies').set((eb) => ({ version: eb('version', '+', 1), updated_at: at })).where('name', '=', v.name).execute();
      }
    }
  });
  return { vocabularies, terms };
}

export async function listVocabularies(db: Kysely<any>, actor: Actor) {
  if (!can(actor, 'vocabulary.read')) throw new ForbiddenError('your role may not read vocabularies');
  return repo.listVocabularies(db);
}

export async function getVocabulary(db: Kysely<any>, actor: Actor, name: string) {
  if (!can(actor, 'vocabulary.read')) throw new ForbiddenError('your role may not read vocabularies');
  const v = await repo.findVocabulary(db, name);
  if (!v) throw new NotFoundError(`no vocabulary is named "${name}"`);
  return { ...v, terms: await repo.listTerms(db, name) };
}

// ── editing (coordinators and administrators) ────────────────────────────────────────────────────

export interface VocabularyDeps {
  db: Kysely<any>;
  audit: AppendAuditEvent;
  now?: () => Date;
}

/** A label as people type it: trimmed, not empty, at most 200 characters. */
const label = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const termLabelsSchema = z.object({ be: label, ru: label, en: label }).strict();

export const termCodeSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .regex(TERM_CODE_PATTERN, 'use lower-case Latin letters and digits, words joined by single hyphens (or dots), e.g. "beating-batons"');

const position = z.number().int().min(0).max(1_000_000);

/** Body of POST /api/v1/vocabularies/:name/terms. */
export const newTermSchema = z
  .object({
    code: termCodeSchema,
    parent: termCodeSchema.nullable().optional().describe('Code of the parent term, in the same vocabulary'),
    labels: termLabelsSchema,
    position: position.optional().describe('Order among the terms (default: after the last)'),
  })
  .strict();

/** Body of PATCH /api/v1/vocabularies/:name/terms/:code: the code itself never changes. */
export const termChangeSchema = z
  .object({
    labels: z.object({ be: label.optional(), ru: label.optional(), en: label.optional() }).strict().optional(),
    parent: termCodeSchema.nullable().optional().describe('Code of the new parent term, or null for none'),
    position: position.optional(),
    deprecated: z.boolean().optional().describe('A deprecated term stays valid where records already use it, but cannot be chosen anew'),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one of labels, parent, position, deprecated' });

export type NewTerm = z.infer<typeof newTermSchema>;
export type TermChange = z.infer<typeof termChangeSchema>;

export interface TermChangeResult {
  /** The vocabulary's version after the change (its new ETag). */
  version: number;
  term: repo.TermRow;
  /** The search reindex queued because records using the term are indexed with its old labels. */
  reindexJobId: string | null;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems: FieldProblem[] = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return { field: (i as any).keys.join(', '), message: `unknown field: ${(i as any).keys.join(', ')}` };
    const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
    return { field: i.path.join('.') || '(body)', message: missing ? 'is required' : i.message };
  });
  throw new ValidationError(problems);
}

function authorizeEdit(actor: Actor): void {
  if (!can(actor, 'vocabulary.edit')) throw new ForbiddenError('only coordinators and administrators change vocabularies');
}

/**
 * Takes the vocabulary from `expected` to its next version, first thing in the change's
 * transaction; 404 when there is no such vocabulary, 412 when it is not at `expected`.
 */
async function nextVersion(trx: Kysely<any>, name: string, expected: number, at: string): Promise<number> {
  if (await repo.bumpVersion(trx, name, expected, at)) return expected + 1;
  const v = await repo.findVocabulary(trx, name);
  if (!v) throw new NotFoundError(`no vocabulary is named "${name}"`);
  throw new PreconditionFailedError(
    `the vocabulary "${name}" is at version ${v.version}, not ${expected}: someone changed it since you read it. Reload it and apply your change again.`,
    v.version,
  );
}

/** Refuses a parent that is not a current term of the vocabulary, or that would make a cycle. */
async function checkParent(trx: Kysely<any>, name: string, code: string, parent: string): Promise<void> {
  const parents = await repo.parentsOf(trx, name);
  if (!parents.has(parent)) throw new ValidationError([{ field: 'parent', message: `"${parent}" is not a term of the "${name}" vocabulary` }]);
  const p = await repo.findTerm(trx, name, parent);
  if (p?.deprecated) throw new ValidationError([{ field: 'parent', message: `"${parent}" is deprecated: choose a current term as the parent` }]);
  // walk up from the new parent: reaching the term itself means it would be its own ancestor
  const seen = new Set<string>();
  for (let at: string | null = parent; at !== null; at = parents.get(at) ?? null) {
    if (at === code) throw new ValidationError([{ field: 'parent', message: `"${parent}" is "${code}" itself or one of its descendants: a term cannot be placed under itself` }]);
    if (seen.has(at)) break; // an older cycle in the data: not this change's doing
    seen.add(at);
  }
}

/** A label change reaches the search documents of the records using the term by a reindex. */
async function reindexIfUsed(trx: Kysely<any>, name: string, code: string): Promise<string | null> {
  if (!(await repo.termInUse(trx, name, code))) return null;
  const job = await enqueue(trx, 'search.reindex', {}, { dedupeKey: 'search.reindex', maxAttempts: 3 });
  return job.id;
}

/**
 * Adds a term to a vocabulary at `expectedVersion` (else 412). Its code is for good: records will
 * store it, so it is never renamed or removed (a term goes out of use by being deprecated).
 *
 * @example await addTerm(deps, actor, 'methods', 3, { code: 'cold-water-dousing', parent: 'environmental', labels: { be: '…', ru: '…', en: 'Dousing with cold water' } })
 */
export async function addTerm(deps: VocabularyDeps, actor: Actor, name: string, expectedVersion: number, input: unknown): Promise<TermChangeResult> {
  authorizeEdit(actor);
  const body = parse(newTermSchema, input);
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const result = await inTransaction(deps.db, async (trx) => {
    const version = await nextVersion(trx, name, expectedVersion, at);
    if (await repo.findTerm(trx, name, body.code))
      throw new ConflictError(`the "${name}" vocabulary already has a term "${body.code}": codes are unique and never reused. Choose another code, or change that term`);
    if (body.parent) await checkParent(trx, name, body.code, body.parent);
    const term: repo.TermRow = {
      code: body.code,
      parent: body.parent ?? null,
      labels: body.labels,
      position: body.position ?? (await repo.nextPosition(trx, name)),
      deprecated: false,
    };
    await repo.insertTerm(trx, name, term, at);
    await deps.audit(trx, {
      action: 'vocabulary.term-add',
      actorId: actor.userId,
      targetType: 'vocabulary_term',
      targetId: `${name}/${term.code}`,
      details: { vocabulary: name, code: term.code, version, before: null, after: term },
    });
    return { version, term, reindexJobId: null };
  });
  forgetVocabularyLabels(); // records indexed from now on find the new term's labels
  return result;
}

/**
 * Changes a term's labels, parent, position or deprecation at `expectedVersion` (else 412). The
 * code stays. A label change of a term that records use queues the search reindex, so searching
 * for the new words finds them.
 */
export async function changeTerm(deps: VocabularyDeps, actor: Actor, name: string, code: string, expectedVersion: number, input: unknown): Promise<TermChangeResult> {
  authorizeEdit(actor);
  const body = parse(termChangeSchema, input);
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const result = await inTransaction(deps.db, async (trx) => {
    const version = await nextVersion(trx, name, expectedVersion, at);
    const before = await repo.findTerm(trx, name, code);
    if (!before) throw new NotFoundError(`the "${name}" vocabulary has no term "${code}"`);
    if (body.parent && body.parent !== before.parent) await checkParent(trx, name, code, body.parent);
    const after: repo.TermRow = {
      code,
      parent: body.parent === undefined ? before.parent : body.parent,
      labels: { ...before.labels, ...(body.labels ?? {}) } as repo.TermRow['labels'],
      position: body.position ?? before.position,
      deprecated: body.deprecated ?? before.deprecated,
    };
    await repo.updateTerm(trx, name, after, at);
    const labelsChanged = JSON.stringify(before.labels) !== JSON.stringify(after.labels);
    const reindexJobId = labelsChanged ? await reindexIfUsed(trx, name, code) : null;
    await deps.audit(trx, {
      action: 'vocabulary.term-change',
      actorId: actor.userId,
      targetType: 'vocabulary_term',
      targetId: `${name}/${code}`,
      details: { vocabulary: name, code, version, before, after, ...(reindexJobId ? { reindexJobId } : {}) },
    });
    return { version, term: after, reindexJobId, labelsChanged };
  });
  if (result.labelsChanged) forgetVocabularyLabels();
  return { version: result.version, term: result.term, reindexJobId: result.reindexJobId };
}
