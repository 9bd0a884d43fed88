import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { deferCheckpoints } from './deferred-checkpoint.ts';
import { importFile } from './import-file.ts';
import { createTempWarehouse, FIXTURES_DIR, type TempWarehouse } from './test-helpers.ts';

const threshold = async (db: Database) => (await db.all<{ t: string }>(`SELECT current_setting('checkpoint_threshold')::VARCHAR AS "t"`))[0]!.t;
const walBytes = (dbPath: string) => (existsSync(`${dbPath}.wal`) ? statSync(`${dbPath}.wal`).size : 0);

describe('checkpoints deferred during an import (real DuckDB file)', () => {
  let warehouse: TempWarehouse;
  beforeEach(async () => {
    warehouse = await createTempWarehouse('cityops-deferred-');
  });
  // Not DuckDB's default, so a reset to the default would not pass for a restore (a value DuckDB
  // prints exactly: it rounds to 0.1 of the unit).
  const setCustomThreshold = () => warehouse.db.run(`SET checkpoint_threshold = '32MiB'`);
  afterEach(() => warehouse.cleanup());

  it('raises the threshold while any deferral runs, restores it after the last, and the last checkpoints', async () => {
    const before = await threshold(warehouse.db);
    expect(before).toBe('16.0 MiB'); // DuckDB's default
    const first = await deferCheckpoints(warehouse.db);
    const second = await deferCheckpoints(warehouse.db);
    expect(await threshold(warehouse.db)).toBe('3.7 GiB');
    await warehouse.db.run(`CREATE TABLE "t" AS SELECT range AS "x", repeat('成都', 20) AS "y" FROM range(100000)`);
    expect(walBytes(warehouse.dbPath)).toBeGreaterThan(1_000_000);
    await first.end({ checkpoint: true });
    // The other import still runs: still raised, nothing checkpointed yet.
    expect(await threshold(warehouse.db)).toBe('3.7 GiB');
    expect(walBytes(warehouse.dbPath)).toBeGreaterThan(1_000_000);
    await second.end({ checkpoint: true });
    await second.end({ checkpoint: true }); // idempotent
    expect(await threshold(warehouse.db)).toBe(before);
    expect(walBytes(warehouse.dbPath)).toBe(0);
  });

  it('an import ends with its WAL checkpointed and the threshold it found', async () => {
    await setCustomThreshold();
    const before = await threshold(warehouse.db);
    const summary = await importFile(warehouse.db, {
      source: 'hotline', file: path.join(FIXTURES_DIR, 'hotline-2026-10.csv'), rejectsFile: path.join(warehouse.dir, 'r.csv'), batchSize: 50, refreshRollups: false,
    });
    expect(summary.inserted).toBeGreaterThan(0);
    expect(await threshold(warehouse.db)).toBe(before);
    // Checkpointed before the run was marked completed: that last update is all the WAL holds.
    expect(walBytes(warehouse.dbPath)).toBeGreaterThan(0);
    expect(walBytes(warehouse.dbPath)).toBeLessThan(4096);
  });

  it('a failed import restores the threshold too', async () => {
    await setCustomThreshold();
    const before = await threshold(warehouse.db);
    let batches = 0;
    await expect(importFile(warehouse.db, {
      source: 'hotline', file: path.join(FIXTURES_DIR, 'hotline-2026-10.csv'), rejectsFile: path.join(warehouse.dir, 'r.csv'), batchSize: 50, refreshRollups: false,
      // Progress of the batches written (not of the SQL path's checking before them, which names its phase).
      onProgress: ({ phase }) => {
        if (phase) return;
        batches += 1;
        if (batches === 2) throw new Error('stop here');
      },
    })).rejects.toThrow('stop here');
    expect(await threshold(warehouse.db)).toBe(before);
    // The batch committed before the failure stays, and its run is marked failed (resumable).
    const run = (await warehouse.db.all<{ status: string; inserted: number }>(`SELECT "status", "inserted" FROM "import_runs"`))[0]!;
    expect(run).toMatchObject({ status: 'failed' });
    expect(run.inserted).toBeGreaterThan(0);
  });
});
