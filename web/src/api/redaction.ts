import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client';

/**
 * Redaction: the shapes of POST /api/v1/evidence/:id/redactions, the redaction suggestions of an
 * item or a testimony and a testimony's redacted transcript (src/modules/redaction/redaction.routes.ts,
 * docs/REDACTION.md), typed by hand after their Zod schemas.
 */

export type Style = 'box' | 'blur';
export type Cover = 'silence' | 'tone';

export interface TimeRange {
  from: number;
  to: number;
}

/** A rectangle in fractions (0–1) of the upright picture's width and height. */
export interface RelativeRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AudioPart {
  ranges: TimeRange[];
  cover: Cover;
  pitchSemitones: number;
}

export type RedactionSpec =
  | { kind: 'image'; regions: Array<RelativeRegion & { unit: 'relative'; style: Style }> }
  | ({ kind: 'audio' } & AudioPart)
  | { kind: 'video'; regions: Array<RelativeRegion & { unit: 'relative'; style: Style; ranges?: TimeRange[] }>; audio?: AudioPart }
  | { kind: 'text'; spans: TextSpan[] };

export interface TextSpan {
  start: number;
  end: number;
}

export interface SuggestedSpan extends TextSpan {
  personId: string;
  pseudonym: string;
  matched: 'pseudonym' | 'name' | 'contact';
}

export interface Suggestions {
  text: string;
  sourceItemId: string | null;
  spans: SuggestedSpan[];
  identities: boolean;
  persons: number;
}

export interface RedactionRequest {
  jobId: string;
  created: boolean;
  specSha256: string;
}

/** What a finished `evidence.redact` job's result holds. */
export interface RedactionResult {
  derivativeId: string;
  sha256: string;
  size: number;
  mime: string;
  specSha256: string;
}

/** The kind of redaction an item takes, or null when it takes none. */
export function redactionKind(item: { category: string | null; parentId: string | null; derivatives: ReadonlyArray<{ derivativeKind: string | null }> }): RedactionSpec['kind'] | null {
  if (item.parentId) return null;
  if (item.category === 'image' || item.category === 'audio' || item.category === 'video') return item.category;
  if (item.category === 'text' || item.derivatives.some((d) => d.derivativeKind === 'text' || d.derivativeKind === 'ocr-text')) return 'text';
  return null;
}

export function useRequestRedaction(itemId: string) {
  return useMutation({ mutationFn: (spec: RedactionSpec) => api<RedactionRequest>('POST', `/api/v1/evidence/${itemId}/redactions`, spec) });
}

/** The text an item's text redaction works on, with where it names the people linked to the item. */
export function useItemSuggestions(itemId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['evidence', itemId, 'redaction-suggestions'],
    queryFn: () => api<Suggestions>('GET', `/api/v1/evidence/${itemId}/redaction-suggestions`),
    enabled,
    retry: false,
    staleTime: Infinity,
  });
}

export function useTestimonySuggestions(id: string) {
  return useQuery({
    queryKey: ['records', 'testimonies', id, 'redaction-suggestions'],
    queryFn: () => api<Suggestions>('GET', `/api/v1/testimonies/${id}/redaction-suggestions`),
    retry: false,
    staleTime: Infinity,
  });
}

export function useRedactTranscript(id: string) {
  return useMutation({ mutationFn: (spans: TextSpan[]) => api<{ text: string; spans: TextSpan[]; sha256: string }>('POST', `/api/v1/testimonies/${id}/redacted-transcript`, { spans }) });
}

/** A rectangle in pixels of a picture of `size`, as fractions of it (what a spec's `unit: 'relative'` means), kept within 0–1. */
export function relativeRegion(r: { x: number; y: number; width: number; height: number }, size: { width: number; height: number }): RelativeRegion {
  const f = (v: number) => Math.min(Math.max(Math.round(v * 1e6) / 1e6, 0), 1);
  const x = f(r.x / size.width);
  const y = f(r.y / size.height);
  return { x, y, width: Math.max(Math.min(f(r.width / size.width), 1 - x), 1e-6), height: Math.max(Math.min(f(r.height / size.height), 1 - y), 1e-6) };
}

/** Spans sorted with overlapping or touching ones merged (what the server applies). */
export function mergeSpans(spans: readonly TextSpan[]): TextSpan[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: TextSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** A text cut at every span's edges: pieces with whether they are chosen and which suggestion (index) covers them. */
export function textPieces(length: number, chosen: readonly TextSpan[], proposed: readonly TextSpan[]): Array<{ start: number; end: number; chosen: boolean; proposal: number | null }> {
  const cuts = new Set<number>([0, length]);
  for (const s of [...chosen, ...proposed]) {
    cuts.add(Math.min(Math.max(s.start, 0), length));
    cuts.add(Math.min(Math.max(s.end, 0), length));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Array<{ start: number; end: number; chosen: boolean; proposal: number | null }> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    if (end <= start) continue;
    const p = proposed.findIndex((s) => s.start <= start && s.end >= end);
    out.push({ start, end, chosen: chosen.some((s) => s.start <= start && s.end >= end), proposal: p >= 0 ? p : null });
  }
  return out;
}
