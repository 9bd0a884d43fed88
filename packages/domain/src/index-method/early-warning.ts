import type { Item } from '../categories.ts';
import { mean, sampleSd } from './stats.ts';

/**
 * Early warnings on daily counts per unit × item.
 *
 * EARS C1 / C2 / C3 (CDC Early Aberration Reporting System; Hutwagner et al. 2003, J Urban
 * Health 80:i89–i96; formulas as in Fricker, Hegler & Dunfee 2008, Stat Med 27:3407–3429):
 *   C1ₜ = (xₜ − x̄) / s over days t−7 … t−1;
 *   C2ₜ = the same over days t−9 … t−3 (a 2-day guard band keeps a growing outbreak out of
 *         its own baseline);
 *   C3ₜ = Σ_{i=t−2}^{t} max(0, C2ᵢ − 1).
 *   Alarm when C1 or C2 > 3 (three standard deviations) or C3 > 2.
 * EWMA (Roberts 1959; as in ESSENCE): Zₜ = λ xₜ + (1 − λ) Zₜ₋₁, compared with the mean of a
 *   28-day baseline ending 2 days before t, in units of σ √(λ / (2 − λ)) (the asymptotic sd of
 *   Z); alarm when above L = 3. λ = 0.3 weights today ~30 % and remembers the last week.
 * A minimum count (default 3) keeps 0 → 2 events in a quiet grid from raising an alarm;
 * the sd is floored (default 0.5 events) so a flat baseline does not divide by zero.
 */

export const ALERT_METHODS = ['C1', 'C2', 'C3', 'EWMA'] as const;
export type AlertMethod = (typeof ALERT_METHODS)[number];

