import { Alert, Anchor, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useGeo, type GeoPoint } from '../../api/analysis';
import { ChartFigure } from '../../components/charts/Chart';
import { FilterBar, useRecordNames, useUrlFilters } from '../../components/charts/FilterBar';
import { searchHref } from '../../components/charts/filters';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LeafletMap, type MapLabels } from '../../components/map/LeafletMap';
import { byRegion, type Region } from '../../components/map/regions';
import { useFormat } from '../../i18n/format';

const COUNTED = ['all', 'events', 'acts', 'detentions', 'custody-stays'] as const;
type Counted = (typeof COUNTED)[number];

/**
 * Places and facilities with counts on the bundled basemap: per region (the six voblasts and
 * Minsk city, at their centres) from afar, per place closer in. A point leads to its records on
 * the search page; the table below says the same for the keyboard and screen readers.
 */
export function MapPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlFilters();
  const [params, setParams] = useSearchParams();
  const counted: Counted = (COUNTED as readonly string[]).includes(params.get('count') ?? '') ? (params.get('count') as Counted) : 'all';
  const q = useGeo(filters, counted === 'all' ? undefined : counted);
  const names = useRecordNames();
  const [zoom, setZoom] = useState<{ level: 'regions' | 'places'; seq: number }>({ level: 'regions', seq: 0 });
  const [level, setLevel] = useState<'regions' | 'places'>('regions');
  const points = useMemo(() => q.data?.points ?? [], [q.data]);

  const regionName = (r: Region): string => {
    switch (r.id) {
      case 'minsk-city':
        return t('analysis.map.regions.minskCity');
      case 'minsk':
        return t('analysis.map.regions.minsk');
      case 'brest':
        return t('analysis.map.regions.brest');
      case 'hrodna':
        return t('analysis.map.regions.hrodna');
      case 'homiel':
        return t('analysis.map.regions.homiel');
      case 'mahilyou':
        return t('analysis.map.regions.mahilyou');
      case 'viciebsk':
        return t('analysis.map.regions.viciebsk');
    }
  };
  const pointName = (p: GeoPoint) => names.name(p.id, p.label);
  const hrefOf = (p: GeoPoint) => {
    const type = counted === 'all' ? undefined : counted;
    return p.type === 'facility' ? searchHref(filters, { type, facility: [p.id] }) : searchHref(filters, { type, place: [p.id] });
  };
  const labels = useMemo<MapLabels>(
    () => ({
      regionName,
      pointName,
      counted: (name, count) => t('analysis.map.counted', { name, count }),
      attribution: t('analysis.map.attribution'),
      zoomIn: t('analysis.map.zoomIn'),
      zoomOut: t('analysis.map.zoomOut'),
      region: t('analysis.map.region'),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, names],
  );
  const regions = useMemo(() => byRegion(points).regions, [points]);
  const title = t('analysis.map.chartTitle');

  return (
    <Stack gap="md">
      <Title order={1}>{t('analysis.map.title')}</Title>
      <Text c="gray.7">{t('analysis.map.intro')}</Text>
      <FilterBar filters={filters} onChange={setFilters} error={q.error} />
      <ChartFigure
        testId="geo"
        title={title}
        caption={t('analysis.map.caption', { count: points.length })}
        loading={q.isPending}
        empty={false}
        error={q.error ? <ErrorNotice error={q.error} /> : undefined}
        controls={
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              aria-label={t('analysis.map.counting')}
              value={counted}
              onChange={(v) =>
                setParams((p) => {
                  const n = new URLSearchParams(p);
                  if (v === 'all') n.delete('count');
                  else n.set('count', v);
                  return n;
                })
              }
              data={[
                { value: 'all', label: t('analysis.map.countAll') },
                { value: 'events', label: t('analysis.map.countEvents') },
                { value: 'acts', label: t('analysis.map.countActs') },
                { value: 'detentions', label: t('analysis.map.countDetentions') },
                { value: 'custody-stays', label: t('analysis.map.countStays') },
              ]}
            />
            <SegmentedControl
              size="xs"
              aria-label={t('analysis.map.level')}
              value={level}
              onChange={(v) => setZoom((z) => ({ level: v as 'regions' | 'places', seq: z.seq + 1 }))}
              data={[
                { value: 'regions', label: t('analysis.map.levelRegions') },
                { value: 'places', label: t('analysis.map.levelPlaces') },
              ]}
            />
          </Group>
        }
        table={{
          columns: [t('analysis.map.where'), t('analysis.map.kind'), t('analysis.map.region'), t('analysis.map.events'), t('analysis.map.acts'), t('analysis.map.detentions'), t('analysis.map.stays'), t('analysis.map.total')],
          rows: [
            ...regions.map((r) => ({
              key: `region:${r.region.id}`,
              cells: [regionName(r.region), t('analysis.map.kindRegion'), regionName(r.region), '', '', '', '', f.number(r.count)],
            })),
            ...points.map((p) => {
              const region = regions.find((r) => r.points.includes(p))?.region;
              return {
                key: `${p.type}:${p.id}`,
                cells: [
                  <Anchor component={Link} to={hrefOf(p)} key="l">
                    {pointName(p)}
                  </Anchor>,
                  p.type === 'facility' ? t('analysis.map.kindFacility') : t('analysis.map.kindPlace'),
                  region ? regionName(region) : t('analysis.map.outside'),
                  f.number(p.counts.events),
                  f.number(p.counts.acts),
                  f.number(p.counts.detentions),
                  f.number(p.counts.custodyStays),
                  f.number(p.count),
                ],
              };
            }),
          ],
        }}
      >
        {q.data && points.length === 0 && (
          <Alert variant="light" mb="xs">
            {t('analysis.map.noPoints')}
          </Alert>
        )}
        <LeafletMap
          points={points}
          labels={labels}
          zoom={zoom}
          onZoom={setLevel}
          onOpen={(p) => void navigate(hrefOf(p))}
          label={title}
        />
        <Group gap="lg" mt="xs" aria-hidden>
          <Dot color="#2b8a3e" text={t('analysis.map.legendRegion')} />
          <Dot color="#1c7ed6" text={t('analysis.map.kindPlace')} />
          <Dot color="#c2255c" text={t('analysis.map.kindFacility')} />
        </Group>
        <Text size="sm" c="gray.7" mt="xs">
          {t('analysis.map.regionsNote')}
        </Text>
      </ChartFigure>
    </Stack>
  );
}

function Dot({ color, text }: { color: string; text: string }) {
  return (
    <Group gap={6}>
      <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 6, background: color }} />
      <Text size="sm">{text}</Text>
    </Group>
  );
}
