import type { Item } from '../categories.ts';
import { DomainError } from '../errors.ts';
import type { Source } from '../sources.ts';
import type { UnitLevel } from '../units.ts';
import { DEFAULT_GEOMETRIC_FLOOR, bandOf, type AggregationMethod, type Band } from './aggregate.ts';
import { INDICATORS, METHOD_VERSION, PILLARS, PROCESS_RATIOS, type Pillar, type ProcessAggregates, type ProcessIndicatorId } from './indicators.ts';
import { DEFAULT_GOALPOST_OPTIONS, goalpostFromBaseline, normalise, type Goalpost, type GoalpostOptions, type NormalisationMethod } from './normalise.ts';
import { DEFAULT_WEIGHTS, validateWeights, withinPillarWeights, type IndexWeights } from './weights.ts';

/**
 * The monthly social condition index (社情指数) of every unit of every level:
 * counts → rates (EB-smoothed) → fixed-goalpost normalisation → two-level weighted
 * aggregation → score 0–100, band and rank within level. Pure; the db package feeds rollups.
 * Matrices are row-major Float64Arrays (unit × indicator, INDICATORS order) to stay fast at
 * ~21,000 units × 54 indicators.
 */

export interface UnitMonthInput {
  code: string;
  level: UnitLevel;
  population: number;
  /** counts[source][item] in the month; missing entries are 0. */
  counts: Partial<Record<Source, Partial<Record<Item, number>>>>;
  process: ProcessAggregates;
}

export interface IndexOptions {
  normalisation: NormalisationMethod;
  aggregation: AggregationMethod;
  /** Marshall global EB for volume rates (default) or crude rates. */
  smoothing: 'empirical_bayes' | 'none';
  /** Pseudo-cases of the Beta prior shrinking service rates toward the level's pooled rate. */
  processPriorStrength: number;
  geometricFloor: number;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = {
  normalisation: 'minmax',
  aggregation: 'arithmetic',
  smoothing: 'empirical_bayes',
  processPriorStrength: 10,
  geometricFloor: DEFAULT_GEOMETRIC_FLOOR,
};

/** Goalposts per level and indicator id. */
export type GoalpostTable = Partial<Record<UnitLevel, Record<string, Goalpost>>>;

export interface Baseline {
  /** First and last month of the baseline period, 'YYYY-MM'. */
  from: string;
  to: string;
  goalposts: GoalpostTable;
  goalpostOptions: Required<GoalpostOptions>;
}

export interface IndicatorMatrix {
  codes: string[];
  levels: UnitLevel[];
  populations: Float64Array;
  /** n × K, row-major, INDICATORS order: volume rates per 10,000, process rates in %. */
  values: Float64Array;
}

const K = INDICATORS.length;
/** Volume rates are per 10,000 residents. */
const RATE_BASE = 10_000;

function groupByLevel(levels: readonly UnitLevel[]): Map<UnitLevel, number[]> {
  const groups = new Map<UnitLevel, number[]>();
  levels.forEach((level, i) => {
    const group = groups.get(level);
    if (group) group.push(i);
    else groups.set(level, [i]);
  });
  return groups;
}

// Column metadata hoisted into flat arrays once: the hot loops below touch ~1.2 M cells and
// must not go through module-binding getters or object lookups per cell.
const COLUMN_SOURCE = INDICATORS.map((indicator) => indicator.source);
const COLUMN_ITEM = INDICATORS.map((indicator) => indicator.item);
const COLUMN_NEGATIVE = Uint8Array.from(INDICATORS, (indicator) => (indicator.direction === 'negative' ? 1 : 0));
const COLUMN_RATIO = INDICATORS.map((indicator) => (indicator.kind === 'process' ? PROCESS_RATIOS[indicator.id as ProcessIndicatorId] : null));
const COLUMN_PILLAR = Int32Array.from(INDICATORS, (indicator) => PILLARS.indexOf(indicator.pillar));

/**
 * Raw indicator values of one month. Smoothing pools within a level (a grid is shrunk toward
 * the grid mean, not the city's), which is the "level mean" of Marshall's global estimator.
 */
export function computeIndicatorValues(units: readonly UnitMonthInput[], options: Partial<IndexOptions> = {}): IndicatorMatrix {
  const opts = { ...DEFAULT_INDEX_OPTIONS, ...options };
  const n = units.length;
  const values = new Float64Array(n * K);
  const populations = new Float64Array(n);
  // First pass: raw numerators (counts) and denominators (process) into the matrices.
  const denominators = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const unit = units[i]!;
    if (!Number.isFinite(unit.population) || unit.population < 0) {
      throw new DomainError('BAD_INPUT', `人口数无效: ${unit.code}`, { code: unit.code, population: unit.population });
    }
    populations[i] = unit.population;
    const counts = unit.counts;
    const process = unit.process;
    for (let j = 0; j < K; j++) {
      const ratio = COLUMN_RATIO[j];
      if (ratio === null || ratio === undefined) {
        const count = counts[COLUMN_SOURCE[j]!]?.[COLUMN_ITEM[j]!] ?? 0;
        if (!(count >= 0)) throw new DomainError('BAD_INPUT', `计数无效: ${unit.code} ${INDICATORS[j]!.id}`);
        values[i * K + j] = count;
      } else {
        const den = process[ratio.denominator] ?? 0;
        values[i * K + j] = Math.min(process[ratio.numerator] ?? 0, den);
        denominators[i * K + j] = den;
      }
    }
  }
  const levels = units.map((unit) => unit.level);
  for (const members of groupByLevel(levels).values()) smoothLevel(values, denominators, populations, members, opts);
  return { codes: units.map((unit) => unit.code), levels, populations, values };
}

