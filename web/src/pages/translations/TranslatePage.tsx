import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useRecord, useRecordType, type RecordTypeMeta } from '../../api/records';
import { useRecordTranslations, useReviewTranslation, useSaveTranslation, type Translation } from '../../api/translations';
import { localLabel } from '../../api/vocabularies';
import { useSignedIn } from '../../app/guards';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useRecordLabeler } from '../../components/records/useRecordLabel';
import { StatusBadge } from './StatusBadge';
import { useLanguageName } from './language';

/**
 * The side-by-side translation editor (`/records/:type/:id/translate?lang=`): each prose field of
 * the record, its text on the left and its translation into the chosen language on the right, with
 * its status; saved as a draft or marked as machine-made, reviewed by someone other than its
 * translator (docs/TRANSLATIONS.md).
 */
export function TranslatePage() {
  const { t, i18n } = useTranslation();
  const languageName = useLanguageName();
  const { type = '', id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const meta = useRecordType(type).data;
  const record = useRecord(type, id);
  const q = useRecordTranslations(type, id);
  const label = useRecordLabeler(meta);
  const [other, setOther] = useState('');
  const languages = q.data?.languages ?? ['be', 'ru', 'en'];
  const wanted = params.get('lang');
  const lang = wanted ?? languages.find((l) => l !== i18n.language) ?? 'en';
  const extra = wanted && !languages.includes(wanted) ? [wanted] : [];
  const choose = (l: string) => setParams({ lang: l }, { replace: true });
  const name = record.data ? label(record.data) : id.slice(0, 8);
  const refused = q.error instanceof ApiError ? q.error.status : null;

  return (
    <Stack gap="md" maw={1300}>
      <div>
        <Title order={1}>{t('translations.editor.title', { name })}</Title>
        <Anchor component={Link} to={`/records/${type}/${id}`} size="sm">
          {t('translations.editor.back')}
        </Anchor>
      </div>
      <Text>{t('translations.editor.intro')}</Text>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('translations.editor.language')}
          data={[...languages, ...extra].map((l) => ({ value: l, label: languageName(l) }))}
          value={lang}
          onChange={(v) => v && choose(v)}
          allowDeselect={false}
          w={260}
          data-testid="language-select"
        />
        <TextInput label={t('translations.editor.other')} value={other} onChange={(e) => setOther(e.currentTarget.value)} w={220} />
        <Button variant="default" disabled={!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(other.trim())} onClick={() => (choose(other.trim()), setOther(''))}>
          {t('translations.editor.useOther')}
        </Button>
      </Group>
      {q.isPending || record.isPending ? (
        <Loader aria-label={t('translations.loading')} />
      ) : refused === 404 ? (
        <Alert color="yellow">{t('translations.editor.notFound')}</Alert>
      ) : q.isError ? (
        <ErrorNotice error={q.error} />
      ) : q.data.fields.length === 0 ? (
        <Alert color="yellow">{t('translations.editor.noProse')}</Alert>
      ) : (
        q.data.fields.map((f) => {
          const tr = q.data.translations.find((x) => x.field === f.field && x.language === lang);
          return (
            <FieldTranslation
              key={`${f.field}/${lang}/${tr?.version ?? 0}`}
              type={type}
              id={id}
              meta={meta}
              field={f.field}
              source={typeof record.data?.[f.field] === 'string' ? (record.data[f.field] as string) : ''}
              language={lang}
              translation={tr}
              canWrite={q.data.permissions.write}
              canReview={q.data.permissions.review}
            />
          );
        })
      )}
    </Stack>
  );
}

/** The problem of a refused save or review, in the reader's language. */
function useProblem(error: unknown): string | null {
  const { t } = useTranslation();
  if (!(error instanceof ApiError)) return null;
  if (error.status === 412) return t('translations.problem.stale');
  if (error.status === 403) return t('translations.problem.forbidden');
  if (error.status === 409) return t('translations.problem.conflict');
  if (error.status === 422) return t('translations.problem.invalid');
  return null;
}

