import { DomainError, assertItemInScope, childLevelOf, scopeCoversUnit, type Item, type Scope, type Source, type UnitLevel } from '@cityops/domain';
import type { Database } from '../database.ts';
import { CHILD_MONTHLY_LEVELS, parentMonthKey } from '../migrations/0011-child-volumes.ts';
import { checkDay, checkUnit, monthStart, rawUnitClause, scopeItems, LEVEL_COLUMN } from './scope-sql.ts';

export interface MonthlyVolume { month: string; source: Source; count: number }
export interface MonthlyItemVolume { month: string; source: Source; item: Item; count: number }
export interface ChildVolume { code: string; name: string; level: UnitLevel; population: number; count: number; ratePer10k: number | null }
export interface DailyVolume { day: string; source: Source; count: number }

export interface MonthRangeInput { unitCode: string; fromMonth: string; toMonth: string }
export interface MonthInput { unitCode: string; month: string }
export interface DayRangeInput { unitCode: string; fromDay: string; toDay: string }

/** Events per month and source of one unit (rollup). */
export async function queryMonthlyVolumes(db: Database, scope: Scope, input: MonthRangeInput): Promise<MonthlyVolume[]> {
  checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope);
  return db.all<MonthlyVolume>(
    `SELECT strftime("month", '%Y-%m') AS "month", "source", sum("events")::INTEGER AS "count"
     FROM "rollup_monthly"
     WHERE "unit_code" = $unit AND "month" BETWEEN $from::DATE AND $to::DATE ${itemClause}
     GROUP BY ALL ORDER BY 1, 2`,
    { unit: input.unitCode, from: monthStart(input.fromMonth, 'fromMonth'), to: monthStart(input.toMonth, 'toMonth'), ...params },
  );
}

/**
 * Events per month × source × item of one unit (rollup); the city-wide dashboard matrix.
 * A unit has exactly one rollup row per month × source × item (the rollup's key), so the rows
 * are read as stored: no GROUP BY, whose fixed cost (~5 ms of a hash table set-up) was most of
 * the query. The level predicate lets zone maps skip the other levels' row groups.
 */
export async function queryMonthlyItemVolumes(db: Database, scope: Scope, input: MonthRangeInput): Promise<MonthlyItemVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope);
  return db.all<MonthlyItemVolume>(
    `SELECT strftime("month", '%Y-%m') AS "month", "source", "item", "events"::INTEGER AS "count"
     FROM "rollup_monthly"
     WHERE "level" = $level AND "unit_code" = $unit AND "month" BETWEEN $from::DATE AND $to::DATE ${itemClause}
     ORDER BY 1, 2, 3`,
    { level, unit: input.unitCode, from: monthStart(input.fromMonth, 'fromMonth'), to: monthStart(input.toMonth, 'toMonth'), ...params },
  );
}

/** The same matrix by scanning raw events (benchmark and tests only). */
export async function queryMonthlyItemVolumesRaw(db: Database, scope: Scope, input: MonthRangeInput): Promise<MonthlyItemVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope, 'category');
  return db.all<MonthlyItemVolume>(
    `SELECT strftime("received_at", '%Y-%m') AS "month", "source", "category" AS "item", count(*)::INTEGER AS "count"
     FROM "events"
     WHERE ${rawUnitClause(level)} AND "received_at" >= $from::DATE AND "received_at" < $to::DATE + INTERVAL 1 MONTH ${itemClause}
     GROUP BY ALL ORDER BY 1, 2, 3`,
    { unit: input.unitCode, from: monthStart(input.fromMonth, 'fromMonth'), to: monthStart(input.toMonth, 'toMonth'), ...params },
  );
}

function childrenFilter(scope: Scope, rows: ChildVolume[]): ChildVolume[] {
  return scope.gridCodes ? rows.filter((row) => scopeCoversUnit(scope, row.code)) : rows;
}

/** Optional filters of the child-unit volumes (the district hub's source and item filters). */
export interface ChildVolumeFilter { source?: Source | undefined; item?: Item | undefined }

