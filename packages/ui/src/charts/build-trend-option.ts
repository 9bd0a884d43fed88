import { SOURCES, type Source } from '@cityops/domain/sources';
import type { MonthlyVolumeRow } from '../api/api-contract.ts';
import { sourceLabel } from '../i18n.tsx';
import { axisStyle, type ChartContext, type ChartOption } from './chart-option.ts';

/** Monthly volumes by source → one line per source over the months present (ascending). */
export function buildTrendOption(rows: readonly MonthlyVolumeRow[], ctx: ChartContext): ChartOption {
  const fontSize = Math.round(12 * (ctx.fontScale ?? 1));
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const countOf = new Map(rows.map((r) => [`${r.month}|${r.source}`, r.count]));
  const sources = SOURCES.filter((s) => rows.some((r) => r.source === s));
  return {
    animationDuration: 300,
    color: sources.map((s: Source) => ctx.theme.sourceColors[s]),
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: ctx.theme.text, fontSize } },
    grid: { left: 8, right: 16, top: 32 + fontSize, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: months.map((m) => m.slice(2).replace('-', '/')),
      ...axisStyle(ctx.theme, fontSize),
      splitLine: { show: false },
    },
    yAxis: { type: 'value', ...axisStyle(ctx.theme, fontSize) },
    series: sources.map((source) => ({
      type: 'line' as const,
      name: sourceLabel(source, ctx.lang),
      smooth: true,
      symbolSize: 5,
      areaStyle: { opacity: 0.12 },
      data: months.map((m) => countOf.get(`${m}|${source}`) ?? 0),
    })),
  };
}
