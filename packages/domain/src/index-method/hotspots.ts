import { gridDisk } from 'h3-js';
import { benjaminiHochbergThresholds } from './fdr.ts';
import { twoSidedP } from './stats.ts';

/**
 * Hotspots on H3 hexagons with the Getis-Ord Gi* statistic (Getis & Ord 1992, Geographical
 * Analysis 24:189–206; Ord & Getis 1995, Geographical Analysis 27:286–306) — the "star"
 * version, where a cell is its own neighbour. (PySAL `esda.G_Local` computes Gi, without the
 * cell itself, unless `star=True`.) Binary weights: wᵢⱼ = 1 for j in gridDisk(i, 1) — the cell
 * and its six neighbours — when j lies in the study area, else 0.
 *
 *   Gi* = (Σⱼ wᵢⱼ xⱼ − X̄ Σⱼ wᵢⱼ) / ( S · √[(n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²) / (n − 1)] )
 *   X̄ = Σ xⱼ / n,   S = √(Σ xⱼ² / n − X̄²),   over all n cells of the study area, zeros included.
 *
 * Gi* is itself a z-score; p is two-sided. Bins as Esri's Gi_Bin: ±3 at 99 %, ±2 at 95 %,
 * ±1 at 90 % confidence (|z| ≥ 2.576 / 1.960 / 1.645), sign of z; with FDR the p-value
 * threshold of each level is the Benjamini–Hochberg one.
 */

export type HotspotBin = -3 | -2 | -1 | 0 | 1 | 2 | 3;

/** Confidence levels of bins 1, 2, 3 as significance levels α. */
export const HOTSPOT_ALPHAS = [0.1, 0.05, 0.01] as const;

export const HOTSPOT_BIN_LABELS: Record<HotspotBin, { zh: string; en: string; color: string }> = {
  3: { zh: '热点（99%置信）', en: 'Hot spot, 99% confidence', color: '#d62f27' },
  2: { zh: '热点（95%置信）', en: 'Hot spot, 95% confidence', color: '#ed7551' },
  1: { zh: '热点（90%置信）', en: 'Hot spot, 90% confidence', color: '#fab984' },
  0: { zh: '不显著', en: 'Not significant', color: '#eeeee6' },
  [-1]: { zh: '冷点（90%置信）', en: 'Cold spot, 90% confidence', color: '#c0ccbe' },
  [-2]: { zh: '冷点（95%置信）', en: 'Cold spot, 95% confidence', color: '#849eba' },
  [-3]: { zh: '冷点（99%置信）', en: 'Cold spot, 99% confidence', color: '#4575b5' },
};

/** Study-area cells and each cell's in-area neighbours (CSR layout), built once and reused every month. */
export interface HexNeighbourhood {
  cells: string[];
  indexOf: Map<string, number>;
  /** neighbours of cell i are `neighbours[offsets[i] … offsets[i + 1])`, the cell itself included. */
  offsets: Int32Array;
  neighbours: Int32Array;
}

/**
 * `diskOf` gives a cell's k-ring (`gridDisk(cell, ring)` by default); a caller that builds many
 * neighbourhoods over the same cells passes a memoised one so h3-js runs once per cell.
 */
export function buildHexNeighbourhood(cells: Iterable<string>, ring = 1, diskOf: (cell: string) => readonly string[] = (cell) => gridDisk(cell, ring)): HexNeighbourhood {
  const list = [...new Set(cells)].sort();
  const indexOf = new Map(list.map((cell, i) => [cell, i]));
  const offsets = new Int32Array(list.length + 1);
  const buffer: number[] = [];
  list.forEach((cell, i) => {
    for (const neighbour of diskOf(cell)) {
      const j = indexOf.get(neighbour);
      if (j !== undefined) buffer.push(j);
    }
    offsets[i + 1] = buffer.length;
  });
  return { cells: list, indexOf, offsets, neighbours: Int32Array.from(buffer) };
}

export interface GiStarOptions {
  /** Benjamini–Hochberg FDR correction of the bin thresholds (default false). */
  fdr?: boolean;
}

export interface GiStarResult {
  cells: string[];
  values: Float64Array;
  z: Float64Array;
  p: Float64Array;
  bins: Int8Array;
}

/** Gi* for every study-area cell; `values` is aligned with `neighbourhood.cells`. */
export function getisOrdGiStar(values: ArrayLike<number>, neighbourhood: HexNeighbourhood, options: GiStarOptions = {}): GiStarResult {
  const n = neighbourhood.cells.length;
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  giStarInto(values, neighbourhood, z, p);
  const thresholds = options.fdr ? benjaminiHochbergThresholds(p, HOTSPOT_ALPHAS) : HOTSPOT_ALPHAS;
  const bins = new Int8Array(n);
  for (let i = 0; i < n; i++) bins[i] = binOf(z[i]!, p[i]!, thresholds);
  return { cells: neighbourhood.cells, values: Float64Array.from(values), z, p, bins };
}

/**
 * The Gi* z-score and its two-sided p of every cell, written into `z` and `p` (the hot loop of
 * the hotspot and emerging analyses: typed arrays and the CSR neighbour lists, no allocation).
 */
export function giStarInto(values: ArrayLike<number>, neighbourhood: HexNeighbourhood, z: Float64Array, p: Float64Array): void {
  const n = neighbourhood.cells.length;
  if (values.length !== n) throw new RangeError('values must align with the neighbourhood cells');
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    sumSq += values[i]! * values[i]!;
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  const { offsets, neighbours } = neighbourhood;
  for (let i = 0; i < n; i++) {
    let local = 0;
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    for (let k = start; k < end; k++) local += values[neighbours[k]!]!;
    const w = end - start; // Σ wᵢⱼ = Σ wᵢⱼ² for binary weights
    const denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
    // A constant surface (S = 0) or a neighbourhood covering the whole area has no contrast: z = 0.
    const zi = denominator > 0 ? (local - mean * w) / denominator : 0;
    z[i] = zi;
    p[i] = twoSidedP(zi);
  }
}

/**
 * Bin from z and p given the p-value thresholds of the 90 / 95 / 99 % levels. Without FDR
 * the thresholds are 0.10 / 0.05 / 0.01 themselves — equivalent to |z| ≥ 1.645 / 1.960 / 2.576;
 * with FDR they are the BH critical values (0 = nothing significant at that level).
 */
export function binOf(z: number, p: number, thresholds: readonly number[] = HOTSPOT_ALPHAS): HotspotBin {
  let level = 0;
  for (let k = 0; k < thresholds.length; k++) {
    const threshold = thresholds[k]!;
    if (threshold > 0 && p <= threshold) level = k + 1;
  }
  return (z > 0 ? level : -level) as HotspotBin;
}

/**
 * Convenience: Gi* from a cell → value map. Cells of `studyArea` missing from the map count
 * as 0 (no events is data, and it belongs in X̄ and S); without `studyArea` the map's keys are
 * the study area.
 */
export function hotspotsFromValues(
  values: ReadonlyMap<string, number>,
  options: GiStarOptions & { studyArea?: Iterable<string>; ring?: number } = {},
): GiStarResult {
  const neighbourhood = buildHexNeighbourhood(options.studyArea ?? values.keys(), options.ring ?? 1);
  const aligned = Float64Array.from(neighbourhood.cells, (cell) => values.get(cell) ?? 0);
  return getisOrdGiStar(aligned, neighbourhood, options);
}
