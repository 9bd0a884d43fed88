import type { Database } from '../database.ts';
import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * The events per month and source of each district, street and community, keyed by its parent
 * and the month: what the dashboards' child rankings (queryChildVolumes of the city, a district
 * or a street) read, one parent and month at a time. The same numbers are in rollup_monthly,
 * but there a parent's children sit among ~12 M rows (every item, every measure), and a read
 * cost two filtered columns of a large row group plus hundreds of rows; here a read compares
 * one key column and returns a few dozen rows, from a table of ~0.24 M narrow rows stored in
 * key order (~1–2 MB at full scale). Grids (a community's children, ~1.3 M more rows) are
 * left to rollup_monthly: the database's size is near its budget.
 * `parent_month` is the parent's code and the month as 'CODE:YYYY-MM'; `month` is kept for
 * the refresh, which works month by month. Maintained by refreshRollups (full and
 * incremental) from the same rows and deltas as rollup_monthly, so it equals the raw counts.
 */
export const ROLLUP_CHILD_MONTHLY_COLUMNS: readonly ColumnSpec[] = [
  ['parent_month', 'VARCHAR NOT NULL'],
  ['month', 'DATE NOT NULL'],
  ['unit_code', 'VARCHAR NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['events', 'INTEGER NOT NULL'],
];

/** The children levels kept (a parent's code is shorter than 12 digits: city, district, street). */
export const CHILD_MONTHLY_LEVELS = ['district', 'street', 'community'] as const;

/** SQL: the parent_month key of a parent code and a month (DATE) expression. */
export function parentMonthKeySql(parent: string, month: string): string {
  return `${parent} || ':' || strftime(${month}, '%Y-%m')`;
}

/** The key of a parent code and a 'YYYY-MM' month, as parentMonthKeySql builds it. */
export function parentMonthKey(parentCode: string, month: string): string {
  return `${parentCode}:${month}`;
}

/**
 * The rows of rollup_child_monthly summed from rows shaped like rollup_monthly's (`from`; its
 * month, level, unit and parent columns named in `columns`), in the table's order.
 */
export function childMonthlyFromRollupSql(from: string, columns = { month: 'month', unit: 'unit_code', parent: 'parent_code' }): string {
  return `SELECT ${parentMonthKeySql(`"${columns.parent}"`, `"${columns.month}"`)}, "${columns.month}", "${columns.unit}", "source", sum("events")::INTEGER AS "events"
     FROM ${from} WHERE "level" IN (${CHILD_MONTHLY_LEVELS.map((level) => `'${level}'`).join(', ')})
     GROUP BY 1, 2, 3, 4 HAVING sum("events") <> 0 ORDER BY 1, 3, 4`;
}

async function up(db: Database): Promise<void> {
  await db.run(`CREATE TABLE "rollup_child_monthly" (${ROLLUP_CHILD_MONTHLY_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
  // Existing databases (the cached demo ones) already hold their rollups: fill it from them.
  await db.run(`INSERT INTO "rollup_child_monthly" ${childMonthlyFromRollupSql('"rollup_monthly"')}`);
}

export const childVolumesMigration: Migration = {
  version: 11,
  name: 'child volumes: per parent and month, each child and source, for the child rankings',
  up,
  tables: { rollup_child_monthly: ROLLUP_CHILD_MONTHLY_COLUMNS.map(([name]) => name) },
};
