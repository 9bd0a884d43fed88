import { DomainError, METHOD_VERSION, buildBaseline, type Baseline, type GoalpostOptions, type IndexOptions } from '@cityops/domain';
import type { Database } from '../database.ts';
import { listCompleteMonths, loadIndexInputs } from './index-inputs.ts';
import { assertMonth } from './months.ts';

/**
 * The baseline period whose goalposts a month is normalised against (methodology §5).
 *
 * Rule: a month of year Y is scored against the **previous calendar year** Y−1 (January …
 * December, all twelve months complete in the warehouse; a month is complete when its first
 * and last days have data). Goalposts therefore hold still for the twelve months of a
 * publication year — a 70 in March means what a 70 in October means — and move forward once,
 * each January, to the most recent full year, so they never drift far from current conditions.
 * When Y−1 is not complete:
 *   1. the latest complete calendar year before it (a gap in Y−1 does not unfix the goalposts);
 *   2. otherwise — the first year(s) of a deployment — the first 12 complete months of data,
 *      one start-up baseline shared by every month until a full calendar year exists;
 *   3. otherwise all complete months so far ("short baseline"): provisional, replaced when
 *      more months complete (published snapshots keep the goalposts they used).
 * Each period's goalposts are computed once, stored in `index_baselines` under the id
 * `from..to@method` and reused: they never move when late data arrive, so a month's score
 * changes only when its own data change. An operator's `rebaseIndex` overrides the rule for
 * every month until `resetBaselineRule`; that is a method revision (publish again to apply).
 */
export const BASELINE_MONTHS = 12;

export interface BaselinePeriod {
  from: string;
  to: string;
  kind: 'previous_year' | 'earlier_year' | 'start_up' | 'short';
  rule: string;
}

const monthsOfYear = (year: number) => Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}`);

/** The baseline period of `month` under the rule above, given the complete months (ascending). */
export function baselinePeriodFor(month: string, completeMonths: readonly string[]): BaselinePeriod {
  assertMonth(month);
  const complete = new Set(completeMonths);
  const sorted = [...complete].sort();
  if (sorted.length === 0) throw new DomainError('NOT_FOUND', '仓库中没有完整月份的数据，无法确定基期 / no complete month of data to build the baseline from');
  const year = Number(month.slice(0, 4));
  const firstYear = Number(sorted[0]!.slice(0, 4));
  for (let y = year - 1; y >= firstYear; y -= 1) {
    if (monthsOfYear(y).every((m) => complete.has(m))) {
      return y === year - 1
        ? { from: `${y}-01`, to: `${y}-12`, kind: 'previous_year', rule: `previous calendar year ${y}` }
        : { from: `${y}-01`, to: `${y}-12`, kind: 'earlier_year', rule: `latest complete calendar year ${y} (${year - 1} is incomplete)` };
    }
  }
  if (sorted.length >= BASELINE_MONTHS) {
    const months = sorted.slice(0, BASELINE_MONTHS);
    return { from: months[0]!, to: months[BASELINE_MONTHS - 1]!, kind: 'start_up', rule: `first ${BASELINE_MONTHS} complete months of data (no complete calendar year before ${year})` };
  }
  return {
    from: sorted[0]!,
    to: sorted[sorted.length - 1]!,
    kind: 'short',
    rule: `all ${sorted.length} complete months available (fewer than ${BASELINE_MONTHS}: short baseline, replaced as months complete)`,
  };
}

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

/** Marks an operator's rebase; baselines chosen by the rule are stored inactive. */
const OVERRIDE_RULE_PREFIX = 'operator rebase';

/** The operator's override, when one is in force (it applies to every month). */
export async function getActiveBaseline(db: Database): Promise<StoredBaseline | undefined> {
  const rows = await db.all<BaselineRow>(
    `SELECT "id", "from_month", "to_month", "method_version", "goalposts"::VARCHAR AS "goalposts", "goalpost_options"::VARCHAR AS "goalpost_options", "rule"
     FROM "index_baselines" WHERE "active" AND starts_with("rule", $prefix) ORDER BY "created_at" DESC LIMIT 1`,
    { prefix: OVERRIDE_RULE_PREFIX },
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

/**
 * The baseline of `month`: the operator's override if one is in force, else the period the
 * rule picks, built and stored on first use and reused after.
 */
export async function ensureBaseline(db: Database, month: string, options: Partial<IndexOptions> = {}): Promise<StoredBaseline> {
  assertMonth(month);
  const override = await getActiveBaseline(db);
  if (override) return override;
  const period = baselinePeriodFor(month, await listCompleteMonths(db));
  const stored = await getBaselineById(db, baselineId(period.from, period.to));
  if (stored) return stored;
  return storeBaseline(db, period.from, period.to, period.rule, false, options);
}

/** Overrides the rule: the months `from` … `to` become every month's baseline (a method revision: publish again to apply it). */
export async function rebaseIndex(db: Database, opts: { from: string; to: string; goalpostOptions?: GoalpostOptions; options?: Partial<IndexOptions> }): Promise<StoredBaseline> {
  assertMonth(opts.from);
  assertMonth(opts.to);
  if (opts.from > opts.to) throw new DomainError('BAD_INPUT', `基期起止月份颠倒 / baseline from > to: ${opts.from} > ${opts.to}`);
  return storeBaseline(db, opts.from, opts.to, `${OVERRIDE_RULE_PREFIX} to ${opts.from}…${opts.to}`, true, opts.options ?? {}, opts.goalpostOptions);
}

/** Ends an operator's override: months return to the yearly rule. */
export async function resetBaselineRule(db: Database): Promise<void> {
  await db.run(`UPDATE "index_baselines" SET "active" = false WHERE "active"`);
}

const baselineId = (from: string, to: string) => `${from}..${to}@${METHOD_VERSION}`;

async function storeBaseline(
  db: Database,
  from: string,
  to: string,
  rule: string,
  override: boolean,
  options: Partial<IndexOptions>,
  goalpostOptions?: GoalpostOptions,
): Promise<StoredBaseline> {
  const inputs = await loadIndexInputs(db, from, to);
  const baseline = buildBaseline(
    inputs.map((entry) => ({ month: entry.month, units: entry.units })),
    options,
    goalpostOptions,
  );
  // An override gets its own id, so ending it leaves the rule's baseline of the same months intact.
  const id = override ? `${baselineId(baseline.from, baseline.to)}:rebased` : baselineId(baseline.from, baseline.to);
  await db.transaction(async (tx) => {
    if (override) await tx.run(`UPDATE "index_baselines" SET "active" = false`);
    await tx.run(`DELETE FROM "index_baselines" WHERE "id" = $id`, { id });
    await tx.run(
      `INSERT INTO "index_baselines" VALUES ($id, $from, $to, $version, $goalposts::JSON, $goalpost_options::JSON, $rule, $active, now()::TIMESTAMP)`,
      { id, from: baseline.from, to: baseline.to, version: METHOD_VERSION, goalposts: JSON.stringify(baseline.goalposts), goalpost_options: JSON.stringify(baseline.goalpostOptions), rule, active: override },
    );
  });
  return { ...baseline, id, rule, methodVersion: METHOD_VERSION };
}
