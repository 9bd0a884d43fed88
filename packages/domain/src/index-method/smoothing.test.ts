import { describe, expect, it } from 'vitest';
import { crudeRates, empiricalBayesRates, shrinkProportions } from './smoothing.ts';

describe("Marshall's global empirical-Bayes rates", () => {
  it('matches a hand computation', () => {
    // x = [2, 10, 0, 90] events, n = [1000, 5000, 100, 10000] residents.
    // m  = 102 / 16100 = 0.0063354037 (63.354 per 10,000)
    // rᵢ = [0.002, 0.002, 0, 0.009]
    // Σ nᵢ(rᵢ−m)² = 1000·0.0043354² + 5000·0.0043354² + 100·0.0063354² + 10000·0.0026646²
    //             = 0.0187958 + 0.0939792 + 0.0040137 + 0.0710001 = 0.1877888
    // ÷ Σn = 1.16639e-5;  n̄ = 16100/4 = 4025;  m/n̄ = 1.57401e-6;  s² = 1.008989e-5
    // Cᵢ = s²/(s² + m/nᵢ): C₁ = 1.008989e-5/(1.008989e-5 + 6.33540e-6) = 0.614290
    //   C₂ = 1.008989e-5/(1.008989e-5 + 1.26708e-6) = 0.888431,  C₃ = …/(… + 6.33540e-5) = 0.137382,
    //   C₄ = …/(… + 6.33540e-7) = 0.940920
    // θ₁ = (0.0063354 + 0.614290·(0.002 − 0.0063354))·1e4 = 36.7221
    // θ₂ = 24.8369, θ₃ = (0.0063354·(1 − 0.137382))·1e4 = 54.6503, θ₄ = 88.4258
    const result = empiricalBayesRates([2, 10, 0, 90], [1000, 5000, 100, 10000]);
    expect(result.pooledRate).toBeCloseTo(63.35404, 4);
    expect(result.variance).toBeCloseTo(1.008989e-5, 10);
    expect(Array.from(result.credibility)).toEqual([0.614290, 0.888431, 0.137382, 0.940920].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(result.rates)).toEqual([36.7221, 24.8369, 54.6503, 88.4258].map((v) => expect.closeTo(v, 3)));
    expect(Array.from(result.crude)).toEqual([20, 20, 0, 90]);
  });
  it('shrinks everything to the pooled rate when the between-unit variance is not positive', () => {
    // m = 42/16100; Σn(r−m)²/Σn = 2.7545e-7 < m/n̄ = 6.4812e-7 → s² = 0 → every θ = m.
    const { rates, variance } = empiricalBayesRates([2, 10, 0, 30], [1000, 5000, 100, 10000]);
    expect(variance).toBe(0);
    for (const rate of rates) expect(rate).toBeCloseTo((42 / 16100) * 1e4, 9);
  });
  it('gives a unit without residents the pooled rate and handles an all-zero column', () => {
    const { rates } = empiricalBayesRates([5, 0, 7], [1000, 0, 2000]);
    expect(rates[1]).toBeCloseTo((12 / 3000) * 1e4, 9);
    expect(Array.from(empiricalBayesRates([0, 0], [10, 20]).rates)).toEqual([0, 0]);
    expect(Array.from(crudeRates([1, 1], [100, 0]))).toEqual([100, 0]);
  });
  it('leaves large units nearly untouched', () => {
    // m = 1.275e-3, s² ≈ 6.09e-8, m/nᵢ ≈ 1.3e-9 or 6.4e-10 → Cᵢ ≈ 0.979 … 0.990
    const { credibility } = empiricalBayesRates([900, 1200, 3000], [1e6, 1e6, 2e6]);
    for (const c of credibility) expect(c).toBeGreaterThan(0.97);
  });
});

describe('shrinkage of service rates', () => {
  it('pulls small denominators toward the pooled proportion', () => {
    // p₀ = (3 + 80)/(3 + 100) = 0.805825; a = 10
    // unit 1: (3 + 8.05825)/(3 + 10) = 0.850635;  unit 2: (80 + 8.05825)/110 = 0.800530;  unit 3 (no cases): p₀
    const shares = shrinkProportions([3, 80, 0], [3, 100, 0], 10, 0.5);
    expect(shares[0]).toBeCloseTo(0.850635, 6);
    expect(shares[1]).toBeCloseTo(0.80053, 5);
    expect(shares[2]).toBeCloseTo(0.805825, 6);
    expect(Array.from(shrinkProportions([0], [0], 10, 0.5))).toEqual([0.5]);
  });
});
