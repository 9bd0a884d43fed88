import { describe, expect, it } from 'vitest';
import { apportionLargestRemainder } from './apportion.ts';

describe('apportionLargestRemainder', () => {
  it('sums exactly to the total and stays proportional', () => {
    const parts = apportionLargestRemainder(100, [1, 1, 1]);
    expect(parts).toEqual([34, 33, 33]);
    expect(apportionLargestRemainder(10, [0.5, 0.25, 0.25])).toEqual([5, 3, 2]);
    const big = apportionLargestRemainder(20_937_757, [3, 7, 11, 13, 17]);
    expect(big.reduce((a, b) => a + b, 0)).toBe(20_937_757);
  });

  it('gives the extra units to the largest remainders, ties to the lower index', () => {
    expect(apportionLargestRemainder(7, [1, 2, 1])).toEqual([2, 3, 2]);
    expect(apportionLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  it('rejects impossible inputs', () => {
    expect(() => apportionLargestRemainder(5, [])).toThrow();
    expect(() => apportionLargestRemainder(5, [0, 0])).toThrow();
    expect(() => apportionLargestRemainder(1.5, [1])).toThrow();
    expect(apportionLargestRemainder(0, [])).toEqual([]);
  });
});
