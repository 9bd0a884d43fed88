import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LATEST_SCHEMA_VERSION, generateDemoData, loadUnits, migrate, openDatabase, type Database } from '@cityops/db';
import { generateDemoSensorReadings, ingestSensorReadings, publishMonth, refreshH3Rollup, runEarlyWarnings } from '@cityops/db/index-store/index';
import { generateDemoWorkOrders } from '@cityops/db/work-orders/index';

/**
 * A demo database with everything a monthly report reads: the real 24,420 Chengdu units, demo
 * events, rollups, H3 rollup, work orders that went through the machine, and published index
 * months. Used by the report tests and the report benchmark (not by production code).
 */

export const REPORT_DEMO_MONTH = '2026-10';
const UNITS_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../data/geo/units.csv');

export interface ReportDatabaseOptions {
  scale: number;
  months: number;
  seed: number;
  endMonth: string;
  /** Months to publish (each becomes revision 1). */
  publish: string[];
  /** Monte Carlo iterations per level when publishing (fewer for tests). */
  iterations?: number;
  log?: (line: string) => void;
}

export async function buildReportDatabase(file: string, opts: ReportDatabaseOptions): Promise<void> {
  const log = opts.log ?? (() => undefined);
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const db = await openDatabase(file, { threads: 2 });
  try {
    await migrate(db);
    await loadUnits(db, UNITS_CSV);
    let t = Date.now();
    const generated = await generateDemoData(db, { scale: opts.scale, months: opts.months, seed: opts.seed, endMonth: opts.endMonth });
    log(`generated ${generated.events} events in ${Date.now() - t} ms`);
    t = Date.now();
    await refreshH3Rollup(db);
    await generateDemoWorkOrders(db, { seed: opts.seed, months: 3 });
    log(`h3 rollup + work orders in ${Date.now() - t} ms`);
    t = Date.now();
    // The last published month's early warnings: statistical and escalation over the month, sensors on a few days.
    const last = opts.publish[opts.publish.length - 1];
    if (last) {
      await runEarlyWarnings(db, { fromDay: `${last}-01`, day: `${last}-28` });
      for (const day of ['03', '11', '19', '26']) await ingestSensorReadings(db, await generateDemoSensorReadings(db, { day: `${last}-${day}`, seed: opts.seed, count: 3 }));
    }
    log(`early warnings in ${Date.now() - t} ms`);
    const n = opts.iterations;
    const iterations = n ? { city: n, district: n, street: n, community: n, grid: n } : undefined;
    for (const month of opts.publish) {
      t = Date.now();
      await publishMonth(db, { month, publishedBy: 'fixture', ...(iterations ? { iterations } : {}) });
      log(`published ${month} in ${Date.now() - t} ms`);
    }
    await db.run('CHECKPOINT');
  } finally {
    db.close();
  }
  rmSync(`${file}.wal`, { force: true });
}

export const REPORT_FIXTURE: ReportDatabaseOptions = { scale: 0.002, months: 14, seed: 9, endMonth: REPORT_DEMO_MONTH, publish: ['2026-09', REPORT_DEMO_MONTH], iterations: 20 };

/**
 * The report test database, built once per machine into the temp dir (≈ 30 s) and copied per
 * test file. Files racing to build it wait on a lock directory.
 */
export async function openReportFixtureDb(name: string): Promise<{ db: Database; dir: string; file: string; cleanup: () => void }> {
  const cacheDir = path.join(tmpdir(), 'cityops-report-fixture');
  mkdirSync(cacheDir, { recursive: true });
  const f = REPORT_FIXTURE;
  const template = path.join(cacheDir, `v${LATEST_SCHEMA_VERSION}-s${f.scale}-m${f.months}-seed${f.seed}-${f.endMonth}-p${f.publish.join('_')}.duckdb`);
  const lock = `${template}.lock`;
  for (let waited = 0; !existsSync(template); waited += 1) {
    try {
      mkdirSync(lock);
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      if (waited > 600) throw new Error('report fixture build timed out');
      continue;
    }
    try {
      await buildReportDatabase(`${template}.partial`, f);
      renameSync(`${template}.partial`, template);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const dir = path.join(tmpdir(), `cityops-report-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'test.duckdb');
  copyFileSync(template, file);
  const db = await openDatabase(file, { threads: 2 });
  return { db, dir, file, cleanup: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}
