import { describe, expect, it } from 'vitest';
import { endOfPeriod, spanOf } from './timeline-spans.js';

describe('timeline spans', () => {
  it('a date known to the day covers that day', () => {
    expect(spanOf({ start: '2020-08-10', startPrecision: 'day', end: null, endPrecision: null })).toEqual({ from: '2020-08-10', to: '2020-08-11', approximate: false });
    expect(spanOf({ start: '2020-08-10', startPrecision: 'exact', end: null, endPrecision: null }).approximate).toBe(false);
  });

  it('a month-precision date is the whole month, a year the whole year, both approximate', () => {
    expect(spanOf({ start: '2020-08-01', startPrecision: 'month', end: null, endPrecision: null })).toEqual({ from: '2020-08-01', to: '2020-09-01', approximate: true });
    expect(spanOf({ start: '2020-01-01', startPrecision: 'year', end: null, endPrecision: null })).toEqual({ from: '2020-01-01', to: '2021-01-01', approximate: true });
    expect(endOfPeriod('2020-12-01', 'month')).toBe('2021-01-01');
  });

  it('an estimate is a day, marked approximate', () => {
    expect(spanOf({ start: '2020-08-10', startPrecision: 'estimate', end: null, endPrecision: null })).toEqual({ from: '2020-08-10', to: '2020-08-11', approximate: true });
  });

  it('an end extends the span to the end of its own period', () => {
    expect(spanOf({ start: '2020-08-09', startPrecision: 'exact', end: '2020-08-12', endPrecision: 'day' })).toEqual({ from: '2020-08-09', to: '2020-08-13', approximate: false });
    expect(spanOf({ start: '2020-08-09', startPrecision: 'day', end: '2020-10-01', endPrecision: 'month' })).toEqual({ from: '2020-08-09', to: '2020-11-01', approximate: true });
    // an end recorded earlier than the start's own period does not shorten it
    expect(spanOf({ start: '2020-08-01', startPrecision: 'month', end: '2020-08-05', endPrecision: 'day' }).to).toBe('2020-09-01');
  });
});
