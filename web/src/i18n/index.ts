import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * The UI's languages. Every string the UI shows is in the catalogs beside this file: one folder per
 * language (`en/`, `be/`, `ru/`), one file per area of the app in each (`core.json`, …), merged
 * here; the same files and keys in each language, and no top-level key in two files
 * (catalogs.test.ts fails on a missing, extra or unused key). Use keys literally —
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

const files = import.meta.glob<Record<string, unknown>>('./*/*.json', { eager: true, import: 'default' });

/** One language's catalog: every area file of its folder, merged. */
function catalogOf(lang: Locale): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, content] of Object.entries(files)) if (path.startsWith(`./${lang}/`)) Object.assign(out, content);
  return out;
}

export function createI18n(initial: Locale): I18n {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: catalogOf('en') }, be: { translation: catalogOf('be') }, ru: { translation: catalogOf('ru') } },
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
