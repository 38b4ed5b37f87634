import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Anchor, Button, Code, Group, Loader, NumberInput, Paper, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { contentUrl, formatSeconds, useEvidence, type EvidenceDetail, type Span } from '../../api/evidence';
import { redactionKind, relativeRegion, useItemSuggestions, useRequestRedaction, type Cover, type RedactionResult, type RedactionSpec, type Style, type TimeRange } from '../../api/redaction';
import { JOB_REFRESH_MS, useJob } from '../../api/system';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RegionMarker, TimeMarker } from '../../components/evidence/MediaMarker';
import { TextRedactor } from '../../components/evidence/TextRedactor';
import { useFormat } from '../../i18n/format';

type Region = Extract<Span, { kind: 'region' }>;
type Size = { width: number; height: number };
type Submit = (spec: RedactionSpec) => void;

/** The size of a picture as loaded (for posters and previews whose pixels the metadata does not give). */
function useImageSize(src: string | undefined): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    if (!src) return;
    const img = new Image();
    img.onload = () => setSize({ width: img.naturalWidth, height: img.naturalHeight });
    img.src = src;
  }, [src]);
  return size;
}

const styleOptions = (t: TFunction) => [
  { value: 'box', label: t('redaction.style.box') },
  { value: 'blur', label: t('redaction.style.blur') },
];

const rangeText = (t: TFunction, r: TimeRange) => t('redaction.range', { from: formatSeconds(r.from), to: formatSeconds(r.to) });

