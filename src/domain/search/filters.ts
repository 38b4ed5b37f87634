import { z } from 'zod';

/**
 * The filters search and the analysis endpoints share (as query parameters). Every one is
 * optional; lists are comma-separated in a query string. Dates are ISO (`2020-08-09`), inclusive
 * `from`, exclusive `to`, compared with the record's own date (an act's or detention's start, an
 * event's start, a testimony's date …). Permissions are applied on top: a filter can only narrow
 * what the caller may read.
 */
export const searchFiltersSchema = z
  .object({
    /** Record types (`acts`, `persons` …) and `evidence`. */
    type: z.array(z.string().regex(/^[a-z-]{2,40}$/)).max(30).optional(),
    from: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional(),
    to: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional(),
    /** Compartment ids (only those the caller belongs to count). */
    compartment: z.array(z.uuid()).max(50).optional(),
    place: z.array(z.uuid()).max(50).optional(),
    facility: z.array(z.uuid()).max(50).optional(),
    unit: z.array(z.uuid()).max(50).optional(),
    /** Vocabulary codes of `act-types`. */
    actType: z.array(z.string().max(80)).max(50).optional(),
    /** Vocabulary codes of `methods`. */
    method: z.array(z.string().max(80)).max(50).optional(),
    /** Language of the text: be, ru, en … */
    language: z.array(z.string().regex(/^[a-z]{2,3}$/)).max(10).optional(),
    /** A record's status field (events: alleged | corroborated | verified; cases: draft … ). */
    status: z.array(z.string().max(40)).max(10).optional(),
  })
  .strict();

export type SearchFilters = z.infer<typeof searchFiltersSchema>;

export const SEARCH_FILTER_FIELDS = ['type', 'from', 'to', 'compartment', 'place', 'facility', 'unit', 'actType', 'method', 'language', 'status'] as const;
export type SearchFilterField = (typeof SEARCH_FILTER_FIELDS)[number];

/** A comma-separated query-string value as a list (empty items dropped). */
export const listParam = (v: unknown): unknown => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v);

/**
 * Parses the filter parameters of a query string (`?type=acts,events&from=2020-08-09`) into
 * SearchFilters; unknown keys are left to the caller.
 */
export function filtersFromQuery(q: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  for (const f of SEARCH_FILTER_FIELDS) {
    if (q[f] === undefined) continue;
    out[f] = f === 'from' || f === 'to' ? q[f] : listParam(q[f]);
  }
  return out;
}
