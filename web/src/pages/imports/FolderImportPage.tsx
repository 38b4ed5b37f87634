import { Anchor, Badge, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FolderImportReport, FolderPreview } from '../../api/imports';
import { ArchiveImportWizard } from './ArchiveImport';

/** The columns of metadata.csv (and keys of a sidecar), each in a line. */
function MetadataHelp() {
  const { t } = useTranslation();
  const columns: Array<[string, string]> = [
    ['file', t('imports.folder.columns.file')],
    ['source', t('imports.folder.columns.source')],
    ['date', t('imports.folder.columns.date')],
    ['place', t('imports.folder.columns.place')],
    ['note', t('imports.folder.columns.note')],
    ['links', t('imports.folder.columns.links')],
  ];
  return (
    <Stack gap={4} data-testid="how-to">
      <Title order={3} size="h5">{t('imports.folder.howTo.title')}</Title>
      <Text size="sm">{t('imports.folder.howTo.csv')}</Text>
      <Table withTableBorder aria-label={t('imports.folder.howTo.columnsTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.folder.howTo.column')}</Table.Th>
            <Table.Th>{t('imports.folder.howTo.holds')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {columns.map(([name, what]) => (
            <Table.Tr key={name}>
              <Table.Td><Code>{name}</Code></Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">{t('imports.folder.howTo.sidecars')}</Text>
      <Text size="sm">{t('imports.folder.howTo.zip')}</Text>
    </Stack>
  );
}

/**
 * Importing a folder of files with metadata.csv or JSON sidecars, zipped: every file becomes an
 * evidence item whose acquisition holds what the metadata says, linked to the records it names.
 */
export function FolderImportPage() {
  const { t } = useTranslation();

  const preview = (p: FolderPreview) => (
    <Stack gap="sm">
      <Group gap="lg">
        <Text>{t('imports.folder.preview.files', { count: p.files })}</Text>
        <Text data-testid="metadata-csv">{p.metadataCsv ? t('imports.folder.preview.csvYes') : t('imports.folder.preview.csvNo')}</Text>
        <Text>{t('imports.folder.preview.sidecars', { count: p.sidecars })}</Text>
      </Group>
      {p.sample.length > 0 && (
        <Table.ScrollContainer minWidth={400}>
          <Table striped withTableBorder aria-label={t('imports.folder.preview.sample')} data-testid="sample">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.folder.preview.path')}</Table.Th>
                <Table.Th>{t('imports.folder.preview.metadata')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.sample.map((s) => (
                <Table.Tr key={s.path}>
                  <Table.Td>{s.path}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={s.hasMetadata ? 'teal.9' : 'yellow.9'}>{s.hasMetadata ? t('imports.folder.preview.described') : t('imports.folder.preview.notDescribed')}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {p.files > p.sample.length && <Text size="sm">{t('imports.folder.preview.more', { count: p.files - p.sample.length })}</Text>}
    </Stack>
  );

  const counts = (r: FolderImportReport) => (
    <Stack gap={4}>
      <Group gap="lg">
        <Text fw={700} data-testid="files-taken">{t('imports.folder.report.taken', { count: r.files.taken })}</Text>
        <Text>{t('imports.folder.report.newItems', { count: r.files.newItems })}</Text>
        <Text>{t('imports.folder.report.alreadyHeld', { count: r.files.alreadyHeld })}</Text>
        <Text data-testid="files-already">{t('imports.folder.report.alreadyImported', { count: r.files.alreadyImported })}</Text>
        <Text fw={r.files.notTaken ? 700 : undefined}>{t('imports.folder.report.notTaken', { count: r.files.notTaken })}</Text>
        <Text>{t('imports.folder.report.of', { count: r.files.seen })}</Text>
      </Group>
      <Group gap="lg">
        <Text>{t('imports.folder.report.withoutMetadata', { count: r.files.withoutMetadata })}</Text>
        <Text data-testid="links-added">{t('imports.folder.report.linksAdded', { count: r.links.added })}</Text>
        <Text>{t('imports.folder.report.linksThere', { count: r.links.alreadyThere })}</Text>
      </Group>
    </Stack>
  );

  const done = (r: FolderImportReport, compartment: string) => (
    <Stack gap={4}>
      <Text>{r.files.taken > 0 ? t('imports.folder.report.done', { count: r.files.taken }) : t('imports.folder.report.nothingNew')}</Text>
      <Anchor component={Link} to={`/search?type=evidence&compartment=${compartment}&sort=-date`} data-testid="search-link">
        {t('imports.folder.report.search')}
      </Anchor>
    </Stack>
  );

  return (
    <ArchiveImportWizard<FolderPreview, FolderImportReport>
      kind="folder"
      texts={{
        title: t('imports.folder.title'),
        intro: t('imports.folder.intro'),
        drop: t('imports.folder.drop'),
        kept: t('imports.folder.kept'),
        preview: t('imports.folder.steps.preview'),
        previewHelp: t('imports.folder.steps.previewHelp'),
      }}
      howTo={<MetadataHelp />}
      renderPreview={preview}
      renderCounts={counts}
      renderDone={done}
    />
  );
}
