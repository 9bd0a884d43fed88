import type { Database } from '../database.ts';

/**
 * The complete months that have data, ascending ('YYYY-MM'): a month counts once its first and
 * last day are in the city's daily rollup, so a month still being filled (e.g. by the live
 * feed) does not become the dashboards' "latest month" half-way through.
 */
export async function queryAvailableMonths(db: Database): Promise<string[]> {
  const rows = await db.all<{ month: string }>(
    `SELECT strftime(date_trunc('month', "day"), '%Y-%m') AS "month"
     FROM (SELECT DISTINCT "day" FROM "rollup_daily" WHERE "level" = 'city')
     GROUP BY 1
     HAVING bool_or(day("day") = 1) AND bool_or("day" = last_day("day"))
     ORDER BY 1`,
  );
  return rows.map((row) => row.month);
}
