import { benjaminiHochbergThreshold } from './fdr.ts';
import { giStarInto, type GiStarOptions, type HexNeighbourhood } from './hotspots.ts';
import { mannKendall, type MannKendallResult } from './mann-kendall.ts';
import { twoSidedP } from './stats.ts';

/**
 * Emerging Hot Spot Analysis (after Esri, "How Emerging Hot Spot Analysis works", ArcGIS Pro
 * Space Time Pattern Mining): each cell's monthly Gi* z-scores are classified by when and how
 * often the cell was a significant hot (or cold) spot, and by the Mann–Kendall trend of its
 * z-series. Differences from Esri, documented in docs/index-methodology.md: Gi* per month uses
 * the spatial k = 1 ring only (Esri adds the previous time step's neighbours by default), and
 * Esri asks for ≥ 10 time steps; with fewer, "90 % of steps" means all of them but one or none.
 */

export const EMERGING_CATEGORIES = [
  'new_hot',
  'consecutive_hot',
  'intensifying_hot',
  'persistent_hot',
  'diminishing_hot',
  'sporadic_hot',
  'oscillating_hot',
  'historical_hot',
  'new_cold',
  'consecutive_cold',
  'intensifying_cold',
  'persistent_cold',
  'diminishing_cold',
  'sporadic_cold',
  'oscillating_cold',
  'historical_cold',
  'no_pattern',
] as const;
export type EmergingCategory = (typeof EMERGING_CATEGORIES)[number];

const PATTERN_LABELS = {
  new: ['新增', 'New'],
  consecutive: ['连续', 'Consecutive'],
  intensifying: ['加剧', 'Intensifying'],
  persistent: ['持续', 'Persistent'],
  diminishing: ['减弱', 'Diminishing'],
  sporadic: ['零星', 'Sporadic'],
  oscillating: ['振荡', 'Oscillating'],
  historical: ['历史', 'Historical'],
} as const;
type Pattern = keyof typeof PATTERN_LABELS;

export const EMERGING_CATEGORY_LABELS = Object.fromEntries(
  EMERGING_CATEGORIES.map((category) => {
    if (category === 'no_pattern') return [category, { zh: '无显著模式', en: 'No pattern detected' }];
    const [pattern, kind] = category.split('_') as [Pattern, 'hot' | 'cold'];
    const [zh, en] = PATTERN_LABELS[pattern];
    return [category, { zh: `${zh}${kind === 'hot' ? '热点' : '冷点'}`, en: `${en} ${kind} spot` }];
  }),
) as Record<EmergingCategory, { zh: string; en: string }>;

export interface EmergingOptions {
  /** Significance of a single month's Gi* (default 0.05, i.e. bins ±2 and ±3). */
  alpha?: number;
  /** Significance of the Mann–Kendall trend (default 0.05). */
  trendAlpha?: number;
  /** Share of steps that makes a cell intensifying / persistent / diminishing / historical (Esri: 0.9). */
  persistentShare?: number;
}

export interface EmergingResult {
  category: EmergingCategory;
  trend: MannKendallResult;
  hotSteps: number;
  coldSteps: number;
}

/**
 * Esri's rules for the hot side; the cold side is the same with "hot" and "cold" swapped and
 * the trend sign reversed (a cold spot "intensifies" when its z falls).
 */
function classifySide(own: boolean[], other: boolean[], trend: 'up' | 'down' | 'none', share: number): Pattern | null {
  const n = own.length;
  const count = own.filter(Boolean).length;
  const finalOwn = own[n - 1]!;
  const mostly = count >= share * n;
  if (!finalOwn) return mostly ? 'historical' : null;
  if (mostly) return trend === 'up' ? 'intensifying' : trend === 'down' ? 'diminishing' : 'persistent';
  const before = own.slice(0, n - 1);
  if (other.slice(0, n - 1).some(Boolean)) return 'oscillating';
  if (!before.some(Boolean)) return 'new';
  let run = 0;
  while (run < n && own[n - 1 - run]) run++;
  if (run >= 2 && !own.slice(0, n - run).some(Boolean)) return 'consecutive';
  return 'sporadic';
}

/**
 * Category of one cell from its Gi* z-series (oldest first; p-values derived from z). A step
 * is significant when p < α, or p ≤ `stepThresholds[t]` when given (the month's BH threshold).
 */
