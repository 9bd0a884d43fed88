import { describe, expect, it } from 'vitest';
import { goalpostFromBaseline, normaliseMinMax, normaliseZScore, winsorise } from './normalise.ts';
import { quantile } from './stats.ts';

describe('fixed-goalpost normalisation', () => {
  // Baseline 0, 1, …, 100 (101 values): type-7 P1 = 1, P99 = 99.
  const baseline = Array.from({ length: 101 }, (_, i) => i);
  const post = goalpostFromBaseline(baseline);
  it('takes the goalposts at the 1st and 99th percentiles', () => {
    expect(post.lo).toBe(1);
    expect(post.hi).toBe(99);
    expect(post.n).toBe(101);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
  it('maps min–max onto 0–100, flips negative indicators, clamps outside values', () => {
    // positive: 100·(50 − 1)/98 = 50;  25 → 100·24/98 = 24.4898
    expect(normaliseMinMax(50, post, 'positive')).toBeCloseTo(50, 12);
    expect(normaliseMinMax(25, post, 'positive')).toBeCloseTo(24.4898, 4);
    expect(normaliseMinMax(25, post, 'negative')).toBeCloseTo(75.5102, 4);
    expect(normaliseMinMax(500, post, 'negative')).toBe(0);
    expect(normaliseMinMax(-3, post, 'negative')).toBe(100);
  });
  it('is neutral on degenerate goalposts and falls back to the maximum when percentiles coincide', () => {
    expect(normaliseMinMax(3, goalpostFromBaseline([0, 0, 0]), 'negative')).toBe(50);
    // 200 zeros and one 8: P1 = P99 = 0 → hi = max = 8;  x = 2 → 100·(8 − 2)/8 = 75
    const rare = goalpostFromBaseline([...Array(200).fill(0), 8]);
    expect(rare.hi).toBe(8);
    expect(normaliseMinMax(2, rare, 'negative')).toBe(75);
  });
  it('winsorises and z-scores against the winsorised baseline', () => {
    expect(Array.from(winsorise([-5, 3, 200], 0, 100))).toEqual([0, 3, 100]);
    // baseline [2, 4, 6, 8] with percentiles 0/1 (no winsorising): mean 5, sd = sqrt(20/3) = 2.581989
    const z = goalpostFromBaseline([2, 4, 6, 8], { lowerPercentile: 0, upperPercentile: 1 });
    expect(z.mean).toBe(5);
    expect(z.sd).toBeCloseTo(2.581989, 6);
    // x = 7.581989 is +1 sd → 50 + 50/3 = 66.667 (positive), 33.333 (negative)
    expect(normaliseZScore(7.581989, z, 'positive')).toBeCloseTo(66.6667, 3);
    expect(normaliseZScore(7.581989, z, 'negative')).toBeCloseTo(33.3333, 3);
    expect(normaliseZScore(1000, z, 'positive')).toBe(100);
  });
});
