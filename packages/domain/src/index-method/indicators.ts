import { ITEMS, ITEM_LABELS, type Item } from '../categories.ts';
import { SOURCE_LABELS, type Source } from '../sources.ts';
import type { ServiceCounts } from '../workflow/service-metrics.ts';

/**
 * The indicator framework (OECD/JRC Handbook 2008, step 1 "theoretical framework").
 * Four pillars: three demand pillars, one per source (how much trouble a place reports),
 * and one service pillar (how well the trouble is handled). See docs/index-methodology.md.
 */

/** Bumped whenever a formula, default weight or default option changes; stored with every snapshot. */
export const METHOD_VERSION = '1.1.0';

export const PILLARS = ['petition_pressure', 'hotline_demand', 'police_incidents', 'service_performance'] as const;
export type Pillar = (typeof PILLARS)[number];

export const PILLAR_LABELS: Record<Pillar, { zh: string; en: string }> = {
  petition_pressure: { zh: '信访压力', en: 'Petition pressure' },
  hotline_demand: { zh: '网络理政诉求', en: '12345 demand' },
  police_incidents: { zh: '110警情', en: '110 incidents' },
  service_performance: { zh: '处置效能', en: 'Service performance' },
};

const PILLAR_OF_SOURCE: Record<Source, Pillar> = {
  petition: 'petition_pressure',
  hotline: 'hotline_demand',
  police: 'police_incidents',
};

/** negative: more is worse (demand); positive: more is better (service rates). */
export type Direction = 'positive' | 'negative';

export const PROCESS_INDICATOR_IDS = [
  'response_rate',
  'completion_rate',
  'on_time_completion_rate',
  'satisfaction_rate',
  'repeat_demand_rate',
  'police_matter_share',
] as const;
export type ProcessIndicatorId = (typeof PROCESS_INDICATOR_IDS)[number];

export interface IndicatorDefinition {
  id: string;
  pillar: Pillar;
  kind: 'volume' | 'process';
  /** The item a volume indicator counts; null for process indicators. */
  item: Item | null;
  source: Source | null;
  direction: Direction;
  label: { zh: string; en: string };
  unit: string;
}

/**
 * Per-month counts and process aggregates of one unit: what the DB feeds in. The service
 * counts are the work-order metrics' `ServiceCounts` (packages/domain/src/workflow/
 * service-metrics.ts) renamed by `processAggregatesFromServiceCounts` — one definition for the
 * index, the dashboards and the report (methodology doc §service rates).
 */
export interface ProcessAggregates {
  /** Work orders dispatched to the unit's territory in the month (`ServiceCounts.received`). */
  received: number;
  /** Of `received`: those whose response can be judged by the month's end (responded, or the response deadline passed). */
  responseJudged: number;
  /** Of `responseJudged`: first response (签收) within the response time limit (late or missing responses count against). */
  respondedInTime: number;
  /** Of `received`: disposed (办结) by the month's end (`ServiceCounts.disposed`). */
  closed: number;
  /** Work orders whose due time falls in the month and has passed — disposed or still open (`dueInPeriod`). */
  due: number;
  /** Of `due`: disposed on or before the due time. Open overdue cases are in `due` but not here. */
  dueClosedOnTime: number;
  /** Return visits (回访) dated in the month, every visit (`returnVisited`). */
  returnVisits: number;
  /** Of `returnVisits`: 满意 or 基本满意. */
  satisfied: number;
  /** Demands of all three sources in the month. */
  demands: number;
  /** Of `demands`: a repeat of an earlier demand (same reporter or address, same item, previous 30 days; or a repeat petition). */
  repeatDemands: number;
  /** 110 calls in the month. */
  policeCalls: number;
  /** Of `policeCalls`: police matters (警情), the rest being 非警情. */
  policeMatters: number;
}

export const EMPTY_PROCESS: ProcessAggregates = {
  received: 0,
  responseJudged: 0,
  respondedInTime: 0,
  closed: 0,
  due: 0,
  dueClosedOnTime: 0,
  returnVisits: 0,
  satisfied: 0,
  demands: 0,
  repeatDemands: 0,
  policeCalls: 0,
  policeMatters: 0,
};

