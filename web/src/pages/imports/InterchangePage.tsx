import { Divider, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { InterchangeExport } from './InterchangeExport';
import { InterchangeImport } from './InterchangeImport';

/**
 * Interchange with Uwazi and HURIDOCS (docs/IMPORTS.md, "Interchange"): an import of Uwazi CSVs
 * (with their files), and an export as Uwazi CSVs or HURIDOCS ESF JSON.
 */
export function InterchangePage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1000} gap="lg">
      <Title order={1}>{t('interchange.title')}</Title>
      <Text>{t('interchange.intro')}</Text>
      <Stack gap="sm" component="section" aria-labelledby="interchange-import-title">
        <Title order={2} id="interchange-import-title">{t('interchange.import.title')}</Title>
        <Text>{t('interchange.import.intro')}</Text>
        <InterchangeImport />
      </Stack>
      <Divider />
      <Stack gap="sm" component="section" aria-labelledby="interchange-export-title">
        <Title order={2} id="interchange-export-title">{t('interchange.export.title')}</Title>
        <Text>{t('interchange.export.intro')}</Text>
        <InterchangeExport />
      </Stack>
    </Stack>
  );
}
