import { describe, expect, it } from 'vitest';
import { filtersFromParams, paramsWithFilters, periodEnd, searchHref, withinPeriod } from './filters.js';

describe('the filters in the URL', () => {
  it('reads the search parameters, lists comma-separated, ignoring malformed dates and empty lists', () => {
    const p = new URLSearchParams('from=2020-08&to=bad&facility=a,b,a&unit=&actType=torture&interval=week');
    expect(filtersFromParams(p)).toEqual({ from: '2020-08', facility: ['a', 'b'], actType: ['torture'] });
  });

  it('writes them back, keeping the page’s other parameters and dropping cleared filters', () => {
    const next = paramsWithFilters(new URLSearchParams('interval=week&facility=x'), { from: '2020-08-01', method: ['beating', 'stress-position'] });
    expect(next.get('interval')).toBe('week');
    expect(next.get('facility')).toBeNull();
    expect(next.get('from')).toBe('2020-08-01');
    expect(next.get('method')).toBe('beating,stress-position');
  });

  it('links to the search page with the same parameter names, narrowed by the figure', () => {
    expect(searchHref({ from: '2020-08-01', unit: ['u1'] }, { type: 'acts', actType: ['torture'] })).toBe('/search?type=acts&from=2020-08-01&unit=u1&actType=torture');
    // a narrowing list replaces the page's own
    expect(searchHref({ facility: ['f1', 'f2'] }, { type: 'custody-stays', facility: ['f2'] })).toBe('/search?type=custody-stays&facility=f2');
    expect(searchHref({})).toBe('/search');
  });

  it('turns a chart period into [from, to), within the filters’ own range', () => {
    expect(periodEnd('2020-08-01', 'month')).toBe('2020-09-01');
    expect(periodEnd('2020-08-10', 'week')).toBe('2020-08-17');
    expect(periodEnd('2020-02-28', 'day')).toBe('2020-02-29');
    expect(periodEnd('2020-01-01', 'year')).toBe('2021-01-01');
    expect(withinPeriod({}, '2020-08-01', 'month')).toEqual({ from: '2020-08-01', to: '2020-09-01' });
    expect(withinPeriod({ from: '2020-08-09', to: '2020-08-20', unit: ['u'] }, '2020-08-01', 'month')).toEqual({ from: '2020-08-09', to: '2020-08-20', unit: ['u'] });
  });
});
