import {
  DEFAULT_SLA_POLICY,
  URGENCIES,
  emptyServiceCounts,
  wallClockFromInstant,
  type ServiceCounts,
  type SlaPolicy,
  type WallClock,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { SERVICE_COUNT_MEASURES } from '../migrations/0008-service-metrics.ts';
import { calendarJoinSql, workingTimeSql } from './sla-sql.ts';
import { sqlTimestamp } from './work-order-rows.ts';

/**
 * One definition of the service counts (响应率, 办结率, 按时办结率, 满意率, 平均回复周期, 重办率)
 * for the index, the dashboards and the report: the rules of `countServiceOrders`
 * (packages/domain/src/workflow/service-metrics.ts) in SQL, over one set of *service cases*:
 *
 *  - every CityOps work order (any origin), from its snapshot, with its return visits from the
 *    transitions (every visit, so a 不满意 before a 重办 is kept);
 *  - every case of the source systems that is itself a work order — a 12345 case transferred
 *    to a unit (dispatched_at set) and every dispatched petition — *unless a CityOps work order
 *    was raised from that event* (work_orders.source_event_id): the CityOps order replaces the
 *    source record, so one demand is one case, never two. 110 records are not service cases
 *    (police handling is not a 12345 work order); a 110 call enters the counts once it is a
 *    CityOps order (origin police_transfer).
 *
 * A source case maps onto the order fields: dispatched_at → dispatchedAt, first_response_at →
 * firstResponseAt, due_at → dueAt (the source system's own time limit), closed_at →
 * disposedAt (办结), return_visit → one visit dated at closed_at (the source records the result,
 * not its time; a 12345 case closes on its visit), reopenCount = 0. The source systems record
 * no response deadline: it is the CityOps SLA policy's response limit counted from dispatch
 * (`addWorkingDays`/`addHours` of the domain, in SQL on `work_calendar`).
 *
 * Attribution: territorial subjects by place (the case's grid, all levels nest); departments
 * by lead holder (CityOps assignee; a source case's handling_dept when no unit handles it).
 */

const MEASURES = SERVICE_COUNT_MEASURES.map(([name]) => name);

/** The SLA response rule per urgency as a VALUES table `rr` (closed enums: safe literals). */
function responseRulesSql(policy: SlaPolicy): string {
  const rows = URGENCIES.map((urgency) => {
    const rule = policy.response[urgency];
    return rule.kind === 'clock_hours' ? `('${urgency}', 'clock_hours', ${rule.hours}::DOUBLE, 0)` : `('${urgency}', 'working_days', 0::DOUBLE, ${rule.days})`;
  });
  return `(VALUES ${rows.join(', ')}) AS rr("urgency", "kind", "hours", "days")`;
}

interface CaseFilters {
  /** Extra predicate on `work_orders o`. */
  orders: string;
  /** Extra predicate on `events e`. */
  events: string;
}

/** The service cases (see above), one row each, with the source case's single visit inline. */
function serviceCasesSql(filters: CaseFilters, policy: SlaPolicy): string {
  const urgencies = URGENCIES.map((u) => `'${u}'`).join(', ');
  return `
    SELECT CASE o."origin" WHEN 'hotline_transfer' THEN 'hotline' WHEN 'police_transfer' THEN 'police' ELSE 'other' END AS "source",
      o."item", o."grid_code", CASE WHEN o."assignee_kind" = 'department' THEN o."assignee_code" END AS "department_code",
      o."dispatched_at", o."first_response_at", o."response_due_at", o."due_at", o."disposed_at", o."reopen_count",
      NULL::TIMESTAMP AS "visit_at", NULL::VARCHAR AS "visit_result"
    FROM "work_orders" o WHERE ${filters.orders}
    UNION ALL
    SELECT e."source", e."category", e."grid_code", CASE WHEN e."handling_unit" IS NULL THEN e."handling_dept" END,
      e."dispatched_at", e."first_response_at",
      CASE WHEN rr."kind" = 'clock_hours' THEN e."dispatched_at" + to_microseconds((rr."hours" * 3600000000)::BIGINT)
           ELSE (cn."day" + 1)::TIMESTAMP END,
      e."due_at", e."closed_at", 0,
      CASE WHEN e."return_visit" IS NOT NULL THEN e."closed_at" END, e."return_visit"
    FROM "events" e
    JOIN ${responseRulesSql(policy)} ON rr."urgency" = CASE WHEN e."urgency" IN (${urgencies}) THEN e."urgency" ELSE 'normal' END
    LEFT JOIN "work_calendar" cs ON cs."day" = e."dispatched_at"::DATE
    -- addWorkingDays(t, n): the end of the n-th working day after t's day (a pure equi-join).
    LEFT JOIN (SELECT "day", "working_days_before" FROM "work_calendar" WHERE "is_working") cn
      ON cn."working_days_before" = CASE WHEN rr."kind" = 'working_days' THEN cs."working_days_before" + cs."is_working"::INTEGER + rr."days" - 1 END
    WHERE e."source" IN ('hotline', 'petition') AND e."dispatched_at" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "work_orders" w WHERE w."source_event_id" = e."id")
      AND ${filters.events}`;
}

interface CountSqlOptions {
  filters: CaseFilters;
  /** Predicate on the month column "m" (DATE) of each (case, month) pair. */
  months: string;
  /** When the counts of month "m" are taken (a TIMESTAMP expression). */
  asOf: string;
  policy?: SlaPolicy;
}

/**
 * Counts per (month, grid, lead department, source, item). Each case is paired with the months
 * of its dispatch, deadline, disposal and visit; every FILTER mirrors one field's rule of
 * `countServiceOrders`, with "a" = the month's asOf.
 */
function serviceCountsSql(options: CountSqlOptions): string {
  const policy = options.policy ?? DEFAULT_SLA_POLICY;
  const inMonth = (column: string) => `(${column} >= "m" AND ${column} < "m" + INTERVAL 1 MONTH AND ${column} <= "a")`;
  const recv = inMonth('"dispatched_at"');
  return `
    WITH cases AS (${serviceCasesSql(options.filters, policy)}),
    paired AS (
      SELECT * FROM (
        SELECT c.*, unnest(list_distinct([date_trunc('month', c."dispatched_at")::DATE, date_trunc('month', c."due_at")::DATE,
          date_trunc('month', c."disposed_at")::DATE, date_trunc('month', c."visit_at")::DATE])) AS "m"
        FROM cases c
      ) WHERE ${options.months}
    ),
    timed AS (
      SELECT p.*, ${options.asOf} AS "a",
        ${workingTimeSql('c_disposed', 'p."disposed_at"')} - ${workingTimeSql('c_dispatched', 'p."dispatched_at"')} AS "reply_days"
      FROM paired p ${calendarJoinSql('c_dispatched', 'p."dispatched_at"')} ${calendarJoinSql('c_disposed', 'p."disposed_at"')}
    ),
    case_counts AS (
      SELECT "m", "grid_code", "department_code", "source", "item",
        count(*) FILTER (${recv}) AS "received",
        count(*) FILTER (${recv} AND ("first_response_at" <= "a" OR "response_due_at" <= "a")) AS "response_judged",
        count(*) FILTER (${recv} AND "first_response_at" <= "a" AND "first_response_at" <= "response_due_at") AS "responded_in_time",
        count(*) FILTER (${recv} AND "disposed_at" <= "a") AS "disposed",
        count(*) FILTER (${recv} AND ("disposed_at" <= "a" OR "reopen_count" > 0)) AS "ever_disposed",
        count(*) FILTER (${recv} AND "reopen_count" > 0) AS "reopened",
        count(*) FILTER (${inMonth('"due_at"')}) AS "due_in_period",
        count(*) FILTER (${inMonth('"due_at"')} AND "disposed_at" <= "due_at") AS "disposed_on_time",
        count(*) FILTER (${inMonth('"visit_at"')}) AS "return_visited",
        count(*) FILTER (${inMonth('"visit_at"')} AND "visit_result" = 'satisfied') AS "satisfied",
        count(*) FILTER (${inMonth('"visit_at"')} AND "visit_result" = 'basically_satisfied') AS "basically_satisfied",
        count(*) FILTER (${inMonth('"visit_at"')} AND "visit_result" NOT IN ('satisfied', 'basically_satisfied')) AS "dissatisfied",
        count(*) FILTER (${inMonth('"disposed_at"')} AND "dispatched_at" IS NOT NULL) AS "reply_cycle_count",
        coalesce(sum("reply_days") FILTER (${inMonth('"disposed_at"')} AND "dispatched_at" IS NOT NULL), 0) AS "reply_cycle_working_days"
      FROM timed GROUP BY ALL
    ),
    order_visits AS (
      SELECT * FROM (
        SELECT date_trunc('month', t."at")::DATE AS "m", t."at", json_extract_string(t."payload", '$.result') AS "result",
          CASE o."origin" WHEN 'hotline_transfer' THEN 'hotline' WHEN 'police_transfer' THEN 'police' ELSE 'other' END AS "source",
          o."item", o."grid_code", CASE WHEN o."assignee_kind" = 'department' THEN o."assignee_code" END AS "department_code"
        FROM "work_order_transitions" t JOIN "work_orders" o ON o."id" = t."order_id"
        WHERE t."action" = 'record_return_visit' AND ${options.filters.orders}
      ) WHERE ${options.months}
    ),
    visit_counts AS (
      SELECT "m", "grid_code", "department_code", "source", "item",
        0 AS "received", 0 AS "response_judged", 0 AS "responded_in_time", 0 AS "disposed", 0 AS "ever_disposed", 0 AS "reopened",
        0 AS "due_in_period", 0 AS "disposed_on_time",
        count(*) AS "return_visited",
        count(*) FILTER ("result" = 'satisfied') AS "satisfied",
        count(*) FILTER ("result" = 'basically_satisfied') AS "basically_satisfied",
        count(*) FILTER ("result" NOT IN ('satisfied', 'basically_satisfied')) AS "dissatisfied",
        0 AS "reply_cycle_count", 0.0 AS "reply_cycle_working_days"
      FROM (SELECT *, ${options.asOf} AS "a" FROM order_visits) WHERE "at" <= "a"
      GROUP BY ALL
    )
    SELECT "m" AS "month", "grid_code", "department_code", "source", "item",
      ${MEASURES.map((name) => `sum("${name}")::${name === 'reply_cycle_working_days' ? 'DOUBLE' : 'INTEGER'} AS "${name}"`).join(', ')}
    FROM (SELECT * FROM case_counts UNION ALL BY NAME SELECT * FROM visit_counts)
    GROUP BY ALL`;
}

export type ServiceCountRow = Record<(typeof MEASURES)[number], number | null>;

export function serviceCountsFromRow(row: ServiceCountRow | undefined): ServiceCounts {
  const counts = emptyServiceCounts();
  if (!row) return counts;
  const n = (value: number | null | undefined) => Number(value ?? 0);
  return {
    received: n(row.received),
    responseJudged: n(row.response_judged),
    respondedInTime: n(row.responded_in_time),
    disposed: n(row.disposed),
    dueInPeriod: n(row.due_in_period),
    disposedOnTime: n(row.disposed_on_time),
    returnVisited: n(row.return_visited),
    satisfied: n(row.satisfied),
    basicallySatisfied: n(row.basically_satisfied),
    dissatisfied: n(row.dissatisfied),
    replyCycleCount: n(row.reply_cycle_count),
    replyCycleWorkingDaysSum: n(row.reply_cycle_working_days),
    everDisposed: n(row.ever_disposed),
    reopened: n(row.reopened),
  };
}

/** `sum(measure) AS measure` for every measure, for readers that add rows up. */
export function sumServiceMeasuresSql(alias = ''): string {
  const q = alias ? `${alias}.` : '';
  return MEASURES.map((name) => `coalesce(sum(${q}"${name}"), 0)::${name === 'reply_cycle_working_days' ? 'DOUBLE' : 'INTEGER'} AS "${name}"`).join(', ');
}

export type ServiceSubjectFilter = { kind: 'unit'; code: string } | { kind: 'department'; code: string };

/**
 * The counts of one subject for one month, live (the street desk's orders change by the
 * minute): the same SQL as the precomputed table, restricted to the subject and the month.
 */
export async function countServiceCases(db: Database, subject: ServiceSubjectFilter, month: { from: WallClock; to: WallClock }, asOf: WallClock): Promise<ServiceCounts> {
  const filters: CaseFilters =
    subject.kind === 'unit'
      ? { orders: `starts_with(o."grid_code", $subject)`, events: `starts_with(e."grid_code", $subject)` }
      : {
          orders: `o."assignee_kind" = 'department' AND o."assignee_code" = $subject`,
          events: `e."handling_unit" IS NULL AND e."handling_dept" = $subject`,
        };
  // Only events that can touch the month (its dispatches, deadlines, disposals and visits).
  const touches = ['dispatched_at', 'due_at', 'closed_at'].map((c) => `(e."${c}" >= $from::TIMESTAMP AND e."${c}" < $to::TIMESTAMP)`).join(' OR ');
  filters.events = `${filters.events} AND (${touches})`;
  const rows = await db.all<ServiceCountRow>(
    `SELECT ${sumServiceMeasuresSql()} FROM (${serviceCountsSql({ filters, months: `"m" = $from::DATE`, asOf: `$as_of::TIMESTAMP` })})`,
    { subject: subject.code, from: sqlTimestamp(month.from), to: sqlTimestamp(month.to), as_of: sqlTimestamp(asOf) },
  );
  return serviceCountsFromRow(rows[0]);
}

/**
 * The counts of one subject for a finished month from `service_counts_monthly`, when the table
 * is exact for it: counted from the current data (same signature) and past the month's end.
 * Null otherwise (the caller counts live). Same numbers as `countServiceCases` at the month's end.
 */
export async function readPrecomputedServiceCounts(db: Database, subject: ServiceSubjectFilter, month: { from: WallClock; to: WallClock }): Promise<ServiceCounts | null> {
  const [table] = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE "table_name" = 'service_counts_state'`);
  if (!table?.n) return null;
  const [state] = await db.all<{ as_of: Date; signature: string }>(`SELECT "as_of", "signature" FROM "service_counts_state" WHERE "id" = 1`);
  if (!state || state.as_of < month.to || state.signature !== (await dataSignature(db))) return null;
  const rows = await db.all<ServiceCountRow>(
    `SELECT ${sumServiceMeasuresSql()} FROM "service_counts_monthly"
     WHERE "month" = $month::DATE AND "subject_kind" = $kind AND "subject_code" = $code`,
    { month: sqlTimestamp(month.from)!.slice(0, 10), kind: subject.kind, code: subject.code },
  );
  return serviceCountsFromRow(rows[0]);
}

const UNIT_LEVEL_PREFIXES: readonly [level: string, length: number][] = [
  ['grid', 15],
  ['community', 12],
  ['street', 9],
  ['district', 6],
  ['city', 4],
];

export interface ServiceCountsRefresh {
  asOf: WallClock;
  rows: number;
  ms: number;
}

/** What the counts depend on: changes whenever events, work orders or transitions change. */
async function dataSignature(db: Database): Promise<string> {
  const rows = await db.all<{ signature: string }>(
    `SELECT concat_ws('|',
       (SELECT count(*) FROM "events"), (SELECT max("updated_at") FROM "events"),
       (SELECT count(*) FROM "work_orders"), (SELECT max("updated_at") FROM "work_orders"),
       (SELECT count(*) FROM "work_order_transitions"), (SELECT count(*) FROM "work_calendar")) AS "signature"`,
  );
  return rows[0]?.signature ?? '';
}

/**
 * Rebuilds `service_counts_monthly`: every month up to `asOf` (default: now), each counted as
 * of its end or `asOf`, whichever is earlier — a finished month is judged at its end, as
 * `workOrders.metrics` does. Rows for every territorial level (by place) and every department.
 */
export async function refreshServiceCounts(db: Database, options: { asOf?: WallClock } = {}): Promise<ServiceCountsRefresh> {
  const started = performance.now();
  const asOf = options.asOf ?? wallClockFromInstant(new Date());
  const signature = await dataSignature(db);
  const base = serviceCountsSql({
    filters: { orders: 'TRUE', events: 'TRUE' },
    months: `"m" <= $as_of::TIMESTAMP`,
    asOf: `least(("m" + INTERVAL 1 MONTH)::TIMESTAMP, $as_of::TIMESTAMP)`,
  });
  const measures = MEASURES.map((name) => `"${name}"`).join(', ');
  const sums = sumServiceMeasuresSql();
  return db.transaction(async (tx) => {
    await tx.run(`CREATE OR REPLACE TEMP TABLE "service_counts_base" AS ${base}`, { as_of: sqlTimestamp(asOf) });
    await tx.run(`DELETE FROM "service_counts_monthly"`);
    // Every level in one statement (code prefixes nest), then the departments; sorted by month so
    // zone maps let a reader of one month skip the rest.
    const levels = `(VALUES ${UNIT_LEVEL_PREFIXES.map(([level, length]) => `('${level}', ${length})`).join(', ')}) AS lv("level", "length")`;
    await tx.run(
      `INSERT INTO "service_counts_monthly" ("month", "subject_kind", "level", "subject_code", "source", "item", ${measures})
       SELECT * FROM (
         SELECT "month", 'unit' AS "subject_kind", lv."level", left(b."grid_code", lv."length") AS "subject_code", "source", "item", ${sums}
         FROM "service_counts_base" b JOIN ${levels} ON length(b."grid_code") >= lv."length" GROUP BY ALL
         UNION ALL
         SELECT "month", 'department', 'department', "department_code", "source", "item", ${sums}
         FROM "service_counts_base" WHERE "department_code" IS NOT NULL GROUP BY ALL
       ) ORDER BY "month", "subject_kind", "subject_code"`,
    );
    await tx.run(`DROP TABLE "service_counts_base"`);
    await tx.run(`INSERT OR REPLACE INTO "service_counts_state" VALUES (1, $as_of::TIMESTAMP, $signature, now()::TIMESTAMP)`, { as_of: sqlTimestamp(asOf), signature });
    const [count] = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM "service_counts_monthly"`);
    return { asOf, rows: count?.n ?? 0, ms: performance.now() - started };
  });
}

