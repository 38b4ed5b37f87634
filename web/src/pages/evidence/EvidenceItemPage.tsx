import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Alert, Anchor, Badge, Button, Code, CopyButton, Group, Loader, Paper, Select, Stack, Table, Text, Textarea, Title, VisuallyHidden } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { contentUrl, formatSeconds, useCustody, useEvidence, useLinkEvidence, useVerify, type EvidenceDetail, type EvidenceLink, type Span } from '../../api/evidence';
import { redactionKind } from '../../api/redaction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RegionMarker, TimeMarker } from '../../components/evidence/MediaMarker';
import { RecordPicker, type PickedRecord } from '../../components/evidence/RecordPicker';
import { UnlinkButton } from '../../components/evidence/UnlinkButton';
import { useRecordName } from '../../components/records/useRecordLabel';
import { useFormat } from '../../i18n/format';
import { typeLabel } from '../search/labels';

const PointMap = lazy(() => import('../../components/map/PointMap'));

/** Alert titles in a colour dark enough to read (the light variant's is below WCAG AA contrast). */
const ALERT_TITLE = { title: { color: 'var(--mantine-color-dark-9)' } };

const LINK_TYPES = ['acts', 'persons', 'information', 'events'] as const;

function actionLabel(t: TFunction, action: string): string {
  switch (action) {
    case 'evidence.ingest': return t('evidence.custody.actions.ingest');
    case 'evidence.acquire': return t('evidence.custody.actions.acquire');
    case 'evidence.derive': return t('evidence.custody.actions.derive');
    case 'evidence.download': return t('evidence.custody.actions.download');
    case 'evidence.view': return t('evidence.custody.actions.view');
    case 'evidence.link': return t('evidence.custody.actions.link');
    case 'evidence.unlink': return t('evidence.custody.actions.unlink');
    case 'evidence.verify': return t('evidence.custody.actions.verify');
    case 'evidence.export': return t('evidence.custody.actions.export');
    case 'evidence.metadata-extracted': return t('evidence.custody.actions.metadata');
    case 'evidence.wacz-verified': return t('evidence.custody.actions.waczVerified');
    case 'evidence.redact': return t('evidence.custody.actions.redact');
    default: return action;
  }
}

function stateLabel(t: TFunction, state: string): string {
  switch (state) {
    case 'stored': return t('evidence.state.stored');
    case 'processing': return t('evidence.state.processing');
    case 'ready': return t('evidence.state.ready');
    case 'flagged': return t('evidence.state.flagged');
    default: return state;
  }
}

function kindLabel(t: TFunction, kind: string | null): string {
  switch (kind) {
    case 'thumbnail': return t('evidence.derivative.thumbnail');
    case 'preview': return t('evidence.derivative.preview');
    case 'poster': return t('evidence.derivative.poster');
    case 'video-preview': return t('evidence.derivative.videoPreview');
    case 'text': return t('evidence.derivative.text');
    case 'ocr-text': return t('evidence.derivative.ocrText');
    case 'embedded-media': return t('evidence.derivative.embeddedMedia');
    case 'redacted': return t('evidence.derivative.redacted');
    default: return kind ?? '';
  }
}

function spanText(t: TFunction, s: Span | null): string {
  if (!s) return t('evidence.links.whole');
  if (s.kind === 'time') return t('evidence.links.time', { from: formatSeconds(s.from), to: formatSeconds(s.to) });
  if (s.kind === 'region') return t('evidence.links.region', { x: s.x, y: s.y, width: s.width, height: s.height });
  return t('evidence.links.text', { page: s.page, from: s.from, to: s.to });
}

/** Where the metadata says the file was made (latitude and longitude), if it says so. */
function gpsOf(m: Record<string, unknown>): { lat: number; lon: number; alt?: number } | null {
  const g = (m.gps ?? m.location) as { lat?: unknown; lon?: unknown; alt?: number } | null | undefined;
  return g && typeof g.lat === 'number' && typeof g.lon === 'number' && Math.abs(g.lat) <= 90 && Math.abs(g.lon) <= 180 ? { lat: g.lat, lon: g.lon, alt: g.alt } : null;
}

