import { describe, expect, it } from 'vitest';
import { INDICATORS, INDICATOR_IDS, PILLARS, indicatorById, indicatorIndex, indicatorsOfPillar } from './indicators.ts';
import { DEFAULT_WEIGHTS, effectiveWeights, validateWeights } from './weights.ts';

describe('indicator framework', () => {
  it('has 48 volume indicators (3 sources × 16 items) and 6 process indicators, ids unique', () => {
    expect(INDICATORS.filter((i) => i.kind === 'volume')).toHaveLength(48);
    expect(INDICATORS.filter((i) => i.kind === 'process')).toHaveLength(6);
    expect(new Set(INDICATOR_IDS).size).toBe(INDICATORS.length);
    expect(indicatorIndex('hotline.market')).toBe(16);
    expect(indicatorById('petition.housing').label.zh).toBe('信访·住房保障与房地产（每万人）');
  });
  it('gives every demand indicator a negative direction and service rates a positive one', () => {
    for (const indicator of INDICATORS.filter((i) => i.kind === 'volume')) expect(indicator.direction).toBe('negative');
    const direction = (id: string) => indicatorById(id).direction;
    expect(direction('response_rate')).toBe('positive');
    expect(direction('completion_rate')).toBe('positive');
    expect(direction('on_time_completion_rate')).toBe('positive');
    expect(direction('satisfaction_rate')).toBe('positive');
    expect(direction('repeat_demand_rate')).toBe('negative');
    expect(direction('police_matter_share')).toBe('negative');
    expect(indicatorById('police_matter_share').pillar).toBe('police_incidents');
  });
  it('puts every pillar to use', () => {
    for (const pillar of PILLARS) expect(indicatorsOfPillar(pillar).length).toBeGreaterThan(0);
  });
});

describe('weights', () => {
  it('defaults are valid and effective weights sum to 1', () => {
    expect(() => validateWeights(DEFAULT_WEIGHTS)).not.toThrow();
    const sum = effectiveWeights(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
    // 110 pillar: police_matter_share 0.2, the 16 items share 0.8 → 0.05 each.
    expect(DEFAULT_WEIGHTS.indicators['police.disputes']).toBeCloseTo(0.05, 12);
    expect(DEFAULT_WEIGHTS.indicators['petition.disputes']).toBeCloseTo(1 / 16, 12);
  });
  it('rejects pillar weights that do not sum to 1, and negative or unknown weights', () => {
    expect(() => validateWeights({ ...DEFAULT_WEIGHTS, pillars: { ...DEFAULT_WEIGHTS.pillars, petition_pressure: 0.4 } })).toThrow(/之和/);
    expect(() =>
      validateWeights({ ...DEFAULT_WEIGHTS, indicators: { ...DEFAULT_WEIGHTS.indicators, response_rate: -0.1, completion_rate: 0.5 } }),
    ).toThrow(/无效/);
    expect(() => validateWeights({ ...DEFAULT_WEIGHTS, indicators: { ...DEFAULT_WEIGHTS.indicators, nonsense: 0 } })).toThrow(/未知/);
    expect(() =>
      validateWeights({ ...DEFAULT_WEIGHTS, indicators: { ...DEFAULT_WEIGHTS.indicators, response_rate: 0.3 } }),
    ).toThrow(/service_performance/);
  });
});
