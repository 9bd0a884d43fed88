import { DomainError } from '../errors.ts';
import type { Item } from '../categories.ts';
import { DEFAULT_GEOMETRIC_FLOOR, type AggregationMethod } from './aggregate.ts';
import { INDICATORS, PILLARS, type Pillar } from './indicators.ts';
import { effectiveWeights, type IndexWeights } from './weights.ts';

/**
 * "Why did this street drop?" — decomposition of a unit's score change between two months
 * into contributions of each indicator, item and pillar that add up to the change
 * (OECD/JRC Handbook step 10, "back to the data").
 *
 * Arithmetic:  S = Σ eⱼ yⱼ, so ΔS = Σ eⱼ Δyⱼ — contribution cⱼ = eⱼ Δyⱼ, exact.
 * Geometric:   S = exp(Σ eⱼ ln ỹⱼ), ỹ = max(y, floor). Log-mean Divisia (LMDI-I; Ang 2004,
 *   "Decomposition analysis for policymaking in energy", Energy Policy 32:1131–1139):
 *   ΔS = L(S₁, S₀) · Δln S = Σ L(S₁, S₀) eⱼ Δln ỹⱼ, with the logarithmic mean
 *   L(a, b) = (a − b) / (ln a − ln b), L(a, a) = a. Exact, no residual, and every
 *   contribution has the sign of its indicator's own change.
 * Both assume the same weights in both months (one method version); the change of weights
 * between method versions is a revision, not a change of the place.
 */

/** Group key for items; process indicators (service rates, share of 警情) have no item. */
export type ItemGroup = Item | 'process';

export interface IndicatorContribution {
  id: string;
  pillar: Pillar;
  item: ItemGroup;
  before: number;
  after: number;
  contribution: number;
}

export interface Decomposition {
  scoreBefore: number;
  scoreAfter: number;
  change: number;
  indicators: IndicatorContribution[];
  pillars: Record<Pillar, number>;
  items: Partial<Record<ItemGroup, number>>;
}

/** Logarithmic mean L(a, b); a, b > 0. */
export function logMean(a: number, b: number): number {
  if (Math.abs(a - b) <= 1e-12 * Math.max(a, b)) return (a + b) / 2;
  return (a - b) / (Math.log(a) - Math.log(b));
}

/**
 * Decompose the change of one unit from `before` to `after` (normalised rows in INDICATORS
 * order, 0–100, as returned by `computeSocialConditionIndex`).
 */
export function decomposeScoreChange(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  weights: IndexWeights,
  method: AggregationMethod = 'arithmetic',
  floor = DEFAULT_GEOMETRIC_FLOOR,
): Decomposition {
  if (before.length !== INDICATORS.length || after.length !== INDICATORS.length) {
    throw new DomainError('BAD_INPUT', '分解需要两个与指标体系等长的标准化向量');
  }
  const e = effectiveWeights(weights);
  const contributions = new Float64Array(INDICATORS.length);
  let scoreBefore = 0;
  let scoreAfter = 0;
  if (method === 'arithmetic') {
    for (let j = 0; j < e.length; j++) {
      scoreBefore += e[j]! * before[j]!;
      scoreAfter += e[j]! * after[j]!;
      contributions[j] = e[j]! * (after[j]! - before[j]!);
    }
  } else {
    let logBefore = 0;
    let logAfter = 0;
    const dlog = new Float64Array(e.length);
    for (let j = 0; j < e.length; j++) {
      const lb = Math.log(Math.max(before[j]!, floor));
      const la = Math.log(Math.max(after[j]!, floor));
      logBefore += e[j]! * lb;
      logAfter += e[j]! * la;
      dlog[j] = la - lb;
    }
    scoreBefore = Math.exp(logBefore);
    scoreAfter = Math.exp(logAfter);
    const l = logMean(scoreAfter, scoreBefore);
    for (let j = 0; j < e.length; j++) contributions[j] = l * e[j]! * dlog[j]!;
  }
  const pillars = Object.fromEntries(PILLARS.map((pillar) => [pillar, 0])) as Record<Pillar, number>;
  const items: Partial<Record<ItemGroup, number>> = {};
  const indicators = INDICATORS.map((indicator, j): IndicatorContribution => {
    const item: ItemGroup = indicator.item ?? 'process';
    const contribution = contributions[j]!;
    pillars[indicator.pillar] += contribution;
    items[item] = (items[item] ?? 0) + contribution;
    return { id: indicator.id, pillar: indicator.pillar, item, before: before[j]!, after: after[j]!, contribution };
  });
  return { scoreBefore, scoreAfter, change: scoreAfter - scoreBefore, indicators, pillars, items };
}

/**
 * Round values to `decimals` so that the rounded values still add up to the rounded total
 * (largest-remainder method) — a report that prints contributions to 0.01 must still sum.
 */
export function roundPreservingSum(values: readonly number[], decimals = 2): number[] {
  const scale = 10 ** decimals;
  const scaled = values.map((value) => value * scale);
  const target = Math.round(scaled.reduce((sum, value) => sum + value, 0));
  const floors = scaled.map(Math.floor);
  const remaining = target - floors.reduce((sum, value) => sum + value, 0);
  const order = scaled.map((value, i) => ({ i, frac: value - floors[i]! })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  // Σ floors ≤ Σ scaled and target ≥ Σ scaled − ½, so `remaining` is a non-negative count.
  const out = [...floors];
  for (let k = 0; k < remaining; k++) {
    const idx = order[k % order.length]!.i;
    out[idx] = out[idx]! + 1;
  }
  return out.map((value) => value / scale);
}
