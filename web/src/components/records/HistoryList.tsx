import { Badge, Group, List, Paper, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCompartments } from '../../api/session';
import type { HistoryEntry, RecordTypeMeta } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { useFormat } from '../../i18n/format';
import { FieldValue } from './FieldValue';

const PROTECTED = '[protected]';

/** One side of a change: the value as a reader sees it; "protected" for encrypted values, which never enter the history. */
function ChangeValue({ meta, field, value }: { meta: RecordTypeMeta; field: string; value: unknown }) {
  const { t } = useTranslation();
  const compartments = useCompartments();
  if (value === PROTECTED) return <Text span fs="italic">{t('records.protected')}</Text>;
  if (field === 'compartment') return <>{compartments.data?.find((c) => c.id === value)?.name ?? String(value ?? '')}</>;
  const def = meta.fields.find((f) => f.name === field);
  if (!def) return <>{JSON.stringify(value)}</>;
  return <FieldValue field={def} value={value} plain={def.kind === 'text'} />;
}

/**
 * The versions of a record, newest first: who, when, and each change as "field: old → new" with
 * labels in the UI's language (codes as their names, references as links, dates as written).
 */
export function HistoryList({ meta, entries }: { meta: RecordTypeMeta; entries: HistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const label = (name: string) => (name === 'compartment' ? t('records.form.compartment') : (localLabel(meta.fields.find((x) => x.name === name)?.label, i18n.language) ?? name));
  const action = (a: HistoryEntry['action']) => (a === 'create' ? t('records.history.created') : a === 'update' ? t('records.history.updated') : t('records.history.deleted'));
  return (
    <Stack gap="sm">
      {[...entries].reverse().map((e) => {
        const changes = Object.entries(e.changes);
        return (
          <Paper key={e.version} withBorder p="sm" component="article" aria-label={t('records.history.version', { version: e.version })}>
            <Group gap="sm" mb={changes.length ? 'xs' : 0}>
              <Badge variant="light">{t('records.history.version', { version: e.version })}</Badge>
              <Text fw={600}>{action(e.action)}</Text>
              <Text size="sm" c="gray.7">
                {t('records.history.byAt', { user: e.actor?.username ?? t('records.history.system'), time: f.dateTime(e.at) })}
              </Text>
            </Group>
            {changes.length > 0 && (
              <List size="sm" spacing={4} data-testid={`history-changes-${e.version}`}>
                {changes.map(([name, c]) => (
                  <List.Item key={name}>
                    <Text span fw={600}>
                      {label(name)}:
                    </Text>{' '}
                    {e.action === 'create' ? (
                      <ChangeValue meta={meta} field={name} value={c.to} />
                    ) : (
                      <>
                        <Text span td="line-through" c="gray.7">
                          <ChangeValue meta={meta} field={name} value={c.from} />
                        </Text>{' '}
                        <span aria-hidden>→</span>
                        <VisuallyHidden>{t('records.history.becomes')}</VisuallyHidden> <ChangeValue meta={meta} field={name} value={c.to} />
                      </>
                    )}
                  </List.Item>
                ))}
              </List>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}