export interface FreshnessOptions {
  now?: WallClock;
  /**
   * Tolerated age of stale counts, in ms (dashboards: the live simulator changes the data every
   * few seconds, and a recount per request would be wasteful). 0 (default, the index): exact.
   */
  maxStalenessMs?: number;
  /**
   * Stale-while-revalidate (the dashboards): when counts exist but are stale, the recount starts
   * in the background and the caller reads the counts as they are. A recount scans every case
   * (minutes at full scale), and a KPI request must not wait for it. Only when no counts were
   * ever taken does the caller wait.
   */
  background?: boolean;
}

const inFlight = new Map<string, Promise<boolean>>();

/**
 * Refreshes the precomputed counts when they are stale: never taken, the data changed since
 * (events, work orders, transitions, calendar), or they were taken in a month that has ended
 * since (that month was counted only up to the refresh). Returns whether it refreshed (in the
 * background mode: false, the recount may still be running).
 * Single flight per database: concurrent callers share one recount.
 */
export async function ensureServiceCountsFresh(db: Database, options: FreshnessOptions = {}): Promise<boolean> {
  const pending = inFlight.get(db.path);
  if (pending) return options.background && (await countsTaken(db)) ? false : pending;
  const now = options.now ?? wallClockFromInstant(new Date());
  const state = await staleness(db, now, options);
  if (state === 'fresh') return false;
  const started = inFlight.get(db.path);
  if (started) return options.background && state === 'stale' ? false : started;
  const promise = refreshServiceCounts(db, { asOf: now }).then(() => true).finally(() => inFlight.delete(db.path));
  inFlight.set(db.path, promise);
  if (options.background && state === 'stale') {
    // Nobody awaits it: a failed recount leaves the previous counts (it is one transaction) and
    // the next request tries again.
    promise.catch((error: unknown) => process.stderr.write(`服务统计后台重算失败: ${(error as Error).message}\n`));
    return false;
  }
  return promise;
}

