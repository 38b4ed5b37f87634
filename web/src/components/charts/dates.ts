import { useTranslation } from 'react-i18next';
import { intlChoice } from '../../i18n/format';

/**
 * Dates at the precision they are known: a month as "August 2020", a year as "2020", never a
 * made-up day. Intl in the UI's language; where the browser has no data for it (Belarusian in
 * Chromium), digits only, as format.ts does (08.2020).
 */
export type DatePrecision = 'day' | 'week' | 'month' | 'year';

export function formatPeriod(day: string, precision: DatePrecision, lng: string, choice = intlChoice(lng)): string {
  const d = new Date(`${day}T00:00:00Z`);
  const { locale, numeric } = choice;
  if (precision === 'year') return String(d.getUTCFullYear());
  if (precision === 'month') {
    if (numeric) return `${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
  }
  return new Intl.DateTimeFormat(locale, numeric ? { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** formatPeriod for the UI's current language. */
export function usePeriodFormat() {
  const { i18n } = useTranslation();
  return (day: string, precision: DatePrecision) => formatPeriod(day, precision, i18n.language);
}
