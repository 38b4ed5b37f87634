import { Alert, Anchor, Button, CopyButton, Group, Modal, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { useSignedIn } from '../../app/guards';

/** Administration pages are for administrators: others get a clear "not allowed" page, not an error. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  if (session.user.role !== 'administrator')
    return (
      <Stack>
        <Title order={1}>{t('admin.notAllowed.title')}</Title>
        <Text>{t('admin.notAllowed.body')}</Text>
        <Anchor component={Link} to="/">
          {t('admin.notAllowed.home')}
        </Anchor>
      </Stack>
    );
  return <>{children}</>;
}

/** The administration sections a role may open: administrators all of them, coordinators the vocabularies and jobs. */
const ADMIN_SECTIONS: { to: string; label: (t: TFunction) => string; roles: readonly string[] }[] = [
  { to: '/admin/users', label: (t) => t('admin.users.title'), roles: ['administrator'] },
  { to: '/admin/compartments', label: (t) => t('admin.compartments.title'), roles: ['administrator'] },
  { to: '/admin/vocabularies', label: (t) => t('admin.tabs.vocabularies'), roles: ['administrator', 'coordinator'] },
  { to: '/admin/vault', label: (t) => t('admin.tabs.vault'), roles: ['administrator'] },
  { to: '/admin/ledger', label: (t) => t('admin.tabs.ledger'), roles: ['administrator'] },
  { to: '/admin/jobs', label: (t) => t('admin.tabs.jobs'), roles: ['administrator', 'coordinator'] },
];

/** Links between the administration pages the signed-in role may open; the current one is marked. */
export function AdminTabs() {
  const { t } = useTranslation();
  const session = useSignedIn();
  return (
    <Group gap="md" component="nav" aria-label={t('admin.sections')}>
      {ADMIN_SECTIONS.filter((s) => s.roles.includes(session.user.role)).map((s) => (
        <Anchor key={s.to} component={NavLink} to={s.to}>
          {s.label(t)}
        </Anchor>
      ))}
    </Group>
  );
}

/** A password shown once, with a copy button and the warning that it will not be shown again. */
export function PasswordOnce({ title, username, password, onClose }: { title: string; username: string; password: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} closeOnClickOutside={false} closeButtonProps={{ 'aria-label': t('admin.close') }}>
      <Stack>
        <Alert color="yellow" role="status">
          {t('admin.password.warning', { username })}
        </Alert>
        <Text ff="monospace" size="lg" data-testid="initial-password" style={{ userSelect: 'all' }}>
          {password}
        </Text>
        <Group justify="space-between">
          <CopyButton value={password}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy}>
                {copied ? t('admin.password.copied') : t('admin.password.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t('admin.password.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A yes/no question before an action that cannot be taken back. */
export function Confirm({ title, body, confirm, pending, error, onConfirm, onClose }: { title: string; body: string; confirm: string; pending: boolean; error?: ReactNode; onConfirm: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('admin.close') }}>
      <Stack>
        <Text>{body}</Text>
        {error}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button color="red" loading={pending} onClick={onConfirm}>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
