import type { Database } from './database.ts';
import { CHILD_MONTHLY_LEVELS, childMonthlyFromRollupSql, parentMonthKeySql } from './migrations/0011-child-volumes.ts';
import {
  checkedPeriods, type Clock, eventMeasures, measureInputs, measureNames, measureType, type PeriodKind, PERIODS, type PeriodSpec, periodIn, receivedIn,
  sumMeasures, wholeSecond,
} from './rollups-sql.ts';
import { applyNewEvents, NEW_EVENTS_TEMP_TABLES } from './rollups-new-events.ts';
import { appendOverdueFlips, dropOverdueFlips, FOLD_ROWS, foldOverdueFlips, pendingOverdueFlips } from './rollups-overdue.ts';

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
 * Incremental refresh (the default once a full build exists). Writers set `events.updated_at`
 * when they insert or change a row. A refresh
 *  0. returns at once when nothing was written since the last one: same max(updated_at) and
 *     the event count equal to the number the rollups count, stored with the last refresh in
 *     warehouse_meta (cheap reads: the server's push path and the live feed call this every few
 *     seconds; a database refreshed before that number was stored reads the city totals once);
 *  1. collects the changed events (updated after the watermark) and, apart, the open cases
 *     whose due time the data clock (as_of) passed since the last refresh (`overdue` changes
 *     without any row changing);
 *  2. when every changed event is a new one (the number of events grew by exactly the number
 *     of changed rows; see refreshRollups), adds their measures and the repeat reporters they
 *     make to the stored rows (rollups-new-events.ts), and appends the overdue flips to the
 *     pending ones (rollups-overdue.ts, folded into the stored rows once they pass FOLD_ROWS):
 *     nothing is recomputed; otherwise first folds the pending flips, then recomputes, for
 *     each period kind, only the base-level groups (street × source × item for days, grid ×
 *     source × item for months) the changed events fall in — plus the groups of the same
 *     period's other events by the same reporters, whose repeat status may flip —
 *     turns the overdue flips of the other groups of those periods into ±1 deltas of
 *     `overdue`/`overdue_open`, and adds the difference (new − stored) to every ancestor row:
 *     additive deltas, so a month is never re-read as a whole; the flips of other periods are
 *     appended to the pending ones;
 *  3. compares the number of events with the rollups' city totals (those read before the
 *     deltas plus the deltas' own change of the event count: no re-read). A mismatch means something
 *     the deltas cannot see — an event deleted, or moved to another day, unit, source or item
 *     (its old group is unknown once the row is overwritten) — and then the city totals per
 *     day and per month are checked against the raw counts (a scan of every event's day) and
 *     the periods that differ rebuilt whole, as are all days from `since`. (A deletion and a
 *     move that cancel out in the same refresh go unnoticed; pass `since` or `full` then.)
 * A change of an existing event's reporter alone is not detected (its old reporter's
 * repeat counts); pass `since` or `full` after such a correction.
 * Reporters are compared by `reporter_key`, the stored integer: `reporter_hash` is its text,
 * computed on read (migration 15), which a full rebuild would do for every event.
 */
export interface RefreshOptions {
  /** Also recompute every day from this one ('YYYY-MM-DD'). */
  since?: string;
  /** Rebuild everything. */
  full?: boolean;
  /**
   * Pending overdue flips (rollups-overdue.ts) past which a refresh of new events folds them into
   * the stored rows; default FOLD_ROWS.
   */
  foldOverdueRows?: number;
  /** Progress (done, total, label), for the CLI's bar. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface RefreshResult {
  mode: 'full' | 'incremental';
  /** Days whose daily rows changed (by delta or rebuilt). */
  days: number;
  /** Months whose monthly rows changed (by delta or rebuilt). */
  months: number;
  /** Of those, the periods rebuilt whole (full refresh, `since`, or a failed consistency check). */
  rebuiltDays: number;
  rebuiltMonths: number;
  /**
   * Incremental refreshes only: every changed row was a new event, so their measures were added
   * without recomputing any stored group (rollups-new-events.ts).
   */
  newEventsOnly: boolean;
  ms: number;
}

