import { useTranslation } from 'react-i18next';

/**
 * Dates and numbers in the UI's language, with Intl (never hand-made formats). Numbers inside
 * translated sentences use i18next's `{{count, number}}`, which is Intl.NumberFormat too.
 *
 * Chromium and Chrome ship ICU data for their own UI languages only, and Belarusian is not one of
 * them: there `Intl.DateTimeFormat('be')` quietly formats in American English. Where the browser
 * lacks the UI's language, dates are written with digits only, in the conventions of a language
 * that shares them (Belarusian: 22.11.2026, 20:54, as in Russian), so no word of another language
 * appears.
 */
export interface IntlChoice {
  /** The locale given to Intl. */
  locale: string;
  /** Digits only (the browser lacks the UI language's month names). */
  numeric: boolean;
}

/** Languages whose numeric date and number conventions another one shares. */
const SAME_DIGITS: Record<string, string> = { be: 'ru' };

export function intlChoice(lng: string, supported: (l: string) => boolean = (l) => Intl.DateTimeFormat.supportedLocalesOf([l]).length > 0): IntlChoice {
  if (supported(lng)) return { locale: lng, numeric: false };
  const twin = SAME_DIGITS[lng];
  if (twin && supported(twin)) return { locale: twin, numeric: true };
  return { locale: lng, numeric: true };
}

const NUMERIC_DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const NUMERIC_TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

export function formatters(lng: string, choice: IntlChoice = intlChoice(lng)) {
  const { locale, numeric } = choice;
  return {
    dateTime: (iso: string | Date) =>
      new Intl.DateTimeFormat(locale, numeric ? { ...NUMERIC_DATE, ...NUMERIC_TIME } : { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso)),
    date: (iso: string | Date) => new Intl.DateTimeFormat(locale, numeric ? NUMERIC_DATE : { dateStyle: 'long' }).format(new Date(iso)),
    time: (iso: string | Date) => new Intl.DateTimeFormat(locale, NUMERIC_TIME).format(new Date(iso)),
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
  };
}

/** The formatters for the UI's current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  return formatters(i18n.language);
}
