import { Alert, Anchor, Button, Code, CopyButton, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useRedactTranscript, useTestimonySuggestions } from '../../api/redaction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextRedactor } from '../../components/evidence/TextRedactor';

/**
 * A testimony's transcript with chosen spans hidden (POST /api/v1/testimonies/:id/redacted-transcript):
 * spans chosen by the editor or accepted from the server's suggestions; the redacted text is shown
 * to copy, with its SHA-256. Nothing is stored: the transcript stays as it is; the server audits it.
 */
export function TestimonyRedactPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useTestimonySuggestions(id);
  const redact = useRedactTranscript(id);
  const refused = q.error instanceof ApiError ? q.error.status : null;
  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Title order={1}>{t('redaction.testimony.title')}</Title>
        <Anchor component={Link} to={`/records/testimonies/${id}`} size="sm">
          {t('redaction.testimony.back')}
        </Anchor>
      </div>
      <Text>{t('redaction.testimony.intro')}</Text>
      {q.isPending ? (
        <Loader aria-label={t('redaction.loading')} />
      ) : refused === 403 ? (
        <Alert color="yellow">{t('redaction.testimony.notAllowed')}</Alert>
      ) : refused === 404 ? (
        <Alert color="yellow">{t('redaction.testimony.notFound')}</Alert>
      ) : q.isError ? (
        <ErrorNotice error={q.error} />
      ) : !q.data.text ? (
        <Alert color="yellow">{t('redaction.testimony.noTranscript')}</Alert>
      ) : (
        <Paper withBorder p="md" component="section" aria-labelledby="transcript-title">
          <Title order={2} size="h4" id="transcript-title" mb="sm">
            {t('redaction.testimony.transcript')}
          </Title>
          <TextRedactor suggestions={q.data} pending={redact.isPending} submitLabel={t('redaction.testimony.submit')} onSubmit={(spans) => redact.mutate(spans)} />
          <Text size="sm" mt="sm">
            {t('redaction.text.limits')}
          </Text>
        </Paper>
      )}
      {redact.isError && <ErrorNotice error={redact.error} />}
      {redact.data && (
        <Paper withBorder p="md" component="section" aria-labelledby="redacted-title" data-testid="redacted-transcript">
          <Title order={2} size="h4" id="redacted-title" mb="sm">
            {t('redaction.testimony.result')}
          </Title>
          <Stack gap="sm">
            <Text size="sm">{t('redaction.testimony.notStored')}</Text>
            <Code block style={{ whiteSpace: 'pre-wrap', maxHeight: 420, overflow: 'auto' }} data-testid="redacted-text">
              {redact.data.text}
            </Code>
            <Group gap="xs">
              <Text size="sm">{t('redaction.sha256')}</Text>
              <Code style={{ wordBreak: 'break-all' }}>{redact.data.sha256}</Code>
            </Group>
            <CopyButton value={redact.data.text}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy} style={{ alignSelf: 'flex-start' }}>
                  {copied ? t('redaction.testimony.copied') : t('redaction.testimony.copy')}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
