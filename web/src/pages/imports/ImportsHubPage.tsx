import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/**
 * The kinds of import, each a card: what it takes in one line, who may use it, and the link to its
 * wizard. Every import keeps the file as evidence first and can be run again safely.
 */
export function ImportsHubPage() {
  const { t } = useTranslation();
  const kinds: { to: string; title: string; what: string; who: string }[] = [
    { to: '/imports/list', title: t('imports.hub.list.title'), what: t('imports.hub.list.what'), who: t('imports.hub.whoRecords') },
    { to: '/imports/telegram', title: t('imports.hub.telegram.title'), what: t('imports.hub.telegram.what'), who: t('imports.hub.whoRecords') },
    { to: '/imports/folder', title: t('imports.hub.folder.title'), what: t('imports.hub.folder.what'), who: t('imports.hub.whoEvidence') },
    { to: '/imports/web-capture', title: t('imports.hub.capture.title'), what: t('imports.hub.capture.what'), who: t('imports.hub.whoEvidence') },
    { to: '/imports/interchange', title: t('imports.hub.interchange.title'), what: t('imports.hub.interchange.what'), who: t('imports.hub.whoInterchange') },
  ];
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t('imports.hub.title')}</Title>
      <Text>{t('imports.hub.intro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {kinds.map((k, i) => (
          <Paper key={k.to} withBorder p="md" component="section" aria-labelledby={`kind-${i}`} data-testid="import-kind">
            <Stack gap="xs">
              <Title order={2} size="h4" id={`kind-${i}`}>
                <Anchor component={Link} to={k.to}>{k.title}</Anchor>
              </Title>
              <Text size="sm">{k.what}</Text>
              <Text size="sm" c="gray.7">{k.who}</Text>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
