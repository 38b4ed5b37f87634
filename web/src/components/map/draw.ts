import L from 'leaflet';
import { BELARUS_ID, loadBasemap, type Country } from './basemap';

/**
 * Draws the bundled country outlines (Belarus white, its neighbours grey) under everything else on
 * a Leaflet map, in a pane of their own below the overlay pane. Resolves with the countries once
 * drawn, or null when the map was removed first (`alive()` false).
 */
export async function drawBasemap(m: L.Map, alive: () => boolean): Promise<Country[] | null> {
  m.createPane('basemap').style.zIndex = '300';
  const countries = await loadBasemap();
  if (!alive()) return null;
  L.geoJSON(countries as never, {
    pane: 'basemap',
    interactive: false,
    style: (f) =>
      f?.id === BELARUS_ID
        ? { className: 'basemap-country basemap-belarus', fillColor: '#ffffff', fillOpacity: 1, color: '#343a40', weight: 1.5 }
        : { className: 'basemap-country', fillColor: '#eceff1', fillOpacity: 1, color: '#9aa4ad', weight: 1 },
  }).addTo(m);
  return countries;
}
