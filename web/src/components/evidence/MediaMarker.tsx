import { useRef, useState, type PointerEvent } from 'react';
import { Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatSeconds, parseSeconds, regionInImage, type Span } from '../../api/evidence';

type Region = Extract<Span, { kind: 'region' }>;
type TimeSpan = Extract<Span, { kind: 'time' }>;

/**
 * A video or audio player with a time range to mark: start and end taken from the playback
 * position, both editable as text (1:15.5).
 */
export function TimeMarker(props: { kind: 'video' | 'audio'; src: string; poster?: string; label: string; canMark: boolean; span: TimeSpan | null; onSpan: (s: TimeSpan | null) => void }) {
  const { t } = useTranslation();
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [error, setError] = useState<string | undefined>();

  const apply = (fromS: string, toS: string) => {
    setFromText(fromS);
    setToText(toS);
    const a = parseSeconds(fromS);
    const b = parseSeconds(toS);
    if (fromS.trim() === '' && toS.trim() === '') {
      setError(undefined);
      return props.onSpan(null);
    }
    if (a === null || b === null) {
      setError(fromS.trim() && toS.trim() ? t('evidence.mark.badTime') : undefined);
      return props.onSpan(null);
    }
    if (b < a) {
      setError(t('evidence.mark.endBeforeStart'));
      return props.onSpan(null);
    }
    setError(undefined);
    props.onSpan({ kind: 'time', from: a, to: b });
  };
  const now = () => formatSeconds(media.current?.currentTime ?? 0);

  return (
    <Stack gap="xs">
      {props.kind === 'video' ? (
        <video ref={media} src={props.src} poster={props.poster} controls preload="metadata" aria-label={props.label} style={{ maxWidth: '100%', maxHeight: 480, background: '#000' }} data-testid="evidence-video" />
      ) : (
        <audio ref={media} src={props.src} controls preload="metadata" aria-label={props.label} data-testid="evidence-audio" />
      )}
      {props.canMark && (
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label={t('evidence.mark.start')} value={fromText} onChange={(e) => apply(e.currentTarget.value, toText)} w={130} error={error} />
          <Button variant="default" onClick={() => apply(now(), toText)}>
            {t('evidence.mark.startHere')}
          </Button>
          <TextInput label={t('evidence.mark.end')} value={toText} onChange={(e) => apply(fromText, e.currentTarget.value)} w={130} />
          <Button variant="default" onClick={() => apply(fromText, now())}>
            {t('evidence.mark.endHere')}
          </Button>
          {props.span && (
            <Button
              variant="subtle"
              onClick={() => {
                if (media.current) {
                  media.current.currentTime = props.span!.from;
                  void media.current.play().catch(() => {});
                }
              }}
            >
              {t('evidence.mark.play')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

/**
 * A picture with a rectangle to mark: drawn with the pointer, or typed as x, y, width and height in
 * pixels of the picture as stored.
 */
export function RegionMarker(props: {
  src: string;
  label: string;
  natural: { width: number; height: number } | null;
  canMark: boolean;
  span: Region | null;
  onSpan: (s: Region | null) => void;
  /** Rectangles already kept (in the same pixels), drawn numbered beside the one being marked. */
  others?: ReadonlyArray<{ x: number; y: number; width: number; height: number }>;
}) {
  const { t } = useTranslation();
  const img = useRef<HTMLImageElement>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x: number; y: number } | null>(null);
  const [loadedSize, setLoadedSize] = useState<{ width: number; height: number } | null>(null);
  const natural = props.natural ?? loadedSize;

  const shown = () => {
    const r = img.current!.getBoundingClientRect();
    return { width: r.width, height: r.height, left: r.left, top: r.top };
  };
  const at = (e: PointerEvent) => {
    const s = shown();
    return { x: Math.min(Math.max(e.clientX - s.left, 0), s.width), y: Math.min(Math.max(e.clientY - s.top, 0), s.height) };
  };
  const finish = () => {
    if (!drag || !natural) return setDrag(null);
    const s = shown();
    const d = { x: Math.min(drag.x0, drag.x), y: Math.min(drag.y0, drag.y), width: Math.abs(drag.x - drag.x0), height: Math.abs(drag.y - drag.y0) };
    setDrag(null);
    if (d.width < 3 || d.height < 3) return;
    props.onSpan({ kind: 'region', ...regionInImage(d, s, natural) });
  };
  // the marked region, back in the coordinates of the picture as shown (percentages: it follows resizing)
  const box = drag
    ? null
    : props.span && natural
      ? { left: `${(props.span.x / natural.width) * 100}%`, top: `${(props.span.y / natural.height) * 100}%`, width: `${(props.span.width / natural.width) * 100}%`, height: `${(props.span.height / natural.height) * 100}%` }
      : null;
  const set = (k: 'x' | 'y' | 'width' | 'height', v: number | string) => {
    const n = typeof v === 'number' ? v : Number(v);
    const base = props.span ?? { kind: 'region' as const, x: 0, y: 0, width: natural?.width ?? 1, height: natural?.height ?? 1 };
    if (!Number.isFinite(n)) return;
    const next = { ...base, [k]: n };
    props.onSpan(next.width > 0 && next.height > 0 ? next : null);
  };

  return (
    <Stack gap="xs">
      <div style={{ position: 'relative', display: 'inline-block', maxWidth: '100%', alignSelf: 'flex-start', touchAction: props.canMark ? 'none' : undefined, cursor: props.canMark ? 'crosshair' : undefined }}
        onPointerDown={(e) => {
          if (!props.canMark) return;
          e.preventDefault();
          (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
          const p = at(e);
          setDrag({ x0: p.x, y0: p.y, x: p.x, y: p.y });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, ...at(e) })}
        onPointerUp={finish}
        data-testid="region-canvas"
      >
        <img ref={img} src={props.src} alt={props.label} draggable={false} onLoad={(e) => setLoadedSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })} style={{ display: 'block', maxWidth: '100%', maxHeight: 520, userSelect: 'none' }} />
        {drag && (
          <div style={{ position: 'absolute', left: Math.min(drag.x0, drag.x), top: Math.min(drag.y0, drag.y), width: Math.abs(drag.x - drag.x0), height: Math.abs(drag.y - drag.y0), border: '2px dashed #e8590c', pointerEvents: 'none' }} />
        )}
        {natural &&
          props.others?.map((o, i) => (
            <div key={i} data-testid="kept-region" style={{ position: 'absolute', left: `${(o.x / natural.width) * 100}%`, top: `${(o.y / natural.height) * 100}%`, width: `${(o.width / natural.width) * 100}%`, height: `${(o.height / natural.height) * 100}%`, border: '2px solid #1864ab', background: 'rgba(24, 100, 171, 0.25)', pointerEvents: 'none' }}>
              <span style={{ background: '#1864ab', color: '#fff', fontSize: 12, padding: '0 4px' }}>{i + 1}</span>
            </div>
          ))}
        {box && <div data-testid="marked-region" style={{ position: 'absolute', ...box, border: '3px solid #e8590c', boxShadow: '0 0 0 1px #fff', pointerEvents: 'none' }} />}
      </div>
      {props.canMark && (
        <>
          <Text size="sm">{t('evidence.mark.regionHelp')}</Text>
          <Group gap="sm" wrap="wrap">
            <NumberInput label={t('evidence.mark.x')} value={props.span?.x ?? ''} onChange={(v) => set('x', v)} min={0} w={110} />
            <NumberInput label={t('evidence.mark.y')} value={props.span?.y ?? ''} onChange={(v) => set('y', v)} min={0} w={110} />
            <NumberInput label={t('evidence.mark.width')} value={props.span?.width ?? ''} onChange={(v) => set('width', v)} min={1} w={110} />
            <NumberInput label={t('evidence.mark.height')} value={props.span?.height ?? ''} onChange={(v) => set('height', v)} min={1} w={110} />
          </Group>
        </>
      )}
    </Stack>
  );
}
