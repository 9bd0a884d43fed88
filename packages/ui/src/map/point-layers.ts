import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Rgb } from '../theme.ts';
import type { BoundaryFeature } from './geo-utils.ts';
import { labelPoint } from './geo-utils.ts';
import { PointLayer, stockLayersRequested } from './lean-layers.ts';

import type { EventPoint } from '../api/api-contract.ts';
import { itemLabel, sourceLabel, type Lang } from '../i18n.tsx';

/** One event at street zoom (what `events.points` returns). */
export type { EventPoint };

const SOURCE_POINT_COLORS: Record<string, Rgb> = { petition: [212, 136, 6], hotline: [22, 119, 255], police: [207, 19, 34] };

/** Events as small dots coloured by source; urgent ones a little larger. */
export function buildEventPointsLayer(id: string, points: readonly EventPoint[]): Layer {
  const Points = stockLayersRequested() ? ScatterplotLayer : PointLayer;
  return new Points<EventPoint>({
    id: `${id}-event-points`,
    data: points as EventPoint[],
    getPosition: (d) => [d.lng, d.lat],
    getFillColor: (d) => [...(SOURCE_POINT_COLORS[d.source] ?? [90, 90, 90]), 210],
    getLineColor: [255, 255, 255, 220],
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 0.8,
    radiusUnits: 'pixels',
    getRadius: (d) => (d.urgency === 'emergency' || d.urgency === 'urgent' ? 5 : 3.5),
    pickable: true,
  });
}

/** Tooltip of an event point: its source and item (null when the picked object is not an event point). */
export function eventPointTooltip(info: { object?: unknown }, lang: Lang): string | null {
  const point = info.object as EventPoint | undefined;
  if (!point || typeof point.lng !== 'number' || !('urgency' in point)) return null;
  return `${sourceLabel(point.source, lang)} · ${itemLabel(point.item, lang)}`;
}

/** An open work order placed at its grid (orders carry a grid code, not coordinates). */
export interface OrderMarker {
  id: string;
  gridCode: string;
  slaStatus: string;
  label: string;
  position: [number, number];
}

export const SLA_MARKER_COLORS: Record<string, Rgb> = {
  on_track: [46, 125, 50],
  due_soon: [239, 143, 0],
  overdue: [198, 40, 40],
  closed_on_time: [120, 144, 156],
  closed_late: [141, 110, 99],
};

/**
 * Orders at the centroid of their grid; several orders in one grid are spread on a small ring
 * (deterministic, ≈ 40 m) so each stays clickable.
 */
export function placeOrdersAtGrids<T extends { id: string; gridCode: string }>(orders: readonly T[], grids: readonly BoundaryFeature[]): (T & { position: [number, number] })[] {
  const centres = new Map(grids.map((g) => [g.properties.code, labelPoint(g.geometry)]));
  const seen = new Map<string, number>();
  return orders.flatMap((order) => {
    const centre = centres.get(order.gridCode);
    if (!centre) return [];
    const k = seen.get(order.gridCode) ?? 0;
    seen.set(order.gridCode, k + 1);
    const angle = k * 2.399963; // golden angle
    const radius = k === 0 ? 0 : 0.0004 * Math.sqrt(k);
    return [{ ...order, position: [centre[0] + radius * Math.cos(angle), centre[1] + radius * Math.sin(angle)] as [number, number] }];
  });
}

export function buildOrderMarkersLayer(id: string, markers: readonly OrderMarker[], onClick?: (marker: OrderMarker) => void): Layer {
  const Points = stockLayersRequested() ? ScatterplotLayer : PointLayer;
  return new Points<OrderMarker>({
    id: `${id}-order-markers`,
    data: markers as OrderMarker[],
    getPosition: (d) => d.position,
    getFillColor: (d) => [...(SLA_MARKER_COLORS[d.slaStatus] ?? [90, 90, 90]), 235],
    getLineColor: [255, 255, 255, 255],
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    radiusUnits: 'pixels',
    getRadius: 8,
    pickable: true,
    ...(onClick ? { onClick: (info: PickingInfo) => (info.object ? onClick(info.object as OrderMarker) : undefined) } : {}),
  });
}
