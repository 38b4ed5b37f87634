import { Anchor, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRecordTypes } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { ErrorNotice } from '../../components/ErrorNotice';

/** Groups of record types as documenters think of them (types not named here go under "other"). */
const GROUPS: { key: 'violations' | 'people' | 'custody' | 'justice' | 'sources' | 'cases'; types: string[] }[] = [
  { key: 'violations', types: ['events', 'acts', 'involvements', 'medical-findings'] },
  { key: 'people', types: ['persons', 'person-names', 'units', 'positions'] },
  { key: 'custody', types: ['detentions', 'custody-stays', 'facilities', 'places'] },
  { key: 'justice', types: ['proceedings', 'charges', 'sentences'] },
  { key: 'sources', types: ['information', 'testimonies', 'consents', 'messages'] },
  { key: 'cases', types: ['cases', 'qualifications', 'qualification-elements'] },
];

/** Every record type of the catalog, grouped, each opening its list. */
export function RecordsIndexPage() {
  const { t, i18n } = useTranslation();
  const types = useRecordTypes();
  const groupTitle = (k: (typeof GROUPS)[number]['key']) =>
    ({ violations: t('records.groups.violations'), people: t('records.groups.people'), custody: t('records.groups.custody'), justice: t('records.groups.justice'), sources: t('records.groups.sources'), cases: t('records.groups.cases') })[k];
  const grouped = new Set(GROUPS.flatMap((g) => g.types));
  const others = types.data?.filter((m) => !grouped.has(m.name)) ?? [];
  return (
    <Stack gap="lg" maw={1000}>
      <Title order={1}>{t('records.title')}</Title>
      <Text>{t('records.intro')}</Text>
      {types.isError && <ErrorNotice error={types.error} />}
      {types.isLoading && <Text>{t('app.loading')}</Text>}
      {types.data && (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          {[...GROUPS, ...(others.length ? [{ key: 'other' as const, types: others.map((o) => o.name) }] : [])].map((g) => (
            <section key={g.key} aria-labelledby={`group-${g.key}`}>
              <Title order={2} size="h4" id={`group-${g.key}`} mb="xs">
                {g.key === 'other' ? t('records.groups.other') : groupTitle(g.key)}
              </Title>
              <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {g.types
                  .map((n) => types.data.find((m) => m.name === n))
                  .filter((m) => m !== undefined)
                  .map((m) => (
                    <li key={m.name}>
                      <Anchor component={Link} to={`/records/${m.name}`}>
                        {localLabel(m.pluralLabel, i18n.language)}
                      </Anchor>
                    </li>
                  ))}
              </Stack>
            </section>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
