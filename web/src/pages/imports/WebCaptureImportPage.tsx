import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, List, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useEvidence, type EvidenceDetail } from '../../api/evidence';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { DESCRIPTION, NotAllowed, UploadStep, useWritableCompartments } from './common';

/** The parts of a web capture's metadata this page shows (WebCaptureMetadata, src/adapters/media/metadata.types.ts). */
interface CaptureMeta {
  kind?: string;
  format?: string;
  warcInfo?: Record<string, string>;
  pageCount?: number;
  pages?: { url: string; date: string | null; title?: string; truncated?: boolean }[];
  captureDates?: { first: string | null; last: string | null };
  mediaCount?: number;
  text?: string;
  warnings?: string[];
  wacz?: {
    title?: string;
    created?: string;
    software?: string;
    pagesListed?: number;
    verification?: {
      resources: string;
      packageDigest: string;
      signature: string;
      signer?: { kind: string; publicKeySha256?: string; domain?: string };
      checks: { check: string; result: string; detail: string }[];
      failures: string[];
    };
  };
}

/** Text of the captured pages shown here at the most (the whole is the item's text derivative). */
const TEXT_SHOWN = 3000;

/** A check's outcome in words, literal keys (the catalog check finds them). */
function resultLabel(t: TFunction, result: string): string {
  switch (result) {
    case 'ok': return t('imports.capture.result.ok');
    case 'failed': return t('imports.capture.result.failed');
    case 'absent': return t('imports.capture.result.absent');
    case 'not-checked': return t('imports.capture.result.notChecked');
    default: return result;
  }
}
const RESULT_COLOR: Record<string, string> = { ok: 'teal.9', failed: 'red.9', absent: 'gray.8', 'not-checked': 'yellow.9' };

function Outcome({ label, result }: { label: string; result: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text size="sm">{label}</Text>
      <Badge color={RESULT_COLOR[result] ?? 'gray.8'} data-testid="outcome">{resultLabel(t, result)}</Badge>
    </Group>
  );
}

