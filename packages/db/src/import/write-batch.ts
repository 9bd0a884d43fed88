import type { Source } from '@cityops/domain';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../database.ts';
import { EVENT_COLUMNS } from '../migrations/0001-warehouse.ts';
import { DERIVED_EVENT_COLUMNS, KEY_COLUMNS, textKeyConversion } from '../migrations/0015-compact-event-keys.ts';
import { eventKeyIndexOf, keyHashHigh, keyHashLow } from './event-key-index.ts';
import { recordImportBatch, type BatchTally } from './import-log.ts';
import { STAGING_COLUMNS, type StagedRow } from './normalize-row.ts';

const STAGING = 'import_staging';
const TIMESTAMP_COLUMNS = new Set(EVENT_COLUMNS.filter(([, type]) => type.startsWith('TIMESTAMP')).map(([name]) => name));
/**
 * Columns the importer writes (all but id and the bookkeeping timestamps): the staged ones the
 * events table stores, in staging order, then the H3 cells and reporter key as integers. The
 * staged district, street and community codes are not among them (the events table derives
 * them from the grid code, migration 14), nor the staged hex texts of the cells and the hash
 * (it stores their integers, migration 15). Staging still carries them: the push API's live
 * stream reads an inserted event's codes from its staged row.
 */
const CONTENT_COLUMNS = [
  ...STAGING_COLUMNS.map(([name]) => name).filter((name) => name !== 'row_no' && !(name in DERIVED_EVENT_COLUMNS)),
  ...KEY_COLUMNS.map(([name]) => name),
];
const KEY_COLUMN_NAMES = new Set(KEY_COLUMNS.map(([name]) => name));
/** A content column's value from the staged row under `alias`. */
const staged = (name: string, alias = 's') =>
  TIMESTAMP_COLUMNS.has(name) ? `${alias}."${name}"::TIMESTAMP` : KEY_COLUMN_NAMES.has(name) ? textKeyConversion(name, `${alias}.`) : `${alias}."${name}"`;
const STATE_COLUMNS = ['status', 'dispatched_at', 'first_response_at', 'due_at', 'closed_at', 'return_visit', 'handling_unit', 'handling_dept'] as const;
const STATUS_ORDER = `['received', 'dispatched', 'in_progress', 'disposed', 'closed']`;

