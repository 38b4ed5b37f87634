/**
 * The filters of the dashboard and the views live in the page's URL, under the names of
 * GET /api/v1/search's parameters (from, to, compartment, place, facility, unit, actType, method),
 * so a view can be bookmarked and every "see the records" link carries the same filters to /search.
 */

/** The shared filters, named exactly like GET /api/v1/search's parameters. Lists are of ids or codes. */
export interface AnalysisFilters {
  from?: string;
  to?: string;
  compartment?: string[];
  place?: string[];
  facility?: string[];
  unit?: string[];
  actType?: string[];
  method?: string[];
}

export const FILTER_LISTS = ['compartment', 'place', 'facility', 'unit', 'actType', 'method'] as const;
export type FilterList = (typeof FILTER_LISTS)[number];

/** The filters (and any extra parameters) as a query string, lists comma-separated, empty ones left out. */
export function filterQuery(filters: AnalysisFilters, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  if (filters.from) p.set('from', filters.from);
  if (filters.to) p.set('to', filters.to);
  for (const k of FILTER_LISTS) {
    const v = filters[k];
    if (v && v.length) p.set(k, v.join(','));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** The filters a URL's query names (unknown parameters and malformed dates ignored). */
export function filtersFromParams(params: URLSearchParams): AnalysisFilters {
  const f: AnalysisFilters = {};
  const from = params.get('from');
  const to = params.get('to');
  if (from && DATE.test(from)) f.from = from;
  if (to && DATE.test(to)) f.to = to;
  for (const k of FILTER_LISTS) {
    const v = params.get(k);
    const list = v ? [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))] : [];
    if (list.length) f[k] = list;
  }
  return f;
}

/** The page's URL query for these filters, keeping the page's own other parameters (a view's switches). */
export function paramsWithFilters(current: URLSearchParams, filters: AnalysisFilters): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const k of ['from', 'to', ...FILTER_LISTS]) next.delete(k);
  for (const [k, v] of new URLSearchParams(filterQuery(filters))) next.set(k, v);
  return next;
}

/**
 * The search page's URL for the records behind a figure: the page's filters narrowed by the
 * figure's own (a bar's act type, a facility, a period). A narrowing list replaces the filter's.
 */
export function searchHref(filters: AnalysisFilters, narrow: AnalysisFilters & { type?: string } = {}): string {
  const { type, ...rest } = narrow;
  const merged: AnalysisFilters = { ...filters };
  for (const [k, v] of Object.entries(rest) as [keyof AnalysisFilters, AnalysisFilters[keyof AnalysisFilters]][]) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return `/search${filterQuery(merged, { type })}`;
}

/** The first day after the period that begins on `start` (YYYY-MM-DD), as YYYY-MM-DD: an exclusive `to`. */
export function periodEnd(start: string, interval: 'day' | 'week' | 'month' | 'year'): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (interval === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** A period's records: the filters with the period as [from, to), clipped to the filters' own range. */
export function withinPeriod(filters: AnalysisFilters, start: string, interval: 'day' | 'week' | 'month' | 'year'): AnalysisFilters {
  const end = periodEnd(start, interval);
  const lower = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
  const from = filters.from && lower(filters.from) > start ? filters.from : start;
  const to = filters.to && lower(filters.to) < end ? filters.to : end;
  return { ...filters, from, to };
}
