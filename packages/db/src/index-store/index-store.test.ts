import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_LEVELS, cityScope, departmentScope, isDomainError, type Scope } from '@cityops/domain';
import type { Database } from '../database.ts';
import { DERIVED_EVENT_COLUMN_NAMES } from '../migrations/0015-compact-event-keys.ts';
import { refreshRollups } from '../rollups.ts';
import { baselinePeriodFor, ensureBaseline, rebaseIndex, resetBaselineRule } from './baseline-store.ts';
import { computeIndexMonth, computeMonth } from './index-compute.ts';
import { queryIndexDecomposition } from './decomposition.ts';
import { queryIndexRanking, queryIndexUnit, querySnapshots } from './index-read.ts';
import { listSnapshots, publishMonth, readSnapshotValues } from './publish.ts';
import { FIXTURE_END_MONTH, openFixtureDb } from './test-fixture.ts';

const MONTH = FIXTURE_END_MONTH;
const PREVIOUS = '2026-09';
const FAST = { iterations: { city: 40, district: 40, street: 40, community: 20, grid: 10 } };
const districtScope = (code: string): Scope => ({ ...cityScope('district_analyst'), unitCode: code as Scope['unitCode'] });

async function snapshotDump(db: Database, id: string): Promise<string> {
  const rows = await readSnapshotValues(db, id);
  const [meta] = await db.all(`SELECT * EXCLUDE ("published_at") FROM "index_snapshots" WHERE "id" = $id`, { id });
  return createHash('sha256').update(JSON.stringify({ meta, rows }, (_, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex');
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(isDomainError(error) ? error.code : error).toBe(code);
}

describe('social condition index over the warehouse', () => {
  let db: Database;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ db, cleanup } = await openFixtureDb('index'));
  }, 300_000);
  afterAll(() => cleanup?.());

  it('computes every unit of every level with ranks 1..n per level and a stored baseline', { timeout: 240_000 }, async () => {
    const computation = await computeIndexMonth(db, { month: MONTH });
    // Data run 2024-10 … 2026-10: a 2026 month is scored against calendar year 2025.
    expect(computation.baseline.from).toBe('2025-01');
    expect(computation.baseline.to).toBe('2025-12');
    expect(computation.baseline.rule).toBe('previous calendar year 2025');
    const units = await db.all<{ level: string; n: number; ranks: number; minRank: number; maxRank: number; maxOf: number }>(
      `SELECT "level", count(*)::INTEGER AS "n", count(DISTINCT "rank")::INTEGER AS "ranks", min("rank") AS "minRank", max("rank") AS "maxRank", max("rank_of") AS "maxOf"
       FROM "index_monthly" WHERE "month" = $m GROUP BY 1`,
      { m: MONTH },
    );
    const expected = await db.all<{ level: string; n: number }>(`SELECT "level", count(*)::INTEGER AS "n" FROM "units" GROUP BY 1`);
    expect(units).toHaveLength(UNIT_LEVELS.length);
    for (const row of units) {
      expect(row.n).toBe(expected.find((e) => e.level === row.level)!.n);
      expect([row.ranks, row.minRank, row.maxRank, row.maxOf]).toEqual([row.n, 1, row.n, row.n]);
    }
    const scores = await db.all<{ bad: number }>(`SELECT count(*)::INTEGER AS "bad" FROM "index_monthly" WHERE NOT ("score" BETWEEN 0 AND 100)`);
    expect(scores[0]!.bad).toBe(0);
  });

  it('fixes the goalposts for a calendar year: every 2026 month shares 2025, 2025 months share the start-up baseline', { timeout: 240_000 }, async () => {
    const january = await ensureBaseline(db, '2026-01');
    expect(january.id).toBe((await ensureBaseline(db, MONTH)).id);
    const startUp = await ensureBaseline(db, '2025-12');
    expect([startUp.from, startUp.to]).toEqual(['2024-10', '2025-09']);
    expect(startUp.rule).toMatch(/^first 12 complete months of data/);
    expect((await ensureBaseline(db, '2025-01')).id).toBe(startUp.id);
    // Stored once per period and reused: asking again builds nothing new.
    const count = async () => (await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "index_baselines"`))[0]!.n;
    const before = await count();
    await ensureBaseline(db, '2026-06');
    await ensureBaseline(db, '2025-06');
    expect(await count()).toBe(before);
  });

  it('compares January with December under January\'s goalposts (the yearly rebase does not show up as a change)', { timeout: 240_000 }, async () => {
    const unit = await queryIndexUnit(db, cityScope(), { code: '510104', month: '2026-01' });
    expect(unit.source.baselineId).toMatch(/^2025-01\.\.2025-12@/);
    const december = await computeMonth(db, '2025-12');
    expect(december.baseline.id).not.toBe(unit.source.baselineId);
    const storedDecember = december.values.find((v) => v.code === '510104')!.score;
    const d = await queryIndexDecomposition(db, cityScope(), { code: '510104', month: '2026-01', compareTo: '2025-12' });
    // December re-scored under 2025's goalposts, computed independently through an override …
    await rebaseIndex(db, { from: '2025-01', to: '2025-12' });
    try {
      const underJanuaryGoalposts = (await computeMonth(db, '2025-12')).values.find((v) => v.code === '510104')!.score;
      expect(unit.mom!.score).toBeCloseTo(underJanuaryGoalposts, 9);
      expect(unit.mom!.score).not.toBeCloseTo(storedDecember, 6);
      // "Why did it change?" explains the same change, not the move of the goalposts.
      expect(d.comparable).toBe(false);
      expect(d.scoreBefore).toBeCloseTo(underJanuaryGoalposts, 9);
      expect(d.change).toBeCloseTo(unit.mom!.change, 9);
    } finally {
      await resetBaselineRule(db);
    }
    expect((await ensureBaseline(db, '2025-12')).id).toBe(december.baseline.id);
  });

  it('serves a provisional ranking, clearly labelled, with MoM', async () => {
    const ranking = await queryIndexRanking(db, cityScope(), { unitCode: '5101', month: MONTH });
    expect(ranking.source.status).toBe('provisional');
    expect(ranking.level).toBe('district');
    expect(ranking.units.map((u) => u.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(ranking.units.every((u) => u.momChange !== null && u.rankInterval === null)).toBe(true);
  });

  it('decomposes a change exactly into indicator, item and pillar contributions', async () => {
    for (const code of ['5101', '510104', '510104017', '510104017005']) {
      const d = await queryIndexDecomposition(db, cityScope(), { code, month: MONTH, compareTo: PREVIOUS });
      const stored = d.storedScoreAfter - d.storedScoreBefore;
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      expect(d.comparable).toBe(true);
      expect(Math.abs(sum(d.indicators.map((i) => i.contribution)) - stored)).toBeLessThan(1e-9);
      expect(Math.abs(sum(Object.values(d.pillars)) - stored)).toBeLessThan(1e-9);
      expect(Math.abs(sum(Object.values(d.items) as number[]) - stored)).toBeLessThan(1e-9);
      expect(sum(d.indicators.map((i) => i.rounded))).toBeCloseTo(Math.round(d.change * 100) / 100, 9);
    }
  });

  it('publishes a frozen snapshot that later data cannot change; re-publishing makes revision 2 recording the change', { timeout: 240_000 }, async () => {
    const first = await publishMonth(db, { month: MONTH, publishedBy: 'tester', ...FAST });
    expect(first.created).toBe(true);
    expect(first.snapshot.revision).toBe(1);
    expect(first.snapshot.units).toBe(24420);
    const before = await snapshotDump(db, first.snapshot.id);
    const again = await publishMonth(db, { month: MONTH, publishedBy: 'tester', ...FAST });
    expect(again.created).toBe(false);

    // Late data: 300 more 12345 cases in one street during the published month, then the rollups refresh.
    await db.run(
      `INSERT INTO "events" BY NAME SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE ("id" + 900000000 AS "id", "external_id" || '-late' AS "external_id", now()::TIMESTAMP AS "updated_at", now()::TIMESTAMP AS "ingested_at")
       FROM "events" WHERE "received_at" >= '2026-10-01' AND "received_at" < '2026-11-01' AND "source" = 'hotline' ORDER BY "id" LIMIT 300`,
    );
    await db.run(`UPDATE "events" SET "grid_code" = '510104017005001' WHERE "id" > 900000000`);
    await refreshRollups(db);
    expect(await snapshotDump(db, first.snapshot.id)).toBe(before);
    const unit = await queryIndexUnit(db, cityScope(), { code: '510104017', month: MONTH });
    expect(unit.source.status).toBe('published');
    expect(unit.score).toBe((await readSnapshotValues(db, first.snapshot.id)).find((v) => v.code === '510104017')!.score);

    const second = await publishMonth(db, { month: MONTH, publishedBy: 'tester', ...FAST });
    expect(second.created).toBe(true);
    expect(second.snapshot.revision).toBe(2);
    expect(second.snapshot.previousRevision).toBe(1);
    const changed = second.snapshot.changes.units.find((u) => u.code === '510104017');
    expect(changed).toBeDefined();
    expect(changed!.scoreTo).toBeLessThan(changed!.scoreFrom);
    expect(await snapshotDump(db, first.snapshot.id)).toBe(before);
    const revisions = await listSnapshots(db, MONTH);
    expect(revisions.map((r) => r.revision)).toEqual([2, 1]);
    const ranking = await queryIndexRanking(db, cityScope(), { unitCode: '510104', month: MONTH });
    expect(ranking.source).toMatchObject({ status: 'published', revision: 2 });
    expect(ranking.units.every((u) => u.rankInterval !== null && u.rankInterval.p5 <= u.rankInterval.p95)).toBe(true);
  });

  it('keeps a district scope to its own district', async () => {
    const scope = districtScope('510104');
    const own = await queryIndexRanking(db, scope, { unitCode: '510104', month: MONTH });
    expect(own.units.every((u) => u.code.startsWith('510104'))).toBe(true);
    await expectCode(queryIndexRanking(db, scope, { unitCode: '510105', month: MONTH }), 'FORBIDDEN');
    await expectCode(queryIndexRanking(db, scope, { unitCode: '5101', month: MONTH }), 'FORBIDDEN');
    await expectCode(queryIndexUnit(db, scope, { code: '510105', month: MONTH }), 'FORBIDDEN');
    await expectCode(queryIndexDecomposition(db, scope, { code: '510105', month: MONTH, compareTo: PREVIOUS }), 'FORBIDDEN');
    const snapshots = await querySnapshots(db, scope, { month: MONTH });
    expect(snapshots[0]!.changes.units.every((u) => u.code.startsWith('510104'))).toBe(true);
  });

  it('shows a department only the indicators of its items', async () => {
    const scope = departmentScope('D01');
    const unit = await queryIndexUnit(db, scope, { code: '510104', month: MONTH });
    expect(unit.indicators.length).toBeGreaterThan(0);
    expect(unit.indicators.every((i) => i.item !== null && scope.items!.includes(i.item))).toBe(true);
    const d = await queryIndexDecomposition(db, scope, { code: '510104', month: MONTH, compareTo: PREVIOUS });
    expect(d.complete).toBe(false);
    expect(Object.keys(d.items).every((item) => scope.items!.includes(item as never))).toBe(true);
  });
});

describe('baseline period rule', () => {
  const months = (from: string, to: string) => {
    const out: string[] = [];
    for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5)); `${y}-${String(m).padStart(2, '0')}` <= to; m === 12 ? ((m = 1), (y += 1)) : (m += 1)) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
    }
    return out;
  };
  const data = months('2024-10', '2026-10');

  it('uses the previous calendar year when it is complete', () => {
    expect(baselinePeriodFor('2026-01', data)).toMatchObject({ from: '2025-01', to: '2025-12', kind: 'previous_year' });
    expect(baselinePeriodFor('2026-12', data)).toMatchObject({ from: '2025-01', to: '2025-12', kind: 'previous_year' });
  });

  it('falls back to the latest complete year, then the first 12 complete months, then a short baseline', () => {
    // 2027: 2026 has data only to October → the latest complete year, 2025.
    expect(baselinePeriodFor('2027-02', data)).toMatchObject({ from: '2025-01', to: '2025-12', kind: 'earlier_year' });
    // 2025: 2024 starts in October → the start-up baseline, the same for every 2025 month.
    expect(baselinePeriodFor('2025-03', data)).toMatchObject({ from: '2024-10', to: '2025-09', kind: 'start_up' });
    expect(baselinePeriodFor('2025-11', data)).toEqual(baselinePeriodFor('2025-03', data));
    // A gap in 2025 (June incomplete) leaves 2026 without a complete year: start-up baseline.
    const gap = data.filter((m) => m !== '2025-06');
    expect(baselinePeriodFor('2026-04', gap)).toMatchObject({ from: '2024-10', to: '2025-10', kind: 'start_up' });
    // Seven months of data: all of them, flagged short.
    expect(baselinePeriodFor('2025-04', months('2024-10', '2025-04'))).toMatchObject({ from: '2024-10', to: '2025-04', kind: 'short' });
    expect(() => baselinePeriodFor('2025-04', [])).toThrow(/no complete month/);
  });
});
