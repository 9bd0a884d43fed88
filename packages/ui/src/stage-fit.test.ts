import { describe, expect, it } from 'vitest';
import { computeStageFit } from './stage-fit.ts';

describe('computeStageFit', () => {
  it('is identity at the design size', () => {
    expect(computeStageFit(1920, 1080)).toEqual({ scale: 1, offsetX: 0, offsetY: 0 });
  });
  it('doubles on 4K', () => {
    expect(computeStageFit(3840, 2160)).toEqual({ scale: 2, offsetX: 0, offsetY: 0 });
  });
  it('letterboxes a wide splice wall uniformly', () => {
    const fit = computeStageFit(6656, 1792);
    expect(fit.scale).toBeCloseTo(1792 / 1080);
    expect(fit.offsetY).toBe(0);
    expect(fit.offsetX).toBeCloseTo((6656 - 1920 * fit.scale) / 2);
  });
});
