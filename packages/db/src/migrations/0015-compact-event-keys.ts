import type { Database } from '../database.ts';
import { EVENT_COLUMNS } from './0001-warehouse.ts';
import { eventsTableSql, rebuildEventsTable, refuseMismatchedEvents, UNIT_CODE_DERIVATIONS } from './0014-derived-unit-codes.ts';
import type { Migration } from './types.ts';

/** An H3 cell's usual text (15 lowercase hex digits: valid cells have the top bits 0000 1) from its integer. */
export const cellText = (cell: string): string => `lower(hex(${cell}))`;
/** A reporter hash's text (16 lowercase hex digits, leading zeros kept) from its integer. */
const hashText = (key: string): string => `lpad(lower(hex(${key})), 16, '0')`;

/**
 * An event's H3 cells and reporter hash stored as 64-bit integers instead of hex text. Readers
 * are unchanged: `h3r9`, `h3r8`, `h3r7` and `reporter_hash` keep their names, values and
 * places, as VIRTUAL generated columns over the stored integers (`h3r9_cell`, `h3r8_cell`,
 * `reporter_key`, appended to the table). Writers give the integers (STORED_EVENT_COLUMNS;
 * textKeyConversion turns the hex text the importer stages into them).
 *
 * `h3r7` is stored no more: it is the parent of the event's res-9 cell (H3's roll-up: a
 * cell's parent is its index with the resolution set and the finer digits cleared to 7), no
 * longer the res-7 cell its point falls in, which differs for a few per cent of points near
 * cell edges. Nothing reads it in CityOps; the hotspots use res 9 and res 8, still the cells
 * of the point.
 *
 * Why: writing an event's text keys was the costliest part of generating it after the unit
 * codes (migration 14). Measured at scale 0.1 (2.2 M events copied into a fresh file, 2
 * threads): the three H3 texts 0.69 µs of CPU an event and 26.2 MB, two UBIGINT cells
 * 0.06 µs (3 cells 0.09 µs, 35.7 MB); the reporter hash 0.31 µs as text and 0.03 µs as
 * UBIGINT (20.5 → 19.1 MB). The generator spent ~6.2 µs an event in all.
 *
 * Converts an existing database by rebuilding the table, after checking that every stored
 * cell and hash is the lowercase hex text of a 64-bit integer (the conversion loses nothing).
 */
export const KEY_DERIVATIONS: Readonly<Record<string, string>> = {
  h3r7: cellText(`("h3r9_cell" & ~(15::UBIGINT << 52)) | (7::UBIGINT << 52) | (63::UBIGINT << 18)`),
  h3r8: cellText('"h3r8_cell"'),
  h3r9: cellText('"h3r9_cell"'),
  reporter_hash: hashText('"reporter_key"'),
};

/** The stored columns this migration appends to the events table. */
export const KEY_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['h3r8_cell', 'UBIGINT NOT NULL'],
  ['h3r9_cell', 'UBIGINT NOT NULL'],
  ['reporter_key', 'UBIGINT'],
];

/** Each stored key column as an expression over the text column it replaces (`alias.` prefixed, e.g. `s.`). */
export function textKeyConversion(column: string, alias = ''): string {
  const text = column === 'reporter_key' ? 'reporter_hash' : column.replace(/_cell$/, '');
  return `('0x' || ${alias}"${text}")::UBIGINT`;
}

/** Every event column computed on read: the unit codes (migration 14) and the text keys. */
export const DERIVED_EVENT_COLUMNS: Readonly<Record<string, string>> = { ...UNIT_CODE_DERIVATIONS, ...KEY_DERIVATIONS };

/** `"district_code", …, "reporter_hash"`, for a `SELECT * EXCLUDE (…)` that feeds an `INSERT … BY NAME`. */
export const DERIVED_EVENT_COLUMN_NAMES = Object.keys(DERIVED_EVENT_COLUMNS).map((name) => `"${name}"`).join(', ');

/** The event columns a writer gives, in table order. */
export const STORED_EVENT_COLUMNS: readonly string[] = [
  ...EVENT_COLUMNS.map(([name]) => name).filter((name) => !(name in DERIVED_EVENT_COLUMNS)),
  ...KEY_COLUMNS.map(([name]) => name),
];

/** `"a", "b", …` of STORED_EVENT_COLUMNS, for an INSERT's column list. */
export const STORED_EVENT_COLUMN_LIST = STORED_EVENT_COLUMNS.map((name) => `"${name}"`).join(', ');

/** The stored texts as they read back after the conversion (NULL where the text is not hex). */
const tryInteger = (text: string) => `TRY_CAST('0x' || "${text}" AS UBIGINT)`;
const HEX_ROUND_TRIP: Readonly<Record<string, string>> = {
  h3r8: cellText(tryInteger('h3r8')),
  h3r9: cellText(tryInteger('h3r9')),
  reporter_hash: hashText(tryInteger('reporter_hash')),
};

async function up(db: Database): Promise<void> {
  await refuseMismatchedEvents(db, 15, HEX_ROUND_TRIP, {
    zh: ' H3 网格或报告人哈希不是 64 位十六进制文本', en: 'an H3 cell or reporter hash that is not the lowercase hex text of a 64-bit integer',
  });
  const kept = STORED_EVENT_COLUMNS.filter((name) => !KEY_COLUMNS.some(([key]) => key === name));
  await rebuildEventsTable(db, eventsTableSql('events_new', DERIVED_EVENT_COLUMNS, KEY_COLUMNS), STORED_EVENT_COLUMN_LIST,
    [...kept.map((name) => `"${name}"`), ...KEY_COLUMNS.map(([name]) => textKeyConversion(name))].join(', '));
}

export const compactEventKeysMigration: Migration = {
  version: 15,
  name: 'compact event keys: H3 cells and the reporter hash stored as UBIGINT, read as text through generated columns',
  up,
  tables: { events: [...EVENT_COLUMNS.map(([name]) => name), ...KEY_COLUMNS.map(([name]) => name)] },
};
