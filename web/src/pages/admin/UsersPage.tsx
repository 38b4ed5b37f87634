import { Button, Group, Loader, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ROLES, generatePassword, useAccountAction, useAccounts, useCreateAccount, useResetPassword, type Account, type AccountAction } from '../../api/admin';
import type { Role } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { roleLabel } from '../../i18n/roles';
import { AdminOnly, AdminTabs, Confirm, PasswordOnce } from './common';
import { useSignedIn } from '../../app/guards';

/** /admin/users: every account, creating one, disabling, enabling, resetting its second factor or password. */
export function UsersPage() {
  return (
    <AdminOnly>
      <Users />
    </AdminOnly>
  );
}

function Users() {
  const { t } = useTranslation();
  const me = useSignedIn();
  const accounts = useAccounts();
  const action = useAccountAction();
  const reset = useResetPassword();
  const [creating, setCreating] = useState(false);
  const [asked, setAsked] = useState<{ account: Account; action: AccountAction | 'password' } | null>(null);
  const [shown, setShown] = useState<{ title: string; username: string; password: string } | null>(null);

  const close = () => {
    setAsked(null);
    action.reset();
    reset.reset();
  };
  const confirmAsked = () => {
    if (!asked) return;
    const { account } = asked;
    if (asked.action === 'password') {
      const password = generatePassword();
      reset.mutate({ id: account.id, password }, { onSuccess: () => (close(), setShown({ title: t('admin.users.passwordReset'), username: account.username, password })) });
    } else action.mutate({ id: account.id, action: asked.action }, { onSuccess: close });
  };

  return (
    <Stack>
      <Title order={1}>{t('admin.users.title')}</Title>
      <AdminTabs />
      <Group>
        <Button onClick={() => setCreating(true)}>{t('admin.users.create')}</Button>
      </Group>
      {accounts.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : accounts.isError ? (
        <ErrorNotice error={accounts.error} />
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.users.username')}</Table.Th>
                <Table.Th>{t('admin.users.displayName')}</Table.Th>
                <Table.Th>{t('admin.users.role')}</Table.Th>
                <Table.Th>{t('admin.users.state')}</Table.Th>
                <Table.Th>{t('admin.users.secondFactor')}</Table.Th>
                <Table.Th>{t('admin.users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.data.map((a) => (
                <Table.Tr key={a.id} data-testid={`account-${a.username}`}>
                  <Table.Td>{a.username}</Table.Td>
                  <Table.Td>{a.displayName ?? '—'}</Table.Td>
                  <Table.Td>{roleLabel(t, a.role)}</Table.Td>
                  <Table.Td>{a.disabled ? <Text span fw={700} c="#b71c1c">{t('admin.users.disabled')}</Text> : <Text span c="#1b5e20">{t('admin.users.active')}</Text>}</Table.Td>
                  <Table.Td>{a.totpEnabled ? t('admin.users.totpOn') : t('admin.users.totpOff')}</Table.Td>
                  <Table.Td>
                    {a.id !== me.user.id && (
                      <Group gap="xs" wrap="nowrap">
                        {a.disabled ? (
                          <Button size="xs" variant="light" onClick={() => setAsked({ account: a, action: 'enable' })} aria-label={t('admin.users.enableFor', { username: a.username })}>
                            {t('admin.users.enable')}
                          </Button>
                        ) : (
                          <Button size="xs" variant="light" color="red" onClick={() => setAsked({ account: a, action: 'disable' })} aria-label={t('admin.users.disableFor', { username: a.username })}>
                            {t('admin.users.disable')}
                          </Button>
                        )}
                        {a.totpEnabled && (
                          <Button size="xs" variant="default" onClick={() => setAsked({ account: a, action: 'resetTotp' })} aria-label={t('admin.users.resetTotpFor', { username: a.username })}>
                            {t('admin.users.resetTotp')}
                          </Button>
                        )}
                        <Button size="xs" variant="default" onClick={() => setAsked({ account: a, action: 'password' })} aria-label={t('admin.users.resetPasswordFor', { username: a.username })}>
                          {t('admin.users.resetPassword')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {creating && (
        <CreateAccount
          onClose={() => setCreating(false)}
          onCreated={(username, password) => (setCreating(false), setShown({ title: t('admin.users.created', { username }), username, password }))}
        />
      )}
      {asked && (
        <Confirm
          title={
            asked.action === 'disable'
              ? t('admin.users.disableTitle', { username: asked.account.username })
              : asked.action === 'enable'
                ? t('admin.users.enableTitle', { username: asked.account.username })
                : asked.action === 'resetTotp'
                  ? t('admin.users.resetTotpTitle', { username: asked.account.username })
                  : t('admin.users.resetPasswordTitle', { username: asked.account.username })
          }
          body={
            asked.action === 'disable'
              ? t('admin.users.disableBody')
              : asked.action === 'enable'
                ? t('admin.users.enableBody')
                : asked.action === 'resetTotp'
                  ? t('admin.users.resetTotpBody')
                  : t('admin.users.resetPasswordBody')
          }
          confirm={
            asked.action === 'disable'
              ? t('admin.users.disable')
              : asked.action === 'enable'
                ? t('admin.users.enable')
                : asked.action === 'resetTotp'
                  ? t('admin.users.resetTotp')
                  : t('admin.users.resetPassword')
          }
          pending={action.isPending || reset.isPending}
          error={action.error ? <ActionError error={action.error} /> : reset.error ? <ErrorNotice error={reset.error} /> : null}
          onConfirm={confirmAsked}
          onClose={close}
        />
      )}
      {shown && <PasswordOnce {...shown} onClose={() => setShown(null)} />}
    </Stack>
  );
}

function ActionError({ error }: { error: Error }) {
  const { t } = useTranslation();
  // 409: the last active administrator, or nothing to reset
  if (error instanceof ApiError && error.status === 409)
    return (
      <Text c="red" role="alert">
        {t('admin.users.conflict')}
      </Text>
    );
  return <ErrorNotice error={error} />;
}

type Field = 'username' | 'password' | 'role' | 'displayName';

function CreateAccount({ onClose, onCreated }: { onClose: () => void; onCreated: (username: string, password: string) => void }) {
  const { t } = useTranslation();
  const create = useCreateAccount();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('documenter');
  const [errors, setErrors] = useState<Partial<Record<Field | 'form', string>>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const password = generatePassword();
    setErrors({});
    create.mutate(
      { username: username.trim(), role, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) },
      {
        onSuccess: (a) => onCreated(a.username, password),
        onError: (err) => {
          if (err instanceof ApiError && err.status === 409) return setErrors({ username: t('admin.users.errors.taken') });
          if (err instanceof ApiError && err.problem.errors?.length) {
            const out: typeof errors = {};
            for (const p of err.problem.errors)
              if (p.field === 'username') out.username = t('admin.users.errors.username');
              else if (p.field === 'displayName') out.displayName = t('admin.users.errors.displayName');
              else if (p.field === 'role') out.role = t('admin.users.errors.role');
              else out.form = t('admin.users.errors.other');
            return setErrors(out);
          }
          setErrors({ form: '' });
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.create')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('admin.users.username')} description={t('admin.users.usernameHelp')} required value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={errors.username} autoComplete="off" maxLength={63} data-autofocus />
          <TextInput label={t('admin.users.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={errors.displayName} autoComplete="off" maxLength={200} />
          <Select label={t('admin.users.role')} required allowDeselect={false} data={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))} value={role} onChange={(v) => v && setRole(v as Role)} error={errors.role} />
          <Text size="sm" c="dimmed">
            {t('admin.users.passwordNote')}
          </Text>
          {errors.form !== undefined && (errors.form ? <Text c="red" role="alert">{errors.form}</Text> : <ErrorNotice error={create.error} />)}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('admin.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('admin.users.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
