import { describe, expect, it } from 'vitest';
import { computeStageFit } from './stage-fit.ts';

describe('computeStageFit', () => {
  it('is identity at the design size', () => {
    expect(computeStageFit(1920, 1080)).toEqual({ width: 1920, height: 1080, scale: 1, offsetX: 0, offsetY: 0 });
    expect(computeStageFit(1920, 1080, 1920, 1080, true)).toEqual({ width: 1920, height: 1080, scale: 1, offsetX: 0, offsetY: 0 });
  });
  it('doubles on 4K', () => {
    expect(computeStageFit(3840, 2160)).toEqual({ width: 1920, height: 1080, scale: 2, offsetX: 0, offsetY: 0 });
    expect(computeStageFit(3840, 2160, 1920, 1080, true)).toEqual({ width: 1920, height: 1080, scale: 2, offsetX: 0, offsetY: 0 });
  });
  it('letterboxes a wide splice wall uniformly', () => {
    const fit = computeStageFit(6656, 1792);
    expect(fit.width).toBe(1920);
    expect(fit.scale).toBeCloseTo(1792 / 1080);
    expect(fit.offsetY).toBe(0);
    expect(fit.offsetX).toBeCloseTo((6656 - 1920 * fit.scale) / 2);
  });
  it('widens the stage to fill a wide splice wall, at the same uniform scale', () => {
    const fit = computeStageFit(6656, 1792, 1920, 1080, true);
    expect(fit.scale).toBeCloseTo(1792 / 1080);
    expect(fit.height).toBe(1080);
    expect(fit.width).toBe(Math.floor(6656 / (1792 / 1080)));
    expect(fit.width * fit.scale).toBeLessThanOrEqual(6656);
    expect(fit.width * fit.scale).toBeGreaterThan(6656 - fit.scale);
    expect(fit.offsetY).toBe(0);
  });
  it('still letterboxes a viewport taller than the design when widening', () => {
    const fit = computeStageFit(1920, 1440, 1920, 1080, true);
    expect(fit).toEqual({ width: 1920, height: 1080, scale: 1, offsetX: 0, offsetY: 180 });
  });
});
