import { Box, Button, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './charts.css';

export interface DataTable {
  columns: string[];
  rows: { key: string; cells: ReactNode[] }[];
}

/**
 * A chart as a figure: a heading, the chart, a caption saying what it counts, and its data as a
 * table, hidden from the eye until asked for (screen readers always have it), whose rows link to
 * the records behind each figure. Loading, empty and error states in place of the chart.
 */
export function ChartFigure({
  title,
  caption,
  table,
  loading,
  empty,
  error,
  controls,
  children,
  testId,
}: {
  title: string;
  caption: string;
  table: DataTable | null;
  loading: boolean;
  empty: boolean;
  error?: ReactNode;
  controls?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-title`} data-testid={testId}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        {controls}
      </Group>
      <figure className="chart-figure" aria-busy={loading}>
        {error ? (
          error
        ) : loading && !table ? (
          <Box h={120} style={{ display: 'grid', placeItems: 'center' }}>
            <Loader size="sm" aria-label={t('analysis.loading')} />
          </Box>
        ) : empty ? (
          <Text c="gray.7" py="lg" ta="center">
            {t('analysis.empty')}
          </Text>
        ) : (
          children
        )}
        <figcaption>
          <Text size="sm" c="gray.7" mt="xs">
            {caption}
          </Text>
        </figcaption>
      </figure>
      {table && !empty && !error && (
        <>
          <Button variant="default" size="xs" mt="xs" aria-expanded={shown} aria-controls={`${id}-table`} onClick={() => setShown((s) => !s)}>
            {shown ? t('analysis.hideTable') : t('analysis.showTable')}
          </Button>
          <div id={`${id}-table`} className={shown ? undefined : 'chart-visually-hidden'}>
            <Table striped withTableBorder mt="xs" aria-label={title}>
              <Table.Thead>
                <Table.Tr>
                  {table.columns.map((c) => (
                    <Table.Th key={c} scope="col">
                      {c}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.rows.map((r) => (
                  <Table.Tr key={r.key}>
                    {r.cells.map((c, i) => (
                      <Table.Td key={i}>{c}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        </>
      )}
    </Paper>
  );
}

/** The colours of the charts (Mantine's palette, contrast enough on white). */
export const CHART_COLORS: readonly string[] = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c940d', '#6741d9', '#868e96'];
/** The i-th chart colour (round the palette). */
export const chartColor = (i: number): string => CHART_COLORS[i % CHART_COLORS.length]!;
