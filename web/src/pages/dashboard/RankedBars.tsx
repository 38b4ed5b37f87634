import { Anchor } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ChartFigure, chartColor } from '../../components/charts/Chart';
import { EChart } from '../../components/charts/EChart';
import type { ChartOption } from '../../components/charts/echarts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';

export interface Ranked {
  key: string;
  label: string;
  count: number;
  /** The search page's URL for the records behind the bar. */
  href: string;
}

/** Counts per category as horizontal bars, most first; a bar (or its table row) leads to its records. */
export function RankedBars({
  title,
  caption,
  column,
  items,
  loading,
  error,
  color = 0,
  testId,
}: {
  title: string;
  caption: string;
  column: string;
  items: Ranked[] | undefined;
  loading: boolean;
  error: unknown;
  color?: number;
  testId: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const shown = useMemo(() => (items ?? []).slice(0, 15), [items]);
  const option = useMemo<ChartOption>(
    () => ({
      color: [chartColor(color)],
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => f.number(Number(v)) },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => f.number(v) } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: shown.map((i) => i.label),
        axisLabel: { width: 180, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: column,
          data: shown.map((i) => i.count),
          cursor: 'pointer',
          label: { show: true, position: 'right', formatter: (p: { value: number }) => f.number(p.value) },
        },
      ],
    }),
    [shown, column, color, f],
  );
  return (
    <ChartFigure
      testId={testId}
      title={title}
      caption={caption + ((items?.length ?? 0) > shown.length ? ` ${t('analysis.dashboard.topOnly', { count: shown.length })}` : '')}
      loading={loading}
      empty={!!items && items.length === 0}
      error={error ? <ErrorNotice error={error} /> : undefined}
      table={
        items
          ? {
              columns: [column, t('analysis.dashboard.count')],
              rows: items.map((i) => ({
                key: i.key,
                cells: [
                  <Anchor component={Link} to={i.href} key="l">
                    {i.label}
                  </Anchor>,
                  f.number(i.count),
                ],
              })),
            }
          : null
      }
    >
      <EChart option={option} height={Math.max(160, shown.length * 30 + 40)} label={title} onClick={(e) => shown[e.dataIndex] && void navigate(shown[e.dataIndex]!.href)} />
    </ChartFigure>
  );
}
