import { useTranslation } from 'react-i18next';
import { platformLanguageName } from '../../api/translations';

/** Names languages in the reader's language: be, ru and en from the catalogs, others from the platform when it knows them. */
export function useLanguageName(): (tag: string) => string {
  const { t, i18n } = useTranslation();
  const known: Record<string, string> = { be: t('translations.language.be'), ru: t('translations.language.ru'), en: t('translations.language.en') };
  return (tag) => known[tag] ?? platformLanguageName(tag, i18n.language);
}