/**
 * Rates of one level, in place. The same estimators as `empiricalBayesRates` and
 * `shrinkProportions` (smoothing.ts, the readable reference — a test checks they agree), but
 * computed in row-major passes with per-column accumulators: walking a 22,000 × 54 matrix
 * column by column misses the cache on every cell and was 5× slower.
 */
function smoothLevel(values: Float64Array, denominators: Float64Array, populations: Float64Array, members: readonly number[], opts: IndexOptions): void {
  const sumX = new Float64Array(K);
  const sumDen = new Float64Array(K);
  let sumPop = 0;
  let populated = 0;
  for (const i of members) {
    const pop = populations[i]!;
    const base = i * K;
    for (let j = 0; j < K; j++) {
      if (COLUMN_RATIO[j] == null) {
        if (pop > 0) sumX[j] = sumX[j]! + values[base + j]!;
      } else {
        sumX[j] = sumX[j]! + values[base + j]!;
        sumDen[j] = sumDen[j]! + denominators[base + j]!;
      }
    }
    if (pop > 0) {
      sumPop += pop;
      populated++;
    }
  }
  // Pooled rate mⱼ (per person) of volume columns; pooled proportion p₀ of process columns.
  const pooled = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    if (COLUMN_RATIO[j] == null) pooled[j] = sumPop > 0 ? sumX[j]! / sumPop : 0;
    else pooled[j] = sumDen[j]! > 0 ? sumX[j]! / sumDen[j]! : 0.5;
  }
  const variance = new Float64Array(K);
  const smoothing = opts.smoothing === 'empirical_bayes';
  if (smoothing && populated > 0) {
    const ss = new Float64Array(K);
    for (const i of members) {
      const pop = populations[i]!;
      if (!(pop > 0)) continue;
      const base = i * K;
      for (let j = 0; j < K; j++) {
        if (COLUMN_RATIO[j] != null) continue;
        const d = values[base + j]! / pop - pooled[j]!;
        ss[j] = ss[j]! + pop * d * d;
      }
    }
    const meanPop = sumPop / populated;
    for (let j = 0; j < K; j++) variance[j] = Math.max(0, ss[j]! / sumPop - pooled[j]! / meanPop);
  }
  const a = opts.processPriorStrength;
  for (const i of members) {
    const pop = populations[i]!;
    const base = i * K;
    for (let j = 0; j < K; j++) {
      const x = values[base + j]!;
      const m = pooled[j]!;
      if (COLUMN_RATIO[j] != null) {
        const den = denominators[base + j]! + a;
        values[base + j] = 100 * (den > 0 ? (x + a * m) / den : m);
      } else if (!(pop > 0)) {
        values[base + j] = smoothing ? m * RATE_BASE : 0;
      } else if (!smoothing || m === 0) {
        values[base + j] = (x / pop) * RATE_BASE;
      } else {
        const s2 = variance[j]!;
        const c = s2 / (s2 + m / pop);
        values[base + j] = (m + c * (x / pop - m)) * RATE_BASE;
      }
    }
  }
}

