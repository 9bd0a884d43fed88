import type { Color, Layer, PickingInfo } from '@deck.gl/core';
import type { Theme, Rgb } from '../theme.ts';
import { buildBoundaryLayers, buildWarmupLayers } from './boundary-layers.ts';
import { featuresNear, simplifyFeatures, type BBox, type BoundaryCollection } from './geo-utils.ts';

/** `#rrggbb` → [r, g, b] (the theme writes map colours as CSS hex). */
export function cssHexToRgb(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

const CONTEXT_ID = 'cityops-context';

/**
 * How far around the view the surroundings are drawn, in view sizes: a street's view shows its
 * neighbours, not the city's 261 streets (whose outlines cost ~0.4 s of the GPU process's time
 * in every frame under SwiftShader, hover highlights included).
 */
export const CONTEXT_MARGIN = 1;

/**
 * Simplification of the surroundings, in view sizes: 1/2000 of the fitted view is under a pixel
 * on a 1920-wide wall (the districts around a street keep ~1/5 of their vertices).
 */
export const CONTEXT_TOLERANCE = 1 / 2000;

/**
 * The surrounding units drawn faintly under the data, by deck.gl rather than as maplibre
 * fill/line layers: deck already compiles the unit programs for the data, whereas maplibre's
 * fill, fill-outline, line and tile-clipping programs cost seconds to compile under SwiftShader
 * before the first paint. Drawn like the data (buildBoundaryLayers, so they share its GPU
 * pipelines); what is picked on them is ignored (`isContextPick`).
 */
export function buildContextLayers(data: BoundaryCollection, theme: Theme, view: BBox | null): Layer[] {
  const fill: Color = [...cssHexToRgb(theme.contextFill), 230];
  const line: Color = [...cssHexToRgb(theme.contextLine), 255];
  const features = view
    ? simplifyFeatures(featuresNear(data.features, view, CONTEXT_MARGIN), Math.max(view[2] - view[0], view[3] - view[1]) * CONTEXT_TOLERANCE)
    : data.features;
  return buildBoundaryLayers({ id: CONTEXT_ID, features, fillColor: () => fill, lineColor: () => line, lineWidth: () => 1 });
}

/** True when the pointer is on the surroundings, not on the data. */
export function isContextPick(info: PickingInfo): boolean {
  return info.layer?.id.startsWith(CONTEXT_ID) ?? false;
}

/** The unit pipelines compiled before any data is there (buildWarmupLayers), ignored like the surroundings. */
export function buildContextWarmup(center: [number, number]): Layer[] {
  return buildWarmupLayers(center, CONTEXT_ID);
}