type ChildUnit = Omit<ChildVolume, 'count' | 'ratePer10k'>;

/**
 * The direct children of each unit asked for, per database handle. Units change only when
 * they are (re)loaded, a write through the handle: any write moves `writeGeneration` and
 * drops the handle's cache, and a read that overlapped a write is not kept. (A write through
 * another handle of the same file in this process is not seen: units are loaded through the
 * handle that serves them.) The units query was about a third of a child-volume read.
 */
const childUnitsCache = new WeakMap<Database, { generation: number; byParent: Map<string, readonly ChildUnit[]> }>();

async function childUnits(db: Database, parentCode: string): Promise<readonly ChildUnit[]> {
  const generation = db.writeGeneration;
  let cache = childUnitsCache.get(db);
  if (!cache || cache.generation !== generation) {
    cache = { generation, byParent: new Map() };
    childUnitsCache.set(db, cache);
  }
  const cached = cache.byParent.get(parentCode);
  if (cached) return cached;
  // Sorted here: an ORDER BY of a dozen rows cost DuckDB's sort set-up, ~half the read.
  // (Codes are ASCII digits: JS string order is DuckDB's.)
  const units = (await db.all<ChildUnit>(
    `SELECT "code", "name", "level", "population" FROM "units" WHERE "parent_code" = $unit`, { unit: parentCode }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (db.writeGeneration === generation) cache.byParent.set(parentCode, units);
  return units;
}

/** One month's events of each direct child of a unit, with the rate per 10,000 residents (rollup). */
export async function queryChildVolumes(db: Database, scope: Scope, input: MonthInput & ChildVolumeFilter): Promise<ChildVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  const childLevel = childLevelOf(level);
  if (!childLevel) throw new DomainError('BAD_INPUT', `网格没有下级 / a grid has no children: ${input.unitCode}`);
  if (input.item) assertItemInScope(scope, input.item);
  const units = await childUnits(db, input.unitCode);
  const counts = await childCounts(db, scope, input, childLevel);
  const byCode = new Map<string, number>();
  for (const row of counts) byCode.set(row.code, (byCode.get(row.code) ?? 0) + row.events);
  const rows = units.map((unit) => {
    const count = byCode.get(unit.code) ?? 0;
    return { ...unit, count, ratePer10k: unit.population > 0 ? (count * 10000) / unit.population : null };
  });
  return childrenFilter(scope, rows);
}

/** Events per child of one month (rows per child and source or item; summed by the caller). */
async function childCounts(db: Database, scope: Scope, input: MonthInput & ChildVolumeFilter, childLevel: UnitLevel): Promise<{ code: string; events: number }[]> {
  const month = monthStart(input.month);
  // Every item counted (no item filter, a scope that sees every item) of a district, street or
  // community: the per-source child totals (rollup_child_monthly, see migration 11), a few
  // dozen rows found by one key through the key's index (migration 12), in a prepared
  // statement (parsing and planning were ~a third of the read). A source filter is applied
  // here, not in SQL: DuckDB takes the index scan only when the key is the scan's sole filter,
  // and with `AND "source" = $source` it scanned the key column again (~1.6× the read).
  // Two fixed texts, so each stays prepared.
  if (!input.item && !scope.items && (CHILD_MONTHLY_LEVELS as readonly string[]).includes(childLevel)) {
    const key = parentMonthKey(input.unitCode, input.month);
    if (!input.source) return db.allPrepared(`SELECT "unit_code" AS "code", "events" FROM "rollup_child_monthly" WHERE "parent_month" = $key`, { key });
    const rows = await db.allPrepared<{ code: string; source: string; events: number }>(
      `SELECT "unit_code" AS "code", "source", "events" FROM "rollup_child_monthly" WHERE "parent_month" = $key`, { key });
    return rows.filter((row) => row.source === input.source);
  }
  // An item filter or a department's items: the item-level rollup. The level predicate is
  // redundant with parent_code but lets DuckDB skip, by zone maps, the row groups of the other
  // levels (rollup_monthly is stored by level, month and unit).
  const scoped = scopeItems(scope);
  const itemClause = `${scoped.itemClause} ${input.source ? 'AND "source" = $source' : ''} ${input.item ? 'AND "item" = $item' : ''}`;
  const params = { ...scoped.params, ...(input.source ? { source: input.source } : {}), ...(input.item ? { item: input.item } : {}) };
  return db.all<{ code: string; events: number }>(
    `SELECT "unit_code" AS "code", "events" FROM "rollup_monthly"
     WHERE "level" = $child AND "month" = $month::DATE AND "parent_code" = $unit ${itemClause}`,
    { unit: input.unitCode, month, child: childLevel, ...params });
}

/** queryChildVolumes by scanning raw events (benchmark and tests only). */
export async function queryChildVolumesRaw(db: Database, scope: Scope, input: MonthInput): Promise<ChildVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  const childLevel = childLevelOf(level);
  if (!childLevel) throw new DomainError('BAD_INPUT', `网格没有下级 / a grid has no children: ${input.unitCode}`);
  const { itemClause, params } = scopeItems(scope, 'category');
  const rows = await db.all<ChildVolume>(
    `SELECT u."code", u."name", u."level", u."population", coalesce(r."count", 0)::INTEGER AS "count",
       CASE WHEN u."population" > 0 THEN coalesce(r."count", 0) * 10000.0 / u."population" END AS "ratePer10k"
     FROM "units" u
     LEFT JOIN (SELECT "${LEVEL_COLUMN[childLevel]}" AS "code", count(*) AS "count" FROM "events"
                WHERE ${rawUnitClause(level)} AND "received_at" >= $month::DATE AND "received_at" < $month::DATE + INTERVAL 1 MONTH ${itemClause}
                GROUP BY ALL) r ON r."code" = u."code"
     WHERE u."parent_code" = $unit ORDER BY u."code"`,
    { unit: input.unitCode, month: monthStart(input.month), ...params },
  );
  return childrenFilter(scope, rows);
}

