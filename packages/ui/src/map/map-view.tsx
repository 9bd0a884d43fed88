import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Deck, MapView as DeckMapView, type Layer, type PickingInfo } from '@deck.gl/core';
import type { Theme } from '../theme.ts';
import { expectMapStart, markDeckRendered, markMapIdle, markMapStarted, onFirstPaint, reportUiError } from '../readiness.ts';
import { buildOfflineStyle } from './offline-style.ts';
import { buildContextLayers, buildContextWarmup, isContextPick } from './context-layer.ts';
import { useBoundaries } from './use-boundaries.ts';
import { CHENGDU_CAMERA, fitCamera, type MapCamera } from './camera.ts';
import { deckCanvasSize, observeDevicePixels } from './deck-canvas.ts';
import type { BBox } from './geo-utils.ts';
import type { Basemap } from './basemap.ts';

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

type Idle = { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number; cancelIdleCallback?: (id: number) => void };

/**
 * deck.gl draws the map and owns the camera (standalone `Deck` with a MapView and controller);
 * the maplibre basemap sits underneath and follows deck's camera, non-interactive.
 *
 * Why deck first: with the offline basemap maplibre paints nothing but the background colour,
 * yet creating it compiles several shader programs, seconds of CPU under SwiftShader (software
 * WebGL) that used to stand before the first paint. Here the container's CSS background is that
 * colour, deck paints the data over it, and maplibre (its own lazily loaded chunk) is created
 * only after the first meaningful paint, when the browser is idle. An online style's tiles are
 * content, so that basemap is created at once and its `idle` stays part of readiness.
 */
