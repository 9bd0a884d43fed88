import { DEFAULT_SLA_POLICY, ITEMS, URGENCIES, listCalendarDays, resolutionRuleFor, type SlaPolicy, type WorkingCalendar } from '@cityops/domain';
import type { Database } from '../database.ts';
import { CALENDAR_FROM, CALENDAR_TO, WORK_CALENDAR_KINDS, workCalendarRows } from '../migrations/0004-work-orders.ts';

/**
 * SQL twins of the domain's working-day and SLA arithmetic (packages/domain/src/workflow),
 * over the `work_calendar` table. Tests check them against the TypeScript on the same orders.
 */

/**
 * Working days from CALENDAR_FROM to the instant `t`, given `alias` = the `work_calendar` row
 * of t's day (see `calendarJoinSql`). Working time between two instants is then a difference
 * of two such values — the domain's `workingDaysBetween` (hours of [a, b) on working days ÷ 24)
 * as two hash-join lookups instead of a walk over the days in between.
 */
export function workingTimeSql(alias: string, t: string): string {
  return `(${alias}."working_days_before" + CASE WHEN ${alias}."is_working" THEN (epoch(${t}) - epoch(${alias}."day"::TIMESTAMP)) / 86400.0 ELSE 0 END)`;
}

export function calendarJoinSql(alias: string, t: string): string {
  return `LEFT JOIN "work_calendar" ${alias} ON ${alias}."day" = (${t})::DATE`;
}

/**
 * A VALUES table (item, urgency, measure) of how each resolution clock is measured — calendar
 * hours or working days. Items and urgencies are the domain's closed enums, so inlining them
 * as literals is safe; nothing here comes from a request.
 */
export function slaMeasureValuesSql(policy: SlaPolicy = DEFAULT_SLA_POLICY): string {
  const rows = ITEMS.flatMap((item) => URGENCIES.map((urgency) => `('${item}', '${urgency}', '${resolutionRuleFor(item, urgency, policy).kind}')`));
  return `(VALUES ${rows.join(', ')}) AS m("item", "urgency", "measure")`;
}

const AT = '$at::TIMESTAMP';

/** The calendar rows `slaStatusSql` needs, joined to `work_orders o`. */
export function slaCalendarJoinsSql(): string {
  return [calendarJoinSql('c_at', AT), calendarJoinSql('c_due', 'o."due_at"'), calendarJoinSql('c_created', 'o."created_at"')].join('\n');
}

/**
 * The SLA status of a `work_orders` row (alias `o`, joined with the measure table `m` and
 * `slaCalendarJoinsSql`) at the bound parameter `$at` (wall-clock text) — the domain's
 * `slaStatusAt` in SQL. Needs parameters $at, $fraction, $min_days.
 */
export function slaStatusSql(): string {
  const left = `(${workingTimeSql('c_due', 'o."due_at"')} - ${workingTimeSql('c_at', AT)})`;
  const allowance = `(${workingTimeSql('c_due', 'o."due_at"')} - ${workingTimeSql('c_created', 'o."created_at"')})`;
  return `CASE
    WHEN o."disposed_at" IS NOT NULL AND o."disposed_at" <= ${AT} THEN CASE WHEN o."disposed_at" <= o."due_at" THEN 'closed_on_time' ELSE 'closed_late' END
    WHEN ${AT} > o."due_at" THEN 'overdue'
    WHEN m."measure" = 'clock_hours' THEN
      CASE WHEN epoch(o."due_at") - epoch(${AT}) < $fraction * (epoch(o."due_at") - epoch(o."created_at")) THEN 'due_soon' ELSE 'on_track' END
    ELSE CASE WHEN ${left} < least(${allowance}, greatest($fraction * ${allowance}, $min_days)) THEN 'due_soon' ELSE 'on_track' END
  END`;
}

export function slaParams(policy: SlaPolicy = DEFAULT_SLA_POLICY): { fraction: number; min_days: number } {
  return { fraction: policy.dueSoon.fraction, min_days: policy.dueSoon.minimumWorkingHours / 24 };
}

/** Reloads `work_calendar` from a deployment's calendar (the migration loads the shipped one). */
export async function refreshWorkCalendar(db: Database, calendar: WorkingCalendar): Promise<void> {
  const rows = workCalendarRows(listCalendarDays(CALENDAR_FROM, CALENDAR_TO, calendar));
  await db.transaction(async (tx) => {
    await tx.run(`DELETE FROM "work_calendar"`);
    await tx.appendRows('work_calendar', WORK_CALENDAR_KINDS, rows);
  });
}
