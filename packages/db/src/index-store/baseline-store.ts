import { DomainError, METHOD_VERSION, buildBaseline, type Baseline, type GoalpostOptions, type IndexOptions } from '@cityops/domain';
import type { Database } from '../database.ts';
import { listCompleteMonths, loadIndexInputs } from './index-inputs.ts';
import { assertMonth } from './months.ts';

/**
 * The baseline period whose goalposts every month is normalised against (methodology §5).
 * Rule of this deployment: the **first 12 complete months of data** in the warehouse (a month
 * is complete when its first and last days have data). With fewer complete months, all of them
 * are used and the rule says so. The goalposts are computed once, stored in `index_baselines`
 * and reused for every later month — they never move when late data arrive, so a month's score
 * changes only when its own data change. Rebasing (`rebaseIndex`) is an explicit act and a
 * method revision; published snapshots keep a copy of the goalposts they used.
 */
export const BASELINE_MONTHS = 12;

export interface StoredBaseline extends Baseline {
  id: string;
  rule: string;
  methodVersion: string;
}

interface BaselineRow {
  id: string;
  from_month: string;
  to_month: string;
  method_version: string;
  goalposts: string;
  goalpost_options: string;
  rule: string;
}

function fromRow(row: BaselineRow): StoredBaseline {
  return {
    id: row.id,
    from: row.from_month,
    to: row.to_month,
    methodVersion: row.method_version,
    rule: row.rule,
    goalposts: JSON.parse(row.goalposts) as Baseline['goalposts'],
    goalpostOptions: JSON.parse(row.goalpost_options) as Baseline['goalpostOptions'],
  };
}

export async function getActiveBaseline(db: Database): Promise<StoredBaseline | undefined> {
  const rows = await db.all<BaselineRow>(
    `SELECT "id", "from_month", "to_month", "method_version", "goalposts"::VARCHAR AS "goalposts", "goalpost_options"::VARCHAR AS "goalpost_options", "rule"
     FROM "index_baselines" WHERE "active" ORDER BY "created_at" DESC LIMIT 1`,
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function getBaselineById(db: Database, id: string): Promise<StoredBaseline | undefined> {
  const rows = await db.all<BaselineRow>(
    `SELECT "id", "from_month", "to_month", "method_version", "goalposts"::VARCHAR AS "goalposts", "goalpost_options"::VARCHAR AS "goalpost_options", "rule"
     FROM "index_baselines" WHERE "id" = $id`,
    { id },
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The active baseline, building the default one (first 12 complete months) on first use. */
export async function ensureBaseline(db: Database, options: Partial<IndexOptions> = {}): Promise<StoredBaseline> {
  const active = await getActiveBaseline(db);
  if (active) return active;
  const complete = await listCompleteMonths(db);
  if (complete.length === 0) throw new DomainError('NOT_FOUND', '仓库中没有完整月份的数据，无法确定基期 / no complete month of data to build the baseline from');
  const months = complete.slice(0, BASELINE_MONTHS);
  const rule =
    months.length === BASELINE_MONTHS
      ? `first ${BASELINE_MONTHS} complete months of data`
      : `all ${months.length} complete months available (fewer than ${BASELINE_MONTHS}: short baseline)`;
  return storeBaseline(db, months[0]!, months[months.length - 1]!, rule, options);
}

/** Replaces the active baseline by the months `from` … `to` (a method revision: publish again to apply it). */
export async function rebaseIndex(db: Database, opts: { from: string; to: string; goalpostOptions?: GoalpostOptions; options?: Partial<IndexOptions> }): Promise<StoredBaseline> {
  assertMonth(opts.from);
  assertMonth(opts.to);
  if (opts.from > opts.to) throw new DomainError('BAD_INPUT', `基期起止月份颠倒 / baseline from > to: ${opts.from} > ${opts.to}`);
  return storeBaseline(db, opts.from, opts.to, `rebased by an operator to ${opts.from}…${opts.to}`, opts.options ?? {}, opts.goalpostOptions);
}

async function storeBaseline(db: Database, from: string, to: string, rule: string, options: Partial<IndexOptions>, goalpostOptions?: GoalpostOptions): Promise<StoredBaseline> {
  const inputs = await loadIndexInputs(db, from, to);
  const baseline = buildBaseline(
    inputs.map((entry) => ({ month: entry.month, units: entry.units })),
    options,
    goalpostOptions,
  );
  const id = `${baseline.from}..${baseline.to}@${METHOD_VERSION}`;
  await db.transaction(async (tx) => {
    await tx.run(`UPDATE "index_baselines" SET "active" = false`);
    await tx.run(`DELETE FROM "index_baselines" WHERE "id" = $id`, { id });
    await tx.run(
      `INSERT INTO "index_baselines" VALUES ($id, $from, $to, $version, $goalposts::JSON, $goalpost_options::JSON, $rule, true, now()::TIMESTAMP)`,
      { id, from: baseline.from, to: baseline.to, version: METHOD_VERSION, goalposts: JSON.stringify(baseline.goalposts), goalpost_options: JSON.stringify(baseline.goalpostOptions), rule },
    );
  });
  return { ...baseline, id, rule, methodVersion: METHOD_VERSION };
}
