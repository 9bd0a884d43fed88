import { ITEMS, SOURCES } from '@cityops/domain';
import { listValue } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../database.ts';
import type { EventEnumType } from '../migrations/0010-event-enums.ts';
import { EVENT_COLUMNS } from '../migrations/0001-warehouse.ts';
import { derivedUnitCodesMigration, UNIT_CODE_DERIVATIONS } from '../migrations/0014-derived-unit-codes.ts';
import { compactEventKeysMigration, STORED_EVENT_COLUMN_LIST } from '../migrations/0015-compact-event-keys.ts';
import { currentSchemaVersion } from '../migrations/index.ts';
import { FAMILY_NAMES, HOUR_CURVE, SOURCE_INDEX } from './calibration.ts';
import { POINTS_PER_GRID, POOL_SLOTS, type Points, type PoolSlot } from './geography.ts';
import type { FixedEvent } from './patterns.ts';
import type { BlockList, ItemDists } from './plan.ts';
import { apportionSlots, deriveRng } from './random.ts';
import { TEMPLATES_PER_ITEM, type EventTemplate } from './templates.ts';

const ITEM_SLOTS = 1000;
const HOUR_SLOTS = 1000;
const ID_PREFIX = { petition: 'XF', hotline: 'RX', police: 'JJ' } as const;

/** Masked names ('王*', '王**', …) and masked ID numbers: picked per reporter, never built from a real value. */
const MASKED_NAMES = FAMILY_NAMES.flatMap((family) => [`${family}*`, `${family}**`]);
const MASKED_IDS = Array.from({ length: 100 }, (_, k) => `510*************${k % 11 === 10 ? `${k % 10}X` : String(k).padStart(2, '0')}`);

export const GENERATOR_TABLES = ['gen_point_rows', 'gen_grids', 'gen_points', 'gen_pool_runs', 'gen_pool_slots', 'gen_item_slots', 'gen_hour_slots', 'gen_templates', 'gen_blocks', 'gen_fixed'] as const;

/** Runs [first slot key, length, value] of consecutive slot keys with equal values (uploads slot tables compactly). */
function slotRuns<T>(slots: Iterable<readonly [key: number, value: T]>, same: (a: T, b: T) => boolean): [number, number, T][] {
  const runs: [number, number, T][] = [];
  for (const [key, value] of slots) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === key && same(last[2], value)) last[1] += 1;
    else runs.push([key, 1, value]);
  }
  return runs;
}

/** Slot keys of a distribution's slots: `base + slot` for each of `slots` slots apportioned by weight. */
function* apportionedSlots(base: number, weights: readonly number[], slots: number): Generator<[number, number]> {
  let slot = 0;
  for (const [index, count] of apportionSlots(weights, slots).entries()) for (let c = 0; c < count; c += 1) yield [base + slot++, index];
}

/**
 * Creates a temp table from CSV lines the caller formats itself (null as \N, strings that may
 * hold a comma or a quote through csvText). Database.appendRows does the same for any rows, but
 * its per-field formatting (and the garbage of one array per row) cost ~1.5 µs of JS a field:
 * 3 s for the points, and for the blocks of 25 months at full scale (590 k rows) about as much.
 */
