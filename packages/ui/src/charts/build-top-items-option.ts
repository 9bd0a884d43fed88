import type { TopItemRow } from '../api/api-contract.ts';
import { itemLabel } from '../i18n.tsx';
import { axisStyle, type ChartContext, type ChartOption } from './chart-option.ts';

/** Top items of the month → horizontal bars labelled with their share. */
export function buildTopItemsOption(rows: readonly TopItemRow[], ctx: ChartContext): ChartOption {
  const fontSize = Math.round(12 * (ctx.fontScale ?? 1));
  const sorted = [...rows].sort((a, b) => b.count - a.count).reverse();
  return {
    animationDuration: 300,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', ...axisStyle(ctx.theme, fontSize) },
    yAxis: {
      type: 'category',
      data: sorted.map((r) => itemLabel(r.item, ctx.lang)),
      ...axisStyle(ctx.theme, fontSize),
      axisLabel: { color: ctx.theme.text, fontSize },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        itemStyle: { color: ctx.theme.name === 'dark' ? '#f5b83d' : '#fa8c16', borderRadius: [0, 3, 3, 0] },
        data: sorted.map((r) => r.count),
        label: {
          show: true,
          position: 'right',
          color: ctx.theme.textMuted,
          fontSize,
          formatter: (p: { dataIndex: number }) => `${((sorted[p.dataIndex]?.share ?? 0) * 100).toFixed(1)}%`,
        },
      },
    ],
  };
}
