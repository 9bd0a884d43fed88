/**
 * Seeded pseudo-random numbers, so that Monte Carlo results and test fixtures are
 * reproducible byte for byte (a published month's rank intervals must not change on re-run).
 */

export type Random = () => number;

/** mulberry32 (Tommy Ettinger): 32-bit state, period 2^32, good enough for simulation. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box–Muller. */
export function normalSample(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via the boost Gamma(a+1)·U^(1/a). */
export function gammaSample(random: Random, shape: number): number {
  if (shape < 1) return gammaSample(random, shape + 1) * Math.pow(random() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalSample(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Dirichlet(α) via normalised gammas. */
export function dirichletSample(random: Random, alpha: readonly number[]): number[] {
  const draws = alpha.map((a) => (a > 0 ? gammaSample(random, a) : 0));
  const total = draws.reduce((sum, value) => sum + value, 0);
  return draws.map((value) => value / total);
}

/** Poisson(λ): Knuth's product method for small λ, normal approximation above 60. */
export function poissonSample(random: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normalSample(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
