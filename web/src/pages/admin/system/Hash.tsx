import { Button, CopyButton, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A hash or key in monospace, shortened to its first characters, the full value in the title and
 * behind a copy button (`label` names what is copied, for screen readers).
 */
export function Hash({ value, label, keep = 12 }: { value: string; label: string; keep?: number }) {
  const { t } = useTranslation();
  const short = value.length > keep + 1 ? `${value.slice(0, keep)}…` : value;
  return (
    <Group gap={6} wrap="nowrap">
      <Text span ff="monospace" size="sm" title={value} data-full={value}>
        {short}
      </Text>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="subtle" onClick={copy} aria-label={t('system.copyNamed', { what: label })}>
            {copied ? t('system.copied') : t('system.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
