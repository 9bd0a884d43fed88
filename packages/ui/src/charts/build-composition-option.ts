import type { KpiRow } from '../api/api-contract.ts';
import { sourceLabel } from '../i18n.tsx';
import type { ChartContext, ChartOption } from './chart-option.ts';

/** This month's volume by source → a donut. */
export function buildCompositionOption(rows: readonly KpiRow[], ctx: ChartContext): ChartOption {
  const fontSize = Math.round(12 * (ctx.fontScale ?? 1));
  return {
    animationDuration: 300,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, textStyle: { color: ctx.theme.text, fontSize } },
    series: [
      {
        type: 'pie',
        radius: ['42%', '72%'],
        center: ['50%', '46%'],
        // Inside the ring: outside labels get clipped in a narrow side panel.
        label: { position: 'inside', color: '#fff', fontSize, fontWeight: 'bold', formatter: '{d}%' },
        data: rows.map((r) => ({
          name: sourceLabel(r.source, ctx.lang),
          value: r.count,
          itemStyle: { color: ctx.theme.sourceColors[r.source] },
        })),
      },
    ],
  };
}
