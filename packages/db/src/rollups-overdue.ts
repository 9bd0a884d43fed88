import type { Database } from './database.ts';
import { checkedPeriods, measureNames, type PeriodKind, PERIODS, type PeriodSpec, periodIn } from './rollups-sql.ts';

/**
 * Overdue flips kept apart from the stored rollup rows (table `rollup_overdue_flips`, migration
 * 13): the incremental refresh of new events appends the ±1 of `overdue` and `overdue_open` of
 * the open cases whose due time the data clock passed, per rollup key and level, instead of
 * updating the stored rows in place (see the migration for why). A rollup row as the reads see
 * it is the stored row plus its pending flips (rollupRowsSql); they are folded into the stored
 * rows by every refresh that rewrites rollup rows from their stored values (foldOverdueFlips),
 * dropped with the periods a refresh rebuilds from events (dropOverdueFlips), and folded when
 * they grow past FOLD_ROWS.
 */
export const OVERDUE_FLIPS_TABLE = 'rollup_overdue_flips';

/**
 * Pending rows past which the refresh of new events folds them (one UPDATE of the two columns
 * per rollup, like the in-place flips it replaces, so most likely a checkpoint at that COMMIT).
 * A day adds ~10 k rows at full scale (measured: two days of the benchmark's arrivals left
 * 19.3 k, 4.7 k daily and 14.6 k monthly), so about one refresh of daily arrivals in 25 pays
 * it. Readers sum the pending rows per key before joining them (rollupRowsSql).
 */
export const FOLD_ROWS = 250_000;

const kindOf = (spec: PeriodSpec): PeriodKind => (spec === PERIODS.day ? 'day' : 'month');

/** The levels of a period kind with the length of their codes (the base level: whole code). */
function levelLengths(spec: PeriodSpec): string {
  return [[spec.baseLevel, 64] as const, ...spec.ancestors.map(([level, length]) => [level, length] as const)]
    .map(([level, length]) => `('${level}', ${length})`).join(', ');
}

/**
 * Appends the flips of `rollup_flipped` (rollups.ts collectChanged) in `periods` at every level
 * of `spec`'s rollup. Every such key has a stored row (the flipped case itself counts in it).
 */
export async function appendOverdueFlips(db: Database, spec: PeriodSpec, periods: readonly string[]): Promise<void> {
  if (periods.length === 0) return;
  const range = checkedPeriods(periods);
  await db.run(
    `INSERT INTO "${OVERDUE_FLIPS_TABLE}"
     SELECT '${kindOf(spec)}', ${spec.of('f.')}, l."level", left(f."${spec.baseColumn}", l."length"), f."source"::VARCHAR, f."category"::VARCHAR,
       sum(f."sign")::INTEGER
     FROM "rollup_flipped" f, (VALUES ${levelLengths(spec)}) l("level", "length")
     WHERE ${spec.of('f.')} IN (${range.map((p) => `DATE '${p}'`).join(', ')})
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(f."sign") <> 0`,
  );
}

/** The number of pending flip rows. */
export async function pendingOverdueFlips(db: Database): Promise<number> {
  return (await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "${OVERDUE_FLIPS_TABLE}"`))[0]!.n;
}

/**
 * Adds every pending flip to its stored rollup row (an UPDATE of `overdue` and `overdue_open`
 * per rollup, limited to the periods concerned so zone maps skip the others) and empties the
 * table. Returns the number of rows folded.
 */
export async function foldOverdueFlips(db: Database): Promise<number> {
  const pending = await pendingOverdueFlips(db);
  if (pending === 0) return 0;
  for (const kind of ['day', 'month'] as const) {
    const spec = PERIODS[kind];
    const periods = checkedPeriods((await db.all<{ p: string }>(
      `SELECT DISTINCT "period"::VARCHAR AS "p" FROM "${OVERDUE_FLIPS_TABLE}" WHERE "period_kind" = '${kind}' ORDER BY 1`)).map((row) => row.p));
    if (periods.length === 0) continue;
    await db.run(
      `UPDATE "${spec.table}" r SET "overdue" = r."overdue" + d."delta", "overdue_open" = r."overdue_open" + d."delta"
       FROM (SELECT "period", "level", "unit_code", "source", "item", sum("delta")::INTEGER AS "delta" FROM "${OVERDUE_FLIPS_TABLE}"
             WHERE "period_kind" = '${kind}' GROUP BY ALL HAVING sum("delta") <> 0) d
       WHERE ${periodIn(spec, periods, 'r.')} AND r."${spec.column}" = d."period" AND r."level" = d."level" AND r."unit_code" = d."unit_code"
         AND r."source" = d."source" AND r."item" = d."item"`,
    );
  }
  await db.run(`DELETE FROM "${OVERDUE_FLIPS_TABLE}"`);
  return pending;
}

/**
 * Drops the pending flips of periods rebuilt from events (their rebuilt rows count every flip
 * already); all of a kind when `periods` is null (a full rebuild).
 */
export async function dropOverdueFlips(db: Database, kind: PeriodKind, periods: readonly string[] | null): Promise<void> {
  if (periods !== null && periods.length === 0) return;
  const scope = periods === null ? '' : `AND "period" IN (${checkedPeriods(periods).map((p) => `DATE '${p}'`).join(', ')})`;
  await db.run(`DELETE FROM "${OVERDUE_FLIPS_TABLE}" WHERE "period_kind" = '${kind}' ${scope}`);
}

/**
 * SQL of a rollup's rows as the reads see them: the stored rows with their pending flips added
 * to `overdue` and `overdue_open`, every column of the table in its order. Anything that reads
 * those two measures reads them through this (the other measures are complete in the stored
 * rows: reading the table itself is the same and cheaper).
 */
export function rollupRowsSql(kind: PeriodKind): string {
  const spec = PERIODS[kind];
  const column = (name: string) => (name === 'overdue' || name === 'overdue_open'
    ? `(r."${name}" + coalesce(f."delta", 0))::INTEGER AS "${name}"`
    : `r."${name}"`);
  return `(SELECT r."${spec.column}", r."level", r."unit_code", r."parent_code", r."source", r."item", ${measureNames.map(column).join(', ')}
     FROM "${spec.table}" r LEFT JOIN (
       SELECT "period", "level", "unit_code", "source", "item", sum("delta") AS "delta" FROM "${OVERDUE_FLIPS_TABLE}"
       WHERE "period_kind" = '${kind}' GROUP BY ALL) f
       ON f."period" = r."${spec.column}" AND f."level" = r."level" AND f."unit_code" = r."unit_code" AND f."source" = r."source" AND f."item" = r."item")`;
}
