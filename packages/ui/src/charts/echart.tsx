import { useEffect, useId, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartOption } from './chart-option.ts';
import { afterMapStart, forgetChart, markChartFinished } from '../readiness.ts';
import { DARK_THEME, LIGHT_THEME, type Theme } from '../theme.ts';

// Only what our option builders use, so the bundle stays small.
echarts.use([BarChart, GaugeChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

const FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
for (const theme of [DARK_THEME, LIGHT_THEME]) {
  echarts.registerTheme(theme.echartsTheme, {
    backgroundColor: 'transparent',
    textStyle: { fontFamily: FONT_FAMILY, color: theme.text },
    legend: { textStyle: { color: theme.text } },
  });
}

export interface EChartProps {
  option: ChartOption;
  theme: Theme;
  className?: string;
  ariaLabel?: string;
  /** Called with the clicked data item (e.g. `{ code }` from a ranking bar) and its series/data index. */
  onItemClick?: (data: unknown, name: string, at: { seriesIndex: number; dataIndex: number }) => void;
}

/** How long a chart's first drawing waits at most for the map's first frame. */
const MAP_START_WAIT_MS = 1500;

/** One ECharts instance bound to a container; resizes with it. */
export function EChart({ option, theme, className, ariaLabel, onItemClick }: EChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const chartId = useId();
  // 'finished' also fires for an empty chart; count a chart only once it has drawn an option.
  const hasOptionRef = useRef(false);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const chart = echarts.init(container, theme.echartsTheme, { renderer: 'svg' });
    chartRef.current = chart;
    chart.on('finished', () => {
      if (hasOptionRef.current) markChartFinished(chartId);
    });
    chart.on('click', (params) => clickRef.current?.(params.data, params.name, { seriesIndex: params.seriesIndex ?? 0, dataIndex: params.dataIndex }));
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      forgetChart(chartId);
      chart.dispose();
      chartRef.current = null;
      hasOptionRef.current = false;
    };
  }, [theme.echartsTheme, chartId]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    hasOptionRef.current = true;
    // Before the page's first meaningful paint, draw at once: an entry animation is ~20 more
    // page composites per chart, each costly with software WebGL, and 'finished' (the readiness
    // signal) waits for it. Later updates (drill-down, month change) animate as designed.
    const beforeFirstPaint = window.__cityops?.firstPaintMs == null;
    if (!beforeFirstPaint) {
      chart.setOption(option, { notMerge: true });
      return undefined;
    }
    // The first drawing waits for the map's first frame (readiness.ts, afterMapStart).
    return afterMapStart(() => chart.setOption({ ...option, animation: false }, { notMerge: true }), MAP_START_WAIT_MS);
  }, [option, theme.echartsTheme]);

  return <div ref={containerRef} className={`co-chart ${className ?? ''}`} role="img" aria-label={ariaLabel} data-testid="chart" />;
}
