/**
 * Seeded pseudo-random numbers for the TypeScript side of the generator (plans, patterns).
 * Per-event randomness happens in SQL with DuckDB's hash(); see insert-events.ts.
 */
import { createRandom, type Random } from '@cityops/domain';

export type Rng = Random;

/** mulberry32 (the domain's seeded generator): deterministic for a seed. */
export const createRng: (seed: number) => Rng = createRandom;

/** Derives an independent stream for a named purpose, so adding a draw elsewhere changes nothing here. */
export function deriveRng(seed: number, purpose: string): Rng {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < purpose.length; i += 1) h = Math.imul(h ^ purpose.charCodeAt(i), 16777619);
  return createRng(h >>> 0);
}

export function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Poisson draw: Knuth's product method for small means, a rounded normal for large ones. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = rng();
  while (product > limit) {
    k += 1;
    product *= rng();
  }
  return k;
}

export function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

/** Index drawn with probability proportional to its weight. */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let target = rng() * total;
  for (let i = 0; i < weights.length; i += 1) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/**
 * Splits `slots` integer slots among weights by the largest-remainder method, giving every
 * positive weight at least one slot (used for the SQL sampling tables).
 */
export function apportionSlots(weights: readonly number[], slots: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const positive = weights.filter((w) => w > 0).length;
  if (total <= 0 || positive === 0) return weights.map(() => 0);
  const spare = Math.max(0, slots - positive);
  const exact = weights.map((w) => (w > 0 ? (w / total) * spare : 0));
  const counts = exact.map((x, i) => (weights[i]! > 0 ? 1 : 0) + Math.floor(x));
  let left = slots - counts.reduce((sum, c) => sum + c, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0 && k < order.length; k += 1, left -= 1) counts[order[k]![1]]! += 1;
  return counts;
}
