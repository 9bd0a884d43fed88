import { gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { EMERGING_CATEGORIES, emergingHotSpotAnalysis, type EmergingCategory } from './emerging.ts';
import { benjaminiHochbergThreshold, benjaminiHochbergThresholds } from './fdr.ts';
import { HOTSPOT_ALPHAS, buildHexNeighbourhood, getisOrdGiStar } from './hotspots.ts';
import { mannKendall } from './mann-kendall.ts';
import { createRandom, poissonSample } from './random.ts';
import { twoSidedP } from './stats.ts';

/*
 * The hotspot code is organised for speed (CSR neighbour lists, typed arrays, one sort for the
 * BH thresholds of all levels, Mann–Kendall without allocation, classification on byte flags).
 * These tests hold it to a straightforward reference written from the formulas alone — h3-js
 * neighbours per cell, plain arrays, a full sort, a Map of ties, Esri's rules as written — on
 * random irregular grids with holes, planted clusters and trends.
 */

// ---- the reference ---------------------------------------------------------------------------

function referenceGiStar(area: string[], values: Map<string, number>): { z: Map<string, number>; p: Map<string, number> } {
  const n = area.length;
  const inArea = new Set(area);
  const xs = area.map((cell) => values.get(cell) ?? 0);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(Math.max(0, xs.reduce((a, b) => a + b * b, 0) / n - mean * mean));
  const z = new Map<string, number>();
  const p = new Map<string, number>();
  for (const cell of area) {
    const neighbours = gridDisk(cell, 1).filter((other) => inArea.has(other));
    const local = neighbours.reduce((sum, other) => sum + (values.get(other) ?? 0), 0);
    const w = neighbours.length;
    const denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
    const zi = denominator > 0 ? (local - mean * w) / denominator : 0;
    z.set(cell, zi);
    p.set(cell, twoSidedP(zi));
  }
  return { z, p };
}

function referenceBh(pValues: number[], alpha: number): number {
  const sorted = pValues.filter((p) => Number.isFinite(p)).sort((a, b) => a - b);
  let threshold = 0;
  sorted.forEach((p, k) => {
    if (p <= ((k + 1) * alpha) / sorted.length) threshold = p;
  });
  return threshold;
}

function referenceMannKendall(series: number[], alpha = 0.05): { s: number; variance: number; z: number; trend: string } {
  const n = series.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(series[j]! - series[i]!);
  const ties = new Map<number, number>();
  for (const x of series) ties.set(x, (ties.get(x) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance > 0 ? (s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0) : 0;
  const p = twoSidedP(z);
  return { s, variance, z, trend: p < alpha ? (z > 0 ? 'up' : 'down') : 'none' };
}

/** Esri's emerging hot spot rules, read literally (hot side; the cold side mirrors it). */
function referenceCategory(z: number[], significant: boolean[], trend: string): EmergingCategory {
  const n = z.length;
  const side = (own: boolean[], other: boolean[], rising: string, falling: string): string | null => {
    const count = own.filter(Boolean).length;
    const mostly = count >= 0.9 * n;
    if (!own[n - 1]) return mostly ? 'historical' : null;
    if (mostly) return trend === rising ? 'intensifying' : trend === falling ? 'diminishing' : 'persistent';
    if (other.slice(0, -1).some(Boolean)) return 'oscillating';
    if (own.slice(0, -1).every((b) => !b)) return 'new';
    const firstOfFinalRun = own.lastIndexOf(false) + 1;
    return n - firstOfFinalRun >= 2 && own.slice(0, firstOfFinalRun).every((b) => !b) ? 'consecutive' : 'sporadic';
  };
  const hot = z.map((value, t) => significant[t]! && value > 0);
  const cold = z.map((value, t) => significant[t]! && value < 0);
  const hotPattern = side(hot, cold, 'up', 'down');
  if (hotPattern) return `${hotPattern}_hot` as EmergingCategory;
  const coldPattern = side(cold, hot, 'down', 'up');
  return coldPattern ? (`${coldPattern}_cold` as EmergingCategory) : 'no_pattern';
}

// ---- random grids ------------------------------------------------------------------------------

/** A radius-7 disk at res 8 (169 cells) with ~15 % of the cells removed: ragged edges and holes. */
function randomArea(seed: number): string[] {
  const random = createRandom(seed);
  const center = latLngToCell(30.6574 + random() * 0.2, 104.0658 + random() * 0.2, 8);
  return gridDisk(center, 7).filter(() => random() > 0.15);
}

/** 12 months of Poisson counts: background, a cluster that appears late, one that fades, a cold patch. */
function randomMonths(seed: number, area: string[]): Map<string, number>[] {
  const random = createRandom(seed * 31 + 1);
  const pick = () => area[Math.floor(random() * area.length)]!;
  const rising = new Set(gridDisk(pick(), 1));
  const fading = new Set(gridDisk(pick(), 1));
  const quiet = new Set(gridDisk(pick(), 2));
  return Array.from({ length: 12 }, (_, t) => {
    const month = new Map<string, number>();
    for (const cell of area) {
      let mean = 4;
      if (rising.has(cell) && t >= 6) mean = 4 + 8 * (t - 5);
      if (fading.has(cell)) mean = Math.max(4, 40 - 3 * t);
      if (quiet.has(cell)) mean = 0.3;
      const count = poissonSample(random, mean);
      if (count > 0 || random() < 0.5) month.set(cell, count); // absent cells are zeros
    }
    return month;
  });
}

describe('hotspot fast path equals a straightforward reference on random grids', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: Gi* z, p and bins (with and without FDR)`, () => {
      const area = randomArea(seed);
      const [values] = randomMonths(seed, area) as [Map<string, number>];
      const hood = buildHexNeighbourhood(area);
      const ref = referenceGiStar(area, values);
      for (const fdr of [false, true]) {
        const fast = getisOrdGiStar(Float64Array.from(hood.cells, (cell) => values.get(cell) ?? 0), hood, { fdr });
        const pList = hood.cells.map((cell) => ref.p.get(cell)!);
        const thresholds = fdr ? HOTSPOT_ALPHAS.map((alpha) => referenceBh(pList, alpha)) : [...HOTSPOT_ALPHAS];
        hood.cells.forEach((cell, i) => {
          expect(fast.z[i]).toBeCloseTo(ref.z.get(cell)!, 12);
          expect(fast.p[i]).toBeCloseTo(ref.p.get(cell)!, 12);
          const p = ref.p.get(cell)!;
          const level = thresholds.reduce((best, threshold, k) => (threshold > 0 && p <= threshold ? k + 1 : best), 0);
          expect(fast.bins[i]).toBe(ref.z.get(cell)! > 0 || level === 0 ? level : -level);
        });
      }
    });

    it(`seed ${seed}: emerging categories, trends and step counts (with and without FDR)`, () => {
      const area = randomArea(seed);
      const months = randomMonths(seed, area);
      const hood = buildHexNeighbourhood(area);
      const refs = months.map((month) => referenceGiStar(area, month));
      for (const fdr of [false, true]) {
        const fast = emergingHotSpotAnalysis(months.map((month) => Float64Array.from(hood.cells, (cell) => month.get(cell) ?? 0)), hood, { fdr });
        const thresholds = refs.map((ref) => referenceBh([...ref.p.values()], 0.05));
        const seen = new Set<EmergingCategory>();
        hood.cells.forEach((cell, i) => {
          const z = refs.map((ref) => ref.z.get(cell)!);
          const significant = refs.map((ref, t) => {
            const p = ref.p.get(cell)!;
            return fdr ? thresholds[t]! > 0 && p <= thresholds[t]! : p < 0.05;
          });
          const trend = referenceMannKendall(fast.zSeries.map((zs) => zs[i]!));
          const result = fast.results[i]!;
          expect(result.trend.s).toBe(trend.s);
          expect(result.trend.variance).toBe(trend.variance);
          expect(result.trend.trend).toBe(trend.trend);
          expect(result.category).toBe(referenceCategory(z, significant, trend.trend));
          expect(result.hotSteps).toBe(significant.filter((sig, t) => sig && z[t]! > 0).length);
          expect(result.coldSteps).toBe(significant.filter((sig, t) => sig && z[t]! < 0).length);
          seen.add(result.category);
        });
        // The grids are not trivially quiet: hot patterns appear (the comparison means something).
        expect([...seen].some((category) => category.endsWith('_hot'))).toBe(true);
        expect([...seen].every((category) => EMERGING_CATEGORIES.includes(category))).toBe(true);
      }
    });
  }

  it('BH thresholds of several levels from one pass equal the one-level reference (ties, NaN, none significant)', () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const m = 1 + Math.floor(random() * 300);
      const p = Array.from({ length: m }, () => {
        const u = random();
        return u < 0.05 ? Number.NaN : u < 0.3 ? Math.round(random() * 100) / 1e4 : random();
      });
      const alphas = [0.1, 0.05, 0.01];
      expect(benjaminiHochbergThresholds(p, alphas)).toEqual(alphas.map((alpha) => referenceBh(p, alpha)));
      expect(benjaminiHochbergThreshold(Float64Array.from(p), 0.05)).toBe(referenceBh(p, 0.05));
    }
  });

  it('Mann–Kendall equals the Map-of-ties reference on short series with many ties', () => {
    const random = createRandom(12);
    for (let trial = 0; trial < 500; trial++) {
      const n = 3 + Math.floor(random() * 14);
      const series = Array.from({ length: n }, () => (random() < 0.5 ? Math.floor(random() * 4) - 2 : random() * 6 - 3));
      const fast = mannKendall(series);
      const ref = referenceMannKendall(series);
      expect([fast.s, fast.variance, fast.z, fast.trend]).toEqual([ref.s, ref.variance, ref.z, ref.trend]);
    }
  });
});
