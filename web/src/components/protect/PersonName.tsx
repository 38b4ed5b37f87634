import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { identityLine, revealPerson, type RevealedPerson } from '../../api/persons';
import { useProtection } from './context';
import './protect.css';
import { REVEAL_SECONDS } from './settings';

const REASONS = ['case', 'contact', 'verify', 'safety', 'other'] as const;
type Reason = (typeof REASONS)[number];

/**
 * A person as every screen shows them: the pseudonym. Those allowed to reveal the identity (the
 * record's `permissions.revealIdentity`) get a "Reveal" button that asks why (a reason from a short
 * list, details in free text; kept in the audit log), then shows the identity for 30 seconds and
 * hides it again; it also forgets it the moment the screen is hidden or locked.
 */
export function PersonName({ id, pseudonym, canReveal = false }: { id: string; pseudonym: string; canReveal?: boolean }) {
  const { t } = useTranslation();
  const { hidden } = useProtection();
  const [asking, setAsking] = useState(false);
  const [revealed, setRevealed] = useState<{ person: RevealedPerson; until: number } | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (!revealed) return;
    const timer = window.setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= revealed.until) setRevealed(null);
    }, 250);
    return () => window.clearInterval(timer);
  }, [revealed]);
  useEffect(() => {
    if (hidden) {
      setRevealed(null);
      setAsking(false);
    }
  }, [hidden]);

  const left = revealed ? Math.max(0, Math.ceil((revealed.until - now) / 1000)) : 0;
  const identity = revealed ? identityLine(revealed.person) : null;
  return (
    <span className="person-name" data-person={id}>
      <span>{pseudonym}</span>
      {revealed && (
        <>
          {' '}
          <Text span fw={600} data-testid="revealed-identity">
            ({identity ?? t('protect.reveal.noIdentity')})
          </Text>{' '}
          <Text span size="xs" c="gray.7" aria-live="polite">
            {t('protect.reveal.hidingIn', { count: left })}
          </Text>{' '}
          <Button size="compact-xs" variant="subtle" onClick={() => setRevealed(null)}>
            {t('protect.reveal.hideNow')}
          </Button>
        </>
      )}
      {canReveal && !revealed && (
        <>
          {' '}
          <Button size="compact-xs" variant="default" onClick={() => setAsking(true)} aria-label={t('protect.reveal.buttonFor', { name: pseudonym })}>
            {t('protect.reveal.button')}
          </Button>
        </>
      )}
      {asking && (
        <RevealDialog
          id={id}
          pseudonym={pseudonym}
          onClose={() => setAsking(false)}
          onRevealed={(person) => {
            setAsking(false);
            setNow(Date.now());
            setRevealed({ person, until: Date.now() + REVEAL_SECONDS * 1000 });
          }}
        />
      )}
    </span>
  );
}

function RevealDialog({ id, pseudonym, onClose, onRevealed }: { id: string; pseudonym: string; onClose: () => void; onRevealed: (p: RevealedPerson) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<Reason | ''>('');
  const [details, setDetails] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ reason?: string; details?: string; form?: string }>({});

  const labels: Record<Reason, string> = {
    case: t('protect.reveal.reasons.case'),
    contact: t('protect.reveal.reasons.contact'),
    verify: t('protect.reveal.reasons.verify'),
    safety: t('protect.reveal.reasons.safety'),
    other: t('protect.reveal.reasons.other'),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: typeof errors = {};
    if (!reason) problems.reason = t('protect.reveal.reasonRequired');
    if (reason === 'other' && details.trim().length < 10) problems.details = t('protect.reveal.detailsRequired');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const text = `${labels[reason as Reason]}${details.trim() ? `: ${details.trim()}` : ''}`;
      onRevealed(await revealPerson(id, text));
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setErrors({ form: t('protect.reveal.forbidden') });
      else if (err instanceof ApiError && err.problem.errors?.length) setErrors({ details: err.problem.errors.map((x) => x.message).join(' ') });
      else setErrors({ form: t('protect.reveal.failed') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('protect.reveal.title', { name: pseudonym })} size="lg" closeButtonProps={{ 'aria-label': t('protect.reveal.cancel') }} className="reveal-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm">{t('protect.reveal.intro')}</Text>
          <Radio.Group label={t('protect.reveal.reason')} required value={reason} onChange={(v) => {
              setReason(v as Reason);
              setErrors((e) => ({ ...e, reason: undefined }));
            }} error={errors.reason}>
            <Stack gap="xs" mt="xs">
              {REASONS.map((r) => (
                <Radio key={r} value={r} label={labels[r]} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('protect.reveal.details')}
            description={t('protect.reveal.detailsHelp')}
            required={reason === 'other'}
            autosize
            minRows={2}
            value={details}
            onChange={(e) => setDetails(e.currentTarget.value)}
            error={errors.details}
          />
          {errors.form && (
            <Alert color="red" variant="light" role="alert">
              {errors.form}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('protect.reveal.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('protect.reveal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
