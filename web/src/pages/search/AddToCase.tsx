import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { addToCase, type AddToCaseOutcome, type SearchHit } from '../../api/search';
import { useSignedIn } from '../../app/guards';
import { RecordPicker, type PickedRecord } from '../../components/evidence/RecordPicker';
import { ErrorNotice } from '../../components/ErrorNotice';

/** "Add to case" for an act, an event or an evidence item found by search: a case picked by searching for it. */
export function AddToCase({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<PickedRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ done: AddToCaseOutcome; title: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      setOutcome({ done: await addToCase(chosen.id, hit, session.csrfToken), title: chosen.label });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setChosen(null);
    setOutcome(null);
    setError(null);
  };
  return (
    <>
      <Button size="compact-xs" variant="default" onClick={() => setOpen(true)}>
        {t('search.addToCase.button')}
      </Button>
      <Modal opened={open} onClose={close} title={t('search.addToCase.title', { label: hit.label })} closeButtonProps={{ 'aria-label': t('search.addToCase.close') }}>
        <Stack gap="sm">
          {outcome ? (
            <Alert color="green" variant="light" role="status">
              {outcome.done === 'already' ? t('search.addToCase.already', { title: outcome.title }) : t('search.addToCase.added', { title: outcome.title })}
            </Alert>
          ) : (
            <>
              <RecordPicker types={['cases']} label={t('search.addToCase.case')} value={chosen} onChange={setChosen} />
              {error instanceof ApiError && error.status === 403 ? <Text c="red.8" role="alert">{t('search.addToCase.forbidden')}</Text> : error ? <ErrorNotice error={error} /> : null}
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('search.addToCase.close')}
            </Button>
            {!outcome && (
              <Button onClick={() => void submit()} disabled={!chosen} loading={busy}>
                {t('search.addToCase.submit')}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
