/**
 * The H3 hotspot map, kept out of the main entry: deck.gl's geo-layers and h3-js are large, so
 * dashboards load this entry lazily (`import('@cityops/ui/hotspots')`) when the layer is shown.
 */
export * from './map/hotspot-layers.ts';
export * from './map/hotspot-map.tsx';