/** Creates (or empties) the connection-local staging table for batches. */
export async function prepareStaging(db: Database): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE "${STAGING}" (${STAGING_COLUMNS.map(([name, , type]) => `"${name}" ${type}`).join(', ')})`);
}

const STAGING_CSV_COLUMNS = `{${STAGING_COLUMNS.map(([name, , type]) => `'${name}': '${type}'`).join(', ')}}`;

/**
 * A staged row as one line of the staging CSV. Concatenated: the line is copied into a
 * StagedCsvBatch (one flattening pass) and dropped, so an array of cells and a join cost more.
 */
export function stagedCsvLine(row: StagedRow): string {
  let line = '';
  for (let i = 0; i < row.length; i += 1) {
    const value = row[i] ?? null;
    if (i > 0) line += ',';
    if (value === null) continue;
    if (typeof value === 'string') line += value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
    else line += String(value);
  }
  return line;
}

/**
 * Bytes the last batch took (+12 %, at most 64 MB): a new batch starts that large instead of
 * growing from 1 MB by copies (a 10,000-row batch is ~7 MB; the copies cost ~3 µs per row).
 */
let batchCapacityHint = 1 << 20;

/**
 * A batch of valid rows as the staging CSV's bytes, built row by row outside the JS heap: each
 * row's line is garbage as soon as it is copied in, instead of living (and being copied by
 * every young-generation GC, then promoted) until the batch is written. The rows' external
 * ids are also kept on their own (`keys`): the batch's key check reads them, not the whole file.
 */
export class StagedCsvBatch {
  private bytes: Buffer;
  private used = 0;
  /** Rows added so far. */
  length = 0;
  /** External ids (column 1) of the rows, in order. */
  keys: string[] = [];

  constructor(bytes?: Buffer) {
    this.bytes = bytes ?? Buffer.allocUnsafe(batchCapacityHint);
  }

  /**
   * Appends a row as its rank in the batch: row_no (index 0) is set to 1, 2, … (file order, as
   * the row numbers), so the new cases' ids (max_id + rank) need no sort of the batch.
   */
  add(row: StagedRow): void {
    row[0] = this.length + 1;
    const line = stagedCsvLine(row);
    // A UTF-16 unit takes at most 3 UTF-8 bytes; +1 for the newline.
    const room = line.length * 3 + 1;
    if (this.used + room > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + room));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
      batchCapacityHint = Math.min(Math.max(batchCapacityHint, grown.length), 64 << 20);
    }
    this.used += this.bytes.write(line, this.used, 'utf8');
    this.bytes[this.used] = 0x0a;
    this.used += 1;
    this.length += 1;
    this.keys.push(row[1] as string);
  }

  contents(): Buffer {
    this.noteSize();
    return this.bytes.subarray(0, this.used);
  }

  /** The bytes as a transferable ArrayBuffer (the batch is unusable afterwards) and how many are used. */
  detach(): DetachedBatch {
    this.noteSize();
    const { buffer, byteOffset } = this.bytes;
    return { buffer: buffer as ArrayBuffer, byteOffset, used: this.used, rows: this.length, keys: this.keys };
  }

  private noteSize(): void {
    batchCapacityHint = Math.min(Math.max(1 << 20, Math.ceil(this.used * 1.12)), 64 << 20);
  }

  /** A batch over bytes detached from another (possibly in another thread). */
  static attach(detached: DetachedBatch): StagedCsvBatch {
    const batch = new StagedCsvBatch(Buffer.from(detached.buffer, detached.byteOffset, Math.max(detached.used, 1)));
    batch.used = detached.used;
    batch.length = detached.rows;
    batch.keys = detached.keys;
    return batch;
  }
}

/** A StagedCsvBatch as it crosses threads: the bytes (transferred) and the keys (copied). */
export interface DetachedBatch {
  buffer: ArrayBuffer;
  byteOffset: number;
  used: number;
  rows: number;
  keys: string[];
}

/** The external ids as a one-column CSV file (always quoted); the caller removes it. */
function writeKeysFile(keys: readonly string[]): string {
  const file = path.join(tmpdir(), `cityops-keys-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  let text = '';
  for (const key of keys) text += `"${key.includes('"') ? key.replaceAll('"', '""') : key}"\n`;
  writeFileSync(file, text);
  return file;
}

const KEYS_FILE_ROWS = `read_csv($keys, header = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, auto_detect = false, columns = {'external_id': 'VARCHAR'})`;

/**
 * Loads a batch into the staging table through a temporary CSV file read by DuckDB's own
 * (parallel) CSV reader. The appender costs one native call per value (~38 per row), which
 * dominated the import time. Strings are always quoted and NULL is an unquoted empty field,
 * so '' and NULL stay distinct. Rows may come pre-encoded (stagedCsvLine).
 */
async function stageRows(db: Database, rows: readonly (StagedRow | string)[] | StagedCsvBatch): Promise<void> {
  const file = writeStagingFile(rows);
  try {
    await db.run(`INSERT INTO "${STAGING}" SELECT * FROM ${STAGING_FILE_ROWS}`, { file });
  } finally {
    rmSync(file, { force: true });
  }
}

