import { describe, expect, it } from 'vitest';
import { errorPosition, hitPath, isEmptySearch, paramsOf, snippetPieces, stateFromUrl, toggleFilter } from './search.js';

describe('the search in the URL', () => {
  it('reads the API parameters from the URL and writes them back the same, empty ones left out', () => {
    const s = stateFromUrl(new URLSearchParams('q=окрестина "коридор"&type=acts,events&facility=f1&from=2020-08&sort=-date&bogus=1'));
    expect(s.q).toBe('окрестина "коридор"');
    expect(s.filters.type).toEqual(['acts', 'events']);
    expect(s.filters.facility).toEqual(['f1']);
    expect(s.filters.method).toEqual([]);
    expect(s.sort).toBe('-date');
    expect(paramsOf(s).toString()).toBe(new URLSearchParams('q=окрестина "коридор"&type=acts,events&facility=f1&from=2020-08&sort=-date').toString());
    expect(stateFromUrl(new URLSearchParams('sort=sideways')).sort).toBe('relevance');
  });

  it('toggles a facet value on and off', () => {
    const s = stateFromUrl(new URLSearchParams('q=x'));
    const on = toggleFilter(s, 'method', 'beating');
    expect(paramsOf(on).get('method')).toBe('beating');
    expect(paramsOf(toggleFilter(toggleFilter(on, 'method', 'choking'), 'method', 'beating')).get('method')).toBe('choking');
    expect(paramsOf(toggleFilter(on, 'method', 'beating')).has('method')).toBe(false);
  });

  it('knows an empty search, and where hits open', () => {
    expect(isEmptySearch(stateFromUrl(new URLSearchParams('q=%20')))).toBe(true);
    expect(isEmptySearch(stateFromUrl(new URLSearchParams('type=acts')))).toBe(false);
    expect(hitPath({ type: 'evidence', id: 'e1' })).toBe('/evidence/e1');
    expect(hitPath({ type: 'acts', id: 'a1' })).toBe('/records/acts/a1');
  });
});

describe('snippets', () => {
  it('cuts the text at the highlight offsets, merging overlaps and clamping what lies outside', () => {
    expect(snippetPieces('…в изоляторе на Окрестина…', [[3, 12], [16, 25]])).toEqual([
      { text: '…в ', mark: false },
      { text: 'изоляторе', mark: true },
      { text: ' на ', mark: false },
      { text: 'Окрестина', mark: true },
      { text: '…', mark: false },
    ]);
    expect(snippetPieces('abcdef', [[1, 3], [2, 4], [5, 99], [4, 4]])).toEqual([
      { text: 'a', mark: false },
      { text: 'bcd', mark: true },
      { text: 'e', mark: false },
      { text: 'f', mark: true },
    ]);
    // markup in the text stays text: pieces are rendered as text nodes
    expect(snippetPieces('<b>x</b>', [])).toEqual([{ text: '<b>x</b>', mark: false }]);
  });

  it('finds the character a syntax error points at', () => {
    expect(errorPosition('unclosed quote (at character 7)')).toBe(7);
    expect(errorPosition('something else')).toBeNull();
  });
});