const TEMP_TABLES = ['rollup_changed', 'rollup_flipped', 'rollup_touched', 'rollup_base', 'rollup_flip_delta', 'rollup_old', 'rollup_up', 'rollup_new',
  'rollup_child_new', ...NEW_EVENTS_TEMP_TABLES];

/**
 * `warehouse_meta` row written with every refresh: the number of events the rollups count and
 * the watermark they were refreshed to. Valid only with that same watermark in rollup_state.
 */
const COUNTED_META_KEY = 'rollups';

export async function refreshRollups(db: Database, options: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    const state = (await tx.all<Clock>(`SELECT "updated_watermark"::VARCHAR AS "watermark", "as_of"::VARCHAR AS "asOf" FROM "rollup_state" WHERE "id" = 1`))[0];
    const now = await latestUpdate(tx, state?.watermark ?? null);
    const full = options.full === true || !state?.watermark;
    const asOf = now.watermark ?? state?.asOf ?? '1970-01-01 00:00:00';
    const result: RefreshResult = { mode: full ? 'full' : 'incremental', days: 0, months: 0, rebuiltDays: 0, rebuiltMonths: 0, newEventsOnly: false, ms: 0 };
    const raw = await eventCounts(tx, state?.watermark ?? null);
    if (full) {
      await tx.run(`DELETE FROM "rollup_daily"`);
      await tx.run(`DELETE FROM "rollup_monthly"`);
      await tx.run(`DELETE FROM "rollup_child_monthly"`);
      options.onProgress?.(0, 2, 'rollups daily');
      result.days = result.rebuiltDays = await rebuildPeriods(tx, 'day', null, asOf);
      options.onProgress?.(1, 2, 'rollups monthly');
      result.months = result.rebuiltMonths = await rebuildPeriods(tx, 'month', null, asOf);
      options.onProgress?.(2, 2, 'rollups');
    } else {
      // Nothing written since the last refresh (same watermark) and no row deleted (the same
      // number of events as the rollups count): nothing to do. Cheap reads, as the server and
      // the live feed call this every few seconds. The count the rollups hold is the one stored
      // with the last refresh; databases refreshed before it was stored read the city totals.
      // (When those agree with each other, they are the count.)
      let totals = raw.counted === null ? await cityTotals(tx) : null;
      const counted = raw.counted ?? (totals!.daily === totals!.monthly ? totals!.monthly : null);
      if (options.since === undefined && now.watermark === state!.watermark && counted === raw.events) {
        // Read from the totals: stored now, once, so the next refreshes skip that read.
        if (raw.counted === null) await storeCounted(tx, raw.events, now.watermark);
        result.ms = performance.now() - started;
        return result;
      }
      const counts = await collectChanged(tx, state!, asOf);
      // On every DuckDB thread. (Until now a refresh of up to 200 k rows lowered DuckDB's `threads` to 1
      // for its run: measured at load 8–10 it took 1.8–5.0 s on one thread against 5.1–10.0 s on
      // two. But the setting is the instance's, so every other connection's queries ran on one
      // thread meanwhile, and shrinking the thread pool after heavy work — a full rebuild, a big
      // query — cost 0.14–0.43 s by itself (full scale, quiet machine). Quiet, one day added after
      // a full rebuild: 0.89–0.98 s on one thread, 0.59–0.63 s on two; later days 0.37–0.51 s
      // on one, 0.38–0.52 s on two, with ~40 % more CPU.)
      //
      // Every changed row is a new event exactly when the number of events grew by the number of
      // changed rows: new = counted + inserted − deleted, and every inserted row is a changed one
      // (writers stamp updated_at), so inserted ≤ changed; equality leaves no room for a changed
      // row that was counted before, nor for a deletion. Then the new events' own measures are
      // added, nothing stored is recomputed (rollups-new-events.ts).
      if (options.since === undefined && counted !== null && raw.events - counted === counts.changed) {
        const applied = await applyNewEvents(tx, state!.watermark!, asOf);
        result.days = applied.days.length;
        result.months = applied.months.length;
        result.newEventsOnly = true;
        if (await pendingOverdueFlips(tx) > (options.foldOverdueRows ?? FOLD_ROWS)) await foldOverdueFlips(tx);
      } else {
        // Recomputed groups replace their stored rows: those must hold every flip first.
        await foldOverdueFlips(tx);
        totals ??= await cityTotals(tx);
        const { periods: deltaDays, events: dayEvents } = await applyDeltas(tx, 'day', asOf, counts);
        const { periods: deltaMonths, events: monthEvents } = await applyDeltas(tx, 'month', asOf, counts);
        // The city totals after the deltas, by arithmetic: the deltas' own sums added to the totals
        // read before (a second read of the rollups after the writes cost ~0.1 s at full scale).
        const after = { raw: totals.raw, daily: totals.daily + dayEvents, monthly: totals.monthly + monthEvents };
        // The per-period check (a scan of every event's day) runs only when the totals disagree
        // — an event deleted, or moved out of its group — or a `since` asks for rebuilds.
        const stale = options.since !== undefined || !totalsAgree(after) ? await inconsistentPeriods(tx, options.since) : { days: [], months: [] };
        if (stale.days.length > 0) await rebuildPeriods(tx, 'day', stale.days, asOf);
        if (stale.months.length > 0) await rebuildPeriods(tx, 'month', stale.months, asOf);
        result.days = new Set([...deltaDays, ...stale.days]).size;
        result.months = new Set([...deltaMonths, ...stale.months]).size;
        result.rebuiltDays = stale.days.length;
        result.rebuiltMonths = stale.months.length;
      }
    }
    await tx.run(`INSERT OR REPLACE INTO "rollup_state" VALUES (1, $watermark::TIMESTAMP, $as_of::TIMESTAMP, now()::TIMESTAMP)`, { watermark: now.watermark, as_of: asOf });
    await storeCounted(tx, raw.events, now.watermark);
    for (const table of TEMP_TABLES) await tx.run(`DROP TABLE IF EXISTS "${table}"`);
    result.ms = performance.now() - started;
    return result;
  });
}

