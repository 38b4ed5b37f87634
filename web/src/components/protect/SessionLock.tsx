import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../../api/client';
import { SESSION_KEY, signIn } from '../../api/session';
import { ProtectContext, type HideMode } from './context';
import { isDoubleEscape, storedLockAfterMs } from './settings';
import './protect.css';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

/** What an Escape closes: an open list or menu (a popup's opener is expanded) or a modal dialog. */
const OPEN_SOMETHING = '[aria-haspopup][aria-expanded="true"], [role="combobox"][aria-expanded="true"], [role="dialog"][aria-modal="true"]';

/**
 * Protects the person at the screen, around every signed-in page:
 * - **quick hide**: Escape pressed twice quickly, or the "Hide screen" button in the header, at once
 *   shows a blank neutral page (neutral tab title too);
 * - **inactivity lock**: after 10 minutes without keyboard, mouse or touch (settings.ts) the screen
 *   locks.
 * Either way the session ends on the server at once (a seized device holds no live session) and the
 * page stays mounted but hidden, so an interview in progress is not lost; the way back is signing
 * in again as the same account (password, then the second factor's code if the account has one).
 * "Sign out instead" drops everything.
 */
export function SessionLock({ username, children }: { username: string; children: ReactNode }) {
  const [mode, setMode] = useState<HideMode | null>(null);
  const lockAfter = useMemo(storedLockAfterMs, []);
  const lastActivity = useRef(Date.now());
  const lastEscape = useRef<number | null>(null);
  const [container] = useState(() => {
    const el = document.createElement('div');
    el.id = 'protect-screen';
    return el;
  });

  const hide = useCallback((m: HideMode) => {
    setMode((cur) => cur ?? m);
  }, []);

  useEffect(() => {
    document.body.appendChild(container);
    return () => container.remove();
  }, [container]);

  // while hidden: nothing of the app is displayed, the tab title is neutral, the session is ended
  useEffect(() => {
    if (!mode) return;
    const root = document.documentElement;
    const title = document.title;
    root.dataset.protect = 'hidden';
    void api('DELETE', '/api/v1/session').catch(() => {}); // already over: fine
    return () => {
      delete root.dataset.protect;
      document.title = title;
    };
  }, [mode]);

  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = Date.now();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || mode) return;
      // an Escape that closes something (an open list, menu or dialog) is not half of a quick hide:
      // closing two pickers in a row must not blank the screen (this listener runs in the capture
      // phase, before the picker closes, so what is open is still marked so)
      if (document.querySelector(OPEN_SOMETHING)) {
        lastEscape.current = null;
        return;
      }
      const now = Date.now();
      if (isDoubleEscape(lastEscape.current, now)) {
        lastEscape.current = null;
        hide('quick');
      } else lastEscape.current = now;
    };
    for (const ev of ACTIVITY) window.addEventListener(ev, onActivity, { capture: true, passive: true });
    window.addEventListener('keydown', onKey, { capture: true });
    const timer = window.setInterval(() => {
      if (!mode && Date.now() - lastActivity.current >= lockAfter) hide('idle');
    }, 1000);
    return () => {
      for (const ev of ACTIVITY) window.removeEventListener(ev, onActivity, { capture: true });
      window.removeEventListener('keydown', onKey, { capture: true });
      window.clearInterval(timer);
    };
  }, [hide, lockAfter, mode]);

  const unlocked = useCallback(() => {
    lastActivity.current = Date.now();
    setMode(null);
  }, []);

  const value = useMemo(() => ({ hidden: mode !== null, hide }), [mode, hide]);
  return (
    <ProtectContext.Provider value={value}>
      {children}
      {mode && createPortal(<ProtectScreen mode={mode} username={username} onUnlocked={unlocked} />, container)}
    </ProtectContext.Provider>
  );
}

function ProtectScreen({ mode, username, onUnlocked }: { mode: HideMode; username: string; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(mode === 'idle');
  useEffect(() => {
    document.title = asking ? t('protect.lock.pageTitle') : t('protect.neutral.pageTitle');
  }, [asking, t]);
  if (!asking)
    return (
      <main className="protect-neutral" style={{ padding: '3rem' }}>
        <Text c="gray.7">{t('protect.neutral.text')}</Text>
        <Button mt="xl" variant="subtle" color="gray" size="xs" onClick={() => setAsking(true)}>
          {t('protect.neutral.continue')}
        </Button>
      </main>
    );
  return (
    <main style={{ padding: '3rem', maxWidth: 480 }}>
      <Title order={1} size="h2">
        {mode === 'idle' ? t('protect.lock.titleIdle') : t('protect.lock.titleHidden')}
      </Title>
      <Text mt="sm" mb="lg">
        {mode === 'idle' ? t('protect.lock.introIdle') : t('protect.lock.introHidden')}
      </Text>
      <UnlockForm username={username} onUnlocked={onUnlocked} />
    </main>
  );
}

function UnlockForm({ username, onUnlocked }: { username: string; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await signIn(pending ? { pendingToken: pending, code } : { username, password });
      if (answer.kind === 'code-needed') {
        setPending(answer.pendingToken);
        setPassword('');
        return;
      }
      await qc.invalidateQueries();
      await qc.refetchQueries({ queryKey: SESSION_KEY });
      onUnlocked();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('protect.lock.tooMany', { count: err.retryAfter ?? 60 }));
      else if (err instanceof ApiError && err.status < 500) {
        setError(pending ? t('protect.lock.wrongCode') : t('protect.lock.wrongPassword'));
        if (pending && err.status === 401 && /expired|start again|pending/i.test(err.problem.detail ?? '')) setPending(null);
      } else setError(t('protect.lock.failed'));
    } finally {
      setBusy(false);
    }
  };

  const signOut = () => {
    qc.clear();
    qc.setQueryData(SESSION_KEY, null);
    void navigate('/sign-in', { replace: true });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Text size="sm">{t('protect.lock.account', { name: username })}</Text>
        {pending ? (
          <TextInput
            label={t('protect.lock.code')}
            description={t('protect.lock.codeHelp')}
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            autoFocus
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
        ) : (
          <PasswordInput
            label={t('protect.lock.password')}
            autoComplete="current-password"
            required
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
        )}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('protect.lock.unlock')}
          </Button>
          <Button variant="subtle" onClick={signOut}>
            {t('protect.lock.signOut')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
