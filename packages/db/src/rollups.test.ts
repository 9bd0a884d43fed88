import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityScope } from '@cityops/domain';
import { queryChildVolumes, queryChildVolumesRaw } from './queries/volumes.ts';
import { refreshRollups } from './rollups.ts';
import { DERIVED_EVENT_COLUMN_NAMES } from './migrations/0015-compact-event-keys.ts';
import { OVERDUE_FLIPS_TABLE, rollupRowsSql } from './rollups-overdue.ts';
import { createTestWarehouse, TEST_GENERATION, type TestWarehouse } from './testing/test-warehouse.ts';

let w: TestWarehouse;
beforeAll(async () => {
  w = await createTestWarehouse({ generate: { ...TEST_GENERATION, seed: 5 } });
});
afterAll(() => w?.cleanup());

/** A rollup as the reads see it: the stored rows plus the pending overdue flips. */
const rollupRows = (table: 'rollup_monthly' | 'rollup_daily') => rollupRowsSql(table === 'rollup_monthly' ? 'month' : 'day');

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
     roll AS (SELECT level AS lvl, unit_code AS code, "${column}" AS period, source, item, sum("${measure}") AS n FROM ${rollupRows(table)} GROUP BY ALL)
     SELECT count(*)::INTEGER AS n FROM raw FULL JOIN roll USING (lvl, code, period, source, item)
     WHERE coalesce(raw.n, 0) <> coalesce(roll.n, 0)`,
  );
  return rows[0]!.n;
}

/** Rows of rollup_child_monthly that differ from the raw counts per parent, month, child (district, street, community) and source. */
async function childMismatches(): Promise<number> {
  const rows = await w.db.all<{ n: number }>(
    `WITH raw AS (
       SELECT parent_code || ':' || strftime(month, '%Y-%m') AS parent_month, unit_code, source::VARCHAR AS source, count(*) AS n
       FROM (SELECT *, date_trunc('month', received_at)::DATE AS month, unnest([community_code, street_code, district_code]) AS unit_code,
               unnest([street_code, district_code, left(district_code, 4)]) AS parent_code FROM events)
       GROUP BY ALL)
     SELECT count(*)::INTEGER AS n FROM raw FULL JOIN rollup_child_monthly c USING (parent_month, unit_code, source)
     WHERE coalesce(raw.n, 0) <> coalesce(c.events, 0) OR c.month <> strptime(right(c.parent_month, 7), '%Y-%m')::DATE`,
  );
  return rows[0]!.n;
}

const snapshot = async (table: string) =>
  (await w.db.all<{ n: number; h: string }>(
    `SELECT count(*)::INTEGER AS n, sum(hash(COLUMNS(*)) % 1000003)::VARCHAR AS h
     FROM ${table === 'rollup_monthly' || table === 'rollup_daily' ? rollupRows(table) : table}`))[0];
const pendingFlips = async () => (await w.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${OVERDUE_FLIPS_TABLE}`))[0]!.n;
const OVERDUE_OPEN_NOW = `count(*) FILTER (closed_at IS NULL AND due_at < (SELECT as_of FROM rollup_state))`;
const OVERDUE_NOW = `count(*) FILTER (due_at IS NOT NULL AND ((closed_at IS NOT NULL AND closed_at > due_at) OR (closed_at IS NULL AND due_at < (SELECT as_of FROM rollup_state))))`;
/** Every level and period of both rollups counts overdue cases as of the data clock. */
async function expectOverdueExact() {
  for (const table of ['rollup_monthly', 'rollup_daily'] as const) {
    expect(await mismatches(table, 'overdue_open', OVERDUE_OPEN_NOW), `${table} overdue_open`).toBe(0);
    expect(await mismatches(table, 'overdue', OVERDUE_NOW), `${table} overdue`).toBe(0);
  }
}

/** Pending overdue flips left by the last expectIncrementalEqualsFull's incremental refresh. */
let pendingAfterIncremental = 0;

