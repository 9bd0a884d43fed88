import type { Database } from './database.ts';
import { CHILD_MONTHLY_LEVELS, parentMonthKeySql } from './migrations/0011-child-volumes.ts';
import { appendOverdueFlips } from './rollups-overdue.ts';
import { checkedPeriods, eventValues, measureNames, measureType, type PeriodKind, PERIODS, type PeriodSpec, periodIn, receivedIn } from './rollups-sql.ts';

/**
 * The incremental refresh when every changed row is a new event (the common case: a day's
 * arrivals, an import of new cases; see refreshRollups for how that is known). Nothing stored
 * is re-read or recomputed: each new event adds its own measures to its groups at every level,
 * and the only other changes are
 *  - repeat reporters: a new event counts as a repeat-reporter event when its reporter has two
 *    or more events in the period (stored ones included), and a stored event becomes one when
 *    it was its reporter's only event of the period and the reporter now has new ones (+1 in
 *    that event's groups);
 *  - the overdue flips of stored open cases (±1 on `overdue` and `overdue_open`): appended to
 *    the pending flips (rollups-overdue.ts), not written to the stored rows.
 * The new events' and repeat reporters' contributions are summed into deltas per period kind
 * (every level at once), then added to the stored rows in place by a MERGE: the groups new events
 * fall in that exist already take the delta, the others are inserted. A day starting a new
 * period touches no stored row of that period: its rows are only inserted.
 */
export const NEW_EVENTS_TEMP_TABLES = ['rollup_peers'];

export interface NewEventsResult {
  days: string[];
  months: string[];
}

