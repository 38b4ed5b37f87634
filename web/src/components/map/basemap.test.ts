import { describe, expect, it } from 'vitest';
import { BELARUS_ID, contains, loadBasemap } from './basemap.js';
import { regionOf } from './regions.js';

describe('the bundled basemap (Natural Earth via world-atlas)', () => {
  it('keeps Belarus and its neighbours, and tells a point inside Belarus from one across the border', async () => {
    const countries = await loadBasemap();
    const names = countries.map((c) => c.properties.name);
    for (const n of ['Belarus', 'Poland', 'Lithuania', 'Latvia', 'Ukraine', 'Russia']) expect(names).toContain(n);
    expect(names).not.toContain('Brazil');
    const belarus = countries.find((c) => c.id === BELARUS_ID)!;
    expect(contains(belarus, 53.9, 27.5667)).toBe(true); // Minsk
    expect(contains(belarus, 52.0976, 23.6877)).toBe(true); // Brest
    expect(contains(belarus, 54.6872, 25.2797)).toBe(false); // Vilnius
    expect(contains(belarus, 52.2297, 21.0122)).toBe(false); // Warsaw
    expect(regionOf(54.6872, 25.2797, (lat, lon) => contains(belarus, lat, lon))).toBeNull();
  });
});
