import { DomainError, INDICATORS, assertUnitInScope, decomposeScoreChange, normaliseMatrix, roundPreservingSum, type Scope } from '@cityops/domain';
import { getBaselineById } from './baseline-store.ts';
import type { Database } from '../database.ts';
import { assertMonth } from './months.ts';
import { readIndexedUnit, resolveIndexMonth, visibleIndicator } from './index-read.ts';

/**
 * "Why did this street drop?" — the change of one unit's score between `compareTo` and
 * `month`, split into contributions of each indicator, item and pillar that add up exactly to
 * the change (methodology §10), computed on demand from the stored normalised values.
 *
 * Both months are decomposed under the weights and aggregation of `month`. When `compareTo`
 * was computed under other weights, another baseline or method version, its score is re-derived
 * under `month`'s method — goalposts included (`comparable: false` says so) — the decomposition
 * then explains the change of the place, not the change of the method.
 */
export async function queryIndexDecomposition(db: Database, scope: Scope, opts: { code: string; month: string; compareTo: string }) {
  assertUnitInScope(scope, opts.code);
  assertMonth(opts.compareTo);
  if (opts.compareTo === opts.month) throw new DomainError('BAD_INPUT', '对比月份不能与当前月份相同 / compareTo must differ from month');
  // Sequential on purpose: resolving may compute a month, one transaction at a time per connection.
  const after = await resolveIndexMonth(db, opts.month);
  const before = await resolveIndexMonth(db, opts.compareTo);
  const rowAfter = await readIndexedUnit(db, after, opts.code);
  const rowBefore = await readIndexedUnit(db, before, opts.code);
  // Across a re-basing (January against December, any year-on-year) the earlier month's
  // indicator values are normalised against `month`'s goalposts first, as MoM/YoY are.
  const afterBaseline = before.baselineId === after.baselineId ? undefined : await getBaselineById(db, after.baselineId);
  const normalisedBefore = afterBaseline
    ? normaliseMatrix(
        { codes: [rowBefore.code], levels: [rowBefore.level], populations: Float64Array.of(rowBefore.population), values: Float64Array.from(rowBefore.values) },
        afterBaseline.goalposts,
        after.options.normalisation,
      )
    : rowBefore.normalised;
  const decomposition = decomposeScoreChange(normalisedBefore, rowAfter.normalised, after.weights, after.options.aggregation, after.options.geometricFloor);
  const comparable =
    before.baselineId === after.baselineId &&
    before.methodVersion === after.methodVersion &&
    JSON.stringify(before.weights) === JSON.stringify(after.weights) &&
    before.options.aggregation === after.options.aggregation &&
    before.options.normalisation === after.options.normalisation;
  const rounded = roundPreservingSum(decomposition.indicators.map((indicator) => indicator.contribution));
  const indicators = decomposition.indicators
    .map((indicator, j) => ({ ...indicator, label: INDICATORS[j]!.label, rounded: rounded[j]! }))
    .filter((_, j) => visibleIndicator(scope, j))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const items = Object.fromEntries(Object.entries(decomposition.items).filter(([item]) => !scope.items || scope.items.includes(item as never)));
  return {
    code: opts.code,
    month: opts.month,
    compareTo: opts.compareTo,
    status: { month: after.status, compareTo: before.status },
    revision: { month: after.revision, compareTo: before.revision },
    comparable,
    scoreBefore: decomposition.scoreBefore,
    scoreAfter: decomposition.scoreAfter,
    change: decomposition.change,
    storedScoreBefore: rowBefore.score,
    storedScoreAfter: rowAfter.score,
    pillars: decomposition.pillars,
    items,
    indicators,
    /** False for a department scope: the lists hold only its items, so they no longer add up to the change. */
    complete: !scope.items,
  };
}
