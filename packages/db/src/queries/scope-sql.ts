import { DomainError, assertUnitInScope, levelOfCode, type Scope, type UnitLevel } from '@cityops/domain';
import { listValue, type DuckDBValue } from '@duckdb/node-api';

/**
 * SQL pieces shared by the queries. Scope checks happen before any SQL runs; the item filter
 * of a department scope is bound as a list parameter, never spliced into the text.
 */
export interface ScopedSql {
  /** `AND list_contains($items, "<column>")` or '' for scopes that see every item. */
  itemClause: string;
  params: Record<string, DuckDBValue>;
}

export function scopeItems(scope: Scope, column = 'item'): ScopedSql {
  if (!scope.items) return { itemClause: '', params: {} };
  return { itemClause: `AND list_contains($items, "${column}")`, params: { items: listValue([...scope.items]) } };
}

/** Validates a unit code against the scope and returns its level. */
export function checkUnit(scope: Scope, unitCode: string): UnitLevel {
  assertUnitInScope(scope, unitCode);
  return levelOfCode(unitCode)!;
}

export function monthStart(month: string, name = 'month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new DomainError('BAD_INPUT', `${name} 应为 YYYY-MM / ${name} must be YYYY-MM: ${month}`);
  return `${month}-01`;
}

export function checkDay(day: string, name = 'day'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw new DomainError('BAD_INPUT', `${name} 应为 YYYY-MM-DD / ${name} must be YYYY-MM-DD: ${day}`);
  return day;
}

/** The events column holding a level's code (for the raw-scan variants). */
export const LEVEL_COLUMN: Record<UnitLevel, string> = {
  city: 'city',
  district: 'district_code',
  street: 'street_code',
  community: 'community_code',
  grid: 'grid_code',
};

/** Raw-scan filter on events for a unit: the city has no column of its own. */
export function rawUnitClause(level: UnitLevel): string {
  return level === 'city' ? `starts_with("district_code", $unit)` : `"${LEVEL_COLUMN[level]}" = $unit`;
}

/** `AND list_contains($grids, "grid_code")` for a grid worker's scope, '' otherwise (raw events only). */
export function scopeGrids(scope: Scope): ScopedSql {
  if (!scope.gridCodes) return { itemClause: '', params: {} };
  return { itemClause: `AND list_contains($grids, "grid_code")`, params: { grids: listValue([...scope.gridCodes]) } };
}
