import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import { fitCamera } from './camera.ts';
import type { BBox } from './geo-utils.ts';

const CHENGDU: BBox = [102.99, 30.09, 104.9, 31.44];

describe('fitCamera', () => {
  it('fits the bounds inside the map with the padding, centred', () => {
    const camera = fitCamera(CHENGDU, 800, 600, 28)!;
    const viewport = new WebMercatorViewport({ width: 800, height: 600, ...camera });
    const [westX = NaN, northY = NaN] = viewport.project([CHENGDU[0], CHENGDU[3]]);
    const [eastX = NaN, southY = NaN] = viewport.project([CHENGDU[2], CHENGDU[1]]);
    // Inside the padded box …
    expect(westX).toBeGreaterThanOrEqual(28 - 0.5);
    expect(eastX).toBeLessThanOrEqual(800 - 28 + 0.5);
    expect(northY).toBeGreaterThanOrEqual(28 - 0.5);
    expect(southY).toBeLessThanOrEqual(600 - 28 + 0.5);
    // … touching it on the constraining side (Chengdu is wider than tall at this aspect).
    expect(Math.min(westX - 28, 800 - 28 - eastX, northY - 28, 600 - 28 - southY)).toBeLessThan(1);
    expect(camera.pitch).toBe(0);
    expect(camera.bearing).toBe(0);
  });

  it('zooms in further for a smaller unit', () => {
    const city = fitCamera(CHENGDU, 800, 600)!;
    const street = fitCamera([104.05, 30.62, 104.1, 30.66], 800, 600)!;
    expect(street.zoom).toBeGreaterThan(city.zoom + 3);
  });

  it('waits for a laid-out map and shrinks the padding on a tiny one', () => {
    expect(fitCamera(CHENGDU, 0, 600)).toBeNull();
    const tiny = fitCamera(CHENGDU, 60, 40, 28)!;
    expect(Number.isFinite(tiny.zoom)).toBe(true);
    const viewport = new WebMercatorViewport({ width: 60, height: 40, ...tiny });
    const [westX = NaN] = viewport.project([CHENGDU[0], CHENGDU[3]]);
    expect(westX).toBeGreaterThanOrEqual(0);
  });
});