async function uploadCsv(db: Database, table: string, columns: readonly (readonly [name: string, type: string])[], lines: string[]): Promise<void> {
  const file = join(tmpdir(), `cityops-gen-${process.pid}-${randomUUID()}.csv`);
  writeFileSync(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  try {
    const spec = columns.map(([name, type]) => `'${name}': '${type}'`).join(', ');
    await db.run(`CREATE OR REPLACE TEMP TABLE "${table}" AS SELECT * FROM read_csv($file, header = false, auto_detect = false, quote = '"', escape = '"',
      nullstr = '\\N', columns = {${spec}})`, { file });
  } finally {
    rmSync(file, { force: true });
  }
}

/** A CSV field: null as \N, a string quoted when it holds a delimiter, quote, newline or backslash. */
function csvText(value: string | null): string {
  if (value === null) return '\\N';
  return /[",\n\r\\]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Creates the lookup tables the event SQL joins against, all keyed by dense integers. What
 * crosses from JS is kept small (uploads go through CSV: ~1 µs of JS per field): points carry
 * only their coordinates and cells, their unit codes come from a grid table, and the slot
 * tables go up as runs of equal slots, expanded in SQL.
 */
export async function createLookupTables(db: Database, seed: number, points: Points, pools: PoolSlot[], dists: ItemDists, templates: EventTemplate[]): Promise<void> {
  // Each district's residents lean more or less satisfied (skews the template draw; 1 = neutral).
  const rng = deriveRng(seed, 'district-satisfaction');
  const skew = new Map<string, number>();
  for (const grid of points.grids) if (!skew.has(grid.districtCode)) skew.set(grid.districtCode, Math.exp(0.35 * (2 * rng() - 1)));
  await db.run(`CREATE OR REPLACE TEMP TABLE "gen_grids" ("grid_idx" INTEGER, "grid_code" VARCHAR, "community_code" VARCHAR, "street_code" VARCHAR, "district_code" VARCHAR, "sat_skew" DOUBLE)`);
  await db.appendRows('gen_grids', ['integer', 'varchar', 'varchar', 'varchar', 'varchar', 'double'],
    points.grids.map((grid, g) => [g, grid.code, grid.communityCode, grid.streetCode, grid.districtCode, skew.get(grid.districtCode)!]));
  const pointLines: string[] = [];
  for (let id = 0; id < points.lng.length; id += 1) pointLines.push(`${id},${points.lng[id]},${points.lat[id]},${points.h3r7[id]},${points.h3r8[id]},${points.h3r9[id]}`);
  await uploadCsv(db, 'gen_point_rows', [['point_id', 'INTEGER'], ['lng', 'DOUBLE'], ['lat', 'DOUBLE'], ['h3r7', 'VARCHAR'], ['h3r8', 'VARCHAR'], ['h3r9', 'VARCHAR']], pointLines);
  await db.run(`CREATE OR REPLACE TEMP TABLE "gen_points" AS
    SELECT p."point_id", p."lng", p."lat", p."h3r7", p."h3r8", p."h3r9", ('0x' || p."h3r8")::UBIGINT AS "h3r8_cell", ('0x' || p."h3r9")::UBIGINT AS "h3r9_cell",
      g."grid_code", g."community_code", g."street_code", g."district_code", g."sat_skew"
    FROM "gen_point_rows" p JOIN "gen_grids" g ON g."grid_idx" = p."point_id" // ${POINTS_PER_GRID}`);
  await db.run(`CREATE OR REPLACE TEMP TABLE "gen_pool_runs" ("first_key" INTEGER, "n" INTEGER, "point_base" INTEGER, "point_span" INTEGER)`);
  await db.appendRows('gen_pool_runs', ['integer', 'integer', 'integer', 'integer'],
    slotRuns(pools.map((p) => [p.poolId * POOL_SLOTS + p.slot, p] as const), (a, b) => a.pointBase === b.pointBase && a.pointSpan === b.pointSpan)
      .map(([key, n, slot]) => [key, n, slot.pointBase, slot.pointSpan]));
  await db.run(`CREATE OR REPLACE TEMP TABLE "gen_pool_slots" AS
    SELECT r."first_key" + k."k" AS "slot_key", r."point_base", r."point_span" FROM "gen_pool_runs" r, range(r."n") k("k")`);
  const same = (a: number, b: number) => a === b;
  await createSlotTable(db, 'gen_item_slots', 'item_idx', dists.weights.flatMap((weights, distId) => slotRuns(apportionedSlots(distId * ITEM_SLOTS, weights, ITEM_SLOTS), same)));
  await createSlotTable(db, 'gen_hour_slots', 'hour', SOURCES.flatMap((source) => slotRuns(apportionedSlots(SOURCE_INDEX[source] * HOUR_SLOTS, HOUR_CURVE[source], HOUR_SLOTS), same)));
  await createTemplateTable(db, templates);
}

/** A slot table ("slot_key", value) from runs [first slot key, length, value]. */
async function createSlotTable(db: Database, table: string, column: string, runs: [number, number, number][]): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE "${table}_runs" ("first_key" INTEGER, "n" INTEGER, "value" INTEGER)`);
  await db.appendRows(`${table}_runs`, ['integer', 'integer', 'integer'], runs);
  await db.run(`CREATE OR REPLACE TEMP TABLE "${table}" AS SELECT r."first_key" + k."k" AS "slot_key", r."value" AS "${column}" FROM "${table}_runs" r, range(r."n") k("k")`);
  await db.run(`DROP TABLE "${table}_runs"`);
}

/** The quoted ENUM type name when the database has it (migration 10), else VARCHAR. */
async function enumTypeOf(db: Database): Promise<(name: EventEnumType) => string> {
  const existing = new Set((await db.all<{ name: string }>(`SELECT "type_name" AS "name" FROM duckdb_types() WHERE "logical_type" = 'ENUM'`)).map((row) => row.name));
  return (name) => (existing.has(name) ? `"${name}"` : 'VARCHAR');
}

async function createTemplateTable(db: Database, templates: EventTemplate[]): Promise<void> {
  // The closed-list columns typed as the events' ENUMs (migration 10): cast once per template
  // here instead of once per event on insert. (A database migrated only part of the way, as
  // some tests build, keeps them VARCHAR.)
  const type = await enumTypeOf(db);
  const columns: [string, string][] = [['template_key', 'INTEGER'], ['source', type('event_source')], ['id_prefix', 'VARCHAR'], ['item', type('event_item')],
    ['sub_category', 'VARCHAR'], ['summary', 'VARCHAR'], ['channel', 'VARCHAR'], ['nature', 'VARCHAR'], ['urgency', type('event_urgency')],
    ['hotline_nature', type('event_hotline_nature')], ['police_matter', 'BOOLEAN'], ['police_incident_type', type('event_police_incident_type')],
    ['police_transferred', 'BOOLEAN'], ['petition_form', type('event_petition_form')], ['petition_is_repeat', 'BOOLEAN'], ['petition_group_size', 'INTEGER'],
    ['location_approximate', 'BOOLEAN'], ['has_name', 'BOOLEAN'], ['has_id', 'BOOLEAN'], ['dispatch_us', 'BIGINT'], ['response_us', 'BIGINT'], ['due_us', 'BIGINT'],
    ['close_us', 'BIGINT'], ['to_street', 'BOOLEAN'], ['handling_dept', 'VARCHAR'], ['return_visit', type('event_return_visit')]];
  const us = (seconds: number | null) => (seconds === null ? '\\N' : String(seconds * 1_000_000));
  const plain = (value: number | boolean | null) => (value === null ? '\\N' : String(value));
  await uploadCsv(db, 'gen_templates', columns, templates.map((t) => {
    const source = SOURCES[Math.floor(t.key / (ITEMS.length * TEMPLATES_PER_ITEM))]!;
    return [t.key, source, ID_PREFIX[source], t.item, csvText(t.subCategory), csvText(t.summary), csvText(t.channel), csvText(t.nature), t.urgency, csvText(t.hotlineNature),
      plain(t.policeMatter), csvText(t.policeIncidentType), plain(t.policeTransferred), csvText(t.petitionForm), plain(t.petitionIsRepeat), plain(t.petitionGroupSize),
      t.locationApproximate, t.hasName, t.hasId, us(t.dispatchS), us(t.responseS), us(t.dueS), us(t.closeS), t.handlingToStreet, csvText(t.handlingDept), csvText(t.returnVisit)].join(',');
  }));
}

/** Writes the planned blocks in day order with the first event id of each; returns the event count. */
export async function createBlockTable(db: Database, blocks: BlockList): Promise<number> {
  const order = blocks.dayIdx.map((_, i) => i).sort((a, b) => blocks.dayIdx[a]! - blocks.dayIdx[b]! || blocks.source[a]! - blocks.source[b]! || blocks.pool[a]! - blocks.pool[b]! || a - b);
  let nextId = 1;
  const lines = order.map((i) => {
    const line = `${nextId},${blocks.n[i]},${blocks.dayIdx[i]},${blocks.source[i]},${blocks.pool[i]},${blocks.dist[i]}`;
    nextId += blocks.n[i]!;
    return line;
  });
  await uploadCsv(db, 'gen_blocks', [['first_id', 'BIGINT'], ['n', 'INTEGER'], ['day_idx', 'INTEGER'], ['source_idx', 'INTEGER'], ['pool_id', 'INTEGER'], ['dist', 'INTEGER']], lines);
  return nextId - 1;
}

export async function createFixedTable(db: Database, events: FixedEvent[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE "gen_fixed" ("id" BIGINT, "day_idx" INTEGER, "source_idx" INTEGER, "pool_id" INTEGER, "dist" INTEGER,
    "fixed_second" INTEGER, "fixed_template" INTEGER, "fixed_phone" VARCHAR, "fixed_name" VARCHAR, "fixed_summary" VARCHAR)`);
  await db.appendRows('gen_fixed', ['bigint', 'integer', 'integer', 'integer', 'integer', 'integer', 'integer', 'varchar', 'varchar', 'varchar'],
    events.map((e) => [e.id, e.dayIdx, SOURCE_INDEX[e.source], e.poolId, e.dist, e.secondOfDay, e.templateKey, e.phone, e.nameMasked, e.summary]));
}

const BLOCK_SKELETON = `SELECT b."first_id" + r."k" AS "id", b."day_idx", b."source_idx", b."pool_id", b."dist"
  FROM "gen_blocks" b, range(b."n") r("k") WHERE b."day_idx" BETWEEN $from_day AND $to_day`;
/** The skeleton's columns the fixed (escalation) events set and the block events leave to the draw. */
const NO_FIXED_VALUES = `NULL::INTEGER AS "fixed_second", NULL::INTEGER AS "fixed_template", NULL::VARCHAR AS "fixed_phone", NULL::VARCHAR AS "fixed_name", NULL::VARCHAR AS "fixed_summary"`;
const FIXED_SKELETON = `SELECT * FROM "gen_fixed"`;

/**
 * The columns the events table stores, by schema version: all of them before migration 14,
 * then without the unit codes above the grid's (14), then with the H3 cells and the reporter
 * hash as integers instead of text (15). Tests build databases migrated only part of the way.
 */
interface EventLayout {
  storedCodes: boolean;
  textKeys: boolean;
}

/**
 * The event factory. Every random choice comes from DuckDB's hash() of (id, seed, k), sliced
 * into 16-bit uniforms (gen_u), so the output is deterministic for a seed however DuckDB
 * schedules its threads. Where: a pool slot then one of the grid's points; what: an item
 * from the block's mix, then a template of that source × item (the template draw is skewed
 * per district, see createLookupTables); when: the block's day, an hour from the source's
 * curve, a random second; who: a regular reporter (28 %, Zipf-like, so some call often)
 * or a one-off one. Process timestamps are receipt + template offsets, blanked when they
 * fall after the end of the data.
 */
function eventSelect(skeleton: string, status: string, { storedCodes, textKeys }: EventLayout): string {
  const reporterHash = `left(sha256($salt || ':' || w.phone), 16)`;
  return `
WITH skeleton AS (${skeleton}),
drawn AS (
  SELECT s.*, hash(s."id", $seed) AS ha, hash(s."id", $seed, 2) AS hb, hash(s."id", $seed, 3) AS hc FROM skeleton s
),
placed AS (
  SELECT d."id", d."fixed_phone", d."fixed_name", d."fixed_summary",
    p."lng", p."lat", p."h3r7", p."h3r8", p."h3r9", p."h3r8_cell", p."h3r9_cell", p."grid_code", p."community_code", p."street_code", p."district_code",
    $start_us + d."day_idx"::BIGINT * 86400000000 + coalesce(d."fixed_second", hs."hour" * 3600 + ((d.hb >> 34) & 65535)::INTEGER % 3600)::BIGINT * 1000000 AS received_us,
    coalesce(d."fixed_template", (d."source_idx" * ${ITEMS.length} + isl."item_idx") * ${TEMPLATES_PER_ITEM}
      + least(${TEMPLATES_PER_ITEM - 1}, floor(${TEMPLATES_PER_ITEM} * pow(gen_u(d.hc, 0), p."sat_skew")))::INTEGER) AS template_key,
    CASE WHEN d."fixed_phone" IS NULL AND gen_u(d.hc, 1) < 0.28
      THEN floor($reporter_pool * pow((d.hc >> 32)::DOUBLE / 4294967296.0, 1.5))::BIGINT
      ELSE 10000000000 + d."id" END AS reporter_idx
  FROM drawn d
  JOIN "gen_pool_slots" ps ON ps."slot_key" = d."pool_id" * ${POOL_SLOTS} + (d.ha & ${POOL_SLOTS - 1})::INTEGER
  JOIN "gen_points" p ON p."point_id" = ps."point_base" + ((d.ha >> 10) & 65535)::INTEGER % ps."point_span"
  JOIN "gen_item_slots" isl ON isl."slot_key" = d."dist" * ${ITEM_SLOTS} + (d.hb & 65535)::INTEGER % ${ITEM_SLOTS}
  JOIN "gen_hour_slots" hs ON hs."slot_key" = d."source_idx" * ${HOUR_SLOTS} + ((d.hb >> 18) & 65535)::INTEGER % ${HOUR_SLOTS}
),
who AS (
  SELECT *, coalesce("fixed_phone", (13000000000 + (hr % 6000000000::UBIGINT)::BIGINT)::VARCHAR) AS phone
  FROM (SELECT *, hash(reporter_idx, $seed, 8) AS hr FROM placed)
)
SELECT
  w."id", t."source", t."id_prefix" || lpad(w."id"::VARCHAR, 10, '0'), make_timestamp(w.received_us),
  t."channel", t."nature", t."item", t."sub_category", coalesce(w."fixed_summary", t."summary"),
  w."lng", w."lat", t."location_approximate", ${textKeys ? 'w."h3r7", w."h3r8", w."h3r9", ' : ''}
  ${storedCodes ? 'w."district_code", w."street_code", w."community_code", ' : ''}w."grid_code", t."urgency",
  ${textKeys ? `${reporterHash},` : ''}
  CASE WHEN t."has_name" THEN coalesce(w."fixed_name", list_extract($masked_names, ((w.hr >> 40) % ${MASKED_NAMES.length}::UBIGINT)::BIGINT + 1)) END,
  left(w.phone, 3) || '****' || right(w.phone, 4),
  CASE WHEN t."has_id" THEN list_extract($masked_ids, ((w.hr >> 20) % ${MASKED_IDS.length}::UBIGINT)::BIGINT + 1) END,
  CASE WHEN w.received_us + t."close_us" < $as_of_us THEN CASE WHEN t."return_visit" IS NULL THEN 'disposed'::${status} ELSE 'closed'::${status} END
       WHEN w.received_us + t."response_us" < $as_of_us THEN 'in_progress'::${status}
       WHEN w.received_us + t."dispatch_us" < $as_of_us THEN 'dispatched'::${status} ELSE 'received'::${status} END,
  CASE WHEN w.received_us + t."dispatch_us" < $as_of_us THEN make_timestamp(w.received_us + t."dispatch_us") END,
  CASE WHEN w.received_us + t."response_us" < $as_of_us THEN make_timestamp(w.received_us + t."response_us") END,
  make_timestamp(w.received_us + t."due_us"),
  CASE WHEN w.received_us + t."close_us" < $as_of_us THEN make_timestamp(w.received_us + t."close_us") END,
  CASE WHEN t."to_street" THEN w."street_code" END,
  t."handling_dept",
  CASE WHEN w.received_us + t."close_us" < $as_of_us THEN t."return_visit" END,
  t."police_matter", t."police_incident_type", t."police_transferred",
  t."petition_form", t."petition_is_repeat", t."petition_group_size", t."hotline_nature",
  make_timestamp($as_of_us), make_timestamp($as_of_us)${textKeys ? '' : `, w."h3r8_cell", w."h3r9_cell", ('0x' || ${reporterHash})::UBIGINT`}
FROM who w JOIN "gen_templates" t ON t."template_key" = w.template_key`;
}

export interface EventSqlParams {
  seed: number;
  salt: string;
  startUs: number;
  /** The generated world's "now": process steps after it are left blank (see processUntil). */
  asOfUs: number;
  /** Size of the pool of regular (repeat) reporters. */
  reporterPool: number;
}

export async function createGeneratorMacros(db: Database): Promise<void> {
  // The k-th 16-bit slice of a 64-bit hash as a uniform number in [0, 1). Casts keep the
  // arithmetic in UBIGINT/INTEGER: mixing UBIGINT with INTEGER silently widens to 128-bit.
  await db.run(`CREATE OR REPLACE TEMP MACRO gen_u(h, k) AS ((h >> (16 * k)::UBIGINT) & 65535::UBIGINT)::INTEGER / 65536.0`);
}

function bindings(params: EventSqlParams) {
  return {
    seed: params.seed,
    salt: params.salt,
    start_us: params.startUs,
    as_of_us: params.asOfUs,
    reporter_pool: params.reporterPool,
    masked_names: listValue(MASKED_NAMES),
    masked_ids: listValue(MASKED_IDS),
  };
}

/**
 * Inserts the events of the blocks whose day lies in [fromDay, toDay], and the fixed
 * (escalation) events with the last range (a statement of its own would build the lookup
 * hash tables once more for a few hundred events). The skeleton (one row per event id) is
 * expanded from the blocks inside the statement, not materialised first: a scan of a table
 * created in the running transaction (every gen_* table is: the generation is one
 * transaction) runs on one thread in DuckDB, and it fed the whole insert — measured at scale
 * 0.1, the event factory ran at 1.02 cores out of 2 from a materialised skeleton and at 1.98
 * from the expansion (6.9 → 3.5 s wall for the same rows).
 */
export async function insertBlockEvents(db: Database, params: EventSqlParams, fromDay: number, toDay: number, withFixed: boolean): Promise<void> {
  const skeleton = `SELECT *, ${NO_FIXED_VALUES} FROM (${BLOCK_SKELETON})${withFixed ? ` UNION ALL ${FIXED_SKELETON}` : ''}`;
  // A database migrated only part of the way (as some tests build) stores more columns.
  const version = await currentSchemaVersion(db);
  const layout: EventLayout = { storedCodes: version < derivedUnitCodesMigration.version, textKeys: version < compactEventKeysMigration.version };
  const columns = layout.storedCodes
    ? EVENT_COLUMNS.map(([name]) => `"${name}"`).join(', ')
    : layout.textKeys
      ? EVENT_COLUMNS.filter(([name]) => !(name in UNIT_CODE_DERIVATIONS)).map(([name]) => `"${name}"`).join(', ')
      : STORED_EVENT_COLUMN_LIST;
  await db.run(`INSERT INTO "events" (${columns}) ${eventSelect(skeleton, (await enumTypeOf(db))('event_status'), layout)}`, { ...bindings(params), from_day: fromDay, to_day: toDay });
}
