import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { CHINA_HOLIDAY_YEARS, type HolidayYear } from './china-holidays.ts';
import { DAY_MS, HOUR_MS, addDays, assertValidWallClock, dayKeyOf, parseWallClock, startOfDay, weekdayOf, type WallClock } from './wall-clock.ts';

/**
 * A working-day calendar: Monday–Friday work, Saturday/Sunday off, overridden per year by
 * statutory holidays (days off) and make-up working days (调休上班).
 *
 * Working time is counted in whole calendar days: a working day contributes all of its
 * 24 hours (00:00–24:00), a day off none. This is how 12345 time limits are counted ("N个
 * 工作日内办结"): a case is not on hold overnight, only on days off. See `addWorkingDays` for
 * where a deadline lands and `workingDaysBetween` for elapsed working time.
 */
export interface WorkingCalendar {
  /** Day key → name of the holiday that makes it a day off. */
  readonly daysOff: ReadonlyMap<string, string>;
  readonly makeUpWorkdays: ReadonlySet<string>;
  readonly years: ReadonlyMap<number, HolidayYear>;
}

const dayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const holidayYearSchema = z.object({
  year: z.number().int().min(1990).max(2200),
  source: z.string().min(1),
  holidays: z.array(z.object({ name: z.string().min(1), from: dayKey, to: dayKey })),
  makeUpWorkdays: z.array(dayKey),
});

/** Builds a calendar from per-year data; refuses inconsistent data rather than guessing. */
export function createWorkingCalendar(years: readonly HolidayYear[]): WorkingCalendar {
  const byYear = new Map<number, HolidayYear>();
  for (const year of years) {
    const parsed = holidayYearSchema.safeParse(year);
    if (!parsed.success) throw new DomainError('BAD_INPUT', `节假日数据格式错误（${String(year.year)}年）`, { issues: parsed.error.issues });
    if (byYear.has(year.year)) throw new DomainError('BAD_INPUT', `节假日数据重复：${year.year}年`);
    byYear.set(year.year, year);
  }
  const daysOff = new Map<string, string>();
  const makeUpWorkdays = new Set<string>();
  for (const year of byYear.values()) {
    for (const span of year.holidays) {
      const from = parseWallClock(span.from);
      const to = parseWallClock(span.to);
      if (to < from || to.getTime() - from.getTime() > 14 * DAY_MS) {
        throw new DomainError('BAD_INPUT', `节假日区间无效：${span.name} ${span.from}—${span.to}`);
      }
      for (let day = from; day <= to; day = addDays(day, 1)) {
        if (day.getUTCFullYear() !== year.year && span.name !== '元旦') {
          // Only New Year's Day may spill into the neighbouring year (e.g. 12-30 … 01-01).
          throw new DomainError('BAD_INPUT', `节假日 ${span.name} 不在 ${year.year} 年内`);
        }
        daysOff.set(dayKeyOf(day), span.name);
      }
    }
    for (const key of year.makeUpWorkdays) {
      const weekday = weekdayOf(parseWallClock(key));
      // Make-up days are always weekend days; a weekday here is a transcription error.
      if (weekday !== 0 && weekday !== 6) throw new DomainError('BAD_INPUT', `调休上班日 ${key} 不是周末`);
      makeUpWorkdays.add(key);
    }
  }
  for (const key of makeUpWorkdays) {
    if (daysOff.has(key)) throw new DomainError('BAD_INPUT', `${key} 同时是假日和调休上班日`);
  }
  return { daysOff, makeUpWorkdays, years: byYear };
}

/** A copy of `base` in which each given year replaces (or adds) that year's data — for deployments. */
export function withHolidayYears(base: WorkingCalendar, years: readonly HolidayYear[]): WorkingCalendar {
  const merged = new Map(base.years);
  for (const year of years) merged.set(year.year, year);
  return createWorkingCalendar([...merged.values()]);
}

