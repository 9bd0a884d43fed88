import { INDICATORS, PILLARS, type Pillar } from './indicators.ts';

/**
 * Aggregation (OECD/JRC Handbook step 7), score bands and period-on-period changes.
 *
 * - Weighted arithmetic mean (default): fully compensatory — a bad indicator can be offset
 *   by good ones; transparent and exactly decomposable as Σ weight × value.
 * - Weighted geometric mean (option): partially compensatory — a unit must do badly on
 *   several fronts less to be penalised; zeros would annihilate the product, so every
 *   normalised value is floored first (default floor 1 on the 0–100 scale).
 * Both give 0–100, higher = calmer and better served.
 */

export const AGGREGATION_METHODS = ['arithmetic', 'geometric'] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];

export const DEFAULT_GEOMETRIC_FLOOR = 1;

/** Σ wᵢ yᵢ / Σ wᵢ (weights are normally already normalised). */
export function weightedArithmetic(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    sum += weights[i]! * values[i]!;
    total += weights[i]!;
  }
  return total > 0 ? sum / total : Number.NaN;
}

/** exp(Σ wᵢ ln max(yᵢ, floor) / Σ wᵢ). */
export function weightedGeometric(values: ArrayLike<number>, weights: ArrayLike<number>, floor = DEFAULT_GEOMETRIC_FLOOR): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    sum += weights[i]! * Math.log(Math.max(values[i]!, floor));
    total += weights[i]!;
  }
  return total > 0 ? Math.exp(sum / total) : Number.NaN;
}

export interface AggregateResult {
  score: number;
  pillarScores: Record<Pillar, number>;
}

const PILLAR_OF_COLUMN = INDICATORS.map((indicator) => PILLARS.indexOf(indicator.pillar));

/**
 * Two-level aggregation of one unit's normalised row (INDICATORS order): indicators → pillar
 * scores with within-pillar weights, pillars → score with pillar weights. For the arithmetic
 * mean this equals Σ eᵢ yᵢ with effective weights eᵢ; for the geometric mean Π ỹᵢ^eᵢ.
 */
export function aggregateRow(
  row: ArrayLike<number>,
  within: ArrayLike<number>,
  pillarWeights: Record<Pillar, number>,
  method: AggregationMethod,
  floor = DEFAULT_GEOMETRIC_FLOOR,
): AggregateResult {
  const acc = new Float64Array(PILLARS.length);
  const tot = new Float64Array(PILLARS.length);
  for (let j = 0; j < row.length; j++) {
    const p = PILLAR_OF_COLUMN[j]!;
    const w = within[j]!;
    acc[p] = acc[p]! + w * (method === 'arithmetic' ? row[j]! : Math.log(Math.max(row[j]!, floor)));
    tot[p] = tot[p]! + w;
  }
  const pillarScores = {} as Record<Pillar, number>;
  let score = 0;
  let scoreWeight = 0;
  PILLARS.forEach((pillar, p) => {
    const mean = tot[p]! > 0 ? acc[p]! / tot[p]! : Number.NaN;
    pillarScores[pillar] = method === 'arithmetic' ? mean : Math.exp(mean);
    const w = pillarWeights[pillar];
    score += w * mean;
    scoreWeight += w;
  });
  score /= scoreWeight;
  return { score: method === 'arithmetic' ? score : Math.exp(score), pillarScores };
}

// ── Bands ────────────────────────────────────────────────────────────────────────────────

export const BANDS = ['excellent', 'good', 'fair', 'poor', 'alert'] as const;
export type Band = (typeof BANDS)[number];

/** Lower bound (inclusive) of each band on the 0–100 score; colours diverge green → red (ColorBrewer RdYlGn). */
export const BAND_DEFINITIONS: Record<Band, { min: number; zh: string; en: string; color: string }> = {
  excellent: { min: 85, zh: '优', en: 'Excellent', color: '#1a9850' },
  good: { min: 70, zh: '良', en: 'Good', color: '#91cf60' },
  fair: { min: 55, zh: '中', en: 'Fair', color: '#fee08b' },
  poor: { min: 40, zh: '差', en: 'Poor', color: '#fc8d59' },
  alert: { min: 0, zh: '警示', en: 'Alert', color: '#d73027' },
};

export function bandOf(score: number): Band {
  for (const band of BANDS) if (score >= BAND_DEFINITIONS[band].min) return band;
  return 'alert';
}

// ── Month-on-month and year-on-year ─────────────────────────────────────────────────────

/** 'YYYY-MM' → the month before. */
export function previousMonth(month: string): string {
  const [year, m] = parseMonth(month);
  return m === 1 ? formatMonth(year - 1, 12) : formatMonth(year, m - 1);
}

/** 'YYYY-MM' → the same month a year earlier. */
export function sameMonthLastYear(month: string): string {
  const [year, m] = parseMonth(month);
  return formatMonth(year - 1, m);
}

function parseMonth(month: string): [number, number] {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const m = match ? Number(match[2]) : 0;
  if (!match || m < 1 || m > 12) throw new RangeError(`not a month: ${month}`);
  return [Number(match[1]), m];
}

function formatMonth(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

export interface PeriodChange {
  /** current − previous, in score points; null when either is missing. */
  delta: number | null;
  /** (current − previous) / previous; null when either is missing or previous is 0. */
  relative: number | null;
}

/** 环比 (month-on-month) or 同比 (year-on-year) change of a score or count. */
export function periodChange(current: number | null | undefined, previous: number | null | undefined): PeriodChange {
  if (current == null || previous == null || !Number.isFinite(current) || !Number.isFinite(previous)) {
    return { delta: null, relative: null };
  }
  return { delta: current - previous, relative: previous === 0 ? null : (current - previous) / previous };
}
