import { BAND_DEFINITIONS, BANDS, SERVICE_METRIC_DEFINITIONS, type ServiceCounts, type ServiceMetrics } from '@cityops/domain';
import type { MethodologySection, WorkOrderRow } from '@cityops/reports/report-data';

/**
 * The only arithmetic a report adds to the procedures' figures, kept in one place so the
 * consistency test re-derives exactly these formulas from fresh API answers.
 */
export function relativeChange(now: number, before: number): number | null {
  return before > 0 ? (now - before) / before : null;
}

export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}年${m}月`;
}

export function dateLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

/** A work-order row from `workOrders.metrics`: 超期 = due in the period and not disposed by the due time. */
export function workOrderRow(code: string, name: string, result: { counts: ServiceCounts; metrics: ServiceMetrics }): WorkOrderRow {
  const { counts, metrics } = result;
  const overdue = counts.dueInPeriod - counts.disposedOnTime;
  return {
    code,
    name,
    received: counts.received,
    disposed: counts.disposed,
    dueInPeriod: counts.dueInPeriod,
    overdue,
    overdueRate: shareOf(overdue, counts.dueInPeriod),
    responseRate: metrics.responseRate,
    dispositionRate: metrics.dispositionRate,
    onTimeRate: metrics.onTimeDispositionRate,
    satisfactionRate: metrics.satisfactionRate,
    dissatisfied: counts.dissatisfied,
    avgReplyWorkdays: metrics.averageReplyCycleWorkingDays,
  };
}

export function bandLegend(): { band: string; color: string; min: number }[] {
  return BANDS.map((band) => ({ band: BAND_DEFINITIONS[band].zh, color: BAND_DEFINITIONS[band].color, min: BAND_DEFINITIONS[band].min }));
}

/** The methodology note: text of the method document, naming the method version the figures were computed with. */
export function methodologySection(methodVersion: string, status: 'published' | 'provisional'): MethodologySection {
  return {
    methodVersion,
    paragraphs: [
      `社情指数按方法版本 ${methodVersion} 计算（方法说明见 docs/index-methodology.md），遵循经合组织/欧盟联合研究中心《综合指标构建手册》的十个步骤。`,
      '指标为信访、网络理政（12345）、110接警三类来源各事项的每万人发生率，以及响应、办结、按时办结、满意、重复诉求等处置过程指标；小人口单元采用经验贝叶斯平滑。',
      '各指标以基期固定阈值（goalposts）归一化到百分制，按默认权重加权汇总为社情指数；分值越高表示社情越平稳、服务越到位，并划分优、良、中、差、警示五档。',
      '排名区间由对权重与归一化方式的蒙特卡洛敏感性分析得到，随发布快照一并保存；环比变化按指标、事项和分项分解，分项贡献之和等于总变化。',
      '热点采用 H3 六边形网格上的 Getis-Ord Gi* 统计并经 Benjamini–Hochberg 错误发现率校正；新兴热点结合逐月 Gi* 与 Mann–Kendall 趋势检验分类。',
      '预警包括统计预警（EARS C2 规则）、物联感知预警和跨来源矛盾纠纷升级预警。',
      status === 'published'
        ? '本报告数据取自该月已发布的社情指数快照；已发布数据不会被静默修改，后到数据仅在重新发布时形成新修订版。'
        : '注意：该月社情指数尚未发布，本报告为临时计算结果，正式数据以发布版本为准。',
    ],
    definitions: Object.values(SERVICE_METRIC_DEFINITIONS).map((definition) => ({ name: definition.zh, formula: definition.formula })),
  };
}