/**
 * Events per day and source of a city, district or street (rollup_daily stops at streets:
 * a community's or grid's series is monthly, see rollups.ts).
 */
export async function queryDailyVolumes(db: Database, scope: Scope, input: DayRangeInput): Promise<DailyVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  if (level === 'community' || level === 'grid') {
    throw new DomainError('BAD_INPUT', `日序列只到街道级，请改用月度数据 / daily series stop at street level, use monthly volumes: ${input.unitCode}`);
  }
  const { itemClause, params } = scopeItems(scope);
  return db.all<DailyVolume>(
    `SELECT strftime("day", '%Y-%m-%d') AS "day", "source", sum("events")::INTEGER AS "count"
     FROM "rollup_daily"
     WHERE "unit_code" = $unit AND "day" BETWEEN $from::DATE AND $to::DATE ${itemClause}
     GROUP BY ALL ORDER BY 1, 2`,
    { unit: input.unitCode, from: checkDay(input.fromDay, 'fromDay'), to: checkDay(input.toDay, 'toDay'), ...params },
  );
}

/** queryDailyVolumes by scanning raw events (benchmark and tests only; any level). */
export async function queryDailyVolumesRaw(db: Database, scope: Scope, input: DayRangeInput): Promise<DailyVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope, 'category');
  return db.all<DailyVolume>(
    `SELECT strftime("received_at", '%Y-%m-%d') AS "day", "source", count(*)::INTEGER AS "count"
     FROM "events"
     WHERE ${rawUnitClause(level)} AND "received_at" >= $from::DATE AND "received_at" < $to::DATE + 1 ${itemClause}
     GROUP BY ALL ORDER BY 1, 2`,
    { unit: input.unitCode, from: checkDay(input.fromDay, 'fromDay'), to: checkDay(input.toDay, 'toDay'), ...params },
  );
}
