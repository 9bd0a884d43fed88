/**
 * Index benchmark (issue 5), every figure the issue asks for: the social condition index for
 * one month at all levels (target ≤ 5 s at full scale), publication with Monte Carlo rank
 * intervals, the baseline goalposts (once per year), and hotspots + emerging hotspots (Gi* and
 * 12-month classification) for one district (≤ 500 ms) and the whole city (≤ 3 s), each also
 * split into its two parts, with the first call (which builds the study area) shown apart.
 * Runs on the warehouse suite's demo data (real geography, 24,420 units), reused from the
 * var/bench/db cache when present (see demo-db-cache.ts): `pnpm bench -- --only index --scales 1`.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityScope } from '../packages/domain/src/index.ts';
import { openDatabase, type Database } from '../packages/db/src/database.ts';
import { generateDemoData } from '../packages/db/src/generator/index.ts';
import { migrate } from '../packages/db/src/migrations/index.ts';
import { loadUnits } from '../packages/db/src/units-store.ts';
import { copyCachedDemoDb, storeDemoDb, type DemoDbKey } from './demo-db-cache.ts';
import { computeIndexMonth, ensureBaseline, publishMonth, queryEmergingHotspots, queryHotspots, refreshH3Rollup } from '../packages/db/src/index-store/index.ts';
import { percentile, timeRepeated, type BenchRow } from './bench-row.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UNITS_CSV = path.join(ROOT, 'data/geo/units.csv');
const BOUNDARIES = path.join(ROOT, 'data/geo/boundaries');
const END_MONTH = '2026-10';
const RUNS = 5;
/** The most populous district (双流区) as "one district". */
const DISTRICT = '510116';

/**
 * The same data as the warehouse suite generates (seed 1, 25 months, real boundaries), taken
 * from the var/bench/db cache when a suite already generated it; otherwise generated here and
 * stored for the next suite or run. Returns a private copy to work on.
 */
export async function openDemoCopy(dir: string, scale: number, log: (line: string) => void): Promise<{ db: Database; events: number; reused: boolean }> {
  const file = path.join(dir, 'index.duckdb');
  const key: DemoDbKey = { scale, seed: 1, months: 25, endMonth: END_MONTH, boundaries: existsSync(BOUNDARIES) };
  // CITYOPS_BENCH_DB=FILE: a demo database generated elsewhere (e.g. by `pnpm cityops generate`,
  // the server suite's var/bench/demo-<scale>.duckdb) instead of generating one here.
  const given = process.env.CITYOPS_BENCH_DB;
  if (given) copyFileSync(given, file);
  if (given || copyCachedDemoDb(key, file)) {
    const db = await openDatabase(file, { threads: 2 });
    await migrate(db);
    const [count] = await db.all<{ n: number }>(`SELECT count(*)::DOUBLE AS "n" FROM "events"`);
    log(`scale ${scale}: reusing ${given ?? 'the cached demo database'} (${count!.n.toLocaleString('en-US')} events)`);
    return { db, events: count!.n, reused: true };
  }
  log(`scale ${scale}: generating…`);
  const db = await openDatabase(file, { threads: 2 });
  await migrate(db);
  await loadUnits(db, UNITS_CSV);
  const generated = await generateDemoData(db, {
    scale, months: key.months, seed: key.seed, endMonth: END_MONTH, boundariesDir: key.boundaries ? BOUNDARIES : undefined,
  });
  await db.run('CHECKPOINT');
  storeDemoDb(file, key);
  return { db, events: generated.events, reused: false };
}

export async function runIndexBench(opts: { scales: number[]; log?: (line: string) => void }): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: BenchRow[] = [];
  for (const scale of opts.scales) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-index-bench-'));
    const row = (name: string, value: number, unit: string, target?: string) => {
      rows.push({ suite: 'index', name, scale, value, unit, target });
      log(`  ${name}: ${value.toFixed(unit === 'ms' || unit === 'events' ? 0 : 2)} ${unit}`);
    };
    const { db, events } = await openDemoCopy(dir, scale, log);
    try {
      row('events in the database', events, 'events');
      let started = performance.now();
      await refreshH3Rollup(db);
      row('H3 rollup full refresh', performance.now() - started, 'ms');
      started = performance.now();
      await refreshH3Rollup(db, { fromDay: `${END_MONTH}-01`, toDay: `${END_MONTH}-31` });
      row('H3 rollup refresh of one month', performance.now() - started, 'ms');
      await db.run('CHECKPOINT');
      started = performance.now();
      const baseline = await ensureBaseline(db, END_MONTH);
      row(`baseline goalposts ${baseline.from}…${baseline.to} (once per year)`, performance.now() - started, 'ms');
      const index = await timeRepeated(3, () => computeIndexMonth(db, { month: END_MONTH }));
      row('index one month, all levels (p50 of 3)', percentile(index, 50), 'ms', '≤ 5,000 ms at scale 1');
      started = performance.now();
      await publishMonth(db, { month: END_MONTH, publishedBy: 'bench' });
      row('publish one month incl. Monte Carlo rank intervals', performance.now() - started, 'ms');
      const scope = cityScope();
      for (const [label, unitCode, target] of [['one district', DISTRICT, '≤ 500 ms'], ['whole city', '5101', '≤ 3,000 ms']] as const) {
        // The first call builds and caches the study area and its neighbour lists (once per rollup refresh).
        started = performance.now();
        await queryHotspots(db, scope, { unitCode, month: END_MONTH });
        row(`hotspots, ${label}, first call (builds the study area)`, performance.now() - started, 'ms');
        const hotspots: number[] = [];
        const emerging: number[] = [];
        const both = await timeRepeated(RUNS, async () => {
          let t = performance.now();
          await queryHotspots(db, scope, { unitCode, month: END_MONTH });
          hotspots.push(performance.now() - t);
          t = performance.now();
          await queryEmergingHotspots(db, scope, { unitCode, month: END_MONTH, months: 12 });
          emerging.push(performance.now() - t);
        });
        row(`hotspots (Gi*, one month), ${label} (p50)`, percentile(hotspots, 50), 'ms');
        row(`emerging hotspots (12 months), ${label} (p50)`, percentile(emerging, 50), 'ms');
        row(`hotspots + emerging, ${label} (p50 of ${RUNS})`, percentile(both, 50), 'ms', target);
        row(`hotspots + emerging, ${label} (max of ${RUNS})`, Math.max(...both), 'ms');
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
