/**
 * Belarus at region level without region boundaries: no permissively licensed outline of the
 * voblasts is available offline (amCharts' geodata is linkware, so not used), so the map shows
 * the six voblasts and Minsk city as points at their administrative centres, and a place counts
 * in the region whose centre is nearest (Minsk city: within 15 km of its centre). Near a border
 * between two regions this may put a place in the wrong one; the map says so (docs/USER-GUIDE.md
 * and the page's note). At closer zoom every place is shown where it is.
 *
 * Coordinates of the administrative centres (WGS 84): GeoNames (geonames.org) entries of the
 * cities, as also given by Wikipedia: Minsk 53.9000 N 27.5667 E, Brest 52.0976 N 23.6877 E,
 * Hrodna 53.6884 N 23.8258 E, Homiel 52.4345 N 30.9754 E, Mahilioŭ 53.9168 N 30.3449 E,
 * Viciebsk 55.1904 N 30.2049 E. Minsk Region is governed from Minsk itself, so its point is drawn
 * at Dziaržynsk (53.6832 N 27.1380 E), a town of the region south-west of the capital, to keep
 * it apart from Minsk city's.
 */
export type RegionId = 'minsk-city' | 'minsk' | 'brest' | 'hrodna' | 'homiel' | 'mahilyou' | 'viciebsk';

export interface Region {
  id: RegionId;
  /** Administrative centre: where a place is measured from. */
  centre: [number, number];
  /** Where its marker is drawn. */
  marker: [number, number];
}

const MINSK: [number, number] = [53.9, 27.5667];

export const REGIONS: readonly Region[] = [
  { id: 'minsk-city', centre: MINSK, marker: MINSK },
  { id: 'minsk', centre: MINSK, marker: [53.6832, 27.138] },
  { id: 'brest', centre: [52.0976, 23.6877], marker: [52.0976, 23.6877] },
  { id: 'hrodna', centre: [53.6884, 23.8258], marker: [53.6884, 23.8258] },
  { id: 'homiel', centre: [52.4345, 30.9754], marker: [52.4345, 30.9754] },
  { id: 'mahilyou', centre: [53.9168, 30.3449], marker: [53.9168, 30.3449] },
  { id: 'viciebsk', centre: [55.1904, 30.2049], marker: [55.1904, 30.2049] },
];

/** Belarus's bounding box (with a margin): a place outside it is in no region. */
export const BELARUS_BOUNDS: [[number, number], [number, number]] = [
  [51.2, 23.1],
  [56.2, 32.8],
];

/** Kilometres between two points (haversine). */
export function distanceKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const MINSK_CITY_RADIUS_KM = 15;

/** Inside Belarus: its outline when the map has it (basemap.ts), else its bounding box. */
export type InBelarus = (lat: number, lon: number) => boolean;
const inBox: InBelarus = (lat, lon) => {
  const [[s, w], [n, e]] = BELARUS_BOUNDS;
  return lat >= s && lat <= n && lon >= w && lon <= e;
};

/** The region a point counts in (nearest administrative centre), or null outside Belarus. */
export function regionOf(lat: number, lon: number, inBelarus: InBelarus = inBox): RegionId | null {
  if (!inBox(lat, lon) || !inBelarus(lat, lon)) return null;
  if (distanceKm([lat, lon], MINSK) <= MINSK_CITY_RADIUS_KM) return 'minsk-city';
  let best: Region = REGIONS[1]!;
  let bestKm = Infinity;
  for (const r of REGIONS) {
    if (r.id === 'minsk-city') continue;
    const km = distanceKm([lat, lon], r.centre);
    if (km < bestKm) {
      best = r;
      bestKm = km;
    }
  }
  return best.id;
}

/** Points summed per region; points outside Belarus are returned apart. */
export function byRegion<P extends { lat: number; lon: number; count: number }>(points: readonly P[], inBelarus: InBelarus = inBox): { regions: { region: Region; count: number; points: P[] }[]; outside: P[] } {
  const sums = new Map<RegionId, { count: number; points: P[] }>();
  const outside: P[] = [];
  for (const p of points) {
    const id = regionOf(p.lat, p.lon, inBelarus);
    if (!id) {
      outside.push(p);
      continue;
    }
    const s = sums.get(id) ?? { count: 0, points: [] };
    s.count += p.count;
    s.points.push(p);
    sums.set(id, s);
  }
  const regions = REGIONS.filter((r) => sums.has(r.id)).map((r) => ({ region: r, ...sums.get(r.id)! }));
  regions.sort((a, b) => b.count - a.count);
  return { regions, outside };
}
