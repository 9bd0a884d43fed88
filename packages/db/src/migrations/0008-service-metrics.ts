import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * The additive service counts (`ServiceCounts` of packages/domain/src/workflow/
 * service-metrics.ts) per month × subject × source × item, precomputed by
 * packages/db/src/work-orders/service-counts.ts from CityOps work orders and the source
 * systems' cases they do not cover. The index, the dashboards' 三率 and the report read them,
 * so they share one definition (docs/index-methodology.md §service rates).
 *
 * subject_kind 'unit': every territorial level (city … grid), the cases that arose there;
 * subject_kind 'department': the cases a department leads (level = 'department').
 * source: 'hotline' | 'petition' | 'police' (110 transfers) | 'other' (grid/community reports, alerts).
 */
export const SERVICE_COUNT_MEASURES: readonly ColumnSpec[] = [
  ['received', 'INTEGER NOT NULL'],
  ['response_judged', 'INTEGER NOT NULL'],
  ['responded_in_time', 'INTEGER NOT NULL'],
  ['disposed', 'INTEGER NOT NULL'],
  ['ever_disposed', 'INTEGER NOT NULL'],
  ['reopened', 'INTEGER NOT NULL'],
  ['due_in_period', 'INTEGER NOT NULL'],
  ['disposed_on_time', 'INTEGER NOT NULL'],
  ['return_visited', 'INTEGER NOT NULL'],
  ['satisfied', 'INTEGER NOT NULL'],
  ['basically_satisfied', 'INTEGER NOT NULL'],
  ['dissatisfied', 'INTEGER NOT NULL'],
  ['reply_cycle_count', 'INTEGER NOT NULL'],
  ['reply_cycle_working_days', 'DOUBLE NOT NULL'],
];

export const SERVICE_COUNTS_MONTHLY_COLUMNS: readonly ColumnSpec[] = [
  ['month', 'DATE NOT NULL'],
  ['subject_kind', 'VARCHAR NOT NULL'],
  ['level', 'VARCHAR NOT NULL'],
  ['subject_code', 'VARCHAR NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['item', 'VARCHAR NOT NULL'],
  ...SERVICE_COUNT_MEASURES,
];

/** When the counts were taken, and a signature of the data they were taken from (to detect staleness). */
export const SERVICE_COUNTS_STATE_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'INTEGER PRIMARY KEY'],
  ['as_of', 'TIMESTAMP NOT NULL'],
  ['signature', 'VARCHAR NOT NULL'],
  ['refreshed_at', 'TIMESTAMP NOT NULL'],
];

const TABLES: Record<string, readonly ColumnSpec[]> = {
  service_counts_monthly: SERVICE_COUNTS_MONTHLY_COLUMNS,
  service_counts_state: SERVICE_COUNTS_STATE_COLUMNS,
};

export const serviceMetricsMigration: Migration = {
  version: 8,
  name: 'service metrics: precomputed service counts per month and subject',
  async up(db) {
    for (const [table, columns] of Object.entries(TABLES)) {
      await db.run(`CREATE TABLE "${table}" (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
    }
  },
  tables: Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => [table, columns.map(([name]) => name)])),
};
