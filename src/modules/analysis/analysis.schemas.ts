import { z } from 'zod';

/**
 * Zod schemas of the analysis API: the query strings (the shared search filters as strings, plus
 * each endpoint's own parameters) and the answers, with the descriptions the OpenAPI document shows.
 */

/** The shared filters as query parameters (comma-separated lists), checked by `searchFiltersSchema` in the use case. */
const filterParams = {
  type: z.string().max(2000).optional().describe('Record types, comma-separated. Used only where the endpoint says so; ignored elsewhere.'),
  from: z.string().max(10).optional().describe("Inclusive earliest date, YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its first day), compared with the earliest day of the counted record's own date"),
  to: z.string().max(10).optional().describe('Exclusive latest date, YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its first day)'),
  compartment: z.string().max(2000).optional().describe('Only these compartments (comma-separated ids); only those you may read count'),
  place: z.string().max(2000).optional().describe('Place ids, comma-separated: only records at one of these places (exactly that place, not places within it)'),
  facility: z.string().max(2000).optional().describe('Facility ids, comma-separated: only records tied to one of these facilities'),
  unit: z.string().max(2000).optional().describe('Unit ids, comma-separated: only records tied to one of these units'),
  actType: z.string().max(2000).optional().describe('Codes of `act-types`, comma-separated: only acts (or records of acts) of these types'),
  method: z.string().max(2000).optional().describe('Codes of `methods`, comma-separated: only acts (or records of acts) with one of these methods'),
  language: z.string().max(200).optional().describe('Accepted for symmetry with search; events, acts, detentions and custody stays carry no language, so it is ignored here'),
  status: z.string().max(400).optional().describe("Event statuses (alleged, corroborated, verified), comma-separated: events with them, and acts and detentions of such events"),
};

export const INTERVALS = ['day', 'week', 'month'] as const;
export const NETWORK_KINDS = ['unit-event', 'person-unit'] as const;

export const filtersQuerySchema = z.object(filterParams).strict();
export const overTimeQuerySchema = z
  .object({
    ...filterParams,
    interval: z.enum(INTERVALS).default('month').describe('Bucket size: day, week (ISO, starting on Monday) or month (default)'),
  })
  .strict();
export const networkQuerySchema = z
  .object({
    ...filterParams,
    kind: z.enum(NETWORK_KINDS).default('unit-event').describe('unit-event: units ↔ events; person-unit: persons ↔ units named in the same act'),
  })
  .strict();

const count = z.number().int().min(0);
const day = z.string().describe('YYYY-MM-DD');

export const overTimeSchema = z.object({
  interval: z.enum(INTERVALS),
  buckets: z
    .array(z.object({ start: day.describe('First day of the bucket (YYYY-MM-DD)'), count: count.describe('Detentions that began in it') }))
    .describe('Buckets that hold at least one detention, earliest first (empty buckets are left out)'),
  undated: count.describe('Detentions without a start date (in no bucket)'),
});

const codeCounts = z.array(z.object({ code: z.string().describe('Vocabulary code'), count })).describe('Most first, then by code');
const recordCounts = z
  .array(z.object({ id: z.string(), label: z.string().nullable().describe("The record's label (its name in English, else Belarusian, else Russian)"), count }))
  .describe('Most first, then by label and id');

export const byTypeSchema = z.object({ total: count.describe('Acts counted'), items: codeCounts });
export const byMethodSchema = z.object({
  total: count.describe('Acts counted'),
  withoutMethod: count.describe('Acts with no method recorded'),
  items: codeCounts.describe('Acts per method; an act with several methods counts once for each. Most first, then by code'),
});
export const byRecordSchema = z.object({ total: count.describe('Acts counted (with or without a link)'), items: recordCounts });

const lengthBucket = z.object({
  minDays: z.number().int().describe('Inclusive lower bound in days'),
  maxDays: z.number().int().nullable().describe('Exclusive upper bound in days; null for the last bucket (365 days or more)'),
  count,
});
const histogram = z.object({
  buckets: z.array(lengthBucket).describe('[0–1), [1–3), [3–7), [7–15), [15–30), [30–90), [90–365), 365+ days'),
  unknownEnd: count.describe('Records with a start but no end (still held, or the end is not known)'),
  unknownStart: count.describe('Records without a start'),
});
export const lengthsSchema = z.object({
  detentions: histogram.describe('Detentions: from detainedAt to releasedAt'),
  custodyStays: histogram.describe('Custody stays: from `from` to `to`'),
});

export const occupancySchema = z.object({
  granularity: z.enum(['day', 'week', 'month', 'year']).describe('day for ranges up to 400 days, week up to 3000, month up to 100 years, else year'),
  from: day.nullable().describe('First day of the range'),
  to: day.nullable().describe('Last day of the range (inclusive)'),
  facilities: z
    .array(
      z.object({
        id: z.string(),
        label: z.string().nullable(),
        capacity: z.number().int().nullable().describe("The facility's official capacity, or null when not recorded"),
        stays: count.describe('Custody stays counted'),
        peak: count.describe('Highest count of any point'),
        points: z
          .array(z.object({ start: day.describe('First day of the period'), count: count.describe('Custody stays overlapping the period') }))
          .describe('Every period of the range, earliest first'),
      }),
    )
    .describe('Most stays first, then by label and id; at most 50'),
  undated: count.describe('Custody stays without a first day (not counted)'),
  truncated: z.boolean().describe('More than 50 facilities matched'),
});

export const networkSchema = z.object({
  kind: z.enum(NETWORK_KINDS),
  nodes: z
    .array(
      z.object({
        id: z.string(),
        type: z.enum(['unit', 'event', 'person']),
        label: z.string().nullable().describe('Units: name; events: title; persons: pseudonym (never identity fields)'),
      }),
    )
    .describe('By type, then id; at most 500'),
  edges: z
    .array(z.object({ source: z.string().describe('Unit or person id'), target: z.string().describe('Event or unit id'), weight: count.describe('Acts that tie them') }))
    .describe('Heaviest first, then by source and target; at most 5000'),
  truncated: z.boolean().describe('Nodes or edges were left out to stay within the caps (the lightest edges go first)'),
});

export const geoSchema = z.object({
  points: z
    .array(
      z.object({
        id: z.string().describe('Place or facility id'),
        type: z.enum(['place', 'facility']),
        label: z.string().nullable(),
        lat: z.number().describe('WGS 84 latitude (a facility: that of its place)'),
        lon: z.number().describe('WGS 84 longitude'),
        count: count.describe('Sum of `counts`'),
        counts: z.object({
          events: count.describe('Events at the place'),
          acts: count.describe('Acts at the place; at a facility: acts tied to it (see acts-by-facility)'),
          detentions: count.describe('Detentions made at the place'),
          custodyStays: count.describe('Custody stays in the facility'),
        }),
      }),
    )
    .describe('Points with a count above zero, largest first, then by type and id'),
});

export const timelineSchema = z.object({
  items: z
    .array(
      z.object({
        id: z.string(),
        type: z.enum(['event', 'act']),
        label: z.string().nullable().describe("Events: title; acts: the act type's code"),
        event: z.string().nullable().describe('Acts: the event they belong to'),
        start: day.describe('Earliest day of the start'),
        startPrecision: z.string().nullable().describe('exact, day, month, year or estimate'),
        end: day.nullable().describe('Earliest day of the end, if any'),
        endPrecision: z.string().nullable(),
      }),
    )
    .describe('Earliest first (then events before acts, then by id); at most 2000'),
  truncated: z.boolean().describe('More than 2000 matched: narrow with from/to'),
});
