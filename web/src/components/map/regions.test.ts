import { describe, expect, it } from 'vitest';
import { byRegion, distanceKm, regionOf } from './regions.js';

describe('regions of Belarus by nearest administrative centre', () => {
  it('measures distances on the sphere', () => {
    // Minsk–Brest is about 325 km as the crow flies
    expect(distanceKm([53.9, 27.5667], [52.0976, 23.6877])).toBeGreaterThan(310);
    expect(distanceKm([53.9, 27.5667], [52.0976, 23.6877])).toBeLessThan(340);
  });

  it('puts the demo’s real places in their real regions', () => {
    expect(regionOf(53.9093, 27.4955)).toBe('minsk-city'); // Pushkinskaya metro station
    expect(regionOf(53.8622, 27.4977)).toBe('minsk-city'); // Akrestsina street
    expect(regionOf(54.0985, 28.3331)).toBe('minsk'); // Zhodzina
    expect(regionOf(52.7167, 25.3333)).toBe('brest'); // Ivatsevichy district
    expect(regionOf(52.0939, 23.6868)).toBe('brest');
    expect(regionOf(53.6779, 23.8294)).toBe('hrodna');
    expect(regionOf(52.4412, 30.9878)).toBe('homiel');
    expect(regionOf(55.19, 30.2)).toBe('viciebsk');
    expect(regionOf(53.9, 30.33)).toBe('mahilyou');
  });

  it('leaves places outside Belarus in no region', () => {
    expect(regionOf(52.2297, 21.0122)).toBeNull(); // Warsaw
    // Vilnius lies inside Belarus's bounding box: only the outline tells it apart
    expect(regionOf(54.6872, 25.2797)).toBe('hrodna');
    expect(regionOf(54.6872, 25.2797, (lat, lon) => !(lat > 54.5 && lon < 25.6))).toBeNull();
  });

  it('sums the points per region, largest first', () => {
    const points = [
      { id: 'a', lat: 53.9093, lon: 27.4955, count: 3 },
      { id: 'b', lat: 53.8622, lon: 27.4977, count: 4 },
      { id: 'c', lat: 52.0939, lon: 23.6868, count: 2 },
      { id: 'd', lat: 52.2297, lon: 21.0122, count: 9 },
    ];
    const { regions, outside } = byRegion(points);
    expect(regions.map((r) => [r.region.id, r.count, r.points.length])).toEqual([
      ['minsk-city', 7, 2],
      ['brest', 2, 1],
    ]);
    expect(outside.map((p) => p.id)).toEqual(['d']);
  });
});
