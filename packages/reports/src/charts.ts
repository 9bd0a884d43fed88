import { existsSync } from 'node:fs';
import * as echarts from 'echarts';
import { renderAsync } from '@resvg/resvg-js';
import type { ReportData } from './report-data.ts';

/**
 * Charts rendered on the server: each is a pure ECharts option built from ReportData, drawn by
 * ECharts' SSR renderer to SVG (text kept as text). The PDF prints the SVG (vector); Word needs
 * a PNG, which resvg rasterises with the system's 'Noto Sans CJK SC' off the main thread
 * (`rasterise`: every image at once on libuv's pool — resvg loads the CJK fonts per image,
 * ≈ 0.3 s each, so one after another they were most of a report's chart time).
 */
export const REPORT_FONT = 'Noto Sans CJK SC';
const SOURCE_COLORS = ['#c23531', '#2f4554', '#61a0a8'];

export interface ChartImage {
  key: string;
  title: string;
  svg: string;
  width: number;
  height: number;
}

/** A chart with its PNG (for Word). */
export interface RasterImage extends ChartImage {
  png: Buffer;
}

/** Debian's fonts-noto-cjk files: loading just these is ~10× faster than scanning every system font per image. */
const CJK_FONT_FILES = ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'].filter((file) => existsSync(file));

export async function svgToPng(svg: string, width: number): Promise<Buffer> {
  const rendered = await renderAsync(svg, {
    fitTo: { mode: 'width', value: width * 2 },
    background: '#ffffff',
    font: CJK_FONT_FILES.length > 0
      ? { fontFiles: CJK_FONT_FILES, loadSystemFonts: false, defaultFontFamily: REPORT_FONT, sansSerifFamily: REPORT_FONT }
      : { loadSystemFonts: true, defaultFontFamily: REPORT_FONT, sansSerifFamily: REPORT_FONT },
  });
  return Buffer.from(rendered.asPng());
}

/** PNGs of the images, rendered concurrently. */
export async function rasterise(images: readonly ChartImage[]): Promise<RasterImage[]> {
  return Promise.all(images.map(async (image) => ({ ...image, png: 'png' in image ? (image as RasterImage).png : await svgToPng(image.svg, image.width) })));
}

function renderOption(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: REPORT_FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function trendOption(data: ReportData): echarts.EChartsCoreOption {
  const { months, series } = data.volumes.trend;
  return {
    color: SOURCE_COLORS,
    title: { text: '近十三个月各渠道诉求量（件）', left: 'center', textStyle: { fontSize: 16 } },
    legend: { bottom: 0, data: series.map((s) => s.label) },
    grid: { left: 70, right: 30, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: months.map((m) => `${Number(m.slice(5))}月`) },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ type: 'line', name: s.label, data: s.counts, symbolSize: 6 })),
  };
}

export function topItemsOption(data: ReportData): echarts.EChartsCoreOption {
  const rows = [...data.topItems].reverse();
  return {
    title: { text: '诉求事项排行（件）', left: 'center', textStyle: { fontSize: 16 } },
    grid: { left: 130, right: 60, top: 45, bottom: 30 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: rows.map((r) => r.label) },
    series: [{ type: 'bar', data: rows.map((r) => r.count), itemStyle: { color: '#c23531' }, label: { show: true, position: 'right' } }],
  };
}

export function rankingOption(data: ReportData): echarts.EChartsCoreOption {
  const rows = data.index.ranking.slice(0, 30);
  return {
    title: { text: `${data.index.levelLabel}社情指数`, left: 'center', textStyle: { fontSize: 16 } },
    grid: { left: 60, right: 20, top: 45, bottom: 90 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 45, interval: 0 } },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [{ type: 'bar', data: rows.map((r) => ({ value: Number(r.score.toFixed(2)), itemStyle: { color: r.bandColor } })) }],
  };
}

function chart(key: string, title: string, option: echarts.EChartsCoreOption, width: number, height: number): ChartImage {
  return { key, title, svg: renderOption(option, width, height), width, height };
}

/** The report's charts (the map is drawn by map-image.ts). */
export function renderCharts(data: ReportData): ChartImage[] {
  const out = [chart('trend', '近十三个月各渠道诉求量', trendOption(data), 760, 340), chart('topItems', '诉求事项排行', topItemsOption(data), 760, 360)];
  if (data.index.ranking.length > 0) out.push(chart('ranking', `${data.index.levelLabel}社情指数`, rankingOption(data), 760, 360));
  return out;
}
