import type { Database } from '../database.ts';

/** One row of `import_runs` (migration 0003). */
export interface ImportRun {
  id: number;
  kind: 'file' | 'push';
  source: string;
  fileName: string | null;
  fileHash: string;
  optionsHash: string;
  system: string | null;
  status: 'running' | 'completed' | 'failed';
  rowsRead: number;
  inserted: number;
  unchanged: number;
  stale: number;
  updated: number;
  rejected: number;
  lastRow: number;
  unmappedCategories: Record<string, number>;
  receivedFrom: string | null;
  receivedTo: string | null;
  startedAt: string;
  finishedAt: string | null;
  message: string | null;
}

const RUN_SELECT = `SELECT "id", "kind", "source", "file_name" AS "fileName", "file_hash" AS "fileHash", "options_hash" AS "optionsHash",
  "system", "status", "rows_read" AS "rowsRead", "inserted", "unchanged", "stale", "updated", "rejected", "last_row" AS "lastRow",
  "unmapped_categories" AS "unmappedCategories", "received_from"::VARCHAR AS "receivedFrom", "received_to"::VARCHAR AS "receivedTo",
  "started_at"::VARCHAR AS "startedAt", "finished_at"::VARCHAR AS "finishedAt", "message"
  FROM "import_runs"`;

type RunRow = Omit<ImportRun, 'unmappedCategories'> & { unmappedCategories: string | null };

function toRun(row: RunRow): ImportRun {
  return { ...row, unmappedCategories: row.unmappedCategories ? (JSON.parse(row.unmappedCategories) as Record<string, number>) : {} };
}

export async function getImportRun(db: Database, id: number): Promise<ImportRun | undefined> {
  const rows = await db.all<RunRow>(`${RUN_SELECT} WHERE "id" = $id`, { id });
  return rows[0] ? toRun(rows[0]) : undefined;
}

/** The unfinished run of this very file with the same options, if a previous attempt crashed or failed. */
export async function findResumableRun(db: Database, key: { source: string; fileHash: string; optionsHash: string }): Promise<ImportRun | undefined> {
  const rows = await db.all<RunRow>(
    `${RUN_SELECT} WHERE "kind" = 'file' AND "source" = $source AND "file_hash" = $file_hash AND "options_hash" = $options_hash
       AND "status" IN ('running', 'failed') ORDER BY "id" DESC LIMIT 1`,
    { source: key.source, file_hash: key.fileHash, options_hash: key.optionsHash },
  );
  return rows[0] ? toRun(rows[0]) : undefined;
}

/** The last completed import of the same file (to tell the user it was loaded before). */
export async function findCompletedRun(db: Database, key: { source: string; fileHash: string }): Promise<ImportRun | undefined> {
  const rows = await db.all<RunRow>(
    `${RUN_SELECT} WHERE "kind" = 'file' AND "source" = $source AND "file_hash" = $file_hash AND "status" = 'completed' ORDER BY "id" DESC LIMIT 1`,
    { source: key.source, file_hash: key.fileHash },
  );
  return rows[0] ? toRun(rows[0]) : undefined;
}

export async function listImportRuns(db: Database, limit = 50): Promise<ImportRun[]> {
  const rows = await db.all<RunRow>(`${RUN_SELECT} ORDER BY "id" DESC LIMIT $limit`, { limit });
  return rows.map(toRun);
}

export interface NewImportRun {
  kind: 'file' | 'push';
  source: string;
  fileName: string | null;
  fileHash: string;
  optionsHash: string;
  system?: string | null;
}

/** Starts a run (status 'running', zero counters). Returns its id. */
export async function createImportRun(db: Database, run: NewImportRun): Promise<number> {
  const rows = await db.all<{ id: number }>(
    `INSERT INTO "import_runs"
     SELECT coalesce(max("id"), 0) + 1, $kind, $source, $file_name, $file_hash, $options_hash, $system, 'running',
       0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, now()::TIMESTAMP, NULL, NULL
     FROM "import_runs" RETURNING "id"`,
    { kind: run.kind, source: run.source, file_name: run.fileName, file_hash: run.fileHash, options_hash: run.optionsHash, system: run.system ?? null },
  );
  return rows[0]!.id;
}

export interface BatchTally {
  rowsRead: number;
  inserted: number;
  unchanged: number;
  stale: number;
  updated: number;
  rejected: number;
  lastRow: number;
  unmappedCategories: Record<string, number>;
  receivedFrom: string | null;
  receivedTo: string | null;
}

/**
 * Adds one batch's counts to its run. Called inside the batch's transaction, so the log and
 * the events it describes commit (or vanish) together. Unmapped names are the run's totals so
 * far (small, rewritten whole).
 */
export async function recordImportBatch(db: Database, runId: number, tally: BatchTally): Promise<void> {
  await db.run(
    `UPDATE "import_runs" SET
       "rows_read" = "rows_read" + $rows_read, "inserted" = "inserted" + $inserted, "unchanged" = "unchanged" + $unchanged,
       "stale" = "stale" + $stale, "updated" = "updated" + $updated, "rejected" = "rejected" + $rejected,
       "last_row" = $last_row, "unmapped_categories" = $unmapped,
       "received_from" = least("received_from", $received_from::TIMESTAMP), "received_to" = greatest("received_to", $received_to::TIMESTAMP)
     WHERE "id" = $id`,
    {
      id: runId, rows_read: tally.rowsRead, inserted: tally.inserted, unchanged: tally.unchanged, stale: tally.stale, updated: tally.updated,
      rejected: tally.rejected, last_row: tally.lastRow, unmapped: JSON.stringify(tally.unmappedCategories),
      received_from: tally.receivedFrom, received_to: tally.receivedTo,
    },
  );
}

export async function finishImportRun(db: Database, runId: number, status: 'completed' | 'failed', message: string | null = null): Promise<void> {
  await db.run(`UPDATE "import_runs" SET "status" = $status, "finished_at" = now()::TIMESTAMP, "message" = $message WHERE "id" = $id`, { id: runId, status, message });
}
