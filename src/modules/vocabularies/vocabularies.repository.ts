import type { Kysely } from 'kysely';

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
  return rows.map((r) => ({
    code: r.code,
    parent: r.parent_code ?? null,
    labels: { be: r.label_be, ru: r.label_ru, en: r.label_en },
    position: Number(r.position),
    deprecated: Boolean(Number(r.deprecated)),
  }));
}
