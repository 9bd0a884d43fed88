import {
  CITY_CODE,
  DomainError,
  assertUnitInScope,
  computeServiceMetrics,
  emptyServiceCounts,
  wallClock,
  type DepartmentCode,
  type MetricSubject,
  type Scope,
  type ServiceCounts,
  type ServiceMetrics,
  type WallClock,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { calendarJoinSql, workingTimeSql } from './sla-sql.ts';
import { sqlTimestamp } from './work-order-rows.ts';

export interface ServiceMetricsQuery {
  unitCode?: string | undefined;
  departmentCode?: DepartmentCode | undefined;
  /** 'YYYY-MM' (Asia/Shanghai calendar month). */
  month: string;
  /** When the counts are taken (wall clock); default the month's end. Pass "now" for the current month. */
  asOf?: WallClock | undefined;
}

export interface ServiceMetricsResult {
  subject: MetricSubject;
  period: { from: WallClock; to: WallClock };
  asOf: WallClock;
  counts: ServiceCounts;
  metrics: ServiceMetrics;
}

/**
 * Who may see whose metrics: a territorial subject inside the caller's territory; a
 * department's metrics only to that department and to callers who see the whole city (the
 * city center, the admin). A department officer sees no territorial metrics: those cover
 * every item, most of them not its own.
 */
function subjectFor(scope: Scope, query: ServiceMetricsQuery): MetricSubject {
  if ((query.unitCode === undefined) === (query.departmentCode === undefined)) {
    throw new DomainError('BAD_INPUT', '请指定一个统计对象：区划或部门（二选一）');
  }
  if (query.departmentCode) {
    const own = scope.role === 'department_officer' && scope.departmentCode === query.departmentCode;
    const cityWide = scope.role !== 'department_officer' && scope.gridCodes === null && scope.unitCode === CITY_CODE;
    if (!own && !cityWide) throw new DomainError('FORBIDDEN', '无权查看该部门的办理指标', { departmentCode: query.departmentCode });
    return { kind: 'department', code: query.departmentCode };
  }
  if (scope.role === 'department_officer') throw new DomainError('FORBIDDEN', '部门只能查看本部门的办理指标');
  assertUnitInScope(scope, query.unitCode!);
  return { kind: 'unit', code: query.unitCode! };
}

export function monthPeriod(month: string): { from: WallClock; to: WallClock } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new DomainError('BAD_INPUT', `月份格式应为 YYYY-MM: ${month}`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]);
  return { from: wallClock(year, monthIndex, 1), to: monthIndex === 12 ? wallClock(year + 1, 1, 1) : wallClock(year, monthIndex + 1, 1) };
}

interface CountRow {
  received: number;
  response_judged: number;
  responded_in_time: number;
  disposed: number;
  ever_disposed: number;
  reopened: number;
  due_in_period: number;
  disposed_on_time: number;
  reply_cycle_count: number;
  reply_cycle_sum: number | null;
  return_visited: number;
  satisfied: number;
  basically_satisfied: number;
  dissatisfied: number;
}

/**
 * The service counts of `countServiceOrders` (packages/domain/src/workflow/service-metrics.ts),
 * computed in SQL over the snapshots and the return-visit transitions, then the same metric
 * functions. Every FILTER below mirrors one field's rule there; the tests hold them equal.
 */
