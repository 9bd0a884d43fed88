import { clamp, quantileSorted } from './stats.ts';
import type { Direction } from './indicators.ts';

/**
 * Normalisation (OECD/JRC Handbook step 5) with fixed goalposts.
 *
 * Goalposts come from a baseline period (by default the 12 months of the baseline year, all
 * units of one level pooled) and stay fixed until the method is rebased, so a score of 70 in
 * March means the same as 70 in October: months are comparable and a unit's score moves only
 * when its own data move. Values beyond the goalposts clamp to 0 or 100.
 */

export const NORMALISATION_METHODS = ['minmax', 'zscore'] as const;
export type NormalisationMethod = (typeof NORMALISATION_METHODS)[number];

export interface Goalpost {
  /** Lower goalpost: the `lowerPercentile` of the baseline values (the winsorising point). */
  lo: number;
  /** Upper goalpost: the `upperPercentile` of the baseline values. */
  hi: number;
  /** Mean and standard deviation of the winsorised baseline, for z-scores. */
  mean: number;
  sd: number;
  /** Number of baseline observations behind it. */
  n: number;
}

export interface GoalpostOptions {
  /** Default 0.01: values below the 1st percentile of the baseline are winsorised. */
  lowerPercentile?: number;
  /** Default 0.99. */
  upperPercentile?: number;
}

export const DEFAULT_GOALPOST_OPTIONS: Required<GoalpostOptions> = { lowerPercentile: 0.01, upperPercentile: 0.99 };

/** Replace values outside [lo, hi] by the nearest bound (winsorisation). */
export function winsorise(values: ArrayLike<number>, lo: number, hi: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = clamp(values[i]!, lo, hi);
  return out;
}

/**
 * Goalposts of one indicator from its baseline values. Winsorising at the percentiles and
 * then taking min and max of the result is the same as taking the percentiles themselves,
 * so `lo`/`hi` are the percentiles. When they coincide (an indicator almost always 0 in the
 * baseline) `hi` falls back to the baseline maximum so rare demand still registers.
 */
export function goalpostFromBaseline(values: ArrayLike<number>, options: GoalpostOptions = {}): Goalpost {
  const { lowerPercentile, upperPercentile } = { ...DEFAULT_GOALPOST_OPTIONS, ...options };
  const finite = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  const n = finite.length;
  if (n === 0) return { lo: 0, hi: 0, mean: 0, sd: 0, n: 0 };
  const lo = quantileSorted(finite, lowerPercentile);
  let hi = quantileSorted(finite, upperPercentile);
  if (hi - lo <= 1e-12) hi = finite[n - 1]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += clamp(finite[i]!, lo, hi);
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (clamp(finite[i]!, lo, hi) - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { lo, hi, mean, sd, n };
}

/**
 * Min–max onto [0, 100] with the direction flipped so that 100 is always best:
 *   positive: y = 100 (x − lo) / (hi − lo);  negative: y = 100 (hi − x) / (hi − lo); clamped.
 * Degenerate goalposts (hi = lo: the indicator never varied in the baseline) give 50, neutral.
 */
export function normaliseMinMax(x: number, goalpost: Goalpost, direction: Direction): number {
  const range = goalpost.hi - goalpost.lo;
  if (!(range > 1e-12)) return 50;
  const y = direction === 'positive' ? (x - goalpost.lo) / range : (goalpost.hi - x) / range;
  return clamp(100 * y, 0, 100);
}

/**
 * z-score against the baseline, direction-flipped, mapped onto [0, 100] as 50 + (50/3)·z so
 * that ±3 baseline standard deviations span the scale (clamped beyond). Zero sd → 50.
 */
export function normaliseZScore(x: number, goalpost: Goalpost, direction: Direction): number {
  if (!(goalpost.sd > 1e-12)) return 50;
  const z = (x - goalpost.mean) / goalpost.sd;
  return clamp(50 + (50 / 3) * (direction === 'positive' ? z : -z), 0, 100);
}

export function normalise(x: number, goalpost: Goalpost, direction: Direction, method: NormalisationMethod): number {
  return method === 'minmax' ? normaliseMinMax(x, goalpost, direction) : normaliseZScore(x, goalpost, direction);
}
