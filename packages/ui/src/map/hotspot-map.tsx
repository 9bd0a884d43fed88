import { useEffect, useMemo } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import { HOTSPOT_BIN_LABELS } from '@cityops/domain/index-method/hotspots';
import type { HotspotResult } from '../api/api-contract.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/states.tsx';
import { useI18n } from '../i18n.tsx';
import { markHexCells } from '../readiness.ts';
import { rgbToCss, type Theme } from '../theme.ts';
import { HOTSPOT_BIN_COLORS, HOTSPOT_BINS_HOT_TO_COLD, buildHotspotLayers, hotspotTooltip } from './hotspot-layers.ts';
import { childBoundaryUrl, childrenOf, featuresBBox } from './geo-utils.ts';
import { MapView } from './map-view.tsx';
import { useBoundaries } from './use-boundaries.ts';

export interface HotspotMapProps {
  theme: Theme;
  /** The unit whose children are outlined; the Gi* study area is this unit. */
  parentCode: string;
  result: HotspotResult | undefined;
  error?: unknown;
  onRetry?: () => void;
  contextUrl?: string | null;
  basemapStyleUrl?: string | null;
}

/** Getis-Ord Gi* hot and cold spots on H3 hexagons, with a bin legend (counts per bin). */
export function HotspotMap(props: HotspotMapProps) {
  const { theme, parentCode, result } = props;
  const { t, lang } = useI18n();
  const boundaries = useBoundaries(childBoundaryUrl(parentCode));
  const outlines = useMemo(() => (boundaries.data ? childrenOf(boundaries.data, parentCode) : []), [boundaries.data, parentCode]);
  const bounds = useMemo(() => featuresBBox(outlines), [outlines]);
  const unitCodes = useMemo(() => outlines.map((f) => f.properties.code), [outlines]);
  const cells = result?.unitCode === parentCode ? result.cells : undefined;
  const layers = useMemo(
    () => (cells && outlines.length ? buildHotspotLayers({ id: `hotspots-${parentCode}`, cells, outlines, theme }) : []),
    [cells, outlines, parentCode, theme],
  );
  useEffect(() => {
    markHexCells(cells?.length ?? 0);
    return () => markHexCells(0);
  }, [cells]);
  const getTooltip = (info: PickingInfo) => hotspotTooltip(info, lang, t('table.count'));
  const error = boundaries.error ?? props.error;

  return (
    <MapView
      theme={theme}
      layers={layers}
      bounds={bounds}
      dataReady={!!cells && outlines.length > 0}
      unitCodes={unitCodes}
      contextUrl={props.contextUrl ?? null}
      basemapStyleUrl={props.basemapStyleUrl ?? null}
      attribution={t('map.attribution')}
      getTooltip={getTooltip}
    >
      {result ? (
        <div className="co-legend" aria-label={t('map.legend.gi')} data-testid="hotspot-legend">
          <div className="co-legend-title">{t('map.legend.gi')}</div>
          {HOTSPOT_BINS_HOT_TO_COLD.map((bin) => (
            <div key={bin} className="co-legend-row">
              <span className="co-legend-swatch" style={{ background: rgbToCss(HOTSPOT_BIN_COLORS[String(bin)]!) }} />
              <span>
                {HOTSPOT_BIN_LABELS[bin][lang]} ({result.bins[String(bin)] ?? 0})
              </span>
            </div>
          ))}
        </div>
      ) : null}
      {error ? (
        <div className="co-map-overlay">
          <ErrorState error={error} {...(props.onRetry ? { onRetry: props.onRetry } : {})} />
        </div>
      ) : boundaries.isPending || !cells ? (
        <div className="co-map-overlay co-map-overlay-light">
          <LoadingState />
        </div>
      ) : cells.length === 0 ? (
        <div className="co-map-overlay">
          <EmptyState />
        </div>
      ) : null}
    </MapView>
  );
}