export async function queryServiceMetrics(db: Database, scope: Scope, query: ServiceMetricsQuery): Promise<ServiceMetricsResult> {
  const subject = subjectFor(scope, query);
  const period = monthPeriod(query.month);
  const asOf = query.asOf ?? period.to;
  const subjectSql =
    subject.kind === 'department'
      ? `o."assignee_kind" = 'department' AND o."assignee_code" = $subject`
      : `o."assignee_kind" <> 'department' AND starts_with(o."assignee_code", $subject)`;
  const window = (column: string) => `(${column} >= $from::TIMESTAMP AND ${column} < $to::TIMESTAMP AND ${column} <= $as_of::TIMESTAMP)`;
  const rows = await db.all<CountRow>(
    `WITH o AS (SELECT * FROM "work_orders" o WHERE o."assignee_code" IS NOT NULL AND ${subjectSql}),
     f AS (
       SELECT o.*,
         ${window('o."dispatched_at"')} AS recv,
         coalesce(o."first_response_at" <= $as_of::TIMESTAMP, false) AS responded,
         coalesce(o."disposed_at" <= $as_of::TIMESTAMP, false) AS disposed_by_as_of,
         ${window('o."due_at"')} AS due_in,
         coalesce(${window('o."disposed_at"')} AND o."dispatched_at" IS NOT NULL, false) AS disposed_in,
         ${workingTimeSql('c_disposed', 'o."disposed_at"')} - ${workingTimeSql('c_dispatched', 'o."dispatched_at"')} AS reply_days
       FROM o ${calendarJoinSql('c_dispatched', 'o."dispatched_at"')} ${calendarJoinSql('c_disposed', 'o."disposed_at"')}
     ),
     counts AS (
       SELECT
         count(*) FILTER (WHERE recv)::INTEGER AS received,
         count(*) FILTER (WHERE recv AND (responded OR coalesce("response_due_at" <= $as_of::TIMESTAMP, false)))::INTEGER AS response_judged,
         count(*) FILTER (WHERE recv AND responded AND "response_due_at" IS NOT NULL AND "first_response_at" <= "response_due_at")::INTEGER AS responded_in_time,
         count(*) FILTER (WHERE recv AND disposed_by_as_of)::INTEGER AS disposed,
         count(*) FILTER (WHERE recv AND (disposed_by_as_of OR "reopen_count" > 0))::INTEGER AS ever_disposed,
         count(*) FILTER (WHERE recv AND "reopen_count" > 0)::INTEGER AS reopened,
         count(*) FILTER (WHERE due_in)::INTEGER AS due_in_period,
         count(*) FILTER (WHERE due_in AND "disposed_at" IS NOT NULL AND "disposed_at" <= "due_at")::INTEGER AS disposed_on_time,
         count(*) FILTER (WHERE disposed_in)::INTEGER AS reply_cycle_count,
         sum(reply_days) FILTER (WHERE disposed_in)::DOUBLE AS reply_cycle_sum
       FROM f
     ),
     visits AS (
       SELECT
         count(*)::INTEGER AS return_visited,
         count(*) FILTER (WHERE r = 'satisfied')::INTEGER AS satisfied,
         count(*) FILTER (WHERE r = 'basically_satisfied')::INTEGER AS basically_satisfied,
         count(*) FILTER (WHERE r NOT IN ('satisfied', 'basically_satisfied'))::INTEGER AS dissatisfied
       FROM (
         SELECT json_extract_string(t."payload", '$.result') AS r
         FROM "work_order_transitions" t JOIN o ON o."id" = t."order_id"
         WHERE t."action" = 'record_return_visit' AND ${window('t."at"')}
       )
     )
     SELECT * FROM counts, visits`,
    { subject: subject.code, from: sqlTimestamp(period.from), to: sqlTimestamp(period.to), as_of: sqlTimestamp(asOf) },
  );
  const row = rows[0];
  const counts = emptyServiceCounts();
  if (row) {
    Object.assign(counts, {
      received: row.received,
      responseJudged: row.response_judged,
      respondedInTime: row.responded_in_time,
      disposed: row.disposed,
      everDisposed: row.ever_disposed,
      reopened: row.reopened,
      dueInPeriod: row.due_in_period,
      disposedOnTime: row.disposed_on_time,
      replyCycleCount: row.reply_cycle_count,
      replyCycleWorkingDaysSum: row.reply_cycle_sum ?? 0,
      returnVisited: row.return_visited,
      satisfied: row.satisfied,
      basicallySatisfied: row.basically_satisfied,
      dissatisfied: row.dissatisfied,
    });
  }
  return { subject, period, asOf, counts, metrics: computeServiceMetrics(counts) };
}
