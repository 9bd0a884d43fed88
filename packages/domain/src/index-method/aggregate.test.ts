import { describe, expect, it } from 'vitest';
import { aggregateRow, bandOf, periodChange, previousMonth, sameMonthLastYear, weightedArithmetic, weightedGeometric } from './aggregate.ts';
import { INDICATORS } from './indicators.ts';
import { DEFAULT_WEIGHTS, withinPillarWeights } from './weights.ts';

describe('aggregation', () => {
  it('computes weighted arithmetic and geometric means by hand', () => {
    // 0.75·80 + 0.25·40 = 70
    expect(weightedArithmetic([80, 40], [0.75, 0.25])).toBeCloseTo(70, 12);
    // exp(0.75·ln 80 + 0.25·ln 40) = exp(3.286520 + 0.922220) = exp(4.208740) = 67.2717
    expect(weightedGeometric([80, 40], [0.75, 0.25])).toBeCloseTo(67.2717, 4);
    // a zero is floored at 1: sqrt(1 · 100) = 10
    expect(weightedGeometric([0, 100], [0.5, 0.5])).toBeCloseTo(10, 12);
  });
  it('aggregates indicators to pillars and pillars to the score', () => {
    const within = withinPillarWeights(DEFAULT_WEIGHTS);
    const flat = aggregateRow(new Array(INDICATORS.length).fill(50), within, DEFAULT_WEIGHTS.pillars, 'geometric');
    expect(flat.score).toBeCloseTo(50, 10);
    expect(flat.pillarScores.hotline_demand).toBeCloseTo(50, 10);
    // Service pillar at 100, everything else at 0 → arithmetic score = pillar weight 0.25 · 100 = 25.
    const row = INDICATORS.map((indicator) => (indicator.pillar === 'service_performance' ? 100 : 0));
    const arithmetic = aggregateRow(row, within, DEFAULT_WEIGHTS.pillars, 'arithmetic');
    expect(arithmetic.score).toBeCloseTo(25, 10);
    expect(arithmetic.pillarScores.service_performance).toBeCloseTo(100, 10);
    expect(arithmetic.pillarScores.police_incidents).toBe(0);
    // Geometric with floor 1: exp(0.75·ln 1 + 0.25·ln 100) = 100^0.25 = 3.1623
    expect(aggregateRow(row, within, DEFAULT_WEIGHTS.pillars, 'geometric').score).toBeCloseTo(Math.sqrt(10), 10);
  });
});

describe('bands and period changes', () => {
  it('bands scores at 85 / 70 / 55 / 40', () => {
    expect(bandOf(100)).toBe('excellent');
    expect(bandOf(85)).toBe('excellent');
    expect(bandOf(84.99)).toBe('good');
    expect(bandOf(55)).toBe('fair');
    expect(bandOf(40)).toBe('poor');
    expect(bandOf(39.9)).toBe('alert');
  });
  it('computes month-on-month and year-on-year', () => {
    expect(previousMonth('2024-01')).toBe('2023-12');
    expect(previousMonth('2024-10')).toBe('2024-09');
    expect(sameMonthLastYear('2024-03')).toBe('2023-03');
    expect(() => previousMonth('2024-13')).toThrow(RangeError);
    expect(periodChange(72, 80)).toEqual({ delta: -8, relative: -0.1 });
    expect(periodChange(72, null)).toEqual({ delta: null, relative: null });
    expect(periodChange(5, 0)).toEqual({ delta: 5, relative: null });
  });
});
