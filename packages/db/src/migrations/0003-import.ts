import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * The import log: one row per file import or push request. A file import commits its rows in
 * batches; each batch's transaction also advances `last_row` and the counters, so after a crash
 * the same command resumes after the last committed batch (see packages/db/src/import/).
 * Invariant: inserted + unchanged + stale + updated + rejected = rows_read.
 */
const IMPORT_RUN_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'INTEGER PRIMARY KEY'],
  ['kind', 'VARCHAR NOT NULL'], // 'file' | 'push'
  ['source', 'VARCHAR NOT NULL'],
  ['file_name', 'VARCHAR'],
  ['file_hash', 'VARCHAR NOT NULL'], // SHA-256 of the file (or of the pushed body)
  ['options_hash', 'VARCHAR NOT NULL'], // mapping, CRS and encoding: a resume must use the same ones
  ['system', 'VARCHAR'], // the pushing system
  ['status', 'VARCHAR NOT NULL'], // 'running' | 'completed' | 'failed'
  ['rows_read', 'INTEGER NOT NULL'],
  ['inserted', 'INTEGER NOT NULL'],
  ['unchanged', 'INTEGER NOT NULL'],
  ['stale', 'INTEGER NOT NULL'], // older state than the stored one: accepted, not applied
  ['updated', 'INTEGER NOT NULL'],
  ['rejected', 'INTEGER NOT NULL'],
  ['last_row', 'INTEGER NOT NULL'], // last row number whose batch is committed
  ['unmapped_categories', 'VARCHAR'], // JSON {name: count}
  ['received_from', 'TIMESTAMP'], // range of received_at of the accepted rows (rollup refresh)
  ['received_to', 'TIMESTAMP'],
  ['started_at', 'TIMESTAMP NOT NULL'],
  ['finished_at', 'TIMESTAMP'],
  ['message', 'VARCHAR'],
];

/**
 * Every state a case has had. An import that inserts a case writes its first state; one that
 * changes it writes the new state (and, when the case had no history yet — e.g. it came from
 * the generator — first the state it had before, origin 'prior').
 */
const EVENT_HISTORY_COLUMNS: readonly ColumnSpec[] = [
  ['event_id', 'BIGINT NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['external_id', 'VARCHAR NOT NULL'],
  ['status', 'VARCHAR NOT NULL'],
  ['dispatched_at', 'TIMESTAMP'],
  ['first_response_at', 'TIMESTAMP'],
  ['due_at', 'TIMESTAMP'],
  ['closed_at', 'TIMESTAMP'],
  ['return_visit', 'VARCHAR'],
  ['handling_unit', 'VARCHAR'],
  ['handling_dept', 'VARCHAR'],
  ['seen_at', 'TIMESTAMP NOT NULL'],
  ['import_run_id', 'INTEGER'],
  ['origin', 'VARCHAR NOT NULL'], // 'import' | 'push' | 'prior'
];

/** Push API idempotency: the first response to a key is replayed for the same body; another body is a conflict. */
const PUSH_REQUEST_COLUMNS: readonly ColumnSpec[] = [
  ['system', 'VARCHAR NOT NULL'],
  ['idempotency_key', 'VARCHAR NOT NULL'],
  ['body_hash', 'VARCHAR NOT NULL'],
  ['status_code', 'INTEGER NOT NULL'],
  ['response', 'VARCHAR NOT NULL'],
  ['import_run_id', 'INTEGER'],
  ['created_at', 'TIMESTAMP NOT NULL'],
];

const TABLES: Record<string, readonly ColumnSpec[]> = {
  import_runs: IMPORT_RUN_COLUMNS,
  event_history: EVENT_HISTORY_COLUMNS,
  push_requests: PUSH_REQUEST_COLUMNS,
};

/**
 * No unique index on events(source, external_id): an ART index over ~22 M rows costs hundreds
 * of MB. Each import batch instead joins its staging table against events (an anti-join for
 * new cases), which DuckDB answers with a hash join in one scan of two columns.
 */
export const importMigration: Migration = {
  version: 3,
  name: 'import',
  async up(db) {
    for (const [table, columns] of Object.entries(TABLES)) {
      const key = table === 'push_requests' ? ', PRIMARY KEY ("system", "idempotency_key")' : '';
      await db.run(`CREATE TABLE "${table}" (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')}${key})`);
    }
  },
  tables: Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => [table, columns.map(([name]) => name)])),
};
