import { ITEMS, SOURCES, type Item, type Scope, type Source } from '@cityops/domain';
import type { Database } from '../database.ts';
import { checkUnit, monthStart, scopeItems } from './scope-sql.ts';

/**
 * Monthly KPIs of one unit per source. Definitions (ours; Beijing's 三率 formulas are not
 * published):
 *  - responseRate 响应率 = cases with a first response ÷ cases received (a consultation answered
 *    on the call counts; dividing by dispatched cases only gave rates above 100 %);
 *  - completionRate 办结率 = cases closed ÷ cases received;
 *  - onTimeRate 按期办结率 = cases closed on time ÷ cases received — deliberately not
 *    "closed on time ÷ closed", which hides cases still open past their due time;
 *  - overdueRate = cases closed late or open past due ÷ cases received;
 *  - satisfactionRate 满意率 = (satisfied + basically satisfied) ÷ return visits;
 *  - avgReplyWorkdays = mean working days from receipt to closure of work orders.
 * Rates are null when their denominator is 0. Counts are for the month, the month before and
 * the same month a year earlier (for month-on-month and year-on-year).
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
  overdue: number;
  dissatisfied: number;
  repeatReporterEvents: number;
}

export interface TopItem { item: Item; count: number; share: number }

export async function queryKpis(db: Database, scope: Scope, input: { unitCode: string; month: string }): Promise<SourceKpi[]> {
  checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope);
  const ratio = (num: string, den: string) => `sum("${num}") FILTER (this) / nullif(sum("${den}") FILTER (this), 0)`;
  const rows = await db.all<SourceKpi>(
    `SELECT "source",
       coalesce(sum("events") FILTER (this), 0)::INTEGER AS "count",
       coalesce(sum("events") FILTER ("month" = $month::DATE - INTERVAL 1 MONTH), 0)::INTEGER AS "previousMonth",
       coalesce(sum("events") FILTER ("month" = $month::DATE - INTERVAL 1 YEAR), 0)::INTEGER AS "sameMonthLastYear",
       (${ratio('responded', 'events')})::DOUBLE AS "responseRate",
       (${ratio('closed', 'events')})::DOUBLE AS "completionRate",
       (${ratio('closed_on_time', 'events')})::DOUBLE AS "onTimeRate",
       (${ratio('overdue', 'events')})::DOUBLE AS "overdueRate",
       ((sum("satisfied") FILTER (this) + sum("basically_satisfied") FILTER (this)) / nullif(sum("visited") FILTER (this), 0))::DOUBLE AS "satisfactionRate",
       (sum("reply_work_seconds") FILTER (this) / 86400.0 / nullif(sum("closed_work_orders") FILTER (this), 0))::DOUBLE AS "avgReplyWorkdays",
       coalesce(sum("overdue") FILTER (this), 0)::INTEGER AS "overdue",
       coalesce(sum("dissatisfied") FILTER (this), 0)::INTEGER AS "dissatisfied",
       coalesce(sum("repeat_reporter_events") FILTER (this), 0)::INTEGER AS "repeatReporterEvents"
     FROM (SELECT *, "month" = $month::DATE AS this FROM "rollup_monthly"
           WHERE "unit_code" = $unit AND "month" IN ($month::DATE, $month::DATE - INTERVAL 1 MONTH, $month::DATE - INTERVAL 1 YEAR) ${itemClause})
     GROUP BY "source"`,
    { unit: input.unitCode, month: monthStart(input.month), ...params },
  );
  // Every source appears, with zeros when it had no events.
  return SOURCES.map((source) => rows.find((row) => row.source === source) ?? {
    source, count: 0, previousMonth: 0, sameMonthLastYear: 0, responseRate: null, completionRate: null, onTimeRate: null,
    overdueRate: null, satisfactionRate: null, avgReplyWorkdays: null, overdue: 0, dissatisfied: 0, repeatReporterEvents: 0,
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
