import { describe, expect, it } from 'vitest';
import { TERM_CODE_PATTERN, type Labels, type VocabularySeed } from '../vocabulary.js';
import { RECORDS_VOCABULARIES } from './records.js';
import { VIOLENCE_VOCABULARIES } from './violence.js';
import { CUSTODY_VOCABULARIES } from './custody.js';

const GROUPS: [string, VocabularySeed[]][] = [
  ['records', RECORDS_VOCABULARIES],
  ['violence', VIOLENCE_VOCABULARIES],
  ['custody', CUSTODY_VOCABULARIES],
];

const EN_PATTERN = /^[\x20-\x7E–’]+$/;

/** Problems with one set of labels, each prefixed with `where`. */
function labelProblems(where: string, labels: Labels): string[] {
  const out: string[] = [];
  for (const lang of ['be', 'ru', 'en'] as const) {
    const value = labels[lang];
    if (typeof value !== 'string' || value.length === 0) out.push(`${where}: ${lang} label is empty`);
    else if (value.trim() !== value) out.push(`${where}: ${lang} label is not trimmed`);
  }
  if (/[ищъИЩЪ]/.test(labels.be)) out.push(`${where}: be label has и, щ or ъ: ${labels.be}`);
  if (/[іўІЎ]/.test(labels.ru)) out.push(`${where}: ru label has і or ў: ${labels.ru}`);
  if (!EN_PATTERN.test(labels.en)) out.push(`${where}: en label has characters outside plain ASCII: ${labels.en}`);
  return out;
}

describe.each(GROUPS)('%s vocabularies', (_group, vocabularies) => {
  it('is not empty and has unique vocabulary names', () => {
    expect(vocabularies.length).toBeGreaterThan(0);
    const names = vocabularies.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(vocabularies.map((v) => [v.name, v] as const))('%s is well formed', (name, vocabulary) => {
    const problems: string[] = [];
    if (!TERM_CODE_PATTERN.test(name)) problems.push(`vocabulary name ${name} does not match TERM_CODE_PATTERN`);
    problems.push(...labelProblems(`${name} (vocabulary)`, vocabulary.labels));
    if (vocabulary.description.trim().length === 0) problems.push(`${name}: description is empty`);
    if (vocabulary.terms.length === 0) problems.push(`${name}: no terms`);

    const seen = new Set<string>();
    for (const term of vocabulary.terms) {
      const where = `${name}/${term.code}`;
      if (!TERM_CODE_PATTERN.test(term.code)) problems.push(`${where}: code does not match TERM_CODE_PATTERN`);
      if (seen.has(term.code)) problems.push(`${where}: duplicate code`);
      if (term.parent !== undefined && !seen.has(term.parent)) {
        problems.push(`${where}: parent ${term.parent} does not appear earlier`);
      }
      seen.add(term.code);
      problems.push(...labelProblems(where, term.labels));
    }
    expect(problems).toEqual([]);
  });
});