function Block({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

interface KeptRegion extends Region {
  style: Style;
  ranges: TimeRange[];
}

/** Regions kept so far: style to choose, time ranges (video), removal. */
function RegionsTable({ regions, onChange, withTimes }: { regions: KeptRegion[]; onChange: (r: KeptRegion[]) => void; withTimes: boolean }) {
  const { t } = useTranslation();
  if (regions.length === 0) return <Text size="sm">{t('redaction.regions.none')}</Text>;
  return (
    <Table withTableBorder striped data-testid="regions">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">#</Table.Th>
          <Table.Th scope="col">{t('redaction.regions.where')}</Table.Th>
          {withTimes && <Table.Th scope="col">{t('redaction.regions.when')}</Table.Th>}
          <Table.Th scope="col">{t('redaction.regions.style')}</Table.Th>
          <Table.Th scope="col">{t('redaction.regions.remove')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {regions.map((r, i) => (
          <Table.Tr key={i}>
            <Table.Td>{i + 1}</Table.Td>
            <Table.Td>{t('redaction.regions.at', { width: r.width, height: r.height, x: r.x, y: r.y })}</Table.Td>
            {withTimes && <Table.Td>{r.ranges.length ? r.ranges.map((x) => rangeText(t, x)).join(', ') : t('redaction.regions.throughout')}</Table.Td>}
            <Table.Td>
              <Select
                aria-label={t('redaction.regions.styleOf', { n: i + 1 })}
                data={styleOptions(t)}
                value={r.style}
                allowDeselect={false}
                onChange={(v) => v && onChange(regions.map((x, j) => (j === i ? { ...x, style: v as Style } : x)))}
                w={160}
              />
            </Table.Td>
            <Table.Td>
              <Button size="xs" variant="default" onClick={() => onChange(regions.filter((_, j) => j !== i))} aria-label={t('redaction.regions.removeN', { n: i + 1 })}>
                {t('redaction.remove')}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A picture to draw on, the region being drawn, and the button that keeps it. */
function RegionPicker({ src, label, natural, kept, onKeep, keepLabel }: { src: string; label: string; natural: Size | null; kept: KeptRegion[]; onKeep: (r: Region, style: Style) => void; keepLabel: string }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Region | null>(null);
  const [style, setStyle] = useState<Style>('box');
  return (
    <Stack gap="sm">
      <RegionMarker src={src} label={label} natural={natural} canMark span={draft} onSpan={setDraft} others={kept} />
      <Group align="flex-end" gap="sm">
        <Select label={t('redaction.regions.newStyle')} data={styleOptions(t)} value={style} allowDeselect={false} onChange={(v) => v && setStyle(v as Style)} w={200} />
        <Button
          variant="default"
          disabled={!draft}
          onClick={() => {
            if (!draft) return;
            onKeep(draft, style);
            setDraft(null);
          }}
        >
          {keepLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** Silence or tone, and the pitch shift, of a recording or a video's sound. */
function AudioOptions({ cover, setCover, pitch, setPitch }: { cover: Cover; setCover: (c: Cover) => void; pitch: number; setPitch: (p: number) => void }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-start" gap="md" wrap="wrap">
      <Select
        label={t('redaction.audio.cover')}
        data={[
          { value: 'silence', label: t('redaction.audio.silence') },
          { value: 'tone', label: t('redaction.audio.tone') },
        ]}
        value={cover}
        allowDeselect={false}
        onChange={(v) => v && setCover(v as Cover)}
        w={220}
      />
      <NumberInput label={t('redaction.audio.pitch')} description={t('redaction.audio.pitchHelp')} styles={{ description: { color: 'var(--mantine-color-gray-7)' } }} value={pitch} onChange={(v) => setPitch(typeof v === 'number' ? v : Number(v) || 0)} min={-12} max={12} step={1} w={260} />
    </Group>
  );
}

function RangesList({ ranges, onChange }: { ranges: TimeRange[]; onChange: (r: TimeRange[]) => void }) {
  const { t } = useTranslation();
  if (ranges.length === 0) return <Text size="sm">{t('redaction.audio.noRanges')}</Text>;
  return (
    <Stack component="ul" gap={4} data-testid="audio-ranges" style={{ paddingLeft: 20 }}>
      {ranges.map((r, i) => (
        <li key={i}>
          <Group gap="xs">
            <Text size="sm">{rangeText(t, r)}</Text>
            <Button size="compact-xs" variant="subtle" onClick={() => onChange(ranges.filter((_, j) => j !== i))} aria-label={t('redaction.audio.removeRange', { range: rangeText(t, r) })}>
              {t('redaction.remove')}
            </Button>
          </Group>
        </li>
      ))}
    </Stack>
  );
}

/** A time range the marker gives, when it can be kept (the end after the start). */
const usable = (s: Extract<Span, { kind: 'time' }> | null): TimeRange | null => (s && s.to > s.from ? { from: s.from, to: s.to } : null);

/** What is done to a recording's sound: ranges hidden, how, and the pitch shift. */
function useSound() {
  const [ranges, setRanges] = useState<TimeRange[]>([]);
  const [cover, setCover] = useState<Cover>('silence');
  const [pitch, setPitch] = useState(0);
  return { ranges, setRanges, cover, setCover, pitch, setPitch };
}

/** The time range marked kept as one to hide, the ranges kept, and how the sound is treated. */
function SoundPart({ range, onKept, sound }: { range: TimeRange | null; onKept: () => void; sound: ReturnType<typeof useSound> }) {
  const { t } = useTranslation();
  return (
    <>
      <Button
        variant="default"
        disabled={!range}
        style={{ alignSelf: 'flex-start' }}
        onClick={() => {
          if (!range) return;
          sound.setRanges((rs) => [...rs, range]);
          onKept();
        }}
      >
        {t('redaction.audio.keepRange')}
      </Button>
      <RangesList ranges={sound.ranges} onChange={sound.setRanges} />
      <AudioOptions cover={sound.cover} setCover={sound.setCover} pitch={sound.pitch} setPitch={sound.setPitch} />
    </>
  );
}

function ImageEditor({ item, submit, pending }: { item: EvidenceDetail; submit: Submit; pending: boolean }) {
  const { t } = useTranslation();
  const src = item.derivatives.find((d) => d.derivativeKind === 'preview')?.id ?? item.id;
  const loaded = useImageSize(contentUrl(src));
  const meta = item.metadata ?? {};
  const o = Number(meta.orientation ?? 1);
  const w = Number(meta.width);
  const h = Number(meta.height);
  // pixels of the picture upright, as the item page marks them; else those of the preview as loaded
  const natural = w > 0 && h > 0 ? (o >= 5 && o <= 8 ? { width: h, height: w } : { width: w, height: h }) : loaded;
  const [regions, setRegions] = useState<KeptRegion[]>([]);
  if (!natural) return <Loader size="sm" aria-label={t('redaction.loading')} />;
  return (
    <Stack gap="md">
      <RegionPicker src={contentUrl(src)} label={t('redaction.image.picture')} natural={natural} kept={regions} onKeep={(r, style) => setRegions((rs) => [...rs, { ...r, style, ranges: [] }])} keepLabel={t('redaction.regions.keep')} />
      <RegionsTable regions={regions} onChange={setRegions} withTimes={false} />
      <Button
        style={{ alignSelf: 'flex-start' }}
        disabled={regions.length === 0}
        loading={pending}
        onClick={() => submit({ kind: 'image', regions: regions.map((r) => ({ ...relativeRegion(r, natural), unit: 'relative', style: r.style })) })}
      >
        {t('redaction.submit')}
      </Button>
    </Stack>
  );
}

function AudioEditor({ item, submit, pending }: { item: EvidenceDetail; submit: Submit; pending: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Extract<Span, { kind: 'time' }> | null>(null);
  const [reset, setReset] = useState(0);
  const sound = useSound();
  const { ranges, cover, pitch } = sound;
  const range = usable(draft);
  return (
    <Stack gap="md">
      <TimeMarker key={reset} kind="audio" src={contentUrl(item.id)} label={t('redaction.audio.recording')} canMark span={draft} onSpan={setDraft} />
      <SoundPart range={range} onKept={() => { setDraft(null); setReset((n) => n + 1); }} sound={sound} />
      <Button style={{ alignSelf: 'flex-start' }} disabled={ranges.length === 0 && pitch === 0} loading={pending} onClick={() => submit({ kind: 'audio', ranges, cover, pitchSemitones: pitch })}>
        {t('redaction.submit')}
      </Button>
    </Stack>
  );
}

function VideoEditor({ item, submit, pending }: { item: EvidenceDetail; submit: Submit; pending: boolean }) {
  const { t } = useTranslation();
  const poster = item.derivatives.find((d) => d.derivativeKind === 'poster')?.id;
  const player = item.derivatives.find((d) => d.derivativeKind === 'video-preview')?.id ?? item.id;
  // the poster is a frame of the upright video: regions are fractions of it
  const natural = useImageSize(poster ? contentUrl(poster) : undefined);
  const [draft, setDraft] = useState<Extract<Span, { kind: 'time' }> | null>(null);
  const [reset, setReset] = useState(0);
  const [regions, setRegions] = useState<KeptRegion[]>([]);
  const sound = useSound();
  const { ranges, cover, pitch } = sound;
  const range = usable(draft);
  const clearTime = () => {
    setDraft(null);
    setReset((n) => n + 1);
  };
  const audio = ranges.length > 0 || pitch !== 0 ? { ranges, cover, pitchSemitones: pitch } : undefined;
  return (
    <Stack gap="md">
      <Text size="sm">{t('redaction.video.help')}</Text>
      <TimeMarker key={reset} kind="video" src={contentUrl(player)} poster={poster ? contentUrl(poster) : undefined} label={t('redaction.video.video')} canMark span={draft} onSpan={setDraft} />
      <Text size="sm" data-testid="current-range">
        {range ? t('redaction.video.currentRange', { range: rangeText(t, range) }) : t('redaction.video.noRange')}
      </Text>
      <Title order={3} size="h5">
        {t('redaction.video.regionsTitle')}
      </Title>
      {!poster ? (
        <Text size="sm">{t('redaction.video.noPoster')}</Text>
      ) : !natural ? (
        <Loader size="sm" aria-label={t('redaction.loading')} />
      ) : (
        <RegionPicker
          src={contentUrl(poster)}
          label={t('redaction.video.frame')}
          natural={natural}
          kept={regions}
          onKeep={(r, style) => {
            setRegions((rs) => [...rs, { ...r, style, ranges: range ? [range] : [] }]);
            clearTime();
          }}
          keepLabel={t('redaction.video.keepRegion')}
        />
      )}
      <RegionsTable regions={regions} onChange={setRegions} withTimes />
      <Title order={3} size="h5">
        {t('redaction.video.soundTitle')}
      </Title>
      <SoundPart range={range} onKept={clearTime} sound={sound} />
      <Button
        style={{ alignSelf: 'flex-start' }}
        disabled={(regions.length === 0 && !audio) || !natural && regions.length > 0}
        loading={pending}
        onClick={() =>
          natural &&
          submit({
            kind: 'video',
            regions: regions.map((r) => ({ ...relativeRegion(r, natural), unit: 'relative', style: r.style, ...(r.ranges.length ? { ranges: r.ranges } : {}) })),
            ...(audio ? { audio } : {}),
          })
        }
      >
        {t('redaction.submit')}
      </Button>
    </Stack>
  );
}

function TextEditor({ item, submit, pending }: { item: EvidenceDetail; submit: Submit; pending: boolean }) {
  const { t } = useTranslation();
  const q = useItemSuggestions(item.id, true);
  if (q.isPending) return <Loader size="sm" aria-label={t('redaction.loading')} />;
  if (q.isError) return <ErrorNotice error={q.error} />;
  return <TextRedactor suggestions={q.data} pending={pending} submitLabel={t('redaction.submit')} onSubmit={(spans) => submit({ kind: 'text', spans })} />;
}

/** A redaction's job followed to its end: progress, then the file made (download, SHA-256) or why it failed. */
function JobProgress({ jobId, itemId }: { jobId: string; itemId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const job = useJob(jobId);
  const state = job.data?.state;
  useEffect(() => {
    if (state === 'done') void qc.invalidateQueries({ queryKey: ['evidence', itemId] });
  }, [state, qc, itemId]);
  // a failed attempt is tried again by the worker: keep asking (useJob stops at 'failed')
  const { refetch } = job;
  useEffect(() => {
    if (state !== 'failed') return;
    const timer = setInterval(() => void refetch(), JOB_REFRESH_MS);
    return () => clearInterval(timer);
  }, [state, refetch]);
  if (job.isError) return <ErrorNotice error={job.error} />;
  if (!job.data) return <Loader size="sm" aria-label={t('redaction.loading')} />;
  const j = job.data;
  if (j.state === 'done') {
    const r = j.result as unknown as RedactionResult;
    return (
      <Alert color="green" variant="light" role="status" title={t('redaction.job.done')} styles={{ title: { color: 'var(--mantine-color-dark-9)' } }} data-testid="redaction-result">
        <Stack gap="xs">
          <Text size="sm">{t('redaction.job.noMetadata')}</Text>
          <Group gap="xs">
            <Text size="sm">{t('redaction.sha256')}</Text>
            <Code data-testid="redacted-sha256" style={{ wordBreak: 'break-all' }}>
              {r.sha256}
            </Code>
          </Group>
          <Text size="sm">{t('redaction.job.file', { mime: r.mime, size: f.number(r.size) })}</Text>
          <Group gap="md">
            <Anchor href={contentUrl(r.derivativeId)} download data-testid="redacted-download">
              {t('redaction.download')}
            </Anchor>
            <Anchor component={Link} to={`/evidence/${r.derivativeId}`}>
              {t('redaction.open')}
            </Anchor>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (j.state === 'dead' || j.state === 'failed')
    return (
      <Alert color="red" variant="light" role="alert" title={j.state === 'dead' ? t('redaction.job.dead') : t('redaction.job.failed')} styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
        {j.lastError && <Code block>{j.lastError}</Code>}
      </Alert>
    );
  return (
    <Stack gap={4} role="status">
      <Text size="sm">{j.state === 'queued' ? t('redaction.job.queued') : t('redaction.job.running', { percent: j.progress })}</Text>
      <Progress value={j.progress} animated aria-label={t('redaction.job.progress', { percent: j.progress })} />
    </Stack>
  );
}

/** The redacted derivatives made of the item so far. */
function EarlierRedactions({ item }: { item: EvidenceDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const done = item.derivatives.filter((d) => d.derivativeKind === 'redacted');
  if (done.length === 0) return <Text size="sm">{t('redaction.earlier.none')}</Text>;
  return (
    <Table withTableBorder striped data-testid="earlier-redactions">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('redaction.earlier.made')}</Table.Th>
          <Table.Th scope="col">{t('redaction.earlier.type')}</Table.Th>
          <Table.Th scope="col">{t('evidence.derivative.sha256')}</Table.Th>
          <Table.Th scope="col">{t('redaction.earlier.file')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {done.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>
              <Anchor component={Link} to={`/evidence/${d.id}`}>
                {f.dateTime(d.createdAt)}
              </Anchor>
            </Table.Td>
            <Table.Td>{d.mime}</Table.Td>
            <Table.Td>
              <Code style={{ wordBreak: 'break-all' }}>{d.sha256}</Code>
            </Table.Td>
            <Table.Td>
              {d.permissions.download ? (
                <Anchor href={contentUrl(d.id)} download>
                  {t('redaction.download')}
                </Anchor>
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Redaction of one evidence item (docs/REDACTION.md): regions of a picture boxed or blurred;
 * ranges of a recording silenced or toned and its voice shifted; regions of a video over time
 * ranges and its sound; spans of a text, with the server's suggestions to accept or reject. The
 * redaction is made by a job, followed here to the file it makes: a `redacted` derivative with no
 * metadata, the original untouched.
 */
export function EvidenceRedactPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useEvidence(id);
  const request = useRequestRedaction(id);
  const [jobId, setJobId] = useState<string | null>(null);
  if (q.isPending) return <Loader aria-label={t('redaction.loading')} />;
  if (q.isError)
    return (
      <Stack>
        <Title order={1}>{t('redaction.title')}</Title>
        {q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 422) ? <Alert color="yellow">{t('redaction.notFound')}</Alert> : <ErrorNotice error={q.error} />}
      </Stack>
    );
  const item = q.data;
  const name = item.acquisitions.find((a) => a.filename)?.filename;
  const kind = redactionKind(item);
  const submit: Submit = (spec) => {
    setJobId(null);
    request.mutate(spec, { onSuccess: (r) => setJobId(r.jobId) });
  };
  const props = { item, submit, pending: request.isPending };
  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Title order={1}>{name ? t('redaction.titleNamed', { name }) : t('redaction.title')}</Title>
        <Anchor component={Link} to={`/evidence/${item.id}`} size="sm">
          {t('redaction.back')}
        </Anchor>
      </div>
      <Text>{t('redaction.intro')}</Text>
      {!item.permissions.redact ? (
        <Alert color="yellow">{t('redaction.notAllowed')}</Alert>
      ) : item.state === 'stored' || item.state === 'processing' ? (
        <Alert color="blue" variant="light">{t('redaction.pending')}</Alert>
      ) : !kind ? (
        <Alert color="yellow">{t('redaction.unsupported')}</Alert>
      ) : (
        <Block id="redact-title" title={kind === 'image' ? t('redaction.image.title') : kind === 'audio' ? t('redaction.audio.title') : kind === 'video' ? t('redaction.video.title') : t('redaction.text.title')}>
          <Stack gap="md">
            {kind === 'image' && <ImageEditor {...props} />}
            {kind === 'audio' && <AudioEditor {...props} />}
            {kind === 'video' && <VideoEditor {...props} />}
            {kind === 'text' && <TextEditor {...props} />}
            {request.isError && <ErrorNotice error={request.error} />}
            {jobId && <JobProgress jobId={jobId} itemId={item.id} />}
            <Text size="sm">{kind === 'text' ? t('redaction.text.limits') : t('redaction.limits')}</Text>
          </Stack>
        </Block>
      )}
      <Block id="earlier-title" title={t('redaction.earlier.title')}>
        <EarlierRedactions item={item} />
      </Block>
    </Stack>
  );
}
