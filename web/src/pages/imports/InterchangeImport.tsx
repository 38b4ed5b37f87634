import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Group, List, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRequestUwaziImport, type UwaziImportReport } from '../../api/interchange';
import { useRecordTypes } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { useFormat } from '../../i18n/format';
import { DESCRIPTION, JobState, Problem, UploadStep, useJobReport, useWritableCompartments } from './common';

/** Records linked in the report at most (the rest are in the compartment's lists). */
const LINKED = 50;

/**
 * Importing Uwazi CSVs: the ZIP (its CSVs and files/) or one CSV uploaded as an evidence item, a
 * dry run and its report, then the import (all rows or nothing) and its report with links to the
 * records made.
 */
export function InterchangeImport() {
  const { t, i18n } = useTranslation();
  const writableOrNull = useWritableCompartments();
  const writable = writableOrNull ?? [];
  const types = useRecordTypes();
  const [compartment, setCompartment] = useState<string | null>(null);
  const chosen = compartment ?? (writable.length === 1 ? writable[0]!.id : null);
  const [itemId, setItemId] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const request = useRequestUwaziImport();
  const [checkJob, setCheckJob] = useState<string | null>(null);
  const [importJob, setImportJob] = useState<string | null>(null);
  const check = useJobReport<UwaziImportReport>(checkJob);
  const run = useJobReport<UwaziImportReport>(importJob);
  const typeLabel = (name: string) => {
    const m = types.data?.find((x) => x.name === name);
    return m ? (localLabel(m.pluralLabel, i18n.language) ?? name) : name;
  };

  // another file, type or compartment needs a new check
  useEffect(() => {
    setCheckJob(null);
    setImportJob(null);
  }, [itemId, type, chosen]);

  if (writableOrNull && writable.length === 0) return <Alert color="yellow">{t('interchange.import.notAllowed')}</Alert>;

  const start = (dryRun: boolean) => {
    if (!itemId || !chosen) return;
    request.mutate({ itemId, compartment: chosen, ...(type ? { type } : {}), dryRun }, { onSuccess: (r) => (dryRun ? setCheckJob(r.jobId) : setImportJob(r.jobId)) });
  };
  const checked = check.report && check.report.problemsTotal === 0 && check.report.notWritten === null;

  return (
    <Stack gap="md">
      <UploadStep
        writable={writable}
        compartment={chosen}
        onCompartment={setCompartment}
        accept=".zip,.csv,application/zip,text/csv"
        drop={t('interchange.import.drop')}
        kept={t('interchange.import.kept')}
        inputTestId="interchange-file"
        busy={request.isPending}
        itemId={itemId}
        onItem={setItemId}
      />
      {itemId && (
        <Stack gap="sm">
          <Select
            label={t('interchange.import.type')}
            description={t('interchange.import.typeHelp')}
            styles={DESCRIPTION}
            clearable
            data={(types.data ?? []).map((x) => ({ value: x.name, label: localLabel(x.pluralLabel, i18n.language) ?? x.name }))}
            value={type}
            onChange={setType}
            w={420}
          />
          <Group>
            <Button onClick={() => start(true)} loading={request.isPending && !checkJob} disabled={check.running || run.running} data-testid="interchange-check">
              {t('interchange.import.check')}
            </Button>
            {checked && !importJob && (
              <Button color="green" onClick={() => start(false)} loading={request.isPending} data-testid="interchange-import">
                {t('interchange.import.run')}
              </Button>
            )}
          </Group>
          <Problem error={request.error} />
          <JobState job={check} label={t('interchange.import.checking')} />
          {check.report && !importJob && <ImportReport report={check.report} typeLabel={typeLabel} />}
          <JobState job={run} label={t('interchange.import.importing')} />
          {run.report && <ImportReport report={run.report} typeLabel={typeLabel} />}
        </Stack>
      )}
    </Stack>
  );
}

