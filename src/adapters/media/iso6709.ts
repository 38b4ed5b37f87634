/**
 * ISO 6709 point strings as phones write them into QuickTime/MP4 (`+53.9045+027.5615+220.000/`,
 * `com.apple.quicktime.location.ISO6709`, Android's `location`). Latitude and longitude may be
 * decimal degrees (±DD.D, ±DDD.D), degrees and minutes (±DDMM.M, ±DDDMM.M) or degrees, minutes
 * and seconds (±DDMMSS.S, ±DDDMMSS.S); an altitude and a `CRS…` suffix may follow.
 */
export interface Iso6709Point {
  lat: number;
  lon: number;
  alt?: number;
}

export function parseIso6709(raw: string): Iso6709Point | null {
  const m = /^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?\/?\s*$/.exec(raw);
  if (!m) return null;
  const lat = component(m[1]!, 2);
  const lon = component(m[2]!, 3);
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  const point: Iso6709Point = { lat, lon };
  if (m[3] !== undefined) {
    const alt = Number(m[3]);
    if (Number.isFinite(alt)) point.alt = alt;
  }
  return point;
}

/** One signed component with `degDigits` digits of whole degrees (2 for latitude, 3 for longitude). */
function component(s: string, degDigits: number): number | null {
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.slice(1);
  const [int = '', frac = ''] = body.split('.');
  const f = frac ? Number(`0.${frac}`) : 0;
  let value: number;
  if (int.length === degDigits) value = Number(int) + f;
  else if (int.length === degDigits + 2) {
    const min = Number(int.slice(degDigits)) + f;
    if (min >= 60) return null;
    value = Number(int.slice(0, degDigits)) + min / 60;
  } else if (int.length === degDigits + 4) {
    const min = Number(int.slice(degDigits, degDigits + 2));
    const sec = Number(int.slice(degDigits + 2)) + f;
    if (min >= 60 || sec >= 60) return null;
    value = Number(int.slice(0, degDigits)) + min / 60 + sec / 3600;
  } else return null;
  return Number.isFinite(value) ? sign * Math.round(value * 1e7) / 1e7 : null;
}
