import { useMemo, type ReactNode } from 'react';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { ChildVolumeRow } from '../api/api-contract.ts';
import { ErrorState, LoadingState, EmptyState } from '../components/states.tsx';
import { formatRate } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import type { Theme } from '../theme.ts';
import { buildChoroplethLayers, buildLabelData, choroplethTooltip, UNIT_TOLERANCE } from './choropleth-layers.ts';
import { buildQuantileScale } from './color-scale.ts';
import { childBoundaryUrl, childrenOf, featuresBBox, simplifyFeatures } from './geo-utils.ts';
import { Legend } from './legend.tsx';
import { MapView } from './map-view.tsx';
import { useBoundaries } from './use-boundaries.ts';
import { useFirstPaintDone } from './use-first-paint.ts';

/** What to draw underneath: the city outline under the districts, all districts under anything deeper. */
function defaultContextUrl(parentCode: string): string | null {
  return parentCode.length <= 4 ? '/geo/boundaries/city.geojson' : childBoundaryUrl('5101');
}

export type ChoroplethMetric = 'ratePer10k' | 'count';

export interface ChoroplethMapProps {
  theme: Theme;
  /** The unit whose children are drawn and coloured. */
  parentCode: string;
  /** Only these of the children (a grid worker's own grids). */
  onlyCodes?: readonly string[] | undefined;
  rows: readonly ChildVolumeRow[] | undefined;
  rowsError?: unknown;
  metric?: ChoroplethMetric;
  selectedCode?: string | undefined;
  onUnitClick?: ((code: string, name: string) => void) | undefined;
  /** Boundaries drawn faintly underneath for context (default: all districts). */
  contextUrl?: string | null;
  basemapStyleUrl?: string | null;
  pixelRatio?: number;
  className?: string;
  legendTitle?: string;
  /** Layers drawn over the units (event points, order markers). */
  overlayLayers?: readonly Layer[];
  /** Tooltip for the overlay's objects; falls back to the unit tooltip. */
  overlayTooltip?: (info: PickingInfo) => string | null;
  /** Extra content over the map (e.g. a layer switch or a second legend). */
  children?: ReactNode;
}

/** Children of a unit coloured by a metric, with names, legend, hover and loading/error states. */
export function ChoroplethMap(props: ChoroplethMapProps) {
  const { theme, parentCode, rows, metric = 'ratePer10k', selectedCode, onUnitClick, onlyCodes } = props;
  const { t } = useI18n();
  const boundaries = useBoundaries(childBoundaryUrl(parentCode));

  const features = useMemo(
    () => {
      const children = boundaries.data ? childrenOf(boundaries.data, parentCode) : [];
      return onlyCodes ? children.filter((f) => onlyCodes.includes(f.properties.code)) : children;
    },
    [boundaries.data, parentCode, onlyCodes],
  );
  const labels = useMemo(() => buildLabelData(features), [features]);
  const bounds = useMemo(() => featuresBBox(features), [features]);
  const drawn = useMemo(
    () => (bounds ? simplifyFeatures(features, Math.max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * UNIT_TOLERANCE) : features),
    [features, bounds],
  );
  const unitCodes = useMemo(() => features.map((f) => f.properties.code), [features]);
  const valueByCode = useMemo(
    () => new Map((rows ?? []).flatMap((r) => (r[metric] === null ? [] : [[r.code, r[metric]] as [string, number]]))),
    [rows, metric],
  );
  const scale = useMemo(() => buildQuantileScale([...valueByCode.values()], theme.ramp), [valueByCode, theme.ramp]);
  // Unit names follow right after the first paint (the coloured units and legend are the content).
  const showLabels = useFirstPaintDone();
  const layers = useMemo(
    () =>
      features.length
        ? buildChoroplethLayers(
            { id: `choropleth-${parentCode}`, features: drawn, valueByCode, scale, theme, selectedCode, onUnitClick, showLabels },
            labels,
          )
        : [],
    [drawn, labels, valueByCode, scale, theme, selectedCode, onUnitClick, parentCode, showLabels],
  );
  const overlay = props.overlayLayers;
  const allLayers = useMemo(() => (overlay?.length ? [...layers, ...overlay] : layers), [layers, overlay]);
  const formatValue = (v: number | undefined) =>
    metric === 'ratePer10k' ? `${formatRate(v)} ${t('map.legend.ratePer10k')}` : `${v ?? '—'} ${t('kpi.unit')}`;
  const getTooltip = (info: PickingInfo) => props.overlayTooltip?.(info) ?? choroplethTooltip(info, valueByCode, formatValue);

  const dataReady = features.length > 0 && rows !== undefined;
  // Stale rows beat an error screen (a kiosk keeps showing the last data through a network drop).
  const error = boundaries.error ?? (rows === undefined ? props.rowsError : undefined);
  return (
    <MapView
      theme={theme}
      layers={allLayers}
      bounds={bounds}
      dataReady={dataReady}
      unitCodes={unitCodes}
      contextUrl={props.contextUrl === undefined ? defaultContextUrl(parentCode) : props.contextUrl}
      basemapStyleUrl={props.basemapStyleUrl ?? null}
      attribution={t('map.attribution')}
      getTooltip={getTooltip}
      {...(props.pixelRatio ? { pixelRatio: props.pixelRatio } : {})}
      {...(props.className ? { className: props.className } : {})}
    >
      {props.children}
      {rows && rows.length ? (
        <Legend title={props.legendTitle ?? t('map.legend.ratePer10k')} scale={scale} format={(v) => (metric === 'count' ? String(Math.round(v)) : formatRate(v, v < 10 ? 1 : 0))} />
      ) : null}
      {error ? (
        <div className="co-map-overlay">
          <ErrorState error={error} onRetry={() => void boundaries.refetch()} />
        </div>
      ) : boundaries.isPending || rows === undefined ? (
        <div className="co-map-overlay co-map-overlay-light">
          <LoadingState />
        </div>
      ) : features.length === 0 ? (
        <div className="co-map-overlay">
          <EmptyState />
        </div>
      ) : null}
    </MapView>
  );
}
