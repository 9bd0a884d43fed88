import type { Lang } from './i18n.tsx';

/** 12,345 / 1.2万 style counts; Chinese readers expect 万 for large numbers. */
export function formatCount(value: number, lang: Lang): string {
  if (!Number.isFinite(value)) return '—';
  if (lang === 'zh' && Math.abs(value) >= 100_000) return `${(value / 10_000).toFixed(1)}万`;
  return Math.round(value).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

export function formatRate(value: number | null | undefined, digits = 1): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A share in [0, 1] as a percentage. */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  return share === undefined || share === null || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)}%`;
}

/** Relative change (current − base) / base, or null when there is no base to compare with. */
export function relativeChange(current: number, base: number): number | null {
  if (!Number.isFinite(current) || !Number.isFinite(base) || base === 0) return null;
  return (current - base) / base;
}

/** "+12.3%" / "−4.0%" / "—". */
export function formatChange(change: number | null): string {
  if (change === null) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '';
  return `${sign}${Math.abs(change * 100).toFixed(1)}%`;
}

/** A change in points: "+19.4" / "−0.7" / "0.0" (a true minus sign, as formatChange). */
export function formatSigned(value: number, digits = 1): string {
  const rounded = Number(value.toFixed(digits));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '';
  return `${sign}${Math.abs(rounded).toFixed(digits)}`;
}

/** '2026-10' → '2026年10月' / 'Oct 2026'. */
export function formatMonth(month: string, lang: Lang): string {
  const [year, mm] = month.split('-');
  if (!year || !mm) return month;
  if (lang === 'zh') return `${year}年${Number(mm)}月`;
  return new Date(Date.UTC(Number(year), Number(mm) - 1, 1)).toLocaleString('en-US', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