/** Runs an incremental refresh, then checks a full rebuild yields exactly the same rollups (as the reads see them). */
async function expectIncrementalEqualsFull() {
  const incremental = await refreshRollups(w.db);
  expect(incremental.mode).toBe('incremental');
  pendingAfterIncremental = await pendingFlips();
  const daily = await snapshot('rollup_daily');
  const monthly = await snapshot('rollup_monthly');
  const children = await snapshot('rollup_child_monthly');
  expect(await childMismatches()).toBe(0);
  await refreshRollups(w.db, { full: true });
  expect(await snapshot('rollup_daily')).toEqual(daily);
  expect(await snapshot('rollup_monthly')).toEqual(monthly);
  expect(await snapshot('rollup_child_monthly')).toEqual(children);
  expect(await pendingFlips()).toBe(0);
  return incremental;
}

const nextStamp = `(SELECT max(updated_at) FROM events) + INTERVAL 1 MINUTE`;
const cityMonth = async (month: string) =>
  (await w.db.all<{ events: number; closed: number; satisfied: number; overdue_open: number }>(
    `SELECT sum(events)::INTEGER AS events, sum(closed)::INTEGER AS closed, sum(satisfied)::INTEGER AS satisfied, sum(overdue_open)::INTEGER AS overdue_open
     FROM ${rollupRows('rollup_monthly')} WHERE level = 'city' AND month = $m::DATE`, { m: month }))[0]!;

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
    expect(await childMismatches()).toBe(0);
    expect((await snapshot('rollup_child_monthly'))!.n).toBeGreaterThan(0);
  });

  it('refreshes incrementally after a day of new events to the same result as a full rebuild', async () => {
    // Tomorrow's arrivals: copies of the last day's events one day later, with fresh ids.
    await w.db.run(
      `INSERT INTO events BY NAME
       SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE (id + 100000000 AS id, external_id || '-N' AS external_id, received_at + INTERVAL 1 DAY AS received_at,
                         dispatched_at + INTERVAL 1 DAY AS dispatched_at, first_response_at + INTERVAL 1 DAY AS first_response_at,
                         due_at + INTERVAL 1 DAY AS due_at, closed_at + INTERVAL 1 DAY AS closed_at,
                         (SELECT max(updated_at) FROM events) + INTERVAL 1 DAY AS updated_at)
       FROM events WHERE received_at >= (SELECT max(received_at)::DATE FROM events)`,
    );
    const incremental = await refreshRollups(w.db);
    expect(incremental.mode).toBe('incremental');
    expect(incremental.newEventsOnly).toBe(true);
    expect(incremental.days).toBeLessThan(40);
    // The clock moved a day: the flips of open cases are pending, not written to the stored rows.
    expect(await pendingFlips()).toBeGreaterThan(0);
    await expectOverdueExact();
    const daily = await snapshot('rollup_daily');
    const monthly = await snapshot('rollup_monthly');
    const children = await snapshot('rollup_child_monthly');
    expect(await childMismatches()).toBe(0);
    const full = await refreshRollups(w.db, { full: true });
    expect(full.mode).toBe('full');
    expect(await snapshot('rollup_child_monthly')).toEqual(children);
    expect(await snapshot('rollup_daily')).toEqual(daily);
    expect(await snapshot('rollup_monthly')).toEqual(monthly);
    expect(await mismatches('rollup_monthly', 'events', 'count(*)')).toBe(0);
  });

  it('moves the counts of an event whose status and closure change, without double counting', async () => {
    const open = await w.db.all<{ id: number; month: string }>(
      `SELECT id::DOUBLE AS id, strftime(received_at, '%Y-%m-01') AS month FROM events
       WHERE closed_at IS NULL AND due_at IS NOT NULL ORDER BY received_at DESC, id LIMIT 1`);
    expect(open).toHaveLength(1);
    const { id, month } = open[0]!;
    const before = await cityMonth(month);
    await w.db.run(
      `UPDATE events SET status = 'closed', closed_at = greatest(received_at + INTERVAL 1 HOUR, due_at - INTERVAL 1 MINUTE), return_visit = 'satisfied',
         updated_at = ${nextStamp} WHERE id = $id`, { id });
    const incremental = await expectIncrementalEqualsFull();
    expect(incremental.newEventsOnly).toBe(false);
    expect(incremental.rebuiltMonths).toBe(0);
    expect(incremental.rebuiltDays).toBe(0);
    const after = await cityMonth(month);
    expect(after.events).toBe(before.events);
    expect(after.closed).toBe(before.closed + 1);
    expect(after.satisfied).toBe(before.satisfied + 1);
    expect(await mismatches('rollup_monthly', 'closed', 'count(closed_at)')).toBe(0);
    expect(await mismatches('rollup_daily', 'closed', 'count(closed_at)')).toBe(0);
    // Reopened again: the counts move back.
    await w.db.run(`UPDATE events SET status = 'in_progress', closed_at = NULL, return_visit = NULL, updated_at = ${nextStamp} WHERE id = $id`, { id });
    await expectIncrementalEqualsFull();
    expect((await cityMonth(month)).closed).toBe(before.closed);
  });

  it('folds a late event into an old month by delta, repeat reporters included', async () => {
    // A late report in an old month by a reporter who already filed one that month: both
    // events become repeat-reporter events (the other one in another unit's rows).
    const [old] = await w.db.all<{ id: number; month: string; hash: string; grid: string }>(
      `SELECT any_value(id)::DOUBLE AS id, strftime(any_value(received_at), '%Y-%m-01') AS month, reporter_hash AS hash, any_value(grid_code) AS grid
       FROM events WHERE received_at < '2025-06-01' AND received_at >= '2025-05-01' GROUP BY reporter_hash HAVING count(*) = 1 ORDER BY 3 LIMIT 1`);
    const otherGrid = (await w.db.all<{ grid: string }>(`SELECT code AS grid FROM units WHERE level = 'grid' AND code <> $g ORDER BY code DESC LIMIT 1`, { g: old!.grid }))[0]!.grid;
    const before = await cityMonth(old!.month);
    const repeatBefore = (await w.db.all<{ n: number }>(`SELECT sum(repeat_reporter_events)::INTEGER AS n FROM rollup_monthly WHERE level = 'city' AND month = $m::DATE`, { m: old!.month }))[0]!.n;
    await w.db.run(
      `INSERT INTO events BY NAME SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE (id + 200000000 AS id, external_id || '-L' AS external_id, received_at + INTERVAL 3 DAY AS received_at,
         $grid AS grid_code,
         ${nextStamp} AS updated_at)
       FROM events WHERE id = $id`,
      { id: old!.id, grid: otherGrid },
    );
    const incremental = await expectIncrementalEqualsFull();
    expect(incremental.newEventsOnly).toBe(true);
    expect(incremental.rebuiltMonths).toBe(0);
    expect(incremental.months).toBe(1);
    expect((await cityMonth(old!.month)).events).toBe(before.events + 1);
    const repeatAfter = (await w.db.all<{ n: number }>(`SELECT sum(repeat_reporter_events)::INTEGER AS n FROM rollup_monthly WHERE level = 'city' AND month = $m::DATE`, { m: old!.month }))[0]!.n;
    expect(repeatAfter).toBe(repeatBefore + 2);
    expect(await mismatches('rollup_monthly', 'events', 'count(*)')).toBe(0);
  });

  it('adds new events to the stored groups of a running day and month, repeat reporters and overdue flips included', async () => {
    // Second reports of the same cases (same reporter, unit, item, time) in a day that has
    // rollup rows already, stamped a day later: their groups exist (updated in place), their
    // reporters become repeat reporters (both the stored and the new event count), and the
    // data clock moves a day, flipping open cases to overdue in other groups.
    const day = (await w.db.all<{ d: string }>(`SELECT (max(received_at)::DATE - 3)::VARCHAR AS d FROM events`))[0]!.d;
    const repeatBefore = (await w.db.all<{ n: number }>(
      `SELECT sum(repeat_reporter_events)::INTEGER AS n FROM rollup_daily WHERE level = 'city' AND day = $d::DATE`, { d: day }))[0]!.n;
    const flipping = (await w.db.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM events, rollup_state
       WHERE closed_at IS NULL AND due_at >= as_of AND due_at < as_of + INTERVAL 1 DAY AND received_at::DATE <> $d::DATE`, { d: day }))[0]!.n;
    expect(flipping).toBeGreaterThan(0);
    await w.db.run(
      `INSERT INTO events BY NAME SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE (id + 400000000 AS id, external_id || '-R' AS external_id,
         (SELECT max(updated_at) FROM events) + INTERVAL 1 DAY AS updated_at)
       FROM events WHERE received_at::DATE = $d::DATE AND reporter_hash IS NOT NULL ORDER BY id LIMIT 40`, { d: day });
    const incremental = await expectIncrementalEqualsFull();
    expect(incremental.newEventsOnly).toBe(true);
    expect(incremental.rebuiltDays).toBe(0);
    const repeatAfter = (await w.db.all<{ n: number }>(
      `SELECT sum(repeat_reporter_events)::INTEGER AS n FROM rollup_daily WHERE level = 'city' AND day = $d::DATE`, { d: day }))[0]!.n;
    expect(repeatAfter).toBeGreaterThanOrEqual(repeatBefore + 40);
    await expectOverdueExact();
  });

  it('recomputes instead when new events come with a change or a deletion of stored ones', async () => {
    const [stored] = await w.db.all<{ id: number }>(
      `SELECT id::DOUBLE AS id FROM events WHERE return_visit IS NULL AND closed_at IS NOT NULL AND received_at < '2026-06-01' ORDER BY id LIMIT 1`);
    const [gone] = await w.db.all<{ id: number }>(`SELECT id::DOUBLE AS id FROM events WHERE received_at BETWEEN '2025-04-10' AND '2025-04-11' ORDER BY id LIMIT 1`);
    const addDay = () => w.db.run(
      `INSERT INTO events BY NAME SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE (id + 500000000 + (SELECT count(*) FROM events) AS id, external_id || '-M' AS external_id,
         (SELECT max(updated_at) FROM events) + INTERVAL 1 HOUR AS updated_at)
       FROM events WHERE received_at >= (SELECT max(received_at)::DATE FROM events) ORDER BY id LIMIT 30`);
    // New events and a changed stored one: as many more events as changed rows minus one.
    await addDay();
    await w.db.run(`UPDATE events SET return_visit = 'satisfied', updated_at = ${nextStamp} WHERE id = $id`, { id: stored!.id });
    const changed = await expectIncrementalEqualsFull();
    expect(changed.newEventsOnly).toBe(false);
    // New events and a deleted stored one.
    await addDay();
    await w.db.run(`DELETE FROM events WHERE id = $id`, { id: gone!.id });
    const deleted = await expectIncrementalEqualsFull();
    expect(deleted.newEventsOnly).toBe(false);
    expect(deleted.rebuiltMonths).toBeGreaterThanOrEqual(1);
  });

  it('rebuilds the periods an event left when it moves to another day or item', async () => {
    const [moved] = await w.db.all<{ id: number }>(`SELECT id::DOUBLE AS id FROM events WHERE received_at BETWEEN '2025-02-10' AND '2025-02-11' AND category <> 'market' ORDER BY id LIMIT 1`);
    await w.db.run(`UPDATE events SET category = 'market', received_at = received_at + INTERVAL 40 DAY, updated_at = ${nextStamp} WHERE id = $id`, { id: moved!.id });
    const incremental = await expectIncrementalEqualsFull();
    expect(incremental.rebuiltMonths).toBeGreaterThanOrEqual(1);
    expect(incremental.rebuiltDays).toBeGreaterThanOrEqual(1);
    expect(await mismatches('rollup_monthly', 'events', 'count(*)')).toBe(0);
    expect(await mismatches('rollup_daily', 'events', 'count(*)')).toBe(0);
  });

  it('returns at once when nothing changed, and still notices a deleted event', async () => {
    await refreshRollups(w.db);
    const state = await w.db.all(`SELECT * FROM rollup_state`);
    const idle = await refreshRollups(w.db);
    expect(idle).toMatchObject({ mode: 'incremental', days: 0, months: 0, rebuiltDays: 0, rebuiltMonths: 0 });
    expect(await w.db.all(`SELECT * FROM rollup_state`)).toEqual(state);
    // A deletion leaves the watermark as it was: the event count no longer matches the totals.
    const [gone] = await w.db.all<{ id: number; month: string }>(
      `SELECT id::DOUBLE AS id, strftime(received_at, '%Y-%m-01') AS month FROM events WHERE received_at BETWEEN '2025-03-10' AND '2025-03-11' ORDER BY id LIMIT 1`);
    const before = await cityMonth(gone!.month);
    await w.db.run(`DELETE FROM events WHERE id = $id`, { id: gone!.id });
    const incremental = await expectIncrementalEqualsFull();
    expect(incremental.rebuiltMonths).toBe(1);
    expect((await cityMonth(gone!.month)).events).toBe(before.events - 1);
  });

  it('counts open cases as overdue once the data clock passes their due time, and back', async () => {
    const clock = (await w.db.all<{ t: string }>(`SELECT max(updated_at)::VARCHAR AS t FROM events`))[0]!.t;
    const [open] = await w.db.all<{ due: string; month: string }>(
      `SELECT due_at::VARCHAR AS due, strftime(received_at, '%Y-%m-01') AS month FROM events
       WHERE closed_at IS NULL AND due_at > $clock::TIMESTAMP ORDER BY due_at LIMIT 1`, { clock });
    expect(open).toBeDefined();
    const before = await cityMonth(open!.month);
    // A new event stamped after that due time moves the clock (as_of) past it.
    await w.db.run(
      `INSERT INTO events BY NAME SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE (id + 300000000 AS id, external_id || '-C' AS external_id, $due::TIMESTAMP + INTERVAL 1 MINUTE AS updated_at)
       FROM events WHERE id = (SELECT min(id) FROM events)`, { due: open!.due });
    const forward = await expectIncrementalEqualsFull();
    expect(forward.rebuiltMonths).toBe(0);
    expect(forward.newEventsOnly).toBe(true);
    expect(pendingAfterIncremental).toBeGreaterThan(0);
    expect((await cityMonth(open!.month)).overdue_open).toBeGreaterThan(before.overdue_open);
    // Withdrawn again: the clock goes back and so do the overdue counts.
    await w.db.run(`DELETE FROM events WHERE id = (SELECT min(id) FROM events) + 300000000`);
    await expectIncrementalEqualsFull();
    expect((await cityMonth(open!.month)).overdue_open).toBe(before.overdue_open);
    await expectOverdueExact();
  });

  it('keeps overdue flips pending over refreshes of new events and folds them when rows are rewritten or past the bound', async () => {
    await refreshRollups(w.db, { full: true });
    const nextDay = () => w.db.run(
      `INSERT INTO events BY NAME
       SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE (id + 600000000 + (SELECT count(*) FROM events) AS id, external_id || '-D' || (SELECT count(*) FROM events) AS external_id,
         received_at + INTERVAL 1 DAY AS received_at, dispatched_at + INTERVAL 1 DAY AS dispatched_at, first_response_at + INTERVAL 1 DAY AS first_response_at,
         due_at + INTERVAL 1 DAY AS due_at, closed_at + INTERVAL 1 DAY AS closed_at, (SELECT max(updated_at) FROM events) + INTERVAL 1 DAY AS updated_at)
       FROM events WHERE received_at >= (SELECT max(received_at)::DATE FROM events) ORDER BY id LIMIT 200`);
    // Stored rows whose overdue counts differ from what the reads see (pending flips not folded).
    const unfolded = async () => (await w.db.all<{ n: number }>(
      `SELECT ((SELECT count(*) FROM rollup_monthly r JOIN ${rollupRows('rollup_monthly')} v USING (month, level, unit_code, source, item)
                WHERE r.overdue <> v.overdue OR r.overdue_open <> v.overdue_open)
             + (SELECT count(*) FROM rollup_daily r JOIN ${rollupRows('rollup_daily')} v USING (day, level, unit_code, source, item)
                WHERE r.overdue <> v.overdue OR r.overdue_open <> v.overdue_open))::INTEGER AS n`))[0]!.n;
    expect(await unfolded()).toBe(0);
    // Three days in a row: each refresh only appends flips, the stored rows do not count them.
    let pending = 0;
    for (let day = 0; day < 3; day++) {
      await nextDay();
      const result = await refreshRollups(w.db);
      expect(result.newEventsOnly).toBe(true);
      const now = await pendingFlips();
      expect(now).toBeGreaterThan(pending);
      pending = now;
      await expectOverdueExact();
    }
    expect(await unfolded()).toBeGreaterThan(0);
    // A change of a stored event (recomputed groups): the pending flips are folded first.
    const [stored1] = await w.db.all<{ id: number }>(`SELECT id::DOUBLE AS id FROM events WHERE closed_at IS NOT NULL AND return_visit IS NULL ORDER BY id LIMIT 1`);
    await w.db.run(`UPDATE events SET return_visit = 'satisfied', updated_at = (SELECT max(updated_at) FROM events) + INTERVAL 1 MICROSECOND WHERE id = $id`, { id: stored1!.id });
    const changed = await refreshRollups(w.db);
    expect(changed.newEventsOnly).toBe(false);
    expect(await pendingFlips()).toBe(0);
    expect(await unfolded()).toBe(0);
    await expectOverdueExact();
    // Past the bound: a refresh of new events folds them too.
    await nextDay();
    expect((await refreshRollups(w.db)).newEventsOnly).toBe(true);
    expect(await pendingFlips()).toBeGreaterThan(0);
    await nextDay();
    expect((await refreshRollups(w.db, { foldOverdueRows: 0 })).newEventsOnly).toBe(true);
    expect(await pendingFlips()).toBe(0);
    await expectOverdueExact();
    // And the result is the full rebuild's.
    await nextDay();
    await expectIncrementalEqualsFull();
    expect(pendingAfterIncremental).toBeGreaterThan(0);
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

  it('answers child volumes at every level like the raw scan, after incremental refreshes', async () => {
    const city = cityScope();
    const [district] = await w.db.all<{ code: string }>(`SELECT code FROM units WHERE level = 'district' ORDER BY code LIMIT 1`);
    const [street] = await w.db.all<{ code: string }>(`SELECT code FROM units WHERE level = 'street' ORDER BY code DESC LIMIT 1`);
    const [community] = await w.db.all<{ code: string }>(`SELECT code FROM units WHERE level = 'community' ORDER BY code LIMIT 1`);
    let nonZero = 0;
    for (const unitCode of ['5101', district!.code, street!.code, community!.code]) {
      for (const month of ['2024-10', '2025-05', '2026-09', '2026-10', '2026-11']) {
        const rows = await queryChildVolumes(w.db, city, { unitCode, month });
        expect(rows, `${unitCode} ${month}`).toEqual(await queryChildVolumesRaw(w.db, city, { unitCode, month }));
        nonZero += rows.filter((row) => row.count > 0).length;
      }
      // The source filter reads the same table: each child's count equals the raw count.
      const bySource = await queryChildVolumes(w.db, city, { unitCode, month: '2026-09', source: 'hotline' });
      const raw = await w.db.all<{ code: string; n: number }>(
        `SELECT u.code, count(e.id)::INTEGER AS n FROM units u
         LEFT JOIN events e ON e.source = 'hotline' AND e.received_at >= '2026-09-01' AND e.received_at < '2026-10-01'
           AND u.code IN (e.district_code, e.street_code, e.community_code, e.grid_code)
         WHERE u.parent_code = $unit GROUP BY u.code ORDER BY u.code`, { unit: unitCode });
      expect(bySource.map((row) => ({ code: row.code, n: row.count }))).toEqual(raw);
    }
    expect(nonZero).toBeGreaterThan(0);
  });
});
