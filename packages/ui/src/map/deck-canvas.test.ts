import { describe, expect, it } from 'vitest';
import { deckCanvasSize } from './deck-canvas.ts';

const entry = (css: [number, number], device?: [number, number]) => ({
  contentBoxSize: [{ inlineSize: css[0], blockSize: css[1] }],
  devicePixelContentBoxSize: device ? [{ inlineSize: device[0], blockSize: device[1] }] : [],
});

describe('deckCanvasSize', () => {
  it('takes the device-pixel content box, as luma.gl sizes the drawing buffer', () => {
    expect(deckCanvasSize(entry([1006.4, 777.2], [1006, 777]), undefined)).toEqual({ width: 1006, height: 777 });
    expect(deckCanvasSize(entry([503, 388.5], [1006, 777]), undefined)).toEqual({ width: 1006, height: 777 });
  });

  it('multiplies the CSS size by a numeric pixel ratio (the wall screen’s stage scale), floored', () => {
    expect(deckCanvasSize(entry([898.5, 660.25], [898, 660]), 2)).toEqual({ width: 1797, height: 1320 });
  });

  it('falls back to the CSS size without device-pixel boxes, and waits while the canvas has no size', () => {
    expect(deckCanvasSize(entry([864, 589]), undefined)).toEqual({ width: 864, height: 589 });
    expect(deckCanvasSize(entry([0, 589]), undefined)).toBeNull();
    expect(deckCanvasSize(undefined, undefined)).toBeNull();
  });
});