async function storeCounted(db: Database, events: number, watermark: string | null): Promise<void> {
  await db.run(`INSERT OR REPLACE INTO "warehouse_meta" VALUES ('${COUNTED_META_KEY}', $value)`, { value: JSON.stringify({ events, watermark }) });
}

/**
 * The number of events (table metadata, no scan) and the number the rollups count as stored by
 * the last refresh (null when none was stored for the current watermark).
 */
async function eventCounts(db: Database, watermark: string | null): Promise<{ events: number; counted: number | null }> {
  const row = (await db.all<{ events: number; meta: string | null }>(
    `SELECT (SELECT count(*) FROM "events")::DOUBLE AS "events", (SELECT "value" FROM "warehouse_meta" WHERE "key" = '${COUNTED_META_KEY}') AS "meta"`))[0]!;
  const meta = row.meta === null ? null : JSON.parse(row.meta) as { events?: unknown; watermark?: unknown };
  const counted = meta !== null && watermark !== null && meta.watermark === watermark && typeof meta.events === 'number' ? meta.events : null;
  return { events: row.events, counted };
}

/**
 * max(events.updated_at). Rows are stored roughly in updated_at order, so a scan of the rows
 * after the last watermark skips nearly every row group by its zone map. Strictly after: rows
 * stamped with the watermark itself can fill every row group — the generator stamps all of its
 * events with one instant, the end of the data — and then `>=` skipped none (a scan of the whole
 * column, ~0.1 s cold at full scale). When nothing is newer, the watermark stands if some row
 * still carries it (LIMIT 1: the first matching row ends the scan); only when none does (the
 * latest rows deleted) is the whole column read.
 */
