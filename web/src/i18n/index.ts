import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import be from './be.json';
import en from './en.json';
import ru from './ru.json';

/**
 * The UI's languages. Every string the UI shows is in the three catalogs beside this file (same
 * keys in each; catalogs.test.ts fails on a missing, extra or unused key). Use keys literally —
 * t('home.welcome'), <Trans i18nKey="…"> — so the test can find them; for a value from the server
 * (a role, a vocabulary code) map it to literal t() calls, as roles.ts does.
 */
export const LOCALES = ['be', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language named in itself: the same in every catalog, so not a translatable string. */
export const LANGUAGE_NAMES: Record<Locale, string> = { be: 'Беларуская', ru: 'Русский', en: 'English' };

export const isLocale = (x: unknown): x is Locale => typeof x === 'string' && (LOCALES as readonly string[]).includes(x);

/** The first of the browser's languages we have (be-BY → be), else English. */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function createI18n(initial: Locale): I18n {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, be: { translation: be }, ru: { translation: ru } },
    lng: initial,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  const sync = (lng: string) => document.documentElement.setAttribute('lang', lng);
  sync(initial);
  i18n.on('languageChanged', sync);
  return i18n;
}
