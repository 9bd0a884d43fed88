/**
 * How a design stage (e.g. 1920×1080) fits a viewport: always one uniform scale, so text is never
 * stretched. By default the stage keeps its design size and is centred, leaving bars on the long
 * side of a non-16:9 wall. With `widen`, a viewport wider than the design instead gets a wider
 * stage at the design height (a 6656×1792 splice wall: 3714×1080 design pixels at scale 1.66),
 * which the screen's own layout fills; a taller viewport is still letterboxed top and bottom.
 */
export interface StageFit {
  /** Stage size in design pixels. */
  width: number;
  height: number;
  scale: number;
  offsetX: number;
  offsetY: number;
}

export function computeStageFit(
  viewportWidth: number,
  viewportHeight: number,
  stageWidth = 1920,
  stageHeight = 1080,
  widen = false,
): StageFit {
  const scale = Math.min(viewportWidth / stageWidth, viewportHeight / stageHeight);
  const width = widen && viewportWidth / viewportHeight > stageWidth / stageHeight ? Math.floor(viewportWidth / scale) : stageWidth;
  return {
    width,
    height: stageHeight,
    scale,
    offsetX: (viewportWidth - width * scale) / 2,
    offsetY: (viewportHeight - stageHeight * scale) / 2,
  };
}
