import { TRPCError } from '@trpc/server';
import {
  ALERT_SEVERITIES,
  ALERT_SEVERITY_LABELS,
  DEPARTMENTS,
  HOTSPOT_BIN_LABELS,
  ITEM_LABELS,
  PILLARS,
  PILLAR_LABELS,
  SOURCES,
  SOURCE_LABELS,
  UNIT_LEVEL_LABELS,
  childLevelOf,
  departmentOf,
  type Item,
  type UnitLevel,
} from '@cityops/domain';
import type { HotspotSection, IndexSection, ReportData, WarningRow, WarningSection, WorkOrderSection } from '@cityops/reports/report-data';
import type { ReportSourceCaller } from './report-caller.ts';
import { bandLegend, dateLabel, methodologySection, monthLabel, monthRange, relativeChange, shareOf, shiftMonth, workOrderRow } from './report-derive.ts';

export interface CollectReportInput {
  month: string;
  unitCode: string;
  /** Report date 'YYYY-MM-DD' (default: today in Asia/Shanghai). */
  reportDate?: string;
  /** Who generates it (printed in the archive, not in the document). */
  generatedBy?: string;
  /** The caller's department when it is a department's scope (the report then covers its items only). */
  departmentCode?: string | null;
  onProgress?: (fraction: number, stage: string) => void;
}

export const TREND_MONTHS = 13;
export const TOP_ITEMS = 10;
export const MOVERS_EACH_WAY = 3;
export const EMERGING_MONTHS = 12;
export const ALERT_LIMIT = 2000;
export const WARNING_LIST = 15;

const ALERT_KIND_LABELS: Record<string, string> = { statistical: '统计预警', sensor: '感知预警', escalation: '矛盾纠纷升级' };

/** FORBIDDEN / BAD_INPUT / NOT_FOUND from a procedure make a section unavailable (with the reason) instead of failing the report. */
async function optional<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof TRPCError && ['FORBIDDEN', 'BAD_REQUEST', 'NOT_FOUND'].includes(error.code)) return { ok: false, reason: error.message };
    throw error;
  }
}

function todayInShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function issuingUnitOf(unitName: string, level: UnitLevel, departmentCode: string | null): string {
  if (departmentCode) return departmentOf(departmentCode)?.zh ?? unitName;
  if (level === 'city' || level === 'district') return `${unitName}城市运行管理中心`;
  if (level === 'street') return `${unitName}运行中心`;
  return unitName;
}

/**
 * Builds the report's data for the caller's scope by calling the same tRPC procedures the
 * dashboards call (no SQL here), so every figure equals the dashboard's by construction.
 */
