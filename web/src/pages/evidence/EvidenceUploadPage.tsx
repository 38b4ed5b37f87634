import { useRef, useState, type DragEvent } from 'react';
import { Alert, Anchor, Button, Group, Paper, Progress, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Upload } from 'tus-js-client';
import { evidenceUpload } from '../../api/evidence';
import { useCompartments } from '../../api/session';
import { useSignedIn } from '../../app/guards';
import { RecordPicker, type PickedRecord } from '../../components/evidence/RecordPicker';
import { useFormat } from '../../i18n/format';

type Status = 'waiting' | 'uploading' | 'paused' | 'done' | 'failed';

interface Entry {
  key: string;
  file: File;
  status: Status;
  sent: number;
  upload: Upload | null;
  itemId?: string;
  sha256?: string;
  duplicate?: boolean;
  /** Why it failed: the server's problem (status and detail) or the network. */
  error?: { status: number | null; detail: string };
}

/** Roles that may add evidence (src/domain/policies.ts: evidence.ingest). */
const INGEST_ROLES = ['coordinator', 'documenter', 'analyst', 'lawyer'];
/** Field help in a colour dark enough to read (Mantine's default grey is below WCAG AA contrast). */
const DESCRIPTION = { description: { color: 'var(--mantine-color-gray-7)' } };

/**
 * Adding evidence: several files dropped or chosen, each sent with the resumable upload protocol
 * (tus, /api/v1/uploads) with its own progress, pause and resume; how the files were obtained is
 * asked once for the batch; each finished file links to its new item.
 */
