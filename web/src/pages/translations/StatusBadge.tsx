import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { QueueState, TranslationStatus } from '../../api/translations';

const COLOUR: Record<TranslationStatus | QueueState, string> = { untranslated: 'gray', draft: 'blue', machine: 'violet', reviewed: 'green', outdated: 'orange' };

/** A translation's status (or a queue item's state) as a badge in the reader's language. */
export function StatusBadge({ status }: { status: TranslationStatus | QueueState }) {
  const { t } = useTranslation();
  const label = {
    untranslated: t('translations.status.untranslated'),
    draft: t('translations.status.draft'),
    machine: t('translations.status.machine'),
    reviewed: t('translations.status.reviewed'),
    outdated: t('translations.status.outdated'),
  }[status];
  return (
    <Badge color={COLOUR[status]} variant="light" data-testid="status-badge">
      {label}
    </Badge>
  );
}
