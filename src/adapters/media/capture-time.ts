import type { CaptureTime } from './metadata.types.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `+03:00` from `+03:00`, `+0300`, `+03`, `Z`; null if not an offset. */
export function normaliseOffset(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (s === 'Z' || s === 'z') return '+00:00';
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3] ?? '0');
  if (h > 14 || min > 59) return null;
  return `${m[1]}${pad(h)}:${pad(min)}`;
}

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function valid(p: Parts): boolean {
  return p.y >= 1800 && p.y <= 2200 && p.mo >= 1 && p.mo <= 12 && p.d >= 1 && p.d <= 31 && p.h <= 23 && p.mi <= 59 && p.s <= 60;
}

function localIso(p: Parts): string {
  const frac = p.ms ? `.${pad(p.ms, 3)}` : '';
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${frac}`;
}

function utcOf(p: Parts, offset: string): string | null {
  const sign = offset.startsWith('-') ? -1 : 1;
  const oh = Number(offset.slice(1, 3));
  const om = Number(offset.slice(4, 6));
  const t = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms) - sign * (oh * 60 + om) * 60_000;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** Milliseconds from the digits after a decimal point; 0 for anything that is not digits. */
function fraction(s: string | undefined): number {
  if (!s || !/^\d+$/.test(s)) return 0;
  return Math.min(999, Math.round(Number(`0.${s}`) * 1000));
}

/**
 * EXIF date (`2020:08:09 23:15:00`), its sub-seconds and offset tags → capture time; null for
 * the blank or zero dates cameras write when their clock is unset.
 */
export function exifCaptureTime(date: unknown, subSec: unknown, offset: unknown, source: string): CaptureTime | null {
  if (typeof date !== 'string') return null;
  const m = /^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(date);
  if (!m) return null;
  const p: Parts = { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +m[4]!, mi: +m[5]!, s: +m[6]!, ms: fraction(m[7] ?? (typeof subSec === 'string' || typeof subSec === 'number' ? String(subSec).trim() : undefined)) };
  if (!valid(p)) return null;
  const off = normaliseOffset(offset);
  const utc = off ? utcOf(p, off) : null;
  return { local: localIso(p), offset: utc ? off : null, utc, source };
}

/**
 * ISO 8601 as containers write it: with an offset (`2020-08-09T23:15:00+0300`, Apple's
 * creationdate) the local time and offset are known; with `Z` only the UTC instant is.
 * Dates at the epochs of unset clocks (1904, 1970) are treated as absent.
 */
export function isoCaptureTime(raw: unknown, source: string): CaptureTime | null {
  if (typeof raw !== 'string') return null;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(raw);
  if (!m) return null;
  const p: Parts = { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +m[4]!, mi: +m[5]!, s: +(m[6] ?? 0), ms: fraction(m[7]) };
  if (!valid(p) || ((p.y === 1904 || p.y === 1970) && p.mo === 1 && p.d === 1)) return null;
  const zone = m[8];
  if (!zone) return { local: localIso(p), offset: null, utc: null, source };
  const off = normaliseOffset(zone);
  if (!off) return null;
  const utc = utcOf(p, off);
  if (!utc) return null;
  if (zone.toUpperCase() === 'Z') return { local: null, offset: null, utc, source };
  return { local: localIso(p), offset: off, utc, source };
}
