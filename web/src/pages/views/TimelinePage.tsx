import { Alert, Anchor, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTimeline, type Precision, type TimelineItem } from '../../api/analysis';
import { ChartFigure, chartColor } from '../../components/charts/Chart';
import { EChart } from '../../components/charts/EChart';
import { usePeriodFormat } from '../../components/charts/dates';
import type { ChartOption } from '../../components/charts/echarts';
import { FilterBar, useUrlFilters, useVocabularyLabel } from '../../components/charts/FilterBar';
import { ErrorNotice } from '../../components/ErrorNotice';
import { spanOf } from './timeline-spans';

type Shown = 'all' | 'events' | 'acts';
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const recordPath = (type: 'event' | 'act' | 'unit' | 'person', id: string) => `/records/${type === 'person' ? 'persons' : `${type}s`}/${id}`;

/**
 * Events and acts by date, one row each, earliest first, zoomable in time (wheel, drag, the slider)
 * and through the rows. A date known only to the month or year is drawn as the whole month or year,
 * lighter and outlined, and said so in the table; a click on a bar opens the record.
 */
export function TimelinePage() {
  const { t } = useTranslation();
  const period = usePeriodFormat();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlFilters();
  const [params, setParams] = useSearchParams();
  const shown: Shown = params.get('show') === 'events' || params.get('show') === 'acts' ? (params.get('show') as Shown) : 'all';
  const q = useTimeline(filters, shown === 'all' ? undefined : shown);
  const actTypes = useVocabularyLabel('act-types');
  const items = useMemo(() => q.data?.items ?? [], [q.data]);

  const labelOf = (i: TimelineItem) => (i.type === 'act' ? actTypes.label(i.label ?? '') : (i.label ?? t('analysis.timeline.untitled')));
  const dateText = (day: string, p: Precision | null) => {
    if (p === 'month') return t('analysis.timeline.inMonth', { date: period(day, 'month') });
    if (p === 'year') return t('analysis.timeline.inYear', { date: period(day, 'year') });
    if (p === 'estimate') return t('analysis.timeline.about', { date: period(day, 'day') });
    return period(day, 'day');
  };
  const whenText = (i: TimelineItem) => (i.end ? t('analysis.timeline.range', { from: dateText(i.start, i.startPrecision), to: dateText(i.end, i.endPrecision) }) : dateText(i.start, i.startPrecision));

  const title = t('analysis.timeline.chartTitle');
  const option = useMemo<ChartOption>(() => {
    const rows = items.map((i) => ({ item: i, span: spanOf(i) }));
    const names = items.map((i) => `${i.type === 'event' ? '● ' : '  ◦ '}${labelOf(i)}`);
    const data = rows.map((r, idx) => ({
      value: [idx, ms(r.span.from), ms(r.span.to)],
      itemStyle: {
        color: r.item.type === 'event' ? chartColor(0) : chartColor(1),
        opacity: r.span.approximate ? 0.35 : 1,
      },
      approximate: r.span.approximate,
      name: names[idx],
      when: whenText(r.item),
    }));
    const visibleRows = 25;
    return {
      grid: { left: 8, right: 24, top: 16, bottom: 56, containLabel: true },
      tooltip: {
        formatter: (p: { data: { name: string; when: string } }) => `${escapeHtml(p.data.name.trim())}<br/>${escapeHtml(p.data.when)}`,
      },
      xAxis: { type: 'time', position: 'top', splitLine: { show: true } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: names,
        axisLabel: { width: 220, overflow: 'truncate' },
        axisTick: { show: false },
      },
      dataZoom: [
        { type: 'slider', xAxisIndex: 0, height: 18, bottom: 12, labelFormatter: (v: number) => (Number.isFinite(v) ? period(new Date(v).toISOString().slice(0, 10), 'day') : '') },
        { type: 'inside', xAxisIndex: 0 },
        ...(items.length > visibleRows ? [{ type: 'slider', yAxisIndex: 0, width: 14, right: 4, startValue: 0, endValue: visibleRows - 1, showDetail: false }, { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true }] : []),
      ],
      series: [
        {
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          cursor: 'pointer',
          renderItem: (_params: unknown, api: any) => {
            const row = api.value(0);
            const a = api.coord([api.value(1), row]);
            const b = api.coord([api.value(2), row]);
            const h = api.size([0, 1])[1] * 0.6;
            const style = api.style();
            const approximate = data[row]?.approximate;
            return {
              type: 'rect',
              shape: { x: a[0], y: a[1] - h / 2, width: Math.max(b[0] - a[0], 4), height: h },
              style: { ...style, stroke: approximate ? style.fill : undefined, lineDash: approximate ? [3, 2] : undefined, lineWidth: approximate ? 1.5 : 0 },
            };
          },
          data,
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, actTypes, period, t]);

  return (
    <Stack gap="md">
      <Title order={1}>{t('analysis.timeline.title')}</Title>
      <Text c="gray.7">{t('analysis.timeline.intro')}</Text>
      <FilterBar filters={filters} onChange={setFilters} error={q.error} />
      {q.data?.truncated && (
        <Alert color="yellow" variant="light">
          {t('analysis.timeline.truncated', { count: items.length })}
        </Alert>
      )}
      <ChartFigure
        testId="timeline"
        title={title}
        caption={t('analysis.timeline.caption', { count: items.length })}
        loading={q.isPending}
        empty={!!q.data && items.length === 0}
        error={q.error ? <ErrorNotice error={q.error} /> : undefined}
        controls={
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              aria-label={t('analysis.timeline.show')}
              value={shown}
              onChange={(v) =>
                setParams((p) => {
                  const n = new URLSearchParams(p);
                  if (v === 'all') n.delete('show');
                  else n.set('show', v);
                  return n;
                })
              }
              data={[
                { value: 'all', label: t('analysis.timeline.showAll') },
                { value: 'events', label: t('analysis.timeline.showEvents') },
                { value: 'acts', label: t('analysis.timeline.showActs') },
              ]}
            />
          </Group>
        }
        table={{
          columns: [t('analysis.timeline.when'), t('analysis.timeline.kind'), t('analysis.timeline.what')],
          rows: items.map((i) => ({
            key: `${i.type}:${i.id}`,
            cells: [
              whenText(i),
              i.type === 'event' ? t('analysis.timeline.event') : t('analysis.timeline.act'),
              <Anchor component={Link} to={recordPath(i.type, i.id)} key="l">
                {labelOf(i)}
              </Anchor>,
            ],
          })),
        }}
      >
        <Group gap="lg" mb="xs" aria-hidden>
          <Legend color={chartColor(0)} text={t('analysis.timeline.event')} />
          <Legend color={chartColor(1)} text={t('analysis.timeline.act')} />
          <Legend color={chartColor(0)} text={t('analysis.timeline.approximate')} approximate />
        </Group>
        <EChart
          option={option}
          height={Math.min(Math.max(items.length, 4), 25) * 28 + 90}
          label={title}
          onClick={(e) => {
            const i = items[e.dataIndex];
            if (i) void navigate(recordPath(i.type, i.id));
          }}
        />
      </ChartFigure>
    </Stack>
  );
}

function Legend({ color, text, approximate = false }: { color: string; text: string; approximate?: boolean }) {
  return (
    <Group gap={6}>
      <span style={{ display: 'inline-block', width: 18, height: 10, background: color, opacity: approximate ? 0.35 : 1, outline: approximate ? `1.5px dashed ${color}` : undefined }} />
      <Text size="sm">{text}</Text>
    </Group>
  );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
