/**
 * A readiness signal for browser tests and kiosk monitors: `window.__cityops`.
 * - `mapIdle`: the basemap is settled. deck.gl draws the map and owns the camera (map-view.tsx);
 *   with the offline basemap (a CSS background colour under deck's canvas, drawn with the page)
 *   this is "the camera is not moving" (no drag/zoom in progress); with an online basemap style
 *   maplibre's `idle` (style, tiles and camera settled), since its tiles are meaningful content;
 * - `deckRendered`: deck.gl finished a frame that contained the current data layers (and the
 *   context units: MapView only reports data as ready once they are loaded);
 * - `chartsRendered`: how many mounted charts have finished rendering at least once;
 * - `mapUnits`: codes of the units drawn on the map (lets tests assert scope without pixels);
 * - `hexCells`: how many H3 cells the hotspot layer holds (0 when it is not shown), `hexMode` which layer;
 * - `eventPoints`: how many event points the street-zoom layer holds;
 * - `firstPaintMs`: ms from navigation start to the first time map and charts were both drawn.
 */
export interface CityOpsReadiness {
  mapIdle: boolean;
  deckRendered: boolean;
  chartsRendered: number;
  mapUnits: string[];
  hexCells: number;
  hexMode: 'gi' | 'emerging' | null;
  eventPoints: number;
  firstPaintMs: number | null;
  errors: string[];
}

declare global {
  interface Window {
    __cityops?: CityOpsReadiness;
  }
}

const finishedCharts = new Set<string>();

function state(): CityOpsReadiness | undefined {
  if (typeof window === 'undefined') return undefined;
  window.__cityops ??= { mapIdle: false, deckRendered: false, chartsRendered: 0, mapUnits: [], hexCells: 0, hexMode: null, eventPoints: 0, firstPaintMs: null, errors: [] };
  return window.__cityops;
}

let firstPaintCharts = 1;

/** How many charts an app shows on first paint (the first-paint signal waits for them). */
export function setFirstPaintCharts(count: number): void {
  firstPaintCharts = count;
}

const firstPaintListeners = new Set<() => void>();

/**
 * Runs `listener` once the first meaningful paint happened (at once if it already has). Work
 * that is not part of that paint waits for it: the offline maplibre basemap (which would only
 * repaint the background colour, but costs seconds of shader compilation under SwiftShader).
 * Returns an unsubscribe function.
 */
export function onFirstPaint(listener: () => void): () => void {
  if (state()?.firstPaintMs != null) {
    listener();
    return () => undefined;
  }
  firstPaintListeners.add(listener);
  return () => firstPaintListeners.delete(listener);
}

/**
 * The first "meaningful paint": the map is idle with the data layers drawn and the app's charts
 * finished. Recorded once as ms since navigation start (`performance.now()`), and as
 * `<html data-first-paint>` so a benchmark can wait for it without knowing the app.
 */
function checkFirstPaint(s: CityOpsReadiness): void {
  if (s.firstPaintMs !== null) return;
  if (!s.mapIdle || !s.deckRendered || s.mapUnits.length === 0 || s.chartsRendered < firstPaintCharts) return;
  s.firstPaintMs = performance.now();
  document.documentElement.dataset.firstPaint = String(Math.round(s.firstPaintMs));
  const listeners = [...firstPaintListeners];
  firstPaintListeners.clear();
  for (const listener of listeners) listener();
}

export function markMapIdle(idle: boolean): void {
  const s = state();
  if (!s) return;
  s.mapIdle = idle;
  checkFirstPaint(s);
}

export function markDeckRendered(rendered: boolean, units?: string[]): void {
  const s = state();
  if (!s) return;
  s.deckRendered = rendered;
  if (units) s.mapUnits = units;
  checkFirstPaint(s);
}

export function markChartFinished(chartId: string): void {
  finishedCharts.add(chartId);
  const s = state();
  if (!s) return;
  s.chartsRendered = finishedCharts.size;
  checkFirstPaint(s);
}

export function forgetChart(chartId: string): void {
  finishedCharts.delete(chartId);
  const s = state();
  if (s) s.chartsRendered = finishedCharts.size;
}

export function reportUiError(message: string): void {
  state()?.errors.push(message);
}

export function markHexCells(count: number, mode: 'gi' | 'emerging' | null = null): void {
  const s = state();
  if (!s) return;
  s.hexCells = count;
  s.hexMode = count > 0 ? mode : null;
}

export function markEventPoints(count: number): void {
  const s = state();
  if (s) s.eventPoints = count;
}

/**
 * The map's GPU start-up before the first paint: a map that mounted (`expectMapStart`) and has
 * not yet issued its first frame (`markMapStarted`). Charts hold their first drawing until then
 * (`afterMapStart`): under SwiftShader the GPU process compiles the map's pipelines for 1–2 s
 * after deck's first frame, on the other core, and that frame waits for a main thread that the
 * charts' first drawing kept busy for 0.5–0.9 s. In this order the two overlap.
 */
let mapStart: 'none' | 'expected' | 'started' = 'none';
const mapStartListeners = new Set<() => void>();

export function expectMapStart(): void {
  if (mapStart === 'none') mapStart = 'expected';
}

export function markMapStarted(): void {
  if (mapStart === 'started') return;
  mapStart = 'started';
  const listeners = [...mapStartListeners];
  mapStartListeners.clear();
  for (const listener of listeners) listener();
}

/**
 * Runs `listener` once the map issued its first frame, at once when no map is starting or the
 * first paint is past, and after `timeoutMs` at the latest. Returns a cancel function.
 */
export function afterMapStart(listener: () => void, timeoutMs: number): () => void {
  if (mapStart !== 'expected' || state()?.firstPaintMs != null) {
    listener();
    return () => undefined;
  }
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    window.clearTimeout(timer);
    mapStartListeners.delete(run);
    listener();
  };
  const timer = window.setTimeout(run, timeoutMs);
  mapStartListeners.add(run);
  return () => {
    done = true;
    window.clearTimeout(timer);
    mapStartListeners.delete(run);
  };
}
