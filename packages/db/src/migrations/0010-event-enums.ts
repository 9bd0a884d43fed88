import { EVENT_STATUSES, HOTLINE_NATURES, ITEMS, PETITION_CHANNELS, POLICE_INCIDENT_TYPES, RETURN_VISIT_RESULTS, SOURCES, URGENCIES } from '@cityops/domain';
import type { Database } from '../database.ts';
import { EVENT_COLUMNS } from './0001-warehouse.ts';
import type { Migration } from './types.ts';

/**
 * The event columns whose values come from a closed domain list (the zod event schema's
 * z.enum fields) stored as DuckDB ENUMs instead of VARCHAR: one byte per value instead of a
 * string. Measured on the events of a scale 0.02 database: writing the ten low-cardinality
 * string columns (these eight plus channel and nature) cost ~2.2–2.6 µs of CPU per event as
 * strings (each row group's compression analyses every string for dictionary/FSST) against
 * ~0.35 µs as ENUMs; a large part of the generator's budget of ~6.6 µs an event.
 *
 * Readers are unaffected: an ENUM compares with strings and string parameters (a value
 * outside the list simply matches nothing), casts to VARCHAR implicitly (rollups, unions,
 * concatenation) and comes back to JS as its string. Each type lists its values in sorted
 * order, so ORDER BY / min / max give the same order as the strings did. Writers must give
 * values of the list — an unknown one is now refused (Conversion Error) instead of stored;
 * the writers (generator, importers, live feed) validate against the same lists.
 * `channel` and `nature` stay VARCHAR: the schema leaves them open (z.string()).
 */
export const EVENT_ENUM_TYPES = {
  event_source: SOURCES,
  event_item: ITEMS,
  event_urgency: URGENCIES,
  event_status: EVENT_STATUSES,
  event_return_visit: RETURN_VISIT_RESULTS,
  event_police_incident_type: POLICE_INCIDENT_TYPES,
  event_petition_form: PETITION_CHANNELS,
  event_hotline_nature: HOTLINE_NATURES,
} as const satisfies Record<string, readonly string[]>;

export type EventEnumType = keyof typeof EVENT_ENUM_TYPES;

/** Events column → its ENUM type. */
export const EVENT_ENUM_COLUMNS: Readonly<Record<string, EventEnumType>> = {
  source: 'event_source',
  category: 'event_item',
  urgency: 'event_urgency',
  status: 'event_status',
  return_visit: 'event_return_visit',
  police_incident_type: 'event_police_incident_type',
  petition_form: 'event_petition_form',
  hotline_nature: 'event_hotline_nature',
};

/** `CREATE TYPE … AS ENUM (…)` with the values sorted (string order, see above). */
export function createEnumTypeSql(type: EventEnumType): string {
  const values = [...EVENT_ENUM_TYPES[type]].sort();
  for (const value of values) if (!/^[a-z_]+$/.test(value)) throw new Error(`unexpected enum value ${value}`);
  return `CREATE TYPE "${type}" AS ENUM (${values.map((value) => `'${value}'`).join(', ')})`;
}

async function up(db: Database): Promise<void> {
  for (const type of Object.keys(EVENT_ENUM_TYPES) as EventEnumType[]) await db.run(createEnumTypeSql(type));
  for (const [column, type] of Object.entries(EVENT_ENUM_COLUMNS)) {
    await db.run(`ALTER TABLE "events" ALTER COLUMN "${column}" SET DATA TYPE "${type}"`);
  }
}

export const eventEnumsMigration: Migration = {
  version: 10,
  name: 'event enums: closed-list event columns as ENUM types',
  up,
  tables: { events: EVENT_COLUMNS.map(([name]) => name) },
};
