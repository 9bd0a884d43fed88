import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { CHINA_HOLIDAY_YEARS } from './china-holidays.ts';
import { formatWallClock, instantFromWallClock, parseWallClock, wallClock, wallClockFromInstant } from './wall-clock.ts';
import {
  DEFAULT_WORKING_CALENDAR,
  addHours,
  addWorkingDays,
  createWorkingCalendar,
  hasHolidayData,
  holidayNameOf,
  isWorkingDay,
  listCalendarDays,
  withHolidayYears,
  workingDaysBetween,
} from './working-calendar.ts';

const day = (text: string) => parseWallClock(text);

describe('wall clock', () => {
  it('reads and writes UTC fields only, whatever the process time zone', () => {
    const value = wallClock(2026, 2, 13, 10, 30);
    expect(value.toISOString()).toBe('2026-02-13T10:30:00.000Z');
    expect(formatWallClock(value)).toBe('2026-02-13 10:30');
    expect(parseWallClock('2026-02-13 10:30')).toEqual(value);
    expect(parseWallClock('2026-02-13T10:30')).toEqual(value);
    expect(() => parseWallClock('2026-02-30')).toThrow(DomainError);
    expect(() => parseWallClock('2026-02-13T10:30:00Z')).toThrow(DomainError);
  });

  it('converts real instants at the edges with the fixed +08:00 offset', () => {
    const instant = new Date('2026-02-13T02:30:00Z');
    expect(wallClockFromInstant(instant)).toEqual(wallClock(2026, 2, 13, 10, 30));
    expect(instantFromWallClock(wallClock(2026, 2, 13, 10, 30))).toEqual(instant);
  });
});

describe('working calendar: shipped holiday data', () => {
  it('knows 2024–2026 and says so', () => {
    expect([2024, 2025, 2026].map((y) => hasHolidayData(y))).toEqual([true, true, true]);
    expect(hasHolidayData(2027)).toBe(false);
  });

  it('counts the days off per year as the notices do', () => {
    const daysOff = (year: number) => [...DEFAULT_WORKING_CALENDAR.daysOff.keys()].filter((k) => k.startsWith(String(year))).length;
    expect(daysOff(2024)).toBe(1 + 8 + 3 + 5 + 1 + 3 + 7);
    expect(daysOff(2025)).toBe(1 + 8 + 3 + 5 + 3 + 8);
    expect(daysOff(2026)).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
  });

  it('every make-up day is a weekend day and every year cites its notice', () => {
    for (const year of CHINA_HOLIDAY_YEARS) {
      expect(year.source).toMatch(new RegExp(`国务院办公厅关于${year.year}年部分节假日安排的通知`));
      for (const key of year.makeUpWorkdays) expect([0, 6]).toContain(day(key).getUTCDay());
    }
  });

  it.each([
    ['2026-02-13', true, 'Friday before the Spring Festival'],
    ['2026-02-14', true, 'make-up Saturday (调休上班)'],
    ['2026-02-15', false, 'Spring Festival (Sunday)'],
    ['2026-02-16', false, '除夕'],
    ['2026-02-23', false, 'last day of the Spring Festival (Monday)'],
    ['2026-02-24', true, 'back to work'],
    ['2026-02-28', true, 'second make-up Saturday'],
    ['2026-03-07', false, 'ordinary Saturday'],
    ['2026-01-02', false, 'New Year bridge Friday'],
    ['2026-01-04', true, 'make-up Sunday'],
    ['2026-05-05', false, 'Labour Day (Tuesday)'],
    ['2026-05-09', true, 'make-up Saturday'],
    ['2026-09-20', true, 'make-up Sunday before National Day'],
    ['2026-10-07', false, 'National Day'],
    ['2026-10-10', true, 'make-up Saturday'],
    ['2025-01-26', true, 'make-up Sunday'],
    ['2025-01-28', false, '除夕 2025 (first year it is a statutory holiday)'],
    ['2025-06-02', false, 'Dragon Boat Monday'],
    ['2025-10-08', false, 'merged National Day / Mid-Autumn'],
    ['2025-10-11', true, 'make-up Saturday'],
    ['2024-02-09', true, '除夕 2024: rest only encouraged, not granted'],
    ['2024-02-18', true, 'make-up Sunday'],
    ['2024-05-11', true, 'make-up Saturday'],
    ['2024-09-16', false, 'Mid-Autumn Monday'],
    ['2027-02-06', false, 'a Saturday in a year without data: weekends only'],
    ['2027-02-08', true, 'a Monday in a year without data'],
  ])('%s is a working day: %s (%s)', (key, expected) => {
    expect(isWorkingDay(day(key))).toBe(expected);
  });

  it('names holidays', () => {
    expect(holidayNameOf(day('2026-02-17'))).toBe('春节');
    expect(holidayNameOf(day('2025-10-06'))).toBe('国庆节、中秋节');
    expect(holidayNameOf(day('2026-03-07'))).toBeNull();
  });
});

