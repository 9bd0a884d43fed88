/**
 * Warehouse benchmark (issue 3): generation throughput, DB size, rollup refresh (full, and
 * incremental after one day's new events), and p50/p95 latency of three dashboard aggregates
 * answered from the rollups and by a raw scan of events, side by side in the same run.
 * Uses the real geography (data/geo/units.csv and boundaries) when present.
 */
import { cityScope, type Scope } from '../packages/domain/src/index.ts';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DERIVED_EVENT_COLUMN_NAMES, generateDemoData, loadUnits, migrate, openDatabase, queryChildVolumes, queryChildVolumesRaw, queryMonthlyItemVolumes,
  queryMonthlyItemVolumesRaw, refreshRollups, writeSyntheticUnitsCsv, type Database,
} from '../packages/db/src/index.ts';
import { percentile, timeRepeated, type BenchRow } from './bench-row.ts';
import { storeDemoDb } from './demo-db-cache.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UNITS_CSV = path.join(ROOT, 'data/geo/units.csv');
const BOUNDARIES = path.join(ROOT, 'data/geo/boundaries');
const END_MONTH = '2026-10';
const RUNS = 20;

export interface WarehouseBenchOptions {
  scales: number[];
  months?: number;
  /** Called with progress lines (the CLI prints them to stderr). */
  log?: (line: string) => void;
}

/** Tomorrow's arrivals: copies of the last day's events one day later, with fresh ids. */
async function insertNextDay(db: Database): Promise<number> {
  const before = await db.all<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM "events"`);
  await db.run(
    `INSERT INTO "events" BY NAME
     SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE ("id" + 1000000000 AS "id", "external_id" || '-N' AS "external_id", "received_at" + INTERVAL 1 DAY AS "received_at",
       "dispatched_at" + INTERVAL 1 DAY AS "dispatched_at", "first_response_at" + INTERVAL 1 DAY AS "first_response_at",
       "due_at" + INTERVAL 1 DAY AS "due_at", "closed_at" + INTERVAL 1 DAY AS "closed_at",
       (SELECT max("updated_at") FROM "events") + INTERVAL 1 DAY AS "updated_at")
     FROM "events" WHERE "received_at" >= (SELECT max("received_at")::DATE FROM "events")`,
  );
  const after = await db.all<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM "events"`);
  return after[0]!.n - before[0]!.n;
}

