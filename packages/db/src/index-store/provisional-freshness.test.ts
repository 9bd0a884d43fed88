import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { DERIVED_EVENT_COLUMN_NAMES } from '../migrations/0015-compact-event-keys.ts';
import { refreshRollups } from '../rollups.ts';
import { PROVISIONAL_MAX_AGE_MS, readDataClock } from './index-compute.ts';
import { resolveIndexMonth } from './index-read.ts';
import { FIXTURE_END_MONTH, openFixtureDb } from './test-fixture.ts';

const MONTH = FIXTURE_END_MONTH;
const runOf = async (db: Database) =>
  (await db.all<{ computed_at: string; refreshed: string | null }>(
    `SELECT strftime("computed_at", '%Y-%m-%d %H:%M:%S.%f') AS "computed_at", "rollup_refreshed_at" AS "refreshed" FROM "index_runs" WHERE "month" = $month`,
    { month: MONTH },
  ))[0];

describe('a provisional month while data keep arriving', () => {
  let db: Database;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ db, cleanup } = await openFixtureDb('provisional'));
  }, 300_000);
  afterAll(() => cleanup?.());

  it('is served as computed for PROVISIONAL_MAX_AGE_MS after a rollup refresh, then recomputed with the new data', { timeout: 240_000 }, async () => {
    expect((await resolveIndexMonth(db, MONTH)).status).toBe('provisional');
    const first = (await runOf(db))!;
    // A late case of the month arrives and the rollups absorb it (the live feed does this every few seconds).
    await db.run(
      `INSERT INTO "events" BY NAME SELECT * EXCLUDE (${DERIVED_EVENT_COLUMN_NAMES}) REPLACE ("id" + 900000000 AS "id", "external_id" || '-late' AS "external_id", now()::TIMESTAMP AS "updated_at", now()::TIMESTAMP AS "ingested_at")
       FROM "events" WHERE "received_at" >= '2026-10-01' AND "received_at" < '2026-11-01' ORDER BY "id" LIMIT 1`,
    );
    await refreshRollups(db);
    expect((await readDataClock(db)).refreshedAt).not.toBe(first.refreshed);

    // Recent: read as it is, with its own cut-off, no recomputation.
    await resolveIndexMonth(db, MONTH);
    expect(await runOf(db)).toEqual(first);

    // Older than the tolerance: the next read recomputes it against the current data clock.
    await db.run(`UPDATE "index_runs" SET "computed_at" = "computed_at" - to_milliseconds($ms::BIGINT) WHERE "month" = $month`, { ms: PROVISIONAL_MAX_AGE_MS + 60_000, month: MONTH });
    const source = await resolveIndexMonth(db, MONTH);
    const second = (await runOf(db))!;
    expect(second.computed_at > first.computed_at).toBe(true);
    expect(second.refreshed).toBe((await readDataClock(db)).refreshedAt);
    expect(source.cutoff).not.toBeNull();
  });
});