/** The batch as a staging CSV file (see stageRows); the caller removes it. */
function writeStagingFile(rows: readonly (StagedRow | string)[] | StagedCsvBatch): string {
  const file = path.join(tmpdir(), `cityops-staging-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, rows instanceof StagedCsvBatch ? rows.contents() : rows.map((row) => (typeof row === 'string' ? row : stagedCsvLine(row))).join('\n'));
  return file;
}

/** The staging file's rows, typed as the staging table (read by DuckDB's own CSV reader). */
const STAGING_FILE_ROWS = `read_csv($file, header = false, delim = ',', quote = '"', escape = '"',
  allow_quoted_nulls = false, auto_detect = false, columns = ${STAGING_CSV_COLUMNS})`;

/**
 * Staged rows given as a relation (a parenthesised SELECT, its parameters and its row count)
 * instead of values: the staging table's columns in order, row_no numbering the rows 1 … n in
 * their order (the new cases' ids are max_id + row_no). The SQL path of a CSV import
 * (csv-sql.ts) hands its batches over this way.
 */
export interface RowsRelation {
  sql: string;
  params: Record<string, DuckDBValue>;
  length: number;
  /**
   * Non-zero if a stored event of the source shares an external id with these rows (asked in
   * the batch's transaction); by default the rows' ids are looked up among all its events.
   */
  match?: (tx: Database) => Promise<number>;
}

/** The parameters a statement names ($name): DuckDB refuses a named parameter the statement does not use. */
function usedParams(sql: string, params: Record<string, DuckDBValue>): Record<string, DuckDBValue> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));
}

function isRowsRelation(rows: WriteBatchOptions['rows']): rows is RowsRelation {
  return typeof (rows as RowsRelation).sql === 'string';
}

export type RowOutcome = 'inserted' | 'updated' | 'unchanged' | 'stale';

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  /** Per staged row (only when asked for): outcome and the event id. */
  outcomes?: Map<number, { outcome: RowOutcome; eventId: number }>;
}

export interface WriteBatchOptions {
  runId: number;
  source: Source;
  origin: 'import' | 'push';
  /**
   * Valid rows (or their stagedCsvLine); row_no (index 0) must be unique within the batch, and
   * so must external ids. A StagedCsvBatch numbers its rows 1 … n itself (StagedCsvBatch.add).
   */
  rows: readonly (StagedRow | string)[] | StagedCsvBatch | RowsRelation;
  /** Counts of the rows of this batch that were refused, and run-level facts for the log. */
  tally: Omit<BatchTally, 'inserted' | 'unchanged' | 'stale' | 'updated'>;
  /** Timestamp floor for updated_at (see importClockFloor). */
  clockFloor: string;
  withOutcomes?: boolean;
  /** Diagnostics: wall milliseconds of each statement group of the batch (stage name → ms), the commit included. */
  onStage?: ((stage: string, ms: number) => void) | undefined;
}

/**
 * updated_at must exceed the rollups' watermark (max(updated_at)) for the incremental refresh
 * to see a change, even when generated data carries a data clock ahead of the wall clock.
 */
export async function importClockFloor(db: Database): Promise<string> {
  const rows = await db.all<{ floor: string }>(
    `SELECT greatest(now()::TIMESTAMP, coalesce(max("updated_at") + INTERVAL 1 MILLISECOND, now()::TIMESTAMP))::VARCHAR AS "floor" FROM "events"`,
  );
  return rows[0]!.floor;
}

/** The largest event id seen per database file: a lower bound for the next `maxEventId` (ids only grow). */
const maxIdHint = new Map<string, bigint>();

/**
 * max(events.id), reading only the row groups at or above the last known maximum (zone maps
 * skip the rest) instead of all ~22 M ids. The hint is only a lower bound: if no row reaches
 * it (the top events were deleted), the whole column is read.
 */
export async function maxEventId(db: Database): Promise<bigint> {
  const hint = maxIdHint.get(db.path);
  if (hint !== undefined) {
    const top = (await db.all<{ top: bigint | null }>(`SELECT max("id") AS "top" FROM "events" WHERE "id" >= $hint`, { hint }))[0]?.top ?? null;
    if (top !== null) return top;
  }
  const top = (await db.all<{ top: bigint | null }>(`SELECT coalesce(max("id"), 0)::BIGINT AS "top" FROM "events"`))[0]!.top ?? 0n;
  maxIdHint.set(db.path, top);
  return top;
}

/**
 * Writes one batch in one transaction: new cases are inserted (anti-join on source +
 * external_id against events), changed cases updated, their states appended to
 * event_history, and the run's log advanced. Either all of it commits or none of it.
 */
export async function writeImportBatch(db: Database, options: WriteBatchOptions): Promise<BatchResult> {
  const params = { source: options.source, now: options.clockFloor, run: options.runId, origin: options.origin };
  const onStage = options.onStage;
  let mark = performance.now();
  const stage = onStage
    ? (name: string) => {
        const now = performance.now();
        onStage(name, now - mark);
        mark = now;
      }
    : () => undefined;
  const eventColumns = ['id', 'source', ...CONTENT_COLUMNS, 'ingested_at', 'updated_at'];
  const historyColumns = `"event_id", "source", "external_id", ${STATE_COLUMNS.map((name) => `"${name}"`).join(', ')}, "seen_at", "import_run_id", "origin"`;
  const insertHistorySql = `INSERT INTO "event_history" (${historyColumns})
    SELECT e."id", $source, e."external_id", ${STATE_COLUMNS.map((name) => `e."${name}"`).join(', ')}, $now::TIMESTAMP, $run, $origin
    FROM "events" e WHERE e."id" > $max_id`;
  // A file batch (no per-row outcomes asked for, no key index in this process) is first read
  // straight from its staging file, or from the relation it was given: if none of its keys is
  // stored (a file of new cases, the common case) it is inserted from there, without the
  // staging table, the match tables and their statements. Otherwise it takes the general path
  // below, staged from the same rows.
  const rows = options.rows;
  const file = rows instanceof StagedCsvBatch && rows.length > 0 ? writeStagingFile(rows) : null;
  const keysFile = file && rows instanceof StagedCsvBatch && rows.keys.length === rows.length ? writeKeysFile(rows.keys) : null;
  const source: RowsRelation | null = isRowsRelation(rows) ? rows : file ? { sql: STAGING_FILE_ROWS, params: { file }, length: rows.length } : null;
  const direct = source && source.length > 0 && !options.withOutcomes && !eventKeyIndexOf(db);
  try {
    const result = await db.transaction(async (tx) => {
      stage('begin');
      if (source && direct) {
        // The keys alone (a small file) when the batch kept them, else the rows' column, unless the rows know better.
        const matchSql = `SELECT count(*)::INTEGER AS "n" FROM "events" WHERE "source" = $source AND "external_id" IN (SELECT "external_id" FROM ${keysFile ? KEYS_FILE_ROWS : source.sql})`;
        const matched = source.match
          ? await source.match(tx)
          : (await tx.all<{ n: number }>(matchSql, usedParams(matchSql, { ...source.params, source: params.source, keys: keysFile })))[0]!.n;
        const maxId = await maxEventId(tx);
        stage('match');
        if (matched === 0) {
          const inserted = source.length;
          maxIdHint.set(tx.path, maxId + BigInt(inserted));
          // Ids max_id + rank by row_no, as the general path gives them: row_no of these rows is
          // already that rank (1 … n, see StagedCsvBatch.add and RowsRelation), so no window and its sort.
          await tx.run(
            `INSERT INTO "events" (${eventColumns.map((name) => `"${name}"`).join(', ')})
             SELECT $max_id::BIGINT + s."row_no", $source, ${CONTENT_COLUMNS.map((name) => staged(name)).join(', ')}, $now::TIMESTAMP, $now::TIMESTAMP
             FROM ${source.sql} s`,
            { ...source.params, source: params.source, now: params.now, max_id: maxId },
          );
          stage('insert events');
          await tx.run(insertHistorySql, { ...params, max_id: maxId });
          stage('insert history');
          const counts = { inserted, updated: 0, unchanged: 0, stale: 0 };
          await recordImportBatch(tx, options.runId, { ...options.tally, ...counts });
          stage('log');
          return counts;
        }
      }
      // Temp tables belong to a connection and each transaction has its own, so the batch is
      // staged inside it.
      await prepareStaging(tx);
      if (source) await tx.run(`INSERT INTO "${STAGING}" SELECT * FROM ${source.sql}`, source.params);
      else if (rows.length > 0) await stageRows(tx, rows as readonly (StagedRow | string)[]);
      stage('stage');
      await matchStaged(tx, params.source);
      // What the match found decides which statements have anything to do: a file of new cases
      // (the common case) needs none of the update path's five.
      const found = (await tx.all<{ matched: number; unchanged: number; stale: number; updated: number }>(
        `SELECT count(*)::INTEGER AS "matched", count(*) FILTER (WHERE NOT "changed")::INTEGER AS "unchanged",
           count(*) FILTER (WHERE "changed" AND "older")::INTEGER AS "stale", count(*) FILTER (WHERE "changed" AND NOT "older")::INTEGER AS "updated"
         FROM "import_match"`,
      ))[0]!;
      const maxId = await maxEventId(tx);
      stage('match');
      // row_no is unique in the batch and a match is one row per row_no: the new ids are
      // max_id + 1 … max_id + (rows − matched), no need to read them back.
      const inserted = rows.length - found.matched;
      if (inserted > 0) maxIdHint.set(tx.path, maxId + BigInt(inserted));
      if (options.withOutcomes) {
        // The push API answers each row with its event id: the new ids are kept in a table.
        await tx.run(`CREATE OR REPLACE TEMP TABLE "import_new" AS
          SELECT s."row_no", $max_id::BIGINT + row_number() OVER (ORDER BY s."row_no") AS "id"
          FROM "${STAGING}" s ANTI JOIN "import_match" m ON m."row_no" = s."row_no"`, { max_id: maxId });
        await tx.run(
          `INSERT INTO "events" (${eventColumns.map((name) => `"${name}"`).join(', ')})
           SELECT n."id", $source, ${CONTENT_COLUMNS.map((name) => staged(name)).join(', ')}, $now::TIMESTAMP, $now::TIMESTAMP
           FROM "import_new" n JOIN "${STAGING}" s ON s."row_no" = n."row_no"`,
          { source: params.source, now: params.now },
        );
      } else if (inserted > 0) {
        // Same ids (max_id + rank by row_no among the unmatched rows), without the table and its join.
        await tx.run(
          `INSERT INTO "events" (${eventColumns.map((name) => `"${name}"`).join(', ')})
           SELECT $max_id::BIGINT + row_number() OVER (ORDER BY s."row_no"), $source, ${CONTENT_COLUMNS.map((name) => staged(name)).join(', ')}, $now::TIMESTAMP, $now::TIMESTAMP
           FROM "${STAGING}" s ANTI JOIN "import_match" m ON m."row_no" = s."row_no"`,
          { source: params.source, now: params.now, max_id: maxId },
        );
      }
      stage('insert events');
      if (inserted > 0) {
        // The new cases' first state, read back from the rows just inserted (ids above max_id are
        // this transaction's: its snapshot holds no others).
        await tx.run(insertHistorySql, { ...params, max_id: maxId });
      }
      stage('insert history');

      const counts = { inserted, updated: found.updated, unchanged: found.unchanged, stale: found.stale };
      if (found.updated > 0) await applyUpdates(tx, params, historyColumns);
      stage('updates');
      await recordImportBatch(tx, options.runId, { ...options.tally, ...counts });
      const result: BatchResult = { ...counts };
      if (options.withOutcomes) result.outcomes = await readOutcomes(tx);
      stage('log');
      return result;
    });
    stage('commit');
    return result;
  } finally {
    if (file) rmSync(file, { force: true });
    if (keysFile) rmSync(keysFile, { force: true });
  }
}

/** Cases seen before whose content changed and whose state is not older than the stored one. */
async function applyUpdates(tx: Database, params: { source: Source; now: string; run: number; origin: string }, historyColumns: string): Promise<void> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE "import_apply" AS
    SELECT m."event_id", s.* FROM "import_match" m JOIN "${STAGING}" s ON s."row_no" = m."row_no" WHERE m."changed" AND NOT m."older"`);
  // Their state before this change, once, so the history is complete for cases that came
  // from elsewhere (the generator, or an import before this table existed).
  await tx.run(
    `INSERT INTO "event_history" (${historyColumns})
     SELECT e."id", e."source", e."external_id", ${STATE_COLUMNS.map((name) => `e."${name}"`).join(', ')}, e."updated_at", NULL, 'prior'
     FROM "events" e JOIN "import_apply" a ON e."id" = a."event_id"
     WHERE NOT EXISTS (SELECT 1 FROM "event_history" h WHERE h."event_id" = e."id")`,
  );
  await tx.run(
    `UPDATE "events" SET ${CONTENT_COLUMNS.map((name) => `"${name}" = ${staged(name, 'a')}`).join(', ')}, "updated_at" = $now::TIMESTAMP
     FROM "import_apply" a WHERE "events"."id" = a."event_id"`,
    { now: params.now },
  );
  await tx.run(
    `INSERT INTO "event_history" (${historyColumns})
     SELECT a."event_id", $source, a."external_id", ${STATE_COLUMNS.map((name) => staged(name, 'a')).join(', ')}, $now::TIMESTAMP, $run, $origin
     FROM "import_apply" a`,
    params,
  );
}