async function latestUpdate(db: Database, watermark: string | null): Promise<{ watermark: string | null }> {
  if (watermark !== null) {
    const row = (await db.all<{ newer: string | null; same: string | null }>(
      `SELECT (SELECT max("updated_at") FROM "events" WHERE "updated_at" > $watermark::TIMESTAMP)::VARCHAR AS "newer",
         (SELECT "updated_at" FROM "events" WHERE "updated_at" = $watermark::TIMESTAMP LIMIT 1)::VARCHAR AS "same"`, { watermark }))[0]!;
    if (row.newer !== null || row.same !== null) return { watermark: row.newer ?? row.same };
  }
  return (await db.all<{ watermark: string | null }>(`SELECT max("updated_at")::VARCHAR AS "watermark" FROM "events"`))[0]!;
}

/**
 * The changed events (see the file comment): rows updated after the watermark, and — kept
 * apart — the open cases whose overdue status flips because as_of moved. Returns how many of each.
 */
async function collectChanged(db: Database, state: Clock, asOf: string): Promise<{ changed: number; flipped: number }> {
  // Two statements rather than one OR: each predicate alone lets DuckDB skip row groups by
  // their zone maps (rows are stored roughly in updated_at and due_at order), the OR did not
  // (a full scan of the events, ~0.8 s at full scale).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_changed" AS
     SELECT "street_code", "grid_code", "source", "category", ${measureInputs()} FROM "events"
     WHERE "updated_at" > $watermark::TIMESTAMP`,
    { watermark: state.watermark },
  );
  // `overdue` and `overdue_open` count open cases with due_at < as_of: moving as_of from old to
  // new flips exactly those with due_at between the two (up: +1 each, back: −1), and nothing
  // else of theirs. Rows updated since the watermark are recomputed whole instead.
  const oldAsOf = state.asOf ?? state.watermark!;
  const up = asOf >= oldAsOf;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_flipped" AS
     SELECT "received_at", "street_code", "grid_code", "source", "category", ${up ? 1 : -1} AS "sign" FROM "events"
     WHERE "closed_at" IS NULL AND "due_at" >= $low::TIMESTAMP AND "due_at" < $high::TIMESTAMP AND "updated_at" <= $watermark::TIMESTAMP
       AND "due_at" BETWEEN $low_s::TIMESTAMP_S AND $high_s::TIMESTAMP_S`,
    // The last line is implied by the exact bounds (whole seconds around them): compared as
    // TIMESTAMP_S, the column's own type, it prunes row groups by their zone maps, which the
    // TIMESTAMP comparison (a cast of every due_at) does not (0.28 s → 0.02 s at full scale).
    { low: up ? oldAsOf : asOf, high: up ? asOf : oldAsOf, watermark: state.watermark, low_s: wholeSecond(up ? oldAsOf : asOf), high_s: wholeSecond(up ? asOf : oldAsOf) },
  );
  const counts = await db.all<{ changed: number; flipped: number }>(
    `SELECT (SELECT count(*) FROM "rollup_changed")::INTEGER AS "changed", (SELECT count(*) FROM "rollup_flipped")::INTEGER AS "flipped"`);
  return counts[0]!;
}

/**
 * Step 2 of the incremental refresh for one period kind: recomputes the base groups of the
 * changed events, turns the overdue flips into +1/−1 deltas, and adds the change to every
 * level. Returns the periods touched and the change of the number of events they count.
 */
async function applyDeltas(db: Database, kind: PeriodKind, asOf: string, counts: { changed: number; flipped: number }): Promise<{ periods: string[]; events: number }> {
  const spec = PERIODS[kind];
  const changedPeriods = counts.changed > 0
    ? checkedPeriods((await db.all<{ p: string }>(`SELECT DISTINCT (${spec.of()})::VARCHAR AS p FROM "rollup_changed" ORDER BY 1`)).map((row) => row.p))
    : [];
  const flippedPeriods = counts.flipped > 0
    ? checkedPeriods((await db.all<{ p: string }>(`SELECT DISTINCT (${spec.of()})::VARCHAR AS p FROM "rollup_flipped" ORDER BY 1`)).map((row) => row.p))
    : [];
  const periods = [...new Set([...changedPeriods, ...flippedPeriods])].sort();
  if (periods.length === 0) return { periods: [], events: 0 };
  // Periods with flips only (no changed event): their rows exist already and only overdue and
  // overdue_open move, so the flips are appended to the pending ones instead of the rows being
  // re-read and rewritten whole (the flips of one day spread over every grid of the last
  // months: a whole-row rewrite read ~0.8 M stored rows at full scale).
  await appendOverdueFlips(db, spec, flippedPeriods.filter((period) => !changedPeriods.includes(period)));
  // Flips move no event between groups: only changed events change the number of events.
  const events = changedPeriods.length > 0 ? await applyChanged(db, spec, changedPeriods, asOf) : 0;
  return { periods, events };
}

