import { Alert, Button, Code, CopyButton, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { lastCosignatures, useCheckpoints, useLedgerKeys, useSignCheckpoint, verifierKeyParts, type Checkpoint, type LedgerKeys } from '../../api/system';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { AdminOnly, AdminTabs } from './common';
import { Hash } from './system/Hash';
import { Pill } from './system/Pill';

/**
 * /admin/ledger: the custody ledger's latest signed checkpoint, whether witnesses cosigned it,
 * its RFC 3161 timestamps, earlier checkpoints page by page, signing one now, and the log's verifier
 * key for `letapis verify --trust` (docs/CUSTODY.md).
 */
export function LedgerPage() {
  return (
    <AdminOnly>
      <Ledger />
    </AdminOnly>
  );
}

function reasonLabel(t: TFunction, reason: string): string {
  switch (reason) {
    case 'events':
      return t('system.ledger.reason.events');
    case 'interval':
      return t('system.ledger.reason.interval');
    case 'export':
      return t('system.ledger.reason.export');
    case 'manual':
      return t('system.ledger.reason.manual');
    default:
      return reason;
  }
}

function Ledger() {
  const { t } = useTranslation();
  const checkpoints = useCheckpoints();
  const keys = useLedgerKeys();
  const all = checkpoints.data?.pages.flatMap((p) => p.items) ?? [];
  const head = checkpoints.data?.pages[0]?.head;
  const latest = all[0];
  return (
    <Stack>
      <Title order={1}>{t('system.ledger.title')}</Title>
      <AdminTabs />
      <Text>{t('system.ledger.intro')}</Text>
      <SignNow latestSize={latest?.size ?? null} />
      {checkpoints.isPending || keys.isPending ? (
        <Loader aria-label={t('system.loading')} />
      ) : checkpoints.isError || keys.isError ? (
        <ErrorNotice error={checkpoints.error ?? keys.error} />
      ) : (
        <>
          <Title order={2}>{t('system.ledger.latestTitle')}</Title>
          {latest ? <LatestCheckpoint checkpoint={latest} keys={keys.data} /> : <Text data-testid="no-checkpoint">{t('system.ledger.none')}</Text>}
          {head && latest && head.size > latest.size && <Text size="sm">{t('system.ledger.unsignedSince', { count: head.size - latest.size })}</Text>}
          <Witnesses keys={keys.data} checkpoints={all} />
          {latest && <Timestamps checkpoint={latest} />}
          <VerifierKey keys={keys.data} />
          <Title order={2}>{t('system.ledger.listTitle')}</Title>
          {all.length === 0 ? (
            <Text>{t('system.ledger.none')}</Text>
          ) : (
            <CheckpointTable checkpoints={all} witnesses={keys.data.witnesses.length} />
          )}
          {checkpoints.hasNextPage && (
            <Group>
              <Button variant="default" loading={checkpoints.isFetchingNextPage} onClick={() => void checkpoints.fetchNextPage()}>
                {t('system.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function SignNow({ latestSize }: { latestSize: number | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const sign = useSignCheckpoint();
  // the latest size when the button was pressed: the same size back means nothing new was logged since
  const [before, setBefore] = useState<number | null>(null);
  return (
    <Stack gap="xs" align="flex-start">
      <Button onClick={() => (setBefore(latestSize), sign.mutate(undefined))} loading={sign.isPending}>
        {t('system.ledger.signNow')}
      </Button>
      {sign.isPending && (
        <Text size="sm" role="status">
          {t('system.ledger.signing')}
        </Text>
      )}
      {sign.isSuccess && (
        <Alert color="green" variant="light" role="status" data-testid="signed">
          {sign.data.size === before
            ? t('system.ledger.alreadySigned', { size: f.number(sign.data.size) })
            : t('system.ledger.signed', { size: f.number(sign.data.size), time: f.dateTime(sign.data.createdAt) })}
          {sign.data.timestamps.length > 0 && ` ${t('system.ledger.stamped', { count: sign.data.timestamps.length })}`}
        </Alert>
      )}
      {sign.isError &&
        (sign.error instanceof ApiError && sign.error.status === 404 ? (
          <Alert color="yellow" variant="light" role="alert">
            {t('system.ledger.empty')}
          </Alert>
        ) : (
          <ErrorNotice error={sign.error} />
        ))}
    </Stack>
  );
}

function LatestCheckpoint({ checkpoint: cp, keys }: { checkpoint: Checkpoint; keys: LedgerKeys }) {
  const { t } = useTranslation();
  const f = useFormat();
  const logKey = keys.log ? verifierKeyParts(keys.log) : null;
  const trusted = cp.cosignatures.filter((c) => c.trusted).length;
  return (
    <Table variant="vertical" withTableBorder maw={820} data-testid="latest-checkpoint">
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={220}>{t('system.ledger.size')}</Table.Th>
          <Table.Td data-testid="latest-size">{t('system.ledger.sizeValue', { count: cp.size, size: f.number(cp.size) })}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('system.ledger.rootHash')}</Table.Th>
          <Table.Td>
            <Hash value={cp.rootHash} label={t('system.ledger.rootHash')} />
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('system.ledger.signedAt')}</Table.Th>
          <Table.Td>
            {f.dateTime(cp.createdAt)} · {reasonLabel(t, cp.reason)}
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('system.ledger.logKey')}</Table.Th>
          <Table.Td>
            {logKey ? (
              <Text span size="sm">
                {logKey.name}{' '}
                <Text span ff="monospace" size="sm">
                  {t('system.ledger.keyId', { keyId: logKey.keyId })}
                </Text>
              </Text>
            ) : (
              '—'
            )}
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('system.ledger.witnessed')}</Table.Th>
          <Table.Td data-testid="latest-witnessed">
            {keys.witnesses.length === 0 ? (
              <Text span size="sm">
                {t('system.ledger.noWitnessesShort')}
              </Text>
            ) : (
              <Group gap="xs">
                <Pill colour={cp.witnessed ? '#1e6b30' : '#8a4100'}>
                  {cp.witnessed ? t('system.ledger.isWitnessed') : t('system.ledger.notWitnessed')}
                </Pill>
                <Text span size="sm">
                  {t('system.ledger.quorum', { got: trusted, quorum: keys.witnessQuorum, witnesses: keys.witnesses.length })}
                </Text>
              </Group>
            )}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function Witnesses({ keys, checkpoints }: { keys: LedgerKeys; checkpoints: Checkpoint[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <Title order={2}>{t('system.ledger.witnessesTitle')}</Title>
      {keys.witnesses.length === 0 ? (
        <Text>{t('system.ledger.noWitnesses')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('system.ledger.witness')}</Table.Th>
                <Table.Th>{t('system.ledger.witnessKey')}</Table.Th>
                <Table.Th>{t('system.ledger.lastCosignature')}</Table.Th>
                <Table.Th>{t('system.ledger.coveredSize')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lastCosignatures(keys.witnesses, checkpoints).map((w) => (
                <Table.Tr key={w.witness}>
                  <Table.Td>{w.witness}</Table.Td>
                  <Table.Td ff="monospace">{w.keyId ?? '—'}</Table.Td>
                  <Table.Td>{w.last ? f.dateTime(new Date(w.last.signedAt * 1000)) : t('system.ledger.neverCosigned')}</Table.Td>
                  <Table.Td>{w.last ? f.number(w.last.size) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

function Timestamps({ checkpoint: cp }: { checkpoint: Checkpoint }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <Title order={2}>{t('system.ledger.timestampsTitle')}</Title>
      {cp.timestamps.length === 0 ? (
        <Text>{t('system.ledger.noTimestamps')}</Text>
      ) : (
        <Table striped maw={820}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('system.ledger.authority')}</Table.Th>
              <Table.Th>{t('system.ledger.stampedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cp.timestamps.map((s) => (
              <Table.Tr key={s.tsa}>
                <Table.Td>{s.tsa}</Table.Td>
                <Table.Td>{f.dateTime(s.genTime)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

function VerifierKey({ keys }: { keys: LedgerKeys }) {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2}>{t('system.ledger.keyTitle')}</Title>
      {keys.log === null ? (
        <Text>{t('system.ledger.noKey')}</Text>
      ) : (
        <Stack gap="xs" align="flex-start">
          <Text>{t('system.ledger.keyHow')}</Text>
          <Group gap="xs" wrap="nowrap" maw="100%">
            <Code data-testid="verifier-key" style={{ wordBreak: 'break-all' }}>
              {keys.log}
            </Code>
            <CopyButton value={keys.log}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t('system.copied') : t('system.ledger.copyKey')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{`letapis verify FILE.zip --trust '${keys.log}'`}</Code>
          <Text size="sm" c="gray.7">
            {t('system.ledger.keyDocs')}
          </Text>
        </Stack>
      )}
    </>
  );
}

function CheckpointTable({ checkpoints, witnesses }: { checkpoints: Checkpoint[]; witnesses: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped data-testid="checkpoints">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('system.ledger.size')}</Table.Th>
            <Table.Th>{t('system.ledger.rootHash')}</Table.Th>
            <Table.Th>{t('system.ledger.signedAt')}</Table.Th>
            <Table.Th>{t('system.ledger.reasonTitle')}</Table.Th>
            <Table.Th>{t('system.ledger.witnessed')}</Table.Th>
            <Table.Th>{t('system.ledger.timestampsCount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checkpoints.map((cp) => (
            <Table.Tr key={cp.size} data-testid={`checkpoint-${cp.size}`}>
              <Table.Td>{f.number(cp.size)}</Table.Td>
              <Table.Td>
                <Hash value={cp.rootHash} label={t('system.ledger.rootHashOf', { size: f.number(cp.size) })} />
              </Table.Td>
              <Table.Td>{f.dateTime(cp.createdAt)}</Table.Td>
              <Table.Td>{reasonLabel(t, cp.reason)}</Table.Td>
              <Table.Td>{witnesses === 0 ? '—' : cp.witnessed ? t('system.yes') : t('system.no')}</Table.Td>
              <Table.Td>{f.number(cp.timestamps.length)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