export async function collectReportData(caller: ReportSourceCaller, input: CollectReportInput): Promise<ReportData> {
  const progress = input.onProgress ?? (() => undefined);
  const { month, unitCode } = input;
  progress(0.02, '读取区划与总体数据');
  const unit = await caller.geo.unit({ code: unitCode });
  const level = unit.level as UnitLevel;
  const childLevel = childLevelOf(level) ?? level;
  const [kpis, trendRows, topItems, natures, indexUnit, ranking] = await Promise.all([
    caller.overview.kpis({ unitCode, month }),
    caller.overview.monthlyVolumes({ unitCode, months: TREND_MONTHS, toMonth: month }),
    caller.overview.topItems({ unitCode, month, limit: TOP_ITEMS }),
    caller.overview.natures({ unitCode, month }),
    optional(() => caller.index.unit({ code: unitCode, month })),
    optional(() => caller.index.ranking({ unitCode, month })),
  ]);
  const source = indexUnit.ok ? indexUnit.value.source : ranking.ok ? ranking.value.source : null;
  const departmentCode = input.departmentCode ?? null;

  // ── volumes ──
  const total = kpis.reduce((sum, row) => ({ count: sum.count + row.count, previousMonth: sum.previousMonth + row.previousMonth, sameMonthLastYear: sum.sameMonthLastYear + row.sameMonthLastYear }), { count: 0, previousMonth: 0, sameMonthLastYear: 0 });
  const trendMonths = Array.from({ length: TREND_MONTHS }, (_, k) => shiftMonth(month, k - (TREND_MONTHS - 1)));
  const volumes: ReportData['volumes'] = {
    rows: kpis.map((row) => ({
      source: row.source, label: SOURCE_LABELS[row.source].zh, count: row.count, previousMonth: row.previousMonth, sameMonthLastYear: row.sameMonthLastYear,
      mom: relativeChange(row.count, row.previousMonth), yoy: relativeChange(row.count, row.sameMonthLastYear), share: shareOf(row.count, total.count),
    })),
    total: { label: '合计', ...total, mom: relativeChange(total.count, total.previousMonth), yoy: relativeChange(total.count, total.sameMonthLastYear) },
    rates: kpis.map((row) => ({
      source: row.source, label: SOURCE_LABELS[row.source].zh, responseRate: row.responseRate, completionRate: row.completionRate, onTimeRate: row.onTimeRate,
      overdueRate: row.overdueRate, satisfactionRate: row.satisfactionRate, avgReplyWorkdays: row.avgReplyWorkdays, overdue: row.overdue, dissatisfied: row.dissatisfied,
    })),
    trend: {
      months: trendMonths,
      series: SOURCES.map((s) => ({ source: s, label: SOURCE_LABELS[s].zh, counts: trendMonths.map((m) => trendRows.find((row) => row.month === m && row.source === s)?.count ?? 0) })),
    },
  };

  // ── natures ──
  const natureSection: ReportData['natures'] = {
    groups: SOURCES.map((s) => {
      const rows = natures.filter((row) => row.source === s);
      const groupTotal = rows.reduce((sum, row) => sum + row.count, 0);
      return { source: s, label: SOURCE_LABELS[s].zh, total: groupTotal, rows: rows.map((row) => ({ nature: row.nature, label: row.label, count: row.count, share: shareOf(row.count, groupTotal) })) };
    }),
  };

  // ── index, hotspots, work orders, warnings: independent sections, read concurrently ──
  let finished = 0;
  const section = async <T>(label: string, read: Promise<T>): Promise<T> => {
    const value = await read;
    progress(0.25 + (0.75 * ++finished) / 4, `${label}已完成`);
    return value;
  };
  progress(0.3, '社情指数变化分解、热点与新兴热点、工单办理绩效、预警与升级事件');
  const [index, hotspots, workOrders, warnings] = await Promise.all([
    section('社情指数排名与变化分解', indexSection(caller, month, indexUnit.ok ? indexUnit.value : null, ranking.ok ? ranking.value.units : [], childLevel)),
    section('热点与新兴热点分析', hotspotSection(caller, unitCode, month)),
    section('工单办理绩效统计', (async () => workOrderSection(caller, unitCode, month, unit.name, ranking.ok ? ranking.value.units : await childrenOf(caller, unitCode)))()),
    section('预警与升级事件', warningSection(caller, unitCode, month)),
  ]);

  const reportDate = input.reportDate ?? todayInShanghai();
  const status = source?.status ?? 'provisional';
  return {
    meta: {
      title: `${unit.name}社情分析综合报告`,
      unitCode, unitName: unit.name, unitLevel: UNIT_LEVEL_LABELS[level].zh, childLevelLabel: UNIT_LEVEL_LABELS[childLevel].zh,
      month, monthLabel: monthLabel(month), issuingUnit: issuingUnitOf(unit.name, level, departmentCode),
      reportDate, reportDateLabel: dateLabel(reportDate), generatedBy: input.generatedBy ?? 'cityops',
      scopeNote: departmentCode ? `本报告仅含${departmentOf(departmentCode)?.zh ?? departmentCode}主管事项（${(departmentOf(departmentCode)?.items ?? []).map((item: Item) => ITEM_LABELS[item].zh).join('、')}）` : null,
      index: {
        status, statusLabel: status === 'published' ? `已发布（第${source?.revision ?? ''}版）` : '未发布（临时计算）',
        revision: source?.revision ?? null, snapshotId: source?.snapshotId ?? null, methodVersion: source?.methodVersion ?? '—', cutoff: source?.cutoff ?? null,
      },
    },
    volumes,
    natures: natureSection,
    topItems: topItems.map((row, i) => ({ rank: i + 1, item: row.item, label: ITEM_LABELS[row.item].zh, count: row.count, share: row.share })),
    index,
    hotspots,
    workOrders,
    warnings,
    methodology: methodologySection(source?.methodVersion ?? '—', status),
  };
}