export function classifyEmergingPattern(zSeries: ArrayLike<number>, options: EmergingOptions = {}, stepThresholds?: readonly number[]): EmergingResult {
  const alpha = options.alpha ?? 0.05;
  const share = options.persistentShare ?? 0.9;
  const z = Array.from(zSeries as ArrayLike<number>);
  const significant = z.map((value, t) => {
    const p = twoSidedP(value);
    return stepThresholds ? stepThresholds[t]! > 0 && p <= stepThresholds[t]! : p < alpha;
  });
  const hot = z.map((value, t) => significant[t]! && value > 0);
  const cold = z.map((value, t) => significant[t]! && value < 0);
  const trend = mannKendall(z, options.trendAlpha ?? 0.05);
  const flipped = trend.trend === 'up' ? 'down' : trend.trend === 'down' ? 'up' : 'none';
  const hotPattern = classifySide(hot, cold, trend.trend, share);
  const coldPattern = hotPattern ? null : classifySide(cold, hot, flipped, share);
  const category: EmergingCategory = hotPattern ? `${hotPattern}_hot` : coldPattern ? `${coldPattern}_cold` : 'no_pattern';
  return { category, trend, hotSteps: hot.filter(Boolean).length, coldSteps: cold.filter(Boolean).length };
}

/**
 * The full analysis: Gi* for each month over one fixed study area (so every month has the
 * same n and neighbours), then the classification of each cell. `monthlyValues[t]` is
 * aligned with `neighbourhood.cells`, oldest month first.
 *
 * Same result as running `getisOrdGiStar` per month and `classifyEmergingPattern` per cell
 * (emerging.test.ts checks it against exactly that), organised for ~20,000 cells × 12 months:
 * z and p in typed arrays, each month's BH thresholds from one sort, each cell's p-values
 * reused rather than recomputed from z, and the classification on byte flags.
 */
export function emergingHotSpotAnalysis(
  monthlyValues: readonly ArrayLike<number>[],
  neighbourhood: HexNeighbourhood,
  options: EmergingOptions & GiStarOptions = {},
): { cells: string[]; zSeries: Float64Array[]; results: EmergingResult[] } {
  const n = neighbourhood.cells.length;
  const steps = monthlyValues.length;
  const alpha = options.alpha ?? 0.05;
  const trendAlpha = options.trendAlpha ?? 0.05;
  const share = options.persistentShare ?? 0.9;
  const zSeries: Float64Array[] = [];
  const pSeries: Float64Array[] = [];
  for (const values of monthlyValues) {
    const z = new Float64Array(n);
    const p = new Float64Array(n);
    giStarInto(values, neighbourhood, z, p);
    zSeries.push(z);
    pSeries.push(p);
  }
  // With FDR each month's significance threshold is its own Benjamini–Hochberg critical p.
  const thresholds = options.fdr ? pSeries.map((p) => benjaminiHochbergThreshold(p, alpha)) : undefined;
  const zCell = new Float64Array(steps);
  const hot = new Uint8Array(steps);
  const cold = new Uint8Array(steps);
  const results: EmergingResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let hotSteps = 0;
    let coldSteps = 0;
    for (let t = 0; t < steps; t++) {
      const z = zSeries[t]![i]!;
      const p = pSeries[t]![i]!;
      zCell[t] = z;
      const significant = thresholds ? thresholds[t]! > 0 && p <= thresholds[t]! : p < alpha;
      hot[t] = significant && z > 0 ? 1 : 0;
      cold[t] = significant && z < 0 ? 1 : 0;
      hotSteps += hot[t]!;
      coldSteps += cold[t]!;
    }
    const trend = mannKendall(zCell, trendAlpha);
    const flipped = trend.trend === 'up' ? 'down' : trend.trend === 'down' ? 'up' : 'none';
    const hotPattern = classifyFlags(hot, hotSteps, cold, trend.trend, share);
    const coldPattern = hotPattern ? null : classifyFlags(cold, coldSteps, hot, flipped, share);
    const category: EmergingCategory = hotPattern ? `${hotPattern}_hot` : coldPattern ? `${coldPattern}_cold` : 'no_pattern';
    results[i] = { category, trend, hotSteps, coldSteps };
  }
  return { cells: neighbourhood.cells, zSeries, results };
}

/** `classifySide` on 0/1 flags with the count of own steps already known. */
function classifyFlags(own: Uint8Array, count: number, other: Uint8Array, trend: 'up' | 'down' | 'none', share: number): Pattern | null {
  const n = own.length;
  const mostly = count >= share * n;
  if (!own[n - 1]) return mostly ? 'historical' : null;
  if (mostly) return trend === 'up' ? 'intensifying' : trend === 'down' ? 'diminishing' : 'persistent';
  for (let t = 0; t < n - 1; t++) if (other[t]) return 'oscillating';
  if (count === 1) return 'new'; // the final step is the only one
  let run = 0;
  while (run < n && own[n - 1 - run]) run++;
  return run >= 2 && run === count ? 'consecutive' : 'sporadic';
}
