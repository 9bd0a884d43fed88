/**
 * The only way a report turns a number into text. Every renderer (DOCX, HTML/PDF) prints
 * through these, and the consistency test formats every ReportData number with every one of
 * them to know which numeric strings a document may contain.
 */
export const DASH = '—';

/** 174015 → "174,015". */
export function formatCount(value: number | null): string {
  return value === null ? DASH : Math.round(value).toLocaleString('en-US');
}

/** 0.8085 → "80.85%". */
export function formatRate(value: number | null, digits = 2): string {
  return value === null ? DASH : `${(value * 100).toFixed(digits)}%`;
}

/** A relative change: 0.052 → "+5.20%", −0.1 → "-10.00%". */
export function formatChange(value: number | null, digits = 2): string {
  if (value === null) return DASH;
  const text = (value * 100).toFixed(digits);
  return `${value > 0 && Number(text) !== 0 ? '+' : ''}${text}%`;
}

/** An index score or points: 78.351 → "78.35". */
export function formatScore(value: number | null): string {
  return value === null ? DASH : value.toFixed(2);
}

/** Points of change: "+1.23" / "-0.40". */
export function formatPoints(value: number | null): string {
  if (value === null) return DASH;
  const text = value.toFixed(2);
  return `${value > 0 && Number(text) !== 0 ? '+' : ''}${text}`;
}

/** Working days or a z-score: 4.2412 → "4.24". */
export function formatDecimal(value: number | null, digits = 2): string {
  return value === null ? DASH : value.toFixed(digits);
}

/** A rank interval "3–7" (5th–95th percentile of the Monte Carlo ranks). */
export function formatInterval(interval: { p5: number; p95: number } | null): string {
  return interval === null ? DASH : `${Math.round(interval.p5)}–${Math.round(interval.p95)}`;
}

/** Every text a number may be printed as (for the consistency test): formatted, then stripped to digits and point. */
export function numberRenderings(value: number): string[] {
  const out = new Set<string>();
  const add = (text: string) => out.add(normaliseNumericToken(text));
  add(formatCount(value));
  add(formatScore(value));
  add(formatDecimal(value, 1));
  add(formatDecimal(value, 3));
  add(formatRate(value));
  add(formatRate(value, 1));
  add(String(value));
  add(String(Math.round(value)));
  return [...out];
}

/** "+1,234.50%" → "1234.50"; a minus sign, plus sign, thousands separators and % are dropped. */
export function normaliseNumericToken(token: string): string {
  return token.replace(/[+\-−,%]/g, '');
}

/** Numeric tokens of a text, normalised: runs of digits with optional separators and decimals. */
export function numericTokens(text: string): string[] {
  return (text.match(/\d[\d,]*(?:\.\d+)?/g) ?? []).map(normaliseNumericToken).map((token) => token.replace(/^(\d+)\.$/, '$1'));
}
