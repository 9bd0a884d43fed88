/*
 * deck.gl's canvas gets its drawing-buffer size before deck draws into it (map-view.tsx): luma.gl
 * would otherwise draw the first frame into the canvas' default 300×150 buffer and resize it at
 * the next frame, and under SwiftShader (software WebGL) setting canvas.width waits for the GPU
 * process to finish every frame before it: 3–10 s measured on the district hub's first screen.
 */
/**
 * The drawing-buffer size luma.gl gives deck's canvas (CanvasSurface, `pixelSizeSource: 'exact'`):
 * the device-pixel content box, or with a numeric pixel ratio the CSS size times that ratio,
 * floored. Null while the canvas has no size (not laid out yet).
 */
export function deckCanvasSize(entry: Pick<ResizeObserverEntry, 'contentBoxSize' | 'devicePixelContentBoxSize'> | undefined, pixelRatio: number | undefined): { width: number; height: number } | null {
  const css = entry?.contentBoxSize?.[0];
  if (!entry || !css || css.inlineSize < 1 || css.blockSize < 1) return null;
  if (pixelRatio) return { width: Math.floor(css.inlineSize * pixelRatio), height: Math.floor(css.blockSize * pixelRatio) };
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  const device = entry.devicePixelContentBoxSize?.[0];
  return { width: Math.floor(device?.inlineSize || css.inlineSize * dpr), height: Math.floor(device?.blockSize || css.blockSize * dpr) };
}

/** Observes the device-pixel content box where the browser has it. */
export function observeDevicePixels(observer: ResizeObserver, target: Element): void {
  try {
    observer.observe(target, { box: 'device-pixel-content-box' });
  } catch {
    observer.observe(target); // browsers without device-pixel boxes (luma falls back the same way)
  }
}