export function MapView(props: MapViewProps) {
  const { theme, layers, bounds, dataReady, unitCodes, contextUrl = null, basemapStyleUrl = null } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const basemapRef = useRef<HTMLDivElement>(null);
  const deckHostRef = useRef<HTMLDivElement>(null);
  const deckRef = useRef<Deck<DeckMapView> | null>(null);
  const mapRef = useRef<Basemap | null>(null);
  const syncRef = useRef<((map: Basemap, camera: MapCamera) => void) | null>(null);
  const cameraRef = useRef<MapCamera>(CHENGDU_CAMERA);
  const context = useBoundaries(contextUrl);
  const boundsKey = bounds ? bounds.map((v) => v.toFixed(5)).join(',') : '';
  // The surroundings of the view once it is known (all of them around an empty map).
  const contextLayers = useMemo(
    () => (context.data && (bounds || dataReady) ? buildContextLayers(context.data, theme, bounds) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [context.data, theme, boundsKey, dataReady],
  );
  // A failed context fetch must not hold the readiness signal forever: the data is still drawn.
  const contextSettled = !contextUrl || context.isSuccess || context.isError;
  const allLayers = useMemo(() => (contextLayers ? [...contextLayers, ...layers] : layers), [contextLayers, layers]);
  const ready = dataReady && contextSettled;
  const readyRef = useRef({ dataReady: ready, unitCodes });
  const layersRef = useRef<Layer[]>([]);
  const tooltipRef = useRef(props.getTooltip);
  tooltipRef.current = props.getTooltip;
  const pixelRatioRef = useRef(props.pixelRatio);
  pixelRatioRef.current = props.pixelRatio;
  const online = basemapStyleUrl !== null;
  const attributionRef = useRef(props.attribution);
  attributionRef.current = props.attribution;
  const onlineRef = useRef(online);
  onlineRef.current = online;

  // deck.gl: created once per mount, on a canvas whose drawing buffer already has the map's size;
  // layers, camera and pixel ratio flow in through setProps.
  useEffect(() => {
    const host = deckHostRef.current;
    if (!host) return undefined;
    expectMapStart();
    let deck: Deck<DeckMapView> | null = null;
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%;z-index:1';
    host.appendChild(canvas);
    const create = (width: number, height: number) => {
      // luma.gl would otherwise draw the first frame into the canvas' default 300×150 buffer and
      // resize it at the next frame: under SwiftShader that resize waits seconds for the GPU
      // process to finish the frames before it (deck-canvas.ts).
      canvas.width = width;
      canvas.height = height;
      deck = new Deck<DeckMapView>({
        canvas,
        style: { position: 'absolute', left: '0', top: '0', zIndex: '1' },
        views: new DeckMapView({ repeat: false }),
        initialViewState: cameraRef.current,
        controller: { dragRotate: false, touchRotate: false, keyboard: false },
        // deck's tap recognizer drops a click whose press lasted over 250 ms, timed when the events
        // are handled, not when they happened: a busy main thread between the pointer-down and the
        // pointer-up (the synchronous picking pass, or the basemap's shaders compiled just after
        // the first paint, 1.8 s measured under SwiftShader at load 5) lengthens the press, and
        // drill-down clicks were lost. A still press is a click, however long the page was busy.
        eventRecognizerOptions: { click: { time: 10_000 } },
        // Until the map's own layers exist, invisible ones with the same GPU pipelines (see
        // buildWarmupLayers): their shaders compile while the data is on its way.
        layers: layersRef.current.length ? layersRef.current : buildContextWarmup([cameraRef.current.longitude, cameraRef.current.latitude]),
        ...(pixelRatioRef.current ? { useDevicePixels: pixelRatioRef.current } : {}),
        getTooltip: (info) => (isContextPick(info) ? null : tooltipRef.current?.(info) ?? null),
        onViewStateChange: ({ viewState }) => {
          const camera = viewState as unknown as MapCamera;
          cameraRef.current = { longitude: camera.longitude, latitude: camera.latitude, zoom: camera.zoom, pitch: camera.pitch ?? 0, bearing: camera.bearing ?? 0 };
          if (mapRef.current) syncRef.current?.(mapRef.current, cameraRef.current);
        },
        // With the offline basemap nothing else is loading: the map is "idle" unless the camera moves.
        onInteractionStateChange: (s) => {
          if (!onlineRef.current) markMapIdle(!(s.isDragging || s.isPanning || s.isZooming || s.inTransition));
        },
        onAfterRender: () => {
          markMapStarted();
          if (readyRef.current.dataReady) markDeckRendered(true, [...readyRef.current.unitCodes]);
        },
        onError: (error) => {
          reportUiError(error.message);
          console.warn('[deck]', error.message);
        },
      });
      deckRef.current = deck;
    };
    // The canvas' size in device pixels as luma.gl measures it (a ResizeObserver entry), known one
    // frame after it was laid out; deck is created then.
    const observer = new ResizeObserver((entries) => {
      const size = deckCanvasSize(entries.find((e) => e.target === canvas), pixelRatioRef.current);
      if (!size) return;
      observer.disconnect();
      create(size.width, size.height);
    });
    observeDevicePixels(observer, canvas);
    return () => {
      observer.disconnect();
      deckRef.current = null;
      markDeckRendered(false, []);
      deck?.finalize();
      canvas.remove();
    };
  }, []);

  // The maplibre basemap under deck: rebuilt when the theme or the style changes.
  useEffect(() => {
    const container = basemapRef.current;
    if (!container) return undefined;
    let disposed = false;
    let idleHandle: number | null = null;
    let map: Basemap | null = null;
    const create = async () => {
      const { createBasemap, syncBasemapCamera } = await import('./basemap.ts');
      if (disposed) return;
      syncRef.current = syncBasemapCamera;
      map = createBasemap({
        container,
        style: basemapStyleUrl ?? buildOfflineStyle(theme),
        camera: cameraRef.current,
        pixelRatio: pixelRatioRef.current,
        attribution: online ? attributionRef.current : null,
      });
      if (online) {
        map.on('idle', () => markMapIdle(true));
        map.on('movestart', () => markMapIdle(false));
      }
      map.on('error', (event) => {
        const message = event.error?.message ?? 'map error';
        reportUiError(message);
        console.warn('[map]', message);
      });
      mapRef.current = map;
    };
    const fail = (error: unknown) => reportUiError(error instanceof Error ? error.message : String(error));
    let unsubscribe = () => undefined as unknown;
    if (online) {
      markMapIdle(false);
      create().catch(fail);
    } else {
      // The CSS background already shows the colour maplibre would paint.
      markMapIdle(true);
      unsubscribe = onFirstPaint(() => {
        const idle = window as unknown as Idle;
        if (idle.requestIdleCallback) idleHandle = idle.requestIdleCallback(() => void create().catch(fail), { timeout: 3000 });
        else idleHandle = window.setTimeout(() => void create().catch(fail), 200);
      });
    }
    return () => {
      disposed = true;
      unsubscribe();
      if (idleHandle !== null) {
        const idle = window as unknown as Idle;
        if (idle.cancelIdleCallback) idle.cancelIdleCallback(idleHandle);
        window.clearTimeout(idleHandle);
      }
      markMapIdle(false);
      mapRef.current = null;
      map?.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme.name, basemapStyleUrl]);

  useEffect(() => {
    readyRef.current = { dataReady: ready, unitCodes };
    layersRef.current = allLayers;
    markDeckRendered(false);
    deckRef.current?.setProps({ layers: allLayers });
  }, [allLayers, ready, unitCodes, theme.name, basemapStyleUrl]);

  useEffect(() => {
    const ratio = props.pixelRatio;
    if (!ratio) return;
    mapRef.current?.setPixelRatio(ratio);
    deckRef.current?.setProps({ useDevicePixels: ratio });
  }, [props.pixelRatio]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || !bounds) return;
    const camera = fitCamera(bounds, container.clientWidth, container.clientHeight);
    if (!camera) return;
    cameraRef.current = camera;
    // A changed initialViewState resets deck's camera (deck compares it deeply).
    deckRef.current?.setProps({ initialViewState: camera });
    if (mapRef.current) syncRef.current?.(mapRef.current, camera);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boundsKey, theme.name, basemapStyleUrl]);

  return (
    <div className={`co-map ${props.className ?? ''}`}>
      <div ref={containerRef} className="co-map-canvas" data-testid="map" style={{ background: theme.mapBackground }}>
        <div ref={basemapRef} className="co-map-basemap" />
        <div ref={deckHostRef} className="co-map-deck" />
        {online ? null : <div className="co-map-attribution">{props.attribution}</div>}
      </div>
      {props.children}
    </div>
  );
}

