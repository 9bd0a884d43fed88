import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../database.ts';
import { warehouseMigration } from '../migrations/0001-warehouse.ts';
import type { Migration } from '../migrations/types.ts';
import { importMigration } from '../migrations/0003-import.ts';
import { migrate } from '../migrations/index.ts';
import { loadUnits } from '../units-store.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'data', 'fixtures');
export const UNITS_CSV = path.join(REPO_ROOT, 'data', 'geo', 'units.csv');
/**
 * Version 2 (auth/audit) is another package's and irrelevant here; a placeholder keeps the
 * version sequence so migrate() accepts migration 3. Listed explicitly so these tests do not
 * depend on the state of the registry in migrations/index.ts.
 */
const versionTwoPlaceholder: Migration = { version: 2, name: 'auth-audit (placeholder in import tests)', up: async () => {}, tables: {} };
export const IMPORT_TEST_MIGRATIONS: readonly Migration[] = [warehouseMigration, versionTwoPlaceholder, importMigration];

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
  await migrate(db, IMPORT_TEST_MIGRATIONS);
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