describe('addWorkingDays: the end (24:00) of the n-th working day after the start day', () => {
  it('a case received just before the 2026 Spring Festival: the make-up Saturday counts', () => {
    // Fri 02-13 → day 1 Sat 02-14 (make-up), 02-15…23 off, days 2–5 = 02-24…27.
    expect(addWorkingDays(wallClock(2026, 2, 13, 10), 5)).toEqual(wallClock(2026, 2, 28));
    // The time of receipt does not matter: the start day never counts.
    expect(addWorkingDays(wallClock(2026, 2, 13, 0, 1), 5)).toEqual(wallClock(2026, 2, 28));
    expect(addWorkingDays(wallClock(2026, 2, 13, 23, 59), 5)).toEqual(wallClock(2026, 2, 28));
    // 15 working days: … 02-28 (make-up) is day 6, 03-02…06 days 7–11, 03-09…12 days 12–15.
    expect(addWorkingDays(wallClock(2026, 2, 13, 10), 15)).toEqual(wallClock(2026, 3, 13));
  });

  it('starting on a holiday or a make-up day', () => {
    expect(addWorkingDays(wallClock(2026, 2, 16, 9), 1)).toEqual(wallClock(2026, 2, 25));
    expect(addWorkingDays(wallClock(2026, 2, 14, 9), 1)).toEqual(wallClock(2026, 2, 25));
  });

  it('across the 2025 National Day and Mid-Autumn merge', () => {
    // Tue 09-30 → 10-01…08 off; Thu 10-09, Fri 10-10, Sat 10-11 (make-up), Mon 10-13, Tue 10-14.
    expect(addWorkingDays(wallClock(2025, 9, 30, 17), 5)).toEqual(wallClock(2025, 10, 15));
  });

  it('across a year boundary', () => {
    // Wed 2025-12-31 → 2026-01-01…03 off, Sun 01-04 make-up is day 1, Mon 01-05 day 2.
    expect(addWorkingDays(wallClock(2025, 12, 31, 12), 2)).toEqual(wallClock(2026, 1, 6));
  });

  it('n = 0 is the end of the start day; bad n is refused', () => {
    expect(addWorkingDays(wallClock(2026, 3, 7, 15), 0)).toEqual(wallClock(2026, 3, 8));
    expect(() => addWorkingDays(wallClock(2026, 3, 7), 1.5)).toThrow(DomainError);
    expect(() => addWorkingDays(wallClock(2026, 3, 7), -1)).toThrow(DomainError);
  });
});

describe('addHours and workingDaysBetween', () => {
  it('clock hours ignore holidays', () => {
    expect(addHours(wallClock(2026, 2, 16, 23), 24)).toEqual(wallClock(2026, 2, 17, 23));
    expect(addHours(wallClock(2026, 3, 2, 9), 0.5)).toEqual(wallClock(2026, 3, 2, 9, 30));
  });

  it('counts working time fractionally, skipping days off', () => {
    expect(workingDaysBetween(wallClock(2026, 3, 6, 10), wallClock(2026, 3, 9, 10))).toBe(1); // Fri → Mon
    expect(workingDaysBetween(wallClock(2026, 3, 2, 9), wallClock(2026, 3, 2, 21))).toBe(0.5);
    // Fri 02-13 10:00 → Tue 02-24 10:00: 14 h + 24 h (make-up Sat) + 10 h = 2 working days.
    expect(workingDaysBetween(wallClock(2026, 2, 13, 10), wallClock(2026, 2, 24, 10))).toBe(2);
    expect(workingDaysBetween(wallClock(2026, 2, 24, 10), wallClock(2026, 2, 13, 10))).toBe(-2);
    expect(workingDaysBetween(wallClock(2026, 2, 16), wallClock(2026, 2, 20))).toBe(0);
  });

  it('agrees with addWorkingDays: a full n-day allowance from midnight is n working days', () => {
    for (const start of [wallClock(2026, 2, 13), wallClock(2025, 9, 30), wallClock(2024, 4, 3)]) {
      for (const n of [1, 5, 15]) {
        const due = addWorkingDays(start, n);
        const firstDay = isWorkingDay(start) ? 1 : 0;
        expect(workingDaysBetween(start, due)).toBe(n + firstDay);
      }
    }
  });
});

describe('configurable per deployment', () => {
  it('adds a year and overrides another without touching the rest', () => {
    const calendar = withHolidayYears(DEFAULT_WORKING_CALENDAR, [
      { year: 2027, source: 'deployment test data', holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-13' }], makeUpWorkdays: ['2027-02-14'] },
      { year: 2026, source: 'local override', holidays: [], makeUpWorkdays: [] },
    ]);
    expect(hasHolidayData(2027, calendar)).toBe(true);
    expect(isWorkingDay(day('2027-02-08'), calendar)).toBe(false);
    expect(isWorkingDay(day('2027-02-14'), calendar)).toBe(true);
    expect(isWorkingDay(day('2026-02-16'), calendar)).toBe(true);
    expect(isWorkingDay(day('2025-01-28'), calendar)).toBe(false);
  });

  it('refuses inconsistent data', () => {
    const base = { year: 2030, source: 'x', holidays: [] as { name: string; from: string; to: string }[], makeUpWorkdays: [] as string[] };
    expect(() => createWorkingCalendar([{ ...base, makeUpWorkdays: ['2030-01-02'] }])).toThrow(/不是周末/);
    expect(() => createWorkingCalendar([{ ...base, holidays: [{ name: '春节', from: '2030-02-05', to: '2030-02-01' }] }])).toThrow(/区间无效/);
    expect(() => createWorkingCalendar([{ ...base, holidays: [{ name: '春节', from: '2030-02-02', to: '2030-02-03' }], makeUpWorkdays: ['2030-02-02'] }])).toThrow(/同时是/);
    expect(() => createWorkingCalendar([base, base])).toThrow(/重复/);
  });

  it('lists days for a db calendar table', () => {
    const days = listCalendarDays(wallClock(2026, 2, 13), wallClock(2026, 2, 16));
    expect(days).toEqual([
      { date: '2026-02-13', isWorkingDay: true, holiday: null, isMakeUpWorkday: false },
      { date: '2026-02-14', isWorkingDay: true, holiday: null, isMakeUpWorkday: true },
      { date: '2026-02-15', isWorkingDay: false, holiday: '春节', isMakeUpWorkday: false },
      { date: '2026-02-16', isWorkingDay: false, holiday: '春节', isMakeUpWorkday: false },
    ]);
  });
});