function FieldTranslation(props: {
  type: string;
  id: string;
  meta: RecordTypeMeta | undefined;
  field: string;
  source: string;
  language: string;
  translation: Translation | undefined;
  canWrite: boolean;
  canReview: boolean;
}) {
  const { t, i18n } = useTranslation();
  const languageName = useLanguageName();
  const me = useSignedIn().user.id;
  const { translation: tr } = props;
  const [text, setText] = useState(tr?.text ?? '');
  const save = useSaveTranslation(props.type, props.id);
  const review = useReviewTranslation(props.type, props.id);
  const fieldLabel = localLabel(props.meta?.fields.find((f) => f.name === props.field)?.label, i18n.language) ?? props.field;
  const langName = languageName(props.language);
  const error = save.error ?? review.error;
  const problem = useProblem(error);
  const headingId = `field-${props.field}`;
  const submit = (status: 'draft' | 'machine') => save.mutate({ field: props.field, language: props.language, text, status, version: tr?.version });
  const mayReview = props.canReview && tr && tr.status !== 'reviewed' && !tr.outdated && tr.translator?.id !== me && text === tr.text;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid={`translation-${props.field}`}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={headingId}>
          {fieldLabel}
        </Title>
        <Group gap="xs">
          {tr ? <StatusBadge status={tr.status} /> : <Badge color="gray" variant="light">{t('translations.status.untranslated')}</Badge>}
          {tr?.outdated && (
            <Badge color="orange" variant="light" data-testid="outdated-badge">
              {t('translations.status.outdated')}
            </Badge>
          )}
        </Group>
      </Group>
      {!props.source ? (
        <Text c="gray.7">{t('translations.editor.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Stack gap={4}>
            <Text fw={600} size="sm" id={`${headingId}-source`}>
              {t('translations.editor.source')}
            </Text>
            <Paper withBorder p="sm" bg="gray.0" style={{ whiteSpace: 'pre-wrap', maxHeight: 480, overflow: 'auto' }} aria-labelledby={`${headingId}-source`} data-testid="source-text">
              {props.source}
            </Paper>
          </Stack>
          <Stack gap="xs">
            <Textarea
              label={t('translations.editor.translationInto', { language: langName })}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={6}
              maxRows={20}
              readOnly={!props.canWrite}
              data-testid="translation-text"
            />
            {tr && (
              <Text size="sm" c="gray.7">
                {t('translations.editor.by', { translator: tr.translator?.username ?? '—' })}
                {tr.reviewer ? ` · ${t('translations.editor.reviewedBy', { reviewer: tr.reviewer.username })}` : ''}
              </Text>
            )}
            {problem ? (
              <Alert color="red" role="alert" variant="light">
                {problem}
              </Alert>
            ) : (
              error && <ErrorNotice error={error} />
            )}
            {save.isSuccess && !save.isPending && <Text size="sm" role="status">{t('translations.editor.saved')}</Text>}
            <Group gap="sm">
              {props.canWrite && (
                <>
                  <Button onClick={() => submit('draft')} loading={save.isPending} disabled={!text.trim()}>
                    {t('translations.editor.saveDraft')}
                  </Button>
                  <Button variant="default" onClick={() => submit('machine')} loading={save.isPending} disabled={!text.trim()}>
                    {t('translations.editor.saveMachine')}
                  </Button>
                </>
              )}
              {mayReview && (
                <Button color="green" variant="light" onClick={() => review.mutate({ field: props.field, language: props.language, version: tr.version })} loading={review.isPending}>
                  {t('translations.editor.review')}
                </Button>
              )}
            </Group>
            {props.canReview && tr && tr.translator?.id === me && tr.status !== 'reviewed' && <Text size="sm" c="gray.7">{t('translations.editor.ownWork')}</Text>}
          </Stack>
        </SimpleGrid>
      )}
    </Paper>
  );
}