/** What a dry run or an import did: the files read, the records written or not and why, the problems, links to the records. */
function ImportReport({ report, typeLabel }: { report: UwaziImportReport; typeLabel: (type: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const written = Object.entries(report.written);
  const total = written.reduce((n, [, c]) => n + c, 0);
  return (
    <Stack gap="sm" data-testid={report.dryRun ? 'interchange-check-report' : 'interchange-import-report'}>
      <Title order={3} size="h4">{report.dryRun ? t('interchange.import.report.checkTitle') : t('interchange.import.report.importTitle')}</Title>
      <Table.ScrollContainer minWidth={400}>
        <Table striped withTableBorder aria-label={t('interchange.import.report.filesTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('interchange.import.report.file')}</Table.Th>
              <Table.Th>{t('interchange.import.report.recordType')}</Table.Th>
              <Table.Th>{t('interchange.import.report.rows')}</Table.Th>
              <Table.Th>{report.dryRun ? t('interchange.import.report.wouldWrite') : t('interchange.import.report.written')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.files.map((x) => (
              <Table.Tr key={x.name}>
                <Table.Td>{x.name}</Table.Td>
                <Table.Td>{typeLabel(x.type)}</Table.Td>
                <Table.Td>{f.number(x.rows)}</Table.Td>
                <Table.Td>{f.number(report.written[x.type] ?? 0)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {report.notWritten !== null ? (
        <Alert color="red" role="alert" data-testid="not-written">{t('interchange.import.report.notWritten', { count: report.problemsTotal })}</Alert>
      ) : report.dryRun ? (
        <Alert color="green" data-testid="check-ok">{t('interchange.import.report.checkOk', { count: total })}</Alert>
      ) : (
        <Alert color="green" data-testid="import-ok">{t('interchange.import.report.importOk', { count: total })}</Alert>
      )}
      {report.attachments > 0 && (
        <Text data-testid="attachments">
          {report.dryRun || report.notWritten !== null ? t('interchange.import.report.filesNamed', { count: report.attachments }) : t('interchange.import.report.filesTaken', { count: report.attachments })}
        </Text>
      )}
      {report.alreadyImported > 0 && <Text>{t('interchange.import.report.already', { count: report.alreadyImported })}</Text>}
      {report.problems.length > 0 && (
        <Table.ScrollContainer minWidth={500}>
          <Table striped withTableBorder aria-label={t('interchange.import.report.problemsTable')} data-testid="interchange-problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('interchange.import.report.file')}</Table.Th>
                <Table.Th>{t('interchange.import.report.row')}</Table.Th>
                <Table.Th>{t('interchange.import.report.column')}</Table.Th>
                <Table.Th>{t('interchange.import.report.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.problems.map((p, i) => (
                <Table.Tr key={i} data-testid="interchange-problem">
                  <Table.Td>{p.file}</Table.Td>
                  <Table.Td>{f.number(p.row)}</Table.Td>
                  <Table.Td>{p.column ?? ''}</Table.Td>
                  <Table.Td>
                    {p.reason}
                    {p.suggestions?.length ? ` ${t('interchange.import.report.suggestions', { terms: p.suggestions.map((s) => `${s.label} (${s.code})`).join(', ') })}` : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {report.problemsTotal > report.problems.length && <Text size="sm">{t('interchange.import.report.moreProblems', { count: report.problemsTotal - report.problems.length })}</Text>}
      {!report.dryRun && report.records.length > 0 && (
        <Stack gap={4}>
          <Text fw={700}>{t('interchange.import.report.records')}</Text>
          <List size="sm" data-testid="imported-records">
            {report.records.slice(0, LINKED).map((r) => (
              <List.Item key={r.id}>
                <Anchor component={Link} to={`/records/${r.type}/${r.id}`}>{t('interchange.import.report.recordLink', { type: typeLabel(r.type), file: r.file, row: r.row })}</Anchor>
              </List.Item>
            ))}
          </List>
          {written.map(([type]) => (
            <Anchor key={type} component={Link} to={`/records/${type}`} size="sm">
              {t('interchange.import.report.allOfType', { type: typeLabel(type) })}
            </Anchor>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
