import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { Alert, Anchor, Button, Group, List, Paper, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, NetworkError } from '../../api/client';
import { evidenceUpload } from '../../api/evidence';
import type { WhereProblem } from '../../api/imports';
import { useCompartments, type Compartment } from '../../api/session';
import { isUnfinished, useJob } from '../../api/system';
import { useSignedIn } from '../../app/guards';
import { useFormat } from '../../i18n/format';
import { useProblemText } from './reasons';

/**
 * What every import page shares: the compartments the account may import into, the upload of the
 * file as an evidence item (or an item already uploaded), a refused request said where it belongs,
 * and a job followed to its report.
 */

/** Roles that may take evidence in, link it and create records (evidence.ingest, evidence.link, record.create). */
export const IMPORT_ROLES = ['coordinator', 'documenter', 'analyst', 'lawyer'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Mantine's default grey for descriptions is below WCAG AA contrast. */
export const DESCRIPTION = { description: { color: 'var(--mantine-color-gray-7)' } };

/** The compartments the account may import into (null while they load). */
export function useWritableCompartments(): Compartment[] | null {
  const compartments = useCompartments();
  if (!compartments.data) return null;
  return compartments.data.filter((c) => c.myRole && IMPORT_ROLES.includes(c.myRole));
}

/** A refused request said where it belongs: the server's detail and its field problems (problem+json). */
export function Problem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof NetworkError) return <Alert color="red" role="alert">{t('imports.error.network')}</Alert>;
  if (error instanceof ApiError)
    return (
      <Alert color="red" role="alert" title={t('imports.error.refused', { status: error.status })}>
        {error.problem.detail && <Text size="sm">{error.problem.detail}</Text>}
        {(error.problem.errors ?? []).length > 0 && (
          <List size="sm">
            {error.problem.errors!.map((e, i) => (
              <List.Item key={i}>{`${e.field}: ${e.message}`}</List.Item>
            ))}
          </List>
        )}
      </Alert>
    );
  return <Alert color="red" role="alert">{t('imports.error.unexpected')}</Alert>;
}

/** A job followed to its end: progress while it runs, its result (the report) or its error. */
export function useJobReport<R>(jobId: string | null) {
  const job = useJob(jobId);
  const data = job.data;
  return {
    running: jobId !== null && (!data || isUnfinished(data)),
    progress: data?.progress ?? 0,
    report: data?.state === 'done' ? (data.result as unknown as R) : null,
    failure: data && (data.state === 'dead' || data.state === 'failed') ? (data.lastError ?? '') : null,
    error: job.error,
  };
}

/** A running job's progress bar and the percentage in words. */
export function JobProgress({ value, label }: { value: number; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Progress.Root>
        <Progress.Section value={value} animated aria-label={label} />
      </Progress.Root>
      <Text size="sm" role="status">{t('imports.progress', { percent: Math.round(value) })}</Text>
    </Stack>
  );
}

/** A job's progress, its failure and its refusal, while it runs or once it stopped. */
export function JobState({ job, label }: { job: ReturnType<typeof useJobReport>; label: string }) {
  const { t } = useTranslation();
  return (
    <>
      {job.running && <JobProgress value={job.progress} label={label} />}
      {job.failure !== null && <Alert color="red" role="alert">{t('imports.jobFailed', { error: job.failure })}</Alert>}
      <Problem error={job.error} />
    </>
  );
}

/**
 * The first step of every import: the file uploaded as an evidence item (resumable, into the
 * compartment chosen), or an item already uploaded named by its id (an item's page may link with
 * `?item=<id>`). `onItem` gets the item's id; nothing is kept in the browser's storage.
 */
