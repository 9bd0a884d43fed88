import type { Database } from '../database.ts';
import { cellText } from '../migrations/0015-compact-event-keys.ts';
import { assertDay } from './months.ts';

/**
 * `rollup_h3_monthly`: events per month × H3 res-9 cell (with its res-8 parent) × district ×
 * street × source × item — what the hotspot statistics read. Kept separate from the warehouse
 * rollups (which are by administrative unit) because Gi* works on hexagons.
 *
 * Incremental by month range: the months overlapping [fromDay, toDay] are deleted and re-summed
 * from events (a month is the unit of refresh: cheap, and exact whatever changed inside it).
 * Without a range, everything is rebuilt. Call it after importing events (alongside refreshRollups).
 */
export interface H3RefreshResult {
  months: number;
  rows: number;
  ms: number;
}

export async function refreshH3Rollup(db: Database, opts: { fromDay?: string; toDay?: string } = {}): Promise<H3RefreshResult> {
  const started = performance.now();
  if (opts.fromDay) assertDay(opts.fromDay);
  if (opts.toDay) assertDay(opts.toDay);
  const params = { from: opts.fromDay ?? null, to: opts.toDay ?? null };
  // NULL bounds mean "open": the same statement serves the full and the incremental refresh.
  const monthFilter = (column: string) =>
    `($from::DATE IS NULL OR ${column} >= date_trunc('month', $from::DATE)) AND ($to::DATE IS NULL OR ${column} < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH)`;
  return db.transaction(async (tx) => {
    await tx.run(`DELETE FROM "rollup_h3_monthly" WHERE ${monthFilter('"month"')}`, params);
    await tx.run(
      // Grouped on the stored cells (integers, migration 15), their text made once per group.
      `INSERT INTO "rollup_h3_monthly"
       SELECT "month", ${cellText('"h3r9_cell"')} AS "h3r9", ${cellText('"h3r8_cell"')} AS "h3r8", "district_code", "street_code", "source", "item", "events"
       FROM (SELECT date_trunc('month', "received_at")::DATE AS "month", "h3r9_cell", "h3r8_cell", "district_code", "street_code", "source", "category" AS "item",
               count(*)::INTEGER AS "events"
             FROM "events"
             WHERE ${monthFilter('"received_at"')}
             GROUP BY ALL)
       ORDER BY "month", "district_code", "street_code", "h3r9"`,
      params,
    );
    const [stats] = await tx.all<{ months: number; rows: number }>(
      `SELECT count(DISTINCT "month")::INTEGER AS "months", count(*)::INTEGER AS "rows" FROM "rollup_h3_monthly" WHERE ${monthFilter('"month"')}`,
      params,
    );
    return { months: stats?.months ?? 0, rows: stats?.rows ?? 0, ms: performance.now() - started };
  });
}
