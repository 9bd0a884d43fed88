import { DomainError } from '@cityops/domain';

/** 'YYYY-MM' month arithmetic without time zones (months are calendar labels here). */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function assertMonth(month: string): void {
  if (!MONTH_PATTERN.test(month)) throw new DomainError('BAD_INPUT', `月份格式应为 YYYY-MM / month must be YYYY-MM: ${month}`);
}

export function assertDay(day: string): void {
  if (!DAY_PATTERN.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new DomainError('BAD_INPUT', `日期格式应为 YYYY-MM-DD / day must be YYYY-MM-DD: ${day}`);
  }
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** First day of the month, 'YYYY-MM-01' (what DATE columns of monthly rollups hold). */
export function monthStart(month: string): string {
  return `${month}-01`;
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let month = from; month <= to; month = shiftMonth(month, 1)) out.push(month);
  return out;
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