/** Facts of the extracted metadata worth a line each; the whole of it is shown below them. */
function metadataFacts(t: TFunction, m: Record<string, unknown>, fmt: ReturnType<typeof useFormat>): Array<[string, ReactNode]> {
  const out: Array<[string, ReactNode]> = [];
  const capture = m.captureTime as { local?: string | null; offset?: string | null; utc?: string | null } | null | undefined;
  if (capture) out.push([t('evidence.meta.captured'), capture.utc ? `${fmt.dateTime(capture.utc)} (UTC ${capture.utc.slice(0, 19).replace('T', ' ')})` : `${capture.local ?? ''}${capture.offset ? ` ${capture.offset}` : ''}`]);
  const device = m.device as Record<string, string> | undefined;
  const dev = device ? [device.make, device.model, device.software].filter(Boolean).join(' · ') : '';
  if (dev) out.push([t('evidence.meta.device'), dev]);
  if (typeof m.width === 'number' && typeof m.height === 'number') out.push([t('evidence.meta.dimensions'), `${m.width} × ${m.height}`]);
  if (typeof m.durationSeconds === 'number') out.push([t('evidence.meta.duration'), formatSeconds(m.durationSeconds)]);
  const gps = gpsOf(m);
  if (gps)
    out.push([t('evidence.meta.location'), <span data-testid="gps">{`${gps.lat.toFixed(6)}, ${gps.lon.toFixed(6)}${typeof gps.alt === 'number' ? ` (${t('evidence.meta.altitude', { alt: gps.alt })})` : ''}`}</span>]);
  if (typeof m.pages === 'number') out.push([t('evidence.meta.pages'), String(m.pages)]);
  return out;
}

function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

