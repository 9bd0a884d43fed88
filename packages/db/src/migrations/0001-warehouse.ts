import type { Database } from '../database.ts';
import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/** Administrative units (五级): loaded from data/geo/units.csv. */
export const UNIT_COLUMNS: readonly ColumnSpec[] = [
  ['code', 'VARCHAR PRIMARY KEY'],
  ['name', 'VARCHAR NOT NULL'],
  ['level', 'VARCHAR NOT NULL'],
  ['parent_code', 'VARCHAR'],
  ['population', 'INTEGER NOT NULL'],
  ['households', 'INTEGER NOT NULL'],
  ['lng', 'DOUBLE'],
  ['lat', 'DOUBLE'],
];

/**
 * The canonical event (packages/domain/src/event-schema.ts) in snake_case, plus bookkeeping.
 * No primary key or index on purpose: an ART index over ~22 M rows would cost hundreds of MB
 * and slow bulk inserts; `id` uniqueness is guaranteed by the writers (generator, importers).
 * Timestamps are Asia/Shanghai wall-clock TIMESTAMPs (see the domain schema).
 */
export const EVENT_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'BIGINT NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['external_id', 'VARCHAR NOT NULL'],
  ['received_at', 'TIMESTAMP NOT NULL'],
  ['channel', 'VARCHAR NOT NULL'],
  ['nature', 'VARCHAR NOT NULL'],
  ['category', 'VARCHAR NOT NULL'],
  ['sub_category', 'VARCHAR'],
  ['summary', 'VARCHAR NOT NULL'],
  ['lng', 'DOUBLE NOT NULL'],
  ['lat', 'DOUBLE NOT NULL'],
  ['location_approximate', 'BOOLEAN NOT NULL'],
  ['h3r7', 'VARCHAR NOT NULL'],
  ['h3r8', 'VARCHAR NOT NULL'],
  ['h3r9', 'VARCHAR NOT NULL'],
  ['district_code', 'VARCHAR NOT NULL'],
  ['street_code', 'VARCHAR NOT NULL'],
  ['community_code', 'VARCHAR NOT NULL'],
  ['grid_code', 'VARCHAR NOT NULL'],
  ['urgency', 'VARCHAR NOT NULL'],
  ['reporter_hash', 'VARCHAR'],
  ['reporter_name_masked', 'VARCHAR'],
  ['reporter_phone_masked', 'VARCHAR'],
  ['reporter_id_masked', 'VARCHAR'],
  ['status', 'VARCHAR NOT NULL'],
  ['dispatched_at', 'TIMESTAMP'],
  ['first_response_at', 'TIMESTAMP'],
  ['due_at', 'TIMESTAMP'],
  ['closed_at', 'TIMESTAMP'],
  ['handling_unit', 'VARCHAR'],
  ['handling_dept', 'VARCHAR'],
  ['return_visit', 'VARCHAR'],
  ['police_is_police_matter', 'BOOLEAN'],
  ['police_incident_type', 'VARCHAR'],
  ['police_transferred_to_hotline', 'BOOLEAN'],
  ['petition_form', 'VARCHAR'],
  ['petition_is_repeat', 'BOOLEAN'],
  ['petition_group_size', 'INTEGER'],
  ['hotline_nature', 'VARCHAR'],
  ['ingested_at', 'TIMESTAMP NOT NULL'],
  ['updated_at', 'TIMESTAMP NOT NULL'],
];

/**
 * Additive measures shared by the daily and monthly rollups. Everything is a count or a sum,
 * so a month is the sum of its days and a parent unit the sum of its children; rates are
 * computed at query time from these numerators and denominators.
 */
