import { describe, expect, it } from 'vitest';
import { buildBaseline, computeSocialConditionIndex } from './compute-index.ts';
import { createRandom, dirichletSample } from './random.ts';
import { rankSensitivity } from './sensitivity.ts';
import { syntheticCity } from './test-fixtures.ts';

describe('Monte Carlo rank sensitivity', () => {
  const units = syntheticCity(5, { communities: 100, gridsPerCommunity: 2 });
  const baseline = buildBaseline([{ month: '2023-06', units: syntheticCity(6, { communities: 100, gridsPerCommunity: 2 }) }]);
  const input = { month: '2024-03', units, baseline };

  it('gives every unit an interval around its rank, reproducibly for a seed', () => {
    const result = rankSensitivity(input, { iterations: 60, seed: 9 });
    const nominal = computeSocialConditionIndex(input);
    result.units.forEach((unit, i) => {
      expect(unit.rank).toBe(nominal.units[i]!.rank);
      expect(unit.p5Rank).toBeLessThanOrEqual(unit.medianRank);
      expect(unit.medianRank).toBeLessThanOrEqual(unit.p95Rank);
      expect(unit.p95Rank).toBeLessThanOrEqual(nominal.units[i]!.rankOf);
    });
    // The district ranked first is rarely pushed far down by perturbations of weights and methods.
    const top = result.units.find((u) => u.level === 'district' && u.rank === 1)!;
    expect(top.medianRank).toBeLessThanOrEqual(5);
    expect(rankSensitivity(input, { iterations: 60, seed: 9 })).toEqual(result);
  });

  it('with weights held (huge concentration) and one method, the interval collapses to the rank', () => {
    const result = rankSensitivity(input, { iterations: 20, concentration: 1e9, normalisations: ['minmax'], aggregations: ['arithmetic'] });
    // Weights still move by ~1e-5 relative, enough to swap a few near-tied grids by one place.
    for (const unit of result.units) {
      expect(unit.p5Rank).toBeGreaterThanOrEqual(unit.rank - 1);
      expect(unit.p95Rank).toBeLessThanOrEqual(unit.rank + 1);
    }
    expect(result.units.filter((u) => u.medianRank === u.rank).length).toBeGreaterThan(0.95 * result.units.length);
  });

  it('draws Dirichlet weights that sum to 1 with the right mean', () => {
    const random = createRandom(1);
    const mean = [0, 0, 0];
    for (let k = 0; k < 4000; k++) dirichletSample(random, [5, 3, 2]).forEach((w, i) => (mean[i] = mean[i]! + w / 4000));
    expect(mean[0]).toBeCloseTo(0.5, 1);
    expect(mean[1]).toBeCloseTo(0.3, 1);
    expect(dirichletSample(random, [1, 1, 1, 1]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
