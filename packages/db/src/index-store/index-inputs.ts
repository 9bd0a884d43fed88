import { ITEMS, SOURCES, processAggregatesFromServiceCounts, type ServiceCounts, type UnitLevel, type UnitMonthInput } from '@cityops/domain';
import type { Database } from '../database.ts';
import { serviceCountsFromRow, type ServiceCountRow } from '../work-orders/service-counts.ts';
import { monthStart } from './months.ts';

/**
 * Monthly inputs of the index for every unit of every level, read from precomputed tables only
 * (the index never scans raw events). One row per unit, pivoted in SQL so a full-scale month
 * (~24,000 units × 48 source-items) comes back as 24,000 rows, not 1.2 M.
 *
 * - Demand counts (per source × item), all demands, repeat demands, 110 calls and 警情 come
 *   from `rollup_monthly`.
 * - The service rates' counts come from `service_counts_monthly` (the unit's territory, all
 *   sources and items summed), the very counts behind `workOrders.metrics` and the dashboards'
 *   三率 (packages/db/src/work-orders/service-counts.ts), renamed onto ProcessAggregates by
 *   the domain's `processAggregatesFromServiceCounts` — no approximation of their own
 *   (methodology §service rates). Refresh them with `ensureServiceCountsFresh`.
 */

const SOURCE_LIST = `[${SOURCES.map((source) => `'${source}'`).join(', ')}]`;
const ITEM_LIST = `[${ITEMS.map((item) => `'${item}'`).join(', ')}]`;

// Per unit: the (source × item) cells as two parallel lists (cell index, events) plus the
// demand sums. Lists keep the result at one row per unit; 48 FILTER aggregates were 5× slower.
const UNIT_MONTH_SQL = `
  SELECT "month", "unit_code",
    list(((list_position(${SOURCE_LIST}, "source") - 1) * ${ITEMS.length} + list_position(${ITEM_LIST}, "item") - 1)::INTEGER) AS "cells",
    list("events") AS "counts",
    sum("events")::INTEGER AS "demands",
    sum("repeat_reporter_events")::INTEGER AS "repeats",
    coalesce(sum("events") FILTER ("source" = 'police'), 0)::INTEGER AS "police_calls",
    coalesce(sum("police_matters") FILTER ("source" = 'police'), 0)::INTEGER AS "police_matters"
  FROM "rollup_monthly"
  WHERE "month" >= $from::DATE AND "month" <= $to::DATE
  GROUP BY "month", "unit_code"`;

// The counts the index's service rates read, packed into one list per unit (one column instead
// of eight: converting columns to JavaScript dominates the cost at ~24,000 units × 12 months).
const SERVICE_FIELDS = ['received', 'response_judged', 'responded_in_time', 'disposed', 'due_in_period', 'disposed_on_time', 'return_visited', 'satisfied', 'basically_satisfied'] as const;
const SERVICE_SQL = `
  SELECT "month", "subject_code" AS "unit_code", [${SERVICE_FIELDS.map((name) => `sum("${name}")::INTEGER`).join(', ')}] AS "service"
  FROM "service_counts_monthly"
  WHERE "subject_kind" = 'unit' AND "month" >= $from::DATE AND "month" <= $to::DATE
  GROUP BY ALL`;

function serviceCountsOf(packed: number[] | null): ServiceCounts {
  const row = Object.fromEntries(SERVICE_FIELDS.map((name, i) => [name, packed?.[i] ?? 0])) as ServiceCountRow;
  return serviceCountsFromRow(row);
}

interface PivotRow {
  service: number[] | null;
  month: string;
  code: string;
  level: UnitLevel;
  parent_code: string | null;
  population: number;
  cells: number[] | null;
  counts: number[] | null;
  demands: number | null;
  repeats: number | null;
  police_calls: number | null;
  police_matters: number | null;
}

function toInput(row: PivotRow): UnitMonthInput {
  const counts: UnitMonthInput['counts'] = { petition: {}, hotline: {}, police: {} };
  const cells = row.cells ?? [];
  const values = row.counts ?? [];
  cells.forEach((cell, k) => {
    const source = SOURCES[Math.floor(cell / ITEMS.length)];
    const item = ITEMS[cell % ITEMS.length];
    // Categories outside the 16 items (list_position → NULL) are skipped, not guessed.
    if (source && item && cell >= 0) counts[source]![item] = (counts[source]![item] ?? 0) + values[k]!;
  });
  const n = (value: number | null) => value ?? 0;
  const process = processAggregatesFromServiceCounts(serviceCountsOf(row.service), {
    demands: n(row.demands),
    repeatDemands: Math.min(n(row.repeats), n(row.demands)),
    policeCalls: n(row.police_calls),
    policeMatters: Math.min(n(row.police_matters), n(row.police_calls)),
  });
  return { code: row.code, level: row.level, population: row.population, counts, process };
}

export interface MonthInputs {
  month: string;
  units: UnitMonthInput[];
  /** Same order as `units`. */
  parents: (string | null)[];
}

/** Inputs of every month from `from` to `to` ('YYYY-MM', inclusive); units ordered by level then code. */
export async function loadIndexInputs(db: Database, from: string, to: string): Promise<MonthInputs[]> {
  const rows = await db.all<PivotRow>(
    `WITH months AS (SELECT "generate_series"::DATE AS "m" FROM generate_series($from::DATE, $to::DATE, INTERVAL 1 MONTH)),
     cells AS (${UNIT_MONTH_SQL}),
     service AS (${SERVICE_SQL})
     SELECT strftime(ms."m", '%Y-%m') AS "month", u."code", u."level", u."parent_code", u."population",
       c.* EXCLUDE ("month", "unit_code"), sv."service"
     FROM "units" u CROSS JOIN months ms
     LEFT JOIN cells c ON c."unit_code" = u."code" AND c."month" = ms."m"
     LEFT JOIN service sv ON sv."unit_code" = u."code" AND sv."month" = ms."m"
     ORDER BY 1, u."level", u."code"`,
    { from: monthStart(from), to: monthStart(to) },
  );
  const byMonth = new Map<string, MonthInputs>();
  for (const row of rows) {
    let entry = byMonth.get(row.month);
    if (!entry) byMonth.set(row.month, (entry = { month: row.month, units: [], parents: [] }));
    entry.units.push(toInput(row));
    entry.parents.push(row.parent_code);
  }
  return [...byMonth.values()];
}

export async function loadMonthInputs(db: Database, month: string): Promise<MonthInputs> {
  const [inputs] = await loadIndexInputs(db, month, month);
  return inputs ?? { month, units: [], parents: [] };
}

/** Months present in the monthly rollup (city level), oldest first. */
export async function listRollupMonths(db: Database): Promise<string[]> {
  const rows = await db.all<{ month: string }>(
    `SELECT DISTINCT strftime("month", '%Y-%m') AS "month" FROM "rollup_monthly" WHERE "level" = 'city' ORDER BY 1`,
  );
  return rows.map((row) => row.month);
}

/**
 * Complete months: both the first and the last calendar day have city-level rows in
 * `rollup_daily` (a month the data start or end in the middle of is partial).
 */
export async function listCompleteMonths(db: Database): Promise<string[]> {
  const rows = await db.all<{ month: string }>(
    `WITH days AS (SELECT DISTINCT "day" FROM "rollup_daily" WHERE "level" = 'city')
     SELECT strftime(date_trunc('month', "day"), '%Y-%m') AS "month" FROM days
     GROUP BY 1
     HAVING bool_or(day(("day")) = 1) AND bool_or("day" = last_day("day"))
     ORDER BY 1`,
  );
  return rows.map((row) => row.month);
}
