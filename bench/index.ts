/**
 * Index benchmark (issue 5): the social condition index for one month at all levels (target
 * ≤ 5 s at full scale), publication with Monte Carlo rank intervals, and hotspots + emerging
 * hotspots (Gi* and 12-month classification) for one district (≤ 500 ms) and the whole city
 * (≤ 3 s). Generates a database with the real geography (24,420 units) at each scale.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityScope } from '../packages/domain/src/index.ts';
import { openDatabase } from '../packages/db/src/database.ts';
import { generateDemoData } from '../packages/db/src/generator/index.ts';
import { migrate } from '../packages/db/src/migrations/index.ts';
import { loadUnits } from '../packages/db/src/units-store.ts';
import { computeIndexMonth, ensureBaseline, publishMonth, queryEmergingHotspots, queryHotspots, refreshH3Rollup } from '../packages/db/src/index-store/index.ts';
import { migrationsWithIndex } from '../packages/db/src/index-store/test-fixture.ts';
import { percentile, timeRepeated, type BenchRow } from './bench-row.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UNITS_CSV = path.join(ROOT, 'data/geo/units.csv');
const END_MONTH = '2026-10';
const RUNS = 5;
/** The most populous district (双流区) as "one district". */
const DISTRICT = '510116';

export async function runIndexBench(opts: { scales: number[]; log?: (line: string) => void }): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: BenchRow[] = [];
  for (const scale of opts.scales) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-index-bench-'));
    const row = (name: string, value: number, unit: string, target?: string) => {
      rows.push({ suite: 'index', name, scale, value, unit, target });
      log(`  ${name}: ${value.toFixed(unit === 'ms' ? 0 : 2)} ${unit}`);
    };
    const db = await openDatabase(path.join(dir, 'index.duckdb'));
    try {
      await migrate(db, migrationsWithIndex());
      await loadUnits(db, UNITS_CSV);
      log(`scale ${scale}: generating…`);
      const generated = await generateDemoData(db, { scale, months: 25, seed: 20260101, endMonth: END_MONTH });
      row('events generated', generated.events, 'events');
      let started = performance.now();
      await refreshH3Rollup(db);
      row('H3 rollup full refresh', performance.now() - started, 'ms');
      started = performance.now();
      await refreshH3Rollup(db, { fromDay: `${END_MONTH}-01`, toDay: `${END_MONTH}-31` });
      row('H3 rollup refresh of one month', performance.now() - started, 'ms');
      started = performance.now();
      await ensureBaseline(db);
      row('baseline goalposts (12 months, once)', performance.now() - started, 'ms');
      const index = await timeRepeated(3, () => computeIndexMonth(db, { month: END_MONTH }));
      row('index one month, all levels (p50)', percentile(index, 50), 'ms', '≤ 5,000 ms at scale 1');
      started = performance.now();
      await publishMonth(db, { month: END_MONTH, publishedBy: 'bench' });
      row('publish one month incl. Monte Carlo (200/100 runs)', performance.now() - started, 'ms');
      const scope = cityScope();
      const district = await timeRepeated(RUNS, async () => {
        await queryHotspots(db, scope, { unitCode: DISTRICT, month: END_MONTH });
        await queryEmergingHotspots(db, scope, { unitCode: DISTRICT, month: END_MONTH, months: 12 });
      });
      row('hotspots + emerging, one district (p50)', percentile(district, 50), 'ms', '≤ 500 ms');
      const city = await timeRepeated(RUNS, async () => {
        await queryHotspots(db, scope, { unitCode: '5101', month: END_MONTH });
        await queryEmergingHotspots(db, scope, { unitCode: '5101', month: END_MONTH, months: 12 });
      });
      row('hotspots + emerging, whole city (p50)', percentile(city, 50), 'ms', '≤ 3,000 ms');
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
