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
  const sorted = Float64Array.from(Array.prototype.filter.call(pValues, (p: number) => Number.isFinite(p)) as number[]).sort();
  const m = sorted.length;
  for (let k = m; k >= 1; k--) {
    if (sorted[k - 1]! <= (k * alpha) / m) return sorted[k - 1]!;
  }
  return 0;
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
