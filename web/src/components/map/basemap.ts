import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/**
 * The bundled basemap: country outlines from Natural Earth (public domain) at 1:50 million, as
 * TopoJSON from the world-atlas package, turned into GeoJSON with topojson-client. Loaded with the
 * map page only (a chunk of its own); nothing is fetched from another origin. Only the countries
 * around Belarus are kept, so the map draws quickly.
 */

export const BELARUS_ID = '112';
/** The box the map shows: Belarus and its neighbours (south, west, north, east). */
const AROUND: [number, number, number, number] = [45, 14, 62, 42];

export type Country = Feature<Polygon | MultiPolygon, { name: string }>;

function bboxOf(g: Geometry): [number, number, number, number] {
  let s = 90, w = 180, n = -90, e = -180;
  const visit = (p: Position) => {
    s = Math.min(s, p[1]!);
    n = Math.max(n, p[1]!);
    w = Math.min(w, p[0]!);
    e = Math.max(e, p[0]!);
  };
  if (g.type === 'Polygon') g.coordinates.flat().forEach(visit);
  else if (g.type === 'MultiPolygon') g.coordinates.flat(2).forEach(visit);
  return [s, w, n, e];
}

/** Polygons of a country that reach into the box (Russia's Far East is left out). */
function clipToBox(c: Country): Country | null {
  const [S, W, N, E] = AROUND;
  const touches = (rings: Position[][]) => {
    const [s, w, n, e] = bboxOf({ type: 'Polygon', coordinates: rings });
    return !(n < S || s > N || e < W || w > E);
  };
  const g = c.geometry;
  if (g.type === 'Polygon') return touches(g.coordinates) ? c : null;
  const kept = g.coordinates.filter(touches);
  return kept.length ? { ...c, geometry: { type: 'MultiPolygon', coordinates: kept } } : null;
}

/** Countries around Belarus (Belarus included), from the bundled Natural Earth outlines. */
export async function loadBasemap(): Promise<Country[]> {
  const topology = (await import('world-atlas/countries-50m.json')).default as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const all = feature(topology, topology.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  return all.features.map((f) => clipToBox({ ...f, id: String(f.id) } as Country)).filter((f): f is Country => f !== null);
}

/** Whether a point lies inside a country's outline (even–odd rule over every ring). */
export function contains(c: Country, lat: number, lon: number): boolean {
  const polygons = c.geometry.type === 'Polygon' ? [c.geometry.coordinates] : c.geometry.coordinates;
  let inside = false;
  for (const rings of polygons)
    for (const ring of rings)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi! > lat !== yj! > lat && lon < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) inside = !inside;
      }
  return inside;
}
