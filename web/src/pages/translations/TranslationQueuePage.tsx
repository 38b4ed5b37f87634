import { Alert, Anchor, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useRecordTypes } from '../../api/records';
import { useTranslationQueue } from '../../api/translations';
import { localLabel } from '../../api/vocabularies';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from './StatusBadge';
import { useLanguageName } from './language';

/** The queue's choices and the API's `status` each stands for. */
const WHAT: Record<string, string> = { all: 'untranslated,draft,machine,outdated', translate: 'untranslated,outdated', review: 'draft,machine' };

/**
 * What awaits translation or review (`/translations`, GET /api/v1/translations/queue) in the
 * compartments one can read: prose fields with text and no translation into a language, outdated
 * translations, drafts and machine translations. The choices live in the URL.
 */
export function TranslationQueuePage() {
  const { t, i18n } = useTranslation();
  const languageName = useLanguageName();
  const [params, setParams] = useSearchParams();
  const language = params.get('language') ?? '';
  const what = params.get('what') ?? 'all';
  const q = useTranslationQueue({ ...(language ? { language } : {}), status: WHAT[what] ?? WHAT.all! });
  const types = useRecordTypes().data ?? [];
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const typeOf = (name: string) => types.find((x) => x.name === name);

  return (
    <Stack gap="md" maw={1200}>
      <Title order={1}>{t('translations.queue.title')}</Title>
      <Text>{t('translations.queue.intro')}</Text>
      <Group gap="sm" align="flex-end">
        <Select
          label={t('translations.queue.language')}
          data={[{ value: '', label: t('translations.queue.allLanguages') }, ...[...new Set([...(q.data?.languages ?? []), ...(language ? [language] : [])])].map((l) => ({ value: l, label: languageName(l) }))]}
          value={language}
          onChange={(v) => set('language', v)}
          allowDeselect={false}
          w={240}
        />
        <Select
          label={t('translations.queue.what')}
          data={[
            { value: 'all', label: t('translations.queue.whatAll') },
            { value: 'translate', label: t('translations.queue.whatTranslate') },
            { value: 'review', label: t('translations.queue.whatReview') },
          ]}
          value={what}
          onChange={(v) => set('what', v === 'all' ? null : v)}
          allowDeselect={false}
          w={280}
        />
      </Group>
      {q.isPending ? (
        <Loader aria-label={t('translations.loading')} />
      ) : q.isError ? (
        <ErrorNotice error={q.error} />
      ) : q.data.items.length === 0 ? (
        <Alert color="green" variant="light">
          {t('translations.queue.empty')}
        </Alert>
      ) : (
        <>
          <Table striped data-testid="translation-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('translations.queue.record')}</Table.Th>
                <Table.Th>{t('translations.queue.field')}</Table.Th>
                <Table.Th>{t('translations.queue.into')}</Table.Th>
                <Table.Th>{t('translations.queue.state')}</Table.Th>
                <Table.Th>{t('translations.queue.translator')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((i) => {
                const meta = typeOf(i.type);
                return (
                  <Table.Tr key={`${i.type}/${i.id}/${i.field}/${i.language}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/records/${i.type}/${i.id}/translate?lang=${encodeURIComponent(i.language)}`}>
                        {i.label ?? i.id.slice(0, 8)}
                      </Anchor>
                      <Text size="xs" c="gray.7">
                        {localLabel(meta?.label, i18n.language) ?? i.type}
                      </Text>
                    </Table.Td>
                    <Table.Td>{localLabel(meta?.fields.find((f) => f.name === i.field)?.label, i18n.language) ?? i.field}</Table.Td>
                    <Table.Td>{languageName(i.language)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={i.state} />
                    </Table.Td>
                    <Table.Td>{i.translation?.translator?.username ?? ''}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {q.data.truncated && <Text size="sm">{t('translations.queue.truncated', { count: q.data.items.length })}</Text>}
        </>
      )}
    </Stack>
  );
}