export const ALERT_SEVERITIES = ['attention', 'warning', 'severe'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const ALERT_SEVERITY_LABELS: Record<AlertSeverity, { zh: string; en: string; color: string }> = {
  attention: { zh: '关注', en: 'Attention', color: '#f6c343' },
  warning: { zh: '预警', en: 'Warning', color: '#f08c2e' },
  severe: { zh: '严重', en: 'Severe', color: '#d7301f' },
};

export interface StatisticSeries {
  /** The method's statistic per day (NaN while the history is too short). */
  statistic: Float64Array;
  /** Baseline mean per day (the expected count). */
  expected: Float64Array;
  /** Baseline sd per day (after the floor). */
  sd: Float64Array;
}

export interface EarsOptions {
  /** Baseline length in days (EARS: 7). */
  baselineDays?: number;
  /** Floor of the baseline sd, in events (default 0.5). */
  minSd?: number;
}

function slidingBaseline(counts: ArrayLike<number>, baselineDays: number, guard: number, minSd: number): StatisticSeries {
  const n = counts.length;
  const statistic = new Float64Array(n).fill(Number.NaN);
  const expected = new Float64Array(n).fill(Number.NaN);
  const sd = new Float64Array(n).fill(Number.NaN);
  for (let t = baselineDays + guard; t < n; t++) {
    const window = Array.prototype.slice.call(counts, t - guard - baselineDays, t - guard) as number[];
    const mu = mean(window);
    const s = Math.max(sampleSd(window), minSd);
    expected[t] = mu;
    sd[t] = s;
    statistic[t] = (counts[t]! - mu) / s;
  }
  return { statistic, expected, sd };
}

/** EARS C1 (no guard band). */
export function earsC1(counts: ArrayLike<number>, options: EarsOptions = {}): StatisticSeries {
  return slidingBaseline(counts, options.baselineDays ?? 7, 0, options.minSd ?? 0.5);
}

/** EARS C2 (2-day guard band). */
export function earsC2(counts: ArrayLike<number>, options: EarsOptions = {}): StatisticSeries {
  return slidingBaseline(counts, options.baselineDays ?? 7, 2, options.minSd ?? 0.5);
}

/** EARS C3: the sum of today's and the two previous days' C2 excesses over 1. */
export function earsC3(counts: ArrayLike<number>, options: EarsOptions = {}): StatisticSeries {
  const c2 = earsC2(counts, options);
  const statistic = new Float64Array(counts.length).fill(Number.NaN);
  for (let t = 2; t < counts.length; t++) {
    const a = c2.statistic[t - 2]!;
    const b = c2.statistic[t - 1]!;
    const c = c2.statistic[t]!;
    if (Number.isNaN(a)) continue;
    statistic[t] = Math.max(0, a - 1) + Math.max(0, b - 1) + Math.max(0, c - 1);
  }
  return { statistic, expected: c2.expected, sd: c2.sd };
}

export interface EwmaOptions {
  lambda?: number;
  baselineDays?: number;
  guardDays?: number;
  minSd?: number;
}

/** EWMA chart statistic (Zₜ − μₜ) / (σₜ √(λ/(2−λ))). */
export function ewmaChart(counts: ArrayLike<number>, options: EwmaOptions = {}): StatisticSeries & { ewma: Float64Array } {
  const lambda = options.lambda ?? 0.3;
  const base = slidingBaseline(counts, options.baselineDays ?? 28, options.guardDays ?? 2, options.minSd ?? 0.5);
  const ewma = new Float64Array(counts.length).fill(Number.NaN);
  const statistic = new Float64Array(counts.length).fill(Number.NaN);
  const scale = Math.sqrt(lambda / (2 - lambda));
  let z = Number.NaN;
  for (let t = 0; t < counts.length; t++) {
    const mu = base.expected[t]!;
    if (Number.isNaN(mu)) continue;
    z = lambda * counts[t]! + (1 - lambda) * (Number.isNaN(z) ? mu : z);
    ewma[t] = z;
    statistic[t] = (z - mu) / (base.sd[t]! * scale);
  }
  return { ...base, statistic, ewma };
}

export interface AlertRule {
  method: AlertMethod;
  /** Alarm when the statistic exceeds this (C1/C2/EWMA: 3; C3: 2). */
  threshold: number;
  /** No alarm below this observed count (default 3). */
  minCount: number;
  /** Severity when statistic ≥ threshold × multiplier: 关注 ×1, 预警 ×1.5, 严重 ×2.5. */
  severityMultipliers: readonly [number, number, number];
}

export const DEFAULT_ALERT_RULES: Record<AlertMethod, AlertRule> = {
  C1: { method: 'C1', threshold: 3, minCount: 3, severityMultipliers: [1, 1.5, 2.5] },
  C2: { method: 'C2', threshold: 3, minCount: 3, severityMultipliers: [1, 1.5, 2.5] },
  C3: { method: 'C3', threshold: 2, minCount: 3, severityMultipliers: [1, 1.5, 2.5] },
  EWMA: { method: 'EWMA', threshold: 3, minCount: 3, severityMultipliers: [1, 1.5, 2.5] },
};

export function severityOf(statistic: number, rule: AlertRule): AlertSeverity | null {
  const [attention, warning, severe] = rule.severityMultipliers;
  if (!(statistic > rule.threshold * attention)) return null;
  if (statistic >= rule.threshold * severe) return 'severe';
  if (statistic >= rule.threshold * warning) return 'warning';
  return 'attention';
}

export interface DailySeries {
  unitCode: string;
  item: Item;
  /** Date of counts[0], 'YYYY-MM-DD'. */
  startDate: string;
  counts: readonly number[];
}

export interface Alert {
  unitCode: string;
  item: Item;
  date: string;
  method: AlertMethod;
  observed: number;
  expected: number;
  statistic: number;
  threshold: number;
  severity: AlertSeverity;
}

function statisticsOf(method: AlertMethod, counts: readonly number[]): StatisticSeries {
  switch (method) {
    case 'C1':
      return earsC1(counts);
    case 'C2':
      return earsC2(counts);
    case 'C3':
      return earsC3(counts);
    case 'EWMA':
      return ewmaChart(counts);
  }
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Alerts over the series. `rules` defaults to C2 alone (the EARS method with a guard band);
 * `lastDays` limits output to the most recent days (a daily job passes 1).
 */
export function detectAlerts(
  series: readonly DailySeries[],
  options: { rules?: readonly AlertRule[]; lastDays?: number } = {},
): Alert[] {
  const rules = options.rules ?? [DEFAULT_ALERT_RULES.C2];
  const alerts: Alert[] = [];
  for (const s of series) {
    const from = options.lastDays ? Math.max(0, s.counts.length - options.lastDays) : 0;
    for (const rule of rules) {
      const stats = statisticsOf(rule.method, s.counts);
      for (let t = from; t < s.counts.length; t++) {
        const statistic = stats.statistic[t]!;
        if (Number.isNaN(statistic) || s.counts[t]! < rule.minCount) continue;
        const severity = severityOf(statistic, rule);
        if (!severity) continue;
        alerts.push({
          unitCode: s.unitCode,
          item: s.item,
          date: addDays(s.startDate, t),
          method: rule.method,
          observed: s.counts[t]!,
          expected: stats.expected[t]!,
          statistic,
          threshold: rule.threshold,
          severity,
        });
      }
    }
  }
  return alerts;
}
