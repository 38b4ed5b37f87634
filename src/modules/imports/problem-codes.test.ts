import { describe, expect, it } from 'vitest';
import { recordType } from '../../domain/records/catalog.js';
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import { parseBody, zodProblems } from '../records/records.usecases.js';
import { RECORD_SCHEMAS } from '../records/records.schemas.js';
import { codeOfRecordProblem, PROBLEM_CODES } from './problem-codes.js';

const C = '01900000-0000-7000-8000-0000000000c0';

/** The problems the records use cases give for `body` as a new record of `type` (schema, then the type's rules). */
function problemsOf(type: string, body: Record<string, unknown>): FieldProblem[] {
  try {
    parseBody(RECORD_SCHEMAS.get(type as never)!.create, body);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return (recordType(type as never).rules ?? []).flatMap((rule) => rule(body));
}

/**
 * The codes of the records use cases' messages: taken from the messages the schemas and rules
 * really write, so a change of their wording that the mapping no longer knows shows here.
 */
describe('codes of record problems', () => {
  it('knows the messages of the schemas: required, too long, too many, out of range', () => {
    expect(problemsOf('persons', { compartment: C }).map(codeOfRecordProblem)).toContainEqual({ code: 'required' });
    const long = problemsOf('persons', { compartment: C, pseudonym: 'я'.repeat(201) });
    expect(long.map(codeOfRecordProblem)).toEqual([{ code: 'too-long', params: { max: 200 } }]);
    const far = problemsOf('places', { compartment: C, nameBe: 'Мінск', latitude: 91, longitude: 27.5 });
    expect(far.map(codeOfRecordProblem)).toEqual([{ code: 'too-large', params: { max: 90 } }]);
    const days = problemsOf('sentences', { compartment: C, proceeding: '01900000-0000-7000-8000-000000000000', kind: 'arrest', days: -1 });
    expect(days.map(codeOfRecordProblem)).toEqual([{ code: 'too-small', params: { min: 0 } }]);
  });

  it('knows the rules of the record types', () => {
    expect(problemsOf('places', { compartment: C, latitude: 53.9 }).map(codeOfRecordProblem)).toEqual([
      { code: 'at-least-one-of', params: { fields: 'nameEn, nameBe, nameRu' } },
      { code: 'latitude-and-longitude' },
    ]);
    const ev = problemsOf('events', { compartment: C, title: 'Разгон', status: 'alleged', start: { value: '2020-08-10', precision: 'day' }, end: { value: '2020-08-09', precision: 'day' } });
    expect(ev.map(codeOfRecordProblem)).toEqual([{ code: 'end-before-start', params: { end: 'end', start: 'start' } }]);
  });

  it('knows the checks of references and vocabularies, and leaves other messages uncoded', () => {
    expect(codeOfRecordProblem({ field: 'defendant', message: 'no person has id 01900000-0000-7000-8000-000000000000' })).toEqual({ code: 'record-not-found', params: { type: 'persons' } });
    expect(codeOfRecordProblem({ field: 'names', message: 'no person name has id 01900000-0000-7000-8000-000000000000' })).toEqual({ code: 'record-not-found', params: { type: 'person-names' } });
    expect(codeOfRecordProblem({ field: 'kind', message: '"x" is not a code of the "proceeding-kinds" vocabulary' })).toEqual({ code: 'unknown-term', params: { vocabulary: 'proceeding-kinds' } });
    expect(codeOfRecordProblem({ field: 'kind', message: '"x" is deprecated in the "proceeding-kinds" vocabulary: records that have it keep it, but choose a current term for a new value' })).toEqual({
      code: 'deprecated-term',
      params: { vocabulary: 'proceeding-kinds' },
    });
    expect(codeOfRecordProblem({ field: 'date', message: 'the disk is full (simulated)' })).toEqual({});
    expect(codeOfRecordProblem({ field: 'x', message: 'no spaceship has id 1' })).toEqual({});
  });

  it('every code is unique and in kebab case', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
    for (const c of PROBLEM_CODES) expect(c).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
