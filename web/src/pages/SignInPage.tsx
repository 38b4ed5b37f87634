import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { SESSION_KEY, signIn } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';

type Failure = { kind: 'credentials' | 'code' | 'code-reused' | 'pending-expired' } | { kind: 'locked'; seconds: number } | { kind: 'other'; error: unknown };

/** Turns a refused sign-in into what to tell the person (see sessions.usecases.ts for the answers). */
function failureOf(e: unknown, step: 'password' | 'code'): Failure {
  if (e instanceof ApiError && e.status === 429) return { kind: 'locked', seconds: e.retryAfter ?? 60 };
  if (e instanceof ApiError && e.status === 401) {
    if (step === 'password') return { kind: 'credentials' };
    if (/already been used/.test(e.problem.detail ?? '')) return { kind: 'code-reused' };
    if (/code is wrong/.test(e.problem.detail ?? '')) return { kind: 'code' };
    return { kind: 'pending-expired' };
  }
  return { kind: 'other', error: e };
}

/**
 * Signing in: user name and password; then, for an account with a second factor, the code its
 * authenticator app shows. An account that must enrol one goes on to /enrol.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [pendingToken, setPendingToken] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const step = pendingToken ? 'code' : 'password';
    try {
      const answer = await signIn(pendingToken ? { pendingToken, code: code.trim() } : { username, password });
      if (answer.kind === 'code-needed') {
        setPendingToken(answer.pendingToken);
        setPassword('');
        return;
      }
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
      void navigate(answer.enrolmentRequired ? '/enrol' : from, { replace: true });
    } catch (err) {
      const f = failureOf(err, step);
      if (f.kind === 'pending-expired') startAgain();
      setFailure(f);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const startAgain = () => {
    setPendingToken(null);
    setCode('');
    setFailure(null);
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="md">
      <Title order={1}>{pendingToken ? t('signIn.codeTitle') : t('signIn.title')}</Title>
      {failure && <FailureNotice failure={failure} />}
      {pendingToken ? (
        <>
          <Text>{t('signIn.codeHelp')}</Text>
          <TextInput
            key="code"
            label={t('signIn.code')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            required
            autoFocus
          />
          <Button type="submit" loading={busy}>
            {t('signIn.codeSubmit')}
          </Button>
          <Anchor component="button" type="button" onClick={startAgain}>
            {t('signIn.startAgain')}
          </Anchor>
        </>
      ) : (
        <>
          <TextInput label={t('signIn.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="username" required autoFocus />
          <PasswordInput label={t('signIn.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" required visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} />
          <Button type="submit" loading={busy}>
            {t('signIn.submit')}
          </Button>
          <Anchor component={Link} to="/unseal" size="sm">
            {t('signIn.custodians')}
          </Anchor>
        </>
      )}
      </Stack>
    </form>
  );
}

function FailureNotice({ failure }: { failure: Failure }) {
  const { t } = useTranslation();
  if (failure.kind === 'other') return <ErrorNotice error={failure.error} />;
  const message =
    failure.kind === 'locked'
      ? t('signIn.error.locked', { count: failure.seconds })
      : failure.kind === 'credentials'
        ? t('signIn.error.wrongCredentials')
        : failure.kind === 'code'
          ? t('signIn.error.wrongCode')
          : failure.kind === 'code-reused'
            ? t('signIn.error.codeReused')
            : t('signIn.error.pendingExpired');
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}
