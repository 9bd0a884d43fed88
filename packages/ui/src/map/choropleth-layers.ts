import { TextLayer } from '@deck.gl/layers';
import type { Color, Layer, PickingInfo } from '@deck.gl/core';
import { buildBoundaryLayers } from './boundary-layers.ts';
import type { Theme, Rgb } from '../theme.ts';
import type { ColorScale } from './color-scale.ts';
import { labelPoint, type BoundaryFeature } from './geo-utils.ts';

/** System CJK font first, so TextLayer's auto character set can draw Chinese names offline. */
export const MAP_FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export interface ChoroplethInput {
  id: string;
  features: readonly BoundaryFeature[];
  valueByCode: ReadonlyMap<string, number>;
  scale: ColorScale;
  theme: Theme;
  selectedCode?: string | undefined;
  showLabels?: boolean;
  onUnitClick?: ((code: string, name: string) => void) | undefined;
}

interface LabelDatum {
  code: string;
  name: string;
  position: [number, number];
}

const NO_DATA: Rgb = [150, 150, 150];

/**
 * Simplification of the drawn units, in sizes of the fitted view: under a pixel even zoomed in 2×
 * on a 1920-wide wall. Every frame processes every vertex again (hover highlights included), and
 * the 12,476 vertices of the city's 20 districts cost the GPU process ~0.3 s a frame under
 * SwiftShader; labels and the camera still use the full outlines.
 */
export const UNIT_TOLERANCE = 1 / 4000;

/** Label anchors for the features (pure; recomputed only when the features change). */
export function buildLabelData(features: readonly BoundaryFeature[]): LabelDatum[] {
  return features.map((f) => ({ code: f.properties.code, name: f.properties.name, position: labelPoint(f.geometry) }));
}

/**
 * The choropleth as deck.gl layers: filled unit polygons coloured by the metric, and unit
 * names drawn by TextLayer (maplibre symbol labels would need glyph PBFs we do not have offline).
 */
export function buildChoroplethLayers(input: ChoroplethInput, labels: readonly LabelDatum[]): Layer[] {
  const { id, features, valueByCode, scale, theme, selectedCode, onUnitClick } = input;
  const fillAlpha = theme.name === 'dark' ? 200 : 215;
  const selectedLine: Color = [...theme.highlightLine, 230];
  const unitLine: Color = [...theme.unitLine, 230];
  const units = buildBoundaryLayers({
    id,
    features,
    fillColor: (f) => [...(scale.colorOf(valueByCode.get(f.properties.code)) ?? NO_DATA), fillAlpha],
    lineColor: (s) => (s.code === selectedCode ? selectedLine : unitLine),
    lineWidth: (s) => (s.code === selectedCode ? 3 : 1),
    updateTriggers: { fill: [valueByCode, scale], line: [selectedCode, theme.name] },
    highlightColor: [255, 255, 255, 70],
    onClick: (info: PickingInfo) => {
      const props = (info.object as BoundaryFeature | undefined)?.properties;
      if (props && onUnitClick) onUnitClick(props.code, props.name);
    },
  });
  if (input.showLabels === false) return units;
  const text = new TextLayer<LabelDatum>({
    id: `${id}-labels`,
    data: labels as LabelDatum[],
    characterSet: 'auto',
    fontFamily: MAP_FONT_FAMILY,
    fontWeight: 600,
    fontSettings: { sdf: true, fontSize: 40, buffer: 4 },
    outlineWidth: 3,
    outlineColor: [...theme.labelHalo, 230],
    getPosition: (d) => d.position,
    getText: (d) => d.name,
    getSize: labels.length > 60 ? 11 : 14,
    getColor: [...theme.label, 255],
    sizeUnits: 'pixels',
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    // Label collisions are not resolved; many small units stay readable by hover instead.
    parameters: { depthTest: false } as never,
  });
  return [...units, text];
}

/** Tooltip text for a hovered unit. */
export function choroplethTooltip(
  info: PickingInfo,
  valueByCode: ReadonlyMap<string, number>,
  formatValue: (value: number | undefined) => string,
): string | null {
  const props = (info.object as BoundaryFeature | undefined)?.properties;
  if (!props?.code) return null;
  return `${props.name}\n${formatValue(valueByCode.get(props.code))}`;
}
