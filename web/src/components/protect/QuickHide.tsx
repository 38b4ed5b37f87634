import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useProtection } from './context';

/** The visible way to quick-hide (the keyboard way: Escape twice). */
export function QuickHideButton() {
  const { t } = useTranslation();
  const { hide } = useProtection();
  return (
    <Button size="xs" color="dark" variant="filled" aria-keyshortcuts="Escape Escape" title={t('protect.quickHide.hint')} style={{ flexShrink: 0 }} onClick={() => hide('quick')}>
      {t('protect.quickHide.button')}
    </Button>
  );
}
