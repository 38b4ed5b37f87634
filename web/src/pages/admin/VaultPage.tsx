import { Alert, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSealVault, useVaultStatus, type VaultStatus } from '../../api/vault';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { AdminOnly, AdminTabs, Confirm } from './common';

/**
 * /admin/vault: the vault's state in plain words, sealing it now, and how new shares or a new
 * passphrase are made (on the server's machine with `letapis vault rotate`: shares never pass
 * through a browser). See docs/SECURITY.md, "The vault".
 */
export function VaultPage() {
  return (
    <AdminOnly>
      <Vault />
    </AdminOnly>
  );
}

/** The commands of docs/SECURITY.md (code, not translated). */
const MOVE_TO_SEALED = `export LETAPIS_VAULT=sealed
letapis vault init --shares 5 --threshold 3            # prints 5 shares, once
# or: letapis vault init --passphrase-stdin < passphrase.txt`;
const ROTATE_SHARES = `letapis vault rotate < current-shares.txt            # new master key and new shares, printed once
letapis vault rotate --keep-shares < current-shares.txt   # a new master key only`;
const ROTATE_PASSPHRASE = `letapis vault rotate --new-passphrase < current-and-new.txt   # line 1: current, line 2: new passphrase`;

function Vault() {
  const { t } = useTranslation();
  const status = useVaultStatus(true);
  return (
    <Stack>
      <Title order={1}>{t('system.vault.title')}</Title>
      <AdminTabs />
      {status.isPending ? <Loader aria-label={t('system.loading')} /> : status.isError ? <ErrorNotice error={status.error} /> : <VaultDetails status={status.data} />}
    </Stack>
  );
}

function VaultDetails({ status }: { status: VaultStatus }) {
  const { t } = useTranslation();
  const f = useFormat();
  const dev = status.mode === 'dev';
  const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : f.number(n));
  const method =
    status.method === 'shares'
      ? t('system.vault.methodShares', { threshold: status.threshold ?? 0, shares: status.shares ?? 0 })
      : status.method === 'passphrase'
        ? t('system.vault.methodPassphrase')
        : status.method === 'dev'
          ? t('system.vault.methodDev')
          : t('system.vault.methodNone');
  const rows: [string, string, string][] = [
    ['mode', t('system.vault.mode'), dev ? t('system.vault.modeDev') : t('system.vault.modeSealed')],
    ['state', t('system.vault.state'), status.sealed ? t('system.vault.stateSealed') : t('system.vault.stateOpen')],
    ['method', t('system.vault.method'), method],
    ['master', t('system.vault.masterVersion'), num(status.masterVersion)],
    ['keyset', t('system.vault.keySetVersion'), num(status.sealVersion)],
  ];
  return (
    <Stack>
      <Table variant="vertical" withTableBorder maw={720} data-testid="vault-status">
        <Table.Tbody>
          {rows.map(([key, label, value]) => (
            <Table.Tr key={key}>
              <Table.Th w={220}>{label}</Table.Th>
              <Table.Td data-testid={`vault-${key}`}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {status.sealed && status.threshold !== null && status.received > 0 && (
        <Alert color="blue" variant="light" role="status">
          {t('system.vault.received', { received: status.received, threshold: status.threshold })}
        </Alert>
      )}
      {dev && (
        <Alert color="yellow" variant="light">
          <Stack gap="xs">
            <Text fw={700}>{t('system.vault.devTitle')}</Text>
            <Text size="sm">{t('system.vault.devBody')}</Text>
            <Text size="sm">{t('system.vault.devHowTo')}</Text>
            <Code block>{MOVE_TO_SEALED}</Code>
            <Text size="sm">{t('system.vault.devAfter')}</Text>
          </Stack>
        </Alert>
      )}
      {!dev && !status.sealed && <SealNow />}
      <Title order={2}>{t('system.vault.sharesTitle')}</Title>
      <Text>{t('system.vault.sharesBody')}</Text>
      {status.method === 'shares' ? (
        <>
          <Text>{t('system.vault.rotateShares', { threshold: status.threshold ?? 0 })}</Text>
          <Code block data-testid="rotate-command">
            {ROTATE_SHARES}
          </Code>
        </>
      ) : status.method === 'passphrase' ? (
        <>
          <Text>{t('system.vault.rotatePassphrase')}</Text>
          <Code block data-testid="rotate-command">
            {ROTATE_PASSPHRASE}
          </Code>
        </>
      ) : (
        <Text>{t('system.vault.rotateDev')}</Text>
      )}
      <Text size="sm" c="gray.7">
        {t('system.vault.seeDocs')}
      </Text>
    </Stack>
  );
}

function SealNow() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const seal = useSealVault();
  const [asking, setAsking] = useState(false);
  return (
    <Stack gap="xs" align="flex-start">
      <Title order={2}>{t('system.vault.sealTitle')}</Title>
      <Text>{t('system.vault.sealWhen')}</Text>
      <Group>
        <Button color="red" onClick={() => setAsking(true)}>
          {t('system.vault.sealNow')}
        </Button>
      </Group>
      {asking && (
        <Confirm
          title={t('system.vault.sealConfirmTitle')}
          body={t('system.vault.sealConfirmBody')}
          confirm={t('system.vault.sealNow')}
          pending={seal.isPending}
          error={seal.error ? <ErrorNotice error={seal.error} /> : null}
          onConfirm={() => seal.mutate(undefined, { onSuccess: () => void navigate('/unseal', { replace: true }) })}
          onClose={() => (setAsking(false), seal.reset())}
        />
      )}
    </Stack>
  );
}
