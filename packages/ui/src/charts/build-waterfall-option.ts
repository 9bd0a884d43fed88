import { axisStyle, type ChartContext, type ChartOption } from './chart-option.ts';

export interface WaterfallStep {
  /** Stable key (pillar, item or indicator id), carried on the bar for clicks. */
  key: string;
  label: string;
  value: number;
}

export const WATERFALL_UP = '#389e0d';
export const WATERFALL_DOWN = '#cf1322';

/**
 * A waterfall from `start` to `end`: one floating bar per contribution (green up, red down), so
 * the parts visibly add up to the change. Done the usual ECharts way: a transparent stacked
 * base bar under each step. `end` is drawn from the data (not start + Σ steps), so a rounding
 * residual would show, not hide.
 */
export function buildWaterfallOption(
  start: { label: string; value: number },
  steps: readonly WaterfallStep[],
  end: { label: string; value: number },
  ctx: ChartContext & { digits?: number },
): ChartOption {
  const fontSize = Math.round(12 * (ctx.fontScale ?? 1));
  const digits = ctx.digits ?? 2;
  const round = (v: number) => Number(v.toFixed(digits));
  const neutral = ctx.theme.name === 'dark' ? '#36c5f0' : '#1677ff';
  const base: (number | string)[] = [];
  const bars: { value: number; itemStyle: { color: string }; key: string; delta?: number }[] = [];
  base.push(0);
  bars.push({ value: round(start.value), itemStyle: { color: neutral }, key: '__start' });
  let level = start.value;
  for (const step of steps) {
    const next = level + step.value;
    base.push(round(Math.min(level, next)));
    bars.push({ value: round(Math.abs(step.value)), itemStyle: { color: step.value >= 0 ? WATERFALL_UP : WATERFALL_DOWN }, key: step.key, delta: round(step.value) });
    level = next;
  }
  base.push(0);
  bars.push({ value: round(end.value), itemStyle: { color: neutral }, key: '__end' });
  const labels = [start.label, ...steps.map((s) => s.label), end.label];
  // Zoom the value axis to the range the bars move in, else a 0.5-point change is invisible on 0–100.
  const levels = [start.value, end.value, ...steps.reduce<number[]>((acc, s) => [...acc, (acc.at(-1) ?? start.value) + s.value], [])];
  const low = Math.min(...levels);
  const high = Math.max(...levels);
  const pad = Math.max((high - low) * 0.25, 0.5);
  const axisMin = Math.max(0, Math.floor(low - pad));
  return {
    animationDuration: 300,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = params as { dataIndex: number; seriesIndex: number }[];
        const index = list[0]?.dataIndex ?? 0;
        const bar = bars[index]!;
        const text = bar.delta === undefined ? bar.value.toFixed(digits) : `${bar.delta > 0 ? '+' : ''}${bar.delta.toFixed(digits)}`;
        return `${labels[index]}：${text}`;
      },
    },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: labels,
      ...axisStyle(ctx.theme, fontSize),
      axisLabel: { color: ctx.theme.text, fontSize, interval: 0, rotate: labels.length > 4 ? 35 : 0 },
    },
    yAxis: { type: 'value', min: axisMin, scale: true, ...axisStyle(ctx.theme, fontSize) },
    series: [
      {
        type: 'bar',
        stack: 'waterfall',
        silent: true,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        // The base starts at the axis minimum, not at 0, once the axis is zoomed.
        data: base.map((v, i) => (i === 0 || i === base.length - 1 ? axisMin : v)),
      },
      {
        type: 'bar',
        stack: 'waterfall',
        barMaxWidth: 28,
        data: bars.map((b, i) => (i === 0 || i === bars.length - 1 ? { ...b, value: round(b.value - axisMin) } : b)),
        label: {
          show: true,
          position: 'top',
          color: ctx.theme.textMuted,
          fontSize,
          formatter: (p: unknown) => {
            const { dataIndex } = p as { dataIndex: number };
            const bar = bars[dataIndex]!;
            return bar.delta === undefined ? bar.value.toFixed(1) : `${bar.delta > 0 ? '+' : ''}${bar.delta.toFixed(digits)}`;
          },
        },
      },
    ],
  };
}
