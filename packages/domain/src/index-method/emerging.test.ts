import { gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { classifyEmergingPattern, emergingHotSpotAnalysis, EMERGING_CATEGORY_LABELS, type EmergingCategory } from './emerging.ts';
import { buildHexNeighbourhood } from './hotspots.ts';
import { mannKendall } from './mann-kendall.ts';
import { createRandom, poissonSample } from './random.ts';

describe('Mann–Kendall', () => {
  it('matches hand computations, with and without ties', () => {
    // 1..5: S = 10 (all 10 pairs rise); Var = 5·4·15/18 = 16.666667; Z = (10 − 1)/4.082483 = 2.204541; p = 0.02749
    const rising = mannKendall([1, 2, 3, 4, 5]);
    expect(rising.s).toBe(10);
    expect(rising.variance).toBeCloseTo(16.666667, 6);
    expect(rising.z).toBeCloseTo(2.204541, 6);
    expect(rising.p).toBeCloseTo(0.02749, 4);
    expect(rising.trend).toBe('up');
    // [1,2,2,3]: S = +1+1+1+0+1+1 = 5; ties: one group of 2 → Var = (4·3·13 − 2·1·9)/18 = 138/18 = 7.666667
    // Z = 4/2.768875 = 1.444630 → not significant
    const tied = mannKendall([1, 2, 2, 3]);
    expect(tied.s).toBe(5);
    expect(tied.variance).toBeCloseTo(7.666667, 6);
    expect(tied.z).toBeCloseTo(1.44463, 5);
    expect(tied.trend).toBe('none');
    expect(mannKendall([4, 3, 2, 1, 0, -1, -2]).trend).toBe('down');
  });
});

describe('emerging hot spot categories', () => {
  // 12 monthly Gi* z-scores, oldest first; |z| ≥ 1.96 is significant at α = 0.05.
  const zeros = (n: number) => new Array<number>(n).fill(0);
  const cases: [EmergingCategory, number[]][] = [
    ['new_hot', [...zeros(11), 3]],
    ['consecutive_hot', [...zeros(9), 3, 3, 3]],
    ['intensifying_hot', [2.2, 2.4, 2.5, 2.8, 3, 3.1, 3.5, 3.6, 4, 4.2, 4.5, 5]],
    ['persistent_hot', [3, 2.5, 3.2, 2.4, 3.1, 2.6, 2.9, 2.7, 3.0, 2.5, 3.1, 2.6]],
    ['diminishing_hot', [6, 5.6, 5.1, 4.8, 4.4, 4, 3.7, 3.3, 3, 2.6, 2.3, 2.1]],
    ['sporadic_hot', [3, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 3]],
    ['sporadic_hot', [3, ...zeros(8), 3, 3, 3]], // a final run, but hot before it: not "consecutive"
    ['oscillating_hot', [-3, ...zeros(10), 3]],
    ['historical_hot', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0]],
    ['no_pattern', zeros(12)],
    ['no_pattern', [3, ...zeros(11)]],
  ];
  for (const [category, series] of cases) {
    it(`${category}: ${series.join(', ')}`, () => {
      expect(classifyEmergingPattern(series).category).toBe(category);
      if (category !== 'no_pattern') {
        const mirror = category.replace('_hot', '_cold') as EmergingCategory;
        expect(classifyEmergingPattern(series.map((z) => -z)).category).toBe(mirror);
      }
    });
  }
  it('labels every category in Chinese', () => {
    expect(EMERGING_CATEGORY_LABELS.intensifying_hot.zh).toBe('加剧热点');
    expect(EMERGING_CATEGORY_LABELS.oscillating_cold.zh).toBe('振荡冷点');
    expect(EMERGING_CATEGORY_LABELS.no_pattern.zh).toBe('无显著模式');
  });
  it('finds a cluster that appears in the last three months of twelve', () => {
    const center = latLngToCell(30.6574, 104.0658, 8);
    const area = gridDisk(center, 8);
    const hood = buildHexNeighbourhood(area);
    const planted = new Set(gridDisk(center, 1));
    const random = createRandom(3);
    const months = Array.from({ length: 12 }, (_, t) =>
      Float64Array.from(hood.cells, (cell) => poissonSample(random, t >= 9 && planted.has(cell) ? 20 : 4)),
    );
    const { results } = emergingHotSpotAnalysis(months, hood, { fdr: true });
    const category = results[hood.indexOf.get(center)!]!.category;
    expect(['consecutive_hot', 'new_hot']).toContain(category);
  });
});
