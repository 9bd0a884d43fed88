import { axisStyle, type ChartContext, type ChartOption } from './chart-option.ts';

const HIGHLIGHT = '#f5b83d';

export interface RankingRow {
  code: string;
  name: string;
  value: number;
}

/**
 * Units ranked by a metric → horizontal bars, highest on top. `limit` keeps a long list
 * (a district's 20+ streets) readable; the data index maps back to `code` for drill-down.
 */
export function buildRankingOption(
  rows: readonly RankingRow[],
  ctx: ChartContext & { limit?: number; valueName: string; highlightCode?: string },
): ChartOption {
  const fontSize = Math.round(12 * (ctx.fontScale ?? 1));
  const limit = ctx.limit ?? 15;
  const sorted = [...rows].sort((a, b) => b.value - a.value);
  // The highlighted unit is always shown: in place of the last of the top N if it ranks lower.
  const highlighted = sorted.findIndex((r) => r.code === ctx.highlightCode);
  const top = (highlighted >= limit ? [...sorted.slice(0, limit - 1), sorted[highlighted]!] : sorted.slice(0, limit)).reverse();
  const highlightName = highlighted >= 0 ? sorted[highlighted]!.name : undefined;
  const accent = ctx.theme.name === 'dark' ? '#36c5f0' : '#1677ff';
  return {
    animationDuration: 300,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: '', ...axisStyle(ctx.theme, fontSize) },
    yAxis: {
      type: 'category',
      data: top.map((r) => r.name),
      ...axisStyle(ctx.theme, fontSize),
      // Its name stands out too (its bar may be empty: a quiet grid).
      axisLabel: {
        color: ctx.theme.text,
        fontSize,
        formatter: (name: string) => (name === highlightName ? `{highlight|${name}}` : name),
        rich: { highlight: { color: HIGHLIGHT, fontWeight: 'bold', fontSize } },
      },
    },
    series: [
      {
        type: 'bar',
        name: ctx.valueName,
        barMaxWidth: 18,
        data: top.map((r) => ({
          value: Math.round(r.value * 10) / 10,
          itemStyle: { color: r.code === ctx.highlightCode ? HIGHLIGHT : accent },
          code: r.code,
        })),
        label: { show: true, position: 'right', color: ctx.theme.textMuted, fontSize },
      },
    ],
  };
}