export const ROLLUP_MEASURES: readonly ColumnSpec[] = [
  ['events', 'INTEGER NOT NULL'],
  ['dispatched', 'INTEGER NOT NULL'],
  ['responded', 'INTEGER NOT NULL'],
  ['closed', 'INTEGER NOT NULL'],
  ['closed_on_time', 'INTEGER NOT NULL'],
  ['closed_work_orders', 'INTEGER NOT NULL'],
  ['overdue', 'INTEGER NOT NULL'],
  ['overdue_open', 'INTEGER NOT NULL'],
  ['visited', 'INTEGER NOT NULL'],
  ['satisfied', 'INTEGER NOT NULL'],
  ['basically_satisfied', 'INTEGER NOT NULL'],
  ['dissatisfied', 'INTEGER NOT NULL'],
  // Integer seconds, not fractional days: integer sums are exact, so an incremental refresh
  // gives bit-for-bit the same rollup as a full rebuild whatever the summation order.
  ['reply_work_seconds', 'BIGINT NOT NULL'],
  ['reply_seconds', 'BIGINT NOT NULL'],
  ['repeat_reporter_events', 'INTEGER NOT NULL'],
  ['police_matters', 'INTEGER NOT NULL'],
  ['transferred_to_hotline', 'INTEGER NOT NULL'],
  ['group_petitions', 'INTEGER NOT NULL'],
  ['emergencies', 'INTEGER NOT NULL'],
];

const ROLLUP_KEYS: readonly ColumnSpec[] = [
  ['level', 'VARCHAR NOT NULL'],
  ['unit_code', 'VARCHAR NOT NULL'],
  ['parent_code', 'VARCHAR'],
  ['source', 'VARCHAR NOT NULL'],
  ['item', 'VARCHAR NOT NULL'],
];

export const ROLLUP_DAILY_COLUMNS: readonly ColumnSpec[] = [['day', 'DATE NOT NULL'], ...ROLLUP_KEYS, ...ROLLUP_MEASURES];
export const ROLLUP_MONTHLY_COLUMNS: readonly ColumnSpec[] = [['month', 'DATE NOT NULL'], ...ROLLUP_KEYS, ...ROLLUP_MEASURES];

/** Watermarks of the incremental refresh: what was last folded into the rollups. */
const ROLLUP_STATE_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'INTEGER PRIMARY KEY'],
  ['updated_watermark', 'TIMESTAMP'],
  ['as_of', 'TIMESTAMP'],
  ['refreshed_at', 'TIMESTAMP'],
];

/** Planted truths of generated data (clusters, bursts, escalation chains) as JSON. */
const GROUND_TRUTH_COLUMNS: readonly ColumnSpec[] = [
  ['kind', 'VARCHAR NOT NULL'],
  ['key', 'VARCHAR NOT NULL'],
  ['payload', 'JSON NOT NULL'],
];

/** Facts about the warehouse itself (generator parameters, data clock). */
const WAREHOUSE_META_COLUMNS: readonly ColumnSpec[] = [
  ['key', 'VARCHAR PRIMARY KEY'],
  ['value', 'VARCHAR NOT NULL'],
];

const TABLES: Record<string, readonly ColumnSpec[]> = {
  units: UNIT_COLUMNS,
  events: EVENT_COLUMNS,
  rollup_daily: ROLLUP_DAILY_COLUMNS,
  rollup_monthly: ROLLUP_MONTHLY_COLUMNS,
  rollup_state: ROLLUP_STATE_COLUMNS,
  ground_truth: GROUND_TRUTH_COLUMNS,
  warehouse_meta: WAREHOUSE_META_COLUMNS,
};

function createTableSql(table: string, columns: readonly ColumnSpec[]): string {
  return `CREATE TABLE "${table}" (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`;
}

async function up(db: Database): Promise<void> {
  for (const [table, columns] of Object.entries(TABLES)) await db.run(createTableSql(table, columns));
  // Working days between two wall-clock timestamps, Monday–Friday, ignoring public holidays
  // (documented simplification). W(d) counts weekdays among epoch days [0, d); epoch day 0
  // (1970-01-01) was a Thursday, hence the offsets table. The fractional day keeps same-day
  // replies comparable.
  await db.run(`CREATE MACRO weekdays_before(d) AS
    5 * (d // 7) + [0, 1, 2, 2, 2, 3, 4][(d % 7) + 1]`);
  await db.run(`CREATE MACRO working_days_between(a, b) AS
    (weekdays_before(epoch(b::DATE)::BIGINT // 86400) - weekdays_before(epoch(a::DATE)::BIGINT // 86400))
    + (epoch(b) - epoch(b::DATE)) / 86400.0 - (epoch(a) - epoch(a::DATE)) / 86400.0`);
}

export const warehouseMigration: Migration = {
  version: 1,
  name: 'warehouse: units, events, rollups, ground truth',
  up,
  tables: Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => [table, columns.map(([name]) => name)])),
};
