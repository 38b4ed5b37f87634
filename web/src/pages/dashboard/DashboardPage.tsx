import { Anchor, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  useActsByFacility,
  useActsByMethod,
  useActsByType,
  useActsByUnit,
  useDetentionsOverTime,
  useOccupancy,
  type AnalysisFilters,
  type Interval,
  type Occupancy,
} from '../../api/analysis';
import { ChartFigure, chartColor } from '../../components/charts/Chart';
import { EChart } from '../../components/charts/EChart';
import { usePeriodFormat } from '../../components/charts/dates';
import type { ChartOption } from '../../components/charts/echarts';
import { FilterBar, useRecordNames, useUrlFilters, useVocabularyLabel } from '../../components/charts/FilterBar';
import { searchHref, withinPeriod } from '../../components/charts/filters';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { RankedBars } from './RankedBars';

const INTERVALS: Interval[] = ['day', 'week', 'month'];
const isInterval = (x: string | null): x is Interval => !!x && (INTERVALS as string[]).includes(x);

/**
 * The dashboard: detentions over time, acts by type, method, facility and unit, and custody-stay
 * occupancy against capacity, all under one filter bar (kept in the URL). Every bar and every row
 * of a chart's data table leads to the search page with the same filters, narrowed to it.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [filters, setFilters] = useUrlFilters();
  const names = useRecordNames();
  const actTypes = useVocabularyLabel('act-types');
  const methods = useVocabularyLabel('methods');
  const byType = useActsByType(filters);
  const byMethod = useActsByMethod(filters);
  const byFacility = useActsByFacility(filters);
  const byUnit = useActsByUnit(filters);

  return (
    <Stack gap="md">
      <Title order={1}>{t('analysis.dashboard.title')}</Title>
      <Text c="gray.7">{t('analysis.dashboard.intro')}</Text>
      <FilterBar filters={filters} onChange={setFilters} error={byType.error} />
      <DetentionsOverTime filters={filters} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <RankedBars
          testId="acts-by-type"
          title={t('analysis.dashboard.byType.title')}
          caption={t('analysis.dashboard.byType.caption', { count: byType.data?.total ?? 0 })}
          column={t('analysis.dashboard.byType.column')}
          loading={byType.isPending}
          error={byType.error}
          items={byType.data?.items.map((i) => ({ key: i.code, label: actTypes.label(i.code), count: i.count, href: searchHref(filters, { type: 'acts', actType: [i.code] }) }))}
        />
        <RankedBars
          testId="acts-by-method"
          color={1}
          title={t('analysis.dashboard.byMethod.title')}
          caption={t('analysis.dashboard.byMethod.caption', { count: byMethod.data?.total ?? 0, without: f.number(byMethod.data?.withoutMethod ?? 0) })}
          column={t('analysis.dashboard.byMethod.column')}
          loading={byMethod.isPending}
          error={byMethod.error}
          items={byMethod.data?.items.map((i) => ({ key: i.code, label: methods.label(i.code), count: i.count, href: searchHref(filters, { type: 'acts', method: [i.code] }) }))}
        />
        <RankedBars
          testId="acts-by-facility"
          color={2}
          title={t('analysis.dashboard.byFacility.title')}
          caption={t('analysis.dashboard.byFacility.caption', { count: byFacility.data?.total ?? 0 })}
          column={t('analysis.dashboard.byFacility.column')}
          loading={byFacility.isPending}
          error={byFacility.error}
          items={byFacility.data?.items.map((i) => ({ key: i.id, label: names.name(i.id, i.label), count: i.count, href: searchHref(filters, { type: 'acts', facility: [i.id] }) }))}
        />
        <RankedBars
          testId="acts-by-unit"
          color={3}
          title={t('analysis.dashboard.byUnit.title')}
          caption={t('analysis.dashboard.byUnit.caption', { count: byUnit.data?.total ?? 0 })}
          column={t('analysis.dashboard.byUnit.column')}
          loading={byUnit.isPending}
          error={byUnit.error}
          items={byUnit.data?.items.map((i) => ({ key: i.id, label: names.name(i.id, i.label), count: i.count, href: searchHref(filters, { type: 'acts', unit: [i.id] }) }))}
        />
      </SimpleGrid>
      <OccupancyChart filters={filters} />
    </Stack>
  );
}

function DetentionsOverTime({ filters }: { filters: AnalysisFilters }) {
  const { t } = useTranslation();
  const f = useFormat();
  const period = usePeriodFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const interval: Interval = isInterval(params.get('interval')) ? (params.get('interval') as Interval) : 'month';
  const q = useDetentionsOverTime(filters, interval);
  const label = (start: string) =>
    interval === 'month' ? period(start, 'month') : interval === 'week' ? t('analysis.dashboard.overTime.weekOf', { date: period(start, 'day') }) : period(start, 'day');
  const buckets = useMemo(() => q.data?.buckets ?? [], [q.data]);
  const hrefOf = (start: string) => searchHref(withinPeriod(filters, start, interval), { type: 'detentions' });
  const title = t('analysis.dashboard.overTime.title');
  const option = useMemo<ChartOption>(
    () => ({
      color: [chartColor(0)],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => f.number(Number(v)) },
      xAxis: { type: 'category', data: buckets.map((b) => label(b.start)) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => f.number(v) } },
      dataZoom: buckets.length > 40 ? [{ type: 'inside' }] : [],
      series: [{ type: 'bar', name: t('analysis.dashboard.overTime.column'), data: buckets.map((b) => b.count), cursor: 'pointer', barMaxWidth: 48 }],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [buckets, interval, f, t],
  );
  const total = buckets.reduce((s, b) => s + b.count, 0);
  return (
    <ChartFigure
      testId="detentions-over-time"
      title={title}
      caption={t('analysis.dashboard.overTime.caption', { count: total, undated: f.number(q.data?.undated ?? 0) })}
      loading={q.isPending}
      empty={!!q.data && buckets.length === 0}
      error={q.error ? <ErrorNotice error={q.error} /> : undefined}
      controls={
        <SegmentedControl
          size="xs"
          aria-label={t('analysis.dashboard.overTime.interval')}
          value={interval}
          onChange={(v) =>
            setParams((p) => {
              const n = new URLSearchParams(p);
              n.set('interval', v);
              return n;
            })
          }
          data={[
            { value: 'day', label: t('analysis.dashboard.overTime.day') },
            { value: 'week', label: t('analysis.dashboard.overTime.week') },
            { value: 'month', label: t('analysis.dashboard.overTime.month') },
          ]}
        />
      }
      table={
        q.data
          ? {
              columns: [t('analysis.dashboard.overTime.period'), t('analysis.dashboard.overTime.column')],
              rows: buckets.map((b) => ({
                key: b.start,
                cells: [
                  <Anchor component={Link} to={hrefOf(b.start)} key="l">
                    {label(b.start)}
                  </Anchor>,
                  f.number(b.count),
                ],
              })),
            }
          : null
      }
    >
      <EChart option={option} height={280} label={title} onClick={(e) => buckets[e.dataIndex] && void navigate(hrefOf(buckets[e.dataIndex]!.start))} />
    </ChartFigure>
  );
}

function OccupancyChart({ filters }: { filters: AnalysisFilters }) {
  const { t } = useTranslation();
  const f = useFormat();
  const period = usePeriodFormat();
  const navigate = useNavigate();
  const names = useRecordNames();
  const q = useOccupancy(filters);
  const [chosen, setChosen] = useState<string | null>(null);
  const facilities = q.data?.facilities ?? [];
  const facility = facilities.find((x) => x.id === chosen) ?? facilities[0];
  const g = q.data?.granularity ?? 'day';
  const label = (start: string) => (g === 'week' ? t('analysis.dashboard.overTime.weekOf', { date: period(start, 'day') }) : period(start, g === 'day' ? 'day' : g));
  const title = t('analysis.dashboard.occupancy.title');
  const hrefOf = (fac: Occupancy['facilities'][number], start?: string) =>
    searchHref(start ? withinPeriod(filters, start, g) : filters, { type: 'custody-stays', facility: [fac.id] });
  const option = useMemo<ChartOption>(() => {
    if (!facility) return {};
    const capacity = facility.capacity;
    return {
      color: [chartColor(4), '#c92a2a'],
      grid: { left: 8, right: 24, top: 24, bottom: facility.points.length > 60 ? 48 : 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => f.number(Number(v)) },
      xAxis: { type: 'category', data: facility.points.map((p) => label(p.start)) },
      yAxis: { type: 'value', minInterval: 1, max: capacity !== null ? (v: { max: number }) => Math.max(v.max, capacity) : undefined, axisLabel: { formatter: (v: number) => f.number(v) } },
      dataZoom: facility.points.length > 60 ? [{ type: 'inside' }, { type: 'slider', height: 16 }] : [],
      series: [
        {
          type: 'line',
          name: t('analysis.dashboard.occupancy.held'),
          data: facility.points.map((p) => p.count),
          step: 'start',
          areaStyle: { opacity: 0.25 },
          cursor: 'pointer',
          markLine:
            capacity !== null
              ? {
                  symbol: 'none',
                  lineStyle: { color: '#c92a2a', type: 'dashed', width: 2 },
                  label: { formatter: t('analysis.dashboard.occupancy.capacityLine', { capacity: f.number(capacity) }), position: 'insideEndTop' },
                  data: [{ yAxis: capacity }],
                }
              : undefined,
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [facility, g, f, t]);
  const name = facility ? names.name(facility.id, facility.label) : '';
  return (
    <ChartFigure
      testId="occupancy"
      title={title}
      caption={
        facility
          ? [
              t('analysis.dashboard.occupancy.caption', { name, count: facility.stays, peak: f.number(facility.peak) }),
              facility.capacity !== null ? t('analysis.dashboard.occupancy.capacity', { capacity: f.number(facility.capacity) }) : t('analysis.dashboard.occupancy.noCapacity'),
              q.data?.undated ? t('analysis.dashboard.occupancy.undated', { count: q.data.undated }) : '',
            ].join(' ')
          : t('analysis.dashboard.occupancy.none')
      }
      loading={q.isPending}
      empty={!!q.data && facilities.length === 0}
      error={q.error ? <ErrorNotice error={q.error} /> : undefined}
      controls={
        facilities.length > 0 && (
          <Group gap="xs">
            <Select
              size="xs"
              w={280}
              label={t('analysis.dashboard.occupancy.facility')}
              allowDeselect={false}
              data={facilities.map((x) => ({ value: x.id, label: names.name(x.id, x.label) }))}
              value={facility?.id ?? null}
              onChange={setChosen}
            />
            {facility && (
              <Anchor component={Link} to={hrefOf(facility)} size="sm" mt="lg">
                {t('analysis.dashboard.occupancy.records')}
              </Anchor>
            )}
          </Group>
        )
      }
      table={
        facility
          ? {
              columns: [t('analysis.dashboard.overTime.period'), t('analysis.dashboard.occupancy.held'), t('analysis.dashboard.occupancy.capacityColumn')],
              rows: facility.points.map((p) => ({
                key: p.start,
                cells: [
                  <Anchor component={Link} to={hrefOf(facility, p.start)} key="l">
                    {label(p.start)}
                  </Anchor>,
                  f.number(p.count),
                  facility.capacity === null ? '—' : f.number(facility.capacity),
                ],
              })),
            }
          : null
      }
    >
      {facility && <EChart option={option} height={300} label={title} onClick={(e) => facility.points[e.dataIndex] && void navigate(hrefOf(facility, facility.points[e.dataIndex]!.start))} />}
    </ChartFigure>
  );
}