async function childrenOf(caller: ReportSourceCaller, unitCode: string): Promise<{ code: string; name: string }[]> {
  const children = await optional(() => caller.geo.children({ code: unitCode }));
  return children.ok ? children.value.map((child) => ({ code: child.code, name: child.name })) : [];
}

type IndexUnit = Awaited<ReturnType<ReportSourceCaller['index']['unit']>>;
type RankingUnit = Awaited<ReturnType<ReportSourceCaller['index']['ranking']>>['units'][number];

async function indexSection(caller: ReportSourceCaller, month: string, unit: IndexUnit | null, ranking: RankingUnit[], childLevel: UnitLevel): Promise<IndexSection> {
  const withChange = ranking.filter((row) => row.momChange !== null);
  const ups = [...withChange].filter((row) => row.momChange! > 0).sort((a, b) => b.momChange! - a.momChange! || a.code.localeCompare(b.code)).slice(0, MOVERS_EACH_WAY);
  const downs = [...withChange].filter((row) => row.momChange! < 0).sort((a, b) => a.momChange! - b.momChange! || a.code.localeCompare(b.code)).slice(0, MOVERS_EACH_WAY);
  const movers = await Promise.all(
    [...ups, ...downs].map(async (row) => {
      const d = await caller.index.decomposition({ code: row.code, month, compareTo: shiftMonth(month, -1) });
      return {
        code: row.code, name: row.name, direction: (d.change >= 0 ? 'up' : 'down') as 'up' | 'down',
        scoreBefore: d.scoreBefore, scoreAfter: d.scoreAfter, change: d.change, comparable: d.comparable,
        pillars: PILLARS.map((pillar) => ({ pillar, label: PILLAR_LABELS[pillar].zh, contribution: d.pillars[pillar] })),
        indicators: d.indicators.slice(0, 3).map((indicator) => ({ id: indicator.id, label: indicator.label.zh, contribution: indicator.contribution })),
      };
    }),
  );
  return {
    unit: unit && {
      score: unit.score, band: unit.band.zh, bandColor: unit.band.color, rank: unit.rank, rankOf: unit.rankOf, rankInterval: unit.rankInterval,
      momChange: unit.mom?.change ?? null, yoyChange: unit.yoy?.change ?? null,
      pillars: PILLARS.map((pillar) => ({ pillar, label: PILLAR_LABELS[pillar].zh, score: unit.pillars[pillar] })),
    },
    levelLabel: UNIT_LEVEL_LABELS[childLevel].zh,
    ranking: ranking.map((row) => ({
      code: row.code, name: row.name, score: row.score, band: row.band.zh, bandColor: row.band.color, rank: row.rank, rankOf: row.rankOf, rankInterval: row.rankInterval, momChange: row.momChange,
    })),
    movers,
    bands: bandLegend(),
  };
}