/** CPU time of this process (DuckDB's threads included), in ms: wall times on a shared machine mostly measure the other load. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function fileSizeMb(file: string): number {
  const wal = `${file}.wal`;
  return (statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0)) / 1e6;
}

export async function runWarehouseBench(options: WarehouseBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: BenchRow[] = [];
  for (const scale of options.scales) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-bench-'));
    const file = path.join(dir, 'warehouse.duckdb');
    const row = (name: string, value: number, unit: string, target?: string) => {
      rows.push({ suite: 'warehouse', name, scale, value, unit, target });
      log(`  ${name}: ${value.toFixed(unit === 'events/s' || unit === 'events' ? 0 : 2)} ${unit}`);
    };
    const db = await openDatabase(file, { threads: 2 });
    try {
      await migrate(db);
      const unitsCsv = existsSync(UNITS_CSV)
        ? UNITS_CSV
        : writeSyntheticUnitsCsv(path.join(dir, 'units.csv'), { districts: 20, streetsPerDistrict: 13, communitiesPerStreet: 12, gridsPerCommunity: 6, gridPopulation: 1206 }).path;
      await loadUnits(db, unitsCsv);
      log(`warehouse scale ${scale}: generating…`);
      let started = performance.now();
      let cpuStarted = cpuMs();
      const generated = await generateDemoData(db, {
        scale, months: options.months ?? 25, seed: 1, endMonth: END_MONTH, rollups: false,
        boundariesDir: existsSync(BOUNDARIES) ? BOUNDARIES : undefined,
      });
      await db.run('CHECKPOINT');
      const generateSeconds = (performance.now() - started) / 1000;
      row('events generated', generated.events, 'events');
      row('generation throughput', generated.events / generateSeconds, 'events/s', scale === 1 ? '≥ 300,000' : undefined);
      row('generation CPU time (both threads)', (cpuMs() - cpuStarted) / 1000, 's');

      started = performance.now();
      await refreshRollups(db, { full: true });
      await db.run('CHECKPOINT');
      row('rollup full refresh', (performance.now() - started) / 1000, 's');
      // Checkpointed and not yet changed: later suites (index) reuse it instead of generating again.
      if (existsSync(UNITS_CSV)) storeDemoDb(file, { scale, seed: 1, months: options.months ?? 25, endMonth: END_MONTH, boundaries: existsSync(BOUNDARIES) });

      const added = await insertNextDay(db);
      // The day's events checkpointed apart: their WAL (~30 k rows) is the cost of inserting them,
      // and left pending it would be written out by the refresh's commit and counted as refresh time.
      started = performance.now();
      await db.run('CHECKPOINT');
      row(`checkpoint after inserting the day's events`, performance.now() - started, 'ms');
      started = performance.now();
      cpuStarted = cpuMs();
      const incremental = await refreshRollups(db);
      row(`rollup incremental refresh (1 day, ${added} new events, ${incremental.days} days, ${incremental.months} months, ${incremental.newEventsOnly ? 'new events added' : 'groups recomputed'}, ${incremental.rebuiltMonths} rebuilt whole)`, performance.now() - started, 'ms', '≤ 1,000');
      row('rollup incremental refresh CPU time', cpuMs() - cpuStarted, 'ms');
      // The next day as well: the generated data end with a month, so the day above starts a new
      // month (only inserts); this one falls in a month with stored rows (groups updated in place).
      const addedNext = await insertNextDay(db);
      await db.run('CHECKPOINT');
      started = performance.now();
      cpuStarted = cpuMs();
      const nextDay = await refreshRollups(db);
      row(`rollup incremental refresh (the day after, ${addedNext} new events, ${nextDay.newEventsOnly ? 'new events added' : 'groups recomputed'})`, performance.now() - started, 'ms');
      row('rollup incremental refresh (the day after) CPU time', cpuMs() - cpuStarted, 'ms');
      await db.run('CHECKPOINT');
      row('db size', fileSizeMb(file), 'MB', scale === 1 ? '≤ 2,000' : undefined);

      const scope: Scope = cityScope();
      const district = (await db.all<{ code: string }>(`SELECT "code" FROM "units" WHERE "level" = 'district' ORDER BY "population" DESC LIMIT 1`))[0]!.code;
      const street = (await db.all<{ code: string }>(`SELECT "code" FROM "units" WHERE "parent_code" = $d ORDER BY "population" DESC LIMIT 1`, { d: district }))[0]!.code;
      const month = '2026-09';
      const aggregates: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
        ['city month×source×item, 12 months',
          () => queryMonthlyItemVolumes(db, scope, { unitCode: '5101', fromMonth: '2025-10', toMonth: '2026-09' }),
          () => queryMonthlyItemVolumesRaw(db, scope, { unitCode: '5101', fromMonth: '2025-10', toMonth: '2026-09' })],
        [`district ${district} streets, 1 month`,
          () => queryChildVolumes(db, scope, { unitCode: district, month }),
          () => queryChildVolumesRaw(db, scope, { unitCode: district, month })],
        [`street ${street} communities, 1 month`,
          () => queryChildVolumes(db, scope, { unitCode: street, month }),
          () => queryChildVolumesRaw(db, scope, { unitCode: street, month })],
      ];
      for (const [name, fromRollup, fromRaw] of aggregates) {
        await fromRollup();
        await fromRaw();
        const rollupTimes = await timeRepeated(RUNS, fromRollup);
        const rawTimes = await timeRepeated(RUNS, fromRaw);
        row(`${name} — rollup p50`, percentile(rollupTimes, 50), 'ms', '≤ 20 at 1.0');
        row(`${name} — rollup p95`, percentile(rollupTimes, 95), 'ms');
        row(`${name} — raw scan p50`, percentile(rawTimes, 50), 'ms');
        row(`${name} — raw scan p95`, percentile(rawTimes, 95), 'ms');
        row(`${name} — raw ÷ rollup (p50)`, percentile(rawTimes, 50) / percentile(rollupTimes, 50), '×', '≥ 10');
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
