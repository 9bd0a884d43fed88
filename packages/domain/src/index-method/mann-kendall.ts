import { twoSidedP } from './stats.ts';

/**
 * Mann–Kendall trend test (Mann 1945; Kendall 1975), as Esri's Emerging Hot Spot Analysis
 * applies it to each location's Gi* z-score series.
 *   S = Σ_{i<j} sign(xⱼ − xᵢ)
 *   Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18   (t_g = size of tie group g)
 *   Z = (S − 1)/√Var if S > 0,  (S + 1)/√Var if S < 0,  0 otherwise (continuity correction)
 */
export interface MannKendallResult {
  s: number;
  variance: number;
  z: number;
  p: number;
  /** Direction at the given α: 'up', 'down' or 'none'. */
  trend: 'up' | 'down' | 'none';
}

export function mannKendall(series: ArrayLike<number>, alpha = 0.05): MannKendallResult {
  const n = series.length;
  // One pass over the pairs gives S and the tie groups; a group is counted at its first member
  // (equal values as a Map key would group them: NaN with NaN). It runs once per hexagon of an
  // emerging-hotspot map (~20,000 short series), so it allocates nothing.
  let s = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; i++) {
    const x = series[i]!;
    let first = true;
    for (let j = 0; j < i && first; j++) first = !sameValue(series[j]!, x);
    let t = 1;
    for (let j = i + 1; j < n; j++) {
      const y = series[j]!;
      const d = y - x;
      if (d > 0) s += 1;
      else if (d < 0) s -= 1;
      else {
        if (d !== d) s = Number.NaN; // Math.sign(NaN): a NaN in the series makes S NaN
        if (sameValue(y, x)) t += 1;
      }
    }
    if (first) tieTerm += t * (t - 1) * (2 * t + 5);
  }
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance > 0 ? (s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0) : 0;
  const p = twoSidedP(z);
  return { s, variance, z, p, trend: p < alpha ? (z > 0 ? 'up' : 'down') : 'none' };
}

/** Equality of Map keys (SameValueZero): NaN equals NaN, +0 equals −0. */
function sameValue(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}
