import { Alert, Anchor, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useNetwork, type NetworkKind, type NetworkNode } from '../../api/analysis';
import { ChartFigure, chartColor } from '../../components/charts/Chart';
import { EChart } from '../../components/charts/EChart';
import type { ChartOption } from '../../components/charts/echarts';
import { FilterBar, useRecordNames, useUrlFilters } from '../../components/charts/FilterBar';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useFormat } from '../../i18n/format';
import { recordPath } from './TimelinePage';

const TYPES = ['unit', 'event', 'person'] as const;

/**
 * Alleged perpetrators as a network: units ↔ the events their acts belong to, or persons ↔ the
 * units named in the same acts (persons by pseudonym only, as the server gives them). Edges are as
 * thick as the acts that tie the two; a node opens its record. The table lists every tie.
 */
export function NetworkPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlFilters();
  const [params, setParams] = useSearchParams();
  const kind: NetworkKind = params.get('kind') === 'person-unit' ? 'person-unit' : 'unit-event';
  const q = useNetwork(filters, kind);
  const names = useRecordNames();
  const data = q.data;

  const typeLabel = (type: NetworkNode['type']) => (type === 'unit' ? t('analysis.network.unit') : type === 'event' ? t('analysis.network.event') : t('analysis.network.person'));
  const nodeName = (n: NetworkNode) => (n.type === 'unit' ? names.name(n.id, n.label) : (n.label ?? t('analysis.network.unnamed')));
  const byId = useMemo(() => new Map((data?.nodes ?? []).map((n) => [n.id, n])), [data]);

  const title = t('analysis.network.chartTitle');
  const option = useMemo<ChartOption>(() => {
    if (!data) return {};
    const strength = new Map<string, number>();
    for (const e of data.edges) {
      strength.set(e.source, (strength.get(e.source) ?? 0) + e.weight);
      strength.set(e.target, (strength.get(e.target) ?? 0) + e.weight);
    }
    const max = Math.max(1, ...strength.values());
    const maxWeight = Math.max(1, ...data.edges.map((e) => e.weight));
    const many = data.nodes.length > 80;
    return {
      color: [chartColor(3), chartColor(0), chartColor(1)],
      tooltip: { formatter: (p: { dataType: string; data: { name?: string; weight?: number; source?: string; target?: string } }) => (p.dataType === 'edge' ? escapeHtml(t('analysis.network.edgeTip', { count: p.data.weight ?? 0 })) : escapeHtml(p.data.name ?? '')) },
      legend: { data: TYPES.filter((type) => data.nodes.some((n) => n.type === type)).map(typeLabel), top: 0 },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          top: 32,
          categories: TYPES.map((type) => ({ name: typeLabel(type) })),
          force: { repulsion: many ? 60 : 220, edgeLength: many ? [20, 80] : [60, 160], gravity: 0.08 },
          label: { show: !many, position: 'right', formatter: (p: { name: string }) => (p.name.length > 28 ? `${p.name.slice(0, 27)}…` : p.name) },
          labelLayout: { hideOverlap: true },
          emphasis: { focus: 'adjacency' },
          cursor: 'pointer',
          lineStyle: { color: 'source', opacity: 0.5, curveness: 0.1 },
          data: data.nodes.map((n) => ({
            id: n.id,
            name: nodeName(n),
            category: TYPES.indexOf(n.type),
            symbolSize: 8 + 22 * Math.sqrt((strength.get(n.id) ?? 0) / max),
          })),
          links: data.edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight, lineStyle: { width: 1 + 4 * (e.weight / maxWeight) } })),
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, names, t]);

  const link = (id: string) => {
    const n = byId.get(id);
    return n ? (
      <Anchor component={Link} to={recordPath(n.type, n.id)} key={id}>
        {nodeName(n)}
      </Anchor>
    ) : (
      id
    );
  };

  return (
    <Stack gap="md">
      <Title order={1}>{t('analysis.network.title')}</Title>
      <Text c="gray.7">{t('analysis.network.intro')}</Text>
      <FilterBar filters={filters} onChange={setFilters} error={q.error} />
      {data?.truncated && (
        <Alert color="yellow" variant="light">
          {t('analysis.network.truncated')}
        </Alert>
      )}
      <ChartFigure
        testId="network"
        title={title}
        caption={t('analysis.network.caption', { count: data?.edges.length ?? 0, nodes: f.number(data?.nodes.length ?? 0) })}
        loading={q.isPending}
        empty={!!data && data.nodes.length === 0}
        error={q.error ? <ErrorNotice error={q.error} /> : undefined}
        controls={
          <SegmentedControl
            size="xs"
            aria-label={t('analysis.network.kind')}
            value={kind}
            onChange={(v) =>
              setParams((p) => {
                const n = new URLSearchParams(p);
                if (v === 'unit-event') n.delete('kind');
                else n.set('kind', v);
                return n;
              })
            }
            data={[
              { value: 'unit-event', label: t('analysis.network.unitEvent') },
              { value: 'person-unit', label: t('analysis.network.personUnit') },
            ]}
          />
        }
        table={
          data
            ? {
                columns: kind === 'unit-event' ? [t('analysis.network.unit'), t('analysis.network.event'), t('analysis.network.acts')] : [t('analysis.network.person'), t('analysis.network.unit'), t('analysis.network.acts')],
                rows: data.edges.map((e) => ({ key: `${e.source}:${e.target}`, cells: [link(e.source), link(e.target), f.number(e.weight)] })),
              }
            : null
        }
      >
        <EChart
          option={option}
          height={560}
          label={title}
          onClick={(e) => {
            if (e.dataType !== 'node') return;
            const n = data?.nodes[e.dataIndex];
            if (n) void navigate(recordPath(n.type, n.id));
          }}
        />
      </ChartFigure>
    </Stack>
  );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
