import { describe, expect, it } from 'vitest';
import type { IndexDecomposition } from '@cityops/ui';
import { decompositionSteps, previousMonth } from './decomposition-steps.ts';

const d = {
  pillars: { petition_pressure: -1.5, hotline_demand: 0.5, police_incidents: -0.25, service_performance: 0.25 },
  items: { market: 0.1, housing: -0.9, environment: 0.2, urban_management: -0.4, transport: 0.05, labor: 0.3, health: -0.02, disputes: 0.01, safety: -0.5, process: 0.16 },
} as unknown as IndexDecomposition;

describe('decomposition steps', () => {
  it('steps back a month across the year', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
  });
  it('gives the four pillars in order with their Chinese labels', () => {
    const steps = decompositionSteps(d, 'pillar', 'zh', '其他', '服务过程');
    expect(steps.map((s) => s.key)).toEqual(['petition_pressure', 'hotline_demand', 'police_incidents', 'service_performance']);
    expect(steps.slice(0, 3).map((s) => s.label)).toEqual(['信访压力', '网络理政诉求', '110警情']);
    expect(steps.reduce((sum, s) => sum + s.value, 0)).toBeCloseTo(-1, 10);
  });
  it('keeps the 7 largest items and sums the rest, so the bars still add up', () => {
    const steps = decompositionSteps(d, 'item', 'zh', '其他', '服务过程');
    expect(steps).toHaveLength(8);
    expect(steps[0]).toMatchObject({ key: 'housing', label: '住房保障与房地产', value: -0.9 });
    expect(steps.at(-1)!.key).toBe('__rest');
    const total = Object.values(d.items).reduce((a, b) => a + (b ?? 0), 0);
    expect(steps.reduce((sum, s) => sum + s.value, 0)).toBeCloseTo(total, 10);
    expect(steps.find((s) => s.key === 'process')?.label).toBe('服务过程');
  });
});
