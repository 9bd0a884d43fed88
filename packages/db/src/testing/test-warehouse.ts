import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../database.ts';
import { generateDemoData, type GenerateOptions, type GenerateResult } from '../generator/index.ts';
import { migrate } from '../migrations/index.ts';
import { loadUnits } from '../units-store.ts';
import { writeSyntheticUnitsCsv, type SyntheticUnitsOptions } from './synthetic-units.ts';

export interface TestWarehouse {
  db: Database;
  dir: string;
  path: string;
  unitsCsv: string;
  generated: GenerateResult | undefined;
  cleanup: () => void;
}

/**
 * A real DuckDB file in a temp directory, migrated, with synthetic units (3 districts, 72
 * grids by default) and, when `generate` is given, generated events. Call cleanup() in afterAll.
 */
export async function createTestWarehouse(options: { units?: SyntheticUnitsOptions; generate?: Omit<GenerateOptions, 'onProgress'> } = {}): Promise<TestWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'cityops-db-test-'));
  const path = join(dir, 'warehouse.duckdb');
  const db = await openDatabase(path, { threads: 2 });
  await migrate(db);
  const unitsCsv = writeSyntheticUnitsCsv(join(dir, 'units.csv'), options.units).path;
  await loadUnits(db, unitsCsv);
  const generated = options.generate ? await generateDemoData(db, options.generate) : undefined;
  return {
    db, dir, path, unitsCsv, generated,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Small, fast defaults for tests: ~30 k events over 25 months ending 2026-10. */
export const TEST_GENERATION = { scale: 0.3, months: 25, seed: 11, endMonth: '2026-10' } as const;
