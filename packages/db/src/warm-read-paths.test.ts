import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { resolveIndexMonth } from './index-store/index-read.ts';
import { shiftMonth } from './index-store/months.ts';
import { openFixtureDb } from './index-store/test-fixture.ts';
import { queryAvailableMonths } from './queries/months.ts';
import { warmReadPaths } from './warm-read-paths.ts';
import { ensureServiceCountsFresh } from './work-orders/service-counts.ts';

const runsOf = (db: Database, month: string) =>
  db.all<{ computed_at: string; rollup_refreshed_at: string }>(`SELECT strftime("computed_at", '%Y-%m-%d %H:%M:%S.%f') AS "computed_at", "rollup_refreshed_at"::VARCHAR AS "rollup_refreshed_at" FROM "index_runs" WHERE "month" = $month`, { month });

describe('warming the read paths at server start', () => {
  let db: Database;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ db, cleanup } = await openFixtureDb('warm'));
  }, 300_000);
  afterAll(() => cleanup?.());

  it('leaves the service counts fresh and the latest month computed, so the first reads recompute nothing', { timeout: 240_000 }, async () => {
    const latest = (await queryAvailableMonths(db)).at(-1)!;
    const previous = shiftMonth(latest, -1);
    for (const month of [latest, previous]) {
      await db.run(`DELETE FROM "index_runs" WHERE "month" = $month`, { month });
      await db.run(`DELETE FROM "index_monthly" WHERE "month" = $month`, { month });
    }
    // Stale counts, as after a demo start re-times the open orders.
    await db.run(`UPDATE "service_counts_state" SET "signature" = 'stale'`);

    const warm = await warmReadPaths(db);
    expect(warm.month).toBe(latest);
    expect(warm.serviceCountsRecounted).toBe(true);
    const [run] = await runsOf(db, latest);
    expect(run).toBeDefined();
    // The month the ranking's 环比 compares with is computed too.
    expect(await runsOf(db, previous)).toHaveLength(1);
    const [{ n }] = (await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "index_monthly" WHERE "month" = $month`, { month: latest })) as [{ n: number }];
    expect(n).toBeGreaterThan(0);

    // What the dashboards' first requests do now finds everything in place.
    expect(await ensureServiceCountsFresh(db)).toBe(false);
    const source = await resolveIndexMonth(db, latest);
    expect(source.status).toBe('provisional');
    expect(await runsOf(db, latest)).toEqual([run]);
    const again = await warmReadPaths(db);
    expect(again.serviceCountsRecounted).toBe(false);
    expect(await runsOf(db, latest)).toEqual([run]);
  });
});
