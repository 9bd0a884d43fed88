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
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(series[j]! - series[i]!);
  }
  const ties = new Map<number, number>();
  for (let i = 0; i < n; i++) ties.set(series[i]!, (ties.get(series[i]!) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance > 0 ? (s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0) : 0;
  const p = twoSidedP(z);
  return { s, variance, z, p, trend: p < alpha ? (z > 0 ? 'up' : 'down') : 'none' };
}