/** Resolves when no recount of this database is running (tests, and a clean shutdown). */
export async function serviceCountsSettled(db: Database): Promise<void> {
  await inFlight.get(db.path)?.catch(() => undefined);
}

async function countsTaken(db: Database): Promise<boolean> {
  const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "service_counts_state" WHERE "id" = 1`);
  return (rows[0]?.n ?? 0) > 0;
}

async function staleness(db: Database, now: WallClock, options: FreshnessOptions): Promise<'fresh' | 'stale' | 'missing'> {
  const [state] = await db.all<{ as_of: Date; signature: string; age_ms: number }>(
    `SELECT "as_of", "signature", (epoch_ms(now()::TIMESTAMP) - epoch_ms("refreshed_at"))::DOUBLE AS "age_ms" FROM "service_counts_state" WHERE "id" = 1`,
  );
  if (!state) return 'missing';
  const monthEnd = Date.UTC(state.as_of.getUTCFullYear(), state.as_of.getUTCMonth() + 1, 1);
  const takenMidMonth = state.as_of.getTime() !== Date.UTC(state.as_of.getUTCFullYear(), state.as_of.getUTCMonth(), 1);
  const monthEnded = takenMidMonth && now.getTime() >= monthEnd;
  const tolerated = (options.maxStalenessMs ?? 0) > 0 && state.age_ms < options.maxStalenessMs!;
  return !monthEnded && (tolerated || state.signature === (await dataSignature(db))) ? 'fresh' : 'stale';
}
