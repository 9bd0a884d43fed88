import type { Database } from '../database.ts';

/**
 * The WAL size an import lets grow before DuckDB checkpoints on its own, instead of the default
 * 16 MB. A 10,000-row batch writes ~7 MB of WAL, so with the default every second or third
 * commit checkpointed, each time rewriting the events table's last, still growing row group
 * and its history and log. Measured (100 k-row CSV, bench child, load 4.6–5.6, 16 MB vs 4 GB
 * with the final CHECKPOINT counted, pairs run in turn): 71.6 / 81.5 → 66.5 / 74.2 µs CPU a
 * row, 6.8 / 12.5 → 6.5 / 7.0 s; the batch commits alone 26–56 → 12 µs a row. The rewrites
 * grow with the table: a 1 M-row CSV (load 4.8–9.7) took 215 s, 95.7 µs CPU a row, its commits
 * 119 µs a row, against 88 s, 65.1 µs and 11 µs deferred (the final CHECKPOINT 4.7 µs a row).
 * A crash loses nothing more: committed batches are in the WAL, which DuckDB replays on open.
 */
const IMPORT_CHECKPOINT_THRESHOLD = '4GB';

/**
 * Imports deferring one database's checkpoints, and the threshold to restore after the last
 * (null: DuckDB's default, restored with RESET).
 */
const deferrals = new Map<string | Database, { imports: number; previous: Promise<string | null> }>();

export interface CheckpointDeferral {
  /**
   * Ends this import's deferral (idempotent). The last one to end restores the previous
   * threshold and, with `checkpoint`, writes the WAL to the database file (CHECKPOINT, part
   * of the import's time). Without it (a failed import) the next commit checkpoints by itself
   * once the WAL exceeds the restored threshold.
   */
  end(options: { checkpoint: boolean }): Promise<void>;
}

/**
 * Raises checkpoint_threshold for the duration of an import. The setting belongs to the
 * database instance, not the connection, so concurrent imports of one database in a process
 * share the raise and the last to end restores it (as rollups.ts does with threads).
 */
export async function deferCheckpoints(db: Database): Promise<CheckpointDeferral> {
  const key = db.path === ':memory:' ? db : db.path;
  let entry = deferrals.get(key);
  if (!entry) {
    entry = { imports: 0, previous: raiseThreshold(db) };
    deferrals.set(key, entry);
  }
  const shared = entry;
  shared.imports += 1;
  // A failed raise (no change made) fails this import too, and is not shared with the next one.
  await shared.previous.catch((error: unknown) => {
    shared.imports -= 1;
    if (deferrals.get(key) === shared && shared.imports === 0) deferrals.delete(key);
    throw error;
  });
  let ended = false;
  return {
    async end({ checkpoint }) {
      if (ended) return;
      ended = true;
      shared.imports -= 1;
      if (shared.imports > 0) return;
      deferrals.delete(key);
      const previous = await shared.previous;
      await db.run(previous === null ? 'RESET checkpoint_threshold' : `SET checkpoint_threshold = '${previous.replace(/'/g, "''")}'`);
      if (checkpoint) await db.run('CHECKPOINT');
    },
  };
}

/**
 * Sets the import's threshold; returns the previous one, null when it was DuckDB's default.
 * DuckDB prints the setting rounded ('22.8 MiB' for 24 MB), so only the default comes back
 * exactly (RESET); a value set by hand comes back as printed, within 0.1 of its unit.
 */
async function raiseThreshold(db: Database): Promise<string | null> {
  const current = async () => (await db.all<{ threshold: string }>(`SELECT current_setting('checkpoint_threshold')::VARCHAR AS "threshold"`))[0]!.threshold;
  const previous = await current();
  await db.run('RESET checkpoint_threshold');
  const isDefault = (await current()) === previous;
  await db.run(`SET checkpoint_threshold = '${IMPORT_CHECKPOINT_THRESHOLD}'`);
  return isDefault ? null : previous;
}
