import { WebMercatorViewport } from '@deck.gl/core';
import type { BBox } from './geo-utils.ts';

/** deck.gl's MapView view state; maplibre takes the same numbers (both count zoom in 512 px tiles). */
export interface MapCamera {
  longitude: number;
  latitude: number;
  zoom: number;
  pitch: number;
  bearing: number;
}

export const CHENGDU_CAMERA: MapCamera = { longitude: 104.07, latitude: 30.67, zoom: 8, pitch: 0, bearing: 0 };

/**
 * The camera that fits `bounds` into a `width`×`height` map (CSS pixels) with `padding` around,
 * as maplibre's `fitBounds` did; null while the map has no size (not laid out yet).
 */
export function fitCamera(bounds: BBox, width: number, height: number, padding = 28): MapCamera | null {
  if (width < 1 || height < 1) return null;
  // A padding larger than the map would invert the fitted box: shrink it on small maps.
  const pad = Math.max(0, Math.min(padding, Math.floor(width / 4), Math.floor(height / 4)));
  const [west, south, east, north] = bounds;
  const { longitude, latitude, zoom } = new WebMercatorViewport({ width, height }).fitBounds(
    [
      [west, south],
      [east, north],
    ],
    { padding: pad, maxZoom: 20 },
  );
  return { longitude, latitude, zoom, pitch: 0, bearing: 0 };
}
