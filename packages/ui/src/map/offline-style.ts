import type { StyleSpecification } from 'maplibre-gl';
import type { Theme } from '../theme.ts';

/**
 * A basemap that needs no network: only a background colour. The surrounding units (context)
 * are drawn by deck.gl (`buildContextLayers`), unit names by deck.gl's TextLayer: maplibre symbol
 * layers would need glyph PBFs, and every maplibre layer type is one more shader program that
 * SwiftShader compiles on the CPU before the first paint.
 */
export function buildOfflineStyle(theme: Theme): StyleSpecification {
  return {
    version: 8,
    name: `cityops-offline-${theme.name}`,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': theme.mapBackground } }],
  };
}
