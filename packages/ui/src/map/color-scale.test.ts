import { describe, expect, it } from 'vitest';
import { buildQuantileScale, legendEntries, roundSignificant } from './color-scale.ts';
import type { Rgb } from '../theme.ts';

const RAMP: Rgb[] = [
  [0, 0, 0],
  [1, 1, 1],
  [2, 2, 2],
  [3, 3, 3],
  [4, 4, 4],
];

describe('buildQuantileScale', () => {
  it('puts about the same number of values in each class', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const scale = buildQuantileScale(values, RAMP);
    expect(scale.breaks).toEqual([5, 9, 13, 17]);
    const counts = new Map<string, number>();
    for (const v of values) {
      const key = String(scale.colorOf(v));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([4, 4, 4, 4, 4]);
  });

  it('collapses classes when values repeat and still uses both ramp ends', () => {
    const scale = buildQuantileScale([3, 3, 3, 7], RAMP);
    expect(scale.breaks).toEqual([7]);
    expect(scale.colorOf(3)).toEqual([0, 0, 0]);
    expect(scale.colorOf(7)).toEqual([4, 4, 4]);
  });

  it('paints a single class (one unit, or all equal) in the middle of the ramp, neither hot nor cold', () => {
    expect(buildQuantileScale([0], RAMP).colorOf(0)).toEqual([2, 2, 2]);
    expect(buildQuantileScale([5, 5, 5], RAMP).colorOf(5)).toEqual([2, 2, 2]);
  });

  it('returns null for missing values', () => {
    const scale = buildQuantileScale([1, 2], RAMP);
    expect(scale.colorOf(undefined)).toBeNull();
    expect(scale.colorOf(Number.NaN)).toBeNull();
  });

  it('handles an empty input', () => {
    const scale = buildQuantileScale([], RAMP);
    expect(scale.breaks).toEqual([]);
    expect(legendEntries(scale, String)).toHaveLength(1);
  });
});

describe('legendEntries', () => {
  it('labels open-ended first and last classes', () => {
    const scale = buildQuantileScale([1, 2, 3, 4], RAMP.slice(0, 2));
    expect(legendEntries(scale, String).map((e) => e.label)).toEqual(['< 3', '≥ 3']);
  });
  it('labels a single class with its value (one unit, or all equal), and "—" with no value', () => {
    expect(legendEntries(buildQuantileScale([0], RAMP), (v) => v.toFixed(1)).map((e) => e.label)).toEqual(['0.0']);
    expect(legendEntries(buildQuantileScale([7, 7], RAMP), String).map((e) => e.label)).toEqual(['7']);
    expect(legendEntries(buildQuantileScale([], RAMP), String).map((e) => e.label)).toEqual(['—']);
  });
});

describe('roundSignificant', () => {
  it('rounds to significant digits', () => {
    expect(roundSignificant(12345, 2)).toBe(12000);
    expect(roundSignificant(0.01234, 2)).toBe(0.012);
  });
});