/** Numerator and denominator fields of each process rate. */
export const PROCESS_RATIOS: Record<ProcessIndicatorId, { numerator: keyof ProcessAggregates; denominator: keyof ProcessAggregates }> = {
  response_rate: { numerator: 'respondedInTime', denominator: 'responseJudged' },
  completion_rate: { numerator: 'closed', denominator: 'received' },
  on_time_completion_rate: { numerator: 'dueClosedOnTime', denominator: 'due' },
  satisfaction_rate: { numerator: 'satisfied', denominator: 'returnVisits' },
  repeat_demand_rate: { numerator: 'repeatDemands', denominator: 'demands' },
  police_matter_share: { numerator: 'policeMatters', denominator: 'policeCalls' },
};

/** Demand-side process counts that do not come from work orders (all events, 110 calls). */
export type DemandAggregates = Pick<ProcessAggregates, 'demands' | 'repeatDemands' | 'policeCalls' | 'policeMatters'>;

/**
 * The index's service inputs from the work-order metrics' counts: a renaming, no arithmetic,
 * so 响应率 / 办结率 / 按时办结率 / 满意率 of the index equal `computeServiceMetrics` of the
 * same counts (before the index's smoothing).
 */
export function processAggregatesFromServiceCounts(counts: ServiceCounts, demand: DemandAggregates): ProcessAggregates {
  return {
    received: counts.received,
    responseJudged: counts.responseJudged,
    respondedInTime: counts.respondedInTime,
    closed: counts.disposed,
    due: counts.dueInPeriod,
    dueClosedOnTime: counts.disposedOnTime,
    returnVisits: counts.returnVisited,
    satisfied: counts.satisfied + counts.basicallySatisfied,
    ...demand,
  };
}

const PROCESS_DEFINITIONS: Record<ProcessIndicatorId, Omit<IndicatorDefinition, 'id' | 'kind' | 'item' | 'source' | 'unit'>> = {
  response_rate: { pillar: 'service_performance', direction: 'positive', label: { zh: '响应率', en: 'Response rate' } },
  completion_rate: { pillar: 'service_performance', direction: 'positive', label: { zh: '办结率', en: 'Completion rate' } },
  on_time_completion_rate: {
    pillar: 'service_performance',
    direction: 'positive',
    label: { zh: '按时办结率', en: 'On-time completion rate' },
  },
  satisfaction_rate: { pillar: 'service_performance', direction: 'positive', label: { zh: '满意率', en: 'Satisfaction rate' } },
  repeat_demand_rate: { pillar: 'service_performance', direction: 'negative', label: { zh: '重复诉求率', en: 'Repeat-demand rate' } },
  police_matter_share: { pillar: 'police_incidents', direction: 'negative', label: { zh: '警情占比', en: 'Share of police matters' } },
};

export function volumeIndicatorId(source: Source, item: Item): string {
  return `${source}.${item}`;
}

function volumeDefinitions(source: Source): IndicatorDefinition[] {
  return ITEMS.map((item) => ({
    id: volumeIndicatorId(source, item),
    pillar: PILLAR_OF_SOURCE[source],
    kind: 'volume',
    item,
    source,
    direction: 'negative',
    label: {
      zh: `${SOURCE_LABELS[source].zh}·${ITEM_LABELS[item].zh}（每万人）`,
      en: `${SOURCE_LABELS[source].en}: ${ITEM_LABELS[item].en} per 10,000`,
    },
    unit: '件/万人',
  }));
}

function processDefinition(id: ProcessIndicatorId): IndicatorDefinition {
  return { id, kind: 'process', item: null, source: null, unit: '%', ...PROCESS_DEFINITIONS[id] };
}

/** Ordered by pillar; the order is the column order of every matrix in this module. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  ...volumeDefinitions('petition'),
  ...volumeDefinitions('hotline'),
  ...volumeDefinitions('police'),
  processDefinition('police_matter_share'),
  processDefinition('response_rate'),
  processDefinition('completion_rate'),
  processDefinition('on_time_completion_rate'),
  processDefinition('satisfaction_rate'),
  processDefinition('repeat_demand_rate'),
];

export const INDICATOR_IDS: readonly string[] = INDICATORS.map((indicator) => indicator.id);

const INDEX_OF_ID = new Map(INDICATOR_IDS.map((id, index) => [id, index]));

export function indicatorIndex(id: string): number {
  const index = INDEX_OF_ID.get(id);
  if (index === undefined) throw new RangeError(`unknown indicator ${id}`);
  return index;
}

export function indicatorById(id: string): IndicatorDefinition {
  return INDICATORS[indicatorIndex(id)]!;
}

export function indicatorsOfPillar(pillar: Pillar): IndicatorDefinition[] {
  return INDICATORS.filter((indicator) => indicator.pillar === pillar);
}
