import { H3HexagonLayer } from '@deck.gl/geo-layers';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { HOTSPOT_BIN_LABELS, type HotspotBin } from '@cityops/domain/index-method/hotspots';
import type { HotspotCell } from '../api/api-contract.ts';
import type { Rgb, Theme } from '../theme.ts';
import type { BoundaryFeature } from './geo-utils.ts';

/** Bins from hot to cold, the order of the legend. */
export const HOTSPOT_BINS_HOT_TO_COLD: readonly HotspotBin[] = [3, 2, 1, 0, -1, -2, -3];

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Esri's Gi_Bin colours (from the domain), as RGB for deck.gl. */
export const HOTSPOT_BIN_COLORS: Record<string, Rgb> = Object.fromEntries(
  HOTSPOT_BINS_HOT_TO_COLD.map((bin) => [String(bin), hexToRgb(HOTSPOT_BIN_LABELS[bin].color)]),
);

/**
 * Flat, pickable H3 hexagons with thin white edges: the cell layer of the Gi* and the emerging
 * hot-spot maps, which differ only in their colour rule.
 */
export function buildH3CellLayer<T extends { cell: string }>(id: string, cells: readonly T[], getFillColor: (cell: T) => [number, number, number, number]): Layer {
  return new H3HexagonLayer<T>({
    id,
    data: cells as T[],
    getHexagon: (d) => d.cell,
    filled: true,
    stroked: true,
    extruded: false,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 80],
    lineWidthUnits: 'pixels',
    getLineWidth: 0.5,
    getLineColor: [255, 255, 255, 120],
    getFillColor,
  });
}

/**
 * Gi* cells as H3 hexagons coloured by bin (not-significant cells faint so hot and cold spots
 * stand out), with the unit outlines on top for orientation.
 */
export function buildHotspotLayers(input: { id: string; cells: readonly HotspotCell[]; outlines: readonly BoundaryFeature[]; theme: Theme }): Layer[] {
  const { id, cells, outlines, theme } = input;
  const hexes = buildH3CellLayer(`${id}-hex`, cells, (d) => [...(HOTSPOT_BIN_COLORS[String(d.bin)] ?? HOTSPOT_BIN_COLORS['0']!), d.bin === 0 ? 110 : 220]);
  return [hexes, buildOutlineLayer(id, outlines, theme)];
}

/** Unit outlines drawn over hexagons for orientation. */
export function buildOutlineLayer(id: string, outlines: readonly BoundaryFeature[], theme: Theme): Layer {
  return new GeoJsonLayer<BoundaryFeature['properties']>({
    id: `${id}-outline`,
    data: outlines as BoundaryFeature[],
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    getLineColor: [...theme.unitLine, 230],
  });
}

export function hotspotTooltip(info: PickingInfo, lang: 'zh' | 'en', eventsLabel: string): string | null {
  const cell = info.object as HotspotCell | undefined;
  if (!cell || typeof cell.cell !== 'string') return null;
  return `${HOTSPOT_BIN_LABELS[cell.bin][lang]}\n${eventsLabel} ${cell.events} · z = ${cell.z.toFixed(2)} · p = ${cell.p.toFixed(3)}`;
}
