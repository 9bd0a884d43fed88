import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * Tables of the social condition index (社情指数), hotspots and early warnings (issue 5).
 * Method: docs/index-methodology.md; code: packages/db/src/index-store/.
 */

/** Fixed goalposts of one baseline period; computed once and reused so months stay comparable. */
const INDEX_BASELINE_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['from_month', 'VARCHAR NOT NULL'],
  ['to_month', 'VARCHAR NOT NULL'],
  ['method_version', 'VARCHAR NOT NULL'],
  ['goalposts', 'JSON NOT NULL'],
  ['goalpost_options', 'JSON NOT NULL'],
  ['rule', 'VARCHAR NOT NULL'],
  ['active', 'BOOLEAN NOT NULL'],
  ['created_at', 'TIMESTAMP NOT NULL'],
];

/** Per-unit values shared by the provisional cache and the frozen snapshots. */
const UNIT_VALUE_COLUMNS: readonly ColumnSpec[] = [
  ['code', 'VARCHAR NOT NULL'],
  ['level', 'VARCHAR NOT NULL'],
  ['parent_code', 'VARCHAR'],
  ['population', 'INTEGER NOT NULL'],
  ['score', 'DOUBLE NOT NULL'],
  ['band', 'VARCHAR NOT NULL'],
  ['rank', 'INTEGER NOT NULL'],
  ['rank_of', 'INTEGER NOT NULL'],
  ['petition_pressure', 'DOUBLE NOT NULL'],
  ['hotline_demand', 'DOUBLE NOT NULL'],
  ['police_incidents', 'DOUBLE NOT NULL'],
  ['service_performance', 'DOUBLE NOT NULL'],
  // Raw (smoothed) indicator values and their 0–100 normalisation, INDICATORS order, as base64
  // of little-endian float64 (exact, and 10× cheaper to write than DOUBLE[] through CSV).
  ['indicator_values', 'VARCHAR NOT NULL'],
  ['normalised', 'VARCHAR NOT NULL'],
];

/** Provisional computation of a month (a cache; recomputed when the rollups change). */
const INDEX_MONTHLY_COLUMNS: readonly ColumnSpec[] = [['month', 'VARCHAR NOT NULL'], ...UNIT_VALUE_COLUMNS];

/** One computation run of a month: what produced the rows of index_monthly. */
const INDEX_RUN_COLUMNS: readonly ColumnSpec[] = [
  ['month', 'VARCHAR PRIMARY KEY'],
  ['baseline_id', 'VARCHAR NOT NULL'],
  ['method_version', 'VARCHAR NOT NULL'],
  ['weights', 'JSON NOT NULL'],
  ['options', 'JSON NOT NULL'],
  ['rollup_refreshed_at', 'VARCHAR'],
  ['data_as_of', 'VARCHAR'],
  ['computed_at', 'TIMESTAMP NOT NULL'],
];

/** A published month; never updated — a re-publication adds revision n + 1. */
const INDEX_SNAPSHOT_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['month', 'VARCHAR NOT NULL'],
  ['revision', 'INTEGER NOT NULL'],
  ['method_version', 'VARCHAR NOT NULL'],
  ['published_at', 'TIMESTAMP NOT NULL'],
  ['published_by', 'VARCHAR NOT NULL'],
  ['cutoff', 'VARCHAR NOT NULL'],
  ['baseline_id', 'VARCHAR NOT NULL'],
  ['baseline_from', 'VARCHAR NOT NULL'],
  ['baseline_to', 'VARCHAR NOT NULL'],
  ['goalposts', 'JSON NOT NULL'],
  ['weights', 'JSON NOT NULL'],
  ['options', 'JSON NOT NULL'],
  ['sensitivity', 'JSON NOT NULL'],
  ['units', 'INTEGER NOT NULL'],
  ['content_hash', 'VARCHAR NOT NULL'],
  ['previous_revision', 'INTEGER'],
  ['changes', 'JSON NOT NULL'],
];

const INDEX_SNAPSHOT_VALUE_COLUMNS: readonly ColumnSpec[] = [
  ['snapshot_id', 'VARCHAR NOT NULL'],
  ['month', 'VARCHAR NOT NULL'],
  ['revision', 'INTEGER NOT NULL'],
  ...UNIT_VALUE_COLUMNS,
  ['rank_median', 'DOUBLE NOT NULL'],
  ['rank_p5', 'DOUBLE NOT NULL'],
  ['rank_p95', 'DOUBLE NOT NULL'],
];

/** Events per H3 cell × month × source × item: what Gi* reads (never the raw events). */
const ROLLUP_H3_MONTHLY_COLUMNS: readonly ColumnSpec[] = [
  ['month', 'DATE NOT NULL'],
  ['h3r9', 'VARCHAR NOT NULL'],
  ['h3r8', 'VARCHAR NOT NULL'],
  ['district_code', 'VARCHAR NOT NULL'],
  ['street_code', 'VARCHAR NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['item', 'VARCHAR NOT NULL'],
  ['events', 'INTEGER NOT NULL'],
];

/** Early warnings of every kind: statistical (EARS/EWMA), sensor, cross-source escalation. */
const ALERT_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['kind', 'VARCHAR NOT NULL'],
  ['unit_code', 'VARCHAR NOT NULL'],
  ['grid_code', 'VARCHAR'],
  ['item', 'VARCHAR NOT NULL'],
  ['severity', 'VARCHAR NOT NULL'],
  ['title', 'VARCHAR NOT NULL'],
  ['detail', 'JSON NOT NULL'],
  ['day', 'DATE NOT NULL'],
  ['created_at', 'TIMESTAMP NOT NULL'],
  ['status', 'VARCHAR NOT NULL'],
];

/** IoT alarms (gas, flooding, billboard, door magnet) as received, with the grid they were routed to. */
const SENSOR_ALERT_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['sensor_id', 'VARCHAR NOT NULL'],
  ['sensor_kind', 'VARCHAR NOT NULL'],
  ['at', 'TIMESTAMP NOT NULL'],
  ['lng', 'DOUBLE NOT NULL'],
  ['lat', 'DOUBLE NOT NULL'],
  ['value', 'DOUBLE'],
  ['grid_code', 'VARCHAR NOT NULL'],
  ['routing', 'VARCHAR NOT NULL'],
  ['alert_id', 'VARCHAR NOT NULL'],
  ['received_at', 'TIMESTAMP NOT NULL'],
];

export const INDEX_TABLES: Record<string, readonly ColumnSpec[]> = {
  index_baselines: INDEX_BASELINE_COLUMNS,
  index_monthly: INDEX_MONTHLY_COLUMNS,
  index_runs: INDEX_RUN_COLUMNS,
  index_snapshots: INDEX_SNAPSHOT_COLUMNS,
  index_snapshot_values: INDEX_SNAPSHOT_VALUE_COLUMNS,
  rollup_h3_monthly: ROLLUP_H3_MONTHLY_COLUMNS,
  alerts: ALERT_COLUMNS,
  sensor_alerts: SENSOR_ALERT_COLUMNS,
};

export const indexMigration: Migration = {
  version: 5,
  name: 'index',
  async up(db) {
    for (const [table, columns] of Object.entries(INDEX_TABLES)) {
      await db.run(`CREATE TABLE "${table}" (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
    }
    // Snapshot revisions are unique per month; lookups are by month (a few thousand rows each).
    await db.run(`CREATE UNIQUE INDEX "index_snapshots_month_revision" ON "index_snapshots" ("month", "revision")`);
  },
  tables: Object.fromEntries(Object.entries(INDEX_TABLES).map(([table, columns]) => [table, columns.map(([name]) => name)])),
};
