import { useEffect, useRef } from 'react';
import { echarts, type ChartOption, type ECElementEvent } from './echarts';

/** One ECharts instance in a div, resized with its box, clicks passed on. */
export function EChart({ option, height = 300, onClick, label }: { option: ChartOption; height?: number; onClick?: (e: ECElementEvent) => void; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    const c = echarts.init(ref.current!, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (e) => click.current?.(e as ECElementEvent));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  // the canvas says nothing to a screen reader: the figure's caption and data table do
  return <div ref={ref} className="chart-canvas" style={{ height }} role="img" aria-label={label} data-testid="chart-canvas" />;
}
