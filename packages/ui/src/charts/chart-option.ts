import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, GaugeSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { Lang } from '../i18n.tsx';
import type { Theme } from '../theme.ts';

/** The option type of every chart we build: only the series and components we register. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | GaugeSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

/** What every option builder needs besides its rows. */
export interface ChartContext {
  lang: Lang;
  theme: Theme;
  /** Big-screen charts use larger type. */
  fontScale?: number;
}

export function axisStyle(theme: Theme, fontSize: number) {
  return {
    axisLine: { lineStyle: { color: theme.gridLine } },
    axisLabel: { color: theme.textMuted, fontSize },
    splitLine: { lineStyle: { color: theme.gridLine } },
  };
}
