import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHexNeighbourhood, cityScope, departmentScope, emergingHotSpotAnalysis, isDomainError, type Scope } from '@cityops/domain';
import type { Database } from '../database.ts';
import { readGroundTruth, type GroundTruthManifest } from '../generator/index.ts';
import { refreshH3Rollup } from './h3-rollup.ts';
import { queryEmergingHotspots, queryHotspots } from './hotspots.ts';
import { openFixtureDb } from './test-fixture.ts';

const districtScope = (code: string): Scope => ({ ...cityScope('district_analyst'), unitCode: code as Scope['unitCode'] });

describe('hotspots on H3 from rollup_h3_monthly', () => {
  let db: Database;
  let cleanup: () => void;
  let manifest: GroundTruthManifest;
  beforeAll(async () => {
    ({ db, cleanup } = await openFixtureDb('hotspots'));
    manifest = (await readGroundTruth(db))!;
  }, 300_000);
  afterAll(() => cleanup?.());

  it('refreshes a month range incrementally to the same totals as the events', async () => {
    const before = await db.all<{ n: number }>(`SELECT sum("events")::INTEGER AS "n" FROM "rollup_h3_monthly"`);
    const result = await refreshH3Rollup(db, { fromDay: '2026-09-15', toDay: '2026-10-02' });
    expect(result.months).toBe(2);
    const after = await db.all<{ n: number }>(`SELECT sum("events")::INTEGER AS "n" FROM "rollup_h3_monthly"`);
    const events = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "events"`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(after[0]!.n).toBe(events[0]!.n);
  });

  // Recall on the manifest: a planted cluster-month is found when one of its res-8 cells is a
  // hot spot (bin ≥ 1, FDR on) in the district map filtered to the cluster's source and item.
  // Months where the planted excess is below the cells' own volume (multiplier < 1: the first
  // months of an "intensifying" cluster, the tail of a "diminishing" one) are reported apart.
  it('finds the planted clusters as hot spots in their months (recall ≥ 90 %)', async () => {
    let strong = 0;
    let strongHits = 0;
    let all = 0;
    let allHits = 0;
    for (const cluster of manifest.clusters) {
      for (const month of cluster.months) {
        const map = await queryHotspots(db, cityScope(), { unitCode: cluster.districtCode, month, source: cluster.source, item: cluster.item, fdr: true });
        const hit = map.cells.some((cell) => cluster.cellsR8.includes(cell.cell) && cell.bin >= 1);
        all += 1;
        if (hit) allHits += 1;
        if (cluster.multipliers[month]! >= 1) {
          strong += 1;
          if (hit) strongHits += 1;
        }
      }
    }
    console.info(`hotspot recall: ${strongHits}/${strong} cluster-months with multiplier ≥ 1 (${((100 * strongHits) / strong).toFixed(1)} %), ${allHits}/${all} all cluster-months`);
    expect(strongHits / strong).toBeGreaterThanOrEqual(0.9);
    expect(allHits / all).toBeGreaterThanOrEqual(0.8);
  });

  it('classifies emerging patterns over the last 12 months', async () => {
    const last = manifest.months[manifest.months.length - 1]!;
    const categories: Record<string, string[]> = {};
    for (const cluster of manifest.clusters) {
      const result = await queryEmergingHotspots(db, cityScope(), { unitCode: cluster.districtCode, month: last, months: 12, source: cluster.source, item: cluster.item });
      expect(result.months).toHaveLength(12);
      categories[`${cluster.id}:${cluster.kind}`] = result.cells.filter((cell) => cluster.cellsR8.includes(cell.cell)).map((cell) => cell.category);
    }
    console.info('emerging categories of planted cells', JSON.stringify(categories));
    // Clusters active in the last 12 months show up as some hot pattern; "emerging" ones as new/consecutive.
    for (const cluster of manifest.clusters.filter((c) => c.kind === 'emerging')) {
      expect(categories[`${cluster.id}:${cluster.kind}`]!.some((c) => c === 'new_hot' || c === 'consecutive_hot')).toBe(true);
    }
    for (const cluster of manifest.clusters.filter((c) => c.kind === 'persistent' || c.kind === 'intensifying')) {
      expect(categories[`${cluster.id}:${cluster.kind}`]!.some((c) => c.endsWith('_hot'))).toBe(true);
    }
  });

  // The fast read (one string of cell,month,count triples per query, dense arrays, cached
  // neighbour lists) against a plain one: counts straight from the events table, one row per
  // cell and month, a neighbourhood built with h3-js afresh.
  it('reads the same counts and classifies the same as a plain query over the events', async () => {
    const unitCode = '510104';
    const months = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
    const emerging = await queryEmergingHotspots(db, cityScope(), { unitCode, month: '2026-10', months: 6, source: 'hotline' });
    const rows = await db.all<{ cell: string; month: string; n: number }>(
      `SELECT "h3r8" AS "cell", strftime("received_at", '%Y-%m') AS "month", count(*)::INTEGER AS "n" FROM "events"
       WHERE "district_code" = $unit AND "source" = 'hotline' AND "received_at" >= TIMESTAMP '2026-05-01 00:00:00' AND "received_at" < TIMESTAMP '2026-11-01 00:00:00'
       GROUP BY ALL`,
      { unit: unitCode },
    );
    const hood = buildHexNeighbourhood(emerging.cells.map((cell) => cell.cell));
    const monthly = months.map(() => new Float64Array(hood.cells.length));
    for (const row of rows) monthly[months.indexOf(row.month)]![hood.indexOf.get(row.cell)!] = row.n;
    expect(monthly.reduce((sum, values) => sum + values.reduce((a, b) => a + b, 0), 0)).toBeGreaterThan(100);
    const plain = emergingHotSpotAnalysis(monthly, hood, { fdr: true });
    expect(emerging.cells.map((cell) => cell.category)).toEqual(plain.results.map((result) => result.category));
    expect(emerging.cells.map((cell) => cell.zLast)).toEqual(Array.from(plain.zSeries[5]!));
    const map = await queryHotspots(db, cityScope(), { unitCode, month: '2026-08', source: 'hotline' });
    expect(map.cells.map((cell) => cell.events)).toEqual(Array.from(monthly[3]!));
  });

  it('maps a street at res 9 and the whole city at res 8', async () => {
    const cluster = manifest.clusters[0]!;
    const street = await queryHotspots(db, cityScope(), { unitCode: cluster.streetCode, month: cluster.months[0]! });
    expect(street.resolution).toBe(9);
    expect(street.studyAreaCells).toBeGreaterThan(5);
    const city = await queryHotspots(db, cityScope(), { unitCode: '5101', month: cluster.months[0]! });
    expect(city.resolution).toBe(8);
    expect(city.studyAreaCells).toBeGreaterThan(1000);
  });

  it('refuses another district and filters a department to its items', async () => {
    const error = await queryHotspots(db, districtScope('510104'), { unitCode: '510105', month: '2026-10' }).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('FORBIDDEN');
    const emerging = await queryEmergingHotspots(db, districtScope('510104'), { unitCode: '510105', month: '2026-10', months: 6 }).catch((e: unknown) => e);
    expect(isDomainError(emerging) && emerging.code).toBe('FORBIDDEN');
    const market = departmentScope('D01');
    const forbidden = await queryHotspots(db, market, { unitCode: '510104', month: '2026-10', item: 'housing' }).catch((e: unknown) => e);
    expect(isDomainError(forbidden) && forbidden.code).toBe('FORBIDDEN');
    const own = await queryHotspots(db, market, { unitCode: '510104', month: '2026-10' });
    const onlyMarket = await queryHotspots(db, cityScope(), { unitCode: '510104', month: '2026-10', item: 'market' });
    expect(own.cells.map((c) => c.events)).toEqual(onlyMarket.cells.map((c) => c.events));
  });
});
