/**
 * Everything a monthly 《社情分析综合报告》 shows, as plain JSON-able data. Built in the api
 * package by `collectReportData` from the same tRPC procedures the dashboards call, so every
 * figure equals the dashboard's; the renderers here only lay it out and format it (they never
 * compute a figure). Derived figures (month-on-month change, shares, totals) are computed once
 * in the collector and stored here, so the documents print exactly these numbers.
 *
 * Rates are ratios (0.1234 = 12.34%); `null` means "no denominator" and prints "—".
 */
export interface ReportData {
  meta: ReportMeta;
  volumes: VolumeSection;
  natures: NatureSection;
  topItems: TopItemRow[];
  index: IndexSection;
  hotspots: HotspotSection;
  workOrders: WorkOrderSection;
  warnings: WarningSection;
  methodology: MethodologySection;
}

export interface ReportMeta {
  title: string;
  unitCode: string;
  unitName: string;
  unitLevel: string;
  /** Zh label of the level the rankings and unit tables list (区（市）县, 街道（镇）…). */
  childLevelLabel: string;
  month: string;
  monthLabel: string;
  issuingUnit: string;
  /** Report date, 'YYYY-MM-DD'. */
  reportDate: string;
  reportDateLabel: string;
  generatedBy: string;
  /** Set for a department's report: what it is restricted to. */
  scopeNote: string | null;
  index: {
    status: 'published' | 'provisional';
    statusLabel: string;
    revision: number | null;
    snapshotId: string | null;
    methodVersion: string;
    cutoff: string | null;
  };
}

export interface VolumeRow {
  source: string;
  label: string;
  count: number;
  previousMonth: number;
  sameMonthLastYear: number;
  /** (count − previousMonth) ÷ previousMonth; null when previousMonth is 0. */
  mom: number | null;
  yoy: number | null;
  /** Share of the unit's total this month. */
  share: number | null;
}

export interface SourceRateRow {
  source: string;
  label: string;
  responseRate: number | null;
  completionRate: number | null;
  onTimeRate: number | null;
  overdueRate: number | null;
  satisfactionRate: number | null;
  avgReplyWorkdays: number | null;
  overdue: number;
  dissatisfied: number;
}

export interface VolumeSection {
  rows: VolumeRow[];
  total: Omit<VolumeRow, 'source' | 'label' | 'share'> & { label: string };
  rates: SourceRateRow[];
  /** Monthly series ending with the report month (chart). */
  trend: { months: string[]; series: { source: string; label: string; counts: number[] }[] };
}

export interface NatureSection {
  groups: { source: string; label: string; total: number; rows: { nature: string; label: string; count: number; share: number | null }[] }[];
}

export interface TopItemRow {
  rank: number;
  item: string;
  label: string;
  count: number;
  share: number;
}

export interface RankingRow {
  code: string;
  name: string;
  score: number;
  band: string;
  bandColor: string;
  rank: number;
  rankOf: number;
  rankInterval: { median: number; p5: number; p95: number } | null;
  momChange: number | null;
}

export interface MoverRow {
  code: string;
  name: string;
  direction: 'up' | 'down';
  scoreBefore: number;
  scoreAfter: number;
  change: number;
  comparable: boolean;
  pillars: { pillar: string; label: string; contribution: number }[];
  indicators: { id: string; label: string; contribution: number }[];
}

export interface IndexSection {
  unit: {
    score: number;
    band: string;
    bandColor: string;
    rank: number;
    rankOf: number;
    rankInterval: { median: number; p5: number; p95: number } | null;
    momChange: number | null;
    yoyChange: number | null;
    pillars: { pillar: string; label: string; score: number }[];
  } | null;
  levelLabel: string;
  ranking: RankingRow[];
  movers: MoverRow[];
  /** Colours of the bands, for the map legend. */
  bands: { band: string; color: string; min: number }[];
}

export interface HotspotSection {
  available: boolean;
  /** Why the section is empty (level without hotspot analysis, scope without access). */
  reason: string | null;
  resolution: number | null;
  studyAreaCells: number;
  bins: { bin: number; label: string; color: string; cells: number }[];
  topCells: { cell: string; events: number; z: number; label: string }[];
  emerging: { months: number; categories: { category: string; label: string; cells: number }[] } | null;
}

export interface WorkOrderRow {
  code: string;
  name: string;
  /** 转办（派达）. */
  received: number;
  /** 办结. */
  disposed: number;
  dueInPeriod: number;
  /** 超期 = due in the period and not disposed by the due time (open or late). */
  overdue: number;
  /** overdue ÷ dueInPeriod. */
  overdueRate: number | null;
  responseRate: number | null;
  dispositionRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  dissatisfied: number;
  avgReplyWorkdays: number | null;
}

export interface WorkOrderSection {
  available: boolean;
  reason: string | null;
  total: WorkOrderRow | null;
  byUnit: WorkOrderRow[];
  byDepartment: WorkOrderRow[];
}

export interface WarningRow {
  day: string;
  kind: string;
  kindLabel: string;
  severity: string;
  severityLabel: string;
  unitCode: string;
  itemLabel: string;
  title: string;
}

export interface WarningSection {
  available: boolean;
  reason: string | null;
  total: number;
  byKind: { kind: string; label: string; count: number }[];
  bySeverity: { severity: string; label: string; count: number }[];
  /** The month's most severe alerts (all kinds), then every escalation. */
  list: WarningRow[];
  escalations: WarningRow[];
  /** True when the alert list hit the procedure's limit (counts are then lower bounds). */
  truncated: boolean;
}

export interface MethodologySection {
  methodVersion: string;
  paragraphs: string[];
  definitions: { name: string; formula: string }[];
}