async function hotspotSection(caller: ReportSourceCaller, unitCode: string, month: string): Promise<HotspotSection> {
  const [gi, emerging] = await Promise.all([
    optional(() => caller.hotspots.gi({ unitCode, month })),
    optional(() => caller.hotspots.emerging({ unitCode, month, months: EMERGING_MONTHS })),
  ]);
  if (!gi.ok) return { available: false, reason: gi.reason, resolution: null, studyAreaCells: 0, bins: [], topCells: [], emerging: null };
  const binLabel = (bin: number) => HOTSPOT_BIN_LABELS[bin as keyof typeof HOTSPOT_BIN_LABELS];
  return {
    available: true,
    reason: null,
    resolution: gi.value.resolution,
    studyAreaCells: gi.value.studyAreaCells,
    bins: [3, 2, 1, 0, -1, -2, -3].map((bin) => ({ bin, label: binLabel(bin).zh, color: binLabel(bin).color, cells: gi.value.bins[String(bin)] ?? 0 })),
    topCells: gi.value.cells
      .filter((cell) => cell.bin > 0)
      .sort((a, b) => b.z - a.z || a.cell.localeCompare(b.cell))
      .slice(0, 10)
      .map((cell) => ({ cell: cell.cell, events: cell.events, z: cell.z, label: binLabel(cell.bin).zh })),
    emerging: emerging.ok
      ? {
          months: emerging.value.months.length,
          categories: Object.entries(emerging.value.categories)
            .filter(([, cells]) => cells > 0)
            .map(([category, cells]) => ({ category, label: emerging.value.cells.find((cell) => cell.category === category)?.label.zh ?? category, cells })),
        }
      : null,
  };
}

async function workOrderSection(caller: ReportSourceCaller, unitCode: string, month: string, unitName: string, children: { code: string; name: string }[]): Promise<WorkOrderSection> {
  const total = await optional(() => caller.workOrders.metrics({ unitCode, month }));
  const byUnit = total.ok
    ? await Promise.all(children.map(async (child) => workOrderRow(child.code, child.name, await caller.workOrders.metrics({ unitCode: child.code, month }))))
    : [];
  // Departments: the whole city sees every department; a department sees its own.
  const departments = await Promise.all(
    DEPARTMENTS.map(async (department) => {
      const result = await optional(() => caller.workOrders.metrics({ departmentCode: department.code, month }));
      return result.ok ? workOrderRow(department.code, department.zh, result.value) : null;
    }),
  );
  const byDepartment = departments.filter((row) => row !== null);
  if (!total.ok && byDepartment.length === 0) return { available: false, reason: total.reason, total: null, byUnit: [], byDepartment: [] };
  return { available: true, reason: null, total: total.ok ? workOrderRow(unitCode, unitName, total.value) : null, byUnit, byDepartment };
}

async function warningSection(caller: ReportSourceCaller, unitCode: string, month: string): Promise<WarningSection> {
  const { from, to } = monthRange(month);
  const alerts = await optional(() => caller.alerts.list({ unitCode, from, to, limit: ALERT_LIMIT }));
  if (!alerts.ok) return { available: false, reason: alerts.reason, total: 0, byKind: [], bySeverity: [], list: [], escalations: [], truncated: false };
  const rows: WarningRow[] = alerts.value.map((alert) => ({
    day: alert.day, kind: alert.kind, kindLabel: ALERT_KIND_LABELS[alert.kind] ?? alert.kind, severity: alert.severity,
    severityLabel: ALERT_SEVERITY_LABELS[alert.severity].zh, unitCode: alert.unitCode, itemLabel: ITEM_LABELS[alert.item].zh, title: alert.title,
  }));
  const rankOf = (severity: string) => ALERT_SEVERITIES.length - ALERT_SEVERITIES.indexOf(severity as never);
  return {
    available: true,
    reason: null,
    total: rows.length,
    byKind: Object.entries(ALERT_KIND_LABELS).map(([kind, label]) => ({ kind, label, count: rows.filter((row) => row.kind === kind).length })),
    bySeverity: [...ALERT_SEVERITIES].reverse().map((severity) => ({ severity, label: ALERT_SEVERITY_LABELS[severity].zh, count: rows.filter((row) => row.severity === severity).length })),
    list: rows.filter((row) => row.kind !== 'escalation').sort((a, b) => rankOf(a.severity) - rankOf(b.severity) || b.day.localeCompare(a.day)).slice(0, WARNING_LIST),
    escalations: rows.filter((row) => row.kind === 'escalation').slice(0, WARNING_LIST),
    truncated: rows.length >= ALERT_LIMIT,
  };
}
