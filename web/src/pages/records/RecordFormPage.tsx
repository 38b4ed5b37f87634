import { Anchor, Breadcrumbs, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useRecord, useRecordType, useRecordTypes } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RecordForm } from '../../components/records/RecordForm';
import { useRecordLabeler } from '../../components/records/useRecordLabel';
import { NotFoundPage } from '../NotFoundPage';

/** Only a path inside the app may be returned to after saving. */
const safeReturn = (r: string | null) => (r && r.startsWith('/') && !r.startsWith('//') ? r : null);

/**
 * Create (`/records/:type/new`, fields given in advance by the address: `?act=…`) or edit
 * (`/records/:type/:id/edit`) a record of any type, with the form built from the catalog.
 */
export function RecordFormPage() {
  const { type = '', id } = useParams();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const types = useRecordTypes();
  const meta = useRecordType(type).data;
  const record = useRecord(type, id);
  const labeler = useRecordLabeler(meta);
  if (types.isSuccess && !meta) return <NotFoundPage />;
  if (record.isError) return record.error instanceof ApiError && record.error.status === 404 ? <NotFoundPage /> : <ErrorNotice error={record.error} />;
  if (!meta || (id && !record.data)) return <Text>{t('app.loading')}</Text>;
  const typeName = localLabel(meta.label, i18n.language) ?? type;
  const back = safeReturn(params.get('return'));
  const initial = Object.fromEntries([...params].filter(([k]) => meta.fields.some((f) => f.name === k)));
  const title = id ? t('records.form.editTitle', { type: typeName }) : t('records.form.newTitle', { type: typeName });
  return (
    <Stack gap="md">
      <Breadcrumbs aria-label={t('records.breadcrumbs')}>
        <Anchor component={Link} to="/records">
          {t('records.title')}
        </Anchor>
        <Anchor component={Link} to={`/records/${type}`}>
          {localLabel(meta.pluralLabel, i18n.language)}
        </Anchor>
        {record.data && (
          <Anchor component={Link} to={`/records/${type}/${record.data.id}`}>
            {labeler(record.data)}
          </Anchor>
        )}
      </Breadcrumbs>
      <Title order={1}>{record.data ? `${title}: ${labeler(record.data)}` : title}</Title>
      <RecordForm
        key={`${type}:${id ?? 'new'}:${record.data?.version ?? 0}`}
        meta={meta}
        record={record.data}
        initial={initial}
        cancelTo={back ?? (id ? `/records/${type}/${id}` : `/records/${type}`)}
        onSaved={(saved) => void navigate(back ?? `/records/${type}/${saved.id}`)}
      />
    </Stack>
  );
}
