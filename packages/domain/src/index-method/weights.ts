import { DomainError } from '../errors.ts';
import { INDICATORS, PILLARS, type Pillar } from './indicators.ts';

/**
 * Weights (OECD/JRC Handbook step 6): a pillar weight and, inside each pillar, an indicator
 * weight; each level sums to 1. The default is a judgement, not a statistical estimate —
 * the reasoning is in docs/index-methodology.md §6. A deployment overrides them through its
 * configuration; they are validated here and stored with every published snapshot.
 */
export interface IndexWeights {
  pillars: Record<Pillar, number>;
  /** Weight of each indicator within its own pillar, keyed by indicator id. */
  indicators: Record<string, number>;
}

const SUM_TOLERANCE = 1e-9;

export const DEFAULT_PILLAR_WEIGHTS: Record<Pillar, number> = {
  petition_pressure: 0.3,
  hotline_demand: 0.2,
  police_incidents: 0.25,
  service_performance: 0.25,
};

/** Within-pillar defaults for the non-volume indicators; volume indicators share the rest equally. */
const DEFAULT_PROCESS_WEIGHTS: Record<string, number> = {
  police_matter_share: 0.2,
  response_rate: 0.2,
  completion_rate: 0.2,
  on_time_completion_rate: 0.25,
  satisfaction_rate: 0.25,
  repeat_demand_rate: 0.1,
};

function defaultIndicatorWeights(): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const pillar of PILLARS) {
    const members = INDICATORS.filter((indicator) => indicator.pillar === pillar);
    const fixed = members.filter((indicator) => indicator.id in DEFAULT_PROCESS_WEIGHTS);
    const fixedTotal = fixed.reduce((sum, indicator) => sum + DEFAULT_PROCESS_WEIGHTS[indicator.id]!, 0);
    const volume = members.filter((indicator) => !(indicator.id in DEFAULT_PROCESS_WEIGHTS));
    for (const indicator of fixed) weights[indicator.id] = DEFAULT_PROCESS_WEIGHTS[indicator.id]!;
    for (const indicator of volume) weights[indicator.id] = (1 - fixedTotal) / volume.length;
  }
  return weights;
}

export const DEFAULT_WEIGHTS: IndexWeights = { pillars: DEFAULT_PILLAR_WEIGHTS, indicators: defaultIndicatorWeights() };

/** Throws BAD_INPUT unless every weight is a finite non-negative number and each level sums to 1. */
export function validateWeights(weights: IndexWeights): void {
  let pillarSum = 0;
  for (const pillar of PILLARS) {
    const w = weights.pillars[pillar];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new DomainError('BAD_INPUT', `支柱权重无效: ${pillar}`, { pillar, weight: w });
    }
    pillarSum += w;
    let inner = 0;
    for (const indicator of INDICATORS) {
      if (indicator.pillar !== pillar) continue;
      const v = weights.indicators[indicator.id];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new DomainError('BAD_INPUT', `指标权重无效: ${indicator.id}`, { indicator: indicator.id, weight: v });
      }
      inner += v;
    }
    if (Math.abs(inner - 1) > SUM_TOLERANCE) {
      throw new DomainError('BAD_INPUT', `支柱 ${pillar} 内的指标权重之和应为 1（实际 ${inner}）`, { pillar, sum: inner });
    }
  }
  if (Math.abs(pillarSum - 1) > SUM_TOLERANCE) {
    throw new DomainError('BAD_INPUT', `支柱权重之和应为 1（实际 ${pillarSum}）`, { sum: pillarSum });
  }
  const known = new Set(INDICATORS.map((indicator) => indicator.id));
  for (const id of Object.keys(weights.indicators)) {
    if (!known.has(id)) throw new DomainError('BAD_INPUT', `未知指标: ${id}`, { indicator: id });
  }
}

/**
 * Effective weight of each indicator in the overall score (pillar weight × within-pillar
 * weight), in INDICATORS order; they sum to 1. Arithmetic aggregation over two levels equals
 * one weighted sum with these, and geometric aggregation one weighted product.
 */
export function effectiveWeights(weights: IndexWeights): Float64Array {
  return Float64Array.from(INDICATORS, (indicator) => weights.pillars[indicator.pillar] * weights.indicators[indicator.id]!);
}

/** Within-pillar weights in INDICATORS order. */
export function withinPillarWeights(weights: IndexWeights): Float64Array {
  return Float64Array.from(INDICATORS, (indicator) => weights.indicators[indicator.id]!);
}