/** The preview (with marking) and the form that links the item, or a mark on it, to a record. */
function PreviewAndMarking({ item }: { item: EvidenceDetail }) {
  const { t } = useTranslation();
  const [span, setSpan] = useState<Span | null>(null);
  const [targetType, setTargetType] = useState<string>('acts');
  const [target, setTarget] = useState<PickedRecord | null>(null);
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const link = useLinkEvidence(item.id);
  const by = (kind: string) => item.derivatives.find((d) => d.derivativeKind === kind && d.permissions.download);
  const original = item.permissions.download ? item.id : null;
  const canMark = item.permissions.link;
  const meta = item.metadata ?? {};
  const errs = link.error instanceof ApiError ? link.error.problem.errors ?? [] : [];

  let media: ReactNode = null;
  if (item.category === 'image') {
    const src = by('preview')?.id ?? original ?? by('thumbnail')?.id;
    const o = Number(meta.orientation ?? 1);
    const w = Number(meta.width);
    const h = Number(meta.height);
    // regions are in pixels of the picture upright (derivatives are turned by EXIF orientation)
    const natural = w > 0 && h > 0 ? (o >= 5 && o <= 8 ? { width: h, height: w } : { width: w, height: h }) : null;
    if (src) media = <RegionMarker src={contentUrl(src)} label={t('evidence.preview.image')} natural={natural} canMark={canMark} span={span?.kind === 'region' ? span : null} onSpan={setSpan} />;
  } else if (item.category === 'video') {
    const src = by('video-preview')?.id ?? original;
    const poster = by('poster')?.id;
    if (src) media = <TimeMarker kind="video" src={contentUrl(src)} poster={poster ? contentUrl(poster) : undefined} label={t('evidence.preview.video')} canMark={canMark} span={span?.kind === 'time' ? span : null} onSpan={setSpan} />;
  } else if (item.category === 'audio' && original) {
    media = <TimeMarker kind="audio" src={contentUrl(original)} label={t('evidence.preview.audio')} canMark={canMark} span={span?.kind === 'time' ? span : null} onSpan={setSpan} />;
  }

  const submit = () => {
    if (!target) return;
    setDone(false);
    link.mutate(
      { targetType, targetId: target.id, ...(span ? { span } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: () => {
          setDone(true);
          setSpan(null);
          setTarget(null);
          setNote('');
        },
      },
    );
  };

  return (
    <Section id="preview-title" title={t('evidence.preview.title')}>
      <Stack gap="md">
        {media ?? <Text>{item.state === 'stored' || item.state === 'processing' ? t('evidence.preview.pending') : t('evidence.preview.none')}</Text>}
        {canMark && (
          <Stack gap="sm" component="form" onSubmit={(e) => { e.preventDefault(); submit(); }} aria-labelledby="link-title">
            <Title order={3} size="h5" id="link-title">
              {t('evidence.mark.title')}
            </Title>
            <Text size="sm" data-testid="current-mark">
              {t('evidence.mark.current', { mark: spanText(t, span) })}
            </Text>
            <Group gap="sm" align="flex-start" wrap="wrap">
              <Select
                label={t('evidence.mark.targetType')}
                value={targetType}
                allowDeselect={false}
                onChange={(v) => {
                  if (v) setTargetType(v);
                  setTarget(null);
                }}
                data={LINK_TYPES.map((x) => ({ value: x, label: x === 'information' ? t('evidence.mark.claim') : typeLabel(t, x) }))}
                w={200}
              />
              <div style={{ flex: '1 1 18rem' }}>
                <RecordPicker key={targetType} types={[targetType]} label={t('evidence.mark.target')} value={target} onChange={setTarget} error={errs.find((e) => e.field === 'targetId') ? t('evidence.mark.targetGone') : undefined} />
              </div>
            </Group>
            <Textarea label={t('evidence.mark.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} maxLength={10000} />
            {link.isError && !errs.some((e) => e.field === 'targetId') && <ErrorNotice error={link.error} />}
            {done && (
              <Alert color="green" variant="light" role="status">
                {t('evidence.mark.saved')}
              </Alert>
            )}
            <Button type="submit" disabled={!target} loading={link.isPending} style={{ alignSelf: 'flex-start' }}>
              {span ? t('evidence.mark.linkMark') : t('evidence.mark.linkWhole')}
            </Button>
          </Stack>
        )}
      </Stack>
    </Section>
  );
}

/** A linked record, named as the records pages name it, opening its page. */
function LinkTarget({ type, id }: { type: string; id: string }) {
  const { t } = useTranslation();
  const name = useRecordName(type, id);
  return (
    <Anchor component={Link} to={`/records/${type}/${id}`}>
      {typeLabel(t, type)}: {name}
    </Anchor>
  );
}

/** Removing a link, named by the linked record. */
function UnlinkTarget({ itemId, link }: { itemId: string; link: EvidenceLink }) {
  const { t } = useTranslation();
  const name = useRecordName(link.targetType, link.targetId);
  return <UnlinkButton itemId={itemId} linkId={link.id} targetType={link.targetType} targetId={link.targetId} label={`${typeLabel(t, link.targetType)}: ${name}`} />;
}

function LinksList({ itemId, links, mayUnlink }: { itemId: string; links: EvidenceLink[]; mayUnlink: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (links.length === 0) return <Text>{t('evidence.links.none')}</Text>;
  return (
    <Table withTableBorder striped data-testid="links">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('evidence.links.record')}</Table.Th>
          <Table.Th scope="col">{t('evidence.links.mark')}</Table.Th>
          <Table.Th scope="col">{t('evidence.links.note')}</Table.Th>
          <Table.Th scope="col">{t('evidence.links.created')}</Table.Th>
          {mayUnlink ? <Table.Th scope="col"><VisuallyHidden>{t('evidence.unlink.short')}</VisuallyHidden></Table.Th> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {links.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>
              <LinkTarget type={l.targetType} id={l.targetId} />
            </Table.Td>
            <Table.Td>{spanText(t, l.span)}</Table.Td>
            <Table.Td>{l.note}</Table.Td>
            <Table.Td>{f.dateTime(l.createdAt)}</Table.Td>
            {mayUnlink ? (
              <Table.Td>
                <UnlinkTarget itemId={itemId} link={l} />
              </Table.Td>
            ) : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function CustodySection({ item }: { item: EvidenceDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const custody = useCustody(item.id);
  const verify = useVerify(item.id);
  const r = verify.data;
  return (
    <Section
      id="custody-title"
      title={t('evidence.custody.title')}
      actions={
        item.permissions.metadata && (
          <Button onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('evidence.custody.verify')}
          </Button>
        )
      }
    >
      <Stack gap="sm">
        {verify.isError && <ErrorNotice error={verify.error} />}
        {r && (
          <Alert color={r.ok ? 'green' : 'red'} variant="light" role="status" data-testid="verify-result" styles={ALERT_TITLE} title={r.ok ? t('evidence.custody.verified') : t('evidence.custody.notVerified')}>
            <Text size="sm">{r.contentIntact ? t('evidence.custody.contentOk') : t('evidence.custody.contentBad')}</Text>
            <Text size="sm">{r.custodyIntact ? t('evidence.custody.chainOk', { count: r.events }) : t('evidence.custody.chainBad')}</Text>
            {r.checkpointSize !== null ? <Text size="sm">{t('evidence.custody.checkpoint', { size: f.number(r.checkpointSize) })}</Text> : <Text size="sm">{t('evidence.custody.noCheckpoint')}</Text>}
          </Alert>
        )}
        {custody.isPending && <Loader size="sm" aria-label={t('evidence.loading')} />}
        {custody.isError && <ErrorNotice error={custody.error} />}
        {custody.data && (
          <>
            <Text size="sm">{custody.data.intact ? t('evidence.custody.intact') : t('evidence.custody.broken')}</Text>
            <Table withTableBorder striped data-testid="custody-events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">#</Table.Th>
                  <Table.Th scope="col">{t('evidence.custody.when')}</Table.Th>
                  <Table.Th scope="col">{t('evidence.custody.what')}</Table.Th>
                  <Table.Th scope="col">{t('evidence.custody.proof')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {custody.data.events.map((e) => (
                  <Table.Tr key={e.index}>
                    <Table.Td>{f.number(e.index)}</Table.Td>
                    <Table.Td>{e.body.at ? f.dateTime(e.body.at) : ''}</Table.Td>
                    <Table.Td>{actionLabel(t, String(e.body.action ?? ''))}</Table.Td>
                    <Table.Td>{!e.verified ? t('evidence.custody.eventBad') : e.proof ? t('evidence.custody.eventProved') : t('evidence.custody.eventPending')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Section>
  );
}

/**
 * One evidence item: preview (with marking of a time range or a region, linked to a record), its
 * SHA-256, acquisitions, extracted metadata (when the server shows it to this account), derivatives
 * and lineage, possible copies, links, and the chain of custody with a check anyone may run.
 */
export function EvidenceItemPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { id = '' } = useParams();
  const q = useEvidence(id);
  if (q.isPending) return <Loader aria-label={t('evidence.loading')} />;
  if (q.isError)
    return (
      <Stack>
        <Title order={1}>{t('evidence.item.title')}</Title>
        {q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 422) ? <Alert color="yellow">{t('evidence.item.notFound')}</Alert> : <ErrorNotice error={q.error} />}
      </Stack>
    );
  const item = q.data;
  const name = item.acquisitions.find((a) => a.filename)?.filename;
  const facts = item.metadata ? metadataFacts(t, item.metadata, f) : [];
  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Title order={1}>{name ? t('evidence.item.titleNamed', { name }) : t('evidence.item.title')}</Title>
        <Group gap="xs" mt={4}>
          <Badge color={item.state === 'flagged' ? 'yellow.3' : item.state === 'ready' ? 'teal.9' : 'gray.8'} c={item.state === 'flagged' ? 'black' : 'white'} data-testid="item-state">
            {stateLabel(t, item.state)}
          </Badge>
          {item.mime && <Text size="sm">{item.mime}</Text>}
          <Text size="sm">{t('evidence.item.size', { size: f.number(item.size) })}</Text>
          {(item.state === 'stored' || item.state === 'processing') && <Loader size="xs" aria-label={t('evidence.state.processing')} />}
          {item.permissions.redact && redactionKind(item) && (
            <Button component={Link} to={`/evidence/${item.id}/redact`} size="xs" variant="light" data-testid="redact-link">
              {t('evidence.item.redact')}
            </Button>
          )}
        </Group>
      </div>
      {item.parentId && (
        <Alert variant="light">
          {t('evidence.item.derivativeOf', { kind: kindLabel(t, item.derivativeKind) })}{' '}
          <Anchor component={Link} to={`/evidence/${item.parentId}`}>
            {t('evidence.item.openOriginal')}
          </Anchor>
        </Alert>
      )}
      {item.flags.length > 0 && (
        <Alert color="orange" styles={ALERT_TITLE} title={t('evidence.item.flags')}>
          <ul style={{ margin: 0 }}>
            {item.flags.map((fl, i) => (
              <li key={i}>{fl.reason}</li>
            ))}
          </ul>
        </Alert>
      )}

      <Section id="hash-title" title={t('evidence.item.fingerprint')}>
        <Group gap="sm" wrap="nowrap" align="center">
          <Code style={{ wordBreak: 'break-all' }} data-testid="sha256">
            {item.sha256}
          </Code>
          <CopyButton value={item.sha256}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('evidence.item.copied') : t('evidence.item.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" mt="xs">
          {t('evidence.item.fingerprintHelp')}
        </Text>
        {item.permissions.download && (
          <Anchor href={contentUrl(item.id)} download size="sm">
            {t('evidence.item.download')}
          </Anchor>
        )}
      </Section>

      <PreviewAndMarking item={item} />

      <Section id="links-title" title={t('evidence.links.title')}>
        <LinksList itemId={item.id} links={item.links} mayUnlink={item.permissions.link} />
      </Section>

      <Section id="acq-title" title={t('evidence.acq.title')}>
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('evidence.acq.when')}</Table.Th>
              <Table.Th scope="col">{t('evidence.acq.method')}</Table.Th>
              <Table.Th scope="col">{t('evidence.acq.filename')}</Table.Th>
              <Table.Th scope="col">{t('evidence.acq.source')}</Table.Th>
              <Table.Th scope="col">{t('evidence.acq.note')}</Table.Th>
              <Table.Th scope="col">{t('evidence.acq.tool')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {item.acquisitions.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{f.dateTime(a.acquiredAt)}</Table.Td>
                <Table.Td>{a.method === 'resumable-upload' || a.method === 'upload' ? t('evidence.acq.upload') : a.method}</Table.Td>
                <Table.Td>{a.filename ?? '—'}</Table.Td>
                <Table.Td>
                  {a.source ?? ''}
                  {a.sourcePersonId && (
                    <>
                      {a.source ? ' · ' : ''}
                      <Anchor component={Link} to={`/records/persons/${a.sourcePersonId}`}>
                        {t('evidence.acq.sourcePerson')}
                      </Anchor>
                    </>
                  )}
                </Table.Td>
                <Table.Td>{a.note ?? ''}</Table.Td>
                <Table.Td>{a.toolVersion}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>

      <Section id="meta-title" title={t('evidence.meta.title')}>
        {!item.permissions.metadata ? (
          <Text>{t('evidence.meta.notAllowed')}</Text>
        ) : !item.metadata ? (
          <Text>{item.state === 'stored' || item.state === 'processing' ? t('evidence.preview.pending') : t('evidence.meta.none')}</Text>
        ) : (
          <Stack gap="sm">
            {facts.length > 0 && (
              <Table withTableBorder data-testid="metadata-facts">
                <Table.Tbody>
                  {facts.map(([k, v]) => (
                    <Table.Tr key={k}>
                      <Table.Th scope="row" w={200}>
                        {k}
                      </Table.Th>
                      <Table.Td>{v}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {gpsOf(item.metadata) ? (
              <Suspense fallback={<Loader size="sm" />}>
                <PointMap lat={gpsOf(item.metadata)!.lat} lon={gpsOf(item.metadata)!.lon} label={t('evidence.meta.mapLabel', { lat: gpsOf(item.metadata)!.lat.toFixed(5), lon: gpsOf(item.metadata)!.lon.toFixed(5) })} attribution={t('evidence.meta.attribution')} zoomIn={t('evidence.meta.zoomIn')} zoomOut={t('evidence.meta.zoomOut')} />
              </Suspense>
            ) : null}
            <details>
              <summary>{t('evidence.meta.all')}</summary>
              <Code block style={{ maxHeight: 400, overflow: 'auto' }}>
                {JSON.stringify(item.metadata, null, 2)}
              </Code>
            </details>
          </Stack>
        )}
      </Section>

      <Section id="deriv-title" title={t('evidence.derivative.title')}>
        {item.derivatives.length === 0 ? (
          <Text>{item.state === 'stored' || item.state === 'processing' ? t('evidence.preview.pending') : t('evidence.derivative.none')}</Text>
        ) : (
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('evidence.derivative.kind')}</Table.Th>
                <Table.Th scope="col">{t('evidence.derivative.type')}</Table.Th>
                <Table.Th scope="col">{t('evidence.derivative.madeWith')}</Table.Th>
                <Table.Th scope="col">{t('evidence.derivative.sha256')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {item.derivatives.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/evidence/${d.id}`}>
                      {kindLabel(t, d.derivativeKind)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{d.mime}</Table.Td>
                  <Table.Td>{d.derivedWith}</Table.Td>
                  <Table.Td>
                    <Code>{d.sha256.slice(0, 16)}…</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      <Section id="copies-title" title={t('evidence.copies.title')}>
        {item.possibleCopies.length === 0 ? (
          <Text>{t('evidence.copies.none')}</Text>
        ) : (
          <Stack component="ul" gap={4}>
            {item.possibleCopies.map((c) => (
              <li key={c.id}>
                <Anchor component={Link} to={`/evidence/${c.id}`}>
                  {t('evidence.copies.item', { id: c.id.slice(0, 8) })}
                </Anchor>{' '}
                <Text span size="sm">
                  {c.distance === 0 ? t('evidence.copies.same') : t('evidence.copies.distance', { distance: c.distance })}
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </Section>

      <CustodySection item={item} />
    </Stack>
  );
}