/**
 * Goalposts from the baseline months: each month's indicator values are computed as in
 * production (same smoothing), pooled per level over all months, and the percentiles taken.
 */
export function buildBaseline(
  months: readonly { month: string; units: readonly UnitMonthInput[] }[],
  options: Partial<IndexOptions> = {},
  goalpostOptions: GoalpostOptions = {},
): Baseline {
  if (months.length === 0) throw new DomainError('BAD_INPUT', '基期至少需要一个月的数据');
  const pooled = new Map<UnitLevel, number[][]>();
  for (const { units } of months) {
    const matrix = computeIndicatorValues(units, options);
    matrix.levels.forEach((level, i) => {
      let columns = pooled.get(level);
      if (!columns) pooled.set(level, (columns = INDICATORS.map(() => [])));
      for (let j = 0; j < K; j++) columns[j]!.push(matrix.values[i * K + j]!);
    });
  }
  const resolved = { ...DEFAULT_GOALPOST_OPTIONS, ...goalpostOptions };
  const goalposts: GoalpostTable = {};
  for (const [level, columns] of pooled) {
    goalposts[level] = Object.fromEntries(INDICATORS.map((indicator, j) => [indicator.id, goalpostFromBaseline(columns[j]!, resolved)]));
  }
  const sorted = months.map((entry) => entry.month).sort();
  return { from: sorted[0]!, to: sorted[sorted.length - 1]!, goalposts, goalpostOptions: resolved };
}

/** Normalised 0–100 values (higher = better), same shape as `matrix.values`. */
export function normaliseMatrix(matrix: IndicatorMatrix, goalposts: GoalpostTable, method: NormalisationMethod): Float64Array {
  const out = new Float64Array(matrix.values.length);
  const values = matrix.values;
  for (const [level, members] of groupByLevel(matrix.levels)) {
    const table = goalposts[level];
    if (!table) throw new DomainError('BAD_INPUT', `缺少层级 ${level} 的基期目标值`, { level });
    const posts = INDICATORS.map((indicator) => {
      const post = table[indicator.id];
      if (!post) throw new DomainError('BAD_INPUT', `缺少指标 ${indicator.id} 的基期目标值`, { level, indicator: indicator.id });
      return post;
    });
    const directions = Array.from(COLUMN_NEGATIVE, (negative) => (negative ? 'negative' : 'positive') as 'negative' | 'positive');
    for (const i of members) {
      const base = i * K;
      for (let j = 0; j < K; j++) out[base + j] = normalise(values[base + j]!, posts[j]!, directions[j]!, method);
    }
  }
  return out;
}

/**
 * Rank within level: 1 = highest score; equal scores are ordered by code so ranks are
 * unique and reproducible. Returns rank per row and the number of units per level.
 */
export function rankWithinLevel(scores: ArrayLike<number>, codes: readonly string[], levels: readonly UnitLevel[]): { ranks: Int32Array; counts: Map<UnitLevel, number> } {
  const ranks = new Int32Array(scores.length);
  const counts = new Map<UnitLevel, number>();
  for (const [level, members] of groupByLevel(levels)) {
    members.sort((a, b) => scores[b]! - scores[a]! || (codes[a]! < codes[b]! ? -1 : codes[a]! > codes[b]! ? 1 : 0));
    members.forEach((row, position) => (ranks[row] = position + 1));
    counts.set(level, members.length);
  }
  return { ranks, counts };
}

export interface UnitIndexResult {
  code: string;
  level: UnitLevel;
  population: number;
  score: number;
  band: Band;
  /** 1 = best within the level. */
  rank: number;
  /** Units in the level. */
  rankOf: number;
  pillarScores: Record<Pillar, number>;
  /**
   * Raw indicator values, INDICATORS order (volume per 10,000 after smoothing; rates in %).
   * A view into `result.matrix.values` — copying 2 × 54 numbers for 21,000 units costs more
   * than the whole computation; use `Array.from` when a plain array is needed (JSON).
   */
  values: Float64Array;
  /** Normalised 0–100, INDICATORS order; a view into `result.matrix.normalised`. */
  normalised: Float64Array;
}

