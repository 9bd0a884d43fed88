import type { Database } from '../database.ts';

/** The months that have data, ascending ('YYYY-MM'); read from the city's rollup rows. */
export async function queryAvailableMonths(db: Database): Promise<string[]> {
  const rows = await db.all<{ month: string }>(
    `SELECT DISTINCT strftime("month", '%Y-%m') AS "month" FROM "rollup_monthly" WHERE "level" = 'city' ORDER BY 1`,
  );
  return rows.map((row) => row.month);
}
