import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../database.ts';
import { migrate } from '../migrations/index.ts';
import { loadUnits } from '../units-store.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'data', 'fixtures');
export const UNITS_CSV = path.join(REPO_ROOT, 'data', 'geo', 'units.csv');

export interface TempWarehouse {
  dir: string;
  dbPath: string;
  db: Database;
  cleanup(): void;
}

/** A real DuckDB file in a temp dir, migrated and loaded with Chengdu's units. */
export async function createTempWarehouse(prefix = 'cityops-import-'): Promise<TempWarehouse> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const dbPath = path.join(dir, 'warehouse.duckdb');
  const db = await openDatabase(dbPath, { threads: 2 });
  // Every migration, as a real deployment has: the import writes the events table of the
  // current schema and refreshes every rollup, including tables added after the import's own
  // migration (e.g. rollup_child_monthly, migration 11).
  await migrate(db);
  await loadUnits(db, UNITS_CSV);
  return {
    dir,
    dbPath,
    db,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
