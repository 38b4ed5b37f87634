import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Code, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { beginTotpEnrolment, confirmTotpEnrolment, SESSION_KEY } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { QrCode } from '../components/QrCode';

/**
 * Enrolling the second factor (TOTP), which administrators, coordinators and anyone who may reveal
 * identities must have: a new secret as a QR code and as text, then the code it gives to turn it on.
 */
export function EnrolPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  // a new secret each time the page opens (the server replaces an unconfirmed one); never refetched
  const secret = useQuery({ queryKey: ['totp-enrolment'], queryFn: beginTotpEnrolment, staleTime: Infinity, gcTime: 0, retry: false });
  const confirm = useMutation({
    mutationFn: (c: string) => confirmTotpEnrolment(c),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
      void navigate('/', { replace: true });
    },
    onError: () => setCode(''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.replace(/\s/g, ''));
  };

  if (secret.isPending)
    return (
      <Center>
        <Loader aria-label={t('enrol.preparing')} />
      </Center>
    );
  if (secret.isError) return <ErrorNotice error={secret.error} />;
  const grouped = secret.data.secret.replace(/(.{4})/g, '$1 ').trim();
  const wrongCode = confirm.error instanceof ApiError && confirm.error.status === 422;
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
      <Title order={1}>{t('enrol.title')}</Title>
      <Text>{t('enrol.intro')}</Text>
      <Alert color="yellow" variant="light">
        {t('enrol.phoneWarning')}
      </Alert>
      <Center>
        <QrCode value={secret.data.uri} label={t('enrol.qrLabel')} />
      </Center>
      <div>
        <Text fw={600} id="totp-secret-label">
          {t('enrol.secret')}
        </Text>
        <Code block aria-labelledby="totp-secret-label" data-testid="totp-secret" fz="md">
          {grouped}
        </Code>
      </div>
      {confirm.isError &&
        (wrongCode ? (
          <Alert color="red" variant="light" role="alert">
            {t('enrol.wrongCode')}
          </Alert>
        ) : (
          <ErrorNotice error={confirm.error} />
        ))}
      <TextInput label={t('enrol.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} inputMode="numeric" autoComplete="one-time-code" maxLength={7} required />
      <Button type="submit" loading={confirm.isPending}>
        {t('enrol.submit')}
      </Button>
      </Stack>
    </form>
  );
}
