import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../database.ts';
import { generateDemoData } from '../generator/index.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, type Migration } from '../migrations/index.ts';
import { refreshServiceCounts } from '../work-orders/service-counts.ts';
import { loadUnits } from '../units-store.ts';
import { refreshH3Rollup } from './h3-rollup.ts';

/**
 * Test support (not used in production): every registered migration (versions 1–7; the
 * service counts of 7 are index inputs).
 */
export function migrationsWithIndex(): Migration[] {
  return [...MIGRATIONS];
}

export const FIXTURE_SCALE = 0.005;
export const FIXTURE_SEED = 7;
export const FIXTURE_END_MONTH = '2026-10';
const UNITS_CSV = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../data/geo/units.csv');

/**
 * A real DuckDB with the real 24,420 Chengdu units and generated demo data (scale 0.005, 25
 * months, ≈ 111,000 events), built once per machine into the temp dir and copied per test
 * file (generation takes ~25 s; a copy ~0.2 s). Files racing to build it wait on a lock dir.
 */
export async function openFixtureDb(name: string): Promise<{ db: Database; dir: string; cleanup: () => void }> {
  const cacheDir = join(tmpdir(), 'cityops-index-fixture');
  mkdirSync(cacheDir, { recursive: true });
  const template = join(cacheDir, `v${LATEST_SCHEMA_VERSION}-s${FIXTURE_SCALE}-seed${FIXTURE_SEED}-${FIXTURE_END_MONTH}.duckdb`);
  const lock = `${template}.lock`;
  for (let waited = 0; !existsSync(template); waited += 1) {
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch {
      // Someone else builds it; a lock older than 5 minutes is left over from a crash.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      if (waited > 600) throw new Error('fixture build timed out');
      continue;
    }
    if (owner) {
      try {
        await buildTemplate(`${template}.partial`);
        renameSync(`${template}.partial`, template);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
  }
  const dir = join(tmpdir(), `cityops-index-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'test.duckdb');
  copyFileSync(template, file);
  const db = await openDatabase(file, { threads: 2 });
  return { db, dir, cleanup: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

async function buildTemplate(file: string): Promise<void> {
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const db = await openDatabase(file, { threads: 2 });
  try {
    await migrate(db, migrationsWithIndex());
    await loadUnits(db, UNITS_CSV);
    await generateDemoData(db, { scale: FIXTURE_SCALE, months: 25, seed: FIXTURE_SEED, endMonth: FIXTURE_END_MONTH });
    await refreshH3Rollup(db);
    await refreshServiceCounts(db);
    await db.run('CHECKPOINT');
  } finally {
    db.close();
  }
  rmSync(`${file}.wal`, { force: true });
}
