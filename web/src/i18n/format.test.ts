import { describe, expect, it } from 'vitest';
import { formatters, intlChoice } from './format.js';

describe('dates and numbers in the UI language', () => {
  const at = new Date(Date.UTC(2020, 7, 9, 18, 5));
  it('uses the language itself where Intl has it (month names in Belarusian)', () => {
    expect(intlChoice('be')).toEqual({ locale: 'be', numeric: false });
    expect(formatters('be').date(at)).toMatch(/жніўня 2020/);
    expect(formatters('ru').date(at)).toMatch(/августа 2020/);
    expect(formatters('en').date(at)).toMatch(/August 9, 2020/);
    expect(formatters('be').number(1234567.5)).toBe(new Intl.NumberFormat('be').format(1234567.5));
  });

  it('writes dates with digits only, never in another language, where the browser lacks Belarusian (Chromium)', () => {
    const chromiumLike = (l: string) => l !== 'be';
    const choice = intlChoice('be', chromiumLike);
    expect(choice).toEqual({ locale: 'ru', numeric: true });
    const f = formatters('be', choice);
    expect(f.date(at)).toMatch(/^\d{2}\.08\.2020$/);
    expect(f.dateTime(at)).toMatch(/^\d{2}\.08\.2020, \d{2}:\d{2}$/);
    expect(f.dateTime(at)).not.toMatch(/[a-zа-яё]/i);
    expect(intlChoice('be', () => false)).toEqual({ locale: 'be', numeric: true });
  });
});
