import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { unseal, type VaultStatus } from '../api/vault';
import { ErrorNotice } from '../components/ErrorNotice';

/**
 * Unsealing the vault from the browser (POST /api/v1/vault/unseal, public like its CLI twin): each
 * key custodian submits a share, or the holder submits the passphrase. Reached from the sign-in
 * page, from any answer that says the vault is sealed, and from the home page's notice.
 */
export function UnsealPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [method, setMethod] = useState<'share' | 'passphrase'>('share');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setStatus(await unseal(method === 'share' ? { share: secret.trim() } : { passphrase: secret }));
    } catch (err) {
      setError(err);
    } finally {
      setSecret(''); // never left in the page
      setBusy(false);
    }
  };
  const done = async () => {
    await qc.invalidateQueries();
    void navigate('/', { replace: true });
  };

  if (status && !status.sealed)
    return (
      <Stack>
        <Title order={1}>{t('unseal.title')}</Title>
        <Alert color="green" variant="light" role="status">
          {t('unseal.open')}
        </Alert>
        <Button onClick={() => void done()}>{t('unseal.continue')}</Button>
      </Stack>
    );

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="md">
      <Title order={1}>{t('unseal.title')}</Title>
      <Text>{t('unseal.intro')}</Text>
      {error !== null && <UnsealError error={error} />}
      {status?.sealed && status.threshold !== null && (
        <Alert color="blue" variant="light" role="status">
          {t('unseal.progress', { received: status.received, threshold: status.threshold })}
        </Alert>
      )}
      <div role="group" aria-labelledby="unseal-method">
        <Text id="unseal-method" fw={500} size="sm" mb={4}>
          {t('unseal.method')}
        </Text>
        <SegmentedControl
          value={method}
          onChange={(v) => setMethod(v === 'passphrase' ? 'passphrase' : 'share')}
          data={[
            { value: 'share', label: t('unseal.byShare') },
            { value: 'passphrase', label: t('unseal.byPassphrase') },
          ]}
        />
      </div>
      {method === 'share' ? (
        <Textarea label={t('unseal.share')} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} autoComplete="off" spellCheck={false} required autosize minRows={2} />
      ) : (
        <PasswordInput
          label={t('unseal.passphrase')}
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          autoComplete="off"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
        />
      )}
      <Button type="submit" loading={busy}>
        {t('unseal.submit')}
      </Button>
      </Stack>
    </form>
  );
}

function UnsealError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.status >= 500) return <ErrorNotice error={error} />;
  const message = error.status === 429 ? t('unseal.tooMany') : error.status === 409 ? t('unseal.wrongMethod') : t('unseal.wrong');
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}
