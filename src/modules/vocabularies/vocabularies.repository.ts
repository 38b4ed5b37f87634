import type { Kysely } from 'kysely';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { columnName } from '../../domain/records/fields.js';

export interface VocabularyRow {
  name: string;
  labels: { be: string; ru: string; en: string };
  description: string | null;
  version: number;
}

export interface TermRow {
  code: string;
  parent: string | null;
  labels: { be: string; ru: string; en: string };
  position: number;
  deprecated: boolean;
}

export async function listVocabularies(db: Kysely<any>): Promise<(VocabularyRow & { termCount: number })[]> {
  const rows = await db
    .selectFrom('vocabularies as v')
    .leftJoin('vocabulary_terms as t', 't.vocabulary', 'v.name')
    .select(['v.name', 'v.label_be', 'v.label_ru', 'v.label_en', 'v.description', 'v.version'])
    .select((eb) => eb.fn.count('t.code').as('term_count'))
    .groupBy(['v.name', 'v.label_be', 'v.label_ru', 'v.label_en', 'v.description', 'v.version'])
    .orderBy('v.name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    labels: { be: r.label_be, ru: r.label_ru, en: r.label_en },
    description: r.description,
    version: Number(r.version),
    termCount: Number(r.term_count),
  }));
}

export async function findVocabulary(db: Kysely<any>, name: string): Promise<VocabularyRow | undefined> {
  const r = await db.selectFrom('vocabularies').selectAll().where('name', '=', name).executeTakeFirst();
  return r
    ? { name: r.name, labels: { be: r.label_be, ru: r.label_ru, en: r.label_en }, description: r.description, version: Number(r.version) }
    : undefined;
}

export async function listTerms(db: Kysely<any>, vocabulary: string): Promise<TermRow[]> {
  const rows = await db
    .selectFrom('vocabulary_terms')
    .selectAll()
    .where('vocabulary', '=', vocabulary)
    .orderBy('position')
    .execute();
  return rows.map(termOf);
}

const termOf = (r: any): TermRow => ({
  code: r.code,
  parent: r.parent_code ?? null,
  labels: { be: r.label_be, ru: r.label_ru, en: r.label_en },
  position: Number(r.position),
  deprecated: Boolean(Number(r.deprecated)),
});

export async function findTerm(db: Kysely<any>, vocabulary: string, code: string): Promise<TermRow | undefined> {
  const r = await db.selectFrom('vocabulary_terms').selectAll().where('vocabulary', '=', vocabulary).where('code', '=', code).executeTakeFirst();
  return r ? termOf(r) : undefined;
}

/** Code → parent code of every term of a vocabulary (for cycle checks). */
export async function parentsOf(db: Kysely<any>, vocabulary: string): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('vocabulary_terms').select(['code', 'parent_code']).where('vocabulary', '=', vocabulary).execute();
  return new Map(rows.map((r) => [r.code as string, (r.parent_code as string | null) ?? null]));
}

export async function nextPosition(db: Kysely<any>, vocabulary: string): Promise<number> {
  const r = await db
    .selectFrom('vocabulary_terms')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('vocabulary', '=', vocabulary)
    .executeTakeFirst();
  return r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
}

/**
 * Moves a vocabulary from `expected` to the next version; false when it is not at `expected`
 * (someone changed it meanwhile). Taken first in a change's transaction, it also serialises
 * concurrent changes of one vocabulary (PostgreSQL locks the row until the commit).
 */
export async function bumpVersion(db: Kysely<any>, vocabulary: string, expected: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('vocabularies')
    .set({ version: expected + 1, updated_at: at })
    .where('name', '=', vocabulary)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertTerm(db: Kysely<any>, vocabulary: string, t: TermRow, at: string): Promise<void> {
  await db
    .insertInto('vocabulary_terms')
    .values({
      vocabulary,
      code: t.code,
      parent_code: t.parent,
      label_be: t.labels.be,
      label_ru: t.labels.ru,
      label_en: t.labels.en,
      position: t.position,
      deprecated: t.deprecated ? 1 : 0,
      updated_at: at,
    })
    .execute();
}

export async function updateTerm(db: Kysely<any>, vocabulary: string, t: TermRow, at: string): Promise<void> {
  await db
    .updateTable('vocabulary_terms')
    .set({
      parent_code: t.parent,
      label_be: t.labels.be,
      label_ru: t.labels.ru,
      label_en: t.labels.en,
      position: t.position,
      deprecated: t.deprecated ? 1 : 0,
      updated_at: at,
    })
    .where('vocabulary', '=', vocabulary)
    .where('code', '=', t.code)
    .execute();
}

/** Which of `codes` are deprecated terms of `vocabulary`. */
export async function deprecatedAmong(db: Kysely<any>, vocabulary: string, codes: string[]): Promise<string[]> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom('vocabulary_terms')
    .select('code')
    .where('vocabulary', '=', vocabulary)
    .where('deprecated', '<>', 0)
    .where('code', 'in', unique)
    .execute();
  return rows.map((r) => r.code as string);
}

/** Whether any record holds `code` of `vocabulary` in one of its fields (a column or a list). */
export async function termInUse(db: Kysely<any>, vocabulary: string, code: string): Promise<boolean> {
  for (const def of RECORD_TYPES.values()) {
    for (const [name, f] of Object.entries(def.fields)) {
      if ((f.kind !== 'vocab' && f.kind !== 'vocabList') || f.vocabulary !== vocabulary || f.sensitive) continue;
      const hit =
        f.kind === 'vocab'
          ? await db.selectFrom(def.table).select('id').where(columnName(name), '=', code).limit(1).executeTakeFirst()
          : await db
              .selectFrom('record_terms')
              .select('record_id')
              .where('record_type', '=', def.name)
              .where('field', '=', name)
              .where('code', '=', code)
              .limit(1)
              .executeTakeFirst();
      if (hit) return true;
    }
  }
  return false;
}
