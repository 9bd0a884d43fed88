import { GeoJsonLayer } from '@deck.gl/layers';
import type { Theme, Rgb } from '../theme.ts';
import type { BoundaryCollection } from './geo-utils.ts';

/** `#rrggbb` → [r, g, b] (the theme writes map colours as CSS hex). */
export function cssHexToRgb(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

/**
 * The surrounding units drawn faintly under the data, by deck.gl rather than as maplibre
 * fill/line layers: deck already compiled the GeoJsonLayer programs for the choropleth, whereas
 * maplibre's fill, fill-outline, line and tile-clipping programs cost seconds to compile under
 * SwiftShader before the first paint. Not pickable: hovering shows the data units only.
 */
export function buildContextLayer(data: BoundaryCollection, theme: Theme): GeoJsonLayer {
  return new GeoJsonLayer({
    id: 'cityops-context',
    data: data as never,
    filled: true,
    stroked: true,
    pickable: false,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    getFillColor: [...cssHexToRgb(theme.contextFill), 230],
    getLineColor: [...cssHexToRgb(theme.contextLine), 255],
  });
}