/**
 * The changed events' periods: recomputes their base groups, adds the difference (and the
 * overdue flips of the other groups of those periods) to every level.
 */
async function applyChanged(db: Database, spec: PeriodSpec, changedPeriods: readonly string[], asOf: string): Promise<number> {
  const periods = changedPeriods;
  const columns = measureNames.map((name) => `"${name}"`).join(', ');
  const zero = (name: string) => `0::${measureType(name)} AS "${name}"`;
  const inPeriods = receivedIn(spec, changedPeriods);
  // Base groups of the changed events, and of the same period's events by the same reporters.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_touched" AS
     WITH reporters AS (SELECT DISTINCT ${spec.of()} AS "period", "reporter_key" FROM "rollup_changed" WHERE "reporter_key" IS NOT NULL)
     SELECT DISTINCT ${spec.of()} AS "period", "${spec.baseColumn}" AS "code", "source", "category" AS "item" FROM "rollup_changed"
     UNION
     SELECT DISTINCT ${spec.of('e.')}, e."${spec.baseColumn}", e."source", e."category"
     FROM "events" e SEMI JOIN reporters r ON r."period" = ${spec.of('e.')} AND r."reporter_key" = e."reporter_key"
     WHERE ${receivedIn(spec, changedPeriods, 'e.')}`,
  );
  // Their new contents, computed exactly as a rebuild does (repeat reporters over the whole period).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_base" AS
     WITH scoped AS (
       SELECT ${spec.of('e.')} AS "period", e."${spec.baseColumn}" AS "code", e."source", e."category" AS "item", ${measureInputs('e.')}
       FROM "events" e SEMI JOIN "rollup_touched" t
         ON t."period" = ${spec.of('e.')} AND t."code" = e."${spec.baseColumn}" AND t."source" = e."source" AND t."item" = e."category"
       WHERE ${receivedIn(spec, changedPeriods, 'e.')}
     ),
     repeaters AS (
       SELECT ${spec.of()} AS "period", "reporter_key" FROM "events"
       WHERE ${inPeriods} AND "reporter_key" IN (SELECT "reporter_key" FROM scoped)
       GROUP BY ALL HAVING count(*) > 1
     )
     SELECT s."period", s."code", s."source", s."item", ${eventMeasures}
     FROM scoped s LEFT JOIN repeaters r ON r."period" = s."period" AND r."reporter_key" = s."reporter_key"
     GROUP BY ALL`,
    { as_of: asOf },
  );
  // The overdue flips of the groups not recomputed (a recomputed group already counts its flips).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_flip_delta" AS
     SELECT ${spec.of('f.')} AS "period", f."${spec.baseColumn}" AS "code", f."source"::VARCHAR AS "source", f."category"::VARCHAR AS "item",
       ${measureNames.map((name) => (name === 'overdue' || name === 'overdue_open' ? `sum(f."sign")::${measureType(name)} AS "${name}"` : zero(name))).join(', ')}
     FROM "rollup_flipped" f ANTI JOIN "rollup_touched" t
       ON t."period" = ${spec.of('f.')} AND t."code" = f."${spec.baseColumn}" AND t."source" = f."source" AND t."item" = f."category"
     WHERE ${receivedIn(spec, changedPeriods, 'f.')}
     GROUP BY 1, 2, 3, 4`,
  );
  // The stored base rows of every group that changes, read once (the largest level: one scan).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_old" AS
     WITH keys AS (SELECT "period", "code", "source", "item" FROM "rollup_touched" UNION ALL SELECT "period", "code", "source", "item" FROM "rollup_flip_delta")
     SELECT r."${spec.column}" AS "period", r."unit_code" AS "code", r."source", r."item", ${measureNames.map((name) => `r."${name}"`).join(', ')}
     FROM "${spec.table}" r SEMI JOIN keys t
       ON t."period" = r."${spec.column}" AND t."code" = r."unit_code" AND t."source" = r."source" AND t."item" = r."item"
     WHERE r."level" = '${spec.baseLevel}' AND ${periodIn(spec, periods, 'r.')}`,
  );
  // The change of every base group (recomputed − stored, and the flips), then that of every
  // level, each summed from the level below (smaller inputs than one aggregate of the base
  // deltas copied to every level: the hash aggregate of ~130 k rows into ~50 k groups with 19
  // sums was the refresh's costliest statement at full scale).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_up" AS
     SELECT "period", '${spec.baseLevel}' AS "level", "code", left("code", ${spec.ancestors[0]![1]}) AS "parent", "source", "item", ${columns}
     FROM (
       SELECT "period", "code", "source", "item", ${measureNames.map((name) => `(coalesce(n."${name}", 0) - coalesce(o."${name}", 0))::${measureType(name)} AS "${name}"`).join(', ')}
       FROM "rollup_base" n LEFT JOIN "rollup_old" o USING ("period", "code", "source", "item")
       UNION ALL
       SELECT "period", "code", "source", "item", ${measureNames.map((name) => `-o."${name}"`).join(', ')}
       FROM "rollup_old" o SEMI JOIN "rollup_touched" t USING ("period", "code", "source", "item") ANTI JOIN "rollup_base" n USING ("period", "code", "source", "item")
       UNION ALL
       SELECT * FROM "rollup_flip_delta")`,
  );
  await sumAncestorLevels(db, spec, 'rollup_up');
  // Every reached key's new row: the stored row (base rows read already; the ancestors' read
  // here, one scan) plus the delta. Rows that fall to zero events are dropped below (a rebuild
  // would not have them). Then one DELETE and one INSERT: few statements, as the live feed
  // refreshes every few seconds.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_new" AS
     WITH stored AS (
       SELECT "period", '${spec.baseLevel}' AS "level", "code", "source", "item", ${columns} FROM "rollup_old"
       UNION ALL
       SELECT r."${spec.column}", r."level", r."unit_code", r."source", r."item", ${measureNames.map((name) => `r."${name}"`).join(', ')}
       FROM "${spec.table}" r
       SEMI JOIN "rollup_up" k ON k."period" = r."${spec.column}" AND k."level" = r."level" AND k."code" = r."unit_code" AND k."source" = r."source" AND k."item" = r."item"
       WHERE r."level" <> '${spec.baseLevel}' AND ${periodIn(spec, periods, 'r.')}
     )
     SELECT u."period", u."level", u."code", u."parent", u."source", u."item",
       ${measureNames.map((name) => `(coalesce(o."${name}", 0) + u."${name}")::${measureType(name)} AS "${name}"`).join(', ')}
     FROM "rollup_up" u LEFT JOIN stored o USING ("period", "level", "code", "source", "item")`,
  );
  await db.run(
    `DELETE FROM "${spec.table}" r USING "rollup_new" k
     WHERE ${periodIn(spec, periods, 'r.')}
       AND k."period" = r."${spec.column}" AND k."level" = r."level" AND k."code" = r."unit_code" AND k."source" = r."source" AND k."item" = r."item"`,
  );
  await db.run(`INSERT INTO "${spec.table}" SELECT * FROM "rollup_new" WHERE "events" <> 0 ORDER BY "level", "period", "code"`);
  if (spec === PERIODS.month) await applyChildDeltas(db, periods);
  const delta = await db.all<{ n: number }>(`SELECT coalesce(sum("events"), 0)::DOUBLE AS "n" FROM "rollup_up" WHERE "level" = '${spec.baseLevel}'`);
  return delta[0]!.n;
}

