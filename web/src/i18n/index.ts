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

/**
 * Each language's catalog is its own chunk, fetched when the language is first used: the first
 * load carries one language, not three. A module per language (catalog-be.ts, …) merges its folder.
 */
const CATALOGS: Record<Locale, () => Promise<{ default: Record<string, unknown> }>> = {
  be: () => import('./catalog-be'),
  ru: () => import('./catalog-ru'),
  en: () => import('./catalog-en'),
};

/** i18next loads a language through this when it is chosen (changeLanguage waits for it). */
const catalogBackend = {
  type: 'backend' as const,
  init() {},
  read(language: string, _namespace: string, done: (error: unknown, data: Record<string, unknown> | null) => void) {
    if (!isLocale(language)) return done(new Error(`no catalog for ${language}`), null);
    CATALOGS[language]().then(
      (m) => done(null, m.default),
      (e) => done(e, null),
    );
  },
};

/** The UI's i18next, with the initial language's catalog loaded (the others load when chosen). */
export async function createI18n(initial: Locale): Promise<I18n> {
  const i18n = i18next.createInstance();
  await i18n.use(catalogBackend).use(initReactI18next).init({
    lng: initial,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    load: 'currentOnly',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    react: { useSuspense: false },
  });
  const sync = (lng: string) => document.documentElement.setAttribute('lang', lng);
  sync(initial);
  i18n.on('languageChanged', sync);
  return i18n;
}
