import { Alert, Button, Group, Modal, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useSavedViewChanges, type SavedView } from '../../api/records';
import { ErrorNotice } from '../../components/ErrorNotice';
import { legacyViewsKey, readLegacyViews } from '../../components/records/logic';

/**
 * The account's saved views of a list (kept on the server, per account and type): saving the
 * current filters, order and columns under a name, renaming and deleting them, and the one-time
 * import of views an earlier version kept in this browser.
 */

/** A failed save or rename, in words: a name already used, too many views, or the general notice. */
function ViewError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 409)
    return (
      <Alert color="red" role="alert">
        {/already have a view named/.test(error.problem.detail ?? '') ? t('records.views.nameTaken') : t('records.views.tooMany')}
      </Alert>
    );
  return <ErrorNotice error={error} />;
}

/** Saves the list as it is shown under a name; a name already used replaces that view's settings. */
export function SaveViewModal({ opened, onClose, type, views, query }: { opened: boolean; onClose: () => void; type: string; views: SavedView[]; query: Record<string, string> }) {
  const { t } = useTranslation();
  const { create, change } = useSavedViewChanges(type);
  const [name, setName] = useState('');
  const trimmed = name.trim();
  const existing = views.find((v) => v.name === trimmed);
  const pending = create.isPending || change.isPending;
  const close = () => {
    create.reset();
    change.reset();
    setName('');
    onClose();
  };
  const save = () => {
    if (!trimmed) return;
    if (existing) change.mutate({ id: existing.id, query }, { onSuccess: close });
    else create.mutate({ name: trimmed, query }, { onSuccess: close });
  };
  return (
    <Modal opened={opened} onClose={close} title={t('records.views.saveTitle')} closeButtonProps={{ 'aria-label': t('records.close') }}>
      <Stack component="form" onSubmit={(e) => (e.preventDefault(), save())}>
        <Text size="sm">{t('records.views.whereKept')}</Text>
        <TextInput
          label={t('records.views.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={100}
          description={existing ? t('records.views.replaces') : undefined}
          data-autofocus
          withAsterisk
        />
        {(create.error || change.error) && <ViewError error={create.error ?? change.error} />}
        <Group>
          <Button type="submit" disabled={!trimmed} loading={pending}>
            {t('records.views.saveSubmit')}
          </Button>
          <Button variant="default" onClick={close}>
            {t('records.form.cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** One view in the manager: its name, renamed in place, and deleting it. */
function ViewRow({ view, type }: { view: SavedView; type: string }) {
  const { t } = useTranslation();
  const { change, remove } = useSavedViewChanges(type);
  const [draft, setDraft] = useState<string | null>(null);
  const rename = () => {
    const name = draft?.trim();
    if (!name || name === view.name) return setDraft(null);
    change.mutate({ id: view.id, name }, { onSuccess: () => setDraft(null) });
  };
  return (
    <Table.Tr>
      <Table.Td>
        {draft === null ? (
          view.name
        ) : (
          <Stack gap={4} component="form" onSubmit={(e) => (e.preventDefault(), rename())}>
            <TextInput label={t('records.views.newName', { name: view.name })} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} maxLength={100} data-autofocus />
            {change.error && <ViewError error={change.error} />}
            <Group gap="xs">
              <Button type="submit" size="xs" loading={change.isPending} disabled={!draft.trim()}>
                {t('records.views.renameSubmit')}
              </Button>
              <Button size="xs" variant="default" onClick={() => (change.reset(), setDraft(null))}>
                {t('records.form.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end">
          {draft === null && (
            <Button size="xs" variant="default" onClick={() => setDraft(view.name)} aria-label={t('records.views.rename', { name: view.name })}>
              {t('records.views.renameShort')}
            </Button>
          )}
          <Button size="xs" variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(view.id)} aria-label={t('records.views.delete', { name: view.name })}>
            {t('records.views.deleteShort')}
          </Button>
        </Group>
        {remove.error && <ErrorNotice error={remove.error} />}
      </Table.Td>
    </Table.Tr>
  );
}

/** The account's views of the type, to rename or delete. */
export function ViewsManager({ opened, onClose, type, views }: { opened: boolean; onClose: () => void; type: string; views: SavedView[] }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('records.views.manageTitle')} closeButtonProps={{ 'aria-label': t('records.close') }} size="lg">
      {views.length === 0 ? (
        <Text>{t('records.views.noneLeft')}</Text>
      ) : (
        <Table aria-label={t('records.views.manageTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('records.views.name')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('records.views.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {views.map((v) => (
              <ViewRow key={v.id} view={v} type={type} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}

/**
 * Views an earlier version kept in this browser's localStorage: offered once for import into the
 * account (a name already used there is left out), and the browser's copy removed either way.
 */
export function LegacyViewsImport({ userId, type }: { userId: string; type: string }) {
  const { t } = useTranslation();
  const key = legacyViewsKey(userId, type);
  const [legacy, setLegacy] = useState(() => ({ key, views: readLegacyViews(localStorage, key) }));
  const [done, setDone] = useState<number | null>(null);
  const { create } = useSavedViewChanges(type);
  const [busy, setBusy] = useState(false);
  // the page is kept across types: read again when the type (or account) changes
  if (legacy.key !== key) {
    setLegacy({ key, views: readLegacyViews(localStorage, key) });
    setDone(null);
  }
  const forget = () => {
    localStorage.removeItem(key);
    setLegacy({ key, views: [] });
  };
  const importAll = async () => {
    setBusy(true);
    let imported = 0;
    for (const v of legacy.views) {
      try {
        await create.mutateAsync(v);
        imported++;
      } catch {
        // a name already used in the account, or settings this version no longer accepts: left out
      }
    }
    setBusy(false);
    forget();
    setDone(imported);
  };
  if (done !== null)
    return (
      <Alert color="green" role="status" withCloseButton closeButtonLabel={t('records.close')} onClose={() => setDone(null)}>
        {t('records.views.imported', { count: done })}
      </Alert>
    );
  if (legacy.views.length === 0) return null;
  return (
    <Alert color="blue" title={t('records.views.legacyTitle')}>
      <Stack gap="xs">
        <Text size="sm">{t('records.views.legacyText', { count: legacy.views.length })}</Text>
        <Group gap="xs">
          <Button size="xs" loading={busy} onClick={() => void importAll()}>
            {t('records.views.legacyImport')}
          </Button>
          <Button size="xs" variant="default" disabled={busy} onClick={forget}>
            {t('records.views.legacyDiscard')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
