import { describe, expect, it } from 'vitest';
import { dueCountdown, wallClockToEpoch } from './due-countdown.ts';

describe('dueCountdown', () => {
  const now = wallClockToEpoch('2026-09-16 12:00:00');
  it('counts down to a future due time in days and hours', () => {
    expect(dueCountdown('2026-09-18 15:30:00', now, 'zh')).toEqual({ overdue: false, text: '2天3小时' });
  });
  it('reports how long an order is overdue', () => {
    expect(dueCountdown('2026-09-16 11:15:00', now, 'en')).toEqual({ overdue: true, text: '45m' });
  });
  it('reads wall-clock text as Asia/Shanghai', () => {
    expect(new Date(wallClockToEpoch('2026-01-01 08:00:00')).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