export interface SocialConditionIndexInput {
  month: string;
  units: readonly UnitMonthInput[];
  baseline: Baseline;
  weights?: IndexWeights;
  options?: Partial<IndexOptions>;
}

export interface SocialConditionIndexResult {
  month: string;
  methodVersion: string;
  baseline: { from: string; to: string };
  weights: IndexWeights;
  options: IndexOptions;
  indicatorIds: string[];
  units: UnitIndexResult[];
  /** Row-major unit × indicator matrices (rows in input order) for bulk storage. */
  matrix: { values: Float64Array; normalised: Float64Array };
}

export function computeSocialConditionIndex(input: SocialConditionIndexInput): SocialConditionIndexResult {
  const weights = input.weights ?? DEFAULT_WEIGHTS;
  validateWeights(weights);
  const options = { ...DEFAULT_INDEX_OPTIONS, ...input.options };
  const matrix = computeIndicatorValues(input.units, options);
  const normalised = normaliseMatrix(matrix, input.baseline.goalposts, options.normalisation);
  const { scores, pillars } = aggregateMatrix(normalised, weights, options.aggregation, options.geometricFloor);
  const { ranks, counts } = rankWithinLevel(scores, matrix.codes, matrix.levels);
  const P = PILLARS.length;
  const units = input.units.map((unit, i): UnitIndexResult => {
    const pillarScores = {} as Record<Pillar, number>;
    for (let p = 0; p < P; p++) pillarScores[PILLARS[p]!] = pillars[i * P + p]!;
    return {
      code: unit.code,
      level: unit.level,
      population: unit.population,
      score: scores[i]!,
      band: bandOf(scores[i]!),
      rank: ranks[i]!,
      rankOf: counts.get(unit.level)!,
      pillarScores,
      values: matrix.values.subarray(i * K, (i + 1) * K),
      normalised: normalised.subarray(i * K, (i + 1) * K),
    };
  });
  return {
    month: input.month,
    methodVersion: METHOD_VERSION,
    baseline: { from: input.baseline.from, to: input.baseline.to },
    weights,
    options,
    indicatorIds: INDICATORS.map((indicator) => indicator.id),
    units,
    matrix: { values: matrix.values, normalised },
  };
}

/**
 * Scores and pillar scores of every row of a normalised matrix — the same two-level
 * aggregation as `aggregateRow`, in one allocation-free loop (also used by the Monte Carlo).
 * Returns scores (n) and pillar scores (n × pillars, PILLARS order).
 */
export function aggregateMatrix(
  normalised: Float64Array,
  weights: IndexWeights,
  method: AggregationMethod,
  floor = DEFAULT_GEOMETRIC_FLOOR,
): { scores: Float64Array; pillars: Float64Array } {
  const n = normalised.length / K;
  const P = PILLARS.length;
  const within = withinPillarWeights(weights);
  const pillarWeight = Float64Array.from(PILLARS, (pillar) => weights.pillars[pillar]);
  const withinTotal = new Float64Array(P);
  for (let j = 0; j < K; j++) withinTotal[COLUMN_PILLAR[j]!] = withinTotal[COLUMN_PILLAR[j]!]! + within[j]!;
  const pillarTotal = pillarWeight.reduce((a, b) => a + b, 0);
  const geometric = method === 'geometric';
  const scores = new Float64Array(n);
  const pillars = new Float64Array(n * P);
  const acc = new Float64Array(P);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let j = 0; j < K; j++) {
      const y = normalised[i * K + j]!;
      const p = COLUMN_PILLAR[j]!;
      acc[p] = acc[p]! + within[j]! * (geometric ? Math.log(y > floor ? y : floor) : y);
    }
    let score = 0;
    for (let p = 0; p < P; p++) {
      const mean = acc[p]! / withinTotal[p]!;
      pillars[i * P + p] = geometric ? Math.exp(mean) : mean;
      score += pillarWeight[p]! * mean;
    }
    score /= pillarTotal;
    scores[i] = geometric ? Math.exp(score) : score;
  }
  return { scores, pillars };
}
