import { describe, expect, it } from 'vitest';
import { checklist, proofOf, withId } from './logic';

describe('case workspace logic', () => {
  it('an element with nothing mapped lacks proof; an act, a finding or an evidence item each support it', () => {
    expect(proofOf({ id: 'e1' }, 0)).toEqual({ id: 'e1', acts: [], other: 0, evidence: 0, lacksProof: true });
    expect(proofOf({ id: 'e2', acts: ['a'] }, 0).lacksProof).toBe(false);
    expect(proofOf({ id: 'e3', medicalFindings: ['m'], information: null }, 0)).toMatchObject({ other: 1, lacksProof: false });
    expect(proofOf({ id: 'e4', acts: [] }, 2)).toMatchObject({ evidence: 2, lacksProof: false });
  });
  it('counts the checklist', () => {
    expect(checklist([proofOf({ id: 'a' }, 0), proofOf({ id: 'b' }, 1), proofOf({ id: 'c', acts: ['x'] }, 0)])).toEqual({ total: 3, supported: 2, lacking: 1 });
    expect(checklist([])).toEqual({ total: 0, supported: 0, lacking: 0 });
  });
  it('adds an id once and removes it', () => {
    expect(withId(null, 'a', true)).toEqual(['a']);
    expect(withId(['a'], 'a', true)).toEqual(['a']);
    expect(withId(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
