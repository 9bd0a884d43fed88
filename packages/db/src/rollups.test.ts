import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollups } from './rollups.ts';
import { createTestWarehouse, TEST_GENERATION, type TestWarehouse } from './testing/test-warehouse.ts';

let w: TestWarehouse;
beforeAll(async () => {
  w = await createTestWarehouse({ generate: { ...TEST_GENERATION, seed: 5 } });
});
afterAll(() => w?.cleanup());

const LEVEL_CODES = `[grid_code, community_code, street_code, district_code, left(district_code, 4)]`;
const LEVELS = `['grid', 'community', 'street', 'district', 'city']`;

async function mismatches(table: 'rollup_monthly' | 'rollup_daily', measure: string, rawMeasure: string): Promise<number> {
  const period = table === 'rollup_monthly' ? `date_trunc('month', received_at)::DATE` : `received_at::DATE`;
  const column = table === 'rollup_monthly' ? 'month' : 'day';
  const levels = table === 'rollup_monthly' ? LEVELS : `['street', 'district', 'city']`;
  const codes = table === 'rollup_monthly' ? LEVEL_CODES : `[street_code, district_code, left(district_code, 4)]`;
  const rows = await w.db.all<{ n: number }>(
    `WITH raw AS (
       SELECT lvl, code, period, source, category AS item, ${rawMeasure} AS n
       FROM (SELECT *, ${period} AS period, unnest(${codes}) AS code, unnest(${levels}) AS lvl FROM events) GROUP BY ALL),
     roll AS (SELECT level AS lvl, unit_code AS code, "${column}" AS period, source, item, sum("${measure}") AS n FROM ${table} GROUP BY ALL)
     SELECT count(*)::INTEGER AS n FROM raw FULL JOIN roll USING (lvl, code, period, source, item)
     WHERE coalesce(raw.n, 0) <> coalesce(roll.n, 0)`,
  );
  return rows[0]!.n;
}

const snapshot = async (table: string) =>
  (await w.db.all<{ n: number; h: string }>(`SELECT count(*)::INTEGER AS n, sum(hash(COLUMNS(*)) % 1000003)::VARCHAR AS h FROM ${table}`))[0];

describe('rollups', () => {
  it('equal raw counts at every level, month and day', async () => {
    expect(await mismatches('rollup_monthly', 'events', 'count(*)')).toBe(0);
    expect(await mismatches('rollup_daily', 'events', 'count(*)')).toBe(0);
    expect(await mismatches('rollup_monthly', 'closed', 'count(closed_at)')).toBe(0);
    expect(await mismatches('rollup_monthly', 'dissatisfied', `count(*) FILTER (return_visit = 'dissatisfied')`)).toBe(0);
    const levels = await w.db.all<{ level: string; n: number }>(`SELECT level, sum(events)::INTEGER AS n FROM rollup_monthly GROUP BY ALL`);
    const total = (await w.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events`))[0]!.n;
    expect(levels).toHaveLength(5);
    for (const level of levels) expect(level.n, level.level).toBe(total);
  });

  it('refreshes incrementally after a day of new events to the same result as a full rebuild', async () => {
    // Tomorrow's arrivals: copies of the last day's events one day later, with fresh ids.
    await w.db.run(
      `INSERT INTO events
       SELECT * REPLACE (id + 100000000 AS id, external_id || '-N' AS external_id, received_at + INTERVAL 1 DAY AS received_at,
                         dispatched_at + INTERVAL 1 DAY AS dispatched_at, first_response_at + INTERVAL 1 DAY AS first_response_at,
                         due_at + INTERVAL 1 DAY AS due_at, closed_at + INTERVAL 1 DAY AS closed_at,
                         (SELECT max(updated_at) FROM events) + INTERVAL 1 DAY AS updated_at)
       FROM events WHERE received_at >= (SELECT max(received_at)::DATE FROM events)`,
    );
    const incremental = await refreshRollups(w.db);
    expect(incremental.mode).toBe('incremental');
    expect(incremental.days).toBeLessThan(40);
    const daily = await snapshot('rollup_daily');
    const monthly = await snapshot('rollup_monthly');
    const full = await refreshRollups(w.db, { full: true });
    expect(full.mode).toBe('full');
    expect(await snapshot('rollup_daily')).toEqual(daily);
    expect(await snapshot('rollup_monthly')).toEqual(monthly);
    expect(await mismatches('rollup_monthly', 'events', 'count(*)')).toBe(0);
  });

  it('picks up changed rows and a since day', async () => {
    await w.db.run(`UPDATE events SET status = 'closed', return_visit = 'dissatisfied', updated_at = (SELECT max(updated_at) FROM events) + INTERVAL 1 MINUTE
                    WHERE id IN (SELECT id FROM events WHERE return_visit = 'satisfied' ORDER BY id LIMIT 25)`);
    const result = await refreshRollups(w.db);
    expect(result.days).toBeGreaterThan(0);
    expect(await mismatches('rollup_monthly', 'dissatisfied', `count(*) FILTER (return_visit = 'dissatisfied')`)).toBe(0);
    const since = await refreshRollups(w.db, { since: '2026-10-01' });
    expect(since.days).toBeGreaterThanOrEqual(31);
  });
});
