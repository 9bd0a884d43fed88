import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, detectAlerts, earsC1, earsC2, earsC3, ewmaChart, severityOf } from './early-warning.ts';
import { createRandom, poissonSample } from './random.ts';

describe('EARS C1 / C2 / C3', () => {
  it('C1 matches a hand computation', () => {
    // Baseline [2,4,3,5,4,2,3]: x̄ = 23/7 = 3.285714; Σ(x − x̄)² = 7.428571, s = √(7.428571/6) = 1.112697
    // C1 on day 8 (x = 12): (12 − 3.285714)/1.112697 = 7.831680 ≥ 2.5·3 → 严重
    const c1 = earsC1([2, 4, 3, 5, 4, 2, 3, 12]);
    expect(Number.isNaN(c1.statistic[6]!)).toBe(true);
    expect(c1.expected[7]).toBeCloseTo(3.285714, 6);
    expect(c1.statistic[7]).toBeCloseTo(7.83168, 5);
    expect(severityOf(c1.statistic[7]!, DEFAULT_ALERT_RULES.C1)).toBe('severe');
  });
  it('C2 skips a 2-day guard band and C3 sums three C2 excesses', () => {
    const counts = [2, 4, 3, 5, 4, 2, 3, 3, 4, 6, 7, 9];
    // C2₉:  baseline days 0–6 = [2,4,3,5,4,2,3] → (6 − 3.285714)/1.112697 = 2.439374
    // C2₁₀: days 1–7 = [4,3,5,4,2,3,3], x̄ = 3.428571, s = √(5.714286/6) = 0.975900 → (7 − 3.428571)/0.9759 = 3.659625
    // C2₁₁: days 2–8 = [3,5,4,2,3,3,4], same x̄ and s → (9 − 3.428571)/0.9759 = 5.709020
    // C3₁₁ = 1.439374 + 2.659625 + 4.709020 = 8.808019
    const c2 = earsC2(counts);
    expect(Number.isNaN(c2.statistic[8]!)).toBe(true);
    expect(c2.statistic[9]).toBeCloseTo(2.439374, 5);
    expect(c2.statistic[10]).toBeCloseTo(3.659625, 5);
    expect(c2.statistic[11]).toBeCloseTo(5.70902, 5);
    const c3 = earsC3(counts);
    expect(Number.isNaN(c3.statistic[10]!)).toBe(true);
    expect(c3.statistic[11]).toBeCloseTo(8.808019, 5);
  });
  it('floors the sd of a flat baseline', () => {
    // seven zeros: s = max(0, 0.5) → C1 for x = 3 is 6
    expect(earsC1([0, 0, 0, 0, 0, 0, 0, 3]).statistic[7]).toBe(6);
  });
});

describe('EWMA', () => {
  it('matches a hand computation', () => {
    // λ = 0.5, 3-day baseline, no guard. Day 3: μ = 2, s = 1, Z₃ = 0.5·2 + 0.5·2 = 2 → 0.
    // Day 4: baseline [2,3,2], μ = 2.333333, s = 0.577350; Z₄ = 0.5·8 + 0.5·2 = 5;
    //        σ_Z = 0.577350·√(0.5/1.5) = 0.333333 → (5 − 2.333333)/0.333333 = 8
    const chart = ewmaChart([1, 2, 3, 2, 8], { lambda: 0.5, baselineDays: 3, guardDays: 0 });
    expect(chart.statistic[3]).toBeCloseTo(0, 12);
    expect(chart.ewma[4]).toBeCloseTo(5, 12);
    expect(chart.statistic[4]).toBeCloseTo(8, 10);
  });
});

describe('alerts', () => {
  it('applies the minimum count and dates alerts', () => {
    const alerts = detectAlerts([
      { unitCode: '510104017', item: 'disputes', startDate: '2024-03-01', counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 2] },
      { unitCode: '510104018', item: 'disputes', startDate: '2024-03-01', counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 5] },
    ]);
    // 2 events after a flat 0 would be C2 = 4 but are below the floor of 3; 5 events are C2 = 10 → 严重.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ unitCode: '510104018', date: '2024-03-10', method: 'C2', observed: 5, severity: 'severe' });
  });

  it('raises few false alarms on a quiet Poisson year and catches a planted burst', () => {
    // 365 days of Poisson(5), seed 42. Nominal one-sided rate of a 3-sd rule under normality:
    // 0.135 %; with a 7-day estimated sd it is a t-like tail (≈1.5 %) and Poisson skew adds to it.
    const random = createRandom(42);
    const counts = Array.from({ length: 365 }, () => poissonSample(random, 5));
    const rates: Record<string, number> = {};
    for (const method of ['C1', 'C2', 'C3', 'EWMA'] as const) {
      const alerts = detectAlerts([{ unitCode: '510104017', item: 'disputes', startDate: '2024-01-01', counts }], {
        rules: [DEFAULT_ALERT_RULES[method]],
      });
      rates[method] = alerts.length / (365 - 12);
    }
    console.info(`false alarm rate per day on Poisson(5), 365 days: ${JSON.stringify(rates)}`);
    expect(rates.C2).toBeLessThan(0.03);
    expect(rates.EWMA).toBeLessThan(0.01);

    const burst = [...counts];
    burst[300] = burst[300]! + 15; // a one-day tripling of demand
    burst[301] = burst[301]! + 10;
    const found = detectAlerts([{ unitCode: '510104017', item: 'disputes', startDate: '2024-01-01', counts: burst }], {
      rules: [DEFAULT_ALERT_RULES.C2, DEFAULT_ALERT_RULES.C3, DEFAULT_ALERT_RULES.EWMA],
    });
    const onBurst = found.filter((a) => a.date === '2024-10-27' || a.date === '2024-10-28');
    expect(onBurst.map((a) => a.method)).toEqual(expect.arrayContaining(['C2', 'C3', 'EWMA']));
  });
});
