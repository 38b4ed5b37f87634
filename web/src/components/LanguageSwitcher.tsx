import { NativeSelect } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SESSION_KEY, setLocale, type Session } from '../api/session';
import { isLocale, LANGUAGE_NAMES, LOCALES } from '../i18n';

/**
 * Switches the UI's language at once; when signed in, also saves it to the account
 * (PATCH /api/v1/account), so the next sign-in, on any browser, starts in it.
 */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const change = async (value: string) => {
    if (!isLocale(value)) return;
    // saved to the account at once, while the language's catalog loads (a reload meanwhile keeps the choice)
    const session = qc.getQueryData<Session | null>(SESSION_KEY);
    const saving = session ? setLocale(value) : null;
    await i18n.changeLanguage(value);
    if (session && saving) {
      const saved = await saving;
      const next: Session = { ...session, user: { ...session.user, locale: saved.locale } };
      qc.setQueryData(SESSION_KEY, next);
    }
  };
  return (
    <NativeSelect
      size="xs"
      aria-label={t('header.language')}
      value={i18n.language}
      onChange={(e) => void change(e.currentTarget.value)}
      data={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
    />
  );
}
