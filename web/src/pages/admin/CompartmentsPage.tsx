import { Anchor, Button, Card, Group, Loader, Modal, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { MEMBERSHIP_ROLES, useAccounts, useCompartments, useCreateCompartment, useMembers, useMembership, type Compartment, type Member } from '../../api/admin';
import type { MembershipRole } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { roleLabel } from '../../i18n/roles';
import { AdminOnly, AdminTabs, Confirm } from './common';

/** /admin/compartments: every compartment, creating one, its members and their roles there. */
export function CompartmentsPage() {
  return (
    <AdminOnly>
      <Compartments />
    </AdminOnly>
  );
}

function Compartments() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const compartments = useCompartments();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const current = compartments.data?.find((c) => c.id === selected) ?? null;

  return (
    <Stack>
      <Title order={1}>{t('admin.compartments.title')}</Title>
      <AdminTabs />
      <Group>
        <Button onClick={() => setCreating(true)}>{t('admin.compartments.create')}</Button>
      </Group>
      {compartments.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : compartments.isError ? (
        <ErrorNotice error={compartments.error} />
      ) : compartments.data.length === 0 ? (
        <Text>{t('admin.compartments.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.compartments.name')}</Table.Th>
                <Table.Th>{t('admin.compartments.description')}</Table.Th>
                <Table.Th>{t('admin.compartments.members')}</Table.Th>
                <Table.Th>{t('admin.compartments.createdAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {compartments.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => setSelected(c.id)} fw={c.id === selected ? 700 : undefined} aria-current={c.id === selected ? 'true' : undefined}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.description ?? '—'}</Table.Td>
                  <Table.Td>{fmt.number(c.memberCount)}</Table.Td>
                  <Table.Td>{fmt.date(c.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {current && <Members key={current.id} compartment={current} />}
      {creating && <CreateCompartment onClose={() => setCreating(false)} onCreated={(id) => (setCreating(false), setSelected(id))} />}
    </Stack>
  );
}

function Members({ compartment }: { compartment: Compartment }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const members = useMembers(compartment.id);
  const accounts = useAccounts();
  const { set, remove } = useMembership(compartment.id);
  const [user, setUser] = useState<string | null>(null);
  const [role, setRole] = useState<MembershipRole>('documenter');
  const [removing, setRemoving] = useState<Member | null>(null);
  const roleOptions = MEMBERSHIP_ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }));
  const memberIds = new Set(members.data?.map((m) => m.userId));
  const candidates = (accounts.data ?? []).filter((a) => !memberIds.has(a.id) && !a.disabled);

  const add = (e: FormEvent) => {
    e.preventDefault();
    if (user) set.mutate({ user, role }, { onSuccess: () => setUser(null) });
  };

  return (
    <Card withBorder component="section" aria-labelledby="members-heading">
      <Stack>
        <Title order={2} id="members-heading">
          {t('admin.compartments.membersOf', { name: compartment.name })}
        </Title>
        {members.isPending ? (
          <Loader aria-label={t('app.loading')} />
        ) : members.isError ? (
          <ErrorNotice error={members.error} />
        ) : members.data.length === 0 ? (
          <Text>{t('admin.compartments.noMembers')}</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.users.username')}</Table.Th>
                <Table.Th>{t('admin.compartments.role')}</Table.Th>
                <Table.Th>{t('admin.compartments.since')}</Table.Th>
                <Table.Th>{t('admin.users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.data.map((m) => (
                <Table.Tr key={m.userId} data-testid={`member-${m.username}`}>
                  <Table.Td>{m.username}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('admin.compartments.roleOf', { username: m.username })}
                      allowDeselect={false}
                      data={roleOptions}
                      value={m.role}
                      disabled={set.isPending}
                      onChange={(v) => v && v !== m.role && set.mutate({ user: m.userId, role: v as MembershipRole })}
                    />
                  </Table.Td>
                  <Table.Td>{fmt.date(m.since)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" color="red" onClick={() => setRemoving(m)} aria-label={t('admin.compartments.removeMember', { username: m.username })}>
                      {t('admin.compartments.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form onSubmit={add}>
          <Group align="flex-end">
            <Select
              label={t('admin.compartments.addUser')}
              placeholder={t('admin.compartments.pickUser')}
              searchable
              nothingFoundMessage={t('admin.compartments.noCandidates')}
              data={candidates.map((a) => ({ value: a.id, label: a.displayName ? `${a.displayName} (${a.username})` : a.username }))}
              value={user}
              onChange={setUser}
              error={set.error instanceof ApiError && set.error.status === 404 ? t('admin.compartments.errors.user') : undefined}
            />
            <Select label={t('admin.compartments.role')} allowDeselect={false} data={roleOptions} value={role} onChange={(v) => v && setRole(v as MembershipRole)} />
            <Button type="submit" disabled={!user} loading={set.isPending}>
              {t('admin.compartments.add')}
            </Button>
          </Group>
        </form>
        {set.error && !(set.error instanceof ApiError && set.error.status === 404) && <ErrorNotice error={set.error} />}
      </Stack>
      {removing && (
        <Confirm
          title={t('admin.compartments.removeTitle', { username: removing.username, name: compartment.name })}
          body={t('admin.compartments.removeBody')}
          confirm={t('admin.compartments.remove')}
          pending={remove.isPending}
          error={remove.error ? <ErrorNotice error={remove.error} /> : null}
          onConfirm={() => remove.mutate(removing.userId, { onSuccess: () => setRemoving(null) })}
          onClose={() => (setRemoving(null), remove.reset())}
        />
      )}
    </Card>
  );
}

function CreateCompartment({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const create = useCreateCompartment();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    create.mutate(
      { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) },
      {
        onSuccess: (c) => onCreated(c.id),
        onError: (err) => {
          if (err instanceof ApiError && err.status === 409) setError(t('admin.compartments.errors.taken'));
          else if (err instanceof ApiError && err.problem.errors?.some((p) => p.field === 'name')) setError(t('admin.compartments.errors.name'));
        },
      },
    );
  };
  const fieldError = error !== null;
  return (
    <Modal opened onClose={onClose} title={t('admin.compartments.create')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('admin.compartments.name')} description={t('admin.compartments.nameHelp')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} autoComplete="off" maxLength={63} data-autofocus />
          <Textarea label={t('admin.compartments.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
          {create.isError && !fieldError && <ErrorNotice error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('admin.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('admin.compartments.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
