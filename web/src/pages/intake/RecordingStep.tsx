import { Alert, Button, Code, FileInput, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';

export interface RecordingState {
  file: File | null;
  sent: number;
  total: number;
  item: { id: string; sha256: string | null } | null;
  error: string | null;
  uploading: boolean;
}

export const noRecording: RecordingState = { file: null, sent: 0, total: 0, item: null, error: null, uploading: false };

/** The interview's audio or video, sent as it is chosen (resumable), stored as evidence. */
export function RecordingStep(props: { recording: RecordingState; onFile: (f: File | null) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const r = props.recording;
  const percent = r.total ? Math.floor((r.sent / r.total) * 100) : 0;
  return (
    <Stack>
      <Text>{t('intake.recording.help')}</Text>
      <FileInput
        label={t('intake.recording.file')}
        description={t('intake.recording.fileHelp')}
        accept="audio/*,video/*"
        value={r.file}
        disabled={r.uploading}
        onChange={props.onFile}
      />
      {r.file && (r.uploading || r.item) && (
        <Stack gap={4}>
          <Progress.Root>
            <Progress.Section value={r.item ? 100 : percent} aria-label={t('intake.recording.progressLabel')} />
          </Progress.Root>
          <Text size="sm" aria-live="polite">
            {r.item ? t('intake.recording.done') : t('intake.recording.progress', { percent: f.number(percent), sent: f.number(r.sent), total: f.number(r.total) })}
          </Text>
        </Stack>
      )}
      {r.item?.sha256 && (
        <Text size="sm">
          {t('intake.recording.hash')} <Code>{r.item.sha256}</Code>
        </Text>
      )}
      {r.uploading && (
        <Group>
          <Button variant="subtle" color="red" onClick={props.onCancel}>
            {t('intake.recording.cancel')}
          </Button>
        </Group>
      )}
      {r.error && (
        <Alert color="red" variant="light" role="alert">
          {t('intake.recording.failed')}
        </Alert>
      )}
    </Stack>
  );
}
