/**
 * How a fixed design stage (e.g. 1920×1080) fits a viewport: one uniform scale (text is never
 * stretched) and centred offsets, leaving bars on the long side of a non-16:9 wall.
 */
export function computeStageFit(
  viewportWidth: number,
  viewportHeight: number,
  stageWidth = 1920,
  stageHeight = 1080,
): { scale: number; offsetX: number; offsetY: number } {
  const scale = Math.min(viewportWidth / stageWidth, viewportHeight / stageHeight);
  return {
    scale,
    offsetX: (viewportWidth - stageWidth * scale) / 2,
    offsetY: (viewportHeight - stageHeight * scale) / 2,
  };
}
