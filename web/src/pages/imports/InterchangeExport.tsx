import { useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, MultiSelect, Radio, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { exportDownloadUrl, useRequestInterchangeExport, type ExportFormat, type InterchangeExportResult } from '../../api/interchange';
import { useRecordTypes } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { useCompartments } from '../../api/session';
import { useFormat } from '../../i18n/format';
import { DESCRIPTION, JobState, Problem, useJobReport } from './common';

/** Roles that may download evidence (evidence.download), and so export its files. */
const FILE_ROLES = ['coordinator', 'documenter', 'analyst', 'lawyer'];
/** Roles that may reveal identities (identity.reveal), and so export them. */
const IDENTITY_ROLES = ['coordinator'];

/**
 * Exporting a compartment's records: Uwazi CSVs in a ZIP (record types, with the evidence files,
 * with identities) or HURIDOCS ESF JSON; a job, then one download of the file, kept on the server
 * for the one who asked only until then (or 24 hours).
 */
export function InterchangeExport() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const compartments = useCompartments();
  const readable = (compartments.data ?? []).filter((c) => c.myRole);
  const types = useRecordTypes();
  const [compartment, setCompartment] = useState<string | null>(null);
  const chosen = compartment ?? (readable.length === 1 ? readable[0]!.id : null);
  const role = readable.find((c) => c.id === chosen)?.myRole ?? null;
  const [format, setFormat] = useState<ExportFormat>('uwazi');
  const [chosenTypes, setChosenTypes] = useState<string[]>([]);
  const [withFiles, setWithFiles] = useState(false);
  const [withIdentities, setWithIdentities] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const request = useRequestInterchangeExport();
  const job = useJobReport<InterchangeExportResult>(jobId);
  const mayFiles = role !== null && FILE_ROLES.includes(role);
  const mayIdentities = role !== null && IDENTITY_ROLES.includes(role);

  if (compartments.data && readable.length === 0) return <Alert color="yellow">{t('interchange.export.notAllowed')}</Alert>;

  const start = () => {
    if (!chosen) return;
    setDownloaded(false);
    const uwazi = format === 'uwazi';
    request.mutate(
      {
        compartment: chosen,
        format,
        ...(uwazi && chosenTypes.length ? { types: chosenTypes } : {}),
        ...(uwazi && withFiles && mayFiles ? { withFiles: true } : {}),
        ...(uwazi && withIdentities && mayIdentities ? { withIdentities: true } : {}),
      },
      { onSuccess: (r) => setJobId(r.jobId) },
    );
  };
  const result = job.report;

  return (
    <Stack gap="sm">
      {readable.length > 1 && (
        <Select label={t('interchange.export.compartment')} data={readable.map((c) => ({ value: c.id, label: c.name }))} value={chosen} onChange={setCompartment} required w={420} />
      )}
      <Radio.Group label={t('interchange.export.format')} value={format} onChange={(v) => setFormat(v as ExportFormat)}>
        <Stack gap={6} mt={4}>
          <Radio value="uwazi" label={t('interchange.export.uwazi')} description={t('interchange.export.uwaziHelp')} styles={DESCRIPTION} />
          <Radio value="esf" label={t('interchange.export.esf')} description={t('interchange.export.esfHelp')} styles={DESCRIPTION} />
        </Stack>
      </Radio.Group>
      {format === 'uwazi' && (
        <>
          <MultiSelect
            label={t('interchange.export.types')}
            description={t('interchange.export.typesHelp')}
            styles={DESCRIPTION}
            data={(types.data ?? []).map((x) => ({ value: x.name, label: localLabel(x.pluralLabel, i18n.language) ?? x.name }))}
            value={chosenTypes}
            onChange={setChosenTypes}
            searchable
            clearable
            w={520}
          />
          <Checkbox
            label={t('interchange.export.withFiles')}
            description={mayFiles ? t('interchange.export.withFilesHelp') : t('interchange.export.withFilesNotAllowed')}
            styles={DESCRIPTION}
            checked={withFiles && mayFiles}
            disabled={!mayFiles}
            onChange={(e) => setWithFiles(e.currentTarget.checked)}
          />
          <Checkbox
            label={t('interchange.export.withIdentities')}
            description={mayIdentities ? t('interchange.export.withIdentitiesHelp') : t('interchange.export.withIdentitiesNotAllowed')}
            styles={DESCRIPTION}
            checked={withIdentities && mayIdentities}
            disabled={!mayIdentities}
            onChange={(e) => setWithIdentities(e.currentTarget.checked)}
            data-testid="with-identities"
          />
          {withIdentities && mayIdentities && (
            <Alert color="red" role="alert" title={t('interchange.export.identitiesWarningTitle')} data-testid="identities-warning">
              {t('interchange.export.identitiesWarning')}
            </Alert>
          )}
        </>
      )}
      <Group>
        <Button onClick={start} loading={request.isPending} disabled={!chosen || job.running} data-testid="interchange-export">
          {t('interchange.export.run')}
        </Button>
      </Group>
      <Problem error={request.error} />
      <JobState job={job} label={t('interchange.export.exporting')} />
      {result && (
        <Stack gap="xs" data-testid="export-result">
          <Title order={3} size="h4">{t('interchange.export.ready')}</Title>
          <Table striped withTableBorder aria-label={t('interchange.export.contents')} maw={520}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('interchange.export.part')}</Table.Th>
                <Table.Th>{t('interchange.export.entries')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.contents.map((c) => (
                <Table.Tr key={c.name}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{f.number(c.rows)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {result.format === 'uwazi' && withFiles && <Text>{t('interchange.export.files', { count: result.files })}</Text>}
          {result.withheld > 0 && <Text>{t('interchange.export.withheld', { count: result.withheld })}</Text>}
          {result.withIdentities && <Alert color="red">{t('interchange.export.identitiesWarning')}</Alert>}
          {downloaded ? (
            <Alert color="green" data-testid="downloaded">{t('interchange.export.downloaded')}</Alert>
          ) : (
            <Stack gap={4}>
              <Group>
                <Anchor href={exportDownloadUrl(jobId!)} download={result.filename} onClick={() => setDownloaded(true)} data-testid="export-download">
                  {t('interchange.export.download', { name: result.filename, size: f.number(result.size) })}
                </Anchor>
              </Group>
              <Text size="sm">{t('interchange.export.kept', { until: f.dateTime(result.expiresAt) })}</Text>
            </Stack>
          )}
        </Stack>
      )}
    </Stack>
  );
}
