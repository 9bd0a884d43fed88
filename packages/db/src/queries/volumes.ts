import { DomainError, assertItemInScope, childLevelOf, scopeCoversUnit, type Item, type Scope, type Source, type UnitLevel } from '@cityops/domain';
import type { Database } from '../database.ts';
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

/** Events per month × source × item of one unit (rollup); the city-wide dashboard matrix. */
export async function queryMonthlyItemVolumes(db: Database, scope: Scope, input: MonthRangeInput): Promise<MonthlyItemVolume[]> {
  checkUnit(scope, input.unitCode);
  const { itemClause, params } = scopeItems(scope);
  return db.all<MonthlyItemVolume>(
    `SELECT strftime("month", '%Y-%m') AS "month", "source", "item", sum("events")::INTEGER AS "count"
     FROM "rollup_monthly"
     WHERE "unit_code" = $unit AND "month" BETWEEN $from::DATE AND $to::DATE ${itemClause}
     GROUP BY ALL ORDER BY 1, 2, 3`,
    { unit: input.unitCode, from: monthStart(input.fromMonth, 'fromMonth'), to: monthStart(input.toMonth, 'toMonth'), ...params },
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

/** One month's events of each direct child of a unit, with the rate per 10,000 residents (rollup). */
export async function queryChildVolumes(db: Database, scope: Scope, input: MonthInput & ChildVolumeFilter): Promise<ChildVolume[]> {
  const level = checkUnit(scope, input.unitCode);
  if (!childLevelOf(level)) throw new DomainError('BAD_INPUT', `网格没有下级 / a grid has no children: ${input.unitCode}`);
  if (input.item) assertItemInScope(scope, input.item);
  const scoped = scopeItems(scope);
  const itemClause = `${scoped.itemClause} ${input.source ? 'AND "source" = $source' : ''} ${input.item ? 'AND "item" = $item' : ''}`;
  const params = { ...scoped.params, ...(input.source ? { source: input.source } : {}), ...(input.item ? { item: input.item } : {}) };
  const rows = await db.all<ChildVolume>(
    `SELECT u."code", u."name", u."level", u."population", coalesce(r."count", 0)::INTEGER AS "count",
       CASE WHEN u."population" > 0 THEN coalesce(r."count", 0) * 10000.0 / u."population" END AS "ratePer10k"
     FROM "units" u
     LEFT JOIN (SELECT "unit_code", sum("events") AS "count" FROM "rollup_monthly"
                WHERE "parent_code" = $unit AND "month" = $month::DATE ${itemClause} GROUP BY ALL) r ON r."unit_code" = u."code"
     WHERE u."parent_code" = $unit ORDER BY u."code"`,
    { unit: input.unitCode, month: monthStart(input.month), ...params },
  );
  return childrenFilter(scope, rows);
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
