import type { ReportData, WorkOrderRow } from './report-data.ts';

/**
 * The report's tables as one model shared by every format: DOCX and HTML print the cells
 * through format.ts, XLSX writes them as typed cells (numbers stay numbers) with SUM formulas
 * in total rows. No figure is computed here — cells are ReportData values.
 */
export type CellKind = 'text' | 'date' | 'month' | 'count' | 'rate' | 'change' | 'score' | 'points' | 'decimal' | 'interval';

export interface Column {
  header: string;
  kind: CellKind;
  /** Width hint in characters (XLSX). */
  width?: number;
}

export type CellValue = string | number | null | { p5: number; p95: number };

export interface TotalRow {
  label: string;
  cells: CellValue[];
  /** Columns whose total is the sum of the rows (XLSX writes =SUM(...) there). */
  sumColumns: number[];
}

export interface ReportTable {
  key: string;
  title: string;
  sheetName: string;
  columns: Column[];
  rows: CellValue[][];
  total?: TotalRow;
  note?: string;
}

const t = (header: string, width = 14): Column => ({ header, kind: 'text', width });
const c = (header: string, kind: Exclude<CellKind, 'text'>, width = 12): Column => ({ header, kind, width });

export function volumeTable(data: ReportData): ReportTable {
  const v = data.volumes;
  return {
    key: 'volumes', title: '各渠道诉求量及环比、同比', sheetName: '诉求总量',
    columns: [t('渠道'), c('本月（件）', 'count'), c('上月（件）', 'count'), c('去年同月（件）', 'count'), c('环比', 'change'), c('同比', 'change'), c('占比', 'rate')],
    rows: v.rows.map((r) => [r.label, r.count, r.previousMonth, r.sameMonthLastYear, r.mom, r.yoy, r.share]),
    total: { label: v.total.label, cells: [v.total.label, v.total.count, v.total.previousMonth, v.total.sameMonthLastYear, v.total.mom, v.total.yoy, null], sumColumns: [1, 2, 3] },
  };
}

export function rateTable(data: ReportData): ReportTable {
  return {
    key: 'rates', title: '各渠道办理情况', sheetName: '渠道办理情况',
    columns: [t('渠道'), c('响应率', 'rate'), c('办结率', 'rate'), c('按期办结率', 'rate'), c('超期率', 'rate'), c('满意率', 'rate'), c('平均回复周期（工作日）', 'decimal', 16), c('超期（件）', 'count'), c('不满意（件）', 'count')],
    rows: data.volumes.rates.map((r) => [r.label, r.responseRate, r.completionRate, r.onTimeRate, r.overdueRate, r.satisfactionRate, r.avgReplyWorkdays, r.overdue, r.dissatisfied]),
  };
}

export function natureTable(data: ReportData): ReportTable {
  return {
    key: 'natures', title: '诉求性质分布', sheetName: '诉求性质',
    columns: [t('渠道'), t('性质'), c('件数', 'count'), c('渠道内占比', 'rate')],
    rows: data.natures.groups.flatMap((g) => g.rows.map((r) => [g.label, r.label, r.count, r.share])),
  };
}

export function topItemTable(data: ReportData): ReportTable {
  return {
    key: 'topItems', title: '诉求事项排行', sheetName: '诉求事项',
    columns: [c('排名', 'count', 8), t('事项', 18), c('件数', 'count'), c('占比', 'rate')],
    rows: data.topItems.map((r) => [r.rank, r.label, r.count, r.share]),
  };
}

export function rankingTable(data: ReportData): ReportTable {
  return {
    key: 'ranking', title: `${data.index.levelLabel}社情指数排名`, sheetName: '指数排名',
    columns: [c('排名', 'count', 8), t('单位', 16), t('代码', 14), c('社情指数', 'score'), t('等级', 8), c('排名区间（5%–95%）', 'interval', 16), c('环比变化（分）', 'points', 14), c('参与排名单位数', 'count', 14)],
    rows: data.index.ranking.map((r) => [r.rank, r.name, r.code, r.score, r.band, r.rankInterval, r.momChange, r.rankOf]),
  };
}

export function moverTable(data: ReportData): ReportTable {
  const pillarHeaders = data.index.movers[0]?.pillars.map((p) => c(`${p.label}贡献`, 'points', 14)) ?? [];
  return {
    key: 'movers', title: '指数变化较大的单位及原因分解', sheetName: '指数变化分解',
    columns: [t('单位', 16), t('方向', 8), c('上月指数', 'score'), c('本月指数', 'score'), c('变化（分）', 'points'), ...pillarHeaders, t('主要影响指标', 40)],
    rows: data.index.movers.map((m) => [
      m.name, m.direction === 'up' ? '上升' : '下降', m.scoreBefore, m.scoreAfter, m.change, ...m.pillars.map((p) => p.contribution),
      m.indicators.map((i) => i.label).join('；'),
    ]),
    note: '注：分项贡献之和等于指数变化（按本月权重分解）。',
  };
}

export function hotspotBinTable(data: ReportData): ReportTable {
  return {
    key: 'hotspotBins', title: '热点分析结果（Getis-Ord Gi*）', sheetName: '热点统计',
    columns: [t('类别', 20), c('单元数', 'count')],
    rows: data.hotspots.bins.map((b) => [b.label, b.cells]),
    total: { label: '合计', cells: ['合计', data.hotspots.studyAreaCells], sumColumns: [1] },
  };
}

