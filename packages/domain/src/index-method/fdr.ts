/**
 * Benjamini–Hochberg false discovery rate control (Benjamini & Hochberg 1995, JRSS B 57:289–300).
 * Testing thousands of hexagons at α = 0.05 would flag ~5 % of a quiet map by chance; BH keeps
 * the expected share of false discoveries among the flagged cells at most α instead.
 * Esri's Hot Spot Analysis applies the same correction per confidence level.
 */

/**
 * The BH critical p-value: the largest p₍ₖ₎ with p₍ₖ₎ ≤ k·α/m (sorted ascending, m tests);
 * p-values ≤ it are significant. Returns 0 when none qualifies (nothing significant).
 */
export function benjaminiHochbergThreshold(pValues: ArrayLike<number>, alpha: number): number {
  return benjaminiHochbergThresholds(pValues, [alpha])[0]!;
}

/**
 * The BH critical p-values of several levels α at once (what a hotspot map needs for its
 * 90 / 95 / 99 % bins); each equals `benjaminiHochbergThreshold(p, α)`. Only p ≤ max α can
 * qualify (p₍ₖ₎ ≤ kα/m ≤ α), and every p below a candidate is itself a candidate, so a
 * candidate's rank among the candidates is its rank among all m tests: sorting the few
 * candidates is enough (a quiet map of 20,000 cells has a few hundred).
 */
export function benjaminiHochbergThresholds(pValues: ArrayLike<number>, alphas: readonly number[]): number[] {
  const ceiling = Math.max(0, ...alphas);
  const candidates: number[] = [];
  let m = 0; // finite p-values: NaN never counts as a test
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (!Number.isFinite(p)) continue;
    m++;
    if (p <= ceiling) candidates.push(p);
  }
  const sorted = Float64Array.from(candidates).sort();
  return alphas.map((alpha) => {
    for (let k = sorted.length; k >= 1; k--) {
      if (sorted[k - 1]! <= (k * alpha) / m) return sorted[k - 1]!;
    }
    return 0;
  });
}

/** Which tests are discoveries at FDR level α (NaN p-values never are). */
export function benjaminiHochberg(pValues: ArrayLike<number>, alpha: number): boolean[] {
  const threshold = benjaminiHochbergThreshold(pValues, alpha);
  return Array.from(pValues as ArrayLike<number>, (p) => Number.isFinite(p) && threshold > 0 && p <= threshold);
}

/**
 * BH-adjusted p-values (q-values): q₍ₖ₎ = min over j ≥ k of min(1, m·p₍ⱼ₎/j), in input order;
 * a test is a discovery at level α exactly when q ≤ α (same as R's p.adjust(method = "BH")).
 */
export function benjaminiHochbergAdjust(pValues: ArrayLike<number>): Float64Array {
  const m = pValues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Float64Array(m);
  let running = 1;
  for (let k = m; k >= 1; k--) {
    const i = order[k - 1]!;
    running = Math.min(running, (m * pValues[i]!) / k);
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