export function UploadStep({
  writable,
  compartment,
  onCompartment,
  accept,
  drop,
  kept,
  inputTestId,
  busy,
  itemId,
  onItem,
  children,
}: {
  writable: Compartment[];
  /** The compartment chosen, or the only one there is. */
  compartment: string | null;
  onCompartment: (id: string | null) => void;
  accept: string;
  /** What to drop, in words. */
  drop: string;
  /** Why and how the file is kept as evidence. */
  kept: string;
  inputTestId: string;
  /** What follows the upload (a preview) is under way. */
  busy: boolean;
  itemId: string | null;
  onItem: (id: string) => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const session = useSignedIn();
  const [params] = useSearchParams();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [stepError, setStepError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [existingId, setExistingId] = useState(params.get('item') ?? '');
  const input = useRef<HTMLInputElement>(null);

  const upload = () => {
    if (!file) return setStepError(t('imports.file.chooseFile'));
    if (!compartment) return setStepError(t('imports.file.chooseCompartment'));
    setStepError(null);
    setUploadError(null);
    setUploading(true);
    setSent(0);
    evidenceUpload(file, {
      metadata: { filename: file.name, compartment },
      csrfToken: session.csrfToken,
      onProgress: (n) => setSent(n),
      onSuccess: (item) => {
        setUploading(false);
        if (!item) return setUploadError(t('imports.file.noItem'));
        onItem(item.id);
      },
      onError: (failure) => {
        setUploading(false);
        setUploadError(failure.status !== null ? t('imports.file.uploadRefused', { status: failure.status, detail: failure.detail }) : t('imports.error.network'));
      },
    }).start();
  };

  const useExisting = () => {
    const id = existingId.trim();
    if (!UUID.test(id)) return setStepError(t('imports.file.badId'));
    if (!compartment) return setStepError(t('imports.file.chooseCompartment'));
    setStepError(null);
    onItem(id);
  };

  const percent = file ? (sent / Math.max(file.size, 1)) * 100 : 0;
  return (
    <Stack gap="sm">
      <Alert color="blue" variant="light">{kept}</Alert>
      {writable.length > 1 && (
        <Select label={t('imports.file.compartment')} data={writable.map((c) => ({ value: c.id, label: c.name }))} value={compartment} onChange={onCompartment} required />
      )}
      <Paper
        withBorder
        p="lg"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e: DragEvent) => {
          e.preventDefault();
          setDragging(false);
          setFile(e.dataTransfer.files[0] ?? null);
        }}
        style={{ borderStyle: 'dashed', borderWidth: 2, background: dragging ? 'var(--mantine-color-blue-0)' : undefined, textAlign: 'center' }}
      >
        <Text mb="sm">{drop}</Text>
        <input
          ref={input}
          type="file"
          accept={accept}
          hidden
          aria-hidden
          tabIndex={-1}
          data-testid={inputTestId}
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0] ?? null);
            e.currentTarget.value = '';
          }}
        />
        <Group justify="center">
          <Button variant="default" onClick={() => input.current?.click()}>{t('imports.file.choose')}</Button>
          {file && <Text data-testid="chosen-file">{t('imports.file.chosen', { name: file.name, size: f.number(file.size) })}</Text>}
        </Group>
      </Paper>
      {(uploading || sent > 0) && file && (
        <Stack gap={4}>
          <Progress.Root>
            <Progress.Section value={percent} aria-label={t('imports.file.uploadProgress', { name: file.name })} />
          </Progress.Root>
          <Text size="sm">{t('imports.progress', { percent: Math.floor(percent) })}</Text>
        </Stack>
      )}
      {uploadError && <Alert color="red" role="alert">{uploadError}</Alert>}
      {stepError && <Alert color="red" role="alert">{stepError}</Alert>}
      <Group>
        <Button onClick={upload} loading={uploading || (busy && !existingId)} disabled={!file}>
          {t('imports.file.upload')}
        </Button>
      </Group>
      <Group align="end">
        <TextInput label={t('imports.file.existing')} description={t('imports.file.existingHelp')} styles={DESCRIPTION} value={existingId} onChange={(e) => setExistingId(e.currentTarget.value)} w={420} />
        <Button variant="default" onClick={useExisting} loading={busy && !!existingId}>{t('imports.file.useExisting')}</Button>
      </Group>
      {children}
      {itemId && (
        <Text size="sm">
          <Anchor component={Link} to={`/evidence/${itemId}`}>{t('imports.file.openItem')}</Anchor>
        </Text>
      )}
    </Stack>
  );
}

/** The problems of an archive's report (`where`, `reason`), and how many more were not listed. */
export function WhereProblems({ problems, total }: { problems: WhereProblem[]; total: number }) {
  const { t } = useTranslation();
  const say = useProblemText();
  if (problems.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5" id="problems-title">
        {t('imports.report.problems', { count: total })}
      </Title>
      <Table.ScrollContainer minWidth={500}>
        <Table striped withTableBorder aria-labelledby="problems-title" data-testid="problems">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.report.where')}</Table.Th>
              <Table.Th>{t('imports.report.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.map((p, i) => (
              <Table.Tr key={i} data-testid="problem">
                <Table.Td>{say.where(p.where)}</Table.Td>
                <Table.Td data-testid="problem-reason">{say.reason(p)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {total > problems.length && <Text size="sm">{t('imports.report.moreProblems', { count: total - problems.length })}</Text>}
    </Stack>
  );
}

/** A page the account may not use: no compartment lets it import. */
export function NotAllowed({ title, message }: { title: string; message: string }) {
  return (
    <Stack maw={1000}>
      <Title order={1}>{title}</Title>
      <Alert color="yellow">{message}</Alert>
    </Stack>
  );
}