export function hotspotCellTable(data: ReportData): ReportTable {
  return {
    key: 'hotspotCells', title: '最显著的热点单元', sheetName: '热点单元',
    columns: [t('H3 单元', 18), t('类别', 16), c('事件数', 'count'), c('Gi* z 值', 'decimal')],
    rows: data.hotspots.topCells.map((cell) => [cell.cell, cell.label, cell.events, cell.z]),
  };
}

export function emergingTable(data: ReportData): ReportTable {
  return {
    key: 'emerging', title: '新兴热点分类', sheetName: '新兴热点',
    columns: [t('类别', 20), c('单元数', 'count')],
    rows: (data.hotspots.emerging?.categories ?? []).map((category) => [category.label, category.cells]),
  };
}

const workOrderColumns = (first: string): Column[] => [
  t(first, 18), c('转办（件）', 'count'), c('办结（件）', 'count'), c('应办结（件）', 'count'), c('超期（件）', 'count'), c('超期率', 'rate'),
  c('响应率', 'rate'), c('办结率', 'rate'), c('按时办结率', 'rate'), c('满意率', 'rate'), c('不满意（件）', 'count'), c('平均回复周期（工作日）', 'decimal', 16),
];
const workOrderCells = (r: WorkOrderRow): CellValue[] => [
  r.name, r.received, r.disposed, r.dueInPeriod, r.overdue, r.overdueRate, r.responseRate, r.dispositionRate, r.onTimeRate, r.satisfactionRate, r.dissatisfied, r.avgReplyWorkdays,
];
const COUNT_COLUMNS = [1, 2, 3, 4, 10];

/** The unit's own figures as the total row; a column is a formula only where it equals the sum of the rows. */
function workOrderTotal(rows: WorkOrderRow[], total: WorkOrderRow | null, label: string): TotalRow | undefined {
  if (!total) return undefined;
  const cells = workOrderCells(total);
  cells[0] = label;
  const sumColumns = COUNT_COLUMNS.filter((i) => rows.reduce((sum, row) => sum + (workOrderCells(row)[i] as number), 0) === cells[i]);
  return { label, cells, sumColumns };
}

export function workOrderUnitTable(data: ReportData): ReportTable {
  const w = data.workOrders;
  const total = workOrderTotal(w.byUnit, w.total, `${data.meta.unitName}合计`);
  return {
    key: 'workOrdersByUnit', title: `各${data.meta.childLevelLabel}工单办理情况`, sheetName: '工单办理（区域）',
    columns: workOrderColumns('单位'), rows: w.byUnit.map(workOrderCells), ...(total ? { total } : {}),
  };
}

export function workOrderDepartmentTable(data: ReportData): ReportTable {
  return { key: 'workOrdersByDepartment', title: '市级部门工单办理情况', sheetName: '工单办理（部门）', columns: workOrderColumns('部门'), rows: data.workOrders.byDepartment.map(workOrderCells) };
}

export function warningSummaryTable(data: ReportData): ReportTable {
  const w = data.warnings;
  return {
    key: 'warningSummary', title: '预警统计', sheetName: '预警统计',
    columns: [t('分类'), t('类别'), c('条数', 'count')],
    rows: [...w.byKind.map((k) => ['按类型', k.label, k.count]), ...w.bySeverity.map((s) => ['按级别', s.label, s.count])],
  };
}

const warningColumns = [c('日期', 'date', 12), t('类型', 12), t('级别', 8), t('区划代码', 16), t('事项', 14), t('内容', 50)];
const warningCells = (r: ReportData['warnings']['list'][number]): CellValue[] => [r.day, r.kindLabel, r.severityLabel, r.unitCode, r.itemLabel, r.title];

export function warningListTable(data: ReportData): ReportTable {
  return { key: 'warnings', title: '本月主要预警', sheetName: '预警列表', columns: warningColumns, rows: data.warnings.list.map(warningCells) };
}

export function escalationTable(data: ReportData): ReportTable {
  return { key: 'escalations', title: '矛盾纠纷升级预警', sheetName: '升级预警', columns: warningColumns, rows: data.warnings.escalations.map(warningCells) };
}

export function trendTable(data: ReportData): ReportTable {
  const { months, series } = data.volumes.trend;
  return {
    key: 'trend', title: '近十三个月各渠道诉求量', sheetName: '月度趋势',
    columns: [c('月份', 'month', 10), ...series.map((s) => c(`${s.label}（件）`, 'count'))],
    rows: months.map((month, k) => [month, ...series.map((s) => s.counts[k]!)]),
  };
}

export function pillarTable(data: ReportData): ReportTable | null {
  const unit = data.index.unit;
  if (!unit) return null;
  return {
    key: 'pillars', title: `${data.meta.unitName}社情指数分项得分`, sheetName: '指数分项',
    columns: [t('分项', 16), c('得分', 'score')],
    rows: unit.pillars.map((p) => [p.label, p.score]),
  };
}

/** Every table, in the order of the XLSX sheets. */
export function allTables(data: ReportData): ReportTable[] {
  const pillars = pillarTable(data);
  return [
    volumeTable(data), rateTable(data), natureTable(data), topItemTable(data), ...(pillars ? [pillars] : []), rankingTable(data), moverTable(data),
    hotspotBinTable(data), hotspotCellTable(data), emergingTable(data), workOrderUnitTable(data), workOrderDepartmentTable(data),
    warningSummaryTable(data), warningListTable(data), escalationTable(data), trendTable(data),
  ];
}
