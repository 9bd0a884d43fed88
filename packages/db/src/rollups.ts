import type { Database } from './database.ts';
import { ROLLUP_MEASURES } from './migrations/0001-warehouse.ts';

/**
 * Rollups that dashboards read instead of raw events:
 *  - `rollup_monthly`: month × unit × source × item at every level (city, district, street,
 *    community, grid);
 *  - `rollup_daily`: day × unit × source × item for city, district and street. Not for
 *    communities and grids: at full scale a grid sees ~1.6 events a day, so a daily grid
 *    rollup would be as large as the events table itself; their series are monthly.
 * All measures are additive (see ROLLUP_MEASURES), so parents are sums of children.
 * `repeat_reporter_events` counts events whose reporter filed two or more in the same
 * period (that day in rollup_daily, that month in rollup_monthly; any unit, any source).
 *
 * Incremental refresh: writers only set `events.updated_at` when they insert or change a
 * row. A refresh finds the days that changed — events updated after the last watermark,
 * open cases whose due time passed since the last refresh (overdue changes without any row
 * changing), and every day from `since` when given — then recomputes those days in
 * rollup_daily and their whole months in rollup_monthly.
 */
export interface RefreshOptions {
  /** Also recompute every day from this one ('YYYY-MM-DD'). */
  since?: string;
  /** Rebuild everything. */
  full?: boolean;
  /** Progress (done, total, label), for the CLI's bar. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface RefreshResult {
  mode: 'full' | 'incremental';
  days: number;
  months: number;
  ms: number;
}

const measureNames = ROLLUP_MEASURES.map(([name]) => name);
const sumMeasures = ROLLUP_MEASURES.map(([name, type]) => `sum("${name}")::${type.split(' ')[0]} AS "${name}"`).join(', ');

/** Per-event measure expressions over events `s` left-joined to the period's repeat reporters `r`. */
const EVENT_MEASURES: Record<string, string> = {
  events: 'count(*)',
  dispatched: 'count("dispatched_at")',
  responded: 'count("first_response_at")',
  closed: 'count("closed_at")',
  closed_on_time: 'count(*) FILTER ("closed_at" IS NOT NULL AND ("due_at" IS NULL OR "closed_at" <= "due_at"))',
  closed_work_orders: 'count(*) FILTER ("closed_at" IS NOT NULL AND "dispatched_at" IS NOT NULL)',
  overdue: `count(*) FILTER ("due_at" IS NOT NULL AND (("closed_at" IS NOT NULL AND "closed_at" > "due_at") OR ("closed_at" IS NULL AND "due_at" < $as_of::TIMESTAMP)))`,
  overdue_open: `count(*) FILTER ("closed_at" IS NULL AND "due_at" < $as_of::TIMESTAMP)`,
  visited: 'count("return_visit")',
  satisfied: `count(*) FILTER ("return_visit" = 'satisfied')`,
  basically_satisfied: `count(*) FILTER ("return_visit" = 'basically_satisfied')`,
  dissatisfied: `count(*) FILTER ("return_visit" = 'dissatisfied')`,
  reply_work_seconds: `coalesce(sum(round(working_days_between("received_at", "closed_at") * 86400)::BIGINT) FILTER ("closed_at" IS NOT NULL AND "dispatched_at" IS NOT NULL), 0)`,
  reply_seconds: `coalesce(sum(date_diff('second', "received_at", "closed_at")) FILTER ("closed_at" IS NOT NULL AND "dispatched_at" IS NOT NULL), 0)`,
  repeat_reporter_events: 'count(r."reporter_hash")',
  police_matters: 'count(*) FILTER ("police_is_police_matter")',
  transferred_to_hotline: 'count(*) FILTER ("police_transferred_to_hotline")',
  group_petitions: 'count(*) FILTER ("petition_group_size" >= 5)',
  emergencies: `count(*) FILTER ("urgency" = 'emergency')`,
};
const eventMeasures = measureNames.map((name) => `${EVENT_MEASURES[name]} AS "${name}"`).join(',\n    ');

interface Clock {
  watermark: string | null;
  asOf: string | null;
}

export async function refreshRollups(db: Database, options: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    const state = (await tx.all<Clock>(`SELECT "updated_watermark"::VARCHAR AS "watermark", "as_of"::VARCHAR AS "asOf" FROM "rollup_state" WHERE "id" = 1`))[0];
    const now = (await tx.all<{ watermark: string | null }>(`SELECT max("updated_at")::VARCHAR AS "watermark" FROM "events"`))[0]!;
    const full = options.full === true || !state?.watermark;
    const asOf = now.watermark ?? state?.asOf ?? '1970-01-01 00:00:00';
    if (full) {
      await tx.run(`DELETE FROM "rollup_daily"`);
      await tx.run(`DELETE FROM "rollup_monthly"`);
      await tx.run(`CREATE OR REPLACE TEMP TABLE "rollup_dirty_days" AS SELECT DISTINCT "received_at"::DATE AS "day" FROM "events"`);
    } else {
      await collectDirtyDays(tx, state!, asOf, options.since);
    }
    const range = (await tx.all<{ lo: string | null; hi: string | null; days: number; months: number }>(
      `SELECT min("day")::VARCHAR AS lo, max("day")::VARCHAR AS hi, count(*)::INTEGER AS days,
              count(DISTINCT date_trunc('month', "day"))::INTEGER AS months FROM "rollup_dirty_days"`,
    ))[0]!;
    if (range.lo && range.hi) {
      // One pass over all dirty days (month-by-month passes measured slower: per-statement cost).
      options.onProgress?.(0, 2, 'rollups daily');
      await rebuildPeriods(tx, 'day', range.lo, range.hi, asOf, full);
      options.onProgress?.(1, 2, 'rollups monthly');
      await rebuildPeriods(tx, 'month', range.lo, range.hi, asOf, full);
      options.onProgress?.(2, 2, 'rollups');
    }
    await tx.run(`INSERT OR REPLACE INTO "rollup_state" VALUES (1, $watermark::TIMESTAMP, $as_of::TIMESTAMP, now()::TIMESTAMP)`, { watermark: now.watermark, as_of: asOf });
    for (const table of ['rollup_dirty_days', 'rollup_base']) await tx.run(`DROP TABLE IF EXISTS "${table}"`);
    return { mode: full ? 'full' : 'incremental', days: range.days, months: range.months, ms: performance.now() - started };
  });
}