/** The shipped calendar: 2024–2026 from the State Council notices (see china-holidays.ts). */
export const DEFAULT_WORKING_CALENDAR: WorkingCalendar = createWorkingCalendar(CHINA_HOLIDAY_YEARS);

/**
 * True when the calendar has holiday data for the year. For other years only weekends are
 * days off — callers that must not silently ignore a Spring Festival should check this.
 */
export function hasHolidayData(year: number, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): boolean {
  return calendar.years.has(year);
}

export function isWorkingDay(day: WallClock, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): boolean {
  assertValidWallClock(day, '日期');
  const key = dayKeyOf(day);
  if (calendar.makeUpWorkdays.has(key)) return true;
  if (calendar.daysOff.has(key)) return false;
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6;
}

/** Name of the holiday on that day, or null (weekends are not named). */
export function holidayNameOf(day: WallClock, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): string | null {
  return calendar.daysOff.get(dayKeyOf(day)) ?? null;
}

const MAX_WORKING_DAYS = 3_650;

/**
 * The deadline of "n working days": the end (24:00) of the n-th working day **after** the
 * start day, returned as 00:00 of the following calendar day. The start day itself never
 * counts, whatever the time of receipt, so a case received at 08:00 and one at 23:00 on the
 * same day share a deadline. n = 0 gives the end of the start day.
 *
 * Example: received Fri 2026-02-13 10:00, 5 working days → Sat 02-14 (make-up day) is day 1,
 * 02-15…02-23 are the Spring Festival, 02-24/25/26/27 are days 2–5 → due 2026-02-28 00:00
 * (i.e. 02-27 24:00).
 */
export function addWorkingDays(start: WallClock, n: number, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): WallClock {
  assertValidWallClock(start, '起始时间');
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new DomainError('BAD_INPUT', `工作日数必须是 0–${MAX_WORKING_DAYS} 的整数: ${n}`);
  }
  let day = startOfDay(start);
  let counted = 0;
  while (counted < n) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) counted += 1;
  }
  return addDays(day, 1);
}

/** Clock-hour deadline (emergencies, utilities): calendar time, holidays included. */
export function addHours(start: WallClock, hours: number): WallClock {
  assertValidWallClock(start, '起始时间');
  if (!Number.isFinite(hours) || hours < 0) throw new DomainError('BAD_INPUT', `小时数无效: ${hours}`);
  return new Date(start.getTime() + hours * HOUR_MS);
}

/**
 * Elapsed working time from `a` to `b` in working days (fractional): the hours of [a, b)
 * that fall on working days, divided by 24. Fri 10:00 → Mon 10:00 is 14 h + 10 h = 1.0.
 * Negative when b < a. Used for the average reply cycle (平均回复周期) and due-soon checks.
 */
export function workingDaysBetween(a: WallClock, b: WallClock, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): number {
  assertValidWallClock(a, '起始时间');
  assertValidWallClock(b, '结束时间');
  if (b < a) return -workingDaysBetween(b, a, calendar);
  let workingMs = 0;
  for (let day = startOfDay(a); day < b; day = addDays(day, 1)) {
    if (!isWorkingDay(day, calendar)) continue;
    const from = Math.max(day.getTime(), a.getTime());
    const to = Math.min(day.getTime() + DAY_MS, b.getTime());
    workingMs += to - from;
  }
  return workingMs / DAY_MS;
}

export interface CalendarDay {
  date: string;
  isWorkingDay: boolean;
  holiday: string | null;
  isMakeUpWorkday: boolean;
}

/**
 * Every day in [from, to] with its status — for the db layer to load as a calendar table, so
 * SQL metrics count working days exactly as this module does.
 */
export function listCalendarDays(from: WallClock, to: WallClock, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let day = startOfDay(from); day <= to; day = addDays(day, 1)) {
    const key = dayKeyOf(day);
    days.push({
      date: key,
      isWorkingDay: isWorkingDay(day, calendar),
      holiday: calendar.daysOff.get(key) ?? null,
      isMakeUpWorkday: calendar.makeUpWorkdays.has(key),
    });
  }
  return days;
}
