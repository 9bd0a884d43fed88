import { describe, expect, it } from 'vitest';
import { buildTrendOption } from './build-trend-option.ts';
import { buildRankingOption } from './build-ranking-option.ts';
import { buildTopItemsOption } from './build-top-items-option.ts';
import { buildCompositionOption } from './build-composition-option.ts';
import { buildIndexGaugeOption } from './build-gauge-option.ts';
import { buildWaterfallOption, WATERFALL_DOWN, WATERFALL_UP } from './build-waterfall-option.ts';
import { DARK_THEME, LIGHT_THEME } from '../theme.ts';
import type { KpiRow, MonthlyVolumeRow } from '../api/api-contract.ts';

const zh = { lang: 'zh' as const, theme: DARK_THEME };

type Series = { name?: string; data: unknown[]; type: string };
const seriesOf = (option: { series?: unknown }) => option.series as Series[];

describe('buildTrendOption', () => {
  const rows: MonthlyVolumeRow[] = [
    { month: '2026-02', source: 'hotline', count: 20 },
    { month: '2026-01', source: 'hotline', count: 10 },
    { month: '2026-01', source: 'police', count: 5 },
  ];
  it('sorts months and fills missing source-months with 0', () => {
    const option = buildTrendOption(rows, zh);
    expect((option.xAxis as { data: string[] }).data).toEqual(['26/01', '26/02']);
    const series = seriesOf(option);
    expect(series.map((s) => s.name)).toEqual(['网络理政', '110警情']);
    expect(series[0]!.data).toEqual([10, 20]);
    expect(series[1]!.data).toEqual([5, 0]);
  });
  it('labels sources in English when asked', () => {
    const series = seriesOf(buildTrendOption(rows, { ...zh, lang: 'en' }));
    expect(series[0]!.name).toBe('12345 online governance');
  });
  it('produces an empty chart from no rows', () => {
    expect(seriesOf(buildTrendOption([], zh))).toEqual([]);
  });
});

describe('buildRankingOption', () => {
  it('keeps the top N with the highest value on top (last category)', () => {
    const rows = [
      { code: 'a', name: '甲', value: 1 },
      { code: 'b', name: '乙', value: 3 },
      { code: 'c', name: '丙', value: 2 },
    ];
    const option = buildRankingOption(rows, { ...zh, theme: LIGHT_THEME, limit: 2, valueName: '万人量' });
    expect((option.yAxis as { data: string[] }).data).toEqual(['丙', '乙']);
    const data = seriesOf(option)[0]!.data as { value: number; code: string }[];
    expect(data.map((d) => d.code)).toEqual(['c', 'b']);
  });
  it('always shows the highlighted unit, in the place of the last of the top N, its name marked', () => {
    const rows = ['a', 'b', 'c', 'd'].map((code, i) => ({ code, name: `单位${code}`, value: 10 - i }));
    const option = buildRankingOption(rows, { ...zh, limit: 2, valueName: '万人量', highlightCode: 'd' });
    const data = seriesOf(option)[0]!.data as { code: string; itemStyle: { color: string } }[];
    expect(data.map((d) => d.code)).toEqual(['d', 'a']);
    expect(data[0]!.itemStyle.color).not.toBe(data[1]!.itemStyle.color);
    const label = (option.yAxis as { axisLabel: { formatter: (name: string) => string } }).axisLabel.formatter;
    expect(label('单位d')).toBe('{highlight|单位d}');
    expect(label('单位a')).toBe('单位a');
    // Inside the top N it keeps its rank.
    const inside = buildRankingOption(rows, { ...zh, limit: 3, valueName: '万人量', highlightCode: 'b' });
    expect((seriesOf(inside)[0]!.data as { code: string }[]).map((d) => d.code)).toEqual(['c', 'b', 'a']);
  });
});

