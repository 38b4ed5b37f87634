import { describe, expect, it } from 'vitest';
import { isUnfinished, jobFiltersFrom, jobsQueryString, lastCosignatures, verifierKeyParts, type Checkpoint } from './system.js';

describe('the jobs list in the URL', () => {
  it('reads state and name under the API parameter names, dropping values the API would refuse', () => {
    expect(jobFiltersFrom(new URLSearchParams('state=dead&name=search.reindex'))).toEqual({ state: 'dead', name: 'search.reindex' });
    expect(jobFiltersFrom(new URLSearchParams('state=sleeping&name=Not A Name'))).toEqual({});
    expect(jobFiltersFrom(new URLSearchParams(''))).toEqual({});
  });

  it('asks for a page with the filters and the cursor of the previous one', () => {
    expect(jobsQueryString({ state: 'dead' })).toBe('state=dead&limit=25');
    expect(jobsQueryString({ name: 'case.export' }, '0192f0c4-0000-7000-8000-000000000000', 10)).toBe('name=case.export&limit=10&cursor=0192f0c4-0000-7000-8000-000000000000');
  });

  it('keeps refreshing only while a job is queued or running', () => {
    expect(['queued', 'running', 'done', 'failed', 'dead'].map((state) => isUnfinished({ state: state as 'queued' }))).toEqual([true, true, false, false, false]);
  });
});

describe('ledger keys and witnesses', () => {
  it('splits a verifier key into its name and fingerprint, and refuses what is not one', () => {
    expect(verifierKeyParts('letapis.example.org/ledger+1a2b3c4d+AVhx0e9Sk2w=')).toEqual({ name: 'letapis.example.org/ledger', keyId: '1a2b3c4d' });
    expect(verifierKeyParts('no key here')).toBeNull();
    expect(verifierKeyParts('name+XYZ+AAAA')).toBeNull();
  });

  it("finds each witness's newest cosignature and the size it covered", () => {
    const cp = (size: number, cos: [string, number][]): Checkpoint => ({
      size,
      rootHash: '0'.repeat(64),
      body: '',
      note: '',
      createdAt: '2026-11-22T10:00:00Z',
      reason: 'manual',
      cosignatures: cos.map(([witness, signedAt]) => ({ witness, signedAt, trusted: true })),
      witnessed: cos.length > 0,
      timestamps: [],
    });
    const rows = lastCosignatures(['w1.example+00000001+AAAA', 'w2.example+00000002+AAAA'], [cp(30, [['w2.example', 300]]), cp(20, [['w1.example', 200], ['w2.example', 250]]), cp(10, [['w1.example', 100]])]);
    expect(rows).toEqual([
      { witness: 'w1.example', keyId: '00000001', last: { size: 20, signedAt: 200 } },
      { witness: 'w2.example', keyId: '00000002', last: { size: 30, signedAt: 300 } },
    ]);
    expect(lastCosignatures(['w3.example+00000003+AAAA'], [cp(5, [])])[0]!.last).toBeNull();
  });
});
