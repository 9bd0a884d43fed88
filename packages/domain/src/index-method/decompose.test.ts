import { describe, expect, it } from 'vitest';
import { decomposeScoreChange, logMean, roundPreservingSum } from './decompose.ts';
import { INDICATORS, indicatorIndex } from './indicators.ts';
import { createRandom } from './random.ts';
import { DEFAULT_WEIGHTS } from './weights.ts';

const K = INDICATORS.length;

describe('decomposition of a score change', () => {
  it('arithmetic: contribution = effective weight × Δ normalised value', () => {
    const before = new Array(K).fill(50);
    const after = [...before];
    after[indicatorIndex('petition.housing')] = 70; // e = 0.3 · 1/16 = 0.01875 → +0.375
    after[indicatorIndex('satisfaction_rate')] = 30; // e = 0.25 · 0.25 = 0.0625 → −1.25
    const d = decomposeScoreChange(before, after, DEFAULT_WEIGHTS, 'arithmetic');
    expect(d.change).toBeCloseTo(-0.875, 12);
    expect(d.indicators[indicatorIndex('petition.housing')]!.contribution).toBeCloseTo(0.375, 12);
    expect(d.pillars.petition_pressure).toBeCloseTo(0.375, 12);
    expect(d.pillars.service_performance).toBeCloseTo(-1.25, 12);
    expect(d.items.housing).toBeCloseTo(0.375, 12);
    expect(d.items.process).toBeCloseTo(-1.25, 12);
  });
  it('geometric: log-mean Divisia attribution by hand', () => {
    // e(petition.housing) = 0.01875: 50 → 100;  e(response_rate) = 0.25·0.2 = 0.05: 50 → 25.
    // S₀ = 50;  S₁ = 50 · 2^(0.01875 − 0.05) = 50 · 2^(−0.03125) = 48.928603
    // L(S₁, S₀) = (48.928603 − 50)/ln(48.928603/50) = −1.071397/−0.021661 = 49.462368
    // c(housing)  = 49.462368 · 0.01875 · ln 2 = +0.642838
    // c(response) = 49.462368 · 0.05 · ln(1/2) = −1.714235;  sum = −1.071397 = ΔS
    const before = new Array(K).fill(50);
    const after = [...before];
    after[indicatorIndex('petition.housing')] = 100;
    after[indicatorIndex('response_rate')] = 25;
    const d = decomposeScoreChange(before, after, DEFAULT_WEIGHTS, 'geometric');
    expect(d.scoreAfter).toBeCloseTo(48.928603, 6);
    expect(d.indicators[indicatorIndex('petition.housing')]!.contribution).toBeCloseTo(0.642838, 6);
    expect(d.indicators[indicatorIndex('response_rate')]!.contribution).toBeCloseTo(-1.714235, 6);
    expect(d.change).toBeCloseTo(-1.071397, 6);
    expect(logMean(3, 3)).toBe(3);
  });
  it('sums exactly to the change for random inputs (both aggregations, all three groupings)', () => {
    const random = createRandom(20240601);
    for (let trial = 0; trial < 500; trial++) {
      const before = Array.from({ length: K }, () => (random() < 0.1 ? 0 : random() * 100));
      const after = Array.from({ length: K }, () => (random() < 0.1 ? 0 : random() * 100));
      for (const method of ['arithmetic', 'geometric'] as const) {
        const d = decomposeScoreChange(before, after, DEFAULT_WEIGHTS, method);
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        const tolerance = 1e-10 * Math.max(1, Math.abs(d.scoreAfter));
        expect(Math.abs(sum(d.indicators.map((c) => c.contribution)) - d.change)).toBeLessThan(tolerance);
        expect(Math.abs(sum(Object.values(d.pillars)) - d.change)).toBeLessThan(tolerance);
        expect(Math.abs(sum(Object.values(d.items) as number[]) - d.change)).toBeLessThan(tolerance);
      }
    }
  });
  it('rounds contributions for print so they still add up', () => {
    expect(roundPreservingSum([0.333, 0.333, 0.334])).toEqual([0.33, 0.33, 0.34]);
    const values = [0.125, 0.125, 0.125, -0.375];
    expect(roundPreservingSum(values).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });
});
