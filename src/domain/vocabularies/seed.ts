import { VOCABULARY_NAMES, type VocabularySeed } from './vocabulary.js';
import { RECORDS_VOCABULARIES } from './seed/records.js';
import { VIOLENCE_VOCABULARIES } from './seed/violence.js';
import { CUSTODY_VOCABULARIES } from './seed/custody.js';
import { JUSTICE_VOCABULARIES } from './seed/justice.js';
import { SOURCES_VOCABULARIES } from './seed/sources.js';
import { LAW_VOCABULARIES } from './seed/law.js';

/**
 * The vocabularies Letapis ships, in the order of VOCABULARY_NAMES. Seeding adds what a database
 * lacks and never changes what coordinators edited.
 */
const all = [
  ...RECORDS_VOCABULARIES,
  ...VIOLENCE_VOCABULARIES,
  ...CUSTODY_VOCABULARIES,
  ...JUSTICE_VOCABULARIES,
  ...SOURCES_VOCABULARIES,
  ...LAW_VOCABULARIES,
];
const byName = new Map(all.map((v) => [v.name, v]));

export const VOCABULARY_SEED: VocabularySeed[] = VOCABULARY_NAMES.map((n) => byName.get(n)).filter(
  (v): v is VocabularySeed => v !== undefined,
);

/** Seed entries whose name is not a known vocabulary (a mistake the seed test reports). */
export const UNKNOWN_SEED_NAMES = all.map((v) => v.name).filter((n) => !(VOCABULARY_NAMES as readonly string[]).includes(n));
