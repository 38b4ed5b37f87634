import { describe, expect, it } from 'vitest';
import { buildTranscript, initialState, newIncident, newPerpetrator, parseApproxDate, proposedActs, reviewProblems, topicsCovered } from './model.js';

const plus3 = () => '+03:00';

describe('approximate dates as witnesses give them', () => {
  it('reads years, months, days and times in ISO and in the dotted form', () => {
    expect(parseApproxDate('2020')).toEqual({ value: '2020', precision: 'year' });
    expect(parseApproxDate('2020-8')).toEqual({ value: '2020-08', precision: 'month' });
    expect(parseApproxDate('08.2020')).toEqual({ value: '2020-08', precision: 'month' });
    expect(parseApproxDate(' 2020-08-10 ')).toEqual({ value: '2020-08-10', precision: 'day' });
    expect(parseApproxDate('10.08.2020')).toEqual({ value: '2020-08-10', precision: 'day' });
    expect(parseApproxDate('10.08.2020 23:15', false, plus3)).toEqual({ value: '2020-08-10T23:15:00+03:00', precision: 'exact' });
    expect(parseApproxDate('2020-08-10T07:05', false, plus3)).toEqual({ value: '2020-08-10T07:05:00+03:00', precision: 'exact' });
  });
  it('marks an estimate, keeps empty as no date, refuses what is not a date', () => {
    expect(parseApproxDate('2020-08', true)).toEqual({ value: '2020-08', precision: 'estimate' });
    expect(parseApproxDate('   ')).toBeNull();
    expect(parseApproxDate('31.02.2020')).toBe('invalid');
    expect(parseApproxDate('2020-13')).toBe('invalid');
    expect(parseApproxDate('2020-08-10 25:00')).toBe('invalid');
    expect(parseApproxDate('last summer')).toBe('invalid');
  });
});

describe('the transcript and topics', () => {
  const parts = [
    { topic: 'circumstances-before', heading: 'Before', text: 'At the march.' },
    { topic: 'what-was-said', heading: 'Said', text: '  ' },
    { topic: 'detention-routine', heading: 'Transport', text: 'A bus.' },
    { topic: 'detention-routine', heading: 'Food', text: 'None.' },
  ];
  it('keeps only topics with something said, under their headings', () => {
    expect(buildTranscript(parts)).toBe('## Before\n\nAt the march.\n\n## Transport\n\nA bus.\n\n## Food\n\nNone.');
    expect(topicsCovered(parts)).toEqual(['circumstances-before', 'detention-routine']);
  });
});

describe('acts proposed from the interview', () => {
  it('makes one act per included incident with the perpetrators described in it', () => {
    const s = initialState('doc');
    const second = newIncident();
    s.incidents.push(second);
    const a = { ...newPerpetrator([s.incidents[0]!.key]), label: 'Officer in a balaclava' };
    const unnamed = newPerpetrator([s.incidents[0]!.key, second.key]); // no label: not proposed
    const unit = { ...newPerpetrator([second.key]), kind: 'unit' as const, unit: 'u1' };
    s.perpetrators.push(a, unnamed, unit);
    second.include = false;
    const acts = proposedActs(s);
    expect(acts).toHaveLength(1);
    expect(acts[0]!.perpetrators.map((p: { key: string }) => p.key)).toEqual([a.key]);
  });
  it('says what is missing: the act type, a readable date, the event', () => {
    const s = initialState('doc');
    s.incidents[0]!.start = 'yesterday';
    const problems = reviewProblems(s);
    expect(problems).toContainEqual([`${s.incidents[0]!.key}.type`, 'required']);
    expect(problems).toContainEqual([`${s.incidents[0]!.key}.start`, 'date']);
    expect(problems).toContainEqual(['event.title', 'required']);
  });
});
