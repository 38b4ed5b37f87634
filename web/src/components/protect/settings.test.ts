import { describe, expect, it } from 'vitest';
import { isDoubleEscape, lockAfterMs } from './settings.js';

describe('protection settings', () => {
  it('locks after 10 minutes unless the device says otherwise (1 s to 1 h)', () => {
    expect(lockAfterMs(null)).toBe(600_000);
    expect(lockAfterMs('')).toBe(600_000);
    expect(lockAfterMs('soon')).toBe(600_000);
    expect(lockAfterMs('3')).toBe(3000);
    expect(lockAfterMs('0')).toBe(1000);
    expect(lockAfterMs('99999')).toBe(3_600_000);
  });
  it('hides on two Escapes in quick succession only', () => {
    expect(isDoubleEscape(null, 1000)).toBe(false);
    expect(isDoubleEscape(1000, 1500)).toBe(true);
    expect(isDoubleEscape(1000, 2000)).toBe(false);
  });
});
