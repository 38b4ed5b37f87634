import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { drawBasemap } from './draw';
import './map.css';

/**
 * One location on the bundled basemap (no tiles from anywhere): the country outlines and a circle
 * marker, centred on the point. For the place a photo or video says it was taken, shown only to
 * those allowed to see an item's metadata. Default export, so pages load Leaflet only when needed.
 */
export default function PointMap({ lat, lon, label, attribution, zoomIn, zoomOut, height = 260 }: { lat: number; lon: number; label: string; attribution: string; zoomIn: string; zoomOut: string; height?: number }) {
  const div = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const m = L.map(div.current!, { minZoom: 4, maxZoom: 14, zoomSnap: 0.5, attributionControl: true, zoomControl: false });
    L.control.zoom({ zoomInTitle: zoomIn, zoomOutTitle: zoomOut }).addTo(m);
    m.attributionControl.setPrefix(false);
    m.attributionControl.addAttribution(attribution);
    // the country around the point, so the outlines give it a context (the map has no streets to show closer in)
    m.setView([lat, lon], 6.5);
    L.circleMarker([lat, lon], { radius: 8, color: '#fff', weight: 2, fillColor: '#c2255c', fillOpacity: 0.9, className: 'map-point' }).addTo(m);
    let alive = true;
    void drawBasemap(m, () => alive);
    return () => {
      alive = false;
      m.remove();
    };
  }, [lat, lon, attribution, zoomIn, zoomOut]);
  return <div ref={div} className="letapis-map" style={{ height }} role="region" aria-label={label} data-testid="gps-map" />;
}
