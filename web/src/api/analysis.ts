import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ApiError } from './client';
import { vocabularyQuery } from './vocabularies';
import type { Locale } from '../i18n';
import { filterQuery, type AnalysisFilters } from '../components/charts/filters';

/**
 * The analysis endpoints behind the dashboard, timeline, map and network view (GET
 * /api/v1/analysis/*, see src/modules/analysis/analysis.schemas.ts for the exact shapes), the
 * vocabularies that name their codes, and the records the filter bar offers. Every count is
 * permission-aware on the server: only records of compartments the caller may read are counted.
 */

export { FILTER_LISTS, filterQuery, type AnalysisFilters, type FilterList } from '../components/charts/filters';

export type Interval = 'day' | 'week' | 'month';
export interface OverTime {
  interval: Interval;
  buckets: { start: string; count: number }[];
  undated: number;
}
export interface CodeCounts {
  total: number;
  withoutMethod?: number;
  items: { code: string; count: number }[];
}
export interface RecordCounts {
  total: number;
  items: { id: string; label: string | null; count: number }[];
}
export interface Occupancy {
  granularity: 'day' | 'week' | 'month' | 'year';
  from: string | null;
  to: string | null;
  facilities: { id: string; label: string | null; capacity: number | null; stays: number; peak: number; points: { start: string; count: number }[] }[];
  undated: number;
  truncated: boolean;
}
export type NetworkKind = 'unit-event' | 'person-unit';
export interface NetworkNode {
  id: string;
  type: 'unit' | 'event' | 'person';
  label: string | null;
}
export interface Network {
  kind: NetworkKind;
  nodes: NetworkNode[];
  edges: { source: string; target: string; weight: number }[];
  truncated: boolean;
}
export interface GeoPoint {
  id: string;
  type: 'place' | 'facility';
  label: string | null;
  lat: number;
  lon: number;
  count: number;
  counts: { events: number; acts: number; detentions: number; custodyStays: number };
}
export type { Precision } from '../pages/views/timeline-spans';
import type { Precision } from '../pages/views/timeline-spans';
export interface TimelineItem {
  id: string;
  type: 'event' | 'act';
  label: string | null;
  event: string | null;
  start: string;
  startPrecision: Precision | null;
  end: string | null;
  endPrecision: Precision | null;
}
export interface Timeline {
  items: TimelineItem[];
  truncated: boolean;
}

const A = '/api/v1/analysis';
/** A refused query (400: a bad filter; 403) is not asked again: the filter bar says what to fix. */
const retry = (failures: number, e: unknown) => !(e instanceof ApiError && e.status < 500) && failures < 2;
const common = { placeholderData: keepPreviousData, staleTime: 30_000, retry };

export const useDetentionsOverTime = (f: AnalysisFilters, interval: Interval) =>
  useQuery({ queryKey: ['analysis', 'over-time', f, interval], queryFn: () => api<OverTime>('GET', `${A}/detentions-over-time${filterQuery(f, { interval })}`), ...common });
export const useActsByType = (f: AnalysisFilters) => useQuery({ queryKey: ['analysis', 'by-type', f], queryFn: () => api<CodeCounts>('GET', `${A}/acts-by-type${filterQuery(f)}`), ...common });
export const useActsByMethod = (f: AnalysisFilters) => useQuery({ queryKey: ['analysis', 'by-method', f], queryFn: () => api<CodeCounts>('GET', `${A}/acts-by-method${filterQuery(f)}`), ...common });
export const useActsByFacility = (f: AnalysisFilters) => useQuery({ queryKey: ['analysis', 'by-facility', f], queryFn: () => api<RecordCounts>('GET', `${A}/acts-by-facility${filterQuery(f)}`), ...common });
export const useActsByUnit = (f: AnalysisFilters) => useQuery({ queryKey: ['analysis', 'by-unit', f], queryFn: () => api<RecordCounts>('GET', `${A}/acts-by-unit${filterQuery(f)}`), ...common });
export const useOccupancy = (f: AnalysisFilters) => useQuery({ queryKey: ['analysis', 'occupancy', f], queryFn: () => api<Occupancy>('GET', `${A}/occupancy${filterQuery(f)}`), ...common });
export const useNetwork = (f: AnalysisFilters, kind: NetworkKind) =>
  useQuery({ queryKey: ['analysis', 'network', f, kind], queryFn: () => api<Network>('GET', `${A}/network${filterQuery(f, { kind })}`), ...common });
export const useGeo = (f: AnalysisFilters, type?: string) =>
  useQuery({ queryKey: ['analysis', 'geo', f, type], queryFn: () => api<{ points: GeoPoint[] }>('GET', `${A}/geo${filterQuery(f, { type })}`), ...common });
export const useTimeline = (f: AnalysisFilters, type?: string) =>
  useQuery({ queryKey: ['analysis', 'timeline', f, type], queryFn: () => api<Timeline>('GET', `${A}/timeline${filterQuery(f, { type })}`), ...common });

// ── names for codes and ids ─────────────────────────────────────────────────────────────────────

export interface VocabularyTerm {
  code: string;
  parent: string | null;
  labels: Record<Locale, string>;
  position: number;
  deprecated: boolean;
}

const termsByCode = (v: { terms: VocabularyTerm[] }) => new Map(v.terms.map((t) => [t.code, t]));

/** A vocabulary's terms (labels in be, ru and en), as code → term. */
export function useVocabulary(name: 'act-types' | 'methods') {
  return useQuery({ ...vocabularyQuery(name), select: termsByCode });
}

/** A named record (place, facility, unit) with its names in each language. */
export interface NamedRecord {
  id: string;
  nameBe: string | null;
  nameRu: string | null;
  nameEn: string | null;
}

/** The name of a record in the UI's language, else in another, else null. */
export function nameIn(r: Pick<NamedRecord, 'nameBe' | 'nameRu' | 'nameEn'>, lang: string): string | null {
  const order = lang === 'be' ? [r.nameBe, r.nameRu, r.nameEn] : lang === 'ru' ? [r.nameRu, r.nameBe, r.nameEn] : [r.nameEn, r.nameBe, r.nameRu];
  return order.find((n) => n) ?? null;
}

/** The first 500 places, facilities or units the caller may read (for the filter bar and names). */
export function useNamedRecords(type: 'places' | 'facilities' | 'units') {
  return useQuery({
    queryKey: ['named-records', type],
    queryFn: async () => (await api<{ items: NamedRecord[] }>('GET', `/api/v1/${type}?limit=500&sort=createdAt`)).items,
    staleTime: 5 * 60_000,
  });
}