/** A WACZ's verification: the package digest, each file's digest, the signature, and every check. */
function Verification({ v }: { v: NonNullable<NonNullable<CaptureMeta['wacz']>['verification']> }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="verification">
      <Title order={3} size="h5">{t('imports.capture.verification.title')}</Title>
      <Group gap="lg">
        <Outcome label={t('imports.capture.verification.resources')} result={v.resources} />
        <Outcome label={t('imports.capture.verification.packageDigest')} result={v.packageDigest} />
        <Outcome label={t('imports.capture.verification.signature')} result={v.signature} />
      </Group>
      {v.signer?.kind === 'anonymous' && v.signer.publicKeySha256 && <Text size="sm">{t('imports.capture.verification.anonymous', { key: v.signer.publicKeySha256 })}</Text>}
      {v.signer?.kind === 'domain' && <Text size="sm">{t('imports.capture.verification.domain', { domain: v.signer.domain ?? '' })}</Text>}
      {v.failures.length > 0 && (
        <Alert color="red" role="alert" title={t('imports.capture.verification.failures')}>
          <List size="sm">
            {v.failures.map((x, i) => <List.Item key={i}>{x}</List.Item>)}
          </List>
        </Alert>
      )}
      {v.checks.length > 0 && (
        <Table.ScrollContainer minWidth={500}>
          <Table striped withTableBorder aria-label={t('imports.capture.verification.checks')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.capture.verification.check')}</Table.Th>
                <Table.Th>{t('imports.capture.verification.result')}</Table.Th>
                <Table.Th>{t('imports.capture.verification.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.checks.map((c, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{c.check}</Table.Td>
                  <Table.Td>{resultLabel(t, c.result)}</Table.Td>
                  <Table.Td>{c.detail}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="sm">{t('imports.capture.verification.scope')}</Text>
    </Stack>
  );
}

/** What the server made of the upload, read from the evidence item (polled while it is processed). */
function CaptureResult({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const evidence = useEvidence(id);
  const item: EvidenceDetail | undefined = evidence.data;
  if (evidence.error) return <ErrorNotice error={evidence.error} />;
  if (!item) return <Loader aria-label={t('imports.capture.reading')} />;
  const processing = item.state === 'stored' || item.state === 'processing';
  const m = (item.metadata ?? {}) as CaptureMeta;
  const isCapture = item.category === 'web-capture';
  const embedded = item.derivatives.filter((d) => d.derivativeKind === 'embedded-media').length;
  const search = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim()) void navigate(`/search?q=${encodeURIComponent(q.trim())}&compartment=${item.compartment}`);
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="capture-title" data-testid="capture-result">
      <Stack gap="sm">
        <Title order={2} size="h3" id="capture-title">{t('imports.capture.resultTitle')}</Title>
        {processing ? (
          <Group gap="xs" role="status">
            <Loader size="sm" />
            <Text>{t('imports.capture.processing')}</Text>
          </Group>
        ) : isCapture ? (
          <Alert color="green" variant="light" data-testid="detected">{t('imports.capture.detected', { format: (m.format ?? item.mime ?? '').toUpperCase() })}</Alert>
        ) : (
          <Alert color="yellow" role="alert" data-testid="detected">{t('imports.capture.notCapture', { mime: item.mime ?? '?' })}</Alert>
        )}
        {item.flags.length > 0 && (
          <Alert color="orange" title={t('imports.capture.flags')}>
            <List size="sm">
              {item.flags.map((fl, i) => <List.Item key={i}>{fl.reason}</List.Item>)}
            </List>
          </Alert>
        )}
        {!processing && isCapture && !item.permissions.metadata && <Text>{t('imports.capture.noMetadata')}</Text>}
        {!processing && isCapture && item.metadata && (
          <>
            <Group gap="lg" data-testid="capture-facts">
              <Text>{t('imports.capture.pages', { count: m.pageCount ?? 0 })}</Text>
              <Text>{t('imports.capture.media', { count: m.mediaCount ?? 0 })}</Text>
              <Text>{t('imports.capture.embedded', { count: embedded })}</Text>
              {m.captureDates?.first && <Text>{t('imports.capture.dates', { from: f.dateTime(m.captureDates.first), to: f.dateTime(m.captureDates.last ?? m.captureDates.first) })}</Text>}
              {(m.wacz?.software ?? m.warcInfo?.software) && <Text>{t('imports.capture.software', { software: m.wacz?.software ?? m.warcInfo?.software })}</Text>}
            </Group>
            {m.wacz?.title && <Text>{t('imports.capture.waczTitle', { title: m.wacz.title })}</Text>}
            {m.wacz?.verification ? <Verification v={m.wacz.verification} /> : <Text size="sm">{t('imports.capture.plainWarc')}</Text>}
            {(m.warnings ?? []).length > 0 && (
              <Alert color="yellow" title={t('imports.capture.warnings')}>
                <List size="sm">
                  {m.warnings!.map((w, i) => <List.Item key={i}>{w}</List.Item>)}
                </List>
              </Alert>
            )}
            {(m.pages ?? []).length > 0 && (
              <Stack gap="xs">
                <Title order={3} size="h5" id="pages-title">{t('imports.capture.pagesTitle')}</Title>
                <Table.ScrollContainer minWidth={600}>
                  <Table striped withTableBorder aria-labelledby="pages-title" data-testid="pages">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('imports.capture.url')}</Table.Th>
                        <Table.Th>{t('imports.capture.date')}</Table.Th>
                        <Table.Th>{t('imports.capture.pageTitle')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {m.pages!.map((p, i) => (
                        <Table.Tr key={i}>
                          <Table.Td style={{ wordBreak: 'break-all' }}>{p.url}</Table.Td>
                          <Table.Td>{p.date ? f.dateTime(p.date) : '—'}</Table.Td>
                          <Table.Td>{p.title ?? '—'}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {(m.pageCount ?? 0) > m.pages!.length && <Text size="sm">{t('imports.capture.morePages', { count: (m.pageCount ?? 0) - m.pages!.length })}</Text>}
              </Stack>
            )}
            {m.text && (
              <Stack gap="xs">
                <Title order={3} size="h5">{t('imports.capture.textTitle')}</Title>
                <Code block data-testid="page-text" style={{ whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto' }}>
                  {m.text.length > TEXT_SHOWN ? `${m.text.slice(0, TEXT_SHOWN)}…` : m.text}
                </Code>
              </Stack>
            )}
          </>
        )}
        <Text>
          <Anchor component={Link} to={`/evidence/${item.id}`} data-testid="item-link">{t('imports.capture.openItem')}</Anchor>
        </Text>
        {isCapture && !processing && (
          <form onSubmit={search}>
            <Group align="end">
              <TextInput label={t('imports.capture.searchLabel')} description={t('imports.capture.searchHelp')} styles={DESCRIPTION} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={360} />
              <Button type="submit" variant="default">{t('imports.capture.searchButton')}</Button>
            </Group>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * Taking in a web capture (WARC or WACZ) as evidence, then showing what the server made of it:
 * recognised or not, a WACZ's verification, the captured pages, their text and embedded media.
 * Capturing a live page is done on the command line (`letapis capture URL`): the server does not
 * fetch addresses for browsers.
 */
export function WebCaptureImportPage() {
  const { t } = useTranslation();
  const writableOrNull = useWritableCompartments();
  const writable = writableOrNull ?? [];
  const [compartment, setCompartment] = useState<string | null>(null);
  const chosen = compartment ?? (writable.length === 1 ? writable[0]!.id : null);
  const [itemId, setItemId] = useState<string | null>(null);

  if (writableOrNull && writable.length === 0) return <NotAllowed title={t('imports.capture.title')} message={t('imports.archive.notAllowed')} />;

  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t('imports.capture.title')}</Title>
      <Text>{t('imports.capture.intro')}</Text>
      <Alert color="gray" variant="light" title={t('imports.capture.liveTitle')}>
        <Text size="sm">{t('imports.capture.live')}</Text>
        <Code block mt="xs">letapis capture https://example.org/news/2020/08/10 --compartment …</Code>
      </Alert>
      <Stack gap="sm" component="section" aria-labelledby="file-title">
        <Title order={2} size="h3" id="file-title">{t('imports.capture.fileTitle')}</Title>
        <UploadStep
          writable={writable}
          compartment={chosen}
          onCompartment={setCompartment}
          accept=".warc,.gz,.wacz,application/warc,application/wacz,application/gzip,application/zip"
          drop={t('imports.capture.drop')}
          kept={t('imports.capture.kept')}
          inputTestId="capture-file-input"
          busy={false}
          itemId={null}
          onItem={setItemId}
        />
      </Stack>
      {itemId && <CaptureResult id={itemId} />}
    </Stack>
  );
}
