import type { ChartImage } from './charts.ts';
import { formatChange, formatCount, formatDecimal, formatInterval, formatPoints, formatRate, formatScore } from './format.ts';
import type { ReportData } from './report-data.ts';
import * as tables from './report-tables.ts';
import type { ReportTable } from './report-tables.ts';

/**
 * The report as a sequence of blocks, shared by the DOCX and the HTML (PDF) renderers so both
 * carry the same text, tables and images. Sections are numbered 一、二、三… as in official
 * documents; body sentences print ReportData figures through format.ts only.
 */
export type Block =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'table'; table: ReportTable; caption: string }
  | { kind: 'image'; image: ChartImage; caption: string };


/** The report's charts and map: vector (SVG) for the PDF, or with PNGs for Word (see `rasteriseImages`). */
export interface ReportImages<I extends ChartImage = ChartImage> {
  charts: I[];
  map: I | null;
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function buildBlocks(data: ReportData, images: ReportImages): Block[] {
  const blocks: Block[] = [];
  let section = 0;
  let tableNo = 0;
  let figureNo = 0;
  const h1 = (text: string) => blocks.push({ kind: 'heading', level: 1, text: `${NUMERALS[section++]}、${text}` });
  const h2 = (text: string) => blocks.push({ kind: 'heading', level: 2, text });
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });
  const table = (t: ReportTable) => {
    blocks.push({ kind: 'table', table: t, caption: `表${NUMERALS_CAPTION(++tableNo)}　${t.title}` });
    if (t.note) blocks.push({ kind: 'note', text: t.note });
  };
  const image = (key: string) => {
    const img = key === 'map' ? images.map : images.charts.find((c) => c.key === key);
    if (img) blocks.push({ kind: 'image', image: img, caption: `图${NUMERALS_CAPTION(++figureNo)}　${img.title}` });
  };
  const m = data.meta;
  const v = data.volumes;

  if (m.scopeNote) blocks.push({ kind: 'note', text: m.scopeNote });
  h1('总体情况');
  const parts = v.rows.map((r) => `${r.label}${formatCount(r.count)}件（占${formatRate(r.share)}，环比${formatChange(r.mom)}）`);
  p(`${m.monthLabel}，${m.unitName}共受理群众诉求${formatCount(v.total.count)}件，环比${formatChange(v.total.mom)}，同比${formatChange(v.total.yoy)}。其中${parts.join('，')}。`);
  table(tables.volumeTable(data));
  image('trend');

  h1('诉求性质与主要事项');
  h2('（一）诉求性质');
  for (const g of data.natures.groups) {
    if (g.rows.length === 0) continue;
    p(`${g.label}${formatCount(g.total)}件中，${g.rows.map((r) => `${r.label}${formatCount(r.count)}件（${formatRate(r.share)}）`).join('，')}。`);
  }
  table(tables.natureTable(data));
  h2('（二）主要诉求事项');
  if (data.topItems.length > 0) {
    p(`诉求量居前的事项为${data.topItems.slice(0, 3).map((r) => `${r.label}（${formatCount(r.count)}件，占${formatRate(r.share)}）`).join('、')}。`);
  }
  table(tables.topItemTable(data));
  image('topItems');

  h1('社情指数');
  const u = data.index.unit;
  if (u) {
    const interval = u.rankInterval ? `，排名区间${formatInterval(u.rankInterval)}` : '';
    p(`本月${m.unitName}社情指数为${formatScore(u.score)}分，等级“${u.band}”，在同级${formatCount(u.rankOf)}个单位中排名第${formatCount(u.rank)}位${interval}；环比${formatPoints(u.momChange)}分，同比${formatPoints(u.yoyChange)}分。指数状态：${m.index.statusLabel}。`);
    const pillars = tables.pillarTable(data);
    if (pillars) table(pillars);
  }
  const ranking = data.index.ranking;
  if (ranking.length > 0) {
    const first = ranking[0]!;
    const last = ranking[ranking.length - 1]!;
    p(`各${data.index.levelLabel}中，社情指数最高的是${first.name}（${formatScore(first.score)}分），最低的是${last.name}（${formatScore(last.score)}分）。排名区间为权重与归一化方式敏感性分析下的第五至第九十五百分位排名。`);
    table(tables.rankingTable(data));
    image('map');
    image('ranking');
  }
  h2('（一）变化较大的单位及原因分解');
  if (data.index.movers.length > 0) {
    for (const mover of data.index.movers) {
      const main = mover.indicators.map((i) => `${i.label}（${formatPoints(i.contribution)}分）`).join('、');
      p(`${mover.name}指数由${formatScore(mover.scoreBefore)}分${mover.direction === 'up' ? '上升' : '下降'}至${formatScore(mover.scoreAfter)}分（${formatPoints(mover.change)}分），主要影响指标：${main}。`);
    }
    table(tables.moverTable(data));
  } else p('本月无可比较的上月指数，暂不分析变化。');

  h1('热点与新兴热点');
  const hs = data.hotspots;
  if (hs.available) {
    const hot = hs.bins.filter((b) => b.bin > 0).map((b) => `${b.label}${formatCount(b.cells)}个`).join('、');
    p(`在${formatCount(hs.studyAreaCells)}个 H3 ${formatCount(hs.resolution)}级六边形单元中，经错误发现率校正识别出${hot}。`);
    table(tables.hotspotBinTable(data));
    if (hs.topCells.length > 0) table(tables.hotspotCellTable(data));
    if (hs.emerging) {
      p(`近${formatCount(hs.emerging.months)}个月的新兴热点分析结果如下表。`);
      table(tables.emergingTable(data));
    }
  } else p(`本级不开展热点分析（${hs.reason ?? '无数据'}）。`);

  h1('工单办理绩效');
  const w = data.workOrders;
  if (w.available) {
    if (w.total) {
      const t = w.total;
      p(`本月共转办工单${formatCount(t.received)}件，办结${formatCount(t.disposed)}件；应在本月办结${formatCount(t.dueInPeriod)}件，超期${formatCount(t.overdue)}件，超期率${formatRate(t.overdueRate)}；满意率${formatRate(t.satisfactionRate)}，不满意${formatCount(t.dissatisfied)}件；平均回复周期${formatDecimal(t.avgReplyWorkdays)}个工作日。`);
      table(tables.workOrderUnitTable(data));
    }
    if (w.byDepartment.length > 0) table(tables.workOrderDepartmentTable(data));
  } else p(`工单办理绩效不在本报告范围内（${w.reason ?? ''}）。`);

  h1('预警与矛盾纠纷升级');
  const wr = data.warnings;
  if (wr.available) {
    p(`本月共产生预警${formatCount(wr.total)}条，其中${wr.byKind.map((k) => `${k.label}${formatCount(k.count)}条`).join('、')}；按级别，${wr.bySeverity.map((s) => `${s.label}${formatCount(s.count)}条`).join('、')}。`);
    table(tables.warningSummaryTable(data));
    if (wr.list.length > 0) table(tables.warningListTable(data));
    if (wr.escalations.length > 0) table(tables.escalationTable(data));
  } else p(`预警信息不在本报告范围内（${wr.reason ?? ''}）。`);

  h1('方法说明');
  for (const text of data.methodology.paragraphs) p(text);
  for (const d of data.methodology.definitions) p(`${d.name}：${d.formula}。`);

  blocks.push({ kind: 'heading', level: 1, text: '附表' });
  table(tables.rateTable(data));
  table(tables.trendTable(data));
  return blocks;
}

/** Table and figure numbers in Chinese numerals too, so the only Arabic numerals in a report are its figures. */
function NUMERALS_CAPTION(n: number): string {
  if (n <= 10) return NUMERALS[n - 1]!;
  if (n < 20) return `十${n % 10 === 0 ? '' : NUMERALS[(n % 10) - 1]!}`;
  return `${NUMERALS[Math.floor(n / 10) - 1]!}十${n % 10 === 0 ? '' : NUMERALS[(n % 10) - 1]!}`;
}

/** A table cell as printed text. */
export function cellText(value: tables.CellValue, kind: tables.CellKind): string {
  if (value === null) return '—';
  if (typeof value === 'object') return formatInterval(value);
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'count': return formatCount(value);
    case 'rate': return formatRate(value);
    case 'change': return formatChange(value);
    case 'score': return formatScore(value);
    case 'points': return formatPoints(value);
    case 'decimal': return formatDecimal(value);
    default: return String(value);
  }
}
