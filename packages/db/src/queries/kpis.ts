import { ITEMS, SOURCES, computeServiceMetrics, type Item, type Scope, type Source } from '@cityops/domain';
import type { Database } from '../database.ts';
import { ensureServiceCountsFresh, serviceCountsFromRow, sumServiceMeasuresSql, type ServiceCountRow } from '../work-orders/service-counts.ts';
import { checkUnit, monthStart, scopeItems } from './scope-sql.ts';

/**
 * Monthly KPIs of one unit per source: the counts (this month, the month before, the same
 * month a year earlier) from `rollup_monthly`, and the service rates from the precomputed
 * service counts — the one definition shared with the index and the report (响应率, 办结率,
 * 按时办结率 with open overdue cases counting against it, 满意率, 平均回复周期, 重办率; see
 * packages/domain/src/workflow/service-metrics.ts and docs/index-methodology.md §service
 * rates). A source's rates cover its work orders: 12345 = transferred 12345 cases (CityOps
 * orders from 12345 included), petitions = dispatched petitions, 110 = calls handed to 12345
 * that became CityOps orders. A unit's cases are those that arose in its territory.
 *  - overdueRate = (due in the month − disposed on time) ÷ due in the month; `overdue` its numerator.
 * Rates are null when their denominator is 0.
 */
export interface SourceKpi {
  source: Source;
  count: number;
  previousMonth: number;
  sameMonthLastYear: number;
  responseRate: number | null;
  completionRate: number | null;
  onTimeRate: number | null;
  overdueRate: number | null;
  satisfactionRate: number | null;
  avgReplyWorkdays: number | null;
  reopenRate: number | null;
  overdue: number;
  dissatisfied: number;
  repeatReporterEvents: number;
}

export interface TopItem { item: Item; count: number; share: number }

/** While data keep arriving (the demo live simulator), the dashboards recount at most every 10 minutes (a recount scans every case). */
const DASHBOARD_STALENESS_MS = 10 * 60_000;

export async function queryKpis(db: Database, scope: Scope, input: { unitCode: string; month: string }): Promise<SourceKpi[]> {
  checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope);
  const month = monthStart(input.month);
  const rows = await db.all<{ source: Source; count: number; previousMonth: number; sameMonthLastYear: number; repeatReporterEvents: number }>(
    `SELECT "source",
       coalesce(sum("events") FILTER (this), 0)::INTEGER AS "count",
       coalesce(sum("events") FILTER ("month" = $month::DATE - INTERVAL 1 MONTH), 0)::INTEGER AS "previousMonth",
       coalesce(sum("events") FILTER ("month" = $month::DATE - INTERVAL 1 YEAR), 0)::INTEGER AS "sameMonthLastYear",
       coalesce(sum("repeat_reporter_events") FILTER (this), 0)::INTEGER AS "repeatReporterEvents"
     FROM (SELECT *, "month" = $month::DATE AS this FROM "rollup_monthly"
           WHERE "unit_code" = $unit AND "month" IN ($month::DATE, $month::DATE - INTERVAL 1 MONTH, $month::DATE - INTERVAL 1 YEAR) ${itemClause})
     GROUP BY "source"`,
    { unit: input.unitCode, month, ...params },
  );
  await ensureServiceCountsFresh(db, { maxStalenessMs: DASHBOARD_STALENESS_MS });
  const service = await db.all<ServiceCountRow & { source: string }>(
    `SELECT "source", ${sumServiceMeasuresSql()} FROM "service_counts_monthly"
     WHERE "subject_kind" = 'unit' AND "subject_code" = $unit AND "month" = $month::DATE ${itemClause}
     GROUP BY "source"`,
    { unit: input.unitCode, month, ...params },
  );
  // Every source appears, with zeros when it had no events.
  return SOURCES.map((source) => {
    const volume = rows.find((row) => row.source === source) ?? { count: 0, previousMonth: 0, sameMonthLastYear: 0, repeatReporterEvents: 0 };
    const counts = serviceCountsFromRow(service.find((row) => row.source === source));
    const metrics = computeServiceMetrics(counts);
    const overdue = counts.dueInPeriod - counts.disposedOnTime;
    return {
      source,
      count: volume.count,
      previousMonth: volume.previousMonth,
      sameMonthLastYear: volume.sameMonthLastYear,
      responseRate: metrics.responseRate,
      completionRate: metrics.dispositionRate,
      onTimeRate: metrics.onTimeDispositionRate,
      overdueRate: counts.dueInPeriod > 0 ? overdue / counts.dueInPeriod : null,
      satisfactionRate: metrics.satisfactionRate,
      avgReplyWorkdays: metrics.averageReplyCycleWorkingDays,
      reopenRate: metrics.reopenRate,
      overdue,
      dissatisfied: counts.dissatisfied,
      repeatReporterEvents: volume.repeatReporterEvents,
    };
  });
}

/** The month's most frequent items of a unit (all sources), with their share of the unit's total in scope. */
export async function queryTopItems(db: Database, scope: Scope, input: { unitCode: string; month: string; limit?: number; source?: Source }): Promise<TopItem[]> {
  checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope);
  const limit = Math.max(1, Math.min(ITEMS.length, Math.floor(input.limit ?? 5)));
  const sourceClause = input.source ? `AND "source" = $source` : '';
  return db.all<TopItem>(
    `SELECT "item", sum("events")::INTEGER AS "count", (sum("events") / sum(sum("events")) OVER ())::DOUBLE AS "share"
     FROM "rollup_monthly"
     WHERE "unit_code" = $unit AND "month" = $month::DATE ${sourceClause} ${itemClause}
     GROUP BY "item" ORDER BY "count" DESC, "item" LIMIT $limit`,
    { unit: input.unitCode, month: monthStart(input.month), limit, ...(input.source ? { source: input.source } : {}), ...params },
  );
}
