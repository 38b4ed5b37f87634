import { describe, expect, it } from 'vitest';
import { generatePassword } from './admin';

describe('generatePassword', () => {
  it('gives four groups of five letters without look-alikes, long enough for the server', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
    expect(p.length).toBeGreaterThanOrEqual(12);
    expect(generatePassword()).not.toBe(p);
  });
  it('skips bytes that would bias the choice', () => {
    let calls = 0;
    const p = generatePassword((n) => new Uint8Array(n).fill(calls++ === 0 ? 250 : 57));
    expect(calls).toBe(2);
    expect(p).toBe('bbbbb-bbbbb-bbbbb-bbbbb');
  });
});
