import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import type { GeoPoint } from '../../api/analysis';
import { BELARUS_ID, contains, type Country } from './basemap';
import { drawBasemap } from './draw';
import { BELARUS_BOUNDS, byRegion, type Region } from './regions';
import './map.css';

/** At this zoom and closer every place is drawn where it is; further out, the counts per region. */
export const PLACE_ZOOM = 8;

const COLORS = { place: '#1c7ed6', facility: '#c2255c', region: '#2b8a3e' };
const radius = (count: number, max: number) => 6 + 18 * Math.sqrt(count / Math.max(max, 1));

function text(s: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = s;
  return el;
}

export interface MapLabels {
  regionName: (r: Region) => string;
  pointName: (p: GeoPoint) => string;
  /** The tooltip of a point or region with this count. */
  counted: (name: string, count: number) => string;
  attribution: string;
  region: string;
  /** The names of the zoom buttons (Leaflet's own are English). */
  zoomIn: string;
  zoomOut: string;
}

/**
 * A Leaflet map with no tiles: the bundled Natural Earth outlines (Belarus white, neighbours grey)
 * and circle markers (no marker images). Out of PLACE_ZOOM, the counts per region at the region's
 * marker (a click zooms in there); from it on, each place and facility (a click opens its records).
 */
export function LeafletMap({
  points,
  labels,
  onOpen,
  zoom,
  onZoom,
  height = 520,
  label,
}: {
  points: GeoPoint[];
  labels: MapLabels;
  onOpen: (p: GeoPoint) => void;
  /** Ask the map to zoom (the page's region/place switch). */
  zoom: { level: 'regions' | 'places'; seq: number };
  onZoom: (level: 'regions' | 'places') => void;
  height?: number;
  label: string;
}) {
  const div = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const [belarus, setBelarus] = useState<Country | null>(null);
  const [level, setLevel] = useState<'regions' | 'places'>('regions');
  const busiest = useRef<[number, number][] | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;
  const zoomed = useRef(onZoom);
  zoomed.current = onZoom;

  useEffect(() => {
    const m = L.map(div.current!, { minZoom: 5, maxZoom: 14, zoomSnap: 0.5, maxBounds: [[43, 10], [64, 46]], attributionControl: true, zoomControl: false });
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(m);
    m.attributionControl.setPrefix(false);
    m.fitBounds(BELARUS_BOUNDS);
    map.current = m;
    layer.current = L.layerGroup().addTo(m);
    const sync = () => {
      const l = m.getZoom() >= PLACE_ZOOM ? 'places' : 'regions';
      setLevel(l);
      zoomed.current(l);
    };
    m.on('zoomend', sync);
    sync();
    let alive = true;
    // the outlines under the markers
    void drawBasemap(m, () => alive).then((countries) => {
      if (countries) setBelarus(countries.find((c) => c.id === BELARUS_ID) ?? null);
    });
    return () => {
      alive = false;
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    map.current?.attributionControl.addAttribution(labels.attribution);
    const m = map.current;
    return () => void m?.attributionControl.removeAttribution(labels.attribution);
  }, [labels.attribution]);

  // the zoom buttons' names follow the interface's language
  useEffect(() => {
    for (const [cls, name] of [['.leaflet-control-zoom-in', labels.zoomIn], ['.leaflet-control-zoom-out', labels.zoomOut]] as const) {
      const a = div.current?.querySelector(cls);
      a?.setAttribute('title', name);
      a?.setAttribute('aria-label', name);
    }
  }, [labels.zoomIn, labels.zoomOut]);

  // the page's switch: zoom out to Belarus, or in to the places
  useEffect(() => {
    const m = map.current;
    if (!m || zoom.seq === 0) return;
    if (zoom.level === 'regions' && m.getZoom() >= PLACE_ZOOM) m.fitBounds(BELARUS_BOUNDS);
    // closer in: around the region with the most records
    if (zoom.level === 'places' && m.getZoom() < PLACE_ZOOM) {
      const around = busiest.current;
      if (around && around.length) m.fitBounds(L.latLngBounds(around), { maxZoom: 12, padding: [48, 48] });
      if (m.getZoom() < PLACE_ZOOM) m.setZoom(PLACE_ZOOM);
    }
  }, [zoom]);

  useEffect(() => {
    const g = layer.current;
    if (!g || !map.current) return;
    g.clearLayers();
    const m = map.current;
    const inBelarus = belarus ? (lat: number, lon: number) => contains(belarus, lat, lon) : undefined;
    const { regions, outside } = byRegion(points, inBelarus);
    busiest.current = regions[0]?.points.map((p) => [p.lat, p.lon] as [number, number]) ?? null;
    const drawPoints = (ps: GeoPoint[]) => {
      const max = Math.max(...ps.map((p) => p.count), 1);
      const stacked = new Map<string, number>(); // labels of points at the same spot, one under another
      // largest first, so small ones stay on top and clickable
      for (const p of [...ps].sort((a, b) => b.count - a.count)) {
        const c = L.circleMarker([p.lat, p.lon], {
          radius: radius(p.count, max),
          color: '#fff',
          weight: 1.5,
          fillColor: COLORS[p.type],
          fillOpacity: 0.8,
          className: `map-point map-${p.type}`,
        });
        c.bindTooltip(text(labels.counted(labels.pointName(p), p.count)), { direction: 'top' });
        c.on('click', () => open.current(p));
        c.addTo(g);
        // few points: their names beside them (many would hide each other; their tooltips say them)
        const spot = `${p.lat},${p.lon}`;
        const k = stacked.get(spot) ?? 0;
        stacked.set(spot, k + 1);
        if (ps.length <= 40)
          L.marker([p.lat, p.lon], {
            icon: L.divIcon({ className: 'map-place-label', html: text(labels.pointName(p)), iconSize: undefined, iconAnchor: [-radius(p.count, max) - 4, 8 - 15 * k] }),
            interactive: false,
            keyboard: false,
          }).addTo(g);
      }
    };
    if (level === 'places') drawPoints(points);
    else {
      const max = Math.max(...regions.map((r) => r.count), 1);
      for (const r of regions) {
        const c = L.circleMarker(r.region.marker, {
          radius: radius(r.count, max) + 4,
          color: '#fff',
          weight: 2,
          fillColor: COLORS.region,
          fillOpacity: 0.85,
          className: 'map-point map-region',
        });
        // the label as a marker of its own (a div, no image): permanent tooltips can outlive their layer in a zoom animation
        L.marker(r.region.marker, {
          icon: L.divIcon({ className: 'map-region-label', html: text(labels.counted(labels.regionName(r.region), r.count)), iconSize: undefined, iconAnchor: [-14, 9] }),
          interactive: false,
          keyboard: false,
        }).addTo(g);
        c.on('click', () => m.flyTo(r.region.centre, PLACE_ZOOM + 1));
        c.addTo(g);
      }
      drawPoints(outside);
    }
  }, [points, level, belarus, labels]);

  return <div ref={div} className="letapis-map" style={{ height }} role="application" aria-label={label} data-testid="map" />;
}
