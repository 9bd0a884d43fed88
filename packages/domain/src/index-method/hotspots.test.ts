import { gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, benjaminiHochbergAdjust, benjaminiHochbergThreshold } from './fdr.ts';
import { binOf, buildHexNeighbourhood, getisOrdGiStar, hotspotsFromValues } from './hotspots.ts';
import { createRandom, poissonSample } from './random.ts';

// A res-9 cell in central Chengdu (天府广场) and its radius-2 disk: 1 + 6 + 12 = 19 cells.
const center = latLngToCell(30.6574, 104.0658, 9);
const area = gridDisk(center, 2);
const ringOf = (cell: string) => gridDistance(center, cell);

describe('Getis-Ord Gi*', () => {
  it('uses the cell itself and its in-area neighbours: 7 inside, 4 at the corners and 5 on the edges of the disk', () => {
    const hood = buildHexNeighbourhood(area);
    const size = (cell: string) => {
      const i = hood.indexOf.get(cell)!;
      return hood.offsets[i + 1]! - hood.offsets[i]!;
    };
    expect(size(center)).toBe(7);
    const outer = area.filter((cell) => ringOf(cell) === 2).map(size).sort();
    expect(outer).toEqual([4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5]);
  });

  it('matches a hand computation: one hot cell', () => {
    // x = 10 at the center, 0 in the other 18 cells; n = 19.
    // X̄ = 10/19 = 0.526316;  S = √(100/19 − 0.526316²) = √(5.263158 − 0.277008) = 2.232969
    // center (W = 7, Σ = 10): (10 − 0.526316·7) / (2.232969·√((19·7 − 49)/18)) = 6.315789 / 4.823763 = 1.309307
    // corner (W = 4, Σ = 0): −2.105263 / (2.232969·√(60/18)) = −2.105263 / 4.076822 = −0.516398
    // edge   (W = 5, Σ = 0): −2.631579 / (2.232969·√(70/18)) = −2.631579 / 4.403476 = −0.597614
    const result = hotspotsFromValues(new Map([[center, 10]]), { studyArea: area });
    const z = (cell: string) => result.z[result.cells.indexOf(cell)]!;
    expect(z(center)).toBeCloseTo(1.309307, 5);
    const hood = buildHexNeighbourhood(area);
    for (const cell of area.filter((c) => ringOf(c) === 2)) {
      const i = hood.indexOf.get(cell)!;
      const w = hood.offsets[i + 1]! - hood.offsets[i]!;
      expect(z(cell)).toBeCloseTo(w === 4 ? -0.516398 : -0.597614, 5);
    }
    expect(result.bins[result.cells.indexOf(center)]).toBe(0); // p = 0.19: not significant
  });

  it('matches a hand computation: a hot cluster', () => {
    // x = 10 on the center and ring 1 (7 cells), 0 on ring 2 (12 cells).
    // X̄ = 70/19 = 3.684211;  S = √(700/19 − 3.684211²) = √23.268698 = 4.823763
    // center: (70 − 7·3.684211) / (4.823763·√(84/18)) = 44.210526 / 10.420523 = 4.242641 → p = 2.21e-5 → bin 3
    // ring 1 (W = 7, Σ = 40): 14.210526 / 10.420523 = 1.363706 → bin 0
    // ring-2 edge (W = 5, Σ = 20): (20 − 18.421053) / (4.823763·√(70/18)) = 1.578947 / 9.512655 = 0.165985
    const values = new Map(area.map((cell) => [cell, ringOf(cell) <= 1 ? 10 : 0]));
    const result = hotspotsFromValues(values);
    const at = (cell: string) => result.cells.indexOf(cell);
    expect(result.z[at(center)]).toBeCloseTo(4.242641, 5);
    expect(result.p[at(center)]).toBeCloseTo(2.209e-5, 7);
    expect(result.bins[at(center)]).toBe(3);
    const ring1 = area.find((cell) => ringOf(cell) === 1)!;
    expect(result.z[at(ring1)]).toBeCloseTo(1.363706, 5);
  });

  it('bins at 90 / 95 / 99 % and signs cold spots', () => {
    expect(binOf(1.7, 0.0891)).toBe(1);
    expect(binOf(-2.0, 0.0455)).toBe(-2);
    expect(binOf(2.6, 0.0093)).toBe(3);
    expect(binOf(1.6, 0.1096)).toBe(0);
    expect(binOf(5, 1e-6, [0, 0, 0])).toBe(0);
  });

  it('finds a planted cluster in Poisson noise and FDR keeps the noise quiet', () => {
    const random = createRandom(7);
    const big = gridDisk(center, 12); // 469 cells
    const plantedCenter = big.find((cell) => gridDistance(center, cell) === 5)!;
    const planted = new Set(gridDisk(plantedCenter, 1));
    const values = new Map(big.map((cell) => [cell, poissonSample(random, planted.has(cell) ? 12 : 3)]));
    const plain = hotspotsFromValues(values);
    const fdr = hotspotsFromValues(values, { fdr: true });
    const hotCells = (r: typeof plain, min: number) => r.cells.filter((_, i) => r.bins[i]! >= min);
    const falseHot = (r: typeof plain) =>
      hotCells(r, 2).filter((cell) => ![...planted].some((p) => gridDistance(p, cell) <= 1)).length;
    expect(hotCells(fdr, 2)).toContain(plantedCenter);
    expect(falseHot(fdr)).toBeLessThanOrEqual(falseHot(plain));
  });
});

describe('Benjamini–Hochberg', () => {
  it('matches hand computations', () => {
    // m = 4, α = 0.05: sorted .005 ≤ .0125, .01 ≤ .025, .03 ≤ .0375, .04 ≤ .05 → threshold .04, all significant
    expect(benjaminiHochbergThreshold([0.01, 0.04, 0.03, 0.005], 0.05)).toBe(0.04);
    // m = 6: .05 > 5·.05/6 = .0417, .04 > .0333, .03 > .025, .02 > .0167, .01 > .0083 → none
    const p = [0.01, 0.02, 0.03, 0.04, 0.05, 0.5];
    expect(benjaminiHochberg(p, 0.05)).toEqual([false, false, false, false, false, false]);
    // q₍ₖ₎ = min_{j≥k} m·p₍ⱼ₎/j: 6·.05/5 = .06 = 6·.04/4 = … → [.06 ×5, .5]
    expect(Array.from(benjaminiHochbergAdjust(p))).toEqual([0.06, 0.06, 0.06, 0.06, 0.06, 0.5].map((v) => expect.closeTo(v, 12)));
  });
});
