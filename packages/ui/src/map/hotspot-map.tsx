import { useEffect, useMemo } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import { HOTSPOT_BIN_LABELS } from '@cityops/domain/index-method/hotspots';
import type { EmergingCategory } from '@cityops/domain/index-method/emerging';
import type { EmergingResult, HotspotResult } from '../api/api-contract.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/states.tsx';
import { useI18n } from '../i18n.tsx';
import { markHexCells } from '../readiness.ts';
import { rgbToCss, type Theme } from '../theme.ts';
import { HOTSPOT_BIN_COLORS, HOTSPOT_BINS_HOT_TO_COLD, buildHotspotLayers, buildOutlineLayer, hotspotTooltip } from './hotspot-layers.ts';
import {
  EMERGING_CATEGORY_COLORS,
  EMERGING_COLD_CATEGORIES,
  EMERGING_HOT_CATEGORIES,
  buildEmergingHexLayer,
  emergingCategoryLabel,
  emergingTooltip,
} from './emerging-layers.ts';
import { childBoundaryUrl, childrenOf, featuresBBox } from './geo-utils.ts';
import { MapView } from './map-view.tsx';
import { useBoundaries } from './use-boundaries.ts';

export type HexLayerMode = 'gi' | 'emerging';

export interface HotspotMapProps {
  theme: Theme;
  /** The unit whose children are outlined; the study area is this unit. */
  parentCode: string;
  /** Gi* bins of one month, or emerging categories over the 12 months up to it. */
  mode?: HexLayerMode;
  result?: HotspotResult | undefined;
  emerging?: EmergingResult | undefined;
  error?: unknown;
  onRetry?: () => void;
  contextUrl?: string | null;
  basemapStyleUrl?: string | null;
}

/** Getis-Ord Gi* hot and cold spots, or emerging hot-spot categories, on H3 hexagons with a legend (counts per class). */
export function HotspotMap(props: HotspotMapProps) {
  const { theme, parentCode, mode = 'gi' } = props;
  const { t, lang } = useI18n();
  const boundaries = useBoundaries(childBoundaryUrl(parentCode));
  const outlines = useMemo(() => (boundaries.data ? childrenOf(boundaries.data, parentCode) : []), [boundaries.data, parentCode]);
  const bounds = useMemo(() => featuresBBox(outlines), [outlines]);
  const unitCodes = useMemo(() => outlines.map((f) => f.properties.code), [outlines]);
  const giCells = mode === 'gi' && props.result?.unitCode === parentCode ? props.result.cells : undefined;
  const emergingCells = mode === 'emerging' && props.emerging?.unitCode === parentCode ? props.emerging.cells : undefined;
  const cellCount = (giCells ?? emergingCells)?.length;
  const layers = useMemo(() => {
    if (!outlines.length) return [];
    const id = `hotspots-${parentCode}`;
    if (giCells) return buildHotspotLayers({ id, cells: giCells, outlines, theme });
    if (emergingCells) return [buildEmergingHexLayer(id, emergingCells), buildOutlineLayer(id, outlines, theme)];
    return [];
  }, [giCells, emergingCells, outlines, parentCode, theme]);
  useEffect(() => {
    markHexCells(cellCount ?? 0, mode);
    return () => markHexCells(0, null);
  }, [cellCount, mode]);
  const getTooltip = (info: PickingInfo) =>
    mode === 'gi' ? hotspotTooltip(info, lang, t('table.count')) : emergingTooltip(info, lang, t('map.emerging.hotMonths'), t('map.emerging.coldMonths'));
  const error = boundaries.error ?? props.error;

  return (
    <MapView
      theme={theme}
      layers={layers}
      bounds={bounds}
      dataReady={cellCount !== undefined && outlines.length > 0}
      unitCodes={unitCodes}
      contextUrl={props.contextUrl ?? null}
      basemapStyleUrl={props.basemapStyleUrl ?? null}
      attribution={t('map.attribution')}
      getTooltip={getTooltip}
    >
      {mode === 'gi' && props.result ? (
        <div className="co-legend" aria-label={t('map.legend.gi')} data-testid="hotspot-legend">
          <div className="co-legend-title">{t('map.legend.gi')}</div>
          {HOTSPOT_BINS_HOT_TO_COLD.map((bin) => (
            <div key={bin} className="co-legend-row">
              <span className="co-legend-swatch" style={{ background: rgbToCss(HOTSPOT_BIN_COLORS[String(bin)]!) }} />
              <span>
                {HOTSPOT_BIN_LABELS[bin][lang]} ({props.result!.bins[String(bin)] ?? 0})
              </span>
            </div>
          ))}
        </div>
      ) : null}
      {mode === 'emerging' && props.emerging ? <EmergingLegend result={props.emerging} /> : null}
      {error ? (
        <div className="co-map-overlay">
          <ErrorState error={error} {...(props.onRetry ? { onRetry: props.onRetry } : {})} />
        </div>
      ) : boundaries.isPending || cellCount === undefined ? (
        <div className="co-map-overlay co-map-overlay-light">
          <LoadingState />
        </div>
      ) : cellCount === 0 ? (
        <div className="co-map-overlay">
          <EmptyState />
        </div>
      ) : null}
    </MapView>
  );
}

/** Hot and cold patterns side by side (the domain's labels), each with its cell count. */
function EmergingLegend({ result }: { result: EmergingResult }) {
  const { t, lang } = useI18n();
  const row = (category: EmergingCategory) => (
    <div key={category} className={`co-legend-row ${result.categories[category] ? '' : 'is-empty'}`} data-category={category}>
      <span className="co-legend-swatch" style={{ background: rgbToCss(EMERGING_CATEGORY_COLORS[category]) }} />
      <span>
        {emergingCategoryLabel(category, lang)} ({result.categories[category] ?? 0})
      </span>
    </div>
  );
  const first = result.months[0];
  const last = result.months.at(-1);
  return (
    <div className="co-legend co-legend-emerging" aria-label={t('map.legend.emerging')} data-testid="emerging-legend">
      <div className="co-legend-title">
        {t('map.legend.emerging')}
        {first && last ? <span className="co-legend-sub"> {first}～{last}</span> : null}
      </div>
      <div className="co-legend-columns">
        <div>{EMERGING_HOT_CATEGORIES.map(row)}</div>
        <div>{EMERGING_COLD_CATEGORIES.map(row)}</div>
      </div>
      {row('no_pattern')}
    </div>
  );
}
