import { GeoJsonLayer, LineLayer } from '@deck.gl/layers';
import type { Accessor, Color, PickingInfo } from '@deck.gl/core';
import { outlineSegments, type BoundaryFeature, type OutlineSegment } from './geo-utils.ts';
import { UnitFillLayer, UnitOutlineLayer, stockLayersRequested } from './lean-layers.ts';

export interface BoundaryLayersInput {
  id: string;
  features: readonly BoundaryFeature[];
  fillColor: (feature: BoundaryFeature) => Color;
  lineColor: (segment: OutlineSegment) => Color;
  lineWidth: (segment: OutlineSegment) => number;
  updateTriggers?: { fill?: unknown[]; line?: unknown[] };
  /** Highlight on hover (transparent: none). */
  highlightColor?: [number, number, number, number];
  onClick?: (info: PickingInfo) => void;
}

/**
 * Units as a filled GeoJsonLayer (picking the unit under the pointer) plus their outlines as one
 * LineLayer: the one way every unit map is drawn, the surroundings and the data alike.
 *
 * Why this shape (measured under SwiftShader, the software WebGL of the benchmark and CI, by
 * reading one pixel back after each draw call): the first draw with a new GPU pipeline costs the
 * GPU process 0.5–2.5 s of shader compilation, whatever the data. GeoJsonLayer's own outlines
 * are a PathLayer, whose shader was the dearest (1.2–2.5 s against 0.7 s for LineLayer's), and a
 * layer that differs in any attribute layout — a constant colour instead of a per-feature one, no
 * picking colours because it is not pickable — gets pipelines of its own: the surroundings and the
 * data used to compile four pipelines before the map appeared; now they share two. Hence accessors
 * that are always functions and fills that are always pickable (MapView ignores what is picked on
 * the surroundings, `isContextPick`). Both draw with lean vertex shaders (lean-layers.ts),
 * 0.2–0.3 s of that compilation each instead of 0.5–0.6 s.
 */
const segmentsOf = new WeakMap<readonly BoundaryFeature[], OutlineSegment[]>();

export function buildBoundaryLayers(input: BoundaryLayersInput): [GeoJsonLayer, LineLayer<OutlineSegment>] {
  const stock = stockLayersRequested();
  const fill = new GeoJsonLayer({
    id: `${input.id}-fill`,
    data: input.features as BoundaryFeature[],
    filled: true,
    stroked: false,
    pickable: true,
    autoHighlight: true,
    highlightColor: input.highlightColor ?? [0, 0, 0, 0],
    getFillColor: input.fillColor as Accessor<unknown, Color>,
    // The fills with the lean polygon shader (lean-layers.ts).
    ...(stock ? {} : { _subLayerProps: { 'polygons-fill': { type: UnitFillLayer } } }),
    updateTriggers: { getFillColor: input.updateTriggers?.fill ?? [] },
    ...(input.onClick ? { onClick: input.onClick } : {}),
  });
  const Outline = stock ? LineLayer : UnitOutlineLayer;
  const outline = new Outline<OutlineSegment>({
    id: `${input.id}-outline`,
    // The same features (a memoised array) keep the same segments, so deck does not rebuild them.
    data: segmentsOf.get(input.features) ?? cached(input.features),
    widthUnits: 'pixels',
    getSourcePosition: (d) => d.from,
    getTargetPosition: (d) => d.to,
    getColor: input.lineColor,
    getWidth: input.lineWidth,
    updateTriggers: { getColor: input.updateTriggers?.line ?? [], getWidth: input.updateTriggers?.line ?? [] },
  });
  return [fill, outline];
}

function cached(features: readonly BoundaryFeature[]): OutlineSegment[] {
  const segments = outlineSegments(features);
  segmentsOf.set(features, segments);
  return segments;
}

/**
 * Invisible stand-ins for the unit layers, drawn in deck's first frame while the boundaries and
 * the data are still on their way: a transparent square around `center`, built like every unit map
 * (buildBoundaryLayers), so the GPU process compiles the fill and outline pipelines during the
 * wait instead of after the data arrived (0.6–1.5 s under SwiftShader). The id marks them as
 * surroundings: nothing is picked on them (`isContextPick`).
 */
export function buildWarmupLayers(center: [number, number], idPrefix: string): [GeoJsonLayer, LineLayer<OutlineSegment>] {
  const [x, y] = center;
  const d = 0.001;
  const square: BoundaryFeature = {
    type: 'Feature',
    properties: { code: '', name: '', level: '', parent_code: null },
    geometry: { type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]] },
  };
  const none: Color = [0, 0, 0, 0];
  return buildBoundaryLayers({ id: `${idPrefix}-warmup`, features: [square], fillColor: () => none, lineColor: () => none, lineWidth: () => 1 });
}
