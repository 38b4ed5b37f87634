import { Alert, Code, Drawer, Group, Loader, Progress, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { useJob, type JobState } from '../../../api/system';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useFormat } from '../../../i18n/format';
import { Pill } from './Pill';

/** Pieces of the jobs page: a job's name in words, its state as a badge, the retry refusal, the detail drawer. */

/** A job's name in the UI's language; a name the UI does not know is shown as the server gives it. */
export function jobNameText(t: TFunction, name: string): string {
  switch (name) {
    case 'evidence.process':
      return t('system.jobs.names.evidenceProcess');
    case 'search.reindex':
      return t('system.jobs.names.searchReindex');
    case 'case.export':
      return t('system.jobs.names.caseExport');
    default:
      return name;
  }
}

export function JobName({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0}>
      <Text size="sm">{jobNameText(t, name)}</Text>
      <Text size="xs" c="gray.7" ff="monospace">
        {name}
      </Text>
    </Stack>
  );
}

/** Dark enough for white text (WCAG AA) in every state. */
const STATE_COLOURS: Record<JobState, string> = { queued: '#495057', running: '#1864ab', done: '#1e6b30', failed: '#8a4100', dead: '#c92a2a' };

export function jobStateText(t: TFunction, state: JobState): string {
  switch (state) {
    case 'queued':
      return t('system.jobs.state.queued');
    case 'running':
      return t('system.jobs.state.running');
    case 'done':
      return t('system.jobs.state.done');
    case 'failed':
      return t('system.jobs.state.failed');
    case 'dead':
      return t('system.jobs.state.dead');
  }
}

export function JobStateBadge({ state }: { state: JobState }) {
  const { t } = useTranslation();
  return (
    <Pill colour={STATE_COLOURS[state]} data-testid="job-state" data-state={state}>
      {jobStateText(t, state)}
    </Pill>
  );
}

/** Why the server refused a retry: 409 (not dead any more, or another job does the same work) with its own words. */
export function RetryError({ error }: { error: Error }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 409)
    return (
      <Alert color="red" variant="light" role="alert" title={t('system.jobs.retryRefused')}>
        <Text size="sm" data-testid="retry-refused">
          {error.problem.detail ?? ''}
        </Text>
      </Alert>
    );
  return <ErrorNotice error={error} />;
}

/** One job in full: state, attempts, progress, times, result and last error; kept fresh while it runs. */
export function JobDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const job = useJob(id);
  const j = job.data;
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={j ? jobNameText(t, j.name) : t('system.jobs.details')} closeButtonProps={{ 'aria-label': t('system.close') }}>
      {job.isPending ? (
        <Loader aria-label={t('system.loading')} />
      ) : job.isError ? (
        <ErrorNotice error={job.error} />
      ) : (
        j && (
          <Stack data-testid="job-detail">
            <Group>
              <JobStateBadge state={j.state} />
            </Group>
            <Progress value={j.progress} aria-label={t('system.jobs.progressOf', { percent: j.progress })} />
            {j.progressMessage && <Text size="sm">{j.progressMessage}</Text>}
            <Table variant="vertical" withTableBorder>
              <Table.Tbody>
                <Row label={t('system.jobs.id')} value={<Text span ff="monospace" size="sm">{j.id}</Text>} />
                <Row label={t('system.jobs.attempts')} value={t('system.jobs.attemptsOf', { attempts: f.number(j.attempts), max: f.number(j.maxAttempts) })} />
                <Row label={t('system.jobs.created')} value={f.dateTime(j.createdAt)} />
                <Row label={t('system.jobs.due')} value={f.dateTime(j.runAt)} />
                <Row label={t('system.jobs.updated')} value={f.dateTime(j.updatedAt)} />
                <Row label={t('system.jobs.finished')} value={j.finishedAt ? f.dateTime(j.finishedAt) : '—'} />
                {j.lockedBy && <Row label={t('system.jobs.worker')} value={<Text span ff="monospace" size="sm">{j.lockedBy}</Text>} />}
              </Table.Tbody>
            </Table>
            <Title order={3}>{t('system.jobs.result')}</Title>
            {j.result ? <Code block>{JSON.stringify(j.result, null, 2)}</Code> : <Text size="sm">{t('system.jobs.noResult')}</Text>}
            <Title order={3}>{t('system.jobs.lastError')}</Title>
            {j.lastError ? (
              <Code block data-testid="detail-error" style={{ whiteSpace: 'pre-wrap' }}>
                {j.lastError}
              </Code>
            ) : (
              <Text size="sm">{t('system.jobs.noError')}</Text>
            )}
          </Stack>
        )
      )}
    </Drawer>
  );
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={180}>{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}
