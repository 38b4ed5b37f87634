import { Anchor, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { localLabel, useVocabularies } from '../../api/vocabularies';
import { useSignedIn } from '../../app/guards';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { AdminTabs } from './common';
import { VocabularyTerms } from './vocabularies/VocabularyTerms';

/**
 * /admin/vocabularies: every vocabulary (its label, number of terms, version); one chosen (kept in
 * the URL as `?v=`) shows its terms as a tree, with a form to add one and a dialog to change one.
 * For coordinators and administrators (the server's `vocabulary.edit`); others are told plainly.
 */
export function VocabulariesPage() {
  return (
    <EditorsOnly>
      <Vocabularies />
    </EditorsOnly>
  );
}

/** Coordinators and administrators change vocabularies; anyone else gets a clear "not allowed". */
function EditorsOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  if (session.user.role !== 'administrator' && session.user.role !== 'coordinator')
    return (
      <Stack>
        <Title order={1}>{t('vocabularies.notAllowed.title')}</Title>
        <Text>{t('vocabularies.notAllowed.body')}</Text>
        <Anchor component={Link} to="/">
          {t('vocabularies.notAllowed.home')}
        </Anchor>
      </Stack>
    );
  return <>{children}</>;
}

function Vocabularies() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const list = useVocabularies();
  const [params, setParams] = useSearchParams();
  const selected = params.get('v');
  const current = list.data?.find((v) => v.name === selected) ?? null;
  const sorted = [...(list.data ?? [])].sort((a, b) => (localLabel(a.labels, i18n.language) ?? a.name).localeCompare(localLabel(b.labels, i18n.language) ?? b.name, i18n.language));
  const choose = (name: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set('v', name);
      return next;
    });

  return (
    <Stack>
      <Title order={1}>{t('vocabularies.title')}</Title>
      <AdminTabs />
      <Text maw={900}>{t('vocabularies.intro')}</Text>
      {list.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : list.isError ? (
        <ErrorNotice error={list.error} />
      ) : sorted.length === 0 ? (
        <Text>{t('vocabularies.list.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label={t('vocabularies.list.caption')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vocabularies.list.name')}</Table.Th>
                <Table.Th>{t('vocabularies.list.code')}</Table.Th>
                <Table.Th>{t('vocabularies.list.terms')}</Table.Th>
                <Table.Th>{t('vocabularies.list.version')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((v) => (
                <Table.Tr key={v.name} data-testid={`vocabulary-${v.name}`}>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => choose(v.name)} fw={v.name === selected ? 700 : undefined} aria-current={v.name === selected ? 'true' : undefined}>
                      {localLabel(v.labels, i18n.language) ?? v.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" translate="no">
                      {v.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>{fmt.number(v.termCount)}</Table.Td>
                  <Table.Td>{fmt.number(v.version)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {current && <VocabularyTerms key={current.name} name={current.name} />}
    </Stack>
  );
}