describe('buildTopItemsOption', () => {
  it('labels items in Chinese, largest on top', () => {
    const option = buildTopItemsOption(
      [
        { item: 'market', count: 30, share: 0.3 },
        { item: 'housing', count: 50, share: 0.5 },
      ],
      zh,
    );
    expect((option.yAxis as { data: string[] }).data).toEqual(['市场监管', '住房保障与房地产']);
    expect(seriesOf(option)[0]!.data).toEqual([30, 50]);
  });
});

describe('buildCompositionOption', () => {
  it('has one slice per source', () => {
    const kpi = (source: KpiRow['source'], count: number): KpiRow => ({
      source,
      count,
      previousMonth: 0,
      sameMonthLastYear: 0,
      responseRate: 1,
      completionRate: 1,
      satisfactionRate: 1,
    });
    const option = buildCompositionOption([kpi('petition', 1), kpi('police', 2)], zh);
    const data = seriesOf(option)[0]!.data as { name: string; value: number }[];
    expect(data.map((d) => [d.name, d.value])).toEqual([
      ['信访', 1],
      ['110警情', 2],
    ]);
  });
});

describe('buildWaterfallOption', () => {
  it('floats each contribution from the running level and ends at the reported score', () => {
    const option = buildWaterfallOption(
      { label: '上月', value: 60 },
      [
        { key: 'a', label: 'A', value: -3 },
        { key: 'b', label: 'B', value: 1 },
      ],
      { label: '本月', value: 58 },
      { ...zh, theme: LIGHT_THEME },
    );
    const [base, bars] = seriesOf(option) as [Series, Series];
    const axisMin = (option.yAxis as { min: number }).min;
    expect(axisMin).toBeLessThan(57);
    // Step A goes down 60 → 57 (base 57, height 3, red); step B up 57 → 58 (base 57, height 1, green).
    expect(base.data.slice(1, 3)).toEqual([57, 57]);
    const stepBars = bars.data.slice(1, 3) as { value: number; itemStyle: { color: string } }[];
    expect(stepBars.map((b) => b.value)).toEqual([3, 1]);
    expect(stepBars.map((b) => b.itemStyle.color)).toEqual([WATERFALL_DOWN, WATERFALL_UP]);
    // Start and end bars reach their scores on the zoomed axis.
    const ends = [bars.data[0], bars.data[3]] as { value: number }[];
    expect(ends.map((b, i) => b.value + (base.data[i === 0 ? 0 : 3] as number))).toEqual([60, 58]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['上月', 'A', 'B', '本月']);
  });
});

describe('buildIndexGaugeOption', () => {
  it("colours the 0–100 dial by the method's bands in increasing order and prints the score", () => {
    const option = buildIndexGaugeOption(61.376, '中 · 环比 +19.4', { lang: 'zh', theme: DARK_THEME });
    const series = (option.series as { type: string; min: number; max: number; axisLine: { lineStyle: { color: [number, string][] } }; data: { value: number; name: string }[]; detail: { formatter: (v: number) => string } }[])[0]!;
    expect(series.type).toBe('gauge');
    expect([series.min, series.max]).toEqual([0, 100]);
    const stops = series.axisLine.lineStyle.color;
    // 警示 below 40, 差 to 55, 中 to 70, 良 to 85, 优 to 100 (BAND_DEFINITIONS).
    expect(stops.map(([end]) => end)).toEqual([0.4, 0.55, 0.7, 0.85, 1]);
    expect(stops.map(([, color]) => color)).toEqual(['#d73027', '#fc8d59', '#fee08b', '#91cf60', '#1a9850']);
    expect(series.data).toEqual([{ value: 61.376, name: '中 · 环比 +19.4' }]);
    expect(series.detail.formatter(61.376)).toBe('61.4');
  });

  it('shows a dash, not a zero, when the index is missing', () => {
    const option = buildIndexGaugeOption(null, '—', { lang: 'zh', theme: LIGHT_THEME });
    const series = (option.series as { detail: { formatter: (v: number) => string } }[])[0]!;
    expect(series.detail.formatter(0)).toBe('—');
  });
});
