import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client';

/** A failed request, said in the UI's language (the server's English detail is not shown). */
export function ErrorNotice({ error, standalone = false }: { error: unknown; standalone?: boolean }) {
  const { t } = useTranslation();
  const message =
    error instanceof NetworkError
      ? t('error.unreachable')
      : error instanceof ApiError && error.sealed
        ? t('error.sealed')
        : error instanceof ApiError
          ? t('error.server', { status: error.status })
          : t('error.unexpected');
  const alert = (
    <Alert color="red" role="alert" variant="light">
      {message}
    </Alert>
  );
  return standalone ? <main style={{ padding: '2rem' }}>{alert}</main> : alert;
}
