/**
 * Empirical-Bayes smoothing of rates for small populations.
 *
 * A grid of 300 residents with 2 petitions has a "rate" of 66.7 per 10,000 — mostly noise.
 * Marshall's global EB estimator (Marshall 1991, "Mapping disease and mortality rates using
 * empirical Bayes estimators", Applied Statistics 40:283–294) shrinks each unit's rate toward
 * the pooled rate of its level, the more so the smaller its population:
 *
 *   m  = Σ xᵢ / Σ nᵢ                                   (pooled rate)
 *   s² = Σ nᵢ (rᵢ − m)² / Σ nᵢ − m / n̄,   n̄ = Σ nᵢ / k   (between-unit variance; < 0 → 0)
 *   Cᵢ = s² / (s² + m / nᵢ)                             (credibility, 0…1)
 *   θᵢ = m + Cᵢ (rᵢ − m)
 *
 * This is the estimator GeoDa calls "Empirical Bayes" and PySAL `esda.smoothing.Empirical_Bayes`.
 */

export interface EbResult {
  /** Smoothed rates θᵢ, scaled by `per`. */
  rates: Float64Array;
  /** Crude rates xᵢ / nᵢ, scaled by `per` (NaN when nᵢ = 0). */
  crude: Float64Array;
  /** Credibility weights Cᵢ (1 = crude rate kept, 0 = pooled rate). */
  credibility: Float64Array;
  /** Pooled rate m, scaled by `per`. */
  pooledRate: number;
  /** Between-unit variance s² of the per-person rate (unscaled). */
  variance: number;
}

/**
 * Marshall's global empirical-Bayes rates. Units with population 0 get the pooled rate
 * (they carry no information of their own); they do not enter m, s² or n̄.
 */
export function empiricalBayesRates(counts: ArrayLike<number>, populations: ArrayLike<number>, per = 10_000): EbResult {
  const k = counts.length;
  if (populations.length !== k) throw new RangeError('counts and populations differ in length');
  let sumX = 0;
  let sumN = 0;
  let units = 0;
  for (let i = 0; i < k; i++) {
    const n = populations[i]!;
    if (n > 0) {
      sumX += counts[i]!;
      sumN += n;
      units++;
    }
  }
  const rates = new Float64Array(k);
  const crude = new Float64Array(k);
  const credibility = new Float64Array(k);
  const m = sumN > 0 ? sumX / sumN : 0;
  let weightedSs = 0;
  for (let i = 0; i < k; i++) {
    const n = populations[i]!;
    if (n > 0) weightedSs += n * (counts[i]! / n - m) ** 2;
  }
  const meanPopulation = units > 0 ? sumN / units : 0;
  const variance = units > 0 ? Math.max(0, weightedSs / sumN - m / meanPopulation) : 0;
  for (let i = 0; i < k; i++) {
    const n = populations[i]!;
    if (!(n > 0)) {
      crude[i] = Number.NaN;
      credibility[i] = 0;
      rates[i] = m * per;
      continue;
    }
    const r = counts[i]! / n;
    // m = 0 means no events anywhere: every rate is 0 and there is nothing to shrink.
    const c = m === 0 ? 1 : variance / (variance + m / n);
    crude[i] = r * per;
    credibility[i] = c;
    rates[i] = (m + c * (r - m)) * per;
  }
  return { rates, crude, credibility, pooledRate: m * per, variance };
}

/** Crude rates per `per` residents, for when smoothing is switched off (population 0 → 0). */
export function crudeRates(counts: ArrayLike<number>, populations: ArrayLike<number>, per = 10_000): Float64Array {
  const rates = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const n = populations[i]!;
    rates[i] = n > 0 ? (counts[i]! / n) * per : 0;
  }
  return rates;
}

/**
 * Shrinkage of proportions (service rates) toward the level's pooled proportion:
 * p̃ᵢ = (xᵢ + a·p₀) / (nᵢ + a), i.e. the posterior mean under a Beta(a·p₀, a·(1−p₀)) prior
 * with a fixed prior strength of `a` pseudo-cases. A unit with 3 cases all closed does not
 * score a perfect 100 %, and a unit with no cases (nᵢ = 0) gets p₀ — which doubles as the
 * imputation rule for a missing service rate (OECD/JRC step 3).
 * Returns proportions in [0, 1]; when no unit has a denominator, `fallback` is used for all.
 */
export function shrinkProportions(
  numerators: ArrayLike<number>,
  denominators: ArrayLike<number>,
  priorStrength: number,
  fallback: number,
): Float64Array {
  const k = numerators.length;
  let sumX = 0;
  let sumN = 0;
  for (let i = 0; i < k; i++) {
    sumX += numerators[i]!;
    sumN += denominators[i]!;
  }
  const p0 = sumN > 0 ? sumX / sumN : fallback;
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const n = denominators[i]!;
    const denominator = n + priorStrength;
    out[i] = denominator > 0 ? (numerators[i]! + priorStrength * p0) / denominator : p0;
  }
  return out;
}
