import { periodEnd } from '../../components/charts/filters.js';

export type Precision = 'exact' | 'day' | 'month' | 'year' | 'estimate';
interface Dated {
  start: string;
  startPrecision: Precision | null;
  end: string | null;
  endPrecision: Precision | null;
}

/**
 * An item's extent on the timeline, honest about approximate dates: a date known to the month
 * covers the whole month, one known to the year the whole year, never a made-up day; an end
 * extends the span to the end of the end's own period.
 */
export interface Span {
  /** First day (YYYY-MM-DD). */
  from: string;
  /** First day after the span (YYYY-MM-DD), exclusive. */
  to: string;
  /** The start or the end is not known to the day. */
  approximate: boolean;
}

const UNIT: Record<Precision, 'day' | 'month' | 'year'> = { exact: 'day', day: 'day', estimate: 'day', month: 'month', year: 'year' };

/** The exclusive end of the period a date at this precision stands for (the server gives its first day). */
export function endOfPeriod(day: string, precision: Precision | null): string {
  return periodEnd(day, UNIT[precision ?? 'day']);
}

export const isApproximate = (p: Precision | null) => p === 'month' || p === 'year' || p === 'estimate';

export function spanOf(item: Dated): Span {
  let to = endOfPeriod(item.start, item.startPrecision);
  if (item.end) {
    const endTo = endOfPeriod(item.end, item.endPrecision);
    if (endTo > to) to = endTo;
  }
  return { from: item.start, to, approximate: isApproximate(item.startPrecision) || (!!item.end && isApproximate(item.endPrecision)) };
}
