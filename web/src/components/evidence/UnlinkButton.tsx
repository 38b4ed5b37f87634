import { Button, CloseButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnlinkEvidence } from '../../api/evidence';
import { ErrorNotice } from '../ErrorNotice';

/**
 * Removes one link between an evidence item and a record, after a question that says what stays:
 * the item, the record, and a custody event of the item recording that the link existed.
 * `label` names what is unlinked (for the button's accessible name and the question).
 */
export function UnlinkButton({ itemId, linkId, targetType, targetId, label, variant = 'icon' }: { itemId: string; linkId: string; targetType: string; targetId: string; label: string; variant?: 'icon' | 'button' }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const unlink = useUnlinkEvidence();
  const close = () => {
    setOpen(false);
    unlink.reset();
  };
  return (
    <>
      {variant === 'icon' ? (
        <CloseButton size="sm" aria-label={t('evidence.unlink.button', { name: label })} title={t('evidence.unlink.button', { name: label })} onClick={() => setOpen(true)} />
      ) : (
        <Button size="xs" variant="subtle" color="red" onClick={() => setOpen(true)} aria-label={t('evidence.unlink.button', { name: label })}>
          {t('evidence.unlink.short')}
        </Button>
      )}
      {open ? (
        <Modal opened onClose={close} title={t('evidence.unlink.title')} closeButtonProps={{ 'aria-label': t('evidence.unlink.close') }}>
          <Stack>
            <Text>{t('evidence.unlink.body', { name: label })}</Text>
            {unlink.isError ? <ErrorNotice error={unlink.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('evidence.unlink.cancel')}
              </Button>
              <Button color="red" loading={unlink.isPending} onClick={() => unlink.mutate({ itemId, linkId, targetType, targetId }, { onSuccess: () => setOpen(false) })}>
                {t('evidence.unlink.confirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </>
  );
}
