import * as echarts from 'echarts/core';
import { BarChart, CustomChart, GraphChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

/**
 * ECharts with only what the dashboard and the views draw (bar, line, custom spans, graph; grid,
 * tooltip, legend, zoom, capacity lines), drawn as SVG (crisp, and its shapes are elements a test can
 * click), so the lazily loaded chunk stays small. Never part of
 * the first load: only the pages that draw charts import it.
 */
echarts.use([BarChart, LineChart, CustomChart, GraphChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, SVGRenderer]);

export { echarts };
export type { EChartsCoreOption as ChartOption, ECElementEvent } from 'echarts/core';
