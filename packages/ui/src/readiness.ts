/**
 * A readiness signal for browser tests and kiosk monitors: `window.__cityops`.
 * - `mapIdle`: maplibre fired `idle` (style, sources and camera settled);
 * - `deckRendered`: deck.gl finished a frame that contained the current data layers;
 * - `chartsRendered`: how many mounted charts have finished rendering at least once;
 * - `mapUnits`: codes of the units drawn on the map (lets tests assert scope without pixels);
 * - `hexCells`: how many H3 cells the hotspot layer holds (0 when it is not shown).
 */
export interface CityOpsReadiness {
  mapIdle: boolean;
  deckRendered: boolean;
  chartsRendered: number;
  mapUnits: string[];
  hexCells: number;
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
  window.__cityops ??= { mapIdle: false, deckRendered: false, chartsRendered: 0, mapUnits: [], hexCells: 0, errors: [] };
  return window.__cityops;
}

export function markMapIdle(idle: boolean): void {
  const s = state();
  if (s) s.mapIdle = idle;
}

export function markDeckRendered(rendered: boolean, units?: string[]): void {
  const s = state();
  if (!s) return;
  s.deckRendered = rendered;
  if (units) s.mapUnits = units;
}

export function markChartFinished(chartId: string): void {
  finishedCharts.add(chartId);
  const s = state();
  if (s) s.chartsRendered = finishedCharts.size;
}

export function forgetChart(chartId: string): void {
  finishedCharts.delete(chartId);
  const s = state();
  if (s) s.chartsRendered = finishedCharts.size;
}

export function reportUiError(message: string): void {
  state()?.errors.push(message);
}

export function markHexCells(count: number): void {
  const s = state();
  if (s) s.hexCells = count;
}
