import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Theme } from '../theme.ts';
import { markDeckRendered, markMapIdle, reportUiError } from '../readiness.ts';
import { buildOfflineStyle } from './offline-style.ts';
import { buildContextLayer } from './context-layer.ts';
import { useBoundaries } from './use-boundaries.ts';
import type { BBox } from './geo-utils.ts';

// Vite bundles the worker as a separate asset; maplibre cannot find it on its own.
setWorkerUrl(workerUrl);

const CHENGDU_CENTER: [number, number] = [104.07, 30.67];

export interface MapViewProps {
  theme: Theme;
  /** deck.gl layers drawn over the basemap (e.g. from `buildChoroplethLayers`). */
  layers: Layer[];
  /** Camera fits these bounds whenever they change. */
  bounds: BBox | null;
  /** True when `layers` hold the data for the current view (drives the readiness signal). */
  dataReady: boolean;
  /** Codes of the units drawn, published for tests as `window.__cityops.mapUnits`. */
  unitCodes: readonly string[];
  /** GeoJSON drawn under the data for context (e.g. all districts); the map is ready once it is drawn. */
  contextUrl?: string | null;
  /** Optional online basemap style (off by default: the offline style needs no network). */
  basemapStyleUrl?: string | null;
  attribution: string;
  getTooltip?: (info: PickingInfo) => string | null;
  /** Extra device pixels, e.g. the stage scale on a 4K wall so the map is not upscaled. */
  pixelRatio?: number;
  className?: string;
  children?: ReactNode;
}

/** maplibre-gl basemap + deck.gl overlay, with readiness events for tests. */
export function MapView(props: MapViewProps) {
  const { theme, layers, bounds, dataReady, unitCodes, contextUrl = null, basemapStyleUrl = null } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const context = useBoundaries(contextUrl);
  const contextLayer = useMemo(() => (context.data ? buildContextLayer(context.data, theme) : null), [context.data, theme]);
  // A failed context fetch must not hold the readiness signal forever: the data is still drawn.
  const contextSettled = !contextUrl || context.isSuccess || context.isError;
  const allLayers = useMemo(() => (contextLayer ? [contextLayer, ...layers] : layers), [contextLayer, layers]);
  const ready = dataReady && contextSettled;
  const readyRef = useRef({ dataReady: ready, unitCodes });
  const tooltipRef = useRef(props.getTooltip);
  tooltipRef.current = props.getTooltip;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const map = new MapLibreMap({
      container,
      style: basemapStyleUrl ?? buildOfflineStyle(theme),
      center: CHENGDU_CENTER,
      zoom: 8,
      dragRotate: false,
      pitchWithRotate: false,
      attributionControl: { compact: false, customAttribution: props.attribution },
      ...(props.pixelRatio ? { pixelRatio: props.pixelRatio } : {}),
    });
    map.touchZoomRotate.disableRotation();
    // Overlaid, not interleaved: deck 9.4's interleaved mode needs `map.transform` (gone in
    // maplibre 6) and, with it shimmed, clicks on units no longer reached deck (drill-down broke).
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      ...(props.pixelRatio ? { useDevicePixels: props.pixelRatio } : {}),
      getTooltip: (info) => tooltipRef.current?.(info) ?? null,
      onAfterRender: () => {
        if (readyRef.current.dataReady) markDeckRendered(true, [...readyRef.current.unitCodes]);
      },
    });
    map.addControl(overlay);
    map.on('idle', () => markMapIdle(true));
    map.on('movestart', () => markMapIdle(false));
    map.on('error', (event) => {
      const message = event.error?.message ?? 'map error';
      reportUiError(message);
      console.warn('[map]', message);
    });
    mapRef.current = map;
    overlayRef.current = overlay;
    return () => {
      mapRef.current = null;
      overlayRef.current = null;
      markMapIdle(false);
      markDeckRendered(false, []);
      map.remove();
    };
    // The map is rebuilt only when the basemap itself changes; data flows in via the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme.name, basemapStyleUrl]);

  useEffect(() => {
    readyRef.current = { dataReady: ready, unitCodes };
    markDeckRendered(false);
    overlayRef.current?.setProps({ layers: allLayers });
  }, [allLayers, ready, unitCodes, theme.name, basemapStyleUrl]);

  useEffect(() => {
    const ratio = props.pixelRatio;
    if (!ratio) return;
    mapRef.current?.setPixelRatio(ratio);
    overlayRef.current?.setProps({ useDevicePixels: ratio });
  }, [props.pixelRatio]);

  const boundsKey = bounds ? bounds.map((v) => v.toFixed(5)).join(',') : '';
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !bounds) return;
    map.resize();
    map.fitBounds(bounds, { padding: 28, duration: 0, animate: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boundsKey, theme.name, basemapStyleUrl]);

  return (
    <div className={`co-map ${props.className ?? ''}`}>
      <div ref={containerRef} className="co-map-canvas" data-testid="map" />
      {props.children}
    </div>
  );
}
