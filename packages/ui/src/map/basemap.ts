import { Map as MapLibreMap, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { MapCamera } from './camera.ts';

// Vite bundles the worker as a separate asset; maplibre cannot find it on its own.
setWorkerUrl(workerUrl);

/**
 * The maplibre basemap under deck.gl. Loaded as its own chunk (`import('./basemap.ts')`) so
 * maplibre is neither parsed nor compiling shaders before the first paint when the basemap is the
 * offline background colour. Non-interactive: deck.gl owns the camera and maplibre follows it
 * (`syncBasemapCamera`), the documented "deck.gl as the controller, maplibre as a base map" setup.
 */
export function createBasemap(options: {
  container: HTMLElement;
  style: string | StyleSpecification;
  camera: MapCamera;
  pixelRatio?: number | undefined;
  /** Shown in maplibre's attribution control with the style's own credits; null: no control. */
  attribution: string | null;
}): MapLibreMap {
  const { camera } = options;
  return new MapLibreMap({
    container: options.container,
    style: options.style,
    center: [camera.longitude, camera.latitude],
    zoom: camera.zoom,
    bearing: camera.bearing,
    pitch: camera.pitch,
    interactive: false,
    attributionControl: options.attribution === null ? false : { compact: false, customAttribution: options.attribution },
    ...(options.pixelRatio ? { pixelRatio: options.pixelRatio } : {}),
  });
}

export function syncBasemapCamera(map: MapLibreMap, camera: MapCamera): void {
  map.jumpTo({ center: [camera.longitude, camera.latitude], zoom: camera.zoom, bearing: camera.bearing, pitch: camera.pitch });
}

export type Basemap = MapLibreMap;
