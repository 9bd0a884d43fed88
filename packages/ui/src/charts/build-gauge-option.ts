import { BANDS, BAND_DEFINITIONS } from '@cityops/domain/index-method/aggregate';
import type { ChartContext, ChartOption } from './chart-option.ts';

/**
 * The 0–100 social condition index as a gauge: the dial is coloured by the method's score
 * bands (警示 red … 优 green, BAND_DEFINITIONS), the value is printed with one decimal and the
 * caption names the band and the month-on-month change.
 */
export function buildIndexGaugeOption(score: number | null, caption: string, ctx: ChartContext): ChartOption {
  const scale = ctx.fontScale ?? 1;
  // ECharts wants [upper end as a fraction of the dial, colour], in increasing order.
  const ascending = [...BANDS].reverse();
  const stops = ascending.map((band, i): [number, string] => [i + 1 < ascending.length ? BAND_DEFINITIONS[ascending[i + 1]!].min / 100 : 1, BAND_DEFINITIONS[band].color]);
  return {
    animation: false,
    series: [
      {
        type: 'gauge',
        min: 0,
        max: 100,
        startAngle: 210,
        endAngle: -30,
        radius: '92%',
        center: ['50%', '56%'],
        splitNumber: 5,
        axisLine: { lineStyle: { width: Math.round(10 * scale), color: stops } },
        axisTick: { show: false },
        splitLine: { distance: Math.round(-10 * scale), length: Math.round(10 * scale), lineStyle: { color: ctx.theme.mapBackground, width: 2 } },
        axisLabel: { distance: Math.round(14 * scale), color: ctx.theme.textMuted, fontSize: Math.round(10 * scale) },
        pointer: { length: '58%', width: Math.round(5 * scale), itemStyle: { color: ctx.theme.text } },
        anchor: { show: true, size: Math.round(8 * scale), itemStyle: { color: ctx.theme.text } },
        title: { offsetCenter: [0, '80%'], color: ctx.theme.textMuted, fontSize: Math.round(12 * scale) },
        detail: {
          offsetCenter: [0, '46%'],
          color: ctx.theme.text,
          fontSize: Math.round(24 * scale),
          fontWeight: 'bold',
          formatter: (value: number) => (score === null ? '—' : value.toFixed(1)),
        },
        data: [{ value: score ?? 0, name: caption }],
      },
    ],
  };
}
