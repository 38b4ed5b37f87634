import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, ApiError, type Problem } from './client';

/** Search: the shapes of GET /api/v1/search (src/modules/search/search.routes.ts) and the query in the URL. */

export interface SearchHit {
  id: string;
  type: string;
  compartment: string;
  label: string;
  /** The record field the label is the value of: a code when that field is a vocabulary or an enum (HitLabel names it). */
  labelField: string | null;
  date: string | null;
  status: string | null;
  language: string | null;
  /** Found by a person's name (any spelling or script), not by the text. */
  byName: boolean;
  fuzzy: boolean;
  /** Matched in text kept encrypted: no snippet can be made of it. */
  sealedMatch: boolean;
  snippet: { text: string; highlights: Array<[number, number]> } | null;
}

export const FACET_FIELDS = ['type', 'compartment', 'status', 'language', 'actType', 'method', 'place', 'facility', 'unit'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export interface SearchAnswer {
  total: number;
  capped: boolean;
  fuzzy: boolean;
  items: SearchHit[];
  facets: Partial<Record<FacetField, Array<{ value: string; count: number }>>>;
  nextCursor: string | null;
}

/** Filters that are lists of values (comma-separated in the URL and in the API). */
export const LIST_FILTERS = ['type', 'status', 'language', 'compartment', 'place', 'facility', 'unit', 'actType', 'method'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];
export const SORTS = ['relevance', '-date', 'date', 'label'] as const;
export type Sort = (typeof SORTS)[number];

/** The search as the page's URL holds it, with the API's parameter names. */
export interface SearchState {
  q: string;
  sort: Sort;
  from: string;
  to: string;
  filters: Record<ListFilter, string[]>;
}

export function stateFromUrl(params: URLSearchParams): SearchState {
  const sort = params.get('sort');
  const filters = Object.fromEntries(
    LIST_FILTERS.map((f) => [f, (params.get(f) ?? '').split(',').map((v) => v.trim()).filter(Boolean)]),
  ) as Record<ListFilter, string[]>;
  return {
    q: params.get('q') ?? '',
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : 'relevance',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    filters,
  };
}

/** The URL (and API) parameters of a search; empty values left out, so links stay short. */
export function paramsOf(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  for (const f of LIST_FILTERS) if (s.filters[f].length) p.set(f, s.filters[f].join(','));
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.sort !== 'relevance') p.set('sort', s.sort);
  return p;
}

/** Adds a filter value, or takes it away when it is there already. */
export function toggleFilter(s: SearchState, field: ListFilter, value: string): SearchState {
  const now = s.filters[field];
  const next = now.includes(value) ? now.filter((v) => v !== value) : [...now, value];
  return { ...s, filters: { ...s.filters, [field]: next } };
}

/** Whether anything is asked at all (no request is made for an empty search). */
export const isEmptySearch = (s: SearchState) => !s.q.trim() && !s.from && !s.to && LIST_FILTERS.every((f) => s.filters[f].length === 0);

/**
 * A snippet cut into plain and highlighted pieces by the offsets the API gives (overlapping or
 * out-of-range offsets are clamped and merged). Rendered as text nodes and <mark>: never as HTML.
 */
export function snippetPieces(text: string, highlights: Array<[number, number]>): Array<{ text: string; mark: boolean }> {
  const ranges = highlights
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) out.push({ text: text.slice(at, a), mark: false });
    out.push({ text: text.slice(a, b), mark: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** The character a syntax error points at ("… (at character 7)" from the API), if it says. */
export function errorPosition(message: string): number | null {
  const m = /at character (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

/** Pages of a search, 20 hits at a time, following `nextCursor`. */
export function useSearch(s: SearchState, opts: { limit?: number; facets?: boolean } = {}) {
  const base = paramsOf(s);
  base.set('limit', String(opts.limit ?? 20));
  if (opts.facets === false) base.set('facets', 'false');
  const key = base.toString();
  return useInfiniteQuery({
    queryKey: ['search', key],
    enabled: !isEmptySearch(s),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams(key);
      if (pageParam) p.set('cursor', pageParam);
      return api<SearchAnswer>('GET', `/api/v1/search?${p.toString()}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    retry: false,
    staleTime: 30_000,
  });
}

/** A few hits of one or more types, for pickers (persons, acts, claims, cases). */
export function useRecordOptions(types: string[], q: string) {
  const p = new URLSearchParams({ q: q.trim(), type: types.join(','), limit: '10', facets: 'false' });
  return useQuery({
    queryKey: ['search-options', p.toString()],
    enabled: q.trim().length >= 2,
    queryFn: () => api<SearchAnswer>('GET', `/api/v1/search?${p.toString()}`),
    retry: false,
    staleTime: 30_000,
  });
}

export interface NamedRecord {
  id: string;
  nameEn?: string | null;
  nameBe?: string | null;
  nameRu?: string | null;
}

/** Places, facilities or units with their names in three languages (for facet labels). */
export function useNamedRecords(type: 'places' | 'facilities' | 'units', enabled: boolean) {
  return useQuery({
    queryKey: ['named-records', type],
    enabled,
    queryFn: async () => (await api<{ items: NamedRecord[] }>('GET', `/api/v1/${type}?limit=500`)).items,
    staleTime: 5 * 60_000,
  });
}

/** Where a hit opens: its record page, or the evidence item page. */
export const hitPath = (h: { type: string; id: string }) => (h.type === 'evidence' ? `/evidence/${h.id}` : `/records/${h.type}/${h.id}`);

/** What a case (GET /api/v1/cases/:id) holds of what can be added to it. */
interface CaseRecord {
  id: string;
  version: number;
  title: string;
  acts: string[] | null;
  events: string[] | null;
}

export type AddToCaseOutcome = 'added' | 'already';

/**
 * Adds a hit to a case: an act or an event goes into the case's chosen acts or events (PATCH with
 * the version read, once more if the case changed meanwhile); an evidence item is linked to the
 * case (POST /api/v1/evidence/:id/links), as the case export reads it.
 */
export async function addToCase(caseId: string, hit: { type: string; id: string }, csrfToken: string | null): Promise<AddToCaseOutcome> {
  if (hit.type === 'evidence') {
    await api('POST', `/api/v1/evidence/${hit.id}/links`, { targetType: 'cases', targetId: caseId });
    return 'added';
  }
  const field = hit.type === 'acts' ? 'acts' : 'events';
  for (let attempt = 0; ; attempt++) {
    const c = await api<CaseRecord>('GET', `/api/v1/cases/${caseId}`);
    const now = c[field] ?? [];
    if (now.includes(hit.id)) return 'already';
    // api() sends no If-Match: the one change that needs it is made here, with the same CSRF header
    const res = await fetch(`/api/v1/cases/${caseId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'if-match': `"${c.version}"`, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify({ [field]: [...now, hit.id] }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (res.ok) return 'added';
    if (res.status === 412 && attempt < 2) continue;
    const text = await res.text();
    throw new ApiError(res.status, text ? (JSON.parse(text) as Problem) : { status: res.status }, null);
  }
}

/** Kinds of hit that can be added to a case. */
export const ADDABLE_TO_CASE = ['acts', 'events', 'evidence'];