export async function applyNewEvents(db: Database, watermark: string, asOf: string): Promise<NewEventsResult> {
  // The days of the new events and of the flips; their months are those days' first days.
  const days = await db.all<{ flipped: boolean; p: string }>(
    `SELECT "flipped", "day"::VARCHAR AS "p" FROM (
       SELECT DISTINCT false AS "flipped", ${PERIODS.day.of()} AS "day" FROM "rollup_changed"
       UNION SELECT DISTINCT true, ${PERIODS.day.of()} FROM "rollup_flipped")`,
  );
  const periods = (kind: PeriodKind, flipped: boolean) => checkedPeriods([...new Set(days.filter((row) => row.flipped === flipped)
    .map((row) => (kind === 'day' ? row.p : `${row.p.slice(0, 8)}01`)))].sort());
  const changedMonths = periods('month', false);
  // The stored events of the new events' reporters in the new events' months (which hold their
  // days too): whose repeat status may change. One scan of those months' reporter column.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE "rollup_peers" AS
     SELECT e."received_at", e."street_code", e."grid_code", e."source", e."category", e."reporter_key"
     FROM "events" e SEMI JOIN "rollup_changed" c ON c."reporter_key" = e."reporter_key"
     WHERE ${changedMonths.length > 0 ? receivedIn(PERIODS.month, changedMonths, 'e.') : 'false'} AND e."updated_at" <= $watermark::TIMESTAMP`,
    { watermark },
  );
  // The new events' periods that have stored rows: only there can a group exist already (a day
  // that starts a new period has none, and its rows are inserted without looking for them).
  const changedDays = periods('day', false);
  const stored = changedMonths.length === 0 ? [] : await db.all<{ kind: PeriodKind; p: string }>(
    `SELECT DISTINCT 'day' AS "kind", "day"::VARCHAR AS "p" FROM "rollup_daily" WHERE ${periodIn(PERIODS.day, changedDays)}
     UNION ALL SELECT DISTINCT 'month', "month"::VARCHAR FROM "rollup_monthly" WHERE ${periodIn(PERIODS.month, changedMonths)}`,
  );
  const result: NewEventsResult = { days: [], months: [] };
  for (const kind of ['day', 'month'] as const) {
    const changed = periods(kind, false);
    const flipped = periods(kind, true);
    if (changed.length === 0 && flipped.length === 0) continue;
    const storedChanged = checkedPeriods(stored.filter((row) => row.kind === kind).map((row) => row.p));
    await addDeltas(db, PERIODS[kind], { changed, storedChanged, flipped }, asOf);
    result[kind === 'day' ? 'days' : 'months'] = [...new Set([...changed, ...flipped])].sort();
  }
  return result;
}

const keysMatch = (spec: PeriodSpec, r: string, d: string) =>
  `${r}."${spec.column}" = ${d}."period" AND ${r}."level" = ${d}."level" AND ${r}."unit_code" = ${d}."code" AND ${r}."source" = ${d}."source" AND ${r}."item" = ${d}."item"`;

interface DeltaPeriods {
  /** Periods of new events; of those, the ones with stored rows; periods of overdue flips. */
  changed: readonly string[];
  storedChanged: readonly string[];
  flipped: readonly string[];
}

async function addDeltas(db: Database, spec: PeriodSpec, { changed, storedChanged, flipped }: DeltaPeriods, asOf: string): Promise<void> {
  await appendOverdueFlips(db, spec, flipped);
  if (changed.length === 0) return;
  const only = (values: Record<string, string>) =>
    measureNames.map((name) => `${values[name] ?? '0'}::${measureType(name)} AS "${name}"`).join(', ');
  // Levels by number (base level 0), with their code and parent code lengths.
  const levels = [[spec.baseLevel, 64, spec.ancestors[0]![1]] as const, ...spec.ancestors];
  const levelNumbers = `(VALUES ${levels.map(([, length], no) => `(${no}::UTINYINT, ${length})`).join(', ')}) l("no", "length")`;
  const levelName = `[${levels.map(([level]) => `'${level}'`).join(', ')}][g."no" + 1]`;
  const parentCode = `CASE WHEN g."no" < ${levels.length - 1} THEN left(g."code", [${levels.map(([, , parent]) => parent ?? 0).join(', ')}][g."no" + 1]) END`;
  // Every contribution at the base level — new events, stored events turning repeat — then
  // summed at every level at once (the base code cut to each level's length). Grouped by the
  // level's number and the events' own ENUM source and item, named after: hashing the VARCHAR
  // level, parent, source and item of ~130 k rows (a month's levels of a day's events) made it
  // twice as costly (full scale, one thread: ~110–125 ms CPU against ~240–470 ms).
  // Not materialized: the statements below read it as a subquery (computed again for each).
  // Writing a temp table costs DuckDB ~0.1 µs per value (~0.1 s for a month's ~50 k delta rows
  // of 25 columns at full scale), several times what computing the delta costs.
  const delta = `(
     WITH fresh AS (SELECT ${spec.of()} AS "period", "reporter_key", count(*) AS "n" FROM "rollup_changed" WHERE "reporter_key" IS NOT NULL GROUP BY ALL),
     stored AS (SELECT ${spec.of()} AS "period", "reporter_key", count(*) AS "n" FROM "rollup_peers" GROUP BY ALL),
     contributions AS (
       SELECT ${spec.of('c.')} AS "period", c."${spec.baseColumn}" AS "code", c."source", c."category" AS "item",
         ${eventValues('c.', `CASE WHEN coalesce(f."n", 0) + coalesce(s."n", 0) >= 2 THEN 1 ELSE 0 END`)}
       FROM "rollup_changed" c
         LEFT JOIN fresh f ON f."period" = ${spec.of('c.')} AND f."reporter_key" = c."reporter_key"
         LEFT JOIN stored s ON s."period" = ${spec.of('c.')} AND s."reporter_key" = c."reporter_key"
       UNION ALL
       SELECT ${spec.of('p.')}, p."${spec.baseColumn}", p."source", p."category", ${only({ repeat_reporter_events: '1' })}
       FROM "rollup_peers" p
         JOIN stored s ON s."period" = ${spec.of('p.')} AND s."reporter_key" = p."reporter_key" AND s."n" = 1
         SEMI JOIN fresh f ON f."period" = ${spec.of('p.')} AND f."reporter_key" = p."reporter_key"
     ),
     g AS (
       SELECT d."period", l."no", left(d."code", l."length") AS "code", d."source", d."item",
         ${measureNames.map((name) => `sum(d."${name}")::${measureType(name)} AS "${name}"`).join(', ')}
       FROM contributions d, ${levelNumbers}
       GROUP BY 1, 2, 3, 4, 5
     )
     SELECT g."period", ${levelName} AS "level", g."code", ${parentCode} AS "parent", g."source"::VARCHAR AS "source", g."item"::VARCHAR AS "item",
       ${measureNames.map((name) => `g."${name}"`).join(', ')}
     FROM g)`;
  if (storedChanged.length > 0) {
    // Periods with stored rows: the groups that exist take the delta, the others are inserted,
    // in one statement (one computation of the delta and one join with the stored rows of those
    // periods; an UPDATE and an INSERT … ANTI JOIN did both twice: mid-month day at full scale,
    // ~650–700 ms → ~380–620 ms for the month, load ~4).
    await db.run(
      `MERGE INTO "${spec.table}" r USING ${delta} d
       ON ${periodIn(spec, storedChanged, 'r.')} AND ${keysMatch(spec, 'r', 'd')}
       WHEN MATCHED THEN UPDATE SET ${measureNames.map((name) => `"${name}" = r."${name}" + d."${name}"`).join(', ')}
       WHEN NOT MATCHED THEN INSERT VALUES (d."period", d."level", d."code", d."parent", d."source", d."item", ${measureNames.map((name) => `d."${name}"`).join(', ')})`,
      { as_of: asOf },
    );
  } else {
    // A period that starts (no stored rows): every group is new, inserted in the table's order.
    await db.run(
      `INSERT INTO "${spec.table}"
       SELECT d."period", d."level", d."code", d."parent", d."source", d."item", ${measureNames.map((name) => `d."${name}"`).join(', ')}
       FROM ${delta} d
       ORDER BY d."level", d."period", d."code"`,
      { as_of: asOf },
    );
  }
  if (spec === PERIODS.month) await addChildDeltas(db, storedChanged);
}

/**
 * rollup_child_monthly (migration 11) follows: the new events of each district, street and
 * community, per source (counted from the new events themselves, whose codes nest: the
 * level's code and its parent's are prefixes of the grid code). `storedMonths`: the months
 * that may have rows already.
 */
async function addChildDeltas(db: Database, storedMonths: readonly string[]): Promise<void> {
  const spec = PERIODS.month;
  const lengths = spec.ancestors.filter(([level]) => (CHILD_MONTHLY_LEVELS as readonly string[]).includes(level))
    .map(([, length, parent]) => `(${length}, ${parent!})`).join(', ');
  // Counted per ENUM source and unit first, the key strings built for the groups only.
  const delta = `(SELECT ${parentMonthKeySql('left(g."unit_code", g."parent")', 'g."month"')} AS "parent_month", g."month", g."unit_code", g."source"::VARCHAR AS "source",
       g."events"
     FROM (SELECT ${spec.of('c.')} AS "month", l."parent", left(c."grid_code", l."length") AS "unit_code", c."source", count(*)::INTEGER AS "events"
           FROM "rollup_changed" c, (VALUES ${lengths}) l("length", "parent") GROUP BY 1, 2, 3, 4) g)`;
  const matches = `c."parent_month" = d."parent_month" AND c."unit_code" = d."unit_code" AND c."source" = d."source"`;
  if (storedMonths.length > 0) {
    await db.run(
      `UPDATE "rollup_child_monthly" c SET "events" = c."events" + d."events" FROM ${delta} d
       WHERE ${periodIn(PERIODS.month, storedMonths, 'c.')} AND ${matches}`,
    );
  }
  await db.run(
    `INSERT INTO "rollup_child_monthly"
     SELECT d."parent_month", d."month", d."unit_code", d."source", d."events" FROM ${delta} d
     ${storedMonths.length > 0 ? `ANTI JOIN (SELECT * FROM "rollup_child_monthly" WHERE ${periodIn(PERIODS.month, storedMonths)}) c ON ${matches}` : ''}
     ORDER BY 1, 3, 4`,
  );
}