export function EvidenceUploadPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const session = useSignedIn();
  const compartments = useCompartments();
  const writable = (compartments.data ?? []).filter((c) => c.myRole && INGEST_ROLES.includes(c.myRole));
  const [compartment, setCompartment] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const [note, setNote] = useState('');
  const [sourcePerson, setSourcePerson] = useState<PickedRecord | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [dragging, setDragging] = useState(false);
  const [compartmentError, setCompartmentError] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const chosenCompartment = compartment ?? (writable.length === 1 ? writable[0]!.id : null);

  const patch = (key: string, change: Partial<Entry>) => setEntries((all) => all.map((e) => (e.key === key ? { ...e, ...change } : e)));

  const add = (files: FileList | File[] | null) => {
    if (!files) return;
    const now = Date.now();
    // copied now: the input's FileList empties when the input is reset for the next choice
    const added = Array.from(files).map((file, i) => ({ key: `${now}-${i}-${file.name}`, file, status: 'waiting' as Status, sent: 0, upload: null }));
    setEntries((all) => [...all, ...added]);
  };

  const start = (entry: Entry) => {
    const metadata: Record<string, string> = { filename: entry.file.name };
    if (chosenCompartment) metadata.compartment = chosenCompartment;
    if (source.trim()) metadata.source = source.trim();
    if (note.trim()) metadata.note = note.trim();
    if (sourcePerson) metadata.sourcePerson = sourcePerson.id;
    const upload = evidenceUpload(entry.file, {
      metadata,
      csrfToken: session.csrfToken,
      onProgress: (sent) => patch(entry.key, { sent }),
      onItem: (item) => patch(entry.key, { itemId: item.id, sha256: item.sha256 ?? undefined, duplicate: item.duplicate }),
      onSuccess: () => patch(entry.key, { status: 'done', sent: entry.file.size }),
      onError: (error) => patch(entry.key, { status: 'failed', error }),
    });
    patch(entry.key, { status: 'uploading', upload, error: undefined });
    upload.start();
  };

  const startAll = () => {
    if (!chosenCompartment && writable.length > 1) {
      setCompartmentError(t('evidence.upload.chooseCompartment'));
      return;
    }
    setCompartmentError(undefined);
    for (const e of entries) if (e.status === 'waiting') start(e);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  const statusText = (e: Entry) => {
    switch (e.status) {
      case 'waiting': return t('evidence.upload.status.waiting');
      case 'uploading': return t('evidence.upload.status.uploading', { percent: Math.floor((e.sent / Math.max(e.file.size, 1)) * 100) });
      case 'paused': return t('evidence.upload.status.paused');
      case 'done': return e.duplicate ? t('evidence.upload.status.duplicate') : t('evidence.upload.status.done');
      case 'failed': {
        const s = e.error?.status;
        if (s === null || s === undefined) return t('evidence.upload.error.network');
        if (s === 413) return t('evidence.upload.error.tooLarge');
        if (s === 403) return t('evidence.upload.error.forbidden');
        if (s === 422) return t('evidence.upload.error.invalid', { detail: e.error!.detail });
        if (s === 503) return t('evidence.upload.error.sealed');
        return t('evidence.upload.error.server', { status: s });
      }
    }
  };

  const waiting = entries.filter((e) => e.status === 'waiting').length;

  if (compartments.data && writable.length === 0)
    return (
      <Stack maw={900}>
        <Title order={1}>{t('evidence.upload.title')}</Title>
        <Alert color="yellow">{t('evidence.upload.notAllowed')}</Alert>
      </Stack>
    );

  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>{t('evidence.upload.title')}</Title>
      <Text>{t('evidence.upload.intro')}</Text>
      <Paper withBorder p="md" component="section" aria-labelledby="acq-title">
        <Title order={2} size="h4" id="acq-title" mb="xs">
          {t('evidence.upload.acquisition')}
        </Title>
        <Stack gap="sm">
          {writable.length > 1 && (
            <Select
              label={t('evidence.upload.compartment')}
              data={writable.map((c) => ({ value: c.id, label: c.name }))}
              value={compartment}
              onChange={setCompartment}
              error={compartmentError}
              required
            />
          )}
          <TextInput label={t('evidence.upload.source')} description={t('evidence.upload.sourceHelp')} styles={DESCRIPTION} value={source} onChange={(e) => setSource(e.currentTarget.value)} maxLength={2000} />
          <Textarea label={t('evidence.upload.note')} description={t('evidence.upload.noteHelp')} styles={DESCRIPTION} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={10000} />
          <RecordPicker types={['persons']} label={t('evidence.upload.sourcePerson')} description={t('evidence.upload.sourcePersonHelp')} value={sourcePerson} onChange={setSourcePerson} />
        </Stack>
      </Paper>

      <Paper
        withBorder
        p="xl"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', borderWidth: 2, background: dragging ? 'var(--mantine-color-blue-0)' : undefined, textAlign: 'center' }}
        data-testid="drop-zone"
      >
        <Text mb="sm">{t('evidence.upload.drop')}</Text>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          aria-hidden
          tabIndex={-1}
          data-testid="file-input"
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <Button variant="default" onClick={() => input.current?.click()}>
          {t('evidence.upload.choose')}
        </Button>
      </Paper>

      {entries.length > 0 && (
        <Stack component="section" aria-labelledby="files-title" gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="files-title">
              {t('evidence.upload.files', { count: entries.length })}
            </Title>
            {waiting > 0 && <Button onClick={startAll}>{t('evidence.upload.start', { count: waiting })}</Button>}
          </Group>
          <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {entries.map((e) => (
              <Paper component="li" key={e.key} withBorder p="sm" data-testid="upload-entry">
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <div style={{ minWidth: 0 }}>
                    <Text fw={600} truncate>
                      {e.file.name}
                    </Text>
                    <Text size="sm">{t('evidence.upload.size', { size: f.number(e.file.size) })}</Text>
                  </div>
                  <Group gap="xs" wrap="nowrap">
                    {e.status === 'uploading' && (
                      <Button size="xs" variant="default" onClick={() => { void e.upload?.abort(); patch(e.key, { status: 'paused' }); }}>
                        {t('evidence.upload.pause')}
                      </Button>
                    )}
                    {(e.status === 'paused' || (e.status === 'failed' && e.upload)) && (
                      <Button size="xs" variant="default" onClick={() => { patch(e.key, { status: 'uploading', error: undefined }); e.upload!.start(); }}>
                        {e.status === 'paused' ? t('evidence.upload.resume') : t('evidence.upload.retry')}
                      </Button>
                    )}
                    {(e.status === 'waiting' || e.status === 'paused' || e.status === 'failed') && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => { void e.upload?.abort(true).catch(() => {}); setEntries((all) => all.filter((x) => x.key !== e.key)); }}>
                        {t('evidence.upload.remove')}
                      </Button>
                    )}
                  </Group>
                </Group>
                <Progress.Root mt="xs">
                  <Progress.Section value={(e.sent / Math.max(e.file.size, 1)) * 100} color={e.status === 'failed' ? 'red' : e.status === 'done' ? 'green' : 'blue'} aria-label={t('evidence.upload.progress', { name: e.file.name })} />
                </Progress.Root>
                <Text size="sm" mt={4} role={e.status === 'failed' ? 'alert' : undefined} c={e.status === 'failed' ? 'red.8' : undefined} data-testid="upload-status">
                  {statusText(e)}
                </Text>
                {e.status === 'done' && e.itemId && (
                  <Text size="sm">
                    <Anchor component={Link} to={`/evidence/${e.itemId}`} data-testid="new-item-link">
                      {t('evidence.upload.open', { name: e.file.name })}
                    </Anchor>{' '}
                    <Text span ff="monospace" size="xs">
                      {t('evidence.upload.sha256', { sha256: e.sha256 })}
                    </Text>
                  </Text>
                )}
              </Paper>
            ))}
          </Stack>
        </Stack>
      )}
    </Stack>
  );
}
