import type { Database } from '../database.ts';
import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * Pending changes of `overdue` and `overdue_open` (always equal: an open case whose due time the
 * data clock passes counts in both) of rollup_daily (`period_kind` 'day') and rollup_monthly
 * ('month') rows, keyed like those rows. An incremental refresh of new events appends the
 * overdue flips here instead of updating the stored rollup rows in place: the flips of a day
 * are scattered over two months and every level, and DuckDB sizes an UPDATE's undo entries by
 * whole 2,048-row vectors, so those few thousand ±1 pushed the transaction past the checkpoint
 * threshold (a checkpoint at every COMMIT, 0.15–0.6 s at full scale). A rollup row as the
 * reads see it is the stored row plus the sum of its rows here (see rollupRowsSql in
 * rollups-overdue.ts); the refresh folds them into the stored rows when it rewrites rows
 * anyway (any refresh that is not of new events only, a full rebuild) or when they grow past
 * a bound. Empty on a new database; an existing one starts empty (its rollups are complete).
 */
export const ROLLUP_OVERDUE_FLIP_COLUMNS: readonly ColumnSpec[] = [
  ['period_kind', 'VARCHAR NOT NULL'],
  ['period', 'DATE NOT NULL'],
  ['level', 'VARCHAR NOT NULL'],
  ['unit_code', 'VARCHAR NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['item', 'VARCHAR NOT NULL'],
  ['delta', 'INTEGER NOT NULL'],
];

async function up(db: Database): Promise<void> {
  await db.run(`CREATE TABLE "rollup_overdue_flips" (${ROLLUP_OVERDUE_FLIP_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
}

export const rollupOverdueFlipsMigration: Migration = {
  version: 13,
  name: 'rollups: pending overdue flips, appended by the incremental refresh',
  up,
  tables: { rollup_overdue_flips: ROLLUP_OVERDUE_FLIP_COLUMNS.map(([name]) => name) },
};
