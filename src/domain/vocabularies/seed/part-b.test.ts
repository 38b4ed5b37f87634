import { describe, expect, it } from 'vitest';
import { TERM_CODE_PATTERN, VOCABULARY_NAMES, type Labels, type VocabularySeed } from '../vocabulary.js';
import { JUSTICE_VOCABULARIES } from './justice.js';
import { SOURCES_VOCABULARIES } from './sources.js';
import { LAW_VOCABULARIES } from './law.js';

const GROUPS: [string, VocabularySeed[]][] = [
  ['JUSTICE_VOCABULARIES', JUSTICE_VOCABULARIES],
  ['SOURCES_VOCABULARIES', SOURCES_VOCABULARIES],
  ['LAW_VOCABULARIES', LAW_VOCABULARIES],
];

/** Problems with one set of labels, each prefixed with where it was found. */
function labelProblems(where: string, labels: Labels): string[] {
  const problems: string[] = [];
  for (const lang of ['be', 'ru', 'en'] as const) {
    const text = labels[lang];
    if (typeof text !== 'string' || text.length === 0) problems.push(`${where} ${lang}: empty`);
    else if (text !== text.trim()) problems.push(`${where} ${lang}: not trimmed`);
  }
  if (/[ищъИЩЪ]/.test(labels.be)) problems.push(`${where} be: contains и/щ/ъ: ${labels.be}`);
  if (/[іўІЎ]/.test(labels.ru)) problems.push(`${where} ru: contains і/ў: ${labels.ru}`);
  if (!/^[\x20-\x7E–’]+$/.test(labels.en)) problems.push(`${where} en: non-plain characters: ${labels.en}`);
  // A word mixing Cyrillic and Latin letters is almost always a typo (e.g. Latin "i" for "і").
  for (const lang of ['be', 'ru'] as const) {
    if (/[а-яёіў][a-z]|[a-z][а-яёіў]/i.test(labels[lang])) problems.push(`${where} ${lang}: mixed scripts: ${labels[lang]}`);
  }
  return problems;
}

describe.each(GROUPS)('%s', (_group, vocabularies) => {
  it('is a non-empty list of known vocabularies with unique names', () => {
    expect(vocabularies.length).toBeGreaterThan(0);
    const names = vocabularies.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(VOCABULARY_NAMES as readonly string[]).toContain(n);
  });

  it.each(vocabularies.map((v) => [v.name, v] as const))('%s: codes, parents and labels are valid', (name, v) => {
    const problems: string[] = [];
    if (v.description.trim().length === 0) problems.push(`${name}: empty description`);
    problems.push(...labelProblems(`${name} (vocabulary)`, v.labels));
    expect(v.terms.length).toBeGreaterThan(0);

    const seen = new Set<string>();
    for (const t of v.terms) {
      const where = `${name}/${t.code}`;
      if (!TERM_CODE_PATTERN.test(t.code)) problems.push(`${where}: code does not match TERM_CODE_PATTERN`);
      if (seen.has(t.code)) problems.push(`${where}: duplicate code`);
      if (t.parent !== undefined && !seen.has(t.parent)) problems.push(`${where}: parent ${t.parent} not defined earlier`);
      problems.push(...labelProblems(where, t.labels));
      seen.add(t.code);
    }
    expect(problems).toEqual([]);
  });
});
