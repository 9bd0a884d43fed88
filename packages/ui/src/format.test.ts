import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatMonth, formatPercent, formatSigned, relativeChange } from './format.ts';

describe('format', () => {
  it('signs a change in points with a true minus and no signed zero', () => {
    expect(formatSigned(19.418)).toBe('+19.4');
    expect(formatSigned(-0.66, 2)).toBe('−0.66');
    expect(formatSigned(-0.04)).toBe('0.0');
  });

  it('formats counts with 万 for large Chinese numbers', () => {
    expect(formatCount(174015, 'zh')).toBe('17.4万');
    expect(formatCount(12345, 'zh')).toBe('12,345');
    expect(formatCount(174015, 'en')).toBe('174,015');
  });
  it('computes and formats relative changes', () => {
    expect(relativeChange(110, 100)).toBeCloseTo(0.1);
    expect(relativeChange(5, 0)).toBeNull();
    expect(formatChange(0.123)).toBe('+12.3%');
    expect(formatChange(-0.04)).toBe('−4.0%');
    expect(formatChange(null)).toBe('—');
  });
  it('formats percentages and months', () => {
    expect(formatPercent(0.866)).toBe('86.6%');
    expect(formatMonth('2026-03', 'zh')).toBe('2026年3月');
    expect(formatMonth('2026-03', 'en')).toBe('Mar 2026');
  });
});