/**
 * The match step: `import_match` gets, per staged row whose (source, external_id) an event
 * already has, that event (the first by id) and whether the row changes it. With the
 * process's key index of this file (event-key-index.ts) only the indexed candidates
 * (verified here against the real rows, ids ascending so zone maps skip the other row groups)
 * and the events above the index's watermark are read; without one (still building, or not
 * built in this process: the CLI importer) the whole key column is joined.
 */
async function matchStaged(tx: Database, source: Source): Promise<void> {
  const index = eventKeyIndexOf(tx);
  let events = '"events"';
  if (index) {
    // Watermark first: every event up to it is in the index, whatever is added meanwhile.
    const watermark = index.watermark;
    const hashes = await tx.all<{ high: number; low: number }>(
      `SELECT ${keyHashHigh('$source', '"external_id"')} AS "high", ${keyHashLow('$source', '"external_id"')} AS "low" FROM "${STAGING}"`,
      { source },
    );
    const found: number[] = [];
    for (const { high, low } of hashes) index.candidates(high, low, found);
    const ids = [...new Set(found)].filter((id) => BigInt(id) <= watermark).sort((a, b) => a - b);
    // Literal ids (numbers from the index, never user input): a constant IN list is pushed
    // into the scan and checked against each row group's min/max id.
    events = `(SELECT * FROM "events" WHERE "id" > ${watermark}${ids.length > 0 ? ` UNION ALL SELECT * FROM "events" WHERE "id" IN (${ids.join(', ')})` : ''})`;
  }
  // Two steps: the keys first (three columns of events), then the content comparison for the
  // matched events only. One join comparing all content columns read every column of every
  // event of the source per batch: a file of new cases (the common case) paid for a full scan
  // of the table it was growing, and the second step is skipped when nothing matched.
  await tx.run(`CREATE OR REPLACE TEMP TABLE "import_match_keys" AS
    SELECT s."row_no", min(e."id") AS "event_id"
    FROM "${STAGING}" s JOIN (SELECT "id", "source", "external_id" FROM ${events}) e ON e."source" = $source AND e."external_id" = s."external_id"
    GROUP BY s."row_no"`, { source });
  const matched = (await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "import_match_keys"`))[0]!.n;
  await tx.run(`CREATE OR REPLACE TEMP TABLE "import_match" AS
    SELECT s."row_no", e."id" AS "event_id",
      (${CONTENT_COLUMNS.map((name) => `${staged(name)} IS DISTINCT FROM e."${name}"`).join(' OR ')}) AS "changed",
      list_position(${STATUS_ORDER}, s."status") < list_position(${STATUS_ORDER}, e."status") AS "older"
    FROM "import_match_keys" k JOIN "${STAGING}" s ON s."row_no" = k."row_no" JOIN ${events} e ON e."id" = k."event_id"
    ${matched === 0 ? 'WHERE false' : ''}`);
}

async function readOutcomes(db: Database): Promise<Map<number, { outcome: RowOutcome; eventId: number }>> {
  const rows = await db.all<{ rowNo: number; eventId: number; outcome: RowOutcome }>(
    `SELECT "row_no" AS "rowNo", "id"::DOUBLE AS "eventId", 'inserted' AS "outcome" FROM "import_new"
     UNION ALL
     SELECT "row_no", "event_id"::DOUBLE, CASE WHEN NOT "changed" THEN 'unchanged' WHEN "older" THEN 'stale' ELSE 'updated' END FROM "import_match"`,
  );
  return new Map(rows.map((row) => [row.rowNo, { outcome: row.outcome, eventId: row.eventId }]));
}
