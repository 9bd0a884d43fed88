import { useMemo } from 'react';
import { WORK_ORDER_STATE_LABELS } from '@cityops/domain/workflow/work-order-types';
import {
  buildOrderMarkersLayer,
  itemLabel,
  placeOrdersAtGrids,
  useBoundaries,
  useWorkOrders,
  type Lang,
  type OrderMarker,
} from '@cityops/ui';

const OPEN = new Set(['on_track', 'due_soon', 'overdue']);

/**
 * The street's open work orders as markers on the map, at the centroid of their grid (orders
 * carry a grid code, not coordinates), coloured by SLA status; a click opens the order.
 */
export function useOpenOrderMarkers(unitCode: string, lang: Lang, onOpen: (id: string, gridCode: string) => void) {
  // The same query as the queue's "all" view, so the two share one request.
  const orders = useWorkOrders({ unitCode, orderBy: 'due', limit: 100 }, { refetchInterval: 60_000 });
  // Grid boundaries come one file per street (a street's, community's or grid's code starts with it).
  const grids = useBoundaries(`/geo/boundaries/grids/${unitCode.slice(0, 9)}.geojson`);
  const markers = useMemo<OrderMarker[]>(() => {
    if (!orders.data || !grids.data) return [];
    const open = orders.data.rows.filter((o) => OPEN.has(o.slaStatus));
    return placeOrdersAtGrids(open, grids.data.features).map((o) => ({
      id: o.id,
      gridCode: o.gridCode,
      slaStatus: o.slaStatus,
      label: `${o.id} · ${itemLabel(o.item, lang)} · ${WORK_ORDER_STATE_LABELS[o.state]}\n${o.summary}`,
      position: o.position,
    }));
  }, [orders.data, grids.data, lang]);
  const layer = useMemo(() => buildOrderMarkersLayer(`orders-${unitCode}`, markers, (m) => onOpen(m.id, m.gridCode)), [markers, unitCode, onOpen]);
  const tooltip = (info: { object?: unknown }) => {
    const marker = info.object as OrderMarker | undefined;
    return marker && typeof marker.slaStatus === 'string' && 'label' in marker ? marker.label : null;
  };
  return { layer, count: markers.length, tooltip };
}
