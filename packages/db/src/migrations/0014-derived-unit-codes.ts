import { codeLengthOf, DomainError } from '@cityops/domain';
import type { Database } from '../database.ts';
import { EVENT_COLUMNS } from './0001-warehouse.ts';
import { COMPACT_TIMESTAMP_COLUMNS } from './0009-warehouse-compact.ts';
import { EVENT_ENUM_COLUMNS } from './0010-event-enums.ts';
import type { Migration } from './types.ts';

/**
 * An event's district, street and community codes computed from its grid code instead of
 * stored: unit codes are hierarchical (a unit's code starts with its parent's, the domain's
 * codeLengthOf gives each level's length) and every event is placed in a grid, so the three
 * are prefixes of `grid_code`, read through VIRTUAL generated columns. Readers are unchanged
 * (same names, same values, same column order); writers give `grid_code` and leave the three
 * out (INSERT … BY NAME or a column list of STORED_EVENT_COLUMNS; DuckDB refuses a value for
 * a generated column).
 *
 * Why: storing the four codes was the costliest part of writing an event. Measured at scale
 * 0.1 (scratch copies of the events' columns into a fresh file, 2 threads): the four VARCHAR
 * codes cost 1.08 µs of CPU and 23.6 MB, `grid_code` alone 0.31 µs and 14.2 MB; the generator
 * spends ~7 µs an event in all. The price is on reads that filter or group on a derived code
 * without the rollups: the prefix is computed per row (a district filter over 2.2 M raw rows
 * 34 → ~90 ms). The dashboards read rollups.
 *
 * Converts an existing database by rebuilding the table (DuckDB cannot add a generated column
 * to a table): after checking that every stored code is its grid's prefix, so nothing changes.
 */
export const UNIT_CODE_DERIVATIONS: Readonly<Record<string, string>> = {
  district_code: `left("grid_code", ${codeLengthOf('district')})`,
  street_code: `left("grid_code", ${codeLengthOf('street')})`,
  community_code: `left("grid_code", ${codeLengthOf('community')})`,
};

/** The event columns this migration's table stores, in table order. */
const STORED_V14 = EVENT_COLUMNS.map(([name]) => name).filter((name) => !(name in UNIT_CODE_DERIVATIONS));
const STORED_V14_LIST = STORED_V14.map((name) => `"${name}"`).join(', ');

/**
 * The events table as migrations 1, 9 and 10 leave it, with `derived` columns VIRTUAL (typed
 * as before) and `appended` stored columns at the end (later migrations add theirs).
 */
export function eventsTableSql(table: string, derived: Readonly<Record<string, string>>, appended: readonly (readonly [name: string, type: string])[] = []): string {
  const compact = new Set<string>(COMPACT_TIMESTAMP_COLUMNS);
  const columns = EVENT_COLUMNS.map(([name, type]) => {
    const derivation = derived[name];
    if (derivation) return `"${name}" ${type.replace(/ NOT NULL$/, '')} GENERATED ALWAYS AS (${derivation}) VIRTUAL`;
    const enumType = EVENT_ENUM_COLUMNS[name];
    const columnType = enumType ? type.replace(/^VARCHAR/, `"${enumType}"`) : compact.has(name) ? type.replace(/^TIMESTAMP/, 'TIMESTAMP_S') : type;
    return `"${name}" ${columnType}`;
  });
  for (const [name, type] of appended) columns.push(`"${name}" ${type}`);
  return `CREATE TABLE "${table}" (${columns.join(', ')})`;
}

/**
 * Refuses the upgrade to `version` (SCHEMA_MISMATCH, nothing changed) when any event's column
 * differs from what the rebuilt table would give back: `expected` maps columns to expressions
 * over the stored ones; `what` says what is wrong with those events, in Chinese and English.
 */
export async function refuseMismatchedEvents(db: Database, version: number, expected: Readonly<Record<string, string>>, what: { zh: string; en: string }): Promise<void> {
  const mismatch = Object.entries(expected).map(([name, expression]) => `"${name}" IS DISTINCT FROM ${expression}`).join(' OR ');
  const [row] = await db.all<{ n: number; example: string | null }>(
    `SELECT count(*)::DOUBLE AS n, any_value("external_id") AS example FROM "events" WHERE ${mismatch}`,
  );
  if (row && row.n > 0) {
    throw new DomainError(
      'SCHEMA_MISMATCH',
      `${row.n} 条事件的${what.zh}（例如 ${row.example}），无法升级到第 ${version} 版 / ` +
        `${row.n} events have ${what.en} (e.g. ${row.example}): cannot upgrade to schema version ${version}. Correct those events and reopen the database.`,
      { mismatched: row.n },
    );
  }
}

/** Replaces the events table by `createSql`'s (a table named `events_new`), filled with `select` (values for `columns`) over the old one. */
export async function rebuildEventsTable(db: Database, createSql: string, columns: string, select: string): Promise<void> {
  await db.run(createSql);
  await db.run(`INSERT INTO "events_new" (${columns}) SELECT ${select} FROM "events"`);
  await db.run(`DROP TABLE "events"`);
  await db.run(`ALTER TABLE "events_new" RENAME TO "events"`);
}

async function up(db: Database): Promise<void> {
  await refuseMismatchedEvents(db, 14, UNIT_CODE_DERIVATIONS, {
    zh: '区、街道或社区编码不是其网格编码的前缀', en: "a district, street or community code that is not their grid code's prefix",
  });
  await rebuildEventsTable(db, eventsTableSql('events_new', UNIT_CODE_DERIVATIONS), STORED_V14_LIST, STORED_V14_LIST);
}

export const derivedUnitCodesMigration: Migration = {
  version: 14,
  name: 'derived unit codes: district, street and community codes of an event computed from its grid code',
  up,
  tables: { events: EVENT_COLUMNS.map(([name]) => name) },
};