async function collectDirtyDays(db: Database, state: Clock, asOf: string, since: string | undefined): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_dirty_days" AS
     SELECT DISTINCT "received_at"::DATE AS "day" FROM "events" WHERE "updated_at" > $watermark::TIMESTAMP
     UNION SELECT DISTINCT "received_at"::DATE FROM "events"
       WHERE "closed_at" IS NULL AND "due_at" > $old_as_of::TIMESTAMP AND "due_at" <= $as_of::TIMESTAMP
     UNION SELECT DISTINCT "received_at"::DATE FROM "events" WHERE "received_at" >= $since::DATE`,
    { watermark: state.watermark, old_as_of: state.asOf ?? state.watermark, as_of: asOf, since: since ?? '9999-12-31' },
  );
}

interface PeriodSpec {
  table: string;
  column: string;
  /** Events → period key. */
  of: string;
  /** The finest level stored and the code length of that level. */
  baseColumn: string;
  baseLevel: string;
  ancestors: readonly [level: string, length: number, parentLength: number | null][];
}

const PERIODS: Record<'day' | 'month', PeriodSpec> = {
  day: {
    table: 'rollup_daily', column: 'day', of: `"received_at"::DATE`, baseColumn: 'street_code', baseLevel: 'street',
    ancestors: [['district', 6, 4], ['city', 4, null]],
  },
  month: {
    table: 'rollup_monthly', column: 'month', of: `date_trunc('month', "received_at")::DATE`, baseColumn: 'grid_code', baseLevel: 'grid',
    ancestors: [['community', 12, 9], ['street', 9, 6], ['district', 6, 4], ['city', 4, null]],
  },
};

/**
 * Recomputes the periods (days, or the months containing the dirty days) from events:
 * aggregates at the base level, then adds each ancestor level by code prefix
 * (4 / 6 / 9 / 12 / 15-digit codes nest).
 */
async function rebuildPeriods(db: Database, kind: 'day' | 'month', lo: string, hi: string, asOf: string, full: boolean): Promise<void> {
  const spec = PERIODS[kind];
  // Whole months when rebuilding months: a month's repeat reporters depend on all its days.
  const from = kind === 'month' ? `date_trunc('month', $lo::DATE)` : `$lo::DATE`;
  const to = kind === 'month' ? `date_trunc('month', $hi::DATE) + INTERVAL 1 MONTH` : `$hi::DATE + 1`;
  const dirty = full ? '' : `AND ${spec.of} IN (SELECT DISTINCT ${kind === 'month' ? `date_trunc('month', "day")::DATE` : '"day"'} FROM "rollup_dirty_days")`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_base" AS
     WITH scoped AS (
       SELECT ${spec.of} AS "period", "${spec.baseColumn}" AS "code", "source", "category" AS "item", "reporter_hash", "received_at", "dispatched_at",
         "first_response_at", "due_at", "closed_at", "return_visit", "police_is_police_matter", "police_transferred_to_hotline", "petition_group_size", "urgency"
       FROM "events" WHERE "received_at" >= ${from} AND "received_at" < ${to} ${dirty}
     ),
     repeaters AS (
       SELECT "period", "reporter_hash" FROM scoped WHERE "reporter_hash" IS NOT NULL GROUP BY ALL HAVING count(*) > 1
     )
     SELECT s."period", '${spec.baseLevel}' AS "level", s."code", left(s."code", ${spec.ancestors[0]![1]}) AS "parent", s."source", s."item",
       ${eventMeasures}
     FROM scoped s LEFT JOIN repeaters r ON r."period" = s."period" AND r."reporter_hash" = s."reporter_hash"
     GROUP BY ALL`,
    { lo, hi, as_of: asOf },
  );
  if (!full) {
    const periods = kind === 'month' ? `date_trunc('month', "day")::DATE` : '"day"';
    await db.run(`DELETE FROM "${spec.table}" WHERE "${spec.column}" IN (SELECT DISTINCT ${periods} FROM "rollup_dirty_days")`);
  }
  // Each level is summed from the level below it (smaller inputs than re-reading the base).
  let previous = spec.baseLevel;
  for (const [level, length, parentLength] of spec.ancestors) {
    await db.run(
      `INSERT INTO "rollup_base"
       SELECT "period", '${level}', left("code", ${length}), ${parentLength ? `left("code", ${parentLength})` : 'NULL'}, "source", "item", ${sumMeasures}
       FROM "rollup_base" WHERE "level" = '${previous}' GROUP BY 1, 2, 3, 4, 5, 6`,
    );
    previous = level;
  }
  // Sorted by period, then level and unit: zone maps on the period and the code let a query
  // skip everything else.
  await db.run(`INSERT INTO "${spec.table}" SELECT * FROM "rollup_base" ORDER BY 1, 2, 3`);
}
