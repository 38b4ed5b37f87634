/**
 * Vocabularies are data: codes with labels in Belarusian, Russian and English, optionally
 * hierarchical (a term may name a parent term of the same vocabulary).
 */

/** Labels of one term or vocabulary in the three content languages. */
export interface Labels {
  be: string;
  ru: string;
  en: string;
}

/** One term of a vocabulary as shipped in the seed. */
export interface VocabularyTermSeed {
  /** Stable machine code: lower-case ASCII words joined by hyphens, e.g. `beating-batons`. */
  code: string;
  /** Code of the parent term within the same vocabulary, if hierarchical. */
  parent?: string;
  labels: Labels;
}

/** One vocabulary as shipped in the seed. */
export interface VocabularySeed {
  /** Vocabulary name, e.g. `act-types`. Record fields name it. */
  name: string;
  labels: Labels;
  /** One sentence on what the vocabulary is for and where its terms come from. */
  description: string;
  terms: VocabularyTermSeed[];
}

/** The names of every vocabulary that record fields may use. */
export const VOCABULARY_NAMES = [
  'event-types',
  'act-types',
  'methods',
  'victim-statuses',
  'person-roles',
  'involvement-degrees',
  'identification-bases',
  'detention-conditions',
  'release-reasons',
  'facility-kinds',
  'unit-kinds',
  'place-kinds',
  'proceeding-kinds',
  'proceeding-outcomes',
  'legal-codes',
  'sentence-kinds',
  'colony-regimes',
  'source-kinds',
  'source-connections',
  'consent-scopes',
  'testimony-topics',
  'body-regions',
  'injury-kinds',
  'legal-frameworks',
  'crimes',
  'crime-elements',
  'liability-modes',
] as const;

export type VocabularyName = (typeof VOCABULARY_NAMES)[number];

/** A valid term code: lower-case ASCII letters, digits and single hyphens. */
export const TERM_CODE_PATTERN = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
