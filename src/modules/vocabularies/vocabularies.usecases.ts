import type { Kysely } from 'kysely';
import type { VocabularySeed } from '../../domain/vocabularies/vocabulary.js';
import { can, type Actor } from '../../domain/policies.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
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
