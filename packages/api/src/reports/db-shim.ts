import type { Database } from '@cityops/db';

/**
 * TODO(remove): test-only stand-in for `queryAvailableMonths`, which routers/overview.ts imports
 * from @cityops/db while the db package's index does not export it yet (work in progress by
 * its owner). Report tests mock @cityops/db with the real module plus this function *only when
 * the real one is missing*, so they keep running against the real one once it lands.
 */
export async function queryAvailableMonthsFallback(db: Database): Promise<string[]> {
  const rows = await db.all<{ month: string }>(`SELECT DISTINCT strftime("month", '%Y-%m') AS "month" FROM "rollup_monthly" WHERE "level" = 'city' ORDER BY 1`);
  return rows.map((row) => row.month);
}

export async function withDbShim(original: Record<string, unknown>): Promise<Record<string, unknown>> {
  return { queryAvailableMonths: queryAvailableMonthsFallback, ...original };
}
