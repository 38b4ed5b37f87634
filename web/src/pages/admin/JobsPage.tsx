import { Anchor, Button, Group, Loader, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSignedIn } from '../../app/guards';
import { JOB_STATES, jobFiltersFrom, useJobs, useRetryJob, type Job, type JobFilters } from '../../api/system';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { AdminTabs, Confirm } from './common';
import { JobDrawer, JobName, JobStateBadge, RetryError, jobNameText } from './system/jobs';

/**
 * /admin/jobs: background jobs newest first, filtered by state and name (kept in the URL under
 * GET /api/v1/jobs's parameter names), page after page with the cursor, refreshed every few seconds
 * while one shown is queued or running. Administrators see every job and retry dead ones;
 * coordinators see their compartments' jobs, as the API gives them, without retry.
 */
export function JobsPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  if (session.user.role !== 'administrator' && session.user.role !== 'coordinator')
    return (
      <Stack>
        <Title order={1}>{t('admin.notAllowed.title')}</Title>
        <Text>{t('system.jobs.notAllowed')}</Text>
      </Stack>
    );
  return <Jobs mayRetry={session.user.role === 'administrator'} />;
}

/** Job names the worker runs (src/modules/jobs/jobs.worker.ts), offered as a filter. */
const KNOWN_NAMES = ['evidence.process', 'search.reindex', 'case.export'] as const;

function Jobs({ mayRetry }: { mayRetry: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const filters = jobFiltersFrom(params);
  const jobs = useJobs(filters);
  const retry = useRetryJob();
  const [asked, setAsked] = useState<Job | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const setFilter = (key: keyof JobFilters, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const closeRetry = () => (setAsked(null), retry.reset());
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  const stateOptions = [
    { value: 'queued', label: t('system.jobs.state.queued') },
    { value: 'running', label: t('system.jobs.state.running') },
    { value: 'done', label: t('system.jobs.state.done') },
    { value: 'failed', label: t('system.jobs.state.failed') },
    { value: 'dead', label: t('system.jobs.state.dead') },
  ].filter((o) => (JOB_STATES as readonly string[]).includes(o.value));
  const nameOptions = [...new Set<string>([...KNOWN_NAMES, ...(filters.name ? [filters.name] : [])])].map((n) => ({ value: n, label: jobNameText(t, n) }));

  return (
    <Stack>
      <Title order={1}>{t('system.jobs.title')}</Title>
      <AdminTabs />
      <Text>{mayRetry ? t('system.jobs.introAdmin') : t('system.jobs.introCoordinator')}</Text>
      <Group align="flex-end">
        <Select label={t('system.jobs.filterState')} placeholder={t('system.jobs.any')} data={stateOptions} value={filters.state ?? null} onChange={(v) => setFilter('state', v)} clearable w={220} />
        <Select label={t('system.jobs.filterName')} placeholder={t('system.jobs.any')} data={nameOptions} value={filters.name ?? null} onChange={(v) => setFilter('name', v)} clearable w={300} />
        {jobs.isFetching && !jobs.isPending && <Loader size="xs" aria-label={t('system.jobs.refreshing')} />}
      </Group>
      {jobs.isPending ? (
        <Loader aria-label={t('system.loading')} />
      ) : jobs.isError ? (
        <ErrorNotice error={jobs.error} />
      ) : items.length === 0 ? (
        <Text data-testid="no-jobs">{t('system.jobs.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="jobs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('system.jobs.name')}</Table.Th>
                <Table.Th>{t('system.jobs.stateTitle')}</Table.Th>
                <Table.Th>{t('system.jobs.progress')}</Table.Th>
                <Table.Th>{t('system.jobs.attempts')}</Table.Th>
                <Table.Th>{t('system.jobs.times')}</Table.Th>
                {mayRetry && <Table.Th>{t('system.jobs.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((j) => (
                <Table.Tr key={j.id} data-testid={`job-${j.id}`} onClick={() => setOpened(j.id)} style={{ cursor: 'pointer' }}>
                  <Table.Td onClick={(e) => e.stopPropagation()}>
                    <Anchor component="button" type="button" onClick={() => setOpened(j.id)} ta="left" title={t('system.jobs.detailsOf', { name: jobNameText(t, j.name), time: f.dateTime(j.createdAt) })}>
                      <JobName name={j.name} />
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <JobStateBadge state={j.state} />
                  </Table.Td>
                  <Table.Td miw={160}>
                    <Progress value={j.progress} size="sm" aria-label={t('system.jobs.progressOf', { percent: j.progress })} />
                    <Text size="xs" c="gray.7">
                      {f.number(j.progress)} %{j.progressMessage ? ` · ${j.progressMessage}` : ''}
                    </Text>
                    {(j.state === 'dead' || j.state === 'failed') && j.lastError && (
                      <Text size="xs" c="#b71c1c" lineClamp={2} title={j.lastError} data-testid="last-error">
                        {j.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td data-testid="attempts" style={{ whiteSpace: 'nowrap' }}>{t('system.jobs.attemptsOf', { attempts: f.number(j.attempts), max: f.number(j.maxAttempts) })}</Table.Td>
                  <Table.Td fz="xs">
                    <div>
                      {t('system.jobs.created')}: {f.dateTime(j.createdAt)}
                    </div>
                    {(j.state === 'queued' || j.state === 'failed') && (
                      <div>
                        {t('system.jobs.due')}: {f.dateTime(j.runAt)}
                      </div>
                    )}
                    {j.state === 'running' && j.lockedUntil && (
                      <div>
                        {t('system.jobs.leaseUntil')}: {f.dateTime(j.lockedUntil)}
                      </div>
                    )}
                    {j.finishedAt && (
                      <div>
                        {t('system.jobs.finished')}: {f.dateTime(j.finishedAt)}
                      </div>
                    )}
                  </Table.Td>
                  {mayRetry && (
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      {j.state === 'dead' && (
                        <Button size="xs" variant="light" color="red" onClick={() => setAsked(j)} aria-label={t('system.jobs.retryOf', { name: jobNameText(t, j.name), time: f.dateTime(j.createdAt) })}>
                          {t('system.jobs.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {jobs.hasNextPage && (
        <Group>
          <Button variant="default" loading={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
            {t('system.loadMore')}
          </Button>
        </Group>
      )}
      {asked && (
        <Confirm
          title={t('system.jobs.retryTitle', { name: jobNameText(t, asked.name) })}
          body={t('system.jobs.retryBody', { max: asked.maxAttempts })}
          confirm={t('system.jobs.retry')}
          pending={retry.isPending}
          error={retry.error ? <RetryError error={retry.error} /> : null}
          onConfirm={() => retry.mutate(asked.id, { onSuccess: closeRetry })}
          onClose={closeRetry}
        />
      )}
      {opened && <JobDrawer id={opened} onClose={() => setOpened(null)} />}
    </Stack>
  );
}