/**
 * rollup_child_monthly (see migration 11) follows rollup_monthly: the event deltas of every
 * unit below the city (rollup_up), summed over items, added to the stored rows. Only the keys
 * whose count moves are rewritten (overdue flips and measure-only changes leave it alone).
 */
async function applyChildDeltas(db: Database, periods: readonly string[]): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_child_new" AS
     WITH delta AS (
       SELECT ${parentMonthKeySql('"parent"', '"period"')} AS "parent_month", "period" AS "month", "code" AS "unit_code", "source"::VARCHAR AS "source",
         sum("events")::INTEGER AS "events"
       FROM "rollup_up" WHERE "level" IN (${CHILD_MONTHLY_LEVELS.map((level) => `'${level}'`).join(', ')})
       GROUP BY 1, 2, 3, 4 HAVING sum("events") <> 0
     )
     SELECT d."parent_month", d."month", d."unit_code", d."source", (coalesce(c."events", 0) + d."events")::INTEGER AS "events", c."events" IS NOT NULL AS "stored"
     FROM delta d LEFT JOIN (SELECT * FROM "rollup_child_monthly" WHERE ${periodIn(PERIODS.month, periods)}) c
       ON c."parent_month" = d."parent_month" AND c."unit_code" = d."unit_code" AND c."source" = d."source"`,
  );
  await db.run(
    `DELETE FROM "rollup_child_monthly" c USING (SELECT * FROM "rollup_child_new" WHERE "stored") k
     WHERE ${periodIn(PERIODS.month, periods, 'c.')} AND c."parent_month" = k."parent_month" AND c."unit_code" = k."unit_code" AND c."source" = k."source"`,
  );
  await db.run(
    `INSERT INTO "rollup_child_monthly" SELECT "parent_month", "month", "unit_code", "source", "events" FROM "rollup_child_new"
     WHERE "events" <> 0 ORDER BY 1, 3, 4`,
  );
}

/**
 * Whether the number of events equals the city totals of both rollups. An event deleted, or
 * moved to another day, unit, source or item, makes them differ (its old group still counts
 * it); new and changed rows folded in by delta keep them equal.
 */
interface CityTotals { raw: number; daily: number; monthly: number }

/**
 * Adds to `table` (a temp table of rollup rows with a "level" column, holding the base level)
 * each ancestor level of `spec`, summed from the level below it: smaller inputs than re-reading
 * the base level for every ancestor.
 */
async function sumAncestorLevels(db: Database, spec: PeriodSpec, table: 'rollup_up' | 'rollup_base'): Promise<void> {
  let previous = spec.baseLevel;
  for (const [level, length, parentLength] of spec.ancestors) {
    await db.run(
      `INSERT INTO "${table}"
       SELECT "period", '${level}', left("code", ${length}), ${parentLength ? `left("code", ${parentLength})` : 'NULL'}, "source", "item", ${sumMeasures}
       FROM "${table}" WHERE "level" = '${previous}' GROUP BY 1, 2, 3, 4, 5, 6`,
    );
    previous = level;
  }
}

function totalsAgree({ raw, daily, monthly }: CityTotals): boolean {
  return raw === daily && raw === monthly;
}

async function cityTotals(db: Database): Promise<CityTotals> {
  const rows = await db.all<CityTotals>(
    `SELECT (SELECT count(*) FROM "events")::DOUBLE AS "raw",
       (SELECT coalesce(sum("events"), 0) FROM "rollup_daily" WHERE "level" = 'city')::DOUBLE AS "daily",
       (SELECT coalesce(sum("events"), 0) FROM "rollup_monthly" WHERE "level" = 'city')::DOUBLE AS "monthly"`);
  return rows[0]!;
}

/**
 * Step 3: days and months whose city totals differ from the raw event counts, plus every day
 * from `since` (and its months).
 */
async function inconsistentPeriods(db: Database, since: string | undefined): Promise<{ days: string[]; months: string[] }> {
  const rows = await db.all<{ kind: PeriodKind; p: string }>(
    `WITH raw AS (SELECT "received_at"::DATE AS "day", count(*) AS "n" FROM "events" GROUP BY 1),
     raw_months AS (SELECT date_trunc('month', "day")::DATE AS "month", sum("n") AS "n" FROM raw GROUP BY 1),
     daily AS (SELECT "day", sum("events") AS "n" FROM "rollup_daily" WHERE "level" = 'city' GROUP BY 1),
     monthly AS (SELECT "month", sum("events") AS "n" FROM "rollup_monthly" WHERE "level" = 'city' GROUP BY 1)
     SELECT 'day' AS "kind", "day"::VARCHAR AS "p" FROM raw FULL JOIN daily USING ("day") WHERE coalesce(raw."n", 0) <> coalesce(daily."n", 0)
     UNION SELECT 'day', "day"::VARCHAR FROM raw WHERE "day" >= $since::DATE
     UNION SELECT 'month', "month"::VARCHAR FROM raw_months FULL JOIN monthly USING ("month") WHERE coalesce(raw_months."n", 0) <> coalesce(monthly."n", 0)
     UNION SELECT 'month', "month"::VARCHAR FROM raw_months WHERE "month" >= date_trunc('month', $since::DATE)
     ORDER BY 1, 2`,
    { since: since ?? '9999-12-31' },
  );
  return {
    days: checkedPeriods(rows.filter((row) => row.kind === 'day').map((row) => row.p)),
    months: checkedPeriods(rows.filter((row) => row.kind === 'month').map((row) => row.p)),
  };
}

/**
 * Recomputes whole periods (all of them when `periods` is null) from events: aggregates at the
 * base level, then adds each ancestor level by code prefix (4 / 6 / 9 / 12 / 15-digit codes
 * nest). Returns the number of periods written.
 */
async function rebuildPeriods(db: Database, kind: PeriodKind, periods: readonly string[] | null, asOf: string): Promise<number> {
  const spec = PERIODS[kind];
  const where = periods ? `WHERE ${receivedIn(spec, periods)}` : '';
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_base" AS
     WITH scoped AS (
       SELECT ${spec.of()} AS "period", "${spec.baseColumn}" AS "code", "source", "category" AS "item", ${measureInputs()}
       FROM "events" ${where}
     ),
     repeaters AS (
       SELECT "period", "reporter_key" FROM scoped WHERE "reporter_key" IS NOT NULL GROUP BY ALL HAVING count(*) > 1
     )
     SELECT s."period", '${spec.baseLevel}' AS "level", s."code", left(s."code", ${spec.ancestors[0]![1]}) AS "parent", s."source", s."item",
       ${eventMeasures}
     FROM scoped s LEFT JOIN repeaters r ON r."period" = s."period" AND r."reporter_key" = s."reporter_key"
     GROUP BY ALL`,
    { as_of: asOf },
  );
  if (periods) await db.run(`DELETE FROM "${spec.table}" WHERE ${periodIn(spec, periods)}`);
  // The rebuilt rows count every flip as of now: the pending ones of those periods go.
  await dropOverdueFlips(db, kind, periods);
  if (periods && kind === 'month') await db.run(`DELETE FROM "rollup_child_monthly" WHERE ${periodIn(spec, periods)}`);
  await sumAncestorLevels(db, spec, 'rollup_base');
  // Sorted by level, then period and unit: zone maps on the level, the period and the codes
  // let a dashboard query skip everything else. Level first: the upper levels (city,
  // district, street) are small, so all their periods share a few row groups instead of
  // sitting at the head of every period's run of grid rows — a city series over 12 months
  // reads one row group instead of twelve (period-first ordering, at full scale).
  await db.run(`INSERT INTO "${spec.table}" SELECT * FROM "rollup_base" ORDER BY 2, 1, 3`);
  if (kind === 'month') {
    await db.run(`INSERT INTO "rollup_child_monthly" ${childMonthlyFromRollupSql('"rollup_base"', { month: 'period', unit: 'code', parent: 'parent' })}`);
  }
  return (await db.all<{ n: number }>(`SELECT count(DISTINCT "period")::INTEGER AS n FROM "rollup_base"`))[0]!.n;
}
