import type { StyleSpecification } from 'maplibre-gl';
import type { Theme } from '../theme.ts';

export const CONTEXT_SOURCE_ID = 'cityops-context';

/**
 * A basemap that needs no network: a background colour plus our own boundaries (the
 * surrounding units, for context) as a GeoJSON source. No symbol layers — those would need
 * glyph PBFs; unit names are drawn by deck.gl's TextLayer instead.
 */
export function buildOfflineStyle(theme: Theme, contextUrl: string | null): StyleSpecification {
  return {
    version: 8,
    name: `cityops-offline-${theme.name}`,
    sources: {
      [CONTEXT_SOURCE_ID]: {
        type: 'geojson',
        data: contextUrl ?? { type: 'FeatureCollection', features: [] },
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': theme.mapBackground } },
      ...contextLayers(theme),
    ],
  };
}

/** Context layers, also added on top of an online basemap when one is configured. */
export function contextLayers(theme: Theme): StyleSpecification['layers'] {
  return [
    {
      id: 'context-fill',
      type: 'fill',
      source: CONTEXT_SOURCE_ID,
      paint: { 'fill-color': theme.contextFill, 'fill-opacity': 0.9 },
    },
    {
      id: 'context-line',
      type: 'line',
      source: CONTEXT_SOURCE_ID,
      paint: { 'line-color': theme.contextLine, 'line-width': 1 },
    },
  ];
}
