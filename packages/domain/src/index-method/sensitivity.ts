import type { UnitLevel } from '../units.ts';
import { AGGREGATION_METHODS, type AggregationMethod } from './aggregate.ts';
import {
  DEFAULT_INDEX_OPTIONS,
  aggregateMatrix,
  computeIndicatorValues,
  normaliseMatrix,
  rankWithinLevel,
  type SocialConditionIndexInput,
} from './compute-index.ts';
import { INDICATORS, PILLARS } from './indicators.ts';
import { NORMALISATION_METHODS, type NormalisationMethod } from './normalise.ts';
import { createRandom, dirichletSample } from './random.ts';
import { quantileSorted } from './stats.ts';
import { DEFAULT_WEIGHTS, type IndexWeights } from './weights.ts';

/**
 * Uncertainty and sensitivity analysis (OECD/JRC Handbook step 8): how much does a unit's rank
 * depend on choices we could reasonably have made differently? Each Monte Carlo run draws
 *   - pillar weights ~ Dirichlet(c · W) and, within each pillar, indicator weights
 *     ~ Dirichlet(c · w) — centred on the configured weights, c = concentration (default 50:
 *     a weight of 0.25 typically moves by ±0.06);
 *   - the normalisation (min–max or z-score) and the aggregation (arithmetic or geometric),
 *     uniformly among the allowed ones;
 * recomputes every score and rank, and reports each unit's median rank and 5th–95th percentile
 * rank interval. Seeded, so the interval stored with a published month is reproducible.
 */

export interface SensitivityOptions {
  iterations?: number;
  seed?: number;
  concentration?: number;
  normalisations?: readonly NormalisationMethod[];
  aggregations?: readonly AggregationMethod[];
}

export interface RankInterval {
  code: string;
  level: UnitLevel;
  /** Rank under the configured method. */
  rank: number;
  medianRank: number;
  p5Rank: number;
  p95Rank: number;
}

export interface SensitivityResult {
  iterations: number;
  seed: number;
  concentration: number;
  units: RankInterval[];
}

function perturbWeights(random: () => number, weights: IndexWeights, concentration: number): IndexWeights {
  const pillarDraw = dirichletSample(random, PILLARS.map((pillar) => concentration * weights.pillars[pillar]));
  const pillars = Object.fromEntries(PILLARS.map((pillar, p) => [pillar, pillarDraw[p]!])) as IndexWeights['pillars'];
  const indicators: Record<string, number> = {};
  for (const pillar of PILLARS) {
    const members = INDICATORS.filter((indicator) => indicator.pillar === pillar);
    const draw = dirichletSample(random, members.map((indicator) => concentration * weights.indicators[indicator.id]!));
    members.forEach((indicator, k) => (indicators[indicator.id] = draw[k]!));
  }
  return { pillars, indicators };
}

export function rankSensitivity(input: SocialConditionIndexInput, options: SensitivityOptions = {}): SensitivityResult {
  const iterations = options.iterations ?? 100;
  const seed = options.seed ?? 20240101;
  const concentration = options.concentration ?? 50;
  const normalisations = options.normalisations ?? NORMALISATION_METHODS;
  const aggregations = options.aggregations ?? AGGREGATION_METHODS;
  const weights = input.weights ?? DEFAULT_WEIGHTS;
  const indexOptions = { ...DEFAULT_INDEX_OPTIONS, ...input.options };
  const random = createRandom(seed);

  const matrix = computeIndicatorValues(input.units, indexOptions);
  const normalisedBy = new Map(normalisations.map((method) => [method, normaliseMatrix(matrix, input.baseline.goalposts, method)]));
  const nominalNormalised = normalisedBy.get(indexOptions.normalisation) ?? normaliseMatrix(matrix, input.baseline.goalposts, indexOptions.normalisation);
  const nominal = aggregateMatrix(nominalNormalised, weights, indexOptions.aggregation, indexOptions.geometricFloor);
  const nominalRanks = rankWithinLevel(nominal.scores, matrix.codes, matrix.levels).ranks;

  const n = matrix.codes.length;
  const ranks = new Int32Array(iterations * n);
  for (let it = 0; it < iterations; it++) {
    const drawn = perturbWeights(random, weights, concentration);
    const normalisation = normalisations[Math.floor(random() * normalisations.length)]!;
    const aggregation = aggregations[Math.floor(random() * aggregations.length)]!;
    const { scores } = aggregateMatrix(normalisedBy.get(normalisation)!, drawn, aggregation, indexOptions.geometricFloor);
    ranks.set(rankWithinLevel(scores, matrix.codes, matrix.levels).ranks, it * n);
  }
  const column = new Float64Array(iterations);
  const units = matrix.codes.map((code, i): RankInterval => {
    for (let it = 0; it < iterations; it++) column[it] = ranks[it * n + i]!;
    column.sort();
    return {
      code,
      level: matrix.levels[i]!,
      rank: nominalRanks[i]!,
      medianRank: quantileSorted(column, 0.5),
      p5Rank: quantileSorted(column, 0.05),
      p95Rank: quantileSorted(column, 0.95),
    };
  });
  return { iterations, seed, concentration, units };
}
